// Read side of the evidence feature, for the cases service to embed evidence in case views.
import { asc, inArray } from 'drizzle-orm';
import type { Executor } from '../db/connection.js';
import { evidence, type EvidenceRow } from '../db/schema.js';
import type { EvidenceItemT } from './schemas.js';
import type { EvidenceContentType } from './sniff.js';

export function toEvidenceItem(row: EvidenceRow): EvidenceItemT {
  return {
    id: row.id,
    object: 'evidence',
    caseId: row.caseId,
    sha256: row.sha256,
    contentType: row.contentType as EvidenceContentType,
    size: row.size,
    filename: row.filename,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt,
  };
}

/** Evidence of each case, oldest first; cases without evidence are absent from the map. */
export function evidenceByCase(db: Executor, caseIds: string[]): Map<string, EvidenceItemT[]> {
  const out = new Map<string, EvidenceItemT[]>();
  if (caseIds.length === 0) return out;
  const rows = db.select().from(evidence).where(inArray(evidence.caseId, caseIds)).orderBy(asc(evidence.id)).all();
  for (const row of rows) {
    const list = out.get(row.caseId) ?? [];
    list.push(toEvidenceItem(row));
    out.set(row.caseId, list);
  }
  return out;
}
