// The registrar can no longer override a verdict on its own (issue 8 #11): appointing a level-2
// arbitrator, approving the ERC-792 default model and paying an award to a named payout address
// run only through the governance Timelock: scheduled by the registrar (its proposer), public for
// the delay, cancellable by the guardian, executable by anyone afterwards. Each power is tried as
// an attack: directly, before the delay, by a stranger, after a cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeroAddress, ZeroHash, id as utf8Id, type Contract, type NonceManager } from 'ethers';
import { CaseStatus, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { governStep } from '../../../server/chain/governance.js';
import { createChainPort } from '../../../server/pipeline/chain-port.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, CLAIMANT_CLASSES, MODEL_ID, TEST_AWARDS, TEST_AWARD_MAX, TEST_AWARD_TABLE, claimTuple, commitReveal, partyTrace, sealBatch, sendTx, setupModel } from './arbiter-scenario.js';
import { honestTrace, testInput } from './test-model.js';

const DELAY = 2 * 24 * 3600;
const WINDOW = 600;
let fx: ChainFixture;
let c: ArbiterContracts;
let registrar: NonceManager;
let guardian: NonceManager;
let stranger: NonceManager;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { governanceDelay: DELAY, challengeWindow: WINDOW, guardian: undefined } });
  c = fx.c!;
  registrar = fx.wallets[0];
  guardian = fx.wallets[0]; // the deployer guards a dev deployment
  stranger = fx.wallets[7];
  await setupModel(c, fx.wallets[4], [fx.wallets[1], fx.wallets[2], fx.wallets[3]]);
}, 120_000);
afterAll(async () => fx?.stop());

async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    if (!data) return undefined;
    for (const on of [c.timelock, c.arbitration, c.front]) {
      const parsed = on.interface.parseError(data);
      if (parsed) return parsed.name;
    }
    return undefined;
  }
  throw new Error('expected a revert');
}

const call = (target: Contract, fn: string, args: unknown[]) => target.interface.encodeFunctionData(fn, args);

describe('governance › the timelock', () => {
  it('deploy › Arbitration and the front name the timelock as governance; the registrar proposes with the configured delay', async () => {
    const timelock = await c.timelock.getAddress();
    expect(await c.arbitration.governance()).toBe(timelock);
    expect(await c.front.governance()).toBe(timelock);
    expect(await c.timelock.proposer()).toBe(fx.addresses[0]);
    expect(await c.timelock.guardian()).toBe(fx.addresses[0]);
    expect(await c.timelock.delay()).toBe(BigInt(DELAY));
    expect(fx.deployment!.addresses.timelock).toBe(timelock);
  });

  it('setArbitrator › the registrar cannot appoint directly; a scheduled appointment waits out the delay, then anyone runs it', async () => {
    const data = call(c.arbitration, 'setArbitrator', [fx.addresses[8], true]);
    const to = await c.arbitration.getAddress();
    expect(await revertName(sendTx(c.arbitration, registrar, 'setArbitrator', [fx.addresses[8], true]))).toBe('Unauthorized');
    expect(await revertName(sendTx(c.arbitration, stranger, 'setArbitrator', [fx.addresses[8], true]))).toBe('Unauthorized');
    // Only the proposer schedules.
    expect(await revertName(sendTx(c.timelock, stranger, 'schedule', [to, data, ZeroHash]))).toBe('Unauthorized');
    await sendTx(c.timelock, registrar, 'schedule', [to, data, ZeroHash]);
    expect(await revertName(sendTx(c.timelock, registrar, 'schedule', [to, data, ZeroHash]))).toBe('OperationState');
    expect(await revertName(sendTx(c.timelock, stranger, 'execute', [to, data, ZeroHash]))).toBe('TooEarly');
    // The server's step says pending, with the time it becomes ready.
    const pending = await governStep(registrar, await c.timelock.getAddress(), to, data);
    expect(pending.state).toBe('pending');
    await increaseTime(fx.provider, DELAY);
    await sendTx(c.timelock, stranger, 'execute', [to, data, ZeroHash]);
    expect(await c.arbitration.isArbitrator(fx.addresses[8])).toBe(true);
    expect(await revertName(sendTx(c.timelock, stranger, 'execute', [to, data, ZeroHash]))).toBe('OperationState'); // once
    // Removing a bad arbitrator needs no delay: the registrar may, a stranger may not.
    expect(await revertName(sendTx(c.arbitration, stranger, 'setArbitrator', [fx.addresses[8], false]))).toBe('Unauthorized');
    await sendTx(c.arbitration, registrar, 'setArbitrator', [fx.addresses[8], false]);
    expect(await c.arbitration.isArbitrator(fx.addresses[8])).toBe(false);
  });

  it('cancel › the guardian cancels a scheduled appointment during the delay; it can never run, and a stranger cannot cancel', async () => {
    const data = call(c.arbitration, 'setArbitrator', [fx.addresses[9], true]);
    const to = await c.arbitration.getAddress();
    const salt = utf8Id('cancelled');
    await sendTx(c.timelock, registrar, 'schedule', [to, data, salt]);
    const id: string = await c.timelock.operationId(to, data, salt);
    expect(await revertName(sendTx(c.timelock, stranger, 'cancel', [id]))).toBe('Unauthorized');
    await sendTx(c.timelock, guardian, 'cancel', [id]);
    await increaseTime(fx.provider, DELAY + 1);
    expect(await revertName(sendTx(c.timelock, stranger, 'execute', [to, data, salt]))).toBe('OperationState');
    expect(await c.arbitration.isArbitrator(fx.addresses[9])).toBe(false);
  });

  it('setDelay › only the timelock itself changes its delay, through a scheduled call', async () => {
    const self = await c.timelock.getAddress();
    expect(await revertName(sendTx(c.timelock, registrar, 'setDelay', [0]))).toBe('Unauthorized');
    const data = call(c.timelock, 'setDelay', [DELAY * 2]);
    await sendTx(c.timelock, registrar, 'schedule', [self, data, ZeroHash]);
    await increaseTime(fx.provider, DELAY);
    await sendTx(c.timelock, stranger, 'execute', [self, data, ZeroHash]);
    expect(await c.timelock.delay()).toBe(BigInt(DELAY * 2));
    const back = call(c.timelock, 'setDelay', [DELAY]);
    await sendTx(c.timelock, registrar, 'schedule', [self, back, ZeroHash]);
    await increaseTime(fx.provider, DELAY * 2);
    await sendTx(c.timelock, stranger, 'execute', [self, back, ZeroHash]);
    expect(await c.timelock.delay()).toBe(BigInt(DELAY));
  });

  it('setDefaultModel › the registrar cannot choose the ERC-792 default model directly, only through the timelock', async () => {
    expect(await revertName(sendTx(c.front, registrar, 'setDefaultModel', [MODEL_ID, fx.addresses[4]]))).toBe('Unauthorized');
    const to = await c.front.getAddress();
    const data = call(c.front, 'setDefaultModel', [MODEL_ID, fx.addresses[4]]);
    await sendTx(c.timelock, registrar, 'schedule', [to, data, ZeroHash]);
    await increaseTime(fx.provider, DELAY);
    await sendTx(c.timelock, stranger, 'execute', [to, data, ZeroHash]);
    expect(await c.front.defaultModel()).toBe(MODEL_ID);
  });
});

describe('governance › the service', () => {
  it('ChainPort.setArbitrator › schedules, reports the wait, appoints once the delay passed; an arbitrator removed is appointed again under a new salt', async () => {
    const port = createChainPort(fx.deployment!, fx.provider);
    const who = fx.addresses[6];
    const first = await port.setArbitrator(registrar, who);
    expect(first.state).toBe('pending');
    expect(first.waitMs).toBeGreaterThan((DELAY - 60) * 1000);
    expect((await port.setArbitrator(registrar, who)).state).toBe('pending'); // scheduled once
    await increaseTime(fx.provider, DELAY);
    expect((await port.setArbitrator(registrar, who)).state).toBe('done');
    expect(await port.isArbitrator(who)).toBe(true);
    await sendTx(c.arbitration, registrar, 'setArbitrator', [who, false]);
    expect((await port.setArbitrator(registrar, who)).state).toBe('pending');
    await increaseTime(fx.provider, DELAY);
    expect((await port.setArbitrator(registrar, who)).state).toBe('done');
    expect(await port.isArbitrator(who)).toBe(true);
  });
});

describe('governance › unclaimed awards', () => {
  it('claimAward › the registrar cannot name a payee directly; a scheduled payee is public for the delay and the guardian can stop a wrong one', async () => {
    // A won case whose claimant has no wallet: its award waits in escrow.
    let won: { caseId: string } | undefined;
    let batchId = 0n;
    const claims: Claim[] = [];
    for (let seed = 9100; !won; seed++) {
      const ref = utf8Id(`walletless-${seed}`);
      const caseId = caseIdOf(fx.addresses[5], ref);
      const input = testInput(seed);
      const s0 = bytesToHex(stateHash(0, input));
      const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
      if (((CLAIMANT_CLASSES >> claim.output) & 1n) !== 1n || TEST_AWARDS[Number(claim.output)] === 0n) continue;
      await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, ZeroAddress, fx.addresses[5], TEST_AWARD_TABLE], CASE_FEE + TEST_AWARD_MAX);
      batchId = (await c.arbitration.cases(caseId)).batchId;
      claims.push(claim);
      won = { caseId };
    }
    await sealBatch(c, registrar, batchId);
    await commitReveal(c, batchId, [fx.wallets[1], fx.wallets[2], fx.wallets[3]].map((node) => ({ node, claims })));
    await increaseTime(fx.provider, WINDOW + 1);
    await sendTx(c.arbitration, stranger, 'settle', [batchId, claims.map(claimTuple), [TEST_AWARD_TABLE]]);
    expect(Number((await c.arbitration.cases(won.caseId)).status)).toBe(CaseStatus.Settled);
    const award = TEST_AWARDS[Number(claims[0].output)];
    const attacker = fx.addresses[7];
    expect(await revertName(sendTx(c.arbitration, registrar, 'claimAward', [won.caseId, attacker]))).toBe('Unauthorized');
    // A compromised registrar key schedules itself as payee: public at once, the guardian cancels it.
    const to = await c.arbitration.getAddress();
    const bad = call(c.arbitration, 'claimAward', [won.caseId, attacker]);
    const scheduled = await sendTx(c.timelock, registrar, 'schedule', [to, bad, ZeroHash]);
    const event = scheduled.logs.map((l) => c.timelock.interface.parseLog(l)).find((l) => l?.name === 'Scheduled');
    expect(event?.args.data).toBe(bad);
    await sendTx(c.timelock, guardian, 'cancel', [await c.timelock.operationId(to, bad, ZeroHash)]);
    // The claimant's own choice goes through.
    const payee = '0x00000000000000000000000000000000000c1a1e';
    const good = call(c.arbitration, 'claimAward', [won.caseId, payee]);
    await sendTx(c.timelock, registrar, 'schedule', [to, good, ZeroHash]);
    expect(await revertName(sendTx(c.timelock, stranger, 'execute', [to, bad, ZeroHash]))).toBe('OperationState');
    await increaseTime(fx.provider, DELAY);
    await sendTx(c.timelock, stranger, 'execute', [to, good, ZeroHash]);
    expect(await fx.provider.getBalance(payee)).toBe(award);
    expect(await fx.provider.getBalance(attacker)).toBeGreaterThan(0n); // untouched dev balance, no award
    expect((await c.arbitration.cases(won.caseId)).claimant.toLowerCase()).toBe(payee);
  });

  it('arbitratorRule › a level-2 ruling must name a class an ARGMAX can output', async () => {
    const ref = utf8Id('out-of-range');
    const caseId = caseIdOf(fx.addresses[5], ref);
    const input = testInput(9400);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], TEST_AWARD_TABLE], CASE_FEE + TEST_AWARD_MAX);
    const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
    const nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
    let batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, registrar, batchId);
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims: [claim] })));
    await sendTx(c.arbitration, fx.wallets[6], 'appealCase', [caseId], BigInt(fx.deployment!.config.appealBond1));
    batchId = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, registrar, batchId);
    await commitReveal(c, batchId, (await c.arbitration.committeeOf(batchId)).map((a: string) => ({ node: fx.wallets[fx.addresses.indexOf(a)], claims: [claim] })));
    await sendTx(c.arbitration, fx.wallets[6], 'appealCase', [caseId], BigInt(fx.deployment!.config.appealBond2));
    const to = await c.arbitration.getAddress();
    const data = call(c.arbitration, 'setArbitrator', [fx.addresses[9], true]);
    await sendTx(c.timelock, registrar, 'schedule', [to, data, ZeroHash]);
    await increaseTime(fx.provider, DELAY);
    await sendTx(c.timelock, stranger, 'execute', [to, data, ZeroHash]);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[9], 'arbitratorRule', [caseId, 0xffff, utf8Id('r'), TEST_AWARD_TABLE]))).toBe('OutputOutOfRange');
    await sendTx(c.arbitration, fx.wallets[9], 'arbitratorRule', [caseId, 0xfffe, utf8Id('r'), TEST_AWARD_TABLE]);
    expect(Number((await c.arbitration.cases(caseId)).status)).toBe(CaseStatus.Settled);
  });
});
