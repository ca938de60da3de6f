// Facts every flight featurizer reads from a record (LAW.md §0): resolved airports and carrier,
// great-circle distance first `from` → last `to` in whole metres, and the time differences in
// milliseconds between UTC instants. Milliseconds, because the record carries at most 3
// fractional digits of a second (server/cases/schemas.ts Timestamp) and both "≥ 3 h" and
// "≤ 2 h" must be exact at the boundary (a rounding to minutes or seconds serves one of the two
// and breaks the other). Pure; a missing or unknown fact throws FeaturizeError with its pointer.
import type { CaseRecordT, FlightCaseRecordT } from '../cases/schemas.js';
import { findAirline, type Airline } from '../reference-data/airlines.js';
import { findAirport, type Airport } from '../reference-data/airports.js';
import { greatCircleMeters } from '../reference-data/distance.js';
import { parseInstant } from '../cases/time.js';
import { FeaturizeError, type FeatureSpec } from '../inference/featurizer.js';

/**
 * Time differences are clamped to ± 10 days: every threshold of LAW.md lies within ± 6 h, and
 * the models' threshold inputs (x − t + 1, sentinel one below −clamp included) then stay below
 * 2^31, where ONNX Runtime's int64 Clip is exact (arbitration-models/flight-law/decision-list.ts).
 */
export const TIME_CLAMP_MS = 10 * 24 * 3_600_000;
/** Half the circumference of the R = 6371 km sphere is 20,015,087 m. */
export const MAX_DISTANCE_M = 20_016_000;
export const MAX_NOTICE_DAYS = 366;

export interface FlightFacts {
  record: FlightCaseRecordT;
  airports: Airport[]; // every itinerary airport, in order (from, to of each leg)
  first: Airport;
  last: Airport;
  carrier: Airline;
  distanceM: number;
}

export function flightFacts(record: CaseRecordT, jurisdiction: FlightCaseRecordT['jurisdiction']): FlightFacts {
  if (record.kind !== 'flight') throw new FeaturizeError('/kind', `a ${jurisdiction} model decides flight cases, not ${record.kind}`);
  if (record.jurisdiction !== jurisdiction) {
    throw new FeaturizeError('/jurisdiction', `this featurizer is for ${jurisdiction}, the record is ${record.jurisdiction}`);
  }
  const f = record.flight;
  if (f.itinerary.length === 0) throw new FeaturizeError('/flight/itinerary', 'the itinerary has no legs');
  const legs = f.itinerary;
  const airports = new Array<Airport>(2 * legs.length);
  for (let i = 0; i < legs.length; i++) {
    airports[2 * i] = airport(legs[i].from, i, 'from');
    airports[2 * i + 1] = airport(legs[i].to, i, 'to');
  }
  const carrier = findAirline(f.operatingCarrier);
  if (!carrier) throw new FeaturizeError('/flight/operatingCarrier', `unknown airline ${f.operatingCarrier}`);
  const first = airports[0];
  const last = airports[airports.length - 1];
  return { record, airports, first, last, carrier, distanceM: Math.min(greatCircleMeters(first, last), MAX_DISTANCE_M) };
}

function airport(code: string, leg: number, end: 'from' | 'to'): Airport {
  const a = findAirport(code);
  if (!a) throw new FeaturizeError(`/flight/itinerary/${leg}/${end}`, `unknown airport ${code}`);
  return a;
}

/** `to − from` in ms between two ISO instants with offsets, clamped to ± TIME_CLAMP_MS. */
export function msBetween(from: string, fromPointer: string, to: string, toPointer: string): number {
  const a = instant(from, fromPointer);
  const b = instant(to, toPointer);
  return Math.max(-TIME_CLAMP_MS, Math.min(TIME_CLAMP_MS, b - a));
}

function instant(iso: string, pointer: string): number {
  // The record's Timestamp shape with a real date and time, read with integer arithmetic: the
  // value Date.parse gives for it, without a Date (fastInstant, else server/cases/time.ts
  // parseInstant). Anything else keeps the Date.parse path below, errors included.
  const exact = fastInstant(iso) ?? parseInstant(iso);
  if (exact !== undefined) return exact;
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || !/(Z|[+-]\d{2}:\d{2})$/.test(iso)) {
    throw new FeaturizeError(pointer, `${iso} is not an ISO 8601 time with a UTC offset`);
  }
  return t;
}

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (s: string, i: number): number => 10 * digit(s, i) + digit(s, i + 1);

/**
 * parseInstant's value for the usual shapes, `YYYY-MM-DDTHH:MM[:SS[.f…]]` + `Z` or `±HH:MM`,
 * read by character codes (parseInstant's regular expression, its ten captured strings and their
 * conversions cost ~0.5 µs per instant, and a flight case reads up to six); undefined for
 * anything else and for any field out of range, which then goes to parseInstant. Equal to
 * parseInstant wherever defined (test/unit/models/flight/featurizers.test.ts).
 */
export function fastInstant(s: string): number | undefined {
  const len = s.length;
  if (len < 17 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return undefined;
  const year = 100 * two(s, 0) + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  let i = 16;
  let second = 0;
  let millis = 0;
  if (s.charCodeAt(i) === 58) {
    second = two(s, i + 1);
    i += 3;
    if (s.charCodeAt(i) === 46) {
      let scale = 100;
      let n = 0;
      for (i++; n < 3 && i < len && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++, n++, scale /= 10) millis += digit(s, i) * scale;
      if (n === 0) return undefined;
    }
  }
  let offsetMinutes = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === len) {
    // Z
  } else if ((z === 43 || z === 45) && i + 6 === len && s.charCodeAt(i + 3) === 58) {
    const oh = two(s, i + 1);
    const om = two(s, i + 4);
    if (!(oh <= 18 && om <= 59 && oh * 60 + om <= 18 * 60)) return undefined;
    offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59) || Number.isNaN(year)) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return undefined;
  // days from 1970-01-01 (H. Hinnant's days_from_civil, as server/cases/time.ts)
  const yy = month <= 2 ? year - 1 : year;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return (((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

export const flag = (name: string): FeatureSpec => ({ name, min: 0n, max: 1n });
export const span = (name: string, min: number, max: number): FeatureSpec => ({ name, min: BigInt(min), max: BigInt(max) });
export const timeSpan = (name: string): FeatureSpec => span(name, -TIME_CLAMP_MS, TIME_CLAMP_MS);
export const bit = (b: boolean): number => (b ? 1 : 0);

/**
 * Each feature's range as numbers, where both ends are safe integers (so compared exactly), and
 * from which column on every feature admits 0 (toVectorSparseTail's precondition), once per list.
 */
interface NumberRange {
  min: Float64Array;
  max: Float64Array;
  exact: boolean;
  /** the least column from which every feature's range holds 0 (features.length if the last does not) */
  zeroFrom: number;
}
const numberRanges = new WeakMap<readonly FeatureSpec[], NumberRange>();
function numberRange(features: readonly FeatureSpec[]): NumberRange {
  let r = numberRanges.get(features);
  if (!r) {
    const safe = (b: bigint) => b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER);
    let zeroFrom = features.length;
    while (zeroFrom > 0 && features[zeroFrom - 1].min <= 0n && features[zeroFrom - 1].max >= 0n) zeroFrom--;
    r = {
      min: Float64Array.from(features, (f) => Number(f.min)),
      max: Float64Array.from(features, (f) => Number(f.max)),
      exact: features.every((f) => safe(f.min) && safe(f.max)),
      zeroFrom,
    };
    numberRanges.set(features, r);
  }
  return r;
}

/**
 * Writes numbers into a BigInt64Array, checking each against its declared range. Per case on the
 * decide path (300-odd columns for the flight models, most of them 0): a safe-integer value is
 * checked as a number against the cached number bounds and only a non-zero one becomes a BigInt;
 * anything else (a fraction, an unsafe integer) takes the BigInt path, which throws as before.
 */
export function toVector(features: readonly FeatureSpec[], values: readonly number[]): BigInt64Array {
  return toVectorParts(features, values, NO_VALUES);
}

const NO_VALUES: readonly number[] = [];

/** toVector(features, [...head, ...tail]) without building that array (the tail: a text vector). */
export function toVectorParts(features: readonly FeatureSpec[], head: ArrayLike<number>, tail: ArrayLike<number>): BigInt64Array {
  const n = head.length + tail.length;
  if (n !== features.length) throw new Error(`featurizer bug: ${n} values for ${features.length} features`);
  const out = new BigInt64Array(n);
  const range = numberRange(features);
  for (let i = 0; i < head.length; i++) put(out, features, range, i, head[i]);
  for (let i = 0, o = head.length; i < tail.length; i++) put(out, features, range, o + i, tail[i]);
  return out;
}

/**
 * toVector(features, [...head, ...counts]) where the tail (`tailLength` values) is given by its non-zero entries
 * ([index into the tail, value, …], text-vector.ts textVectorEntries) and every tail feature's
 * range holds 0 (checked once per feature list), so the zeros need no write and no check.
 */
export function toVectorSparseTail(features: readonly FeatureSpec[], head: ArrayLike<number>, tailLength: number, entries: readonly number[]): BigInt64Array {
  const n = head.length + tailLength;
  if (n !== features.length) throw new Error(`featurizer bug: ${n} values for ${features.length} features`);
  const out = new BigInt64Array(n);
  const range = numberRange(features);
  if (!range.exact || range.zeroFrom > head.length) {
    throw new Error(`featurizer bug: the features after column ${head.length} do not all admit 0`);
  }
  for (let i = 0; i < head.length; i++) put(out, features, range, i, head[i]);
  for (let j = 0; j < entries.length; j += 2) {
    const i = head.length + entries[j];
    if (!(i >= head.length && i < features.length)) throw new Error(`featurizer bug: tail entry ${entries[j]} outside the ${features.length - head.length} tail features`);
    put(out, features, range, i, entries[j + 1]);
  }
  return out;
}

function put(out: BigInt64Array, features: readonly FeatureSpec[], range: NumberRange, i: number, v: number): void {
  if (range.exact && Number.isSafeInteger(v) && v >= range.min[i] && v <= range.max[i]) {
    if (v !== 0) out[i] = BigInt(v); // the array starts at 0
    return;
  }
  const x = BigInt(v);
  const spec = features[i];
  if (x < spec.min || x > spec.max) throw new Error(`featurizer bug: ${spec.name} = ${x} outside [${spec.min}, ${spec.max}]`);
  out[i] = x;
}
