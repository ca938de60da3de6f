// The transactional outbox: every case change writes its webhook row in the same transaction as
// the change, so a webhook is sent if and only if the change committed. Delivery (signing,
// retries) reads this table later; here we only write it.
import type { Executor } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { webhookOutbox } from '../db/schema.js';

export interface OutboxEvent {
  caseId: string;
  merchantId: string | null;
  /** e.g. `case.filed`, `case.verdict_proposed`. */
  eventType: string;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Writes one pending outbox row; call it inside the transaction that makes the change. */
export function writeOutboxRow(tx: Executor, event: OutboxEvent): string {
  const id = newId('evt');
  tx.insert(webhookOutbox)
    .values({
      id,
      caseId: event.caseId,
      merchantId: event.merchantId,
      eventType: event.eventType,
      // The payload is the webhook body as it will be signed and sent.
      payload: JSON.stringify({ id, type: event.eventType, createdAt: event.createdAt, data: event.data }),
      status: 'pending',
      createdAt: event.createdAt,
    })
    .run();
  return id;
}
