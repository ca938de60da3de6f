// The refereed game end to end on anvil (PROTOCOL.md §3): a fault injected at EVERY state index
// of the test model, once by the defender and once by the challenger; the honest side wins each
// time. Plus: a silent party loses on its clock, both-wrong slashes both, a claim invalid on its
// face is slashed without a game, and only the game and arbitration contracts can slash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, parseEther, id as utf8Id, type NonceManager } from 'ethers';
import { caseIdOf, BatchStatus, GameOutcome, MemberState, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, commitReveal, evidence, partyTrace, playGame, sendTx, setupModel, type PartyTrace, sealBatch } from './arbiter-scenario.js';
import { faultyTrace, honestTrace, testInput, testModel } from './test-model.js';

const CLOCK = 3600;
const GAME_SLASH = parseEther('0.5');
let fx: ChainFixture;
let c: ArbiterContracts;
let registrar: NonceManager;
let nodes: NonceManager[];
let addr: string[];
let caseSeq = 0;

beforeAll(async () => {
  fx = await startChain({
    deploy: true,
    config: { committeeSize: 3, clockSeconds: CLOCK, challengeWindow: 600, gameSlash: GAME_SLASH, missSlash: GAME_SLASH },
  });
  c = fx.c!;
  registrar = fx.wallets[0];
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  addr = [fx.addresses[1], fx.addresses[2], fx.addresses[3]];
  await setupModel(c, fx.wallets[4], nodes);
});
afterAll(async () => fx?.stop());

/** Opens a one-case batch, seals it and returns the case's id, batch, input hash and honest party. */
async function openOneCase() {
  const seq = ++caseSeq;
  const caseRef = utf8Id(`case-${seq}`);
  const caseId = caseIdOf(fx.addresses[5], caseRef);
  const input = testInput(seq);
  const s0 = bytesToHex(stateHash(0, input));
  await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE + parseEther('0.01'));
  const batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
  await sealBatch(c, registrar, batchId);
  return { caseId, input, s0, batchId, honest: partyTrace(caseId, s0, honestTrace(input)) };
}

const gameIdOf = (receipt: any): bigint => {
  const iface = new Interface(c.arbitration.interface.fragments);
  for (const log of receipt.logs) {
    try {
      const ev = iface.parseLog(log);
      if (ev?.name === 'Challenged') return ev.args.gameId as bigint;
    } catch {}
  }
  throw new Error('no Challenged event');
};

const stakeOf = async (a: string): Promise<bigint> => (await c.staking.nodes(a)).stake;

describe('DisputeGame › fault injection at every state index', () => {
  const n = 15; // testModel().steps
  const rows: [number, 'defender' | 'challenger'][] = [];
  for (let k = 0; k <= n; k++) rows.push([k, 'defender'], [k, 'challenger']);
  const gasSeen: { k: number; side: string; total: bigint; step: bigint; rounds: number }[] = [];
  let sameOutput = 0;

  it('the test model has the expected size', () => expect(testModel().steps).toBe(n));

  it.each(rows)('fault at state %i by the %s › the honest side wins and the liar is slashed', async (k, liarSide) => {
    const { caseId, s0, input, batchId, honest } = await openOneCase();
    const liar = partyTrace(caseId, s0, faultyTrace(input, k));
    if (liar.claim.output === honest.claim.output) sameOutput++;
    // node 0 and node 2 are honest, node 1 lies.
    await commitReveal(c, batchId, [
      { node: nodes[0], claims: [honest.claim] },
      { node: nodes[1], claims: [liar.claim] },
      { node: nodes[2], claims: [honest.claim] },
    ]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Disputed);
    const H = { node: nodes[0], party: honest, address: addr[0] };
    const L = { node: nodes[1], party: liar, address: addr[1] };
    const [D, C] = liarSide === 'defender' ? [L, H] : [H, L];
    const liarStake = await stakeOf(L.address);
    const honestCredit: bigint = await c.staking.credit(H.address);
    const receipt = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [
      batchId, 0, D.address, evidence(D.party, [D.party.claim], 0), C.address, evidence(C.party, [C.party.claim], 0),
    ]);
    const gameId = gameIdOf(receipt);
    const run = await playGame(c, gameId, D, C, H, receipt.gasUsed);
    gasSeen.push({ k, side: liarSide, total: run.gas.total, step: run.gas.step, rounds: run.rounds });
    expect(run.leafIndex).toBe(k);
    expect(run.outcome).toBe(liarSide === 'defender' ? GameOutcome.ChallengerWins : GameOutcome.DefenderWins);
    expect(await stakeOf(L.address)).toBe(liarStake - GAME_SLASH);
    expect(await c.staking.credit(H.address)).toBe(honestCredit + GAME_SLASH / 2n);
    expect(Number((await c.arbitration.members(batchId, L.address)).state)).toBe(MemberState.Evicted);
    const batch = await c.arbitration.batches(batchId);
    expect(Number(batch.status)).toBe(BatchStatus.Proposed);
    expect(batch.claimsRoot).toBe((await c.arbitration.members(batchId, H.address)).value);
  });

  it('gas › a whole game stays within 1.5 M gas, one round, one step within 1 M', () => {
    const maxTotal = gasSeen.reduce((m, g) => (g.total > m ? g.total : m), 0n);
    const maxStep = gasSeen.reduce((m, g) => (g.step > m ? g.step : m), 0n);
    const maxRounds = Math.max(...gasSeen.map((g) => g.rounds));
    console.log(JSON.stringify({ games: gasSeen.length, game_max_total: Number(maxTotal), one_step_max: Number(maxStep), game_max_rounds: maxRounds }));
    expect(gasSeen.length).toBe(2 * (n + 1));
    // Most liars here got the output right and only the trace wrong: they lose all the same.
    expect(sameOutput).toBeGreaterThan(0);
    expect(maxTotal).toBeLessThanOrEqual(1_500_000n);
    expect(maxStep).toBeLessThanOrEqual(1_000_000n);
    expect(maxRounds).toBeLessThanOrEqual(3);
  });
});

describe('DisputeGame › clocks', () => {
  async function disputedCase(k: number) {
    const o = await openOneCase();
    const liar = partyTrace(o.caseId, o.s0, faultyTrace(o.input, k));
    await commitReveal(c, o.batchId, [
      { node: nodes[0], claims: [o.honest.claim] },
      { node: nodes[1], claims: [liar.claim] },
      { node: nodes[2], claims: [o.honest.claim] },
    ]);
    return { ...o, liar };
  }

  it('claimTimeout › a silent defender loses on its clock', async () => {
    const { batchId, honest, liar } = await disputedCase(7);
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, addr[1], evidence(liar, [liar.claim], 0), addr[0], evidence(honest, [honest.claim], 0)]);
    const gameId = gameIdOf(r);
    await expect(sendTx(c.game, fx.wallets[7], 'claimTimeout', [gameId])).rejects.toThrow();
    await increaseTime(fx.provider, CLOCK + 1);
    await sendTx(c.game, fx.wallets[7], 'claimTimeout', [gameId]);
    expect(Number((await c.game.games(gameId)).outcome)).toBe(GameOutcome.ChallengerWins);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
  });

  it('claimTimeout › a challenger that stops answering after the defender moved loses', async () => {
    const { batchId, honest, liar } = await disputedCase(3);
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, addr[0], evidence(honest, [honest.claim], 0), addr[1], evidence(liar, [liar.claim], 0)]);
    const gameId = gameIdOf(r);
    const g = await c.game.games(gameId);
    const { moveNodes } = await import('../../../server/chain/dissection.js');
    const d = moveNodes(honest.levels, { height: Number(g.height), index: 0, levelsPerMove: Number(g.levelsPerMove) }).map(bytesToHex);
    await increaseTime(fx.provider, CLOCK - 100); // the defender spends most of its clock but moves in time
    await sendTx(c.game, nodes[0], 'move', [gameId, d, []]);
    await increaseTime(fx.provider, CLOCK + 1);
    await expect(sendTx(c.game, nodes[1], 'move', [gameId, d, d])).rejects.toThrow();
    await sendTx(c.game, fx.wallets[7], 'claimTimeout', [gameId]);
    expect(Number((await c.game.games(gameId)).outcome)).toBe(GameOutcome.DefenderWins);
  });

  it('move › reverts when it is not the caller\'s turn; takeTurn waits instead', async () => {
    const { batchId, honest, liar } = await disputedCase(5);
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, addr[0], evidence(honest, [honest.claim], 0), addr[1], evidence(liar, [liar.claim], 0)]);
    const gameId = gameIdOf(r);
    await expect(sendTx(c.game, nodes[1], 'move', [gameId, [], []])).rejects.toThrow(/NotYourTurn|revert/);
    const { takeTurn } = await import('../../../server/chain/game-player.js');
    const { testModel: tm } = await import('./test-model.js');
    expect((await takeTurn(c.game.connect(nodes[1]) as any, gameId, addr[1], liar, tm().ir.steps)).action).toBe('waiting');
    expect((await takeTurn(c.game.connect(nodes[0]) as any, gameId, addr[0], honest, tm().ir.steps)).action).toBe('moved');
    expect((await takeTurn(c.game.connect(nodes[0]) as any, gameId, addr[0], honest, tm().ir.steps)).action).toBe('waiting');
  });
});

describe('DisputeGame › both wrong', () => {
  it('proveStep › slashes both parties when neither post-state matches; the honest root stands', async () => {
    const { caseId, s0, input, batchId, honest } = await openOneCase();
    const liarA = partyTrace(caseId, s0, faultyTrace(input, 9, 1n));
    const liarB = partyTrace(caseId, s0, faultyTrace(input, 9, 2n));
    await commitReveal(c, batchId, [
      { node: nodes[0], claims: [honest.claim] },
      { node: nodes[1], claims: [liarA.claim] },
      { node: nodes[2], claims: [liarB.claim] },
    ]);
    const before = [await stakeOf(addr[1]), await stakeOf(addr[2])];
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, addr[1], evidence(liarA, [liarA.claim], 0), addr[2], evidence(liarB, [liarB.claim], 0)]);
    // Anyone proves the step; t_lo's proof comes from either party's tree (they agree up to lo).
    const run = await playGame(c, gameIdOf(r), { node: nodes[1], party: liarA }, { node: nodes[2], party: liarB }, { node: nodes[0], party: liarA }, r.gasUsed);
    expect(run.outcome).toBe(GameOutcome.BothLose);
    expect(await stakeOf(addr[1])).toBe(before[0] - GAME_SLASH);
    expect(await stakeOf(addr[2])).toBe(before[1] - GAME_SLASH);
    const batch = await c.arbitration.batches(batchId);
    expect(Number(batch.status)).toBe(BatchStatus.Proposed);
    expect(batch.claimsRoot).toBe((await c.arbitration.members(batchId, addr[0])).value);
  });
});

describe('Arbitration › claims invalid on their face', () => {
  it('challenge › slashes a claim whose S_0 differs from the case input without a game', async () => {
    const { caseId, batchId, honest } = await openOneCase();
    const wrongInput: PartyTrace = partyTrace(caseId, utf8Id('not the input'), honestTrace(testInput(999)));
    await commitReveal(c, batchId, [
      { node: nodes[0], claims: [honest.claim] },
      { node: nodes[1], claims: [wrongInput.claim] },
      { node: nodes[2], claims: [honest.claim] },
    ]);
    const before = await stakeOf(addr[1]);
    await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, addr[0], evidence(honest, [honest.claim], 0), addr[1], evidence(wrongInput, [wrongInput.claim], 0)]);
    expect(await stakeOf(addr[1])).toBe(before - GAME_SLASH); // missSlash = gameSlash
    expect(Number((await c.arbitration.members(batchId, addr[1])).state)).toBe(MemberState.Evicted);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
  });
});

describe('NodeStaking › slashing rights', () => {
  it('slash › reverts for anyone but the game and arbitration contracts', async () => {
    await expect(sendTx(c.staking, fx.wallets[7], 'slash', [addr[0], 1n, fx.addresses[7]])).rejects.toThrow(/Unauthorized|revert/);
    await expect(sendTx(c.staking, registrar, 'slash', [addr[0], 1n, fx.addresses[0]])).rejects.toThrow(/Unauthorized|revert/);
  });
  it('setSlashers › cannot be called again', async () => {
    await expect(sendTx(c.staking, registrar, 'setSlashers', [fx.addresses[0], fx.addresses[0]])).rejects.toThrow();
  });
});
