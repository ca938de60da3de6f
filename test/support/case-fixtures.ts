// Valid CASES.md records, one or more per jurisdiction, and small helpers to derive variants.
// Shared by many suites: add records, never change the facts of an existing one. Every record
// names its respondent by name, so each can be filed anonymously through POST /v1/cases.
import type { CaseRecordT, ChargebackCaseRecordT, FlightCaseRecordT } from '../../server/cases/schemas.js';
import { parsePointer } from '../../server/cases/pointer.js';
import { sampleRecords } from '../../server/demo/records.js';

const { eu261Delay, eu261Cancellation, uk261Delay, usDotRefund, visaFraud, mastercardNotProvided } = sampleRecords;

const passenger = { name: 'A. Passenger', email: 'a.passenger@example.org' };

/** EU261 involuntary denied boarding OSL→FCO on DY (overbooking), two legs via CPH. */
const eu261DeniedBoarding: FlightCaseRecordT = {
  ref: 'fixture-eu261-denied-boarding',
  kind: 'flight',
  jurisdiction: 'EU261',
  claimant: passenger,
  respondent: { name: 'Norwegian Air Shuttle' },
  flight: {
    operatingCarrier: 'DY',
    flightNumbers: ['DY3301', 'DY1870'],
    itinerary: [
      { from: 'OSL', to: 'CPH' },
      { from: 'CPH', to: 'FCO' },
    ],
    disruption: 'denied_boarding',
    scheduledDeparture: '2026-05-02T08:00:00+02:00',
    scheduledArrival: '2026-05-02T13:30:00+02:00',
    actualArrival: '2026-05-02T19:00:00+02:00',
    deniedBoardingVoluntary: false,
    carrierStatedCause: 'the flight was overbooked',
  },
};

export const validRecords = {
  eu261Delay,
  eu261Cancellation,
  eu261DeniedBoarding,
  uk261Delay,
  usDotRefund,
  visaFraud,
  mastercardNotProvided,
} as const satisfies Record<string, CaseRecordT>;

export type FixtureName = keyof typeof validRecords;

/** A deep copy, safe to edit. */
export function cloneRecord<T>(record: T): T {
  return structuredClone(record);
}

/** A copy of `record` changed by `edit`: `variant(validRecords.eu261Delay, r => { r.flight.disruption = 'cancellation'; })`. */
export function variant<T>(record: T, edit: (draft: T) => void): T {
  const draft = cloneRecord(record);
  edit(draft);
  return draft;
}

function parentOf(root: unknown, ptr: string): { parent: Record<string, unknown> | unknown[]; key: string } {
  const tokens = parsePointer(ptr);
  if (tokens.length === 0) throw new Error('cannot edit the root');
  let node = root as Record<string, unknown>;
  for (const t of tokens.slice(0, -1)) {
    node = node[t] as Record<string, unknown>;
    if (typeof node !== 'object' || node === null) throw new Error(`no object at ${t} in ${ptr}`);
  }
  return { parent: node, key: tokens[tokens.length - 1] };
}

/** A copy (typed loosely: it need not be valid) with the value at `ptr` set, adding the field if absent. */
export function withField(record: unknown, ptr: string, value: unknown): Record<string, unknown> {
  const copy = cloneRecord(record) as Record<string, unknown>;
  const { parent, key } = parentOf(copy, ptr);
  (parent as Record<string, unknown>)[key] = value;
  return copy;
}

/** A copy with the field at `ptr` removed (an array entry is spliced out). */
export function withoutField(record: unknown, ptr: string): Record<string, unknown> {
  const copy = cloneRecord(record) as Record<string, unknown>;
  const { parent, key } = parentOf(copy, ptr);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return copy;
}
