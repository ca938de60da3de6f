// Attacks on merchant API key rotation and revocation (issue 11, self-service keys).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

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

async function liveKeys(apiKey: string): Promise<{ id: string; expiresAt: string | null }[]> {
  return (await t.app.inject({ url: '/v1/merchants/me', headers: as(apiKey) })).json().apiKeys;
}

describe('API key rotation and revocation under attack', () => {
  it('a key already rotated cannot be rotated again: it would mint a new live key each time, past the limit of 10', async () => {
    const m = await merchant('Rotating Air');
    const [first] = await liveKeys(m.apiKey);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await t.app.inject({ method: 'POST', url: `/v1/merchants/me/api-keys/${first.id}/rotate`, headers: as(m.apiKey), payload: { graceSeconds: 3600 } });
      statuses.push(res.statusCode);
      if (res.statusCode !== 201) {
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
    // One rotation replaces the key; a key already being replaced is not a factory of new keys.
    expect(statuses[0]).toBe(201);
    expect(statuses.slice(1).every((s) => s === 400)).toBe(true);
    expect(await liveKeys(m.apiKey)).toHaveLength(2);
  });

  it('lists keys a page at a time: a create-and-revoke loop cannot make the list unbounded', async () => {
    // Each loop leaves one revoked row for good; listing them all in one answer would cost the
    // server more with every loop (a day of the loop at the rate limit is ~800,000 rows).
    const m = await merchant('Churn Air');
    for (let i = 0; i < 105; i++) {
      const k = (await t.app.inject({ method: 'POST', url: '/v1/merchants/me/api-keys', headers: as(m.apiKey) })).json<{ id: string }>();
      expect((await t.app.inject({ method: 'POST', url: `/v1/merchants/me/api-keys/${k.id}/revoke`, headers: as(m.apiKey) })).statusCode).toBe(200);
    }
    const list = (await t.app.inject({ url: '/v1/merchants/me/api-keys', headers: as(m.apiKey) })).json<{ data: { id: string; revokedAt: string | null }[]; has_more: boolean }>();
    expect(list.data.length).toBe(100);
    expect(list.has_more).toBe(true);
    // Newest first (the live key, the oldest, is on a later page; GET /v1/merchants/me lists live keys).
    expect(list.data[0].revokedAt).not.toBeNull();
    expect(list.data.map((k) => k.id)).toEqual([...list.data.map((k) => k.id)].sort().reverse());
  });

  it('revoking the only non-expiring key while the others run out is refused (no lock-out)', async () => {
    const m = await merchant('Lockout Air');
    const [first] = await liveKeys(m.apiKey);
    const rotated = await t.app.inject({ method: 'POST', url: `/v1/merchants/me/api-keys/${first.id}/rotate`, headers: as(m.apiKey), payload: { graceSeconds: 3600 } });
    expect(rotated.statusCode).toBe(201);
    const successor = rotated.json<{ id: string; apiKey: string }>();
    // The old key (still in its grace hour) revokes its successor: after the hour no key works.
    const revoke = await t.app.inject({ method: 'POST', url: `/v1/merchants/me/api-keys/${successor.id}/revoke`, headers: as(m.apiKey) });
    expect(revoke.statusCode).toBe(400);
    expect(revoke.headers['content-type']).toContain('application/problem+json');
    now += 3600_000 + 1000;
    expect((await t.app.inject({ url: '/v1/merchants/me', headers: as(successor.apiKey) })).statusCode).toBe(200);
  });
});
