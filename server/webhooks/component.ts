// The webhook delivery worker as an `npm start` component: started after the queues, stopped
// before them. Another process may run it too (`startWebhookDelivery` is safe to run twice).
import type { Component } from '../main.js';
import { createMerchantService } from '../merchants/service.js';
import { startWebhookDelivery } from './runtime.js';
import { createWebhookServices } from './service.js';

export const webhookComponent: Component = {
  name: 'webhooks',
  async start({ config, db, queues, say }) {
    const merchants = createMerchantService({ db });
    const services = createWebhookServices({ db, config, notify: merchants.notify });
    const delivery = await startWebhookDelivery({
      services,
      queues,
      allowPrivateTargets: config.webhookAllowPrivateTargets,
      timeoutMs: config.webhookTimeoutMs,
      onError: (err) => say(`webhooks: ${err.message}`),
    });
    say(
      `webhooks: delivering from the outbox (retries for ${config.webhookRetryHours} h, private targets ${config.webhookAllowPrivateTargets ? 'allowed' : 'refused'})`,
    );
    return { stop: () => delivery.stop() };
  },
};
