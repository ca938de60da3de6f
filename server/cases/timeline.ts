// The case timeline: an append-only list of what happened to a case. Every write goes with its
// webhook outbox row, inside the caller's transaction.
import { asc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/connection.js';
import { caseEvents, type CaseEventRow } from '../db/schema.js';
import { writeOutboxRow } from '../webhooks/outbox.js';
import type { CaseStatus } from './state-machine.js';
import type { TimelineEventT } from './resources.js';

export interface CaseEventInput {
  caseId: string;
  merchantId: string | null;
  type: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  actor: string;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Appends the timeline event and its `case.<type>` webhook row; returns both ids. */
export function recordCaseEvent(tx: Executor, e: CaseEventInput): { eventId: number; outboxId: string } {
  const { lastInsertRowid } = tx
    .insert(caseEvents)
    .values({
      caseId: e.caseId,
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actor: e.actor,
      data: JSON.stringify(e.data),
      createdAt: e.createdAt,
    })
    .run();
  const outboxId = writeOutboxRow(tx, {
    caseId: e.caseId,
    merchantId: e.merchantId,
    eventType: `case.${e.type}`,
    data: { caseId: e.caseId, status: e.toStatus, previousStatus: e.fromStatus, actor: e.actor, ...e.data },
    createdAt: e.createdAt,
  });
  return { eventId: Number(lastInsertRowid), outboxId };
}

export function toTimelineEvent(row: CaseEventRow): TimelineEventT {
  return {
    id: row.id,
    object: 'timeline_event',
    caseId: row.caseId,
    type: row.type,
    fromStatus: row.fromStatus as CaseStatus | null,
    toStatus: row.toStatus as CaseStatus,
    actor: row.actor,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}

export function readTimeline(db: Db, caseId: string): TimelineEventT[] {
  return db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id)).all().map(toTimelineEvent);
}
