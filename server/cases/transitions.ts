// One service function per transition of the case state machine. Each runs ONE synchronous
// transaction that checks the move against the pure table (state-machine.ts), updates the case,
// appends the timeline event and writes the webhook outbox row; all or nothing. Chain calls,
// ONNX runs and HTTP happen before (their results go in `data`) or after, via the outbox.
// Pipeline and chain code call these; an illegal move throws a 409 `illegal_transition` Problem.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { cases } from '../db/schema.js';
import { Problem } from '../errors.js';
import { canTransition, transitionTable, type CaseAction, type CaseStatus } from './state-machine.js';
import { createCaseEventRecorder, type CaseEventRecorder } from './timeline.js';

export interface TransitionOptions {
  /** Who caused it: `system`, `node:<id>`, `arbitrator:<id>`, `claimant:<caseId>`… Default `system`. */
  actor?: string;
  /** Facts of the event (verdict, tx hash, reason); stored on the timeline and in the webhook. */
  data?: Record<string, unknown>;
  /** The webhook event type when it is not `case.<event>` (the pipeline's `verdict.proposed`…). */
  webhookType?: string;
}

export interface TransitionResult {
  caseId: string;
  action: CaseAction;
  from: CaseStatus;
  to: CaseStatus;
  version: number;
  eventId: number;
  outboxId: string;
  at: string;
}

export type TransitionFn = (caseId: string, options?: TransitionOptions) => TransitionResult;

export function createCaseTransitions(deps: { db: Db; clock?: () => Date; recordEvent?: CaseEventRecorder }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const recordEvent = deps.recordEvent ?? createCaseEventRecorder(db);
  const readCase = db
    .select({ status: cases.status, version: cases.version, merchantId: cases.merchantId })
    .from(cases)
    .where(eq(cases.id, sql.placeholder('id')))
    .prepare();
  const moveCase = db
    .update(cases)
    .set({ status: sql`${sql.placeholder('to')}`, version: sql`${sql.placeholder('version')}`, updatedAt: sql`${sql.placeholder('at')}` })
    .where(and(eq(cases.id, sql.placeholder('id')), eq(cases.version, sql.placeholder('expectedVersion'))))
    .prepare();

  /**
   * Applies `action` on the current connection without opening a transaction: for callers that
   * compose a bigger transaction of their own (`db.transaction(() => { …; applyInTransaction(…) })`).
   */
  function applyInTransaction(action: CaseAction, caseId: string, options: TransitionOptions = {}): TransitionResult {
    const row = readCase.get({ id: caseId });
    if (!row) throw new Problem('not_found', `No case ${caseId}`);
    const from = row.status as CaseStatus;
    const rule = transitionTable[action];
    if (!canTransition(from, action)) {
      throw new Problem('illegal_transition', `A case that is ${from} cannot ${action} (allowed from: ${rule.from.join(', ')})`, undefined, {
        caseId,
        caseStatus: from,
        action,
        allowedFrom: rule.from,
      });
    }
    const at = clock().toISOString();
    const version = row.version + 1;
    // The version guard makes a lost update impossible even if a caller forgot the transaction.
    const { changes } = moveCase.run({ to: rule.to, version, at, id: caseId, expectedVersion: row.version });
    if (changes !== 1) throw new Problem('illegal_transition', `Case ${caseId} changed concurrently; retry`, undefined, { caseId });
    const { eventId, outboxId } = recordEvent({
      caseId,
      merchantId: row.merchantId,
      type: rule.event,
      fromStatus: from,
      toStatus: rule.to,
      actor: options.actor ?? 'system',
      data: options.data ?? {},
      createdAt: at,
      webhookType: options.webhookType,
    });
    return { caseId, action, from, to: rule.to, version, eventId, outboxId, at };
  }

  const transition = (action: CaseAction, caseId: string, options: TransitionOptions = {}): TransitionResult =>
    // IMMEDIATE takes the write lock up front: two processes moving one case serialize instead
    // of failing with SQLITE_BUSY on lock upgrade.
    db.transaction(() => applyInTransaction(action, caseId, options), { behavior: 'immediate' });
  const fn =
    (action: CaseAction): TransitionFn =>
    (caseId, options) =>
      transition(action, caseId, options);
  return {
    transition,
    applyInTransaction,
    startExecution: fn('startExecution'),
    proposeVerdict: fn('proposeVerdict'),
    appeal: fn('appeal'),
    startReexecution: fn('startReexecution'),
    challenge: fn('challenge'),
    startBisection: fn('startBisection'),
    finalize: fn('finalize'),
    markPaid: fn('markPaid'),
    reject: fn('reject'),
    refuse: fn('refuse'),
    refuseUnruled: fn('refuseUnruled'),
    withdraw: fn('withdraw'),
  };
}

export type CaseTransitions = ReturnType<typeof createCaseTransitions>;
