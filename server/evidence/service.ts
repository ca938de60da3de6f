// Evidence upload: sniff the bytes against the allowlist, store them content-addressed, attach
// them to the case and recompute the case's record hash, in one transaction with the timeline
// event and webhook row (via the cases service). Same bytes on the same case: one entry.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { evidence } from '../db/schema.js';
import { principalName, type Principal } from '../auth/principal.js';
import { Problem } from '../errors.js';
import { assertCanAddEvidence, assertCanRead } from '../cases/access.js';
import { assertEvidenceOpen, type CaseService } from '../cases/service.js';
import { sha256Hex, storeBlob } from './blob-store.js';
import { evidenceByCase, toEvidenceItem } from './queries.js';
import type { EvidenceItemT } from './schemas.js';
import { evidenceContentTypes } from './schemas.js';
import { sniffContentType } from './sniff.js';

export interface EvidenceUpload {
  bytes: Buffer;
  filename?: string;
}

export function createEvidenceService(deps: {
  db: Db;
  cases: CaseService;
  evidenceDir: string;
  maxBytes: number;
  clock?: () => Date;
}) {
  const { db, cases } = deps;
  const clock = deps.clock ?? (() => new Date());

  return {
    maxBytes: deps.maxBytes,

    upload(caseId: string, principal: Principal, file: EvidenceUpload): { evidence: EvidenceItemT; recordHash: string; duplicate: boolean } {
      const owner = cases.ownership(caseId);
      assertCanAddEvidence(principal, owner, caseId);
      // Fail before touching the disk when the case no longer takes evidence.
      assertEvidenceOpen(owner.status, caseId);
      if (file.bytes.length > deps.maxBytes) {
        throw new Problem('payload_too_large', `Evidence files are limited to ${deps.maxBytes} bytes`, undefined, { limit: deps.maxBytes });
      }
      const contentType = sniffContentType(file.bytes);
      if (!contentType) {
        throw new Problem(
          'unsupported_media_type',
          `The file's bytes are not one of: ${evidenceContentTypes.join(', ')} (the file name and declared type are not trusted)`,
          [{ pointer: '/file', message: 'content is not an allowed type (pdf, png, jpeg, plain text, eml)' }],
          { allowed: evidenceContentTypes },
        );
      }
      const sha256 = sha256Hex(file.bytes);
      storeBlob(deps.evidenceDir, file.bytes);
      const actor = principalName(principal);
      return db.transaction(
        (tx) => {
          const existing = tx
            .select()
            .from(evidence)
            .where(and(eq(evidence.caseId, caseId), eq(evidence.sha256, sha256)))
            .get();
          if (existing) {
            // Same bytes already attached: nothing changes, the hash included them already.
            return { evidence: toEvidenceItem(existing), recordHash: cases.read(caseId)!.recordHash, duplicate: true };
          }
          const at = clock().toISOString();
          const row = {
            id: newId('evd'),
            caseId,
            sha256,
            contentType,
            size: file.bytes.length,
            filename: file.filename ? file.filename.slice(0, 255) : null,
            uploadedBy: actor,
            createdAt: at,
          };
          tx.insert(evidence).values(row).run();
          const hashes = tx
            .select({ sha256: evidence.sha256 })
            .from(evidence)
            .where(eq(evidence.caseId, caseId))
            .all()
            .map((r) => r.sha256);
          const recordHash = cases.recordEvidence(tx, {
            caseId,
            actor,
            evidenceSha256: hashes,
            added: { id: row.id, sha256, contentType },
            at,
          });
          return { evidence: toEvidenceItem(row), recordHash, duplicate: false };
        },
        { behavior: 'immediate' },
      );
    },

    list(caseId: string, principal: Principal): EvidenceItemT[] {
      assertCanRead(principal, cases.ownership(caseId), caseId);
      return evidenceByCase(db, [caseId]).get(caseId) ?? [];
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
