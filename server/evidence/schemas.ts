import { Type, type Static } from 'typebox';

export const evidenceContentTypes = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'message/rfc822',
] as const;

export const EvidenceItem = Type.Object(
  {
    id: Type.String({ examples: ['evd_019b0c7e1a2f3c4d5e6f708192a3b4c5'] }),
    object: Type.Literal('evidence'),
    caseId: Type.String(),
    sha256: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'Lowercase hex sha256 of the bytes; part of the case record hash while the case is filed.',
    }),
    contentType: Type.Enum([...evidenceContentTypes], {
      description: 'Sniffed from the bytes, not taken from the upload header.',
    }),
    size: Type.Integer({ minimum: 0 }),
    filename: Type.Union([Type.String(), Type.Null()]),
    uploadedBy: Type.String({ examples: ['claimant:cs_…', 'merchant:mch_…', 'admin'] }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type EvidenceItemT = Static<typeof EvidenceItem>;

export const EvidenceUploaded = Type.Object(
  {
    evidence: EvidenceItem,
    /** The case's record hash after this upload (covers every evidence hash). */
    recordHash: Type.String({ pattern: '^0x[0-9a-f]{64}$' }),
    /** True when these exact bytes were already attached to this case: nothing new was stored. */
    duplicate: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const EvidenceList = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(EvidenceItem),
  has_more: Type.Boolean(),
});
