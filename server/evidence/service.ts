// Evidence upload: authorize and check the case and the quotas before any byte of the body is
// read (prepareUpload), stream the file to a temporary file within the allowance (routes.ts,
// blob-store.ts), sniff its structure against the allowlist, store it content-addressed and
// attach it to the case, recomputing the case's record hash, in one transaction with the
// timeline event and webhook row (via the cases service). Same bytes on the same case: one entry.
//
// Quotas (issue 9, Medium 5): files and bytes per case, and bytes per caller over 24 hours
// across all cases; checked before reading, enforced while streaming, and checked again inside
// the transaction, so concurrent uploads cannot together pass a limit. "Caller" is the merchant,
// arbitrator or admin by its principal, but a claimant by the client address: claimants file
// anonymously and each case has its own token, so counting by token would give whoever files
// many cases a fresh allowance with each (quotaKey).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { evidence } from '../db/schema.js';
import { principalName, type Principal } from '../auth/principal.js';
import { Problem } from '../errors.js';
import type { EvidenceQuota } from '../config.js';
import { assertCanAddEvidence, assertCanRead } from '../cases/access.js';
import { assertEvidenceOpen, type CaseService } from '../cases/service.js';
import { textProblem } from '../cases/text-checks.js';
import { clientNetwork } from '../http/rate-limit.js';
import { blobPath, sha256Hex, storeBlob, storeStaged, type StagedUpload } from './blob-store.js';
import { evidenceByCase, toEvidenceItem } from './queries.js';
import type { EvidenceItemT } from './schemas.js';
import { evidenceContentTypes } from './schemas.js';
import { sniffContentType, sniffFile, type EvidenceContentType } from './sniff.js';

export interface EvidenceUpload {
  bytes: Buffer;
  filename?: string;
}

/** What prepareUpload grants: how many bytes this upload may have, and which limit sets that. */
export interface UploadTicket {
  caseId: string;
  /** The per-caller quota this upload counts against (quotaKey). */
  quotaKey: string;
  maxBytes: number;
  limitedBy: 'file' | 'case' | 'caller';
}

export type UploadResult = { evidence: EvidenceItemT; recordHash: string; duplicate: boolean };

/**
 * Whose per-caller quota an upload counts against. A claimant's token opens one case, and anyone
 * may file cases anonymously, so a claimant is counted by the address it uploads from (its /64
 * for IPv6, server/http/rate-limit.ts clientNetwork); the other principals by themselves.
 */
export function quotaKey(principal: Principal, address: string | undefined): string {
  if ((principal.kind === 'claimant' || principal.kind === 'anonymous') && address) return `addr:${clientNetwork(address)}`;
  return principalName(principal);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const UNLIMITED: EvidenceQuota = { filesPerCase: Number.MAX_SAFE_INTEGER, bytesPerCase: Number.MAX_SAFE_INTEGER, bytesPerCallerPerDay: Number.MAX_SAFE_INTEGER };

const unsupported = () =>
  new Problem(
    'unsupported_media_type',
    `The file's bytes are not one of: ${evidenceContentTypes.join(', ')} (the file name and declared type are not trusted; the structure is checked, not only the first bytes)`,
    [{ pointer: '/file', message: 'content is not an allowed type (pdf, png, jpeg, plain text, eml)' }],
    { allowed: evidenceContentTypes },
  );

/** Staged uploads left by a process that died mid-upload: gone after an hour (no upload takes that long). */
function sweepStaged(tmpDir: string, now: number): void {
  if (!existsSync(tmpDir)) return;
  for (const name of readdirSync(tmpDir)) {
    const path = join(tmpDir, name);
    try {
      if (name.endsWith('.part') && now - statSync(path).mtimeMs > 60 * 60 * 1000) rmSync(path, { force: true });
    } catch {
      // Taken by another process meanwhile.
    }
  }
}

/** The file name as shown to others: its last path segment, refused when it hides what it is. */
export function cleanFilename(filename: string | undefined): string | null {
  if (!filename) return null;
  const base = filename.split(/[\\/]/).pop()!.slice(0, 255);
  const problem = textProblem(base, '/file/filename');
  if (problem) throw Problem.validation([{ pointer: '/file', message: `the file name: ${problem}` }]);
  if (!/[^\s.]/.test(base)) return null;
  return base;
}

export function createEvidenceService(deps: {
  db: Db;
  cases: CaseService;
  evidenceDir: string;
  maxBytes: number;
  quota?: EvidenceQuota;
  clock?: () => Date;
  /** CASE_RESPONSE_SECONDS: a case against a merchant takes evidence until its response deadline. */
  responseSeconds?: number;
}) {
  const { db, cases } = deps;
  const clock = deps.clock ?? (() => new Date());
  const quota = deps.quota ?? UNLIMITED;
  const tmpDir = join(deps.evidenceDir, 'tmp');
  sweepStaged(tmpDir, clock().getTime());

  const caseUsage = db
    .select({ files: sql<number>`count(*)`, bytes: sql<number>`coalesce(sum(${evidence.size}), 0)` })
    .from(evidence)
    .where(eq(evidence.caseId, sql.placeholder('caseId')))
    .prepare();
  const callerBytes = db
    .select({ bytes: sql<number>`coalesce(sum(${evidence.size}), 0)` })
    .from(evidence)
    .where(and(eq(evidence.quotaKey, sql.placeholder('key')), gt(evidence.createdAt, sql.placeholder('since'))))
    .prepare();

  // A case against a merchant stays `filed` until the response scheduler moves it on, which may
  // be late (a poll away, or longer while it is down); evidence closes at the deadline itself.
  const responseDeadline = db.$client.prepare(
    `select c.merchant_id as merchantId, c.created_at as createdAt, r.due_at as dueAt
       from cases c left join case_responses r on r.case_id = c.id where c.id = ?`,
  );
  function assertBeforeResponseDeadline(caseId: string): void {
    if (deps.responseSeconds === undefined) return;
    const row = responseDeadline.get(caseId) as { merchantId: string | null; createdAt: string; dueAt: string | null } | undefined;
    if (!row?.merchantId) return;
    const dueAt = row.dueAt ?? new Date(Date.parse(row.createdAt) + deps.responseSeconds * 1000).toISOString();
    if (Date.parse(dueAt) <= clock().getTime()) {
      throw new Problem('evidence_closed', `Case ${caseId} closed its response window, and with it evidence, at ${dueAt}`, undefined, { caseId, caseStatus: 'filed', dueAt });
    }
  }

  /** The allowance left for one more file from this caller on this case; a problem when none is. */
  function allowance(caseId: string, key: string): UploadTicket {
    const used = caseUsage.get({ caseId })!;
    const since = new Date(clock().getTime() - DAY_MS).toISOString();
    const byCaller = callerBytes.get({ key, since })!.bytes;
    if (used.files >= quota.filesPerCase) {
      throw new Problem('evidence_quota_exceeded', `Case ${caseId} already holds ${used.files} evidence files, the most a case may hold`, undefined, {
        quota: 'files_per_case',
        limit: quota.filesPerCase,
        used: used.files,
      });
    }
    const caseLeft = quota.bytesPerCase - used.bytes;
    const callerLeft = quota.bytesPerCallerPerDay - byCaller;
    if (caseLeft <= 0 || callerLeft <= 0) {
      const perCase = caseLeft <= 0;
      throw new Problem(
        'evidence_quota_exceeded',
        perCase
          ? `Case ${caseId} already holds ${used.bytes} bytes of evidence, the most a case may hold`
          : `This caller uploaded ${byCaller} bytes of evidence in the last 24 hours, the most allowed`,
        undefined,
        perCase
          ? { quota: 'bytes_per_case', limit: quota.bytesPerCase, used: used.bytes }
          : { quota: 'bytes_per_caller', limit: quota.bytesPerCallerPerDay, used: byCaller },
      );
    }
    const maxBytes = Math.min(deps.maxBytes, caseLeft, callerLeft);
    const limitedBy = maxBytes === deps.maxBytes ? 'file' : maxBytes === caseLeft ? 'case' : 'caller';
    return { caseId, quotaKey: key, maxBytes, limitedBy };
  }

  function tooLarge(ticket: UploadTicket): Problem {
    const why = {
      file: `Evidence files are limited to ${ticket.maxBytes} bytes`,
      case: `This case's evidence quota has ${ticket.maxBytes} bytes left`,
      caller: `This caller's evidence quota has ${ticket.maxBytes} bytes left for the next 24 hours`,
    }[ticket.limitedBy];
    return new Problem('payload_too_large', why, [{ pointer: '/file', message: `is larger than ${ticket.maxBytes} bytes` }], {
      limit: ticket.maxBytes,
      quota: ticket.limitedBy === 'file' ? 'bytes_per_file' : ticket.limitedBy === 'case' ? 'bytes_per_case' : 'bytes_per_caller',
    });
  }

  /** Inserts the row and recomputes the record hash, unless the case already has these bytes. */
  function attach(tx: Executor, caseId: string, actor: string, key: string, file: { sha256: string; size: number; contentType: EvidenceContentType; filename: string | null }): UploadResult {
    const existing = tx
      .select()
      .from(evidence)
      .where(and(eq(evidence.caseId, caseId), eq(evidence.sha256, file.sha256)))
      .get();
    if (existing) {
      // Same bytes already attached: nothing changes, the hash included them already.
      return { evidence: toEvidenceItem(existing), recordHash: cases.read(caseId)!.recordHash, duplicate: true };
    }
    // Again inside the transaction: two uploads racing past the first check do not both fit.
    assertBeforeResponseDeadline(caseId);
    const left = allowance(caseId, key);
    if (file.size > left.maxBytes) throw tooLarge(left);
    const at = clock().toISOString();
    const row = { id: newId('evd'), caseId, sha256: file.sha256, contentType: file.contentType, size: file.size, filename: file.filename, uploadedBy: actor, quotaKey: key, createdAt: at };
    tx.insert(evidence).values(row).run();
    const hashes = tx
      .select({ sha256: evidence.sha256 })
      .from(evidence)
      .where(eq(evidence.caseId, caseId))
      .all()
      .map((r) => r.sha256);
    const recordHash = cases.recordEvidence(tx, { caseId, actor, evidenceSha256: hashes, added: { id: row.id, sha256: file.sha256, contentType: file.contentType }, at });
    return { evidence: toEvidenceItem(row), recordHash, duplicate: false };
  }

  return {
    maxBytes: deps.maxBytes,
    tmpDir,
    tooLarge,

    /**
     * Everything decided before the body is read: who may add evidence (401/404/403), whether
     * the case still takes it (409), and how many bytes the quotas leave (409 when none).
     */
    prepareUpload(caseId: string, principal: Principal, address?: string): UploadTicket {
      const owner = cases.ownership(caseId);
      assertCanAddEvidence(principal, owner, caseId);
      assertEvidenceOpen(owner.status, caseId);
      assertBeforeResponseDeadline(caseId);
      return allowance(caseId, quotaKey(principal, address));
    },

    /** Removes a staged upload that will not be attached. */
    discard(staged: StagedUpload): void {
      rmSync(staged.path, { force: true });
    },

    /** Attaches a staged upload (see blob-store.ts stageUpload); the staged file is gone afterwards. */
    commitUpload(ticket: UploadTicket, principal: Principal, staged: StagedUpload, filename: string | undefined): UploadResult {
      try {
        const name = cleanFilename(filename);
        const contentType = sniffFile(staged.path, staged.size);
        if (!contentType) throw unsupported();
        storeStaged(deps.evidenceDir, staged);
        const actor = principalName(principal);
        return db.transaction((tx) => attach(tx, ticket.caseId, actor, ticket.quotaKey, { sha256: staged.sha256, size: staged.size, contentType, filename: name }), {
          behavior: 'immediate',
        });
      } finally {
        rmSync(staged.path, { force: true });
      }
    },

    /** In-process upload of bytes already in memory (the web app, tools): the same checks. `address`: the client's, for a claimant's quota. */
    upload(caseId: string, principal: Principal, file: EvidenceUpload, address?: string): UploadResult {
      const ticket = this.prepareUpload(caseId, principal, address);
      if (file.bytes.length > ticket.maxBytes) throw tooLarge(ticket);
      const name = cleanFilename(file.filename);
      const contentType = sniffContentType(file.bytes);
      if (!contentType) throw unsupported();
      const sha256 = sha256Hex(file.bytes);
      storeBlob(deps.evidenceDir, file.bytes);
      const actor = principalName(principal);
      return db.transaction((tx) => attach(tx, caseId, actor, ticket.quotaKey, { sha256, size: file.bytes.length, contentType, filename: name }), { behavior: 'immediate' });
    },

    list(caseId: string, principal: Principal): EvidenceItemT[] {
      assertCanRead(principal, cases.ownership(caseId), caseId);
      return evidenceByCase(db, [caseId]).get(caseId) ?? [];
    },

    /** One evidence file of a case the caller may read: where its bytes are, and how to serve them. */
    content(caseId: string, evidenceId: string, principal: Principal): { path: string; item: EvidenceItemT } {
      assertCanRead(principal, cases.ownership(caseId), caseId);
      const row = db
        .select()
        .from(evidence)
        .where(and(eq(evidence.caseId, caseId), eq(evidence.id, evidenceId)))
        .get();
      if (!row) throw new Problem('not_found', `No evidence ${evidenceId} on case ${caseId}`);
      return { path: blobPath(deps.evidenceDir, row.sha256), item: toEvidenceItem(row) };
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
