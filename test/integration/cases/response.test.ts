// A case against a merchant waits in `filed` for the merchant's response until its deadline.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { waitUntil } from '../../support/wait.js';
import { startResponseScheduler, type ResponseScheduler } from '../../../server/cases/response-scheduler.js';
import { recordHash } from '../../../server/cases/record-hash.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
let t: TestApp | undefined;
let scheduler: ResponseScheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  await t?.close();
  t = undefined;
});

async function setup(responseSeconds: number) {
  t = await startTestApp({ env: { CASE_RESPONSE_SECONDS: String(responseSeconds) } });
  scheduler = await startResponseScheduler({ responses: t.services.responses, queues: t.app.queues, pollMs: 50 });
  const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Shop' } })).json<{ id: string; apiKey: string }>();
  const filed = (await t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(m.apiKey), payload: validRecords.visaFraud })).json<{ id: string; accessToken: string; recordHash: string }>();
  // A merchant that files gets no claimant token; the claimant's comes from the admin.
  const issued = (await t.app.inject({ method: 'POST', url: `/v1/cases/${filed.id}/claimant-token`, headers: as(t.adminToken) })).json<{ accessToken: string }>();
  return { app: t.app, m, caseId: filed.id, claimant: issued.accessToken, filedHash: filed.recordHash };
}

async function status(app: TestApp['app'], caseId: string, key: string) {
  return (await app.inject({ url: `/v1/cases/${caseId}`, headers: as(key) })).json().status as string;
}
async function timelineTypes(app: TestApp['app'], caseId: string, key: string) {
  return (await app.inject({ url: `/v1/cases/${caseId}/timeline`, headers: as(key) })).json().data.map((e: { type: string }) => e.type) as string[];
}

describe('responding to a case', () => {
  it("waits in filed for the merchant's response; the response joins the record and its hash, the timeline keeps both versions; the case still waits for its deadline", async () => {
    const { app, m, caseId, filedHash } = await setup(3600);
    const window = await waitUntil(async () => {
      const r = (await app.inject({ url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey) })).json();
      return (await timelineTypes(app, caseId, m.apiKey)).includes('response_due') && r;
    }, 'the response window to open');
    expect(window).toMatchObject({ status: 'awaiting', response: null });
    expect(Date.parse(window.dueAt) - Date.now()).toBeGreaterThan(3500_000);
    await scheduler!.poll();
    await scheduler!.poll();
    expect(await status(app, caseId, m.apiKey)).toBe('filed');
    expect(t!.services.responses.mayProceed(caseId)).toBe(false);

    const body = { chargeback: { merchantResponse: 'Delivered and signed for on 14 January.', delivery: { proof: 'signed', date: '2026-01-14' } } };
    const res = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'responded', response: body });

    const view = (await app.inject({ url: `/v1/cases/${caseId}`, headers: as(m.apiKey) })).json();
    expect(view.record.chargeback).toMatchObject(body.chargeback);
    const merged = { ...validRecords.visaFraud, chargeback: { ...validRecords.visaFraud.chargeback, ...body.chargeback } };
    expect(view.recordHash).toBe(recordHash(merged));
    expect(view.recordHash).not.toBe(filedHash);
    // It proceeds at the deadline, not now: the claimant keeps the window to add evidence.
    expect(view.status).toBe('filed');
    await scheduler!.poll();
    expect(t!.services.responses.mayProceed(caseId)).toBe(false);

    const events = (await app.inject({ url: `/v1/cases/${caseId}/timeline`, headers: as(m.apiKey) })).json().data;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['filed', 'response_due', 'response_submitted']);
    const submitted = events[2];
    expect(submitted.actor).toBe(`merchant:${m.id}`);
    expect(submitted.data.versions.delivery).toEqual({ claimant: validRecords.visaFraud.chargeback.delivery, merchant: body.chargeback.delivery });
    expect(submitted.data.versions.merchantResponse).toEqual({ claimant: validRecords.visaFraud.chargeback.merchantResponse ?? null, merchant: body.chargeback.merchantResponse });
    expect(submitted.data).toMatchObject({ previousRecordHash: filedHash, recordHash: view.recordHash });
    // The webhooks carry it too.
    const types = (t!.app.db.$client.prepare('select event_type from webhook_outbox where case_id = ? order by id').all(caseId) as { event_type: string }[]).map((r) => r.event_type);
    expect(types).toEqual(['case.filed', 'case.response_due', 'case.response_submitted']);

    const again = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: body });
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toBe('/problems/response-closed');
  });

  it('moves the case on without a response when the deadline passes', async () => {
    const { app, m, caseId } = await setup(1);
    await waitUntil(async () => (await status(app, caseId, m.apiKey)) === 'executing', 'the deadline to move the case on', 60_000);
    expect(await timelineTypes(app, caseId, m.apiKey)).toEqual(['filed', 'response_due', 'response_lapsed', 'execution_started']);
    const late = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: { chargeback: { refundIssued: true } } });
    expect(late.statusCode).toBe(409);
    expect((await app.inject({ url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey) })).json().status).toBe('lapsed');
  });

  it('moves the case on after a restart when the deadline passed while the scheduler was down', async () => {
    // 5 s: time enough to stop the scheduler before the deadline even on a busy machine.
    const { app, m, caseId } = await setup(5);
    const window = await waitUntil(async () => {
      const r = (await app.inject({ url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey) })).json();
      return (await timelineTypes(app, caseId, m.apiKey)).includes('response_due') && r;
    }, 'the response window to open');
    expect(Date.parse(window.dueAt)).toBeGreaterThan(Date.now());
    await scheduler!.stop();
    // Remove the armed job too: only the database remembers the deadline now.
    await t!.app.queues.get('case-responses').obliterate({ force: true });
    await waitUntil(() => Date.now() > Date.parse(window.dueAt) + 100, 'the deadline to pass');
    expect(await status(app, caseId, m.apiKey)).toBe('filed');
    scheduler = await startResponseScheduler({ responses: t!.services.responses, queues: t!.app.queues, pollMs: 50 });
    await waitUntil(async () => (await status(app, caseId, m.apiKey)) === 'executing', 'the case to move on after the restart');
  });

  it('takes a response only from the merchant the case is against, and only with facts of its kind', async () => {
    const { app, m, caseId } = await setup(3600);
    // The merchant filed, so the claimant's token comes from the admin (a filing merchant gets none).
    const claimant = (await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/claimant-token`, headers: as(t!.adminToken) })).json<{ accessToken: string }>().accessToken;
    const other = (await app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t!.adminToken), payload: { name: 'Other' } })).json<{ apiKey: string }>();
    const body = { chargeback: { refundIssued: true } };
    expect((await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(other.apiKey), payload: body })).statusCode).toBe(404);
    expect((await app.inject({ url: `/v1/cases/${caseId}/response`, headers: as(other.apiKey) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(claimant), payload: body })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, payload: body })).statusCode).toBe(401);
    const flight = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: { flight: { carrierStatedCause: 'storm' } } });
    expect(flight.statusCode).toBe(400);
    expect(flight.json().errors[0].pointer).toBe('/flight');
    const unknown = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: { chargeback: { amount: { amount: 1, currency: 'EUR' } } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/chargeback/amount');
    const badDate = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: { chargeback: { delivery: { proof: 'signed', date: '14/01/2026' } } } });
    expect(badDate.statusCode).toBe(400);
    expect(await status(app, caseId, m.apiKey)).toBe('filed');
  });

  it('does not hold a case that names no merchant', async () => {
    t = await startTestApp({ env: { CASE_RESPONSE_SECONDS: '3600' } });
    scheduler = await startResponseScheduler({ responses: t.services.responses, queues: t.app.queues, pollMs: 50 });
    const filed = (await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay })).json<{ id: string }>();
    await scheduler.poll();
    expect(t.services.responses.mayProceed(filed.id)).toBe(true);
    expect(t.services.responses.row(filed.id)).toBeUndefined();
  });
});
