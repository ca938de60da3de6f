// The disruption block shared by the EU261 and UK261 featurizers (LAW.md §1.3, §2 "same tables"):
// distance, disruption code, arrival delay, notice, reroute times, volunteer flag and the concept
// counts of `carrierStatedCause` (LAW.md §1.4, B2; flight-cause-concepts.ts). Each jurisdiction
// prepends its scope code.
//
// Encodings are chosen for the one-step bound (server/inference/step-split.ts): the first step of
// the model reads the whole input and pays per constant entry, so every column it must carry past
// the text vector costs (input width) entries. Hence one disruption code instead of three flags,
// and "no arrival" / "no reroute" as a sentinel one below the clamped range of delay / late
// instead of separate flags — each still read exactly by a threshold (arrived ⇔ delay ≥ −clamp).
import type { FeatureSpec } from '../inference/featurizer.js';
import { CAUSE_CONCEPT_DIMS, causeConceptEntries, causeConceptFeatureNames, CONCEPT_MAX_COUNT } from './flight-cause-concepts.js';
import { bit, flag, MAX_DISTANCE_M, MAX_NOTICE_DAYS, msBetween, span, TIME_CLAMP_MS, toVectorSparseTail, type FlightFacts } from './flight-facts.js';


/** delay_ms when there is no actual arrival, late_ms when there is no reroute. */
export const ABSENT_MS = -TIME_CLAMP_MS - 1;

export const DISRUPTION_CODE = { delay: 0, cancellation: 1, denied_boarding: 2 } as const;

export const COMPENSATION_FEATURES: readonly FeatureSpec[] = [
  span('distance_m', 0, MAX_DISTANCE_M),
  span('disruption', 0, 2), // 0 delay, 1 cancellation, 2 denied boarding
  span('delay_ms', ABSENT_MS, TIME_CLAMP_MS), // actualArrival − scheduledArrival; ABSENT_MS without an arrival
  span('notice_days', 0, MAX_NOTICE_DAYS), // missing = 0 (art. 5(4))
  span('early_ms', -TIME_CLAMP_MS, TIME_CLAMP_MS), // scheduledDeparture − reroute.departure; 0 without a reroute
  span('late_ms', ABSENT_MS, TIME_CLAMP_MS), // reroute.arrival − scheduledArrival; ABSENT_MS without a reroute
  flag('volunteer'),
  ...causeConceptFeatureNames().map((n) => span(n, 0, CONCEPT_MAX_COUNT)),
];

/**
 * The flight models' input row: `scope` (the jurisdiction's code, first column, declared in
 * `features[0]`), then the disruption block. Written straight into the row (no 300-element
 * intermediate array per case, and only the text's non-zero counts); each value checked against
 * `features` as toVector does (a zero count is in range: the cause columns run from 0).
 */
export function compensationVector(features: readonly FeatureSpec[], scope: number, facts: FlightFacts): BigInt64Array {
  const f = facts.record.flight;
  const delay = f.actualArrival === null ? ABSENT_MS : msBetween(f.scheduledArrival, '/flight/scheduledArrival', f.actualArrival, '/flight/actualArrival');
  const r = f.reroute;
  const early = r ? msBetween(r.departure, '/flight/reroute/departure', f.scheduledDeparture, '/flight/scheduledDeparture') : 0;
  const late = r ? msBetween(f.scheduledArrival, '/flight/scheduledArrival', r.arrival, '/flight/reroute/arrival') : ABSENT_MS;
  const head = [
    scope,
    facts.distanceM,
    DISRUPTION_CODE[f.disruption],
    delay,
    Math.min(f.cancellationNoticeDays ?? 0, MAX_NOTICE_DAYS),
    early,
    late,
    bit(f.deniedBoardingVoluntary === true),
  ];
  return toVectorSparseTail(features, head, CAUSE_CONCEPT_DIMS, causeConceptEntries(f.carrierStatedCause ?? ''));
}
