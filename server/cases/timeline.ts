// The case timeline: an append-only list of what happened to a case. Every write goes with its
// webhook outbox row, inside the caller's transaction.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { fastRun } from '../db/fast-run.js';
import { caseEvents, type CaseEventRow } from '../db/schema.js';
import { createOutboxWriter } from '../webhooks/outbox.js';
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
  /** The webhook event type when it is not `case.<type>` (e.g. `verdict.proposed`). */
  webhookType?: string;
}

export type CaseEventRecorder = (e: CaseEventInput) => { eventId: number; outboxId: string };

/**
 * Returns the function that appends a timeline event and its `case.<type>` webhook row. Call it
 * inside the caller's transaction: the prepared statements run on the same connection, so both
 * rows commit or roll back with the change they describe.
 */
export function createCaseEventRecorder(db: Db): CaseEventRecorder {
  // Every transition and every filing appends one: run straight on its statement (fast-run.ts).
  const insertEvent = fastRun<Record<string, unknown>>(
    db,
    db.insert(caseEvents).values({
      caseId: sql.placeholder('caseId'),
      type: sql.placeholder('type'),
      fromStatus: sql.placeholder('fromStatus'),
      toStatus: sql.placeholder('toStatus'),
      actor: sql.placeholder('actor'),
      data: sql.placeholder('data'),
      createdAt: sql.placeholder('createdAt'),
    }),
  );
  const writeOutbox = createOutboxWriter(db);
  return (e) => {
    const { lastInsertRowid } = insertEvent({
      caseId: e.caseId,
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actor: e.actor,
      data: JSON.stringify(e.data),
      createdAt: e.createdAt,
    });
    const outboxId = writeOutbox({
      caseId: e.caseId,
      merchantId: e.merchantId,
      eventType: e.webhookType ?? `case.${e.type}`,
      data: { caseId: e.caseId, status: e.toStatus, previousStatus: e.fromStatus, actor: e.actor, ...e.data },
      createdAt: e.createdAt,
    });
    return { eventId: Number(lastInsertRowid), outboxId };
  };
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
