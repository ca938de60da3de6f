// The transactional outbox: every case change writes its webhook row in the same transaction as
// the change, so a webhook is sent if and only if the change committed. Delivery (signing,
// retries) reads this table later; here we only write it.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { webhookOutbox } from '../db/schema.js';

export interface OutboxEvent {
  /** null: a merchant's own change, about no case (e.g. `merchant.escrow_account_named`). */
  caseId: string | null;
  merchantId: string | null;
  /** e.g. `case.filed`, `case.verdict_proposed`. */
  eventType: string;
  data: Record<string, unknown>;
  createdAt: string;
}

export type OutboxWriter = (event: OutboxEvent) => string;

/**
 * Returns a writer of pending outbox rows. Call it inside the transaction that makes the change:
 * the statement runs on the same connection, so it commits or rolls back with that transaction.
 */
export function createOutboxWriter(db: Db): OutboxWriter {
  // Prepared once: this runs on every state change, filing included.
  const insert = db
    .insert(webhookOutbox)
    .values({
      id: sql.placeholder('id'),
      caseId: sql.placeholder('caseId'),
      merchantId: sql.placeholder('merchantId'),
      eventType: sql.placeholder('eventType'),
      payload: sql.placeholder('payload'),
      status: 'pending',
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare();
  return (event) => {
    const id = newId('evt');
    insert.run({
      id,
      caseId: event.caseId,
      merchantId: event.merchantId,
      eventType: event.eventType,
      // The payload is the webhook body as it will be signed and sent.
      payload: JSON.stringify({ id, type: event.eventType, createdAt: event.createdAt, data: event.data }),
      createdAt: event.createdAt,
    });
    return id;
  };
}
