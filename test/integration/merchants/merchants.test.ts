import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('POST /v1/merchants and /v1/arbitrators', () => {
  it('creates a merchant whose API key is shown once and stored only as its sha256', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/merchants',
      payload: { name: 'Example Air', webhookUrl: 'https://example.com/hook' },
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.statusCode).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ object: 'merchant', name: 'Example Air', webhookUrl: 'https://example.com/hook' });
    expect(m.id).toMatch(/^mch_/);
    expect(m.apiKey).toMatch(/^mk_/);
    const row = t.app.db.$client.prepare('select * from merchants where id = ?').get(m.id) as Record<string, string>;
    expect(row.api_key_hash).toBe(createHash('sha256').update(m.apiKey).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(m.apiKey);
  });

  it('creates an arbitrator whose token authenticates and is stored only hashed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/arbitrators',
      payload: { name: 'R. Referee' },
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    const row = t.app.db.$client.prepare('select * from arbitrators where id = ?').get(a.id) as Record<string, string>;
    expect(JSON.stringify(row)).not.toContain(a.token);
    expect((await t.app.inject({ url: '/v1/cases', headers: { authorization: `Bearer ${a.token}` } })).statusCode).toBe(200);
  });

  it('validates the body with pointers, unknown fields included', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/merchants',
      payload: { title: 'no name' },
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.statusCode).toBe(400);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/name', '/title']));
  });
});
