// Issue 8 #9: no state without a way out. An ERC-792 dispute whose input is never bound, and a
// level-2 appeal no arbitrator takes, are refused after their deadline: ruling 0 for the
// arbitrable, fees and bonds back, the deposit to the respondent. Before the fix both locked the
// money for good (seen after a simulated year).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { id as utf8Id, parseEther, type Contract } from 'ethers';
import { CaseStatus, DisputeState, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { deployTestContract, increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, TEST_AWARD_MAX, TEST_AWARD_TABLE, commitReveal, governed, partyTrace, sealBatch, sendTx, setupModel } from './arbiter-scenario.js';
import { honestTrace, testInput } from './test-model.js';

const INPUT_WINDOW = 5000;
const ARBITRATOR_WINDOW = 7000;
const WINDOW = 600;
let fx: ChainFixture;
let c: ArbiterContracts;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, appealCommitteeSize: 3, challengeWindow: WINDOW, inputWindow: INPUT_WINDOW, arbitratorWindow: ARBITRATOR_WINDOW } });
  c = fx.c!;
  await setupModel(c, fx.wallets[4], [fx.wallets[1], fx.wallets[2], fx.wallets[3]]);
  await governed(c, fx.wallets[0], c.front, 'setDefaultModel', [MODEL_ID, fx.addresses[4]]);
});
afterAll(async () => fx?.stop());

const balance = (a: string) => fx.provider.getBalance(a);

describe('deadlines › states with a way out', () => {
  it('refuseUnbound › a dispute whose input is never bound is refused with ruling 0 and its fee refunded', async () => {
    const arbitrable: Contract = await deployTestContract('MockArbitrable', fx.wallets[0], [await c.front.getAddress()]);
    const at = await arbitrable.getAddress();
    await sendTx(arbitrable, fx.wallets[0], 'open', ['0x'], CASE_FEE);
    const disputeId: bigint = (await c.front.disputeCount()) - 1n;
    expect(await balance(at)).toBe(0n);
    await expect(sendTx(c.front, fx.wallets[7], 'refuseUnbound', [disputeId])).rejects.toThrow(/TooEarly|revert/);
    await increaseTime(fx.provider, INPUT_WINDOW + 1);
    await sendTx(c.front, fx.wallets[7], 'refuseUnbound', [disputeId]);
    expect(await arbitrable.ruled(disputeId)).toBe(true);
    expect(await arbitrable.rulings(disputeId)).toBe(0n);
    expect(await c.front.currentRuling(disputeId)).toBe(0n);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(2); // Solved
    expect(Number((await c.front.disputes(disputeId)).state)).toBe(DisputeState.Ruled);
    expect(await balance(at)).toBe(CASE_FEE);
    // Refused once; the input can no longer be bound.
    await expect(sendTx(c.front, fx.wallets[7], 'refuseUnbound', [disputeId])).rejects.toThrow();
    await expect(sendTx(c.front, fx.wallets[0], 'bindInput', [disputeId, utf8Id('late input')])).rejects.toThrow();
  });

  it('refuseCase › a level-2 appeal no arbitrator takes is refused: no award, bond to the appellant, deposit to the respondent', async () => {
    const ref = utf8Id('unruled');
    const caseId = caseIdOf(fx.addresses[5], ref);
    const input = testInput(8080);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[8], fx.addresses[5], TEST_AWARD_TABLE], CASE_FEE + TEST_AWARD_MAX);
    const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
    const nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
    let batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[0], batchId);
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims: [claim] })));
    await sendTx(c.arbitration, fx.wallets[8], 'appealCase', [caseId], parseEther('0.05'));
    batchId = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[0], batchId);
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims: [claim] })));
    await sendTx(c.arbitration, fx.wallets[8], 'appealCase', [caseId], parseEther('0.2'));
    expect(Number((await c.arbitration.cases(caseId)).status)).toBe(CaseStatus.AwaitingArbitrator);
    const referral = await c.arbitration.referrals(caseId);
    expect(referral.appellant).toBe(fx.addresses[8]);
    await expect(sendTx(c.arbitration, fx.wallets[7], 'refuseCase', [caseId])).rejects.toThrow(/TooEarly|revert/);
    await increaseTime(fx.provider, ARBITRATOR_WINDOW + 1);
    const appellantBefore = await balance(fx.addresses[8]);
    const respondentBefore = await balance(fx.addresses[5]);
    await sendTx(c.arbitration, fx.wallets[7], 'refuseCase', [caseId]);
    const cs = await c.arbitration.cases(caseId);
    expect(Number(cs.status)).toBe(CaseStatus.Settled);
    expect(cs.claimantWon).toBe(false);
    expect(await balance(fx.addresses[8])).toBe(appellantBefore + parseEther('0.2'));
    expect(await balance(fx.addresses[5])).toBe(respondentBefore + TEST_AWARD_MAX);
    expect(await balance(await c.escrow.getAddress())).toBe(await c.escrow.owed());
    // An arbitrator arriving late finds nothing to rule on.
    await governed(c, fx.wallets[0], c.arbitration, 'setArbitrator', [fx.addresses[9], true]);
    await expect(sendTx(c.arbitration, fx.wallets[9], 'arbitratorRule', [caseId, 1n, utf8Id('late'), TEST_AWARD_TABLE])).rejects.toThrow();
  });
});
