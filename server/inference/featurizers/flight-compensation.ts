// The disruption block shared by the EU261 and UK261 featurizers (LAW.md §1.3, §2 "same tables"):
// distance, disruption one-hot, arrival delay, notice, reroute times, volunteer flag and the
// hashed words of `carrierStatedCause` (LAW.md §1.4). Each jurisdiction prepends its scope flags.
import { DEFAULT_TEXT_VECTOR_SPEC, textFeatureNames, textVector } from '../text-vector.js';
import type { FeatureSpec } from '../featurizer.js';
import { bit, flag, MAX_DISTANCE_M, MAX_NOTICE_DAYS, msBetween, span, timeSpan, type FlightFacts } from './flight-facts.js';

export const CAUSE_TEXT_SPEC = DEFAULT_TEXT_VECTOR_SPEC;

export const COMPENSATION_FEATURES: readonly FeatureSpec[] = [
  span('distance_m', 0, MAX_DISTANCE_M),
  flag('is_delay'),
  flag('is_cancellation'),
  flag('is_denied_boarding'),
  flag('has_actual_arrival'),
  timeSpan('delay_ms'), // actualArrival − scheduledArrival; 0 without an arrival
  span('notice_days', 0, MAX_NOTICE_DAYS), // missing = 0 (art. 5(4))
  flag('has_reroute'),
  timeSpan('early_ms'), // scheduledDeparture − reroute.departure; 0 without a reroute
  timeSpan('late_ms'), // reroute.arrival − scheduledArrival; 0 without a reroute
  flag('volunteer'),
  flag('has_cause'),
  ...textFeatureNames('cause', CAUSE_TEXT_SPEC).map((n) => span(n, 0, CAUSE_TEXT_SPEC.maxCount)),
];

export function compensationValues(facts: FlightFacts): number[] {
  const f = facts.record.flight;
  const delay = f.actualArrival === null ? 0 : msBetween(f.scheduledArrival, '/flight/scheduledArrival', f.actualArrival, '/flight/actualArrival');
  const r = f.reroute;
  const early = r ? msBetween(r.departure, '/flight/reroute/departure', f.scheduledDeparture, '/flight/scheduledDeparture') : 0;
  const late = r ? msBetween(f.scheduledArrival, '/flight/scheduledArrival', r.arrival, '/flight/reroute/arrival') : 0;
  const cause = f.carrierStatedCause?.trim() ?? '';
  return [
    facts.distanceM,
    bit(f.disruption === 'delay'),
    bit(f.disruption === 'cancellation'),
    bit(f.disruption === 'denied_boarding'),
    bit(f.actualArrival !== null),
    delay,
    Math.min(f.cancellationNoticeDays ?? 0, MAX_NOTICE_DAYS),
    bit(r !== undefined),
    early,
    late,
    bit(f.deniedBoardingVoluntary === true),
    bit(cause !== ''),
    ...textVector(cause, CAUSE_TEXT_SPEC),
  ];
}
