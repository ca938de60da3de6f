// HTTP shapes of the cases feature (responses, params, queries). The case record itself is
// server/cases/schemas.ts; these wrap it. They feed route validation, serialization and /docs.
import { Type, type Static } from 'typebox';
import { CaseRecord, ChargebackCaseRecord, FlightCaseRecord } from './schemas.js';
import { caseStatuses } from './state-machine.js';
import { EvidenceItem } from '../evidence/schemas.js';
import { CHARGEBACK_JURISDICTIONS, FLIGHT_JURISDICTIONS } from './schemas.js';

/** The CASES.md example: EU261 delay, FRA→JFK on LH400, 3 h 25 late at the door. */
export const exampleRecord = {
  ref: 'client-123',
  kind: 'flight',
  jurisdiction: 'EU261',
  claimant: { name: 'A. Passenger', email: 'a@example.org' },
  respondent: { name: 'Deutsche Lufthansa AG' },
  narrative: 'We landed more than three hours late.',
  flight: {
    operatingCarrier: 'LH',
    flightNumbers: ['LH400'],
    itinerary: [{ from: 'FRA', to: 'JFK' }],
    disruption: 'delay',
    scheduledDeparture: '2026-03-01T10:00:00+01:00',
    scheduledArrival: '2026-03-01T12:45:00-05:00',
    actualArrival: '2026-03-01T16:10:00-05:00',
    carrierStatedCause: 'technical fault with the aircraft',
  },
} as const;

/** The filing body as documented: the case record, with a complete example. */
export const CaseRecordBody = Type.Union([FlightCaseRecord, ChargebackCaseRecord], {
  description:
    'Exactly one case record of CASES.md: `kind` "flight" with `flight`, or "chargeback" with `chargeback`. Unknown fields are rejected, each named by its JSON pointer.',
  examples: [exampleRecord],
});

export const CaseStatus = Type.Enum([...caseStatuses], {
  description:
    'filed → executing → proposed → (appealed → re-executing | challenged → bisecting) → final → paid; or rejected, withdrawn. re-executing and bisecting return to proposed (a new window, so the verdict may still be appealed) when the chain proposes the verdict again after a re-execution or a dispute game.',
});

const RecordHash = Type.String({
  pattern: '^0x[0-9a-f]{64}$',
  description:
    'keccak256 of the RFC 8785 canonical JSON of the hashed document: the record, plus (once evidence is attached) a top-level `evidenceSha256` array of the evidence files\' sha256 hex digests, sorted. With no evidence it is keccak256(JCS(record)). Recomputed on each upload while the case is `filed`.',
  examples: ['0x3f5a0c1b7e6d4f2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a'],
});

export const CaseView = Type.Object(
  {
    id: Type.String({ examples: ['cs_019b0c7e1a2f3c4d5e6f708192a3b4c5'] }),
    object: Type.Literal('case'),
    status: CaseStatus,
    kind: Type.Union([Type.Literal('flight'), Type.Literal('chargeback')]),
    jurisdiction: Type.String({ examples: ['EU261'] }),
    ref: Type.Union([Type.String(), Type.Null()]),
    merchantId: Type.Union([Type.String(), Type.Null()], { description: 'The respondent merchant the case belongs to, if any.' }),
    recordHash: RecordHash,
    record: CaseRecord,
    evidence: Type.Array(EvidenceItem, { description: 'Attached evidence files with their sha256.' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type CaseViewT = Static<typeof CaseView>;

export const FiledCase = Type.Object(
  {
    ...CaseView.properties,
    accessToken: Type.Union([Type.String(), Type.Null()], {
      description:
        'Bearer token for the claimant: reads and acts on this case only. Shown once; Arbiter keeps only its hash. null when a merchant files: the merchant is the respondent and never holds the claimant\'s token (the admin issues it to the claimant with POST /v1/cases/{id}/claimant-token).',
      examples: ['ct_019b0c7e1a2f3c4d5e6f708192a3.Vb3mXk0wq2v8R4JwqkKc1uV0mJp6tqz5Hq3xYl2fN0A'],
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        id: 'cs_019b0c7e1a2f3c4d5e6f708192a3',
        object: 'case',
        status: 'filed',
        kind: 'flight',
        jurisdiction: 'EU261',
        ref: 'client-123',
        merchantId: null,
        recordHash: '0x3f5a0c1b7e6d4f2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a',
        record: exampleRecord,
        evidence: [],
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
        accessToken: 'ct_019b0c7e1a2f3c4d5e6f708192a3.Vb3mXk0wq2v8R4JwqkKc1uV0mJp6tqz5Hq3xYl2fN0A',
      },
    ],
  },
);
export type FiledCaseT = Static<typeof FiledCase>;

export const CaseList = Type.Object(
  {
    object: Type.Literal('list'),
    data: Type.Array(CaseView),
    has_more: Type.Boolean({ description: 'True when more cases follow; pass the last id as starting_after.' }),
  },
  { additionalProperties: false },
);
export type CaseListT = Static<typeof CaseList>;

export const ListCasesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'Page size (1–100).' })),
    starting_after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'A case id: return the cases listed after it (older ones).' }),
    ),
    status: Type.Optional(CaseStatus),
    jurisdiction: Type.Optional(Type.Enum([...FLIGHT_JURISDICTIONS, ...CHARGEBACK_JURISDICTIONS])),
    kind: Type.Optional(Type.Union([Type.Literal('flight'), Type.Literal('chargeback')])),
  },
  { additionalProperties: false },
);
export type ListCasesQueryT = Static<typeof ListCasesQuery>;

export const CaseIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const TimelineEvent = Type.Object(
  {
    id: Type.Integer(),
    object: Type.Literal('timeline_event'),
    caseId: Type.String(),
    type: Type.String({ examples: ['filed', 'evidence_added', 'execution_started', 'withdrawn'] }),
    fromStatus: Type.Union([CaseStatus, Type.Null()]),
    toStatus: CaseStatus,
    actor: Type.String({ examples: ['anonymous', 'claimant:cs_…', 'merchant:mch_…', 'system'] }),
    data: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type TimelineEventT = Static<typeof TimelineEvent>;

export const Timeline = Type.Object(
  { object: Type.Literal('list'), data: Type.Array(TimelineEvent), has_more: Type.Boolean() },
  { additionalProperties: false },
);

export const WithdrawBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, examples: ['The airline paid me directly.'] })) },
  { additionalProperties: false },
);

export const ClaimantToken = Type.Object(
  {
    caseId: Type.String(),
    accessToken: Type.String({ description: "The claimant's new bearer token for this case, shown once; the previous one stops working." }),
  },
  { additionalProperties: false },
);
