// The indexer sees a case's whole on-chain life as decoded events, in order, resumably.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther, id as utf8Id } from 'ethers';
import { pollEvents } from '../../../server/chain/events.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, claimTuple, commitReveal, partyTrace, sendTx, setupModel, sealBatch } from './arbiter-scenario.js';
import { honestTrace, testInput } from './test-model.js';
import { caseIdOf } from '../../../server/chain/contracts.js';

let fx: ChainFixture;
beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 2, challengeWindow: 60 } });
});
afterAll(async () => fx?.stop());

describe('chain events', () => {
  it('pollEvents › decodes a case from opening to payment, in order, from a cursor', async () => {
    const c = fx.c!;
    const start = await pollEvents(fx.provider, fx.deployment!, 0);
    expect(start.events.map((e) => e.name)).toContain('SlashersSet');
    await setupModel(c, fx.wallets[4], [fx.wallets[1], fx.wallets[2]]);
    const caseRef = utf8Id('indexed case');
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const input = testInput(77);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE + parseEther('0.01'));
    const batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[0], batchId);
    const claim = partyTrace(caseId, s0, honestTrace(input)).claim;
    await commitReveal(c, batchId, [fx.wallets[1], fx.wallets[2]].map((node) => ({ node, claims: [claim] })));
    await increaseTime(fx.provider, 61);
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, [claimTuple(claim)], ['0x']]);
    const { events, next } = await pollEvents(fx.provider, fx.deployment!, start.next);
    const names = events.map((e) => `${e.source}.${e.name}`);
    const order = ['registry.ModelRegistered', 'staking.Staked', 'arbitration.CaseOpened', 'arbitration.BatchSealed', 'arbitration.Committed', 'arbitration.Revealed', 'arbitration.VerdictProposed', 'arbitration.BatchFinalized', 'arbitration.Resolved', 'escrow.Paid'];
    let at = -1;
    for (const n of order) {
      const i = names.indexOf(n, at + 1);
      expect(i, `${n} after position ${at} in ${names.join(', ')}`).toBeGreaterThan(at);
      at = i;
    }
    const opened = events.find((e) => e.name === 'CaseOpened')!;
    expect(opened.args.caseId).toBe(caseId);
    expect(opened.args.batchId).toBe(batchId);
    expect((await pollEvents(fx.provider, fx.deployment!, next)).events).toEqual([]);
  });
});
