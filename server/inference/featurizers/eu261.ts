// EU261 featurizer (LAW.md §1): scope facts of §1.1 as 0/1, then the shared disruption block.
// The model, not the featurizer, applies every threshold: the featurizer only measures.
import type { CaseRecordT } from '../../cases/schemas.js';
import { inEu261Area, isCommunityCarrier } from '../../reference-data/regions.js';
import type { Featurizer, FeatureSpec } from '../featurizer.js';
import { COMPENSATION_FEATURES, compensationValues } from './flight-compensation.js';
import { bit, flag, flightFacts, toVector } from './flight-facts.js';

const features: readonly FeatureSpec[] = [
  flag('first_departure_in_area'),
  flag('final_destination_in_area'),
  flag('community_carrier'),
  ...COMPENSATION_FEATURES,
];

export const eu261Featurizer: Featurizer = {
  id: 'eu261',
  version: '1.0.0',
  features,
  featurize(record: CaseRecordT): BigInt64Array {
    const facts = flightFacts(record, 'EU261');
    return toVector(features, [
      bit(inEu261Area(facts.first)),
      bit(inEu261Area(facts.last)),
      bit(isCommunityCarrier(facts.carrier)),
      ...compensationValues(facts),
    ]);
  },
};
