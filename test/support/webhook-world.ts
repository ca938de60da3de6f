// A running app plus the webhook delivery worker, for the webhooks suites: merchants are created
// through the API, outbox rows are written the way the pipeline writes them (createOutboxWriter
// inside a transaction), and the worker delivers to local receivers.
import { randomBytes } from 'node:crypto';
import { createOutboxWriter } from '../../server/webhooks/outbox.js';
import { exponentialBackoff, type RetryPolicy } from '../../server/webhooks/backoff.js';
import { startWebhookDelivery, type WebhookDelivery } from '../../server/webhooks/runtime.js';
import { createWebhookServices, type WebhookServices } from '../../server/webhooks/service.js';
import { validRecords } from './case-fixtures.js';
import { startTestApp, type StartTestAppOptions, type TestApp } from './app.js';

export interface World {
  t: TestApp;
  webhooks: WebhookServices;
  delivery: WebhookDelivery;
  as(key: string): { authorization: string };
  createMerchant(name?: string): Promise<{ id: string; apiKey: string }>;
  createEndpoint(apiKey: string, url: string, events?: string[]): Promise<{ id: string; secret: string }>;
  /** Files a case as the merchant (its `case.filed` row becomes `case.created`); returns the case id. */
  fileCase(apiKey: string): Promise<string>;
  /** Writes `n` outbox rows of `type` for the merchant's case in one transaction; returns their ids. */
  writeEvents(caseId: string, merchantId: string, n: number, type?: string): string[];
  stopDelivery(): Promise<void>;
  close(): Promise<void>;
}

/** A schedule in milliseconds: 100 ms, 200, 400, … (random fixed at 0.5, so no jitter). */
export const fastPolicy = (o: Partial<{ baseMs: number; windowMs: number; disableAfterMs: number }> = {}): RetryPolicy =>
  exponentialBackoff({ baseMs: o.baseMs ?? 100, factor: 2, capMs: 60_000, jitter: 0.5, windowMs: o.windowMs ?? 60_000, disableAfterMs: o.disableAfterMs ?? 3 * 24 * 3600_000 });

export interface WorldOptions extends StartTestAppOptions {
  policy?: RetryPolicy;
  /** Replaces the configured WEBHOOK_ALLOW_PRIVATE_TARGETS for the worker's sends. */
  sendAllowPrivate?: boolean;
  concurrency?: number;
}

export async function startWorld(o: WorldOptions = {}): Promise<World> {
  const t = await startTestApp({ ...o, queuePrefix: o.queuePrefix ?? `arbiter-test-${randomBytes(6).toString('hex')}` });
  const clock = o.clock ?? (() => new Date());
  const webhooks = createWebhookServices({ db: t.app.db, config: t.config, clock, notify: t.services.merchants.notify, policy: o.policy ?? fastPolicy(), random: () => 0.5 });
  const delivery = await startWebhookDelivery({
    services: webhooks,
    queues: t.app.queues,
    allowPrivateTargets: o.sendAllowPrivate ?? t.config.webhookAllowPrivateTargets,
    timeoutMs: 2000,
    clock,
    concurrency: o.concurrency,
  });
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const write = createOutboxWriter(t.app.db);
  return {
    t,
    webhooks,
    get delivery() {
      return delivery;
    },
    as,
    async createMerchant(name = 'Example Air') {
      const res = await t.app.inject({ method: 'POST', url: '/v1/merchants', headers: as(t.adminToken), payload: { name } });
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json<{ id: string; apiKey: string }>();
    },
    async createEndpoint(apiKey, url, events = ['*']) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: as(apiKey), payload: { url, events } });
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json<{ id: string; secret: string }>();
    },
    async fileCase(apiKey) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/cases', headers: as(apiKey), payload: validRecords.visaFraud });
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json<{ id: string }>().id;
    },
    writeEvents(caseId, merchantId, n, type = 'verdict.final') {
      return t.app.db.transaction(() => {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) ids.push(write({ caseId, merchantId, eventType: type, data: { caseId, n: i }, createdAt: new Date().toISOString() }));
        return ids;
      });
    },
    async stopDelivery() {
      await delivery.stop();
    },
    async close() {
      await delivery.stop();
      await t.close();
    },
  };
}
