// US DOT refund featurizer (LAW.md §3, 14 CFR part 260). The stated cause is irrelevant there, so
// no text. `fare` is required whenever the record could entitle a refund (a US airport, no arrival,
// not denied boarding: rows U4/U5), because the award is the fare (§260.6(a)).
import type { CaseRecordT } from '../cases/schemas.js';
import { inUs } from '../reference-data/regions.js';
import { FeaturizeError, type Featurizer, type FeatureSpec } from '../inference/featurizer.js';
import { bit, flag, flightFacts, msBetween, timeSpan, toVector } from './flight-facts.js';

const features: readonly FeatureSpec[] = [
  flag('touches_us'), // some itinerary airport in the US (49 USC 40102)
  flag('domestic'), // every itinerary airport in the US: T = 3 h, else 6 h
  flag('is_cancellation'),
  flag('is_denied_boarding'),
  flag('has_actual_arrival'), // flew the changed flight or the alternative
  flag('has_reroute'),
  timeSpan('early_ms'), // scheduledDeparture − reroute.departure; 0 without a reroute
  timeSpan('late_ms'), // reroute.arrival − scheduledArrival; 0 without a reroute
];

export const usDotRefundFeaturizer: Featurizer = {
  id: 'us-dot-refund',
  version: '1.0.0',
  features,
  featurize(record: CaseRecordT): BigInt64Array {
    const facts = flightFacts(record, 'US_DOT_REFUND');
    const f = facts.record.flight;
    const touches = facts.airports.some(inUs);
    if (touches && f.actualArrival === null && f.disruption !== 'denied_boarding' && !f.fare) {
      throw new FeaturizeError('/flight/fare', 'US_DOT_REFUND needs the fare to refund (14 CFR 260.6(a))');
    }
    const r = f.reroute;
    return toVector(features, [
      bit(touches),
      bit(facts.airports.every(inUs)),
      bit(f.disruption === 'cancellation'),
      bit(f.disruption === 'denied_boarding'),
      bit(f.actualArrival !== null),
      bit(r !== undefined),
      r ? msBetween(r.departure, '/flight/reroute/departure', f.scheduledDeparture, '/flight/scheduledDeparture') : 0,
      r ? msBetween(f.scheduledArrival, '/flight/scheduledArrival', r.arrival, '/flight/reroute/arrival') : 0,
    ]);
  },
};
