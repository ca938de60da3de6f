// ERC-792 through the service: an arbitrable contract raises a dispute on Arbiter's front (ArbitratorFront); a case filed
// with an API key naming it (onchainDispute) is bound to it (bindInput) before its committee
// runs, and the final verdict reaches the arbitrable's rule() (1: the claimant prevails). A
// ruling the arbitrable refuses is delivered again by a job. Anonymous filings cannot bind a
// dispute, nor can a record naming the wrong arbitrable, nor a merchant the arbitrable is not
// tied to (merchant B naming merchant A's dispute: 422 at filing; untied before binding: refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbiCoder, type Contract } from 'ethers';
import { readTimeline } from '../../../server/cases/timeline.js';
import { responseComponent } from '../../../server/cases/response-component.js';
import type { ComponentHandle } from '../../../server/main.js';
import { DisputeState } from '../../../server/chain/contracts.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { deployTestContract } from '../contracts/chain-fixture.js';
import { startPipelineFixture, until, WINDOWS, type PipelineFixture } from './pipeline-fixture.js';
import { mined } from '../../../server/chain/mined.js';

let f: PipelineFixture;
let arbitrable: Contract;
let responses: ComponentHandle;
beforeAll(async () => {
  // A merchant's own filing waits out its response window (1 s here) like any case against it.
  f = await startPipelineFixture({ env: { CASE_RESPONSE_SECONDS: '1' } });
  responses = await responseComponent.start({ config: f.t.config, db: f.t.app.db, redis: f.redis, queues: f.queues, chain: f.chain, say: () => {} });
  arbitrable = await deployTestContract('MockArbitrable', f.fx.wallets[7], [f.chain.deployment.addresses.front]);
}, 120_000);
afterAll(async () => {
  await responses?.stop();
  await f?.stop();
});

async function raiseDispute(): Promise<bigint> {
  const eu = f.pipeline.models.byJurisdiction('EU261')!;
  const extra = AbiCoder.defaultAbiCoder().encode(['bytes32'], [eu.modelId]);
  const cost: bigint = await f.chain.contracts.front.arbitrationCost(extra);
  await mined(await arbitrable.connect(f.fx.wallets[7]).getFunction('open')(extra, { value: cost }), f.fx.provider);
  return ((await f.chain.contracts.front.disputeCount()) as bigint) - 1n;
}

const fileAsAdmin = async (record: unknown) => {
  const res = await f.t.app.inject({ method: 'POST', url: '/v1/cases', headers: { authorization: `Bearer ${f.t.adminToken}` }, payload: record as object });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
};

describe('pipeline › ERC-792 disputes', { timeout: 300_000 }, () => {
  it('a filed record is bound to the dispute, decided, and the arbitrable receives ruling 1; a refused ruling is delivered again', async () => {
    const disputeId = await raiseDispute();
    await mined(await arbitrable.connect(f.fx.wallets[7]).getFunction('setRefuse')(true), f.fx.provider);
    const arbitrableAddress = await arbitrable.getAddress();
    const record = variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: arbitrableAddress, disputeId: disputeId.toString() }));
    const { id } = await fileAsAdmin(record);
    await f.waitFor(id, 'proposed');
    const chainCaseId = f.pipeline.store.byCase(id)!.chainCaseId;
    expect(chainCaseId).toBe(String(await f.chain.contracts.front.disputeCase(disputeId)).toLowerCase());
    expect((await f.pipeline.port.getCase(chainCaseId)).s0).toBe(f.pipeline.store.byCase(id)!.s0);
    await f.advance(WINDOWS.challengeWindow + 1);
    await f.waitFor(id, 'paid');
    await until(() => readTimeline(f.t.app.db, id).some((e) => e.type === 'ruling_refused'), () => 'the refused delivery');
    expect(await arbitrable.ruled(disputeId)).toBe(false);
    await mined(await arbitrable.connect(f.fx.wallets[7]).getFunction('setRefuse')(false), f.fx.provider);
    await until(async () => Boolean(await arbitrable.ruled(disputeId)), () => 'the retried ruling', 120_000);
    expect(await arbitrable.rulings(disputeId)).toBe(1n); // eu261Delay: the claimant prevails
    await until(() => readTimeline(f.t.app.db, id).some((e) => e.type === 'ruling_delivered'), () => 'the delivered ruling');
    expect(readTimeline(f.t.app.db, id).some((e) => e.type === 'award_table_mismatch')).toBe(false);
  }, 300_000);

  it('the record\'s ruling mapping is used on chain: shown as the current ruling during the window, then delivered', async () => {
    const disputeId = await raiseDispute();
    const arbitrableAddress = await arbitrable.getAddress();
    // A mapping beyond the dispute's two choices is refused with the field named.
    const tooMany = await fileAsAdmin(variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: arbitrableAddress, disputeId: disputeId.toString(), rulings: { claimant: 3, respondent: 1 } })));
    await f.waitFor(tooMany.id, 'rejected');
    expect(readTimeline(f.t.app.db, tooMany.id).at(-1)!.data).toMatchObject({ field: '/onchainDispute/rulings' });
    // The claimant prevails under eu261Delay; this record maps the claimant to ruling 2.
    const record = variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: arbitrableAddress, disputeId: disputeId.toString(), rulings: { claimant: 2, respondent: 1 } }));
    const { id } = await fileAsAdmin(record);
    await f.waitFor(id, 'proposed');
    // The keeper shows the agreed claim: the appeal window reports what an appeal would contest.
    await until(async () => (await f.chain.contracts.front.currentRuling(disputeId)) === 2n, () => 'the proposed ruling shown on the front', 60_000);
    expect(Number(await f.chain.contracts.front.disputeStatus(disputeId))).toBe(1); // Appealable
    await f.advance(WINDOWS.challengeWindow + 1);
    expect(Number(await f.chain.contracts.front.disputeStatus(disputeId))).toBe(2); // Solved, settled or not
    await until(async () => Boolean(await arbitrable.ruled(disputeId)), () => 'the ruling', 120_000);
    expect(await arbitrable.rulings(disputeId)).toBe(2n);
  }, 300_000);

  it('an anonymous filing, or one naming another arbitrable, does not bind the dispute', async () => {
    const disputeId = await raiseDispute();
    const arbitrableAddress = await arbitrable.getAddress();
    const anon = await f.file(variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: arbitrableAddress, disputeId: disputeId.toString() })));
    await f.waitFor(anon.id, 'rejected');
    expect(readTimeline(f.t.app.db, anon.id).at(-1)!.data).toMatchObject({ field: '/onchainDispute' });
    const wrong = await fileAsAdmin(variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: f.fx.addresses[3], disputeId: disputeId.toString() })));
    await f.waitFor(wrong.id, 'rejected');
    expect(readTimeline(f.t.app.db, wrong.id).at(-1)!.data).toMatchObject({ field: '/onchainDispute/arbitrable' });
    // The dispute still awaits its record.
    expect((await f.pipeline.port.dispute(disputeId)).state).toBe(DisputeState.AwaitingInput);
  });
  it('merchant B cannot bind merchant A\'s dispute (422 at filing); a contract untied before binding is refused; A\'s own filing is bound', async () => {
    const disputeId = await raiseDispute();
    const arbitrableAddress = await arbitrable.getAddress();
    const admin = { authorization: `Bearer ${f.t.adminToken}` };
    const merchant = async (name: string) => (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: admin, payload: { name } })).json() as { id: string; apiKey: string };
    const a = await merchant('Escrow operator A');
    const b = await merchant('Mallory B');
    const tie = () => f.t.app.inject({ method: 'PUT', url: `/v1/merchants/${a.id}/arbitrables/${arbitrableAddress}`, headers: admin });
    const fileAs = (key: string) =>
      f.t.app.inject({
        method: 'POST',
        url: '/v1/cases',
        headers: { authorization: `Bearer ${key}` },
        payload: variant(validRecords.eu261Delay, (d) => void (d.onchainDispute = { arbitrable: arbitrableAddress, disputeId: disputeId.toString() })) as object,
      });
    expect((await tie()).statusCode).toBe(201);

    const attack = await fileAs(b.apiKey);
    expect(attack.statusCode, attack.body).toBe(422);
    expect(attack.json().errors).toEqual([{ pointer: '/onchainDispute/arbitrable', message: expect.any(String) }]);

    // Filed while tied, untied before the registrar took it: refused there, the dispute left alone.
    await f.pipeline.stop();
    const early = await fileAs(a.apiKey);
    expect(early.statusCode, early.body).toBe(201);
    expect((await f.t.app.inject({ method: 'DELETE', url: `/v1/merchants/${a.id}/arbitrables/${arbitrableAddress}`, headers: admin })).statusCode).toBe(204);
    await f.restart();
    await f.waitFor(early.json().id, 'rejected');
    expect(readTimeline(f.t.app.db, early.json().id).at(-1)!.data).toMatchObject({ field: '/onchainDispute/arbitrable' });
    expect((await f.pipeline.port.dispute(disputeId)).state).toBe(DisputeState.AwaitingInput);

    // Tied again, A's filing is the one bound to the dispute.
    expect((await tie()).statusCode).toBe(201);
    const own = await fileAs(a.apiKey);
    expect(own.statusCode, own.body).toBe(201);
    await f.waitFor(own.json().id, 'proposed');
    expect(f.pipeline.store.byCase(own.json().id)!.chainCaseId).toBe(String(await f.chain.contracts.front.disputeCase(disputeId)).toLowerCase());
  });
});
