// The webhooks feature's services on one database: endpoints and deliveries. Plain factories,
// shared by the API (routes), the delivery worker and tests.
import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import { policyFromConfig, type RetryPolicy } from './backoff.js';
import { createDeliveryService, type Notify } from './deliveries.js';
import { createEndpointService } from './endpoints.js';
import { createSecretBox, resolveSecretsKey } from './secret-box.js';

export interface WebhookServiceOptions {
  db: Db;
  config: Config;
  notify: Notify;
  clock?: () => Date;
  /** Defaults to the configured backoff (WEBHOOK_RETRY_HOURS, WEBHOOK_DISABLE_AFTER_HOURS). */
  policy?: RetryPolicy;
  random?: () => number;
}

export function createWebhookServices(o: WebhookServiceOptions) {
  const box = createSecretBox(resolveSecretsKey(o.config));
  const endpoints = createEndpointService({ db: o.db, box, allowPrivateTargets: o.config.webhookAllowPrivateTargets, clock: o.clock });
  const deliveries = createDeliveryService({
    db: o.db,
    endpoints,
    policy: o.policy ?? policyFromConfig(o.config),
    notify: o.notify,
    clock: o.clock,
    random: o.random,
  });
  return { endpoints, deliveries };
}

export type WebhookServices = ReturnType<typeof createWebhookServices>;
