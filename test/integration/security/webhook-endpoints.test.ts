// Text a merchant stores on its webhook endpoints is held to the record's rules for one-line text:
// no control characters or direction overrides that make it read differently from what it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
let key: string;
const as = (k: string) => ({ authorization: `Bearer ${k}` });
beforeAll(async () => {
  t = await startTestApp();
  key = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Text Air' } })).json().apiKey;
});
afterAll(async () => t?.close());

describe('webhook endpoint description', () => {
  it('refuses control characters and direction overrides, naming /description, on create and update', async () => {
    for (const description of ['prod\u0000', 'prod \u202egnp.exe', 'line\r\nInjected: yes']) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(key), payload: { url: 'https://example.com/a', events: ['*'], description } });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/description']);
    }
    const created = await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(key), payload: { url: 'https://example.com/a', events: ['*'], description: 'production — 本番' } });
    expect(created.statusCode).toBe(201);
    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/webhook-endpoints/${created.json().id}`, headers: as(key), payload: { description: 'x\u2066y' } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/description']);
  });
});
