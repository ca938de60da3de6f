// The delivery log stays bounded however many attempts a delivery piles up: every redelivery of
// an event to a failing endpoint adds attempts to the same delivery (and each keeps up to 1 KiB of
// the answer), and a merchant may redeliver as fast as its rate limit allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { MAX_ATTEMPTS_LISTED } from '../../../server/webhooks/deliveries.js';

let t: TestApp;
const as = (k: string) => ({ authorization: `Bearer ${k}` });
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('delivery log', () => {
  it('lists only the newest attempts of each delivery', async () => {
    const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Log Air' } })).json<{ id: string; apiKey: string }>();
    const ep = (await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(m.apiKey), payload: { url: 'http://127.0.0.1:9/hook', events: ['*'] } })).json<{ id: string }>();
    const record = variant(validRecords.visaFraud, (d) => {
      (d.respondent as { merchantId?: string }).merchantId = m.id;
    });
    expect((await t.app.inject({ method: 'POST', url: '/v1/cases', payload: record })).statusCode).toBe(201);
    t.services.webhooks.deliveries.fanOut();
    const db = t.app.db.$client;
    const delivery = db.prepare('select id from webhook_deliveries where endpoint_id = ?').get(ep.id) as { id: string };
    // What 500 redeliveries to a receiver answering 500 with a 1 KiB body leave behind.
    const insert = db.prepare('insert into webhook_attempts (delivery_id, generation, attempt, started_at, status_code, latency_ms, error, response_body) values (?, ?, 1, ?, 500, 3, ?, ?)');
    db.transaction(() => {
      for (let g = 0; g < 500; g++) insert.run(delivery.id, g, new Date(Date.UTC(2026, 0, 1, 0, 0, g)).toISOString(), 'HTTP 500', 'x'.repeat(1024));
    })();
    const res = await t.app.inject({ url: `/v1/webhook-endpoints/${ep.id}/deliveries`, headers: as(m.apiKey) });
    expect(res.statusCode).toBe(200);
    const log = res.json().data.find((d: { id: string }) => d.id === delivery.id);
    expect(log.attemptLog).toHaveLength(MAX_ATTEMPTS_LISTED);
    // The newest, oldest first.
    expect(log.attemptLog.map((a: { generation: number }) => a.generation)).toEqual(Array.from({ length: MAX_ATTEMPTS_LISTED }, (_, i) => 500 - MAX_ATTEMPTS_LISTED + i));
  });
});
