// Cases through the batched committee path on anvil: open → seal → commit/reveal (one root per
// member for the whole batch) → proposed → final → paid; appeals (level 1: a fresh committee,
// level 2: a registered arbitrator only); ERC-792 disputes ruled on the arbitrable; a payee that
// re-enters or refuses cannot break the escrow. Payouts follow the award table committed at
// opening: award[class] to the claimant, the rest of the deposit to the respondent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaxUint256, ZeroHash, parseEther, id as utf8Id, type Contract, type NonceManager } from 'ethers';
import { claimProof, claimsRoot } from '../../../server/chain/batch-claims.js';
import { awardOf, awardsCommitment, buildAwardTable, encodeAwardTable } from '../../../server/chain/awards.js';
import type { ModelCard } from '../../../server/models/card.js';
import { readFileSync } from 'node:fs';
import { BatchStatus, CaseStatus, DisputeState, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { deployTestContract, increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, CLAIMANT_CLASSES, MODEL_ID, TEST_AWARDS, TEST_AWARD_MAX, TEST_AWARD_TABLE, claimTuple, commitReveal, governed, partyTrace, sealBatch, sendTx, setupModel } from './arbiter-scenario.js';
import { honestTrace, testInput } from './test-model.js';
import { PROTOCOL_BPS, splitFee } from '../../../server/market/split.js';

const WINDOW = 600;
/** A dispute id as the bytes32 reference the front opens its case under. */
const ethers32 = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}`;
/** The deposit of every case: the largest award of TEST_AWARDS. */
const AWARD = TEST_AWARD_MAX;
const TABLE = TEST_AWARD_TABLE;
let fx: ChainFixture;
let c: ArbiterContracts;
let registrar: NonceManager;
let nodes: NonceManager[];
let seq = 0;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, appealCommitteeSize: 3, challengeWindow: WINDOW, maxBatch: 256 } });
  c = fx.c!;
  registrar = fx.wallets[0];
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  await setupModel(c, fx.wallets[4], nodes);
  // The ERC-792 default model: the registry entry the registrar checked, with its creator.
  await governed(c, registrar, c.front, 'setDefaultModel', [MODEL_ID, fx.addresses[4]]);
});
afterAll(async () => fx?.stop());

const claimantWins = (output: bigint) => ((CLAIMANT_CLASSES >> output) & 1n) === 1n;
/** What the claimant is owed for `output` under TEST_AWARDS. */
const awardFor = (output: bigint) => (claimantWins(output) ? TEST_AWARDS[Number(output)] ?? 0n : 0n);
const tables = (claims: readonly Claim[], table = TABLE) => claims.map(() => table);
const balance = (a: string) => fx.provider.getBalance(a);

/** Opens `count` cases (claimant `claimant`, award table `table`, deposit `deposit`), seals their
 *  batch; returns the batch id and honest claims. */
async function openBatch(count: number, claimant: (i: number) => string, table = TABLE, deposit = AWARD) {
  const claims: Claim[] = [];
  let batchId = 0n;
  for (let i = 0; i < count; i++) {
    const caseRef = utf8Id(`arbitration-case-${++seq}`);
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const input = testInput(1000 + seq);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, claimant(i), fx.addresses[5], table], CASE_FEE + deposit);
    const cs = await c.arbitration.cases(caseId);
    expect(cs.awards).toBe(awardsCommitment(table));
    batchId = cs.batchId;
    expect(Number(cs.index)).toBe(i);
    claims.push(partyTrace(caseId, s0, honestTrace(input)).claim);
  }
  await sealBatch(c, registrar, batchId);
  return { batchId, claims };
}

/** The custom error a transaction reverts with, decoded from the Arbitration ABI. */
async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    return data ? c.arbitration.interface.parseError(data)?.name : undefined;
  }
  throw new Error('expected a revert');
}

const escrowBalanced = async () => expect(await balance(await c.escrow.getAddress())).toBe(await c.escrow.owed());

describe('Arbitration › the batched happy path', () => {
  it('settle › pays award[class] to each claimant and the rest of the deposit to the respondent once the window closes', async () => {
    const claimants = Array.from({ length: 12 }, (_, i) => utf8Id(`claimant-${i}`).slice(0, 42));
    const { batchId, claims } = await openBatch(12, (i) => claimants[i]);
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
    const b = await c.arbitration.batches(batchId);
    expect(Number(b.status)).toBe(BatchStatus.Proposed);
    expect(b.claimsRoot).toBe(claimsRoot(claims));
    await expect(sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims)])).rejects.toThrow();
    await increaseTime(fx.provider, WINDOW + 1);
    const respondentBefore = await balance(fx.addresses[5]);
    const creatorCredit: bigint = await c.escrow.credit(fx.addresses[4]);
    const treasury: string = await c.staking.treasury();
    const creditsOf = (as: string[]) => Promise.all(as.map(async (a) => (await c.escrow.credit(a)) as bigint));
    const memberAddrs = [fx.addresses[1], fx.addresses[2], fx.addresses[3]];
    const [treasuryBefore, ...membersBefore] = await creditsOf([treasury, ...memberAddrs]);
    const from = await fx.provider.getBlockNumber();
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims)]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Final);
    const resolved = await c.arbitration.queryFilter(c.arbitration.filters.Resolved(), from + 1);
    let refunds = 0n;
    for (const [i, cl] of claims.entries()) {
      const cs = await c.arbitration.cases(cl.caseId);
      expect(Number(cs.status)).toBe(CaseStatus.Settled);
      expect(cs.claimantWon).toBe(claimantWins(cl.output));
      const award = awardFor(cl.output);
      expect(await balance(claimants[i])).toBe(award);
      refunds += AWARD - award;
      const ev = resolved.find((e) => 'args' in e && e.args.caseId === cl.caseId) as unknown as { args: { award: bigint; refund: bigint } };
      expect([ev.args.award, ev.args.refund]).toEqual([award, AWARD - award]);
    }
    // Both kinds of class occur: a claimant class pays less than the deposit, a respondent class nothing.
    expect(claims.some((cl) => claimantWins(cl.output) && awardFor(cl.output) < AWARD)).toBe(true);
    expect(claims.some((cl) => !claimantWins(cl.output))).toBe(true);
    expect(await balance(fx.addresses[5])).toBe(respondentBefore + refunds);
    // Fees: 10 % royalty to the creator, PROTOCOL_BPS to the treasury, the rest shared by the
    // three members: exactly what server/market/split.ts computes.
    const pool = CASE_FEE * 12n;
    expect((await c.escrow.credit(fx.addresses[4])) - creatorCredit).toBe(pool / 10n);
    const split = splitFee(pool, 1000, 3);
    expect(BigInt(await c.arbitration.PROTOCOL_BPS())).toBe(PROTOCOL_BPS);
    const [treasuryAfter, ...membersAfter] = await creditsOf([treasury, ...memberAddrs]);
    expect(treasuryAfter - treasuryBefore).toBe(split.protocol);
    expect(membersAfter.map((a, i) => a - membersBefore[i])).toEqual([split.perNode, split.perNode, split.perNode]);
    expect(split.royalty + split.nodes + split.protocol).toBe(pool);
    await escrowBalanced();
  });

  it('reveal › reverts when it does not open the commitment', async () => {
    const { batchId, claims } = await openBatch(1, () => fx.addresses[6]);
    const root = claimsRoot(claims);
    const { batchCommitment } = await import('../../../server/chain/batch-claims.js');
    await sendTx(c.arbitration, nodes[0], 'commit', [batchId, batchCommitment(batchId, root, utf8Id('s'), fx.addresses[1])]);
    await increaseTime(fx.provider, 601);
    await expect(sendTx(c.arbitration, nodes[0], 'reveal', [batchId, root, utf8Id('other salt')])).rejects.toThrow();
    await sendTx(c.arbitration, nodes[0], 'reveal', [batchId, root, utf8Id('s')]);
    // The two silent members are slashed at the deadline; the one reveal stands.
    await increaseTime(fx.provider, 601);
    await sendTx(c.arbitration, fx.wallets[7], 'closeReveals', [batchId]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
  });

  it('claimAward › an award without a claimant wallet waits, then goes to the named address', async () => {
    // Find an input whose class makes the claimant win.
    const { batchId, claims } = await openBatch(6, () => '0x0000000000000000000000000000000000000000');
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
    await increaseTime(fx.provider, WINDOW + 1);
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims)]);
    const won = claims.find((cl) => claimantWins(cl.output));
    expect(won, 'at least one claimant win among six cases').toBeDefined();
    const payee = utf8Id('late payee').slice(0, 42);
    await expect(sendTx(c.arbitration, fx.wallets[7], 'claimAward', [won!.caseId, payee])).rejects.toThrow();
    // The registrar relays the payee only through the governance timelock (issue 8 #11).
    await expect(sendTx(c.arbitration, registrar, 'claimAward', [won!.caseId, payee])).rejects.toThrow();
    await governed(c, registrar, c.arbitration, 'claimAward', [won!.caseId, payee]);
    expect(await balance(payee)).toBe(awardFor(won!.output));
    await escrowBalanced();
  });
});

describe('Arbitration › case ids are the opener\'s', () => {
  it('openCase › an attacker opening first under the same reference gets its own case id, not the victim\'s', async () => {
    const ref = utf8Id(`front-run-${++seq}`);
    const s0 = bytesToHex(stateHash(0, testInput(7070)));
    const attacker = fx.wallets[7];
    await sendTx(c.arbitration, attacker, 'openCase', [ref, MODEL_ID, s0, fx.addresses[7], fx.addresses[7], '0x'], CASE_FEE);
    const attackerCase = await c.arbitration.caseIdOf(fx.addresses[7], ref);
    expect(attackerCase).toBe(caseIdOf(fx.addresses[7], ref));
    // The victim's filing under the same reference still opens, under its own id.
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
    const victim = await c.arbitration.cases(caseIdOf(fx.addresses[5], ref));
    expect(Number(victim.status)).toBe(CaseStatus.Open);
    expect(victim.respondent).toBe(fx.addresses[5]);
    expect((await c.arbitration.cases(attackerCase)).respondent).toBe(fx.addresses[7]);
    // Only its own opener can collide with itself.
    expect(await revertName(sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE))).toBe('CaseExists');
    await sealBatch(c, registrar, victim.batchId);
  });

  it('createDispute › a case opened under the next dispute\'s id does not block ERC-792 disputes', async () => {
    const next: bigint = await c.front.disputeCount();
    const frontAddress = await c.front.getAddress();
    const s0 = bytesToHex(stateHash(0, testInput(7171)));
    // The attack of issue 8 #3: take the case id the next dispute would use. Opening under that
    // reference only makes a case in the attacker's own namespace.
    const ref = ethers32(next);
    await sendTx(c.arbitration, fx.wallets[7], 'openCase', [ref, MODEL_ID, s0, fx.addresses[7], fx.addresses[7], '0x'], CASE_FEE);
    const arbitrable: Contract = await deployTestContract('MockArbitrable', fx.wallets[0], [frontAddress]);
    await sendTx(arbitrable, fx.wallets[0], 'open', [MODEL_ID], CASE_FEE);
    expect(await c.front.disputeCount()).toBe(next + 1n);
    await sendTx(c.front, registrar, 'bindInput', [next, s0]);
    const caseId: string = await c.front.disputeCase(next);
    expect(caseId).toBe(caseIdOf(frontAddress, ethers32(next)));
    const cs = await c.arbitration.cases(caseId);
    expect(Number(cs.status)).toBe(CaseStatus.Open);
    expect(cs.respondent).toBe(frontAddress);
    expect(Number((await c.front.disputes(next)).state)).toBe(DisputeState.Bound);
    await sealBatch(c, registrar, cs.batchId);
  });
});

describe('Arbitration › award tables', () => {
  it('awardsCommitment / awardOf › the contract reads a table built from a card as server/chain/awards.ts does', async () => {
    const eu = JSON.parse(readFileSync(new URL('../../../arbitration-models/eu261/card.json', import.meta.url), 'utf8')) as ModelCard;
    const t = buildAwardTable(eu, { weiPerUnit: { EUR: parseEther('0.0004') } });
    expect(await c.arbitration.awardsCommitment(t.table)).toBe(t.commitment);
    expect(await c.arbitration.awardsCommitment('0x')).toBe(ZeroHash);
    for (const k of [0, 3, 5, 11, 49, 50, 64]) expect(await c.arbitration.awardOf(t.table, k)).toBe(awardOf(t.table, k));
  });

  it('openCase › reverts when the deposit is below the largest award, or the table is malformed', async () => {
    const input = testInput(3131);
    const s0 = bytesToHex(stateHash(0, input));
    const open = (id: string, table: string, value: bigint) =>
      sendTx(c.arbitration, fx.wallets[5], 'openCase', [utf8Id(id), MODEL_ID, s0, fx.addresses[6], fx.addresses[5], table], value);
    expect(await revertName(open('short deposit', TABLE, CASE_FEE + AWARD - 1n))).toBe('DepositBelowAward');
    expect(await revertName(open('ragged table', `${TABLE}00`, CASE_FEE + AWARD))).toBe('BadAwardTable');
    // A deposit above the largest award is fine (the rest returns to the respondent).
    await open('ample deposit', TABLE, CASE_FEE + AWARD + 1n);
    const ample = await c.arbitration.cases(caseIdOf(fx.addresses[5], utf8Id('ample deposit')));
    expect(ample.amount).toBe(AWARD + 1n);
    await sealBatch(c, registrar, ample.batchId); // later tests start their own batches
  });

  it('settleOne › a table that does not match the commitment reverts; the committed one pays award[class]', async () => {
    // Find a case of a claimant class whose award is below the deposit.
    for (;;) {
      const claimant = utf8Id(`settle-one-${seq}`).slice(0, 42);
      const { batchId, claims } = await openBatch(1, () => claimant);
      await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
      await increaseTime(fx.provider, WINDOW + 1);
      const cl = claims[0];
      const proof = claimProof(claims, 0);
      const inflated = encodeAwardTable(TEST_AWARDS.map((a) => (a > 0n ? AWARD : 0n)));
      expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'settleOne', [cl.caseId, claimTuple(cl), proof, inflated]))).toBe('AwardsMismatch');
      expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'settleOne', [cl.caseId, claimTuple(cl), proof, '0x']))).toBe('AwardsMismatch');
      const respondentBefore = await balance(fx.addresses[5]);
      await sendTx(c.arbitration, fx.wallets[7], 'settleOne', [cl.caseId, claimTuple(cl), proof, TABLE]);
      expect(await balance(claimant)).toBe(awardFor(cl.output));
      expect(await balance(fx.addresses[5])).toBe(respondentBefore + AWARD - awardFor(cl.output));
      expect((await c.arbitration.cases(cl.caseId)).awards).toBe(ZeroHash); // cleared once settled
      expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'settleOne', [cl.caseId, claimTuple(cl), proof, TABLE]))).toBe('WrongCaseStatus');
      await escrowBalanced();
      if (claimantWins(cl.output)) {
        expect(awardFor(cl.output)).toBeLessThan(AWARD);
        return;
      }
    }
  });

  it('settle › a respondent class pays the claimant nothing and refunds the whole deposit, whatever the table says', async () => {
    // A table that (wrongly) gives every class an award: respondent classes still pay 0.
    const everyone = encodeAwardTable(Array.from({ length: 8 }, () => parseEther('0.002')));
    const claimants = Array.from({ length: 4 }, (_, i) => utf8Id(`table-claimant-${seq}-${i}`).slice(0, 42));
    const { batchId, claims } = await openBatch(4, (i) => claimants[i], everyone, parseEther('0.003'));
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
    await increaseTime(fx.provider, WINDOW + 1);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims)]))).toBe('AwardsMismatch');
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims, everyone).slice(1)]))).toBe('BadAwardTable');
    const respondentBefore = await balance(fx.addresses[5]);
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims, everyone)]);
    let refunds = 0n;
    for (const [i, cl] of claims.entries()) {
      const paid = claimantWins(cl.output) ? parseEther('0.002') : 0n;
      expect(await balance(claimants[i])).toBe(paid);
      refunds += parseEther('0.003') - paid;
    }
    expect(claims.some((cl) => !claimantWins(cl.output))).toBe(true);
    expect(await balance(fx.addresses[5])).toBe(respondentBefore + refunds);
    await escrowBalanced();
  });
});

describe('Arbitration › silent committees', () => {
  it('redraw › a batch nobody revealed fails, its silent members are slashed, and a new committee is drawn', async () => {
    const { batchId } = await openBatch(1, () => fx.addresses[6]);
    const stakes = await Promise.all(fx.addresses.slice(1, 4).map(async (a) => (await c.staking.nodes(a)).stake as bigint));
    await expect(sendTx(c.arbitration, fx.wallets[7], 'closeReveals', [batchId])).rejects.toThrow();
    await increaseTime(fx.provider, 1201);
    await sendTx(c.arbitration, fx.wallets[7], 'closeReveals', [batchId]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Failed);
    for (const [i, a] of fx.addresses.slice(1, 4).entries()) expect((await c.staking.nodes(a)).stake).toBe(stakes[i] - parseEther('0.5')); // the default missSlash
    await sendTx(c.arbitration, fx.wallets[7], 'redraw', [batchId]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Sealed);
    await sealBatch(c, fx.wallets[7], batchId); // the draw, once the seed block is mined
    const b = await c.arbitration.batches(batchId);
    expect(Number(b.status)).toBe(BatchStatus.Executing);
    expect((await c.arbitration.committeeOf(batchId)).length).toBe(3);
  });
});

describe('Arbitration › appeals', () => {
  it('appealCase › level 1 re-runs the case with a fresh committee; level 2 only a registered arbitrator rules', async () => {
    const claimant = fx.wallets[8];
    const { batchId, claims } = await openBatch(2, () => fx.addresses[8]);
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
    const caseId = claims[0].caseId;
    await expect(sendTx(c.arbitration, fx.wallets[7], 'appealCase', [caseId], parseEther('0.05'))).rejects.toThrow();
    await sendTx(c.arbitration, claimant, 'appealCase', [caseId], parseEther('0.05'));
    const cs = await c.arbitration.cases(caseId);
    expect(cs.batchId).not.toBe(batchId);
    expect(Number(cs.appealLevel)).toBe(1);
    // The re-run batch holds just this case; its committee is drawn from a block after the appeal.
    expect(Number((await c.arbitration.batches(cs.batchId)).status)).toBe(BatchStatus.Sealed);
    await sealBatch(c, fx.wallets[7], cs.batchId);
    await commitReveal(c, cs.batchId, nodes.map((node) => ({ node, claims: [claims[0]] })));
    expect(Number((await c.arbitration.batches(cs.batchId)).status)).toBe(BatchStatus.Proposed);
    // The re-execution is compared with the first result before either batch may finalize (issue
    // 8 #6, appeal-accountability.test.ts): the same result upholds the first committee.
    await sendTx(c.arbitration, fx.wallets[7], 'compareAppeal', [caseId, [claimTuple(claims[0]), claimProof(claims, 0), []], [claimTuple(claims[0]), claimProof([claims[0]], 0), []]]);
    expect((await c.arbitration.appeals(caseId)).pending).toBe(false);
    await sendTx(c.arbitration, claimant, 'appealCase', [caseId], parseEther('0.2'));
    expect(Number((await c.arbitration.cases(caseId)).status)).toBe(CaseStatus.AwaitingArbitrator);
    const arbitrator = fx.wallets[9];
    await expect(sendTx(c.arbitration, arbitrator, 'arbitratorRule', [caseId, 1n, utf8Id('reason'), TABLE])).rejects.toThrow(/NotArbitrator|revert/);
    await governed(c, registrar, c.arbitration, 'setArbitrator', [fx.addresses[9], true]);
    expect(await revertName(sendTx(c.arbitration, arbitrator, 'arbitratorRule', [caseId, 1n, utf8Id('reason'), '0x']))).toBe('AwardsMismatch');
    const before = await balance(fx.addresses[8]);
    const respondentBefore = await balance(fx.addresses[5]);
    await sendTx(c.arbitration, arbitrator, 'arbitratorRule', [caseId, 1n, utf8Id('reason'), TABLE]);
    const settled = await c.arbitration.cases(caseId);
    expect(Number(settled.status)).toBe(CaseStatus.Settled);
    expect(settled.claimantWon).toBe(true);
    // Class 1 awards 0.004 of the 0.01 deposit; the respondent gets the rest back.
    expect(await balance(fx.addresses[8])).toBe(before + TEST_AWARDS[1]);
    expect(await balance(fx.addresses[5])).toBe(respondentBefore + AWARD - TEST_AWARDS[1]);
    expect(await c.escrow.credit(fx.addresses[9])).toBe(parseEther('0.2'));
    // The other case of the original batch still settles from the original root.
    await increaseTime(fx.provider, WINDOW + 1);
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims)]);
    expect(Number((await c.arbitration.cases(claims[1].caseId)).status)).toBe(CaseStatus.Settled);
    await escrowBalanced();
  });
});

describe('Arbitration › ERC-792', () => {
  it('createDispute › the final verdict calls rule() on the arbitrable contract', async () => {
    const arbitrable: Contract = await deployTestContract('MockArbitrable', fx.wallets[0], [await c.front.getAddress()]);
    const extra = MODEL_ID;
    expect(await c.front.arbitrationCost(extra)).toBe(CASE_FEE);
    await sendTx(arbitrable, fx.wallets[0], 'open', [extra], CASE_FEE);
    const disputeId: bigint = (await c.front.disputeCount()) - 1n;
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(0);
    const caseId: string = await c.front.disputeCase(disputeId);
    const input = testInput(4242);
    const s0 = bytesToHex(stateHash(0, input));
    await expect(sendTx(c.front, fx.wallets[7], 'bindInput', [disputeId, s0])).rejects.toThrow();
    await sendTx(c.front, registrar, 'bindInput', [disputeId, s0]);
    const cs = await c.arbitration.cases(caseId);
    await sealBatch(c, registrar, cs.batchId);
    const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
    const from = await fx.provider.getBlockNumber();
    await commitReveal(c, cs.batchId, nodes.map((node) => ({ node, claims: [claim] })));
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(1); // Appealable
    const possible = await c.front.queryFilter(c.front.filters.AppealPossible(disputeId), from);
    expect(possible.length).toBe(1);
    await increaseTime(fx.provider, WINDOW + 1);
    // An ERC-792 dispute has no award table (the arbitrable moves its own money on the ruling).
    expect((await c.arbitration.cases(caseId)).awards).toBe(ZeroHash);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'settle', [cs.batchId, [claimTuple(claim)], [TABLE]]))).toBe('AwardsMismatch');
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [cs.batchId, [claimTuple(claim)], ['0x']]);
    const ruling = claimantWins(claim.output) ? 1n : 2n;
    expect(await arbitrable.ruled(disputeId)).toBe(true);
    expect(await arbitrable.rulings(disputeId)).toBe(ruling);
    expect(await c.front.currentRuling(disputeId)).toBe(ruling);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(2); // Solved
  });
});

describe('ArbitratorFront › the default model', () => {
  it('setDefaultModel › binds the default to the (creator, version) entry the registrar approved, never to a name registered first by someone else', async () => {
    // A squatter registers a version under the name the registrar means to approve.
    const squatter = fx.wallets[7];
    await sendTx(c.registry, squatter, 'register', ['squatted', '1.0.0', utf8Id('root'), utf8Id('onnx'), utf8Id('f'), 3, 1n, 0, [1n]]);
    const squatted: string = await c.registry.modelIdOf('squatted', '1.0.0');
    const refused = await governed(c, registrar, c.front, 'setDefaultModel', [squatted, fx.addresses[4]]).catch((e: { data?: string }) => e);
    expect(c.front.interface.parseError((refused as { data: string }).data)?.name).toBe('NotModelCreator');
    await expect(sendTx(c.front, squatter, 'setDefaultModel', [squatted, fx.addresses[7]])).rejects.toThrow(/Unauthorized|revert/);
    expect(await c.front.defaultModel()).toBe(MODEL_ID);
    expect(await c.front.arbitrationCost('0x')).toBe(CASE_FEE);
  });
});

describe('Arbitration › ERC-792 delivery', () => {
  it('retryRuling › a ruling the arbitrable refused is delivered later', async () => {
    const arbitrable: Contract = await deployTestContract('MockArbitrable', fx.wallets[0], [await c.front.getAddress()]);
    await sendTx(arbitrable, fx.wallets[0], 'setRefuse', [true]);
    await sendTx(arbitrable, fx.wallets[0], 'open', [MODEL_ID], CASE_FEE);
    const disputeId: bigint = (await c.front.disputeCount()) - 1n;
    const caseId: string = await c.front.disputeCase(disputeId);
    const input = testInput(6161);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.front, registrar, 'bindInput', [disputeId, s0]);
    const batchId = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, registrar, batchId);
    const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims: [claim] })));
    await increaseTime(fx.provider, WINDOW + 1);
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, [claimTuple(claim)], ['0x']]);
    expect(await arbitrable.ruled(disputeId)).toBe(false);
    expect(await c.front.rulingPending(disputeId)).toBe(true);
    await expect(sendTx(c.front, fx.wallets[7], 'retryRuling', [disputeId])).rejects.toThrow();
    await sendTx(arbitrable, fx.wallets[0], 'setRefuse', [false]);
    await sendTx(c.front, fx.wallets[7], 'retryRuling', [disputeId]);
    expect(await arbitrable.ruled(disputeId)).toBe(true);
    expect(await arbitrable.rulings(disputeId)).toBe(claimantWins(claim.output) ? 1n : 2n);
    expect(await c.front.rulingPending(disputeId)).toBe(false);
  });
});

describe('Arbitration › ERC-792 appeals', () => {
  it('appeal › the arbitrable appeals within the window; the dispute re-runs in a fresh batch', async () => {
    const arbitrable: Contract = await deployTestContract('MockArbitrable', fx.wallets[0], [await c.front.getAddress()]);
    await sendTx(arbitrable, fx.wallets[0], 'open', ['0x'], CASE_FEE); // empty extraData: the default model
    const disputeId: bigint = (await c.front.disputeCount()) - 1n;
    const caseId: string = await c.front.disputeCase(disputeId);
    const input = testInput(5151);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.front, registrar, 'bindInput', [disputeId, s0]);
    const first = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, registrar, first);
    const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
    await commitReveal(c, first, nodes.map((node) => ({ node, claims: [claim] })));
    const [start, end] = await c.front.appealPeriod(disputeId);
    expect(end - start).toBe(BigInt(WINDOW));
    const cost: bigint = await c.front.appealCost(disputeId, '0x');
    expect(cost).toBe(parseEther('0.05'));
    await expect(sendTx(c.front, fx.wallets[7], 'appeal', [disputeId, '0x'], cost)).rejects.toThrow();
    const from = await fx.provider.getBlockNumber();
    await sendTx(arbitrable, fx.wallets[0], 'appeal', [disputeId], cost);
    expect((await c.front.queryFilter(c.front.filters.AppealDecision(disputeId), from)).length).toBe(1);
    const moved = await c.arbitration.cases(caseId);
    expect(moved.batchId).not.toBe(first);
    expect(Number(moved.appealLevel)).toBe(1);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(0); // Waiting for the re-run
    // Level 2, the last: afterwards no window and no payable cost are quoted.
    await sealBatch(c, registrar, moved.batchId);
    await commitReveal(c, moved.batchId, nodes.map((node) => ({ node, claims: [claim] })));
    const last: bigint = await c.front.appealCost(disputeId, '0x');
    expect(last).toBe(parseEther('0.2'));
    await sendTx(arbitrable, fx.wallets[0], 'appeal', [disputeId], last + 1n); // the excess is refunded
    expect(Number((await c.arbitration.cases(caseId)).status)).toBe(CaseStatus.AwaitingArbitrator);
    expect(await c.front.appealCost(disputeId, '0x')).toBe(MaxUint256);
    expect(await c.front.appealPeriod(disputeId)).toEqual([0n, 0n]);
  });
});

describe('ArbiterEscrow › hostile payees', () => {
  /** Retries inputs until the claimant wins, so the payout goes to the hostile contract; returns the award. */
  async function settleOneFor(claimantAddress: string): Promise<bigint> {
    for (;;) {
      const { batchId, claims } = await openBatch(1, () => claimantAddress);
      await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
      await increaseTime(fx.provider, WINDOW + 1);
      await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), tables(claims)]);
      if (claimantWins(claims[0].output)) return awardFor(claims[0].output);
    }
  }

  it('pay › a receiver that re-enters withdraw() gets its award once and cannot re-enter', async () => {
    const evil: Contract = await deployTestContract('ReentrantReceiver', fx.wallets[0]);
    await sendTx(evil, fx.wallets[0], 'configure', [await c.escrow.getAddress(), false]);
    const award = await settleOneFor(await evil.getAddress());
    expect(award).toBeGreaterThan(0n);
    expect(await balance(await evil.getAddress())).toBe(award);
    expect(await evil.attempts()).toBe(1n);
    expect(await evil.reentered()).toBe(false);
    await escrowBalanced();
  });

  it('pay › a receiver that refuses payment leaves a withdrawable credit', async () => {
    const refuser: Contract = await deployTestContract('ReentrantReceiver', fx.wallets[0]);
    const escrowAddress = await c.escrow.getAddress();
    await sendTx(refuser, fx.wallets[0], 'configure', [escrowAddress, true]);
    const award = await settleOneFor(await refuser.getAddress());
    expect(await c.escrow.credit(await refuser.getAddress())).toBe(award);
    await escrowBalanced();
    await sendTx(refuser, fx.wallets[0], 'configure', [escrowAddress, false]);
    await sendTx(refuser, fx.wallets[0], 'withdrawFrom', [escrowAddress]);
    expect(await balance(await refuser.getAddress())).toBe(award);
    expect(await c.escrow.credit(await refuser.getAddress())).toBe(0n);
    await escrowBalanced();
  });
});
