// Issue 8 #2: a disputed batch always has a way out. A member that reveals a root it never opens,
// one whose root differs from the honest root only in a padding leaf, and one that opens a leaf
// with no claim behind it are evicted and slashed after the dispute window; a real differing
// claim still goes to the game. Before the fix each of these froze the batch (and its money).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, ZeroAddress, id as utf8Id, parseEther, type NonceManager, type TransactionReceipt } from 'ethers';
import { batchCommitment, claimLeaf, claimProof, claimsRoot } from '../../../server/chain/batch-claims.js';
import { BatchStatus, GameOutcome, MemberState, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { bytesToHex, hexToBytes } from '../../../server/inference/hex.js';
import { merkleProof, merkleRoot } from '../../../server/inference/merkle.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, evidence, partyTrace, playGame, sealBatch, sendTx, setupModel, type PartyTrace } from './arbiter-scenario.js';
import { faultyTrace, honestTrace, testInput } from './test-model.js';

const DISPUTE_WINDOW = 1000;
const MISS_SLASH = parseEther('0.5');
let fx: ChainFixture;
let c: ArbiterContracts;
let nodes: NonceManager[];
let addr: string[];
let seq = 0;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, challengeWindow: 600, disputeWindow: DISPUTE_WINDOW, missSlash: MISS_SLASH, gameSlash: MISS_SLASH } });
  c = fx.c!;
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  addr = fx.addresses.slice(1, 4);
  await setupModel(c, fx.wallets[4], nodes);
});
afterAll(async () => fx?.stop());

/** Opens a three-case batch (padded to four leaves) and seals it; returns its id and the honest parties. */
async function openBatch(): Promise<{ batchId: bigint; parties: PartyTrace[]; claims: Claim[] }> {
  const parties: PartyTrace[] = [];
  let batchId = 0n;
  for (let i = 0; i < 3; i++) {
    const ref = utf8Id(`disputed-${++seq}`);
    const caseId = caseIdOf(fx.addresses[5], ref);
    const input = testInput(9000 + seq);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
    batchId = (await c.arbitration.cases(caseId)).batchId;
    parties.push(partyTrace(caseId, s0, honestTrace(input)));
  }
  await sealBatch(c, fx.wallets[0], batchId);
  return { batchId, parties, claims: parties.map((p) => p.claim) };
}

/** Every member commits to, then reveals, the root it was given (whatever it is a root of). */
async function revealRoots(batchId: bigint, roots: string[]) {
  const salts = roots.map((_, i) => utf8Id(`salt-${batchId}-${i}`));
  for (const [i, root] of roots.entries()) await sendTx(c.arbitration, nodes[i], 'commit', [batchId, batchCommitment(batchId, root, salts[i], addr[i])]);
  for (const [i, root] of roots.entries()) await sendTx(c.arbitration, nodes[i], 'reveal', [batchId, root, salts[i]]);
}

/** The custom error a call reverts with, from the merged Arbitration ABI. */
async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    return data ? c.arbitration.interface.parseError(data)?.name : undefined;
  }
  throw new Error('expected a revert');
}

const leavesOf = (claims: Claim[]) => claims.map(claimLeaf);
const stakeOf = async (a: string): Promise<bigint> => (await c.staking.nodes(a)).stake;
const stateOf = async (batchId: bigint, a: string) => Number((await c.arbitration.members(batchId, a)).state);
const statusOf = async (batchId: bigint) => Number((await c.arbitration.batches(batchId)).status);

/** The honest members 0 and 1 open their roots (what every honest node does on BatchDisputed). */
async function honestOpen(batchId: bigint, claims: Claim[]) {
  for (const i of [0, 1]) await sendTx(c.arbitration, fx.wallets[7], 'openRoot', [batchId, addr[i], leavesOf(claims)]);
}

describe('Arbitration › a disputed batch has a way out', () => {
  it('closeDispute › a member that reveals a root it never opens is evicted and slashed after the open deadline; the honest root is proposed', async () => {
    const { batchId, claims } = await openBatch();
    const honestRoot = claimsRoot(claims);
    await revealRoots(batchId, [honestRoot, honestRoot, utf8Id('a root of nothing')]);
    expect(await statusOf(batchId)).toBe(BatchStatus.Disputed);
    // Nothing to challenge: the griefer has no leaf to show. Closing early finds nobody overdue.
    await honestOpen(batchId, claims);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'closeDispute', [batchId]))).toBe('NothingToClose');
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'openRoot', [batchId, addr[2], leavesOf(claims)]))).toBe('BadProof');
    const stake = await stakeOf(addr[2]);
    await increaseTime(fx.provider, DISPUTE_WINDOW + 1);
    await sendTx(c.arbitration, fx.wallets[7], 'closeDispute', [batchId]);
    expect(await stateOf(batchId, addr[2])).toBe(MemberState.Evicted);
    expect(await stakeOf(addr[2])).toBe(stake - MISS_SLASH);
    expect(await stateOf(batchId, addr[0])).toBe(MemberState.Revealed);
    const b = await c.arbitration.batches(batchId);
    expect(Number(b.status)).toBe(BatchStatus.Proposed);
    expect(b.claimsRoot).toBe(honestRoot);
  });

  it('openRoot › a root that differs only in a padding leaf cannot be opened, and its member is evicted', async () => {
    const { batchId, parties, claims } = await openBatch();
    const honestRoot = claimsRoot(claims);
    // Leaves 0..2 are the honest ones; leaf 3, padding, is not zero.
    const padded = [...leavesOf(claims).map(hexToBytes), hexToBytes(utf8Id('not padding'))];
    const paddedRoot = bytesToHex(merkleRoot(padded));
    await revealRoots(batchId, [honestRoot, honestRoot, paddedRoot]);
    expect(await statusOf(batchId)).toBe(BatchStatus.Disputed);
    // Every real leaf agrees, so no challenge can be made at any case index…
    for (let i = 0; i < 3; i++) {
      const proofG = merkleProof(padded, i).map(bytesToHex);
      expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'accuse', [batchId, i, addr[0], evidence(parties[i], claims, i), addr[2], leavesOf(claims)[i], proofG]))).toBe('NoDisagreement');
    }
    // …and the griefer's root cannot be opened, with the batch's leaves or with four.
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'openRoot', [batchId, addr[2], leavesOf(claims)]))).toBe('BadProof');
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'openRoot', [batchId, addr[2], padded.map(bytesToHex)]))).toBe('BadProof');
    await honestOpen(batchId, claims);
    await increaseTime(fx.provider, DISPUTE_WINDOW + 1);
    await sendTx(c.arbitration, fx.wallets[7], 'closeDispute', [batchId]);
    expect(await stateOf(batchId, addr[2])).toBe(MemberState.Evicted);
    expect((await c.arbitration.batches(batchId)).claimsRoot).toBe(honestRoot);
  });

  it('accuse › an opened leaf with no claim behind it: the accused cannot answer and is evicted, the accuser rewarded', async () => {
    const { batchId, parties, claims } = await openBatch();
    const honestRoot = claimsRoot(claims);
    const forged = leavesOf(claims);
    forged[1] = utf8Id('a leaf of nothing');
    const forgedBytes = forged.map(hexToBytes);
    await revealRoots(batchId, [honestRoot, honestRoot, bytesToHex(merkleRoot(forgedBytes))]);
    await honestOpen(batchId, claims);
    const from = await fx.provider.getBlockNumber();
    await sendTx(c.arbitration, fx.wallets[7], 'openRoot', [batchId, addr[2], forged]);
    // The accuser reads the opened leaves from RootOpened and finds where they differ.
    const opened = await c.arbitration.queryFilter(c.arbitration.filters.RootOpened(batchId, addr[2]), from + 1);
    const leaves = (opened[0] as unknown as { args: { leaves: string[] } }).args.leaves;
    const index = leaves.findIndex((l, i) => l !== claimLeaf(claims[i]));
    expect(index).toBe(1);
    const accuse = (accuser: number) =>
      sendTx(c.arbitration, fx.wallets[7], 'accuse', [batchId, index, addr[accuser], evidence(parties[index], claims, index), addr[2], leaves[index], merkleProof(forgedBytes, index).map(bytesToHex)]);
    // An accusation where the leaves agree is refused.
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'accuse', [batchId, 0, addr[0], evidence(parties[0], claims, 0), addr[2], leaves[0], merkleProof(forgedBytes, 0).map(bytesToHex)]))).toBe('NoDisagreement');
    await accuse(0);
    expect(await revertName(accuse(1))).toBe('AlreadyAccused');
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'closeDispute', [batchId]))).toBe('NothingToClose');
    const stake = await stakeOf(addr[2]);
    const credit: bigint = await c.staking.credit(addr[0]);
    await increaseTime(fx.provider, DISPUTE_WINDOW + 1);
    await sendTx(c.arbitration, fx.wallets[7], 'closeDispute', [batchId]);
    expect(await stateOf(batchId, addr[2])).toBe(MemberState.Evicted);
    expect(await stakeOf(addr[2])).toBe(stake - MISS_SLASH);
    expect(await c.staking.credit(addr[0])).toBe(credit + MISS_SLASH / 2n);
    expect((await c.arbitration.accusations(batchId, addr[2])).accuser).toBe(ZeroAddress);
    expect((await c.arbitration.batches(batchId)).claimsRoot).toBe(honestRoot);
  });

  it('answer › an accused member with a real differing claim plays the accuser in the game, and the honest side wins', async () => {
    const { batchId, parties, claims } = await openBatch();
    const honestRoot = claimsRoot(claims);
    const input = testInput(9000 + seq); // the third case's input
    const liar = partyTrace(claims[2].caseId, claims[2].s0, faultyTrace(input, 7));
    const liarClaims = [claims[0], claims[1], liar.claim];
    await revealRoots(batchId, [honestRoot, honestRoot, claimsRoot(liarClaims)]);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'answer', [batchId, addr[2], evidence(liar, liarClaims, 2)]))).toBe('NotAccused');
    await sendTx(c.arbitration, fx.wallets[7], 'accuse', [batchId, 2, addr[0], evidence(parties[2], claims, 2), addr[2], claimLeaf(liar.claim), claimProof(liarClaims, 2)]);
    const r: TransactionReceipt = await sendTx(c.arbitration, nodes[2], 'answer', [batchId, addr[2], evidence(liar, liarClaims, 2)]);
    const iface = new Interface(c.arbitration.interface.fragments);
    const challenged = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!;
    expect(challenged.args.defender).toBe(addr[0]);
    expect(challenged.args.challenger).toBe(addr[2]);
    const H = { node: nodes[0], party: parties[2] };
    const L = { node: nodes[2], party: liar };
    const run = await playGame(c, challenged.args.gameId as bigint, H, L, H, r.gasUsed);
    expect(run.leafIndex).toBe(7); // the liar's fault
    expect(run.outcome).toBe(GameOutcome.DefenderWins);
    expect(await stateOf(batchId, addr[2])).toBe(MemberState.Evicted);
    const b = await c.arbitration.batches(batchId);
    expect(Number(b.status)).toBe(BatchStatus.Proposed);
    expect(b.claimsRoot).toBe(honestRoot);
  });

  it('answer › while the accuser plays another game an answer only extends the deadline; closing waits for the game', async () => {
    const { batchId, parties, claims } = await openBatch();
    const honestRoot = claimsRoot(claims);
    const input = testInput(9000 + seq); // the third case's input
    const liarA = partyTrace(claims[2].caseId, claims[2].s0, faultyTrace(input, 5));
    const liarB = partyTrace(claims[2].caseId, claims[2].s0, faultyTrace(input, 9));
    const claimsA = [claims[0], claims[1], liarA.claim];
    const claimsB = [claims[0], claims[1], liarB.claim];
    await revealRoots(batchId, [honestRoot, claimsRoot(claimsA), claimsRoot(claimsB)]);
    await sendTx(c.arbitration, fx.wallets[7], 'accuse', [batchId, 2, addr[0], evidence(parties[2], claims, 2), addr[2], claimLeaf(liarB.claim), claimProof(claimsB, 2)]);
    const deadline = (await c.arbitration.accusations(batchId, addr[2])).deadline;
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 2, addr[0], evidence(parties[2], claims, 2), addr[1], evidence(liarA, claimsA, 2)]);
    const iface = new Interface(c.arbitration.interface.fragments);
    const gameId = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
    await increaseTime(fx.provider, 10);
    await sendTx(c.arbitration, nodes[2], 'answer', [batchId, addr[2], evidence(liarB, claimsB, 2)]);
    expect((await c.arbitration.accusations(batchId, addr[2])).deadline).toBeGreaterThan(deadline);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'closeDispute', [batchId]))).toBe('GamesRunning');
    const H = { node: nodes[0], party: parties[2] };
    expect((await playGame(c, gameId, H, { node: nodes[1], party: liarA }, H, r.gasUsed)).outcome).toBe(GameOutcome.DefenderWins);
    expect(await statusOf(batchId)).toBe(BatchStatus.Disputed);
    // The accuser is free again: the answer now opens the game.
    const r2 = await sendTx(c.arbitration, nodes[2], 'answer', [batchId, addr[2], evidence(liarB, claimsB, 2)]);
    const game2 = r2.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
    expect((await playGame(c, game2, H, { node: nodes[2], party: liarB }, H, r2.gasUsed)).outcome).toBe(GameOutcome.DefenderWins);
    const b = await c.arbitration.batches(batchId);
    expect(Number(b.status)).toBe(BatchStatus.Proposed);
    expect(b.claimsRoot).toBe(honestRoot);
  });
});
