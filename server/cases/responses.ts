// A merchant's response to a case against it. Such a case waits in `filed` while its response
// window is open: from filing until filedAt + CASE_RESPONSE_SECONDS. The merchant's facts replace
// the claimant's in the record the model decides on; the record hash is recomputed over the new
// record (and the evidence), and the timeline's `response_submitted` event keeps both versions of
// every fact the response touched. When the deadline passes, responded or not (then
// `response_lapsed`), the case is ready to proceed: a response does not close the window early,
// since proceeding closes evidence and the claimant keeps the whole window to add it. Each change is one transaction with its
// timeline event and outbox row (transitions.ts).
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { caseResponses, cases, type CaseResponseRow } from '../db/schema.js';
import { principalName, type Principal } from '../auth/principal.js';
import { Problem } from '../errors.js';
import { evidenceByCase } from '../evidence/queries.js';
import { assertCanRead } from './access.js';
import { canonicalRecordJson, hashCanonicalJson } from './record-hash.js';
import type { CaseResponseBodyT, CaseResponseViewT } from './response-schemas.js';
import type { CaseRecordT } from './schemas.js';
import { createCaseEventRecorder } from './timeline.js';
import { createCaseTransitions } from './transitions.js';
import { validateCaseRecord } from './validate.js';

export interface OpenedWindow {
  caseId: string;
  dueAt: string;
}

/**
 * Called when a filed case against a merchant may proceed (responded, or the deadline passed).
 * Must be idempotent: the scheduler calls it again for a case still `filed` after a restart.
 */
export type ProceedHook = (caseId: string, why: 'responded' | 'lapsed') => void;

export function createCaseResponseService(deps: { db: Db; responseSeconds: number; clock?: () => Date; proceed?: ProceedHook }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  // Until the pipeline takes over, proceeding is the `startExecution` transition itself.
  const transitions = createCaseTransitions({ db, clock });
  const proceed: ProceedHook =
    deps.proceed ??
    ((caseId, why) => {
      try {
        transitions.startExecution(caseId, { actor: 'system', data: { response: why } });
      } catch (err) {
        // Another process moved it first: nothing to do.
        if (!(err instanceof Problem && err.slug === 'illegal_transition')) throw err;
      }
    });
  const recordEvent = createCaseEventRecorder(db);
  const dueAfter = (createdAt: string) => new Date(Date.parse(createdAt) + deps.responseSeconds * 1000).toISOString();

  const caseById = db.select().from(cases).where(eq(cases.id, sql.placeholder('id'))).prepare();
  const responseById = db.select().from(caseResponses).where(eq(caseResponses.caseId, sql.placeholder('id'))).prepare();

  function event(caseId: string, merchantId: string, type: string, actor: string, data: Record<string, unknown>, at: string) {
    recordEvent({ caseId, merchantId, type, fromStatus: 'filed', toStatus: 'filed', actor, data, createdAt: at });
  }

  // Filed merchant cases without a window. INDEXED BY: without statistics SQLite would walk every
  // filed case by status; the partial index holds only filed cases against a merchant.
  const withoutWindow = db.$client.prepare(
    `select c.id as id, c.merchant_id as merchantId, c.created_at as createdAt
       from cases c indexed by cases_filed_merchant_idx
       left join case_responses r on r.case_id = c.id
      where c.status = 'filed' and c.merchant_id is not null and r.case_id is null
      order by c.id limit ?`,
  );

  /** Opens the window of up to `limit` filed merchant cases that have none yet; `case.response_due` for each. */
  const openTx = db.$client.transaction((limit: number): OpenedWindow[] => {
    const rows = withoutWindow.all(limit) as { id: string; merchantId: string; createdAt: string }[];
    const now = clock().toISOString();
    const opened: OpenedWindow[] = [];
    for (const row of rows) {
      const dueAt = dueAfter(row.createdAt);
      db.insert(caseResponses).values({ caseId: row.id, merchantId: row.merchantId!, status: 'awaiting', dueAt, createdAt: now }).onConflictDoNothing().run();
      event(row.id, row.merchantId!, 'response_due', 'system', { dueAt }, now);
      opened.push({ caseId: row.id, dueAt });
    }
    return opened;
  });

  function view(caseId: string): CaseResponseViewT {
    const c = caseById.get({ id: caseId })!;
    const r = responseById.get({ id: caseId });
    return {
      object: 'case_response',
      caseId,
      status: (r?.status ?? 'awaiting') as CaseResponseViewT['status'],
      dueAt: r?.dueAt ?? dueAfter(c.createdAt),
      response: r?.response ? (JSON.parse(r.response) as CaseResponseBodyT) : null,
      respondedAt: r?.respondedAt ?? null,
      recordHash: c.recordHash,
    };
  }

  /** Only the merchant the case is against may respond; anyone else who may read it gets 403. */
  function assertRespondent(p: Principal, caseId: string) {
    const c = caseById.get({ id: caseId });
    assertCanRead(p, c ? { id: c.id, merchantId: c.merchantId } : undefined, caseId);
    if (p.kind !== 'merchant') throw new Problem('forbidden', 'Only the merchant the case is against may respond to it');
    return c!;
  }

  return {
    openWindows(limit = 500): OpenedWindow[] {
      return openTx.immediate(limit);
    },

    get(caseId: string, principal: Principal): CaseResponseViewT {
      const c = caseById.get({ id: caseId });
      assertCanRead(principal, c ? { id: c.id, merchantId: c.merchantId } : undefined, caseId);
      if (!c!.merchantId) throw new Problem('not_found', `Case ${caseId} is not against a merchant`);
      return view(caseId);
    },

    /** The merchant's response, before the deadline, while the case is filed. */
    respond(caseId: string, principal: Principal, body: CaseResponseBodyT): CaseResponseViewT {
      assertRespondent(principal, caseId);
      db.transaction(
        () => {
          const c = caseById.get({ id: caseId })!;
          const now = clock();
          const at = now.toISOString();
          const existing = responseById.get({ id: caseId });
          const dueAt = existing?.dueAt ?? dueAfter(c.createdAt);
          if (existing && existing.status !== 'awaiting') {
            throw new Problem('response_closed', `Case ${caseId} ${existing.status === 'responded' ? 'already has your response' : `closed its response window at ${dueAt}`}`, undefined, { caseId, dueAt });
          }
          if (c.status !== 'filed' || Date.parse(dueAt) <= now.getTime()) {
            throw new Problem('response_closed', `Case ${caseId} closed its response window at ${dueAt}`, undefined, { caseId, dueAt, caseStatus: c.status });
          }
          const record = JSON.parse(c.record) as CaseRecordT;
          const part = record.kind === 'chargeback' ? 'chargeback' : 'flight';
          const other = part === 'chargeback' ? 'flight' : 'chargeback';
          if (body[other] !== undefined || body[part] === undefined) {
            throw Problem.validation([{ pointer: `/${body[other] !== undefined ? other : part}`, message: `a ${record.kind} case takes a "${part}" response` }]);
          }
          const given = body[part] as Record<string, unknown>;
          const facts = record[part as keyof CaseRecordT] as Record<string, unknown>;
          const versions: Record<string, { claimant: unknown; merchant: unknown }> = {};
          for (const [field, value] of Object.entries(given)) versions[field] = { claimant: facts[field] ?? null, merchant: value };
          const merged = { ...record, [part]: { ...facts, ...given } };
          const checked = validateCaseRecord(merged);
          if (!checked.ok) throw Problem.validation(checked.errors);
          const evidence = (evidenceByCase(db, [caseId]).get(caseId) ?? []).map((e) => e.sha256);
          const canonical = canonicalRecordJson(checked.record);
          const hash = hashCanonicalJson(canonicalRecordJson(checked.record, evidence));
          db.update(cases)
            .set({ record: canonical, recordHash: hash, version: c.version + 1, updatedAt: at })
            .where(and(eq(cases.id, caseId), eq(cases.version, c.version)))
            .run();
          const row = { caseId, merchantId: c.merchantId!, status: 'responded', dueAt, response: JSON.stringify(body), respondedAt: at, createdAt: existing?.createdAt ?? at };
          db.insert(caseResponses).values(row).onConflictDoUpdate({ target: caseResponses.caseId, set: row }).run();
          event(caseId, c.merchantId!, 'response_submitted', principalName(principal), { recordHash: hash, previousRecordHash: c.recordHash, versions }, at);
        },
        { behavior: 'immediate' },
      );
      // The case proceeds when the window closes, not now: proceeding closes evidence, and a
      // merchant answering within moments of a filing would shut the claimant's evidence out.
      return view(caseId);
    },

    /** The deadline passed: without a response `response_lapsed`, then (either way) the case proceeds. True when it lapsed a window. */
    lapse(caseId: string): boolean {
      const lapsed = db.transaction(
        () => {
          const r = responseById.get({ id: caseId });
          const c = caseById.get({ id: caseId });
          const now = clock();
          if (!r || !c || c.status !== 'filed' || Date.parse(r.dueAt) > now.getTime()) return false;
          if (r.status === 'responded') return 'responded' as const;
          if (r.status !== 'awaiting') return false;
          const at = now.toISOString();
          db.update(caseResponses).set({ status: 'lapsed' }).where(eq(caseResponses.caseId, caseId)).run();
          event(caseId, r.merchantId, 'response_lapsed', 'system', { dueAt: r.dueAt }, at);
          return true;
        },
        { behavior: 'immediate' },
      );
      // A window that closed with a response proceeds now too (the deadline job lands here).
      if (lapsed === 'responded') proceed(caseId, 'responded');
      if (lapsed === true) proceed(caseId, 'lapsed');
      return lapsed === true;
    },

    /** Proceeds every case whose window closed but which is still filed (a crash between the two). */
    proceedReady(limit = 1000): number {
      const ids = this.readyToProceed(limit);
      for (const id of ids) proceed(id, responseById.get({ id })!.status as 'responded' | 'lapsed');
      return ids.length;
    },

    /** Lapses every awaiting window whose deadline has passed (the scheduler's catch-all). */
    lapseOverdue(limit = 1000): number {
      const now = clock().toISOString();
      const due = db
        .select({ caseId: caseResponses.caseId })
        .from(caseResponses)
        .where(and(eq(caseResponses.status, 'awaiting'), sql`${caseResponses.dueAt} <= ${now}`))
        .limit(limit)
        .all();
      let n = 0;
      for (const { caseId } of due) if (this.lapse(caseId)) n++;
      return n;
    },

    /** Whether a filed case may proceed: no merchant, or its response window closed (with or without a response). */
    mayProceed(caseId: string): boolean {
      const c = caseById.get({ id: caseId });
      if (!c) return false;
      if (!c.merchantId) return true;
      const r = responseById.get({ id: caseId });
      return r !== undefined && (r.status === 'lapsed' || (r.status === 'responded' && Date.parse(r.dueAt) <= clock().getTime()));
    },

    /** Awaiting windows, for the scheduler to (re)arm their deadline jobs after a restart. */
    awaiting(limit = 10_000): OpenedWindow[] {
      return db
        .select({ caseId: caseResponses.caseId, dueAt: caseResponses.dueAt })
        .from(caseResponses)
        .where(eq(caseResponses.status, 'awaiting'))
        .orderBy(asc(caseResponses.dueAt))
        .limit(limit)
        .all();
    },

    /** Windows closed (past the deadline, responded or lapsed) whose case is still filed: ready to proceed. */
    readyToProceed(limit = 1000): string[] {
      return db
        .select({ caseId: caseResponses.caseId })
        .from(caseResponses)
        .innerJoin(cases, eq(cases.id, caseResponses.caseId))
        .where(and(sql`${caseResponses.status} in ('responded', 'lapsed')`, sql`${caseResponses.dueAt} <= ${clock().toISOString()}`, eq(cases.status, 'filed')))
        .limit(limit)
        .all()
        .map((r) => r.caseId);
    },

    row(caseId: string): CaseResponseRow | undefined {
      return responseById.get({ id: caseId });
    },
  };
}

export type CaseResponseService = ReturnType<typeof createCaseResponseService>;
