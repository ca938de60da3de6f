// Issue 8 #6: appeals hold the first committee to account, and any staked node may challenge a
// proposed root. Before the fix a level-1 re-execution was never compared with the first
// committee's claim: a unanimous lying committee kept its stake, its batch finalized and paid it
// its fees, and the appellant's bond paid the re-execution even when the result changed; a
// proposed root could be disputed by nobody but the parties (through an appeal).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, id as utf8Id, type NonceManager } from 'ethers';
import { claimLeaf } from '../../../server/chain/batch-claims.js';
import { BatchStatus, GameOutcome, MemberState, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, claimTuple, commitReveal, evidence, partyTrace, playGame, sealBatch, sendTx, setupModel, type PartyTrace } from './arbiter-scenario.js';
import { faultyTrace, honestTrace, testInput } from './test-model.js';
import { splitFee } from '../../../server/market/split.js';

const WINDOW = 600;
const BOND = parseEther('0.05');
const SLASH = parseEther('0.5');
let fx: ChainFixture;
let c: ArbiterContracts;
let nodes: NonceManager[];
let addr: string[];
let outsider: NonceManager;
let seq = 0;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, appealCommitteeSize: 3, challengeWindow: WINDOW, missSlash: SLASH, gameSlash: SLASH } });
  c = fx.c!;
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  addr = fx.addresses.slice(1, 4).map((a) => a.toLowerCase());
  await setupModel(c, fx.wallets[4], nodes);
  // A staked node that serves nothing (never drawn): an outsider to every committee.
  outsider = fx.wallets[9];
  await sendTx(c.staking, outsider, 'stake', [], parseEther('10'));
});
afterAll(async () => fx?.stop());

interface Opened {
  batchId: bigint;
  honest: PartyTrace[];
  liar: PartyTrace[];
}

/** Opens `count` cases, seals and draws their batch; the liar's traces have a fault at step 6 of case `lieAt`. */
async function openBatch(count: number, lieAt: number): Promise<Opened> {
  const honest: PartyTrace[] = [];
  const liar: PartyTrace[] = [];
  let batchId = 0n;
  for (let i = 0; i < count; i++) {
    const ref = utf8Id(`appeal-accountability-${++seq}`);
    const caseId = caseIdOf(fx.addresses[5], ref);
    const input = testInput(7000 + seq);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
    batchId = (await c.arbitration.cases(caseId)).batchId;
    honest.push(partyTrace(caseId, s0, honestTrace(input)));
    liar.push(i === lieAt ? partyTrace(caseId, s0, faultyTrace(input, 6)) : honest[i]);
  }
  await sealBatch(c, fx.wallets[0], batchId);
  return { batchId, honest, liar };
}

const claimsOf = (p: PartyTrace[]): Claim[] => p.map((x) => x.claim);
const nodeOf = (a: string) => nodes[addr.indexOf(a.toLowerCase())];
const statusOf = async (batchId: bigint) => Number((await c.arbitration.batches(batchId)).status);
const stakeOf = async (a: string): Promise<bigint> => (await c.staking.nodes(a)).stake;
const gameOf = async (receipt: { logs: readonly unknown[] }) => {
  for (const l of receipt.logs) {
    try {
      const p = c.arbitration.interface.parseLog(l as never);
      if (p?.name === 'Challenged') return p.args.gameId as bigint;
    } catch {
      /* another contract's log */
    }
  }
  return 0n;
};
async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    return data ? c.arbitration.interface.parseError(data)?.name : undefined;
  }
  throw new Error('expected a revert');
}

describe('Arbitration › appeals hold the first committee to account (issue 8 #6)', () => {
  it('compareAppeal › a differing re-execution plays the first committee, which is evicted and slashed; its batch never finalizes nor pays it; the bond goes back', async () => {
    // The whole first committee lies on case 0 (a unanimous root: proposed, nobody inside disputes it).
    const b1 = await openBatch(2, 0);
    await commitReveal(c, b1.batchId, nodes.map((node) => ({ node, claims: claimsOf(b1.liar) })));
    expect(await statusOf(b1.batchId)).toBe(BatchStatus.Proposed);
    const caseId = b1.honest[0].claim.caseId;
    const claimantBefore = await fx.provider.getBalance(fx.addresses[6]);
    const appeal = await sendTx(c.arbitration, fx.wallets[6], 'appealCase', [caseId], BOND);
    const appealCost = appeal.gasUsed * appeal.gasPrice;
    const b2 = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[7], b2);
    // The re-execution is honest.
    await commitReveal(c, b2, nodes.map((node) => ({ node, claims: [b1.honest[0].claim] })));
    expect(await statusOf(b2)).toBe(BatchStatus.Proposed);
    const stakesBefore = await Promise.all(addr.map(stakeOf));
    // Past the window neither batch finalizes: the comparison is pending.
    await increaseTime(fx.provider, WINDOW + 1);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'finalize', [b1.batchId]))).toBe('AppealPending');
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'finalize', [b2]))).toBe('AppealPending');
    const first = evidence(b1.liar[0], claimsOf(b1.liar), 0);
    const second = evidence(b1.honest[0], [b1.honest[0].claim], 0);
    // Each comparison opens a game between a first-committee member and a re-execution member;
    // the first committee loses each, one member at a time, until its root has fallen.
    const losers = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const r = await sendTx(c.arbitration, fx.wallets[7], 'compareAppeal', [caseId, first, second]);
      const gameId = await gameOf(r);
      expect(gameId).toBeGreaterThan(0n);
      const [d, ch] = await c.game.parties(gameId);
      expect(d.toLowerCase()).not.toBe(ch.toLowerCase());
      expect(await statusOf(b1.batchId)).toBe(BatchStatus.Disputed);
      const run = await playGame(c, gameId, { node: nodeOf(d), party: b1.liar[0] }, { node: nodeOf(ch), party: b1.honest[0] }, { node: nodeOf(ch), party: b1.honest[0] }, r.gasUsed);
      expect(run.outcome).toBe(GameOutcome.ChallengerWins);
      expect(Number((await c.arbitration.members(b1.batchId, d)).state)).toBe(MemberState.Evicted);
      losers.add(d.toLowerCase());
    }
    expect(losers.size).toBe(3);
    // The first root fell: its batch failed (a fresh committee will run it), nobody of it was paid.
    expect(await statusOf(b1.batchId)).toBe(BatchStatus.Failed);
    for (const a of addr) expect(await c.escrow.credit(a)).toBe(0n);
    // The result changed: the comparison closes and the bond goes back to the appellant.
    const close = await sendTx(c.arbitration, fx.wallets[7], 'compareAppeal', [caseId, first, second]);
    expect((await c.arbitration.appeals(caseId)).pending).toBe(false);
    expect(await fx.provider.getBalance(fx.addresses[6])).toBe(claimantBefore - appealCost);
    const closed = close.logs.map((l) => c.arbitration.interface.parseLog(l as never)).find((p) => p?.name === 'AppealClosed');
    expect(closed?.args.changed).toBe(true);
    expect(closed?.args.bondRefund).toBe(BOND);
    // Each liar lost a game slash in the first batch;  (half of each to the re-execution member that
    // beat it, as NodeStaking credit; these nodes sit on both committees).
    const stakesAfter = await Promise.all(addr.map(stakeOf));
    const sum = (xs: bigint[]) => xs.reduce((a, x) => a + x, 0n);
    expect(sum(stakesBefore) - sum(stakesAfter)).toBe(3n * SLASH);
    // The re-execution's batch may now finalize.
    await increaseTime(fx.provider, WINDOW + 1);
    await sendTx(c.arbitration, fx.wallets[7], 'finalize', [b2]);
    expect(await statusOf(b2)).toBe(BatchStatus.Final);
  }, 240_000);

  it('compareAppeal › an equal re-execution upholds the first committee: the bond pays the re-execution, both batches finalize', async () => {
    const b1 = await openBatch(1, -1);
    await commitReveal(c, b1.batchId, nodes.map((node) => ({ node, claims: claimsOf(b1.honest) })));
    const caseId = b1.honest[0].claim.caseId;
    await sendTx(c.arbitration, fx.wallets[6], 'appealCase', [caseId], BOND);
    const b2 = (await c.arbitration.cases(caseId)).batchId;
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'compareAppeal', [caseId, evidence(b1.honest[0], claimsOf(b1.honest), 0), evidence(b1.honest[0], claimsOf(b1.honest), 0)]))).toBe('WrongBatchStatus');
    await sealBatch(c, fx.wallets[7], b2);
    await commitReveal(c, b2, nodes.map((node) => ({ node, claims: claimsOf(b1.honest) })));
    const ev = evidence(b1.honest[0], claimsOf(b1.honest), 0);
    // A claim that is not the first root's is refused.
    const wrong = evidence(partyTrace(caseId, b1.honest[0].claim.s0, faultyTrace(testInput(1), 2)), [b1.honest[0].claim], 0);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'compareAppeal', [caseId, wrong, ev]))).toBe('BadProof');
    const r = await sendTx(c.arbitration, fx.wallets[7], 'compareAppeal', [caseId, ev, ev]);
    const closed = r.logs.map((l) => c.arbitration.interface.parseLog(l as never)).find((p) => p?.name === 'AppealClosed');
    expect(closed?.args.changed).toBe(false);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'compareAppeal', [caseId, ev, ev]))).toBe('NoAppeal');
    await increaseTime(fx.provider, WINDOW + 1);
    const before = await Promise.all(addr.map((a) => c.escrow.credit(a)));
    await sendTx(c.arbitration, fx.wallets[7], 'finalize', [b2]);
    // The re-execution's members shared the bond (less the creator's 10 % royalty and the protocol's share).
    const after = await Promise.all(addr.map((a) => c.escrow.credit(a)));
    expect(after.reduce((s, x, i) => s + x - before[i], 0n)).toBe(splitFee(BOND, 1000, 3).nodes);
    await sendTx(c.arbitration, fx.wallets[7], 'finalize', [b1.batchId]);
    expect(await statusOf(b1.batchId)).toBe(BatchStatus.Final);
  }, 120_000);
});

describe('Arbitration › any staked node challenges a proposed root (issue 8 #6)', () => {
  it('challengeRoot › an outsider with the honest claim beats a unanimous lying committee member by member; the batch fails and is redrawn, the liars are slashed', async () => {
    const b = await openBatch(2, 1);
    await commitReveal(c, b.batchId, nodes.map((node) => ({ node, claims: claimsOf(b.liar) })));
    expect(await statusOf(b.batchId)).toBe(BatchStatus.Proposed);
    const agreed = evidence(b.liar[1], claimsOf(b.liar), 1);
    const mine = evidence(b.honest[1], claimsOf(b.honest), 1);
    // A member cannot challenge its own committee's root from outside.
    expect(await revertName(sendTx(c.arbitration, nodes[0], 'challengeRoot', [b.batchId, 1, addr[1], agreed, mine]))).toBe('NotCommitteeMember');
    // The same claim is no challenge.
    expect(await revertName(sendTx(c.arbitration, outsider, 'challengeRoot', [b.batchId, 1, addr[1], agreed, agreed]))).toBe('NoDisagreement');
    const outsiderBefore = await stakeOf(fx.addresses[9]);
    const outsiderCredit = await c.staking.credit(fx.addresses[9]);
    const liarsBefore = await Promise.all(addr.map(stakeOf));
    for (const d of addr) {
      const r = await sendTx(c.arbitration, outsider, 'challengeRoot', [b.batchId, 1, d, agreed, mine]);
      const gameId = await gameOf(r);
      // The outsider's seat is locked while it plays.
      expect((await c.staking.nodes(fx.addresses[9])).locked).toBe(parseEther('1'));
      const run = await playGame(c, gameId, { node: nodeOf(d), party: b.liar[1] }, { node: outsider, party: b.honest[1] }, { node: outsider, party: b.honest[1] }, r.gasUsed);
      expect(run.outcome).toBe(GameOutcome.ChallengerWins);
      expect((await c.staking.nodes(fx.addresses[9])).locked).toBe(0n);
      expect(Number((await c.arbitration.members(b.batchId, d)).state)).toBe(MemberState.Evicted);
    }
    expect(await statusOf(b.batchId)).toBe(BatchStatus.Failed);
    expect(await stakeOf(fx.addresses[9])).toBe(outsiderBefore);
    expect(await c.staking.credit(fx.addresses[9])).toBe(outsiderCredit + 3n * (SLASH / 2n));
    const liarsAfter = await Promise.all(addr.map(stakeOf));
    for (let i = 0; i < 3; i++) expect(liarsAfter[i]).toBe(liarsBefore[i] - SLASH);
    // The batch is redrawn for a fresh committee.
    await sendTx(c.arbitration, fx.wallets[7], 'redraw', [b.batchId]);
    expect(await statusOf(b.batchId)).toBe(BatchStatus.Sealed);
  }, 240_000);

  it('challengeRoot › an outsider that challenges an honest root loses its game and its slash; the root is proposed again; after the window nobody may challenge', async () => {
    const b = await openBatch(1, -1);
    await commitReveal(c, b.batchId, nodes.map((node) => ({ node, claims: claimsOf(b.honest) })));
    const wrong = partyTrace(b.honest[0].claim.caseId, b.honest[0].claim.s0, faultyTrace(testInput(7000 + seq), 3));
    const agreed = evidence(b.honest[0], claimsOf(b.honest), 0);
    const mine = evidence(wrong, [wrong.claim], 0);
    const before = await stakeOf(fx.addresses[9]);
    const r = await sendTx(c.arbitration, outsider, 'challengeRoot', [b.batchId, 0, addr[0], agreed, mine]);
    const gameId = await gameOf(r);
    const run = await playGame(c, gameId, { node: nodes[0], party: b.honest[0] }, { node: outsider, party: wrong }, { node: nodes[0], party: b.honest[0] }, r.gasUsed);
    expect(run.outcome).toBe(GameOutcome.DefenderWins);
    expect(await stakeOf(fx.addresses[9])).toBe(before - SLASH);
    expect((await c.staking.nodes(fx.addresses[9])).locked).toBe(0n);
    const batch = await c.arbitration.batches(b.batchId);
    expect(Number(batch.status)).toBe(BatchStatus.Proposed);
    // An outsider with an invalid claim (another case's) is refused outright.
    const other = evidence(b.honest[0], claimsOf(b.honest), 0);
    (other[0] as unknown[])[4] = 99n;
    expect(await revertName(sendTx(c.arbitration, outsider, 'challengeRoot', [b.batchId, 0, addr[0], agreed, other]))).toBe('InvalidClaim');
    await increaseTime(fx.provider, WINDOW + 1);
    expect(await revertName(sendTx(c.arbitration, outsider, 'challengeRoot', [b.batchId, 0, addr[0], agreed, mine]))).toBe('TooLate');
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [b.batchId, [claimTuple(b.honest[0].claim)], ['0x']]);
    expect(await statusOf(b.batchId)).toBe(BatchStatus.Final);
  }, 120_000);
});

describe('Arbitration › evidence a third party sends cannot evict an honest member', () => {
  it('challenge › a wrong final-state proof for the honest claim proves nothing: a game decides, and the honest member wins', async () => {
    const b = await openBatch(1, 0);
    // Members 0 and 1 honest, member 2 lies (another trace): the roots differ.
    await commitReveal(c, b.batchId, [
      { node: nodes[0], claims: claimsOf(b.honest) },
      { node: nodes[1], claims: claimsOf(b.honest) },
      { node: nodes[2], claims: claimsOf(b.liar) },
    ]);
    expect(await statusOf(b.batchId)).toBe(BatchStatus.Disputed);
    const honest = evidence(b.honest[0], claimsOf(b.honest), 0);
    const forged = [honest[0], honest[1], (honest[2] as string[]).map(() => `0x${'77'.repeat(32)}`)];
    // Before the fix this evicted member 0 as "invalid claim" and rewarded the liar.
    const r = await sendTx(c.arbitration, outsider, 'challenge', [b.batchId, 0, addr[0], forged, addr[2], evidence(b.liar[0], claimsOf(b.liar), 0)]);
    expect(Number((await c.arbitration.members(b.batchId, addr[0])).state)).toBe(MemberState.InGame);
    const gameId = await gameOf(r);
    const run = await playGame(c, gameId, { node: nodes[0], party: b.honest[0] }, { node: nodes[2], party: b.liar[0] }, { node: nodes[0], party: b.honest[0] }, r.gasUsed);
    expect(run.outcome).toBe(GameOutcome.DefenderWins);
    expect(Number((await c.arbitration.members(b.batchId, addr[2])).state)).toBe(MemberState.Evicted);
    expect(await statusOf(b.batchId)).toBe(BatchStatus.Proposed);
  }, 120_000);

  it('answer › a third party answering for the accused with a wrong proof reverts instead of evicting it', async () => {
    const b = await openBatch(1, 0);
    await commitReveal(c, b.batchId, [
      { node: nodes[0], claims: claimsOf(b.honest) },
      { node: nodes[1], claims: claimsOf(b.honest) },
      { node: nodes[2], claims: claimsOf(b.liar) },
    ]);
    const liarLeaf = evidence(b.liar[0], claimsOf(b.liar), 0);
    // Member 2 (the liar here) accuses honest member 0; a third party answers for 0 with a wrong proof.
    await sendTx(c.arbitration, fx.wallets[7], 'accuse', [b.batchId, 0, addr[2], liarLeaf, addr[0], claimLeaf(b.honest[0].claim), []]);
    const honest = evidence(b.honest[0], claimsOf(b.honest), 0);
    const forged = [honest[0], honest[1], (honest[2] as string[]).map(() => `0x${'77'.repeat(32)}`)];
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'answer', [b.batchId, addr[0], forged]))).toBe('BadProof');
    expect(Number((await c.arbitration.members(b.batchId, addr[0])).state)).toBe(MemberState.Revealed);
    // The accused's own answer (the right proof) opens the game.
    await sendTx(c.arbitration, nodes[0], 'answer', [b.batchId, addr[0], honest]);
    expect(Number((await c.arbitration.members(b.batchId, addr[0])).state)).toBe(MemberState.InGame);
  }, 120_000);
});
