// Managing webhook endpoints: create (secret once, sealed at rest), list, update, disable, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
let key: string;
const as = (k: string) => ({ authorization: `Bearer ${k}` });
beforeAll(async () => {
  t = await startTestApp();
  key = (await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name: 'Hooks Air' } })).json().apiKey;
});
afterAll(async () => t?.close());

describe('webhook endpoints', () => {
  it('shows the secret once and keeps it only sealed', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(key), payload: { url: 'https://example.com/a', events: ['case.created', 'verdict.final'], description: 'prod' } });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ object: 'webhook_endpoint', url: 'https://example.com/a', events: ['case.created', 'verdict.final'], status: 'enabled', description: 'prod' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const read = await t.app.inject({ url: `/v1/webhook-endpoints/${created.id}`, headers: as(key) });
    expect(read.json().secret).toBeUndefined();
    const row = t.app.db.$client.prepare('select * from webhook_endpoints where id = ?').get(created.id);
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));
    const list = (await t.app.inject({ url: '/v1/webhook-endpoints', headers: as(key) })).json();
    expect(list.data.map((e: { id: string }) => e.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.secret);
  });

  it('refuses unknown event types and unknown fields, naming them', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(key), payload: { url: 'https://example.com/b', events: ['case.created', 'case.exploded'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ pointer: '/events/1', message: expect.stringMatching(/unknown event type "case.exploded"/) }]);
    const extra = await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(key), payload: { url: 'https://example.com/b', events: ['*'], secret: 'mine' } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/secret');
  });

  it('updates, disables, enables and deletes', async () => {
    const { id } = (await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(key), payload: { url: 'https://example.com/c', events: ['*'] } })).json();
    const updated = await t.app.inject({ method: 'PATCH', url: `/v1/webhook-endpoints/${id}`, headers: as(key), payload: { url: 'https://example.com/c2', events: ['case.withdrawn'] } });
    expect(updated.json()).toMatchObject({ url: 'https://example.com/c2', events: ['case.withdrawn'] });
    const disabled = await t.app.inject({ method: 'PATCH', url: `/v1/webhook-endpoints/${id}`, headers: as(key), payload: { status: 'disabled' } });
    expect(disabled.json()).toMatchObject({ status: 'disabled', disabledReason: 'disabled by the merchant' });
    const enabled = await t.app.inject({ method: 'PATCH', url: `/v1/webhook-endpoints/${id}`, headers: as(key), payload: { status: 'enabled' } });
    expect(enabled.json()).toMatchObject({ status: 'enabled', disabledReason: null });
    const deleted = await t.app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${id}`, headers: as(key) });
    expect(deleted.json()).toEqual({ id, object: 'webhook_endpoint', deleted: true });
    expect((await t.app.inject({ url: `/v1/webhook-endpoints/${id}`, headers: as(key) })).statusCode).toBe(404);
  });

  it('is for merchants only', async () => {
    expect((await t.app.inject({ url: '/v1/webhook-endpoints' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/webhook-endpoints', headers: as(t.adminToken) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/webhook-event-types' })).statusCode).toBe(200);
  });
});
