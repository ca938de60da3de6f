// A respondent must not be able to cut the claimant's evidence window short: a merchant watching
// its case.filed webhooks could respond within milliseconds of a filing, and if the case then
// proceeded at once, evidence would close before the claimant's first upload.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { pdfFile } from '../../support/evidence-files.js';
import { waitUntil } from '../../support/wait.js';
import { startResponseScheduler, type ResponseScheduler } from '../../../server/cases/response-scheduler.js';

const as = (key: string) => ({ authorization: `Bearer ${key}` });
let t: TestApp | undefined;
let scheduler: ResponseScheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  await t?.close();
  t = undefined;
});

function multipart(file: Buffer, filename: string, contentType: string) {
  const boundary = `----arbiter${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function setup(responseSeconds: number) {
  t = await startTestApp({ env: { CASE_RESPONSE_SECONDS: String(responseSeconds) } });
  scheduler = await startResponseScheduler({ responses: t.services.responses, queues: t.app.queues, pollMs: 50 });
  const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Quick Shop' } })).json<{ id: string; apiKey: string }>();
  // The cardholder files through the portal, naming the merchant.
  const record = variant(validRecords.visaFraud, (d) => {
    (d.respondent as { merchantId?: string }).merchantId = m.id;
  });
  const filed = await t.app.inject({ method: 'POST', url: '/v1/cases', payload: record });
  expect(filed.statusCode).toBe(201);
  const c = filed.json<{ id: string; accessToken: string }>();
  return { app: t.app, m, caseId: c.id, claimant: c.accessToken };
}

const status = async (app: TestApp['app'], caseId: string, key: string) => (await app.inject({ url: `/v1/cases/${caseId}`, headers: as(key) })).json().status as string;

describe("the merchant's response and the claimant's evidence window", () => {
  it("a response right after filing does not close the claimant's evidence window", async () => {
    const { app, m, caseId, claimant } = await setup(3600);
    const res = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: { chargeback: { refundIssued: true } } });
    expect(res.statusCode).toBe(200);
    const body = multipart(pdfFile('receipt'), 'receipt.pdf', 'application/pdf');
    const upload = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/evidence`, payload: body.payload, headers: { ...body.headers, ...as(claimant) } });
    expect(upload.statusCode).toBe(201);
    expect(await status(app, caseId, m.apiKey)).toBe('filed');
    expect(t!.services.responses.mayProceed(caseId)).toBe(false);
  });

  it('evidence closes at the response deadline even while the case has not moved on yet (scheduler late or down)', async () => {
    t = await startTestApp({ env: { CASE_RESPONSE_SECONDS: '2' } });
    const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Late Shop' } })).json<{ id: string; apiKey: string }>();
    const record = variant(validRecords.visaFraud, (d) => {
      (d.respondent as { merchantId?: string }).merchantId = m.id;
    });
    const c = (await t.app.inject({ method: 'POST', url: '/v1/cases', payload: record })).json<{ id: string; accessToken: string; createdAt: string }>();
    const dueAt = Date.parse(c.createdAt) + 2000;
    await waitUntil(() => Date.now() > dueAt + 50, 'the response deadline to pass');
    // No scheduler runs: the case is still filed, but its window has closed for both sides.
    expect(await status(t.app, c.id, m.apiKey)).toBe('filed');
    for (const [token, note] of [[c.accessToken, 'late claimant'], [m.apiKey, 'late merchant']]) {
      const body = multipart(pdfFile(note), 'late.pdf', 'application/pdf');
      const res = await t.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/evidence`, payload: body.payload, headers: { ...body.headers, ...as(token) } });
      expect(res.statusCode).toBe(409);
      expect(res.json().type).toBe('/problems/evidence-closed');
    }
  });

  it('a responded case proceeds when its response window closes, after the evidence that came in meanwhile', async () => {
    // 5 s: time enough to respond and upload before the deadline even on a busy machine.
    const { app, m, caseId, claimant } = await setup(5);
    expect((await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey), payload: { chargeback: { refundIssued: true } } })).statusCode).toBe(200);
    const body = multipart(pdfFile('statement'), 'statement.pdf', 'application/pdf');
    const upload = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/evidence`, payload: body.payload, headers: { ...body.headers, ...as(claimant) } });
    expect(upload.statusCode).toBe(201);
    await waitUntil(async () => (await status(app, caseId, m.apiKey)) === 'executing', 'the responded case to proceed at its deadline', 60_000);
    const timeline = (await app.inject({ url: `/v1/cases/${caseId}/timeline`, headers: as(m.apiKey) })).json().data.map((e: { type: string }) => e.type);
    expect(timeline.filter((x: string) => x !== 'response_due')).toEqual(['filed', 'response_submitted', 'evidence_added', 'execution_started']);
    expect((await app.inject({ url: `/v1/cases/${caseId}/response`, headers: as(m.apiKey) })).json().status).toBe('responded');
  });
});
