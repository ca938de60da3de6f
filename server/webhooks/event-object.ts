// The body of a webhook: an event object in Stripe's shape, built from its outbox row.
//   { "id": "evt_…", "object": "event", "type": "case.created", "created": <unix s>,
//     "data": { "object": { …the facts of the event… } } }
// Built from the row alone, so every attempt (and a redelivery) sends the same bytes.
import type { WebhookOutboxRow } from '../db/schema.js';
import { publicEventType } from './event-types.js';

export interface EventObject {
  id: string;
  object: 'event';
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}

export function eventObject(row: Pick<WebhookOutboxRow, 'id' | 'eventType' | 'payload' | 'createdAt'>): EventObject {
  const payload = JSON.parse(row.payload) as { data?: Record<string, unknown> };
  return {
    id: row.id,
    object: 'event',
    type: publicEventType(row.eventType),
    created: Math.floor(Date.parse(row.createdAt) / 1000),
    data: { object: payload.data ?? {} },
  };
}

export function eventBody(row: Pick<WebhookOutboxRow, 'id' | 'eventType' | 'payload' | 'createdAt'>): string {
  return JSON.stringify(eventObject(row));
}
