// Merchant self-service with its API key, and what one merchant can never see or do to another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, variant } from '../../support/case-fixtures.js';

let t: TestApp;
let now = Date.parse('2026-03-01T09:00:00Z');
const as = (key: string) => ({ authorization: `Bearer ${key}` });
beforeAll(async () => {
  t = await startTestApp({ clock: () => new Date(now) });
});
afterAll(async () => t?.close());

async function merchant(name: string) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name } });
  return res.json<{ id: string; apiKey: string }>();
}

describe('merchant self-service', () => {
  it('GET /v1/merchants/me shows the merchant and its live keys by prefix only', async () => {
    const m = await merchant('Me Air');
    const res = await t.app.inject({ url: '/v1/merchants/me', headers: as(m.apiKey) });
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me).toMatchObject({ id: m.id, object: 'merchant', name: 'Me Air', notices: [] });
    expect(me.apiKeys).toHaveLength(1);
    expect(m.apiKey.startsWith(me.apiKeys[0].prefix)).toBe(true);
    expect(me.apiKeys[0].prefix.length).toBeLessThan(12);
    expect(res.body).not.toContain(m.apiKey);
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(t.adminToken) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/merchants/me' })).statusCode).toBe(401);
  });

  it('creates, lists, rotates with a grace period and revokes API keys', async () => {
    const m = await merchant('Keys Air');
    const created = await t.app.inject({ method: 'POST', url: '/v1/merchants/me/api-keys', headers: as(m.apiKey) });
    expect(created.statusCode).toBe(201);
    const second = created.json();
    expect(second.apiKey).toMatch(/^mk_/);
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(second.apiKey) })).statusCode).toBe(200);

    const list = (await t.app.inject({ url: '/v1/merchants/me/api-keys', headers: as(m.apiKey) })).json();
    expect(list.data).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain(second.apiKey);
    const firstKeyId = list.data.find((k: { id: string }) => k.id !== second.id).id;

    // Rotate the first key with a one-hour grace: both work now; after the hour only the new one.
    const rotated = await t.app.inject({ method: 'POST', url: `/v1/merchants/me/api-keys/${firstKeyId}/rotate`, headers: as(m.apiKey), payload: { graceSeconds: 3600 } });
    expect(rotated.statusCode).toBe(201);
    const third = rotated.json();
    expect(third.replaced).toMatchObject({ id: firstKeyId, expiresAt: '2026-03-01T10:00:00.000Z' });
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(m.apiKey) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(third.apiKey) })).statusCode).toBe(200);
    now += 3600_000 + 1000;
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(m.apiKey) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(third.apiKey) })).statusCode).toBe(200);

    // Revoke the second key: refused at once.
    const revoked = await t.app.inject({ method: 'POST', url: `/v1/merchants/me/api-keys/${second.id}/revoke`, headers: as(third.apiKey) });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(second.apiKey) })).statusCode).toBe(401);
    // The last live key cannot be revoked (that would lock the merchant out): rotate it instead.
    const last = await t.app.inject({ method: 'POST', url: `/v1/merchants/me/api-keys/${third.id}/revoke`, headers: as(third.apiKey) });
    expect(last.statusCode).toBe(400);
  });

  it('lists the cases against the merchant with filters and cursor pagination', async () => {
    const m = await merchant('Cases Air');
    const filed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const record = i % 2 ? validRecords.eu261Delay : validRecords.visaFraud;
      const res = await t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(m.apiKey), payload: variant(record, (r) => void (r.ref = `c${i}`)) });
      filed.push(res.json().id);
    }
    const page1 = (await t.app.inject({ url: '/v1/merchants/me/cases?limit=2', headers: as(m.apiKey) })).json();
    expect(page1.data.map((c: { id: string }) => c.id)).toEqual([filed[4], filed[3]]);
    expect(page1.has_more).toBe(true);
    const page2 = (await t.app.inject({ url: `/v1/merchants/me/cases?limit=2&starting_after=${filed[3]}`, headers: as(m.apiKey) })).json();
    expect(page2.data.map((c: { id: string }) => c.id)).toEqual([filed[2], filed[1]]);
    const flights = (await t.app.inject({ url: '/v1/merchants/me/cases?kind=flight', headers: as(m.apiKey) })).json();
    expect(flights.data.map((c: { id: string }) => c.id)).toEqual([filed[3], filed[1]]);
    const visa = (await t.app.inject({ url: '/v1/merchants/me/cases?jurisdiction=VISA&status=filed', headers: as(m.apiKey) })).json();
    expect(visa.data).toHaveLength(3);
    const bad = await t.app.inject({ url: '/v1/merchants/me/cases?status=nonsense', headers: as(m.apiKey) });
    expect(bad.statusCode).toBe(400);
  });
});

describe('one merchant cannot see or act on another', () => {
  it("answers 404 for the other's cases, endpoints, deliveries, events and keys, and lists only one's own", async () => {
    const a = await merchant('A Air');
    const b = await merchant('B Air');
    const caseA = (await t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(a.apiKey), payload: validRecords.visaFraud })).json().id;
    const endpointA = (await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(a.apiKey), payload: { url: 'https://a.example.com/hook', events: ['*'] } })).json();
    const eventA = (t.app.db.$client.prepare('select id from webhook_outbox where case_id = ?').get(caseA) as { id: string }).id;
    const keyA = (await t.app.inject({ url: '/v1/merchants/me/api-keys', headers: as(a.apiKey) })).json().data[0].id;

    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/cases/${caseA}`],
      ['GET', `/v1/cases/${caseA}/timeline`],
      ['GET', `/v1/webhook-endpoints/${endpointA.id}`],
      ['PATCH', `/v1/webhook-endpoints/${endpointA.id}`, { url: 'https://b.example.com/steal' }],
      ['DELETE', `/v1/webhook-endpoints/${endpointA.id}`],
      ['POST', `/v1/webhook-endpoints/${endpointA.id}/rotate-secret`, {}],
      ['GET', `/v1/webhook-endpoints/${endpointA.id}/deliveries`],
      ['POST', `/v1/webhook-events/${eventA}/redeliver`, {}],
      ['POST', `/v1/merchants/me/api-keys/${keyA}/rotate`, {}],
      ['POST', `/v1/merchants/me/api-keys/${keyA}/revoke`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await t.app.inject({ method: method as 'GET', url, headers: as(b.apiKey), ...(payload !== undefined ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('a.example.com');
    }
    // B's own endpoint cannot be pointed at A's event either.
    const endpointB = (await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(b.apiKey), payload: { url: 'https://b.example.com/hook', events: ['*'] } })).json();
    const steal = await t.app.inject({ method: 'POST', url: `/v1/webhook-events/${eventA}/redeliver`, headers: as(b.apiKey), payload: { endpointId: endpointB.id } });
    expect(steal.statusCode).toBe(404);
    // Lists hold only one's own.
    expect((await t.app.inject({ url: '/v1/merchants/me/cases', headers: as(b.apiKey) })).json().data).toEqual([]);
    expect((await t.app.inject({ url: '/v1/cases', headers: as(b.apiKey) })).json().data).toEqual([]);
    expect((await t.app.inject({ url: '/v1/webhook-endpoints', headers: as(b.apiKey) })).json().data.map((e: { id: string }) => e.id)).toEqual([endpointB.id]);
    // And A's endpoint is untouched.
    const still = (await t.app.inject({ url: `/v1/webhook-endpoints/${endpointA.id}`, headers: as(a.apiKey) })).json();
    expect(still).toMatchObject({ url: 'https://a.example.com/hook', status: 'enabled' });
    // A cannot redeliver its event to B's endpoint.
    expect((await t.app.inject({ method: 'POST', url: `/v1/webhook-events/${eventA}/redeliver`, headers: as(a.apiKey), payload: { endpointId: endpointB.id } })).statusCode).toBe(404);
  });
});
