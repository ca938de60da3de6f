// Deliveries: one per (event, endpoint). The database is the truth about what is owed and when;
// BullMQ jobs only wake the worker at the right time. Fan-out, every attempt's record and the
// retry decision are each one transaction, so a crash anywhere loses nothing: the sweep
// (dueDeliveries) re-enqueues every overdue pending delivery under its deterministic job id.
import { and, asc, desc, eq, getTableColumns, getTableName, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Table } from 'drizzle-orm';
import { fastRun } from '../db/fast-run.js';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookOutbox,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
  type WebhookOutboxRow,
} from '../db/schema.js';
import { Problem } from '../errors.js';
import type { RetryPolicy } from './backoff.js';
import type { EndpointService } from './endpoints.js';
import { publicEventType, subscribes } from './event-types.js';
import type { AttemptResult } from './send.js';

/** What one job asks for: attempt `attempt` of generation `generation` of a delivery. */
export interface DeliveryJob {
  deliveryId: string;
  generation: number;
  attempt: number;
}

export interface ScheduledJob extends DeliveryJob {
  delayMs: number;
}

/** `get({ id })` of one row by primary key, on a raw prepared statement, as drizzle's row type. */
export function rowById<R>(db: Db, table: Table): { get(p: { id: string }): R | undefined } {
  const list = Object.entries(getTableColumns(table))
    .map(([key, col]) => `"${col.name}" as "${key}"`)
    .join(', ');
  const stmt = db.$client.prepare(`select ${list} from "${getTableName(table)}" where "id" = ?`);
  return { get: ({ id }) => stmt.get(id) as R | undefined };
}

/** Deterministic and free of `:` (CONVENTIONS.md §3): re-adding it is a no-op while it exists. */
export function deliveryJobId(j: DeliveryJob): string {
  return `${j.deliveryId}-g${j.generation}-a${j.attempt}`;
}

/** Attempts listed per delivery in the log: the newest. Redeliveries add attempts without end. */
export const MAX_ATTEMPTS_LISTED = 20;

export type Notify = (merchantId: string, type: string, message: string, data: Record<string, unknown>) => void;

export interface DeliveryAttemptView {
  attempt: number;
  generation: number;
  startedAt: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

export interface DeliveryView {
  id: string;
  object: 'webhook_delivery';
  eventId: string;
  eventType: string;
  endpointId: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  succeededAt: string | null;
  createdAt: string;
  attemptLog: DeliveryAttemptView[];
}

export function createDeliveryService(deps: {
  db: Db;
  endpoints: EndpointService;
  policy: RetryPolicy;
  notify: Notify;
  clock?: () => Date;
  random?: () => number;
}) {
  const { db, endpoints, policy, notify } = deps;
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;

  const pendingOutbox = db
    .select({ id: webhookOutbox.id, merchantId: webhookOutbox.merchantId, eventType: webhookOutbox.eventType })
    .from(webhookOutbox)
    .where(eq(webhookOutbox.status, 'pending'))
    .orderBy(asc(webhookOutbox.id))
    .limit(sql.placeholder('limit'))
    .prepare();
  const anyPending = db.select({ id: webhookOutbox.id }).from(webhookOutbox).where(eq(webhookOutbox.status, 'pending')).limit(1).prepare();
  const markOutbox = db
    .update(webhookOutbox)
    .set({ status: sql`${sql.placeholder('status')}` })
    .where(and(eq(webhookOutbox.id, sql.placeholder('id')), eq(webhookOutbox.status, 'pending')))
    .prepare();
  const insertDelivery = db
    .insert(webhookDeliveries)
    .values({
      id: sql.placeholder('id'),
      eventId: sql.placeholder('eventId'),
      endpointId: sql.placeholder('endpointId'),
      merchantId: sql.placeholder('merchantId'),
      status: 'pending',
      attempts: 0,
      generation: 0,
      windowStart: sql.placeholder('now'),
      nextAttemptAt: sql.placeholder('now'),
      createdAt: sql.placeholder('now'),
      updatedAt: sql.placeholder('now'),
    })
    .onConflictDoNothing()
    .prepare();
  // The worker reads these by primary key for every attempt: straight on better-sqlite3, columns
  // aliased to the row types' names (drizzle's per-call mapping costs more than the read).
  const deliveryById = rowById<WebhookDeliveryRow>(db, webhookDeliveries);
  const outboxById = rowById<WebhookOutboxRow>(db, webhookOutbox);

  const fanOutTx = db.$client.transaction((limit: number): ScheduledJob[] => {
    const rows = pendingOutbox.all({ limit });
    const now = clock().toISOString();
    const byMerchant = new Map<string, WebhookEndpointRow[]>();
    const jobs: ScheduledJob[] = [];
    for (const row of rows) {
      let targets: WebhookEndpointRow[] = [];
      if (row.merchantId) {
        let all = byMerchant.get(row.merchantId);
        if (!all) byMerchant.set(row.merchantId, (all = endpoints.enabledOf(row.merchantId)));
        const type = publicEventType(row.eventType);
        targets = all.filter((e) => subscribes(JSON.parse(e.events) as string[], type));
      }
      for (const endpoint of targets) {
        const id = newId('whd');
        const { changes } = insertDelivery.run({ id, eventId: row.id, endpointId: endpoint.id, merchantId: endpoint.merchantId, now });
        if (changes === 1) jobs.push({ deliveryId: id, generation: 0, attempt: 1, delayMs: 0 });
      }
      markOutbox.run({ id: row.id, status: targets.length ? 'dispatched' : 'no_endpoint' });
    }
    return jobs;
  });

  // The worker records thousands of attempts a second: every statement is prepared once and run
  // straight on better-sqlite3 (fast-run.ts), inside one better-sqlite3 transaction per attempt.
  const insertAttempt = fastRun(
    db,
    db.insert(webhookAttempts).values({
      deliveryId: sql.placeholder('deliveryId'),
      generation: sql.placeholder('generation'),
      attempt: sql.placeholder('attempt'),
      startedAt: sql.placeholder('startedAt'),
      statusCode: sql.placeholder('statusCode'),
      latencyMs: sql.placeholder('latencyMs'),
      error: sql.placeholder('error'),
      responseBody: sql.placeholder('responseBody'),
    }),
  );
  const settleDelivery = fastRun(
    db,
    db
      .update(webhookDeliveries)
      .set({
        status: sql`${sql.placeholder('status')}`,
        attempts: sql`${sql.placeholder('attempts')}`,
        lastStatusCode: sql`${sql.placeholder('lastStatusCode')}`,
        lastError: sql`${sql.placeholder('lastError')}`,
        nextAttemptAt: sql`${sql.placeholder('nextAttemptAt')}`,
        succeededAt: sql`${sql.placeholder('succeededAt')}`,
        updatedAt: sql`${sql.placeholder('updatedAt')}`,
      })
      .where(eq(webhookDeliveries.id, sql.placeholder('id'))),
  );
  const clearFailing = fastRun(
    db,
    db
      .update(webhookEndpoints)
      .set({ failingSince: null })
      .where(and(eq(webhookEndpoints.id, sql.placeholder('id')), isNotNull(webhookEndpoints.failingSince))),
  );
  const startFailing = fastRun(
    db,
    db
      .update(webhookEndpoints)
      .set({ failingSince: sql`${sql.placeholder('at')}` })
      .where(and(eq(webhookEndpoints.id, sql.placeholder('id')), isNull(webhookEndpoints.failingSince))),
  );
  const disableEndpoint = fastRun(
    db,
    db
      .update(webhookEndpoints)
      .set({ status: 'disabled', disabledReason: sql`${sql.placeholder('reason')}`, updatedAt: sql`${sql.placeholder('at')}` })
      .where(and(eq(webhookEndpoints.id, sql.placeholder('id')), eq(webhookEndpoints.status, 'enabled'))),
  );

  function recordOne(job: DeliveryJob, startedAt: Date, result: AttemptResult): ScheduledJob | undefined {
    const d = deliveryById.get({ id: job.deliveryId });
    if (!d) return undefined;
    if (d.generation !== job.generation && job.generation < d.generation) {
      // A redelivery started a new generation while this attempt was on the wire: the attempt
      // happened (the receiver may well have it), so the log keeps it; it decides nothing more.
      insertAttempt({
        deliveryId: d.id,
        generation: job.generation,
        attempt: job.attempt,
        startedAt: startedAt.toISOString(),
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        error: result.error,
        responseBody: result.responseBody,
      });
      return undefined;
    }
    if (d.status !== 'pending' || d.generation !== job.generation || d.attempts !== job.attempt - 1) return undefined;
    const now = clock();
    const at = now.toISOString();
    insertAttempt({
      deliveryId: d.id,
      generation: d.generation,
      attempt: job.attempt,
      startedAt: startedAt.toISOString(),
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error,
      responseBody: result.responseBody,
    });
    const settle = (status: string, nextAttemptAt: string | null, succeededAt: string | null) =>
      settleDelivery({ id: d.id, status, attempts: job.attempt, lastStatusCode: result.statusCode, lastError: result.error, nextAttemptAt, succeededAt, updatedAt: at });
    if (result.ok) {
      settle('succeeded', null, at);
      clearFailing({ id: d.endpointId });
      return undefined;
    }
    const endpoint = endpoints.row(d.endpointId);
    if (endpoint) {
      const failingSince = endpoint.failingSince ?? at;
      if (!endpoint.failingSince) startFailing({ id: endpoint.id, at });
      if (endpoint.status === 'enabled' && now.getTime() - Date.parse(failingSince) >= policy.disableAfterMs) {
        const reason = `failed every delivery since ${failingSince}`;
        disableEndpoint({ id: endpoint.id, reason, at });
        notify(
          endpoint.merchantId,
          'webhook_endpoint.disabled',
          `Webhook endpoint ${endpoint.id} (${endpoint.url}) was disabled: it ${reason}. Fix it, enable it again and redeliver the events you missed.`,
          { endpointId: endpoint.id, url: endpoint.url, failingSince, lastError: result.error },
        );
      }
    }
    // The schedule runs from when each attempt was due, not from when it ran: a busy worker
    // neither stretches the schedule nor changes how many attempts fit in the window. An attempt
    // due in the past (the worker was down) runs at once.
    const due = Date.parse(d.nextAttemptAt ?? d.windowStart) + policy.delayMs(job.attempt, random());
    if (due - Date.parse(d.windowStart) > policy.windowMs) {
      settle('failed', null, null);
      return undefined;
    }
    const next = Math.max(due, now.getTime());
    settle('pending', new Date(next).toISOString(), null);
    return { deliveryId: d.id, generation: d.generation, attempt: job.attempt + 1, delayMs: next - now.getTime() };
  }
  const recordTx = db.$client.transaction(recordOne);

  const recordManyTx = db.$client.transaction((entries: { job: DeliveryJob; startedAt: Date; result: AttemptResult }[]) =>
    entries.map((e) => recordOne(e.job, e.startedAt, e.result)),
  );

  function toView(d: WebhookDeliveryRow, eventType: string, attempts: DeliveryAttemptView[]): DeliveryView {
    return {
      id: d.id,
      object: 'webhook_delivery',
      eventId: d.eventId,
      eventType: publicEventType(eventType),
      endpointId: d.endpointId,
      status: d.status as DeliveryView['status'],
      attempts: d.attempts,
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      succeededAt: d.succeededAt,
      createdAt: d.createdAt,
      attemptLog: attempts,
    };
  }

  const service = {
    /**
     * Turns up to `limit` pending outbox rows into deliveries (one per subscribed, enabled
     * endpoint of the row's merchant), marking the rows dispatched, in one transaction. Returns
     * the first attempts to enqueue.
     */
    fanOut(limit = 500): ScheduledJob[] {
      // The dispatcher polls often: take the write lock only when there is something to fan out.
      if (!anyPending.get()) return [];
      return fanOutTx.immediate(limit);
    },

    /**
     * Pending deliveries whose attempt was due more than `overdueMs` ago, with the job that must
     * exist for each: what the sweep re-enqueues after a crash or a lost job. Deliveries due
     * later, or only just due, have their job (a delayed retry's id is the same, so re-adding it
     * would be a no-op anyway; a first attempt travels in a batch job with another id).
     */
    dueDeliveries(overdueMs: number, limit = 10_000): ScheduledJob[] {
      const now = clock().getTime();
      return db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.nextAttemptAt, new Date(now - overdueMs).toISOString())))
        .orderBy(asc(webhookDeliveries.nextAttemptAt))
        .limit(limit)
        .all()
        .map((d) => ({
          deliveryId: d.id,
          generation: d.generation,
          attempt: d.attempts + 1,
          delayMs: Math.max(0, Date.parse(d.nextAttemptAt ?? d.createdAt) - now),
        }));
    },

    /**
     * What the worker needs for a job, or undefined when the job is stale (the delivery moved on,
     * was redelivered, or its endpoint is gone): a stale job is a no-op.
     */
    prepare(job: DeliveryJob): { delivery: WebhookDeliveryRow; endpoint: WebhookEndpointRow; event: WebhookOutboxRow } | undefined {
      const delivery = deliveryById.get({ id: job.deliveryId });
      if (!delivery || delivery.status !== 'pending' || delivery.generation !== job.generation || delivery.attempts !== job.attempt - 1) return undefined;
      const endpoint = endpoints.row(delivery.endpointId);
      if (!endpoint || endpoint.status !== 'enabled') {
        const now = clock().toISOString();
        db.update(webhookDeliveries)
          .set({ status: 'canceled', nextAttemptAt: null, lastError: `endpoint ${endpoint?.status ?? 'deleted'}`, updatedAt: now })
          .where(eq(webhookDeliveries.id, delivery.id))
          .run();
        return undefined;
      }
      const event = outboxById.get({ id: delivery.eventId });
      if (!event) return undefined;
      return { delivery, endpoint, event };
    },

    /**
     * Records one attempt and decides what follows, in one transaction: success; a retry after
     * the backoff (returned, to enqueue); or giving up when the retry window is spent. An endpoint
     * failing without a success for policy.disableAfterMs is disabled and its merchant told.
     */
    recordAttempt(job: DeliveryJob, startedAt: Date, result: AttemptResult): ScheduledJob | undefined {
      return recordTx.immediate(job, startedAt, result);
    },

    /** recordAttempt for several attempts in one transaction (one commit for a job's batch). */
    recordAttempts(entries: { job: DeliveryJob; startedAt: Date; result: AttemptResult }[]): (ScheduledJob | undefined)[] {
      return recordManyTx.immediate(entries);
    },

    /**
     * prepare() for each of several jobs. Not one read transaction: prepare may cancel a delivery,
     * and a write inside a read transaction that another writer overtook fails (SQLITE_BUSY_SNAPSHOT).
     */
    prepareMany(jobs: DeliveryJob[]) {
      return jobs.map((j) => service.prepare(j));
    },

    /** The delivery log of one endpoint of the merchant, newest first, with each attempt. */
    log(merchantId: string, endpointId: string, query: { limit?: number; starting_after?: string }): { object: 'list'; data: DeliveryView[]; has_more: boolean } {
      endpoints.assertOwned(merchantId, endpointId);
      const limit = query.limit ?? 20;
      const where = [eq(webhookDeliveries.endpointId, endpointId)];
      if (query.starting_after) where.push(lt(webhookDeliveries.id, query.starting_after));
      const rows = db
        .select({ d: webhookDeliveries, eventType: webhookOutbox.eventType })
        .from(webhookDeliveries)
        .innerJoin(webhookOutbox, eq(webhookOutbox.id, webhookDeliveries.eventId))
        .where(and(...where))
        .orderBy(desc(webhookDeliveries.id))
        .limit(limit + 1)
        .all();
      const page = rows.slice(0, limit);
      const ids = page.map((r) => r.d.id);
      // The newest MAX_ATTEMPTS_LISTED of each delivery, oldest first.
      const newest = db
        .select({ id: webhookAttempts.id, n: sql<number>`row_number() over (partition by ${webhookAttempts.deliveryId} order by ${webhookAttempts.id} desc)`.as('n') })
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, ids))
        .as('newest');
      const attempts = ids.length
        ? db
            .select({ a: webhookAttempts })
            .from(webhookAttempts)
            .innerJoin(newest, eq(newest.id, webhookAttempts.id))
            .where(lte(newest.n, MAX_ATTEMPTS_LISTED))
            .orderBy(asc(webhookAttempts.id))
            .all()
            .map((r) => r.a)
        : [];
      const byDelivery = new Map<string, DeliveryAttemptView[]>();
      for (const a of attempts) {
        const list = byDelivery.get(a.deliveryId) ?? [];
        list.push({ attempt: a.attempt, generation: a.generation, startedAt: a.startedAt, statusCode: a.statusCode, latencyMs: a.latencyMs, error: a.error, responseBody: a.responseBody });
        byDelivery.set(a.deliveryId, list);
      }
      return { object: 'list', data: page.map((r) => toView(r.d, r.eventType, byDelivery.get(r.d.id) ?? [])), has_more: rows.length > limit };
    },

    /**
     * Sends an event of the merchant again, now: to one endpoint (created if the event was never
     * owed to it) or to every endpoint it was owed to. A new generation with a fresh retry window.
     */
    redeliver(merchantId: string, eventId: string, endpointId?: string): { jobs: ScheduledJob[]; deliveries: string[] } {
      return db.transaction(
        () => {
          const event = outboxById.get({ id: eventId });
          if (!event || event.merchantId !== merchantId) throw new Problem('not_found', `No event ${eventId}`);
          const now = clock().toISOString();
          if (endpointId) {
            endpoints.assertOwned(merchantId, endpointId);
            insertDelivery.run({ id: newId('whd'), eventId, endpointId, merchantId, now });
          }
          const where = [eq(webhookDeliveries.eventId, eventId), eq(webhookDeliveries.merchantId, merchantId)];
          if (endpointId) where.push(eq(webhookDeliveries.endpointId, endpointId));
          const rows = db.select().from(webhookDeliveries).where(and(...where)).all();
          const jobs: ScheduledJob[] = [];
          for (const d of rows) {
            const endpoint = endpoints.row(d.endpointId);
            if (!endpoint || endpoint.status !== 'enabled') continue;
            const generation = d.generation + 1;
            db.update(webhookDeliveries)
              .set({ status: 'pending', generation, attempts: 0, windowStart: now, nextAttemptAt: now, succeededAt: null, updatedAt: now })
              .where(eq(webhookDeliveries.id, d.id))
              .run();
            jobs.push({ deliveryId: d.id, generation, attempt: 1, delayMs: 0 });
          }
          if (jobs.length === 0) throw new Problem('not_found', `No enabled endpoint of yours is owed event ${eventId}`);
          return { jobs, deliveries: jobs.map((j) => j.deliveryId) };
        },
        { behavior: 'immediate' },
      );
    },

    /** Deliveries still owed whose next attempt is due by `at` (for tests and the operator). */
    countPending(at = clock()): number {
      return db
        .select({ n: sql<number>`count(*)` })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, at.toISOString())))
        .get()!.n;
    },
  };
  return service;
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
