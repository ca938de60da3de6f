// One service function per transition of the case state machine. Each runs ONE synchronous
// transaction that checks the move against the pure table (state-machine.ts), updates the case,
// appends the timeline event and writes the webhook outbox row; all or nothing. Chain calls,
// ONNX runs and HTTP happen before (their results go in `data`) or after, via the outbox.
// Pipeline and chain code call these; an illegal move throws a 409 `illegal_transition` Problem.
import { and, eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/connection.js';
import { cases } from '../db/schema.js';
import { Problem } from '../errors.js';
import { canTransition, transitionTable, type CaseAction, type CaseStatus } from './state-machine.js';
import { recordCaseEvent } from './timeline.js';

export interface TransitionOptions {
  /** Who caused it: `system`, `node:<id>`, `arbitrator:<id>`, `claimant:<caseId>`… Default `system`. */
  actor?: string;
  /** Facts of the event (verdict, tx hash, reason); stored on the timeline and in the webhook. */
  data?: Record<string, unknown>;
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

/** Applies `action` inside an already open transaction (for callers composing a bigger one). */
export function applyTransition(
  tx: Executor,
  action: CaseAction,
  caseId: string,
  options: TransitionOptions,
  now: Date,
): TransitionResult {
  const row = tx
    .select({ status: cases.status, version: cases.version, merchantId: cases.merchantId })
    .from(cases)
    .where(eq(cases.id, caseId))
    .get();
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
  const at = now.toISOString();
  const version = row.version + 1;
  // The version guard makes a lost update impossible even if a caller forgot the transaction.
  const { changes } = tx
    .update(cases)
    .set({ status: rule.to, version, updatedAt: at })
    .where(and(eq(cases.id, caseId), eq(cases.version, row.version)))
    .run();
  if (changes !== 1) throw new Problem('illegal_transition', `Case ${caseId} changed concurrently; retry`, undefined, { caseId });
  const { eventId, outboxId } = recordCaseEvent(tx, {
    caseId,
    merchantId: row.merchantId,
    type: rule.event,
    fromStatus: from,
    toStatus: rule.to,
    actor: options.actor ?? 'system',
    data: options.data ?? {},
    createdAt: at,
  });
  return { caseId, action, from, to: rule.to, version, eventId, outboxId, at };
}

export type TransitionFn = (caseId: string, options?: TransitionOptions) => TransitionResult;

export function createCaseTransitions(deps: { db: Db; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const transition = (action: CaseAction, caseId: string, options: TransitionOptions = {}): TransitionResult =>
    // IMMEDIATE takes the write lock up front: two processes moving one case serialize instead
    // of failing with SQLITE_BUSY on lock upgrade.
    db.transaction((tx) => applyTransition(tx, action, caseId, options, clock()), { behavior: 'immediate' });
  const fn =
    (action: CaseAction): TransitionFn =>
    (caseId, options) =>
      transition(action, caseId, options);
  return {
    transition,
    startExecution: fn('startExecution'),
    proposeVerdict: fn('proposeVerdict'),
    appeal: fn('appeal'),
    startReexecution: fn('startReexecution'),
    challenge: fn('challenge'),
    startBisection: fn('startBisection'),
    finalize: fn('finalize'),
    markPaid: fn('markPaid'),
    reject: fn('reject'),
    withdraw: fn('withdraw'),
  };
}

export type CaseTransitions = ReturnType<typeof createCaseTransitions>;
