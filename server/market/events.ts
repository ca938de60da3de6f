// The marketplace's webhook events (issue 12). A model change is not about one case or one merchant:
// it concerns every merchant that listens for it. Each change writes, in the same transaction as
// the change, one outbox row per merchant with an enabled endpoint subscribed to the type (by
// name or `*`) at that moment; the dispatcher then delivers it like any merchant event (and
// `POST /v1/webhook-events/:id/redeliver` works, the row naming its merchant). A pin is the
// merchant's own change: its row goes to that merchant alone, as `merchant.escrow_account_named`.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { webhookEndpoints } from '../db/schema.js';
import { createOutboxWriter } from '../webhooks/outbox.js';
import { subscribes } from '../webhooks/event-types.js';

export type MarketEventType = 'model.registered' | 'model.deprecated' | 'model.default_changed' | 'merchant.model_pinned';

export function createMarketEvents(db: Db, clock: () => Date) {
  const writeOutbox = createOutboxWriter(db);
  const enabled = db.select({ merchantId: webhookEndpoints.merchantId, events: webhookEndpoints.events }).from(webhookEndpoints).where(eq(webhookEndpoints.status, 'enabled')).prepare();

  /** Merchants with an enabled endpoint that receives `type`, in a stable order. */
  function listeners(type: MarketEventType): string[] {
    const out = new Set<string>();
    for (const e of enabled.all()) if (subscribes(JSON.parse(e.events) as string[], type)) out.add(e.merchantId);
    return [...out].sort();
  }

  return {
    listeners,
    /**
     * Writes the event for every listening merchant; call it inside the change's transaction.
     * `data` may depend on the merchant (e.g. whether it pins the deprecated model). Returns the outbox ids.
     */
    broadcast(type: MarketEventType, data: (merchantId: string) => Record<string, unknown>): string[] {
      const createdAt = clock().toISOString();
      return listeners(type).map((merchantId) => writeOutbox({ caseId: null, merchantId, eventType: type, data: data(merchantId), createdAt }));
    },
    /** The merchant's own change (a pin): its row goes to that merchant only. */
    toMerchant(merchantId: string, type: MarketEventType, data: Record<string, unknown>): string {
      return writeOutbox({ caseId: null, merchantId, eventType: type, data, createdAt: clock().toISOString() });
    },
  };
}
