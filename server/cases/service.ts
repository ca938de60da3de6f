// The cases service: filing, reading, listing, the claimant's withdrawal, and the state
// transitions (transitions.ts). Plain factory, no Fastify: the API, workers and the CLI share it.
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { createGroupCommit } from '../db/group-commit.js';
import { fastRun } from '../db/fast-run.js';
import { cases, type CaseRow } from '../db/schema.js';
import { principalName, requireKind, type Principal } from '../auth/principal.js';
import { hashSecret, newSecret, sameHash, tokenPrefixes } from '../auth/tokens.js';
import { Problem } from '../errors.js';
import { evidenceByCase } from '../evidence/queries.js';
import type { EvidenceItemT } from '../evidence/schemas.js';
import { assertCanRead, assertCanWithdraw, caseListScope, type CaseOwnership } from './access.js';
import { canonicalRecordJson, hashCanonicalJson, recordHash } from './record-hash.js';
import type { CaseListT, CaseViewT, FiledCaseT, ListCasesQueryT, TimelineEventT } from './resources.js';
import { CHARGEBACK_JURISDICTIONS, FLIGHT_JURISDICTIONS, type CaseRecordT } from './schemas.js';
import type { CaseStatus } from './state-machine.js';
import { createCaseEventRecorder, readTimeline } from './timeline.js';
import { createCaseTransitions, type TransitionResult } from './transitions.js';
import { validateCaseRecord } from './validate.js';
import { textProblem } from './text-checks.js';

interface FilingRow extends Record<string, unknown> {
  id: string;
  kind: string;
  jurisdiction: string;
  ref: string | null;
  record: string;
  recordHash: string;
  merchantId: string | null;
  accessTokenHash: string;
  filedBy: string;
  createdAt: string;
}

export interface MerchantDirectory {
  exists(id: string): boolean;
  /** Whether the merchant operates this ERC-792 arbitrable contract (server/merchants, merchant_arbitrables). */
  operatesArbitrable(merchantId: string, address: string): boolean;
}

/**
 * A claimant token is `ct_<case id without its prefix>.<256-bit secret>`: it names the one case it
 * opens (found by primary key) and only the secret's sha256 is stored on that case.
 */
export function claimantToken(caseId: string): string {
  return `${tokenPrefixes.claimant}${caseId.slice(caseId.indexOf('_') + 1)}.${newSecret('')}`;
}

export function caseIdInToken(token: string): string | undefined {
  const m = /^ct_([0-9a-f]{28})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return m ? `cs_${m[1]}` : undefined;
}

export function toCaseView(row: CaseRow, evidence: EvidenceItemT[]): CaseViewT {
  return {
    id: row.id,
    object: 'case',
    status: row.status as CaseStatus,
    kind: row.kind as CaseViewT['kind'],
    jurisdiction: row.jurisdiction,
    ref: row.ref,
    merchantId: row.merchantId,
    recordHash: row.recordHash,
    record: JSON.parse(row.record) as CaseRecordT,
    evidence,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** `view` as JSON text, with `recordJson` (the record's JSON text) written for its record. */
export function filedCaseJson(view: FiledCaseT, recordJson: string): string {
  const { id, object, status, kind, jurisdiction, ref, merchantId, recordHash, evidence, createdAt, updatedAt, accessToken } = view;
  const head = JSON.stringify({ id, object, status, kind, jurisdiction, ref, merchantId, recordHash });
  const tail = JSON.stringify({ evidence, createdAt, updatedAt, accessToken });
  return `${head.slice(0, -1)},"record":${recordJson},${tail.slice(1)}`;
}

export function createCaseService(deps: { db: Db; merchants: MerchantDirectory; clock?: () => Date }) {
  const { db, merchants } = deps;
  const clock = deps.clock ?? (() => new Date());
  const recordEvent = createCaseEventRecorder(db);
  const groupCommit = createGroupCommit(db);
  const transitions = createCaseTransitions({ db, clock, recordEvent });

  // Prepared once: filing and authentication are the hot paths. The filing insert runs straight
  // on its better-sqlite3 statement (fast-run.ts).
  const insertCase = fastRun<FilingRow>(
    db,
    db.insert(cases).values({
      id: sql.placeholder('id'),
      status: 'filed',
      kind: sql.placeholder('kind'),
      jurisdiction: sql.placeholder('jurisdiction'),
      ref: sql.placeholder('ref'),
      record: sql.placeholder('record'),
      recordHash: sql.placeholder('recordHash'),
      merchantId: sql.placeholder('merchantId'),
      accessTokenHash: sql.placeholder('accessTokenHash'),
      filedBy: sql.placeholder('filedBy'),
      version: 1,
      createdAt: sql.placeholder('createdAt'),
      updatedAt: sql.placeholder('createdAt'),
    }),
  );
  const tokenHashById = db
    .select({ accessTokenHash: cases.accessTokenHash })
    .from(cases)
    .where(eq(cases.id, sql.placeholder('id')))
    .prepare();
  const byId = db.select().from(cases).where(eq(cases.id, sql.placeholder('id'))).prepare();
  const ownershipById = db
    .select({ id: cases.id, merchantId: cases.merchantId, status: cases.status })
    .from(cases)
    .where(eq(cases.id, sql.placeholder('id')))
    .prepare();

  /** Which merchant the case belongs to; a merchant filing may only name itself. */
  function owningMerchant(record: CaseRecordT, p: Principal): string | null {
    const named = record.respondent.merchantId;
    if (p.kind === 'merchant') {
      if (named !== undefined && named !== p.id) {
        throw Problem.validation([{ pointer: '/respondent/merchantId', message: 'a merchant may only file cases naming itself' }]);
      }
      return p.id;
    }
    if (named === undefined) return null;
    if (!merchants.exists(named)) {
      throw Problem.validation([{ pointer: '/respondent/merchantId', message: `no merchant with id ${named}` }]);
    }
    return named;
  }

  interface Filing {
    view: FiledCaseT;
    row: FilingRow;
    event: Parameters<typeof recordEvent>[0];
  }

  /** Everything that needs no database write: validation, ownership, token, hash. */
  function prepareFiling(input: unknown, principal: Principal): Filing {
    const result = validateCaseRecord(input);
    if (!result.ok) throw Problem.validation(result.errors);
    const record = result.record;
    const merchantId = owningMerchant(record, principal);
    // ERC-792: the first record bound to a dispute decides it, so a merchant may only name a
    // dispute of an arbitrable contract it operates (the admin ties them); else merchant B could
    // bind its own record to merchant A's dispute before A files.
    const dispute = record.onchainDispute;
    if (dispute && principal.kind === 'merchant' && !merchants.operatesArbitrable(principal.id, dispute.arbitrable)) {
      const message = `${dispute.arbitrable.toLowerCase()} is not an arbitrable contract of this merchant: ask the operator to add it (PUT /v1/merchants/{id}/arbitrables/{address}) before filing its disputes`;
      throw new Problem('arbitrable_not_yours', `/onchainDispute/arbitrable: ${message}`, [{ pointer: '/onchainDispute/arbitrable', message }]);
    }
    const now = clock().toISOString();
    const id = newId('cs');
    // The claimant is the person the record names. A merchant filing is the respondent: it gets
    // no claimant credential, so it can never act as the claimant (the stored hash is of a
    // token nobody is shown; the admin issues the claimant's own with issueClaimantToken).
    const token = claimantToken(id);
    const accessToken = principal.kind === 'merchant' ? null : token;
    // Stored as its canonical JSON: the stored text is exactly what the filing hash covers.
    const canonical = canonicalRecordJson(record);
    const hash = hashCanonicalJson(canonical);
    const actor = principalName(principal);
    return {
      row: {
        id,
        kind: record.kind,
        jurisdiction: record.jurisdiction,
        ref: record.ref ?? null,
        record: canonical,
        recordHash: hash,
        merchantId,
        accessTokenHash: hashSecret(token),
        filedBy: actor,
        createdAt: now,
      },
      event: {
        caseId: id,
        merchantId,
        type: 'filed',
        fromStatus: null,
        toStatus: 'filed',
        actor,
        data: { recordHash: hash, kind: record.kind, jurisdiction: record.jurisdiction },
        createdAt: now,
      },
      view: {
        id,
        object: 'case',
        status: 'filed',
        kind: record.kind,
        jurisdiction: record.jurisdiction,
        ref: record.ref ?? null,
        merchantId,
        recordHash: hash,
        record,
        evidence: [],
        createdAt: now,
        updatedAt: now,
        accessToken,
      },
    };
  }

  /** The case row, its `filed` timeline event and the `case.filed` outbox row; call inside a transaction. */
  function writeFiling(filing: Filing): void {
    insertCase(filing.row);
    recordEvent(filing.event);
  }

  // better-sqlite3's own transaction function, created once (drizzle builds BEGIN/COMMIT per call).
  const fileTransaction = db.$client.transaction((filing: Filing) => writeFiling(filing));

  function view(row: CaseRow): CaseViewT {
    return toCaseView(row, evidenceByCase(db, [row.id]).get(row.id) ?? []);
  }

  return {
    ...transitions,

    /** Validates and files a case record, in its own transaction. Open to anyone (the portal files anonymously). */
    file(input: unknown, principal: Principal): FiledCaseT {
      const filing = prepareFiling(input, principal);
      fileTransaction.immediate(filing);
      return filing.view;
    },

    /**
     * The same, for the HTTP path: the rows are written in a group commit shared with the other
     * filings of this event-loop turn; the promise settles after that commit.
     */
    async fileShared(input: unknown, principal: Principal): Promise<FiledCaseT> {
      const filing = prepareFiling(input, principal);
      await groupCommit.run(() => writeFiling(filing));
      return filing.view;
    },

    /**
     * fileShared, answering with the 201 body as JSON text: the filed case as JSON.stringify
     * writes it, except that `record` is the canonical JSON already made for the hash and the
     * row (same value, members in canonical order), so the record is not serialised twice.
     */
    async fileSharedJson(input: unknown, principal: Principal): Promise<string> {
      const filing = prepareFiling(input, principal);
      await groupCommit.run(() => writeFiling(filing));
      return filedCaseJson(filing.view, filing.row.record);
    },

    /** The case a claimant token opens, if the token is genuine. */
    caseIdForAccessToken(token: string, hash: string): string | undefined {
      const caseId = caseIdInToken(token);
      const row = caseId ? tokenHashById.get({ id: caseId }) : undefined;
      return row && sameHash(row.accessTokenHash, hash) ? caseId : undefined;
    },

    /** Id, owner and status, for other features' access checks (evidence). */
    ownership(caseId: string): (CaseOwnership & { status: CaseStatus }) | undefined {
      const row = ownershipById.get({ id: caseId });
      return row ? { id: row.id, merchantId: row.merchantId, status: row.status as CaseStatus } : undefined;
    },

    get(caseId: string, principal: Principal): CaseViewT {
      const row = byId.get({ id: caseId });
      assertCanRead(principal, row, caseId);
      return view(row as CaseRow);
    },

    /** Unchecked read for trusted code (workers, pipeline): the record and its hash. */
    read(caseId: string): CaseViewT | undefined {
      const row = byId.get({ id: caseId });
      return row ? view(row) : undefined;
    },

    timeline(caseId: string, principal: Principal): TimelineEventT[] {
      assertCanRead(principal, ownershipById.get({ id: caseId }), caseId);
      return readTimeline(db, caseId);
    },

    /** Newest first; `starting_after` continues after that id (ids sort by creation time). */
    list(query: ListCasesQueryT, principal: Principal): CaseListT {
      const scope = caseListScope(principal);
      const limit = query.limit ?? 10;
      const where: SQL[] = [];
      if ('merchantId' in scope) where.push(eq(cases.merchantId, scope.merchantId));
      if ('caseId' in scope) where.push(eq(cases.id, scope.caseId));
      if (query.status) where.push(eq(cases.status, query.status));
      if (query.jurisdiction) where.push(eq(cases.jurisdiction, query.jurisdiction));
      // kind follows from the jurisdiction, which is indexed.
      if (query.kind) where.push(inArray(cases.jurisdiction, [...(query.kind === 'flight' ? FLIGHT_JURISDICTIONS : CHARGEBACK_JURISDICTIONS)]));
      if (query.starting_after) where.push(lt(cases.id, query.starting_after));
      const rows = db
        .select()
        .from(cases)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(cases.id))
        .limit(limit + 1)
        .all();
      const page = rows.slice(0, limit);
      const evidence = evidenceByCase(
        db,
        page.map((r) => r.id),
      );
      return { object: 'list', data: page.map((r) => toCaseView(r, evidence.get(r.id) ?? [])), has_more: rows.length > limit };
    },

    /**
     * A new claimant token for the case (admin only): the one given at filing stops working. For
     * a case a merchant filed, this is how its claimant gets access, delivered outside the API.
     */
    issueClaimantToken(caseId: string, principal: Principal): { caseId: string; accessToken: string } {
      requireKind(principal, 'admin');
      if (!ownershipById.get({ id: caseId })) throw new Problem('not_found', `No case ${caseId}`);
      const accessToken = claimantToken(caseId);
      db.update(cases).set({ accessTokenHash: hashSecret(accessToken) }).where(eq(cases.id, caseId)).run();
      return { caseId, accessToken };
    },

    /** The claimant withdraws their own case while it is not final. */
    withdrawByClaimant(caseId: string, principal: Principal, reason?: string): CaseViewT {
      assertCanWithdraw(principal, ownershipById.get({ id: caseId }), caseId);
      // Free text, held to the record's rules for free text (text-checks.ts).
      const problem = reason === undefined ? undefined : textProblem(reason, '/narrative');
      if (problem) throw Problem.validation([{ pointer: '/reason', message: problem }]);
      transitions.withdraw(caseId, { actor: principalName(principal), data: reason ? { reason } : {} });
      return view(byId.get({ id: caseId }) as CaseRow);
    },

    /**
     * Called by the evidence service inside its transaction, after inserting an evidence row:
     * the case must still be `filed`; its record hash is recomputed over the record plus all
     * evidence hashes, and the timeline + outbox get an `evidence_added` event.
     */
    recordEvidence(
      tx: Executor,
      input: { caseId: string; actor: string; evidenceSha256: string[]; added: { id: string; sha256: string; contentType: string }; at: string },
    ): string {
      const row = tx.select().from(cases).where(eq(cases.id, input.caseId)).get();
      if (!row) throw new Problem('not_found', `No case ${input.caseId}`);
      assertEvidenceOpen(row.status as CaseStatus, input.caseId);
      const hash = recordHash(JSON.parse(row.record) as object, input.evidenceSha256);
      tx.update(cases)
        .set({ recordHash: hash, version: row.version + 1, updatedAt: input.at })
        .where(eq(cases.id, input.caseId))
        .run();
      recordEvent({
        caseId: input.caseId,
        merchantId: row.merchantId,
        type: 'evidence_added',
        fromStatus: row.status as CaseStatus,
        toStatus: row.status as CaseStatus,
        actor: input.actor,
        data: { evidence: input.added, recordHash: hash },
        createdAt: input.at,
      });
      return hash;
    },
  };
}

/** The record hash is committed when execution starts, so evidence closes with `filed`. */
export function assertEvidenceOpen(status: CaseStatus, caseId: string): void {
  if (status !== 'filed') {
    throw new Problem('evidence_closed', `Case ${caseId} is ${status}; evidence is accepted only while it is filed`, undefined, {
      caseId,
      caseStatus: status,
    });
  }
}

export type CaseService = ReturnType<typeof createCaseService>;
export type { TransitionResult };
