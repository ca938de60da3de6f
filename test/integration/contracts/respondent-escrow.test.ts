// Respondents' escrow accounts on anvil (issue 11 #3, issue 13 #6): anyone funds a respondent's
// account; a case the registrar opens without a deposit reserves its largest award from the
// account's free balance, or opens owed-but-not-escrowed when the free balance does not cover
// it; settlement pays the claimant from the reservation and releases the rest; the respondent
// withdraws only its free balance. And the attacks: withdrawing before settlement, re-entering
// withdraw(amount), a stranger opening cases to lock (or draw) a respondent's escrow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAddress, parseEther, id as utf8Id, type Contract, type NonceManager } from 'ethers';
import { caseIdOf, CaseStatus, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { deployTestContract, increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, CLAIMANT_CLASSES, MODEL_ID, TEST_AWARDS, TEST_AWARD_MAX, TEST_AWARD_TABLE, claimTuple, commitReveal, partyTrace, sealBatch, sendTx, setupModel } from './arbiter-scenario.js';
import { honestTrace, testInput } from './test-model.js';

const WINDOW = 600;
const ARBITRATOR_WINDOW = 3600;
const MAX = TEST_AWARD_MAX;
const TABLE = TEST_AWARD_TABLE;
/** Case.funding on chain. */
const Funding = { Paid: 0, Reserved: 1, Owed: 2 } as const;

let fx: ChainFixture;
let c: ArbiterContracts;
let registrar: NonceManager;
let nodes: NonceManager[];
let seq = 0;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, appealCommitteeSize: 3, challengeWindow: WINDOW, maxBatch: 256, arbitratorWindow: ARBITRATOR_WINDOW } });
  c = fx.c!;
  registrar = fx.wallets[0];
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  await setupModel(c, fx.wallets[4], nodes);
});
afterAll(async () => fx?.stop());

const claimantWins = (output: bigint) => ((CLAIMANT_CLASSES >> output) & 1n) === 1n;
const awardFor = (output: bigint) => (claimantWins(output) ? TEST_AWARDS[Number(output)] ?? 0n : 0n);
const balance = (a: string) => fx.provider.getBalance(a);
const account = async (a: string) => ({ balance: (await c.escrow.balanceOf(a)) as bigint, reserved: (await c.escrow.reservedOf(a)) as bigint, free: (await c.escrow.freeOf(a)) as bigint });
const escrowBalanced = async () => {
  const addr = await c.escrow.getAddress();
  expect(await balance(addr)).toBe(await c.escrow.owed());
  expect(await c.escrow.owed()).toBe(((await c.escrow.totalHeld()) as bigint) + ((await c.escrow.totalCredit()) as bigint) + ((await c.escrow.totalAccounts()) as bigint));
};

async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    if (!data) return undefined;
    for (const x of [c.arbitration, c.escrow]) {
      try {
        const parsed = x.interface.parseError(data);
        if (parsed) return parsed.name;
      } catch {
        /* another contract's error */
      }
    }
    return undefined;
  }
  throw new Error('expected a revert');
}

/** Opens one case against `respondent` as `opener` (the registrar by default) with `value`
 *  (the fee alone by default: the deposit comes from the respondent's account). */
async function open(respondent: string, claimant: string, opts: { opener?: NonceManager; value?: bigint; seed?: number } = {}) {
  const opener = opts.opener ?? registrar;
  const ref = utf8Id(`escrow-case-${++seq}`);
  const caseId = caseIdOf(await opener.getAddress(), ref);
  const input = testInput(opts.seed ?? 2000 + seq);
  const s0 = bytesToHex(stateHash(0, input));
  const receipt = await sendTx(c.arbitration, opener, 'openCase', [ref, MODEL_ID, s0, claimant, respondent, TABLE], opts.value ?? CASE_FEE);
  const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
  return { caseId, claim, receipt, batchId: (await c.arbitration.cases(caseId)).batchId as bigint };
}

const eventsOf = (receipt: { logs: readonly unknown[] }, name: string) =>
  receipt.logs
    .map((l) => {
      try {
        return c.arbitration.interface.parseLog(l as Parameters<typeof c.arbitration.interface.parseLog>[0]);
      } catch {
        return null;
      }
    })
    .filter((p) => p?.name === name);

/** Seals, commits and reveals `claims` honestly, waits out the window and settles the batch. */
async function decide(batchId: bigint, claims: Claim[]) {
  await sealBatch(c, registrar, batchId);
  await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
  await increaseTime(fx.provider, WINDOW + 1);
  return sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), claims.map(() => TABLE)]);
}

/** Seeds whose honest output is a claimant class (the award is owed) and a respondent class. */
function seedWhere(wins: boolean): number {
  for (let s = 5000; s < 6000; s++) {
    const out = honestTrace(testInput(s)).at(-1)!.data[0];
    if (claimantWins(out) === wins && (!wins || awardFor(out) > 0n)) return s;
  }
  throw new Error('no such seed');
}

describe('ArbiterEscrow › respondent accounts', () => {
  it('depositFor › anyone funds a respondent; only the respondent withdraws, and only its free balance', async () => {
    const respondent = fx.wallets[6];
    const r = fx.addresses[6];
    const before = await account(r);
    // A stranger funds the respondent's account (e.g. a parent company, or the merchant's treasury).
    await sendTx(c.escrow, fx.wallets[8], 'depositFor', [r], parseEther('1'));
    expect((await account(r)).balance - before.balance).toBe(parseEther('1'));
    expect(await revertName(sendTx(c.escrow, fx.wallets[8], 'depositFor', [r], 0n))).toBe('InsufficientPayment');
    // The funder cannot take it back: withdraw(amount) reads the caller's own account.
    expect(await revertName(sendTx(c.escrow, fx.wallets[8], 'withdraw(uint256)', [parseEther('1')]))).toBe('InsufficientFree');
    expect(await revertName(sendTx(c.escrow, respondent, 'withdraw(uint256)', [0n]))).toBe('InsufficientFree');
    const free = (await account(r)).free;
    expect(await revertName(sendTx(c.escrow, respondent, 'withdraw(uint256)', [free + 1n]))).toBe('InsufficientFree');
    await sendTx(c.escrow, respondent, 'withdraw(uint256)', [parseEther('0.25')]);
    expect((await account(r)).balance).toBe(before.balance + parseEther('0.75'));
    await escrowBalanced();
  });
});

describe('Arbitration › cases reserve from the respondent\'s escrow', () => {
  it('openCase › a funded respondent: the largest award is reserved, the claimant is paid from it and the rest released', async () => {
    const respondent = fx.wallets[6];
    const r = fx.addresses[6];
    await sendTx(c.escrow, respondent, 'depositFor', [r], parseEther('0.05'));
    const start = await account(r);
    const claimant = utf8Id('escrow-claimant-1').slice(0, 42);
    const won = await open(r, claimant, { seed: seedWhere(true) });
    const lost = await open(r, utf8Id('escrow-claimant-2').slice(0, 42), { seed: seedWhere(false) });
    const [ev] = eventsOf(won.receipt, 'DepositReserved');
    expect([ev!.args.respondent, ev!.args.amount, ev!.args.escrowed]).toEqual([r, MAX, true]);
    const cs = await c.arbitration.cases(won.caseId);
    expect(Number(cs.funding)).toBe(Funding.Reserved);
    expect(cs.amount).toBe(MAX);
    const mid = await account(r);
    expect(mid.reserved - start.reserved).toBe(2n * MAX);
    expect(mid.balance).toBe(start.balance);
    // Attack: withdrawing before settlement. The reservation is never free.
    expect(await revertName(sendTx(c.escrow, respondent, 'withdraw(uint256)', [mid.free + 1n]))).toBe('InsufficientFree');
    expect(await revertName(sendTx(c.escrow, respondent, 'withdraw(uint256)', [mid.balance]))).toBe('InsufficientFree');
    const respondentWallet = await balance(r);
    const settled = await decide(won.batchId, [won.claim, lost.claim]);
    const award = awardFor(won.claim.output);
    expect(award).toBeGreaterThan(0n);
    expect(await balance(claimant)).toBe(award);
    const end = await account(r);
    expect(end.reserved).toBe(start.reserved);
    expect(end.balance).toBe(start.balance - award);
    // Nothing is sent to the respondent's wallet: the rest stays, free, in its account.
    expect(await balance(r)).toBe(respondentWallet);
    expect(eventsOf(settled, 'AwardOwed')).toHaveLength(0);
    for (const id of [won.caseId, lost.caseId]) expect(Number((await c.arbitration.cases(id)).status)).toBe(CaseStatus.Settled);
    await sendTx(c.escrow, respondent, 'withdraw(uint256)', [end.free]);
    expect((await account(r)).balance).toBe(0n);
    await escrowBalanced();
  });

  it('openCase › an unfunded respondent: the case opens owed-but-not-escrowed, is decided, and its award is owed, not paid', async () => {
    const r = fx.addresses[7];
    expect((await account(r)).balance).toBe(0n);
    const claimant = getAddress(utf8Id('owed-claimant').slice(0, 42));
    const owed = await open(r, claimant, { seed: seedWhere(true) });
    const [ev] = eventsOf(owed.receipt, 'DepositReserved');
    expect([ev!.args.respondent, ev!.args.amount, ev!.args.escrowed]).toEqual([r, MAX, false]);
    expect(Number((await c.arbitration.cases(owed.caseId)).funding)).toBe(Funding.Owed);
    expect((await account(r)).reserved).toBe(0n);
    const escrowBefore = await balance(await c.escrow.getAddress());
    const settled = await decide(owed.batchId, [owed.claim]);
    const award = awardFor(owed.claim.output);
    const [resolved] = eventsOf(settled, 'Resolved');
    expect([resolved!.args.claimantWon, resolved!.args.award, resolved!.args.refund]).toEqual([true, award, 0n]);
    const [o] = eventsOf(settled, 'AwardOwed');
    expect([o!.args.caseId, o!.args.respondent, o!.args.claimant, o!.args.award]).toEqual([owed.caseId, r, claimant, award]);
    expect(await balance(claimant)).toBe(0n);
    expect(Number((await c.arbitration.cases(owed.caseId)).status)).toBe(CaseStatus.Settled);
    // Only the batch's fees left the escrow: no deposit was ever in it.
    expect(await balance(await c.escrow.getAddress())).toBe(escrowBefore);
    await escrowBalanced();
  });

  it('openCase › a free balance below the largest award does not half-reserve: the case is owed, the balance stays withdrawable', async () => {
    const respondent = fx.wallets[6];
    const r = fx.addresses[6];
    await sendTx(c.escrow, respondent, 'depositFor', [r], MAX - 1n);
    const one = await open(r, fx.addresses[8]);
    expect(Number((await c.arbitration.cases(one.caseId)).funding)).toBe(Funding.Owed);
    expect((await account(r)).reserved).toBe(0n);
    // Exactly enough: the next case reserves it all (no rounding: awards are whole wei).
    await sendTx(c.escrow, respondent, 'depositFor', [r], 1n);
    const two = await open(r, fx.addresses[8]);
    expect(Number((await c.arbitration.cases(two.caseId)).funding)).toBe(Funding.Reserved);
    expect(await account(r)).toEqual({ balance: MAX, reserved: MAX, free: 0n });
    const three = await open(r, fx.addresses[8]);
    expect(Number((await c.arbitration.cases(three.caseId)).funding)).toBe(Funding.Owed);
    await decide(one.batchId, [one.claim, two.claim, three.claim]);
    expect((await account(r)).reserved).toBe(0n);
    const left = (await account(r)).balance;
    if (left > 0n) await sendTx(c.escrow, respondent, 'withdraw(uint256)', [left]);
    await escrowBalanced();
  });

  it('openCase › attack: a stranger cannot reserve (lock) or draw a respondent\'s escrow by opening cases against it', async () => {
    const respondent = fx.wallets[6];
    const r = fx.addresses[6];
    await sendTx(c.escrow, respondent, 'depositFor', [r], parseEther('0.1'));
    const before = await account(r);
    // A fee-only case from anyone but the registrar needs a deposit it did not send.
    expect(await revertName(open(r, fx.addresses[5], { opener: fx.wallets[5] }))).toBe('DepositBelowAward');
    // Nor may the registrar send part of a deposit and have the account cover the rest.
    expect(await revertName(open(r, fx.addresses[5], { value: CASE_FEE + 1n }))).toBe('DepositBelowAward');
    expect(await account(r)).toEqual(before);
    // Only the arbitration contract moves reservations.
    expect(await revertName(sendTx(c.escrow, fx.wallets[5], 'reserve', [r, 1n]))).toBe('Unauthorized');
    expect(await revertName(sendTx(c.escrow, fx.wallets[5], 'release', [r, 0n, utf8Id('pot'), 0n]))).toBe('Unauthorized');
    // A stranger paying the deposit itself opens a case as before: the respondent's account is untouched.
    const paid = await open(r, fx.addresses[5], { opener: fx.wallets[5], value: CASE_FEE + MAX });
    expect(Number((await c.arbitration.cases(paid.caseId)).funding)).toBe(Funding.Paid);
    expect(await account(r)).toEqual(before);
    await decide(paid.batchId, [paid.claim]);
    await sendTx(c.escrow, respondent, 'withdraw(uint256)', [(await account(r)).free]);
    await escrowBalanced();
  });

  it('refuseCase › a level-2 appeal nobody rules on releases the reservation', async () => {
    const respondent = fx.wallets[6];
    const r = fx.addresses[6];
    await sendTx(c.escrow, respondent, 'depositFor', [r], MAX);
    const kase = await open(r, fx.addresses[8]);
    await sealBatch(c, registrar, kase.batchId);
    await commitReveal(c, kase.batchId, nodes.map((node) => ({ node, claims: [kase.claim] })));
    await sendTx(c.arbitration, fx.wallets[8], 'appealCase', [kase.caseId], parseEther('0.05'));
    const re = (await c.arbitration.cases(kase.caseId)).batchId as bigint;
    await sealBatch(c, registrar, re);
    await commitReveal(c, re, nodes.map((node) => ({ node, claims: [kase.claim] })));
    await sendTx(c.arbitration, fx.wallets[8], 'appealCase', [kase.caseId], parseEther('0.2'));
    expect((await account(r)).reserved).toBe(MAX);
    expect(await revertName(sendTx(c.escrow, respondent, 'withdraw(uint256)', [1n]))).toBe('InsufficientFree');
    await increaseTime(fx.provider, ARBITRATOR_WINDOW + 1);
    const wallet = await balance(r);
    await sendTx(c.arbitration, fx.wallets[7], 'refuseCase', [kase.caseId]);
    expect(await account(r)).toEqual({ balance: MAX, reserved: 0n, free: MAX });
    expect(await balance(r)).toBe(wallet);
    await sendTx(c.escrow, respondent, 'withdraw(uint256)', [MAX]);
    await escrowBalanced();
  });

  it('withdraw(amount) › attack: a respondent contract re-entering withdraw(amount) from its receive hook gets its money once', async () => {
    const attacker: Contract = await deployTestContract('ReentrantReceiver', fx.wallets[0]);
    const a = await attacker.getAddress();
    await sendTx(attacker, fx.wallets[0], 'configure', [await c.escrow.getAddress(), false]);
    await sendTx(attacker, fx.wallets[0], 'setReenterAmount', [parseEther('0.01')]);
    await sendTx(c.escrow, fx.wallets[8], 'depositFor', [a], parseEther('0.03'));
    await sendTx(attacker, fx.wallets[0], 'withdrawAccount', [await c.escrow.getAddress(), parseEther('0.01')]);
    expect(await attacker.attempts()).toBe(1n);
    expect(await attacker.reentered()).toBe(false);
    expect(await balance(a)).toBe(parseEther('0.01'));
    expect(await account(a)).toEqual({ balance: parseEther('0.02'), reserved: 0n, free: parseEther('0.02') });
    // As a claimant paid from a reservation, the same contract cannot re-enter either.
    const r = fx.addresses[6];
    await sendTx(c.escrow, fx.wallets[6], 'depositFor', [r], MAX);
    const kase = await open(r, a, { seed: seedWhere(true) });
    await decide(kase.batchId, [kase.claim]);
    expect(await attacker.reentered()).toBe(false);
    const award = awardFor(kase.claim.output);
    // Paid by push (or left as credit when the 30k-gas push failed): never twice.
    expect((await balance(a)) + ((await c.escrow.credit(a)) as bigint)).toBe(parseEther('0.01') + award);
    expect((await account(a)).balance).toBe(parseEther('0.02'));
    await sendTx(c.escrow, fx.wallets[6], 'withdraw(uint256)', [(await account(r)).free]);
    await escrowBalanced();
  });
});
