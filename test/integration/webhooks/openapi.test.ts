// Every route of the merchants, responses and webhooks features is in the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('OpenAPI', () => {
  it('documents every route of the merchant API, with its problem responses', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    const routes: [string, string][] = [
      ['get', '/v1/merchants/me'],
      ['get', '/v1/merchants/me/cases'],
      ['get', '/v1/merchants/me/api-keys'],
      ['post', '/v1/merchants/me/api-keys'],
      ['post', '/v1/merchants/me/api-keys/{id}/rotate'],
      ['post', '/v1/merchants/me/api-keys/{id}/revoke'],
      ['post', '/v1/cases/{id}/response'],
      ['get', '/v1/cases/{id}/response'],
      ['post', '/v1/webhook-endpoints'],
      ['get', '/v1/webhook-endpoints'],
      ['get', '/v1/webhook-endpoints/{id}'],
      ['patch', '/v1/webhook-endpoints/{id}'],
      ['delete', '/v1/webhook-endpoints/{id}'],
      ['post', '/v1/webhook-endpoints/{id}/rotate-secret'],
      ['get', '/v1/webhook-endpoints/{id}/deliveries'],
      ['post', '/v1/webhook-events/{id}/redeliver'],
      ['get', '/v1/webhook-event-types'],
    ];
    for (const [method, path] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary, `${method} ${path}`).toBeTruthy();
    }
    expect(doc.paths['/v1/webhook-endpoints'].post.responses['400'].content['application/problem+json']).toBeDefined();
  });

  it('serves the event catalogue with an example event of each type', async () => {
    const res = await t.app.inject({ url: '/v1/webhook-event-types' });
    const types = res.json().data.map((e: { type: string }) => e.type);
    for (const type of ['case.created', 'case.response_due', 'case.executing', 'verdict.proposed', 'case.appealed', 'game.opened', 'game.resolved', 'verdict.final', 'payout.sent', 'case.withdrawn', 'merchant.escrow_account_named', 'merchant.model_pinned', 'model.registered', 'model.deprecated', 'model.default_changed']) {
      expect(types).toContain(type);
    }
    // Case events name their case; a merchant's own events (merchant.…) name the merchant; the
    // marketplace's (model.…) name the model or the jurisdiction whose default moved.
    for (const e of res.json().data) {
      const about = e.type.startsWith('merchant.')
        ? { merchantId: expect.any(String) }
        : e.type.startsWith('model.')
          ? { jurisdiction: expect.any(String), model: expect.any(String) }
          : { caseId: expect.any(String) };
      expect(e.example).toMatchObject({ object: 'event', type: e.type, data: { object: about } });
    }
  });
});
