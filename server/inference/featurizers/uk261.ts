// UK261 featurizer (LAW.md §2): the UK scope facts (UK = GB + NI; destination in an EU member
// state for art. 3(1)(b)(ii)), then the disruption block shared with EU261.
import type { CaseRecordT } from '../../cases/schemas.js';
import type { Airport } from '../../reference-data/airports.js';
import { inEu261Area, inUk, isCommunityCarrier, isUkCarrier } from '../../reference-data/regions.js';
import type { Featurizer, FeatureSpec } from '../featurizer.js';
import { COMPENSATION_FEATURES, compensationValues } from './flight-compensation.js';
import { bit, flag, flightFacts, toVector } from './flight-facts.js';

// SI 2019/278 art. 3(1)(b)(ii) says "a member State": the EU261 Area without EEA states and CH.
const EEA_AND_CH = new Set(['NO', 'IS', 'LI', 'CH']);
const inEuMemberState = (a: Airport): boolean => inEu261Area(a) && !EEA_AND_CH.has(a.country);

const features: readonly FeatureSpec[] = [
  flag('first_departure_in_uk'),
  flag('final_destination_in_uk'),
  flag('final_destination_in_eu'),
  flag('uk_carrier'),
  flag('community_carrier'),
  ...COMPENSATION_FEATURES,
];

export const uk261Featurizer: Featurizer = {
  id: 'uk261',
  version: '1.0.0',
  features,
  featurize(record: CaseRecordT): BigInt64Array {
    const facts = flightFacts(record, 'UK261');
    return toVector(features, [
      bit(inUk(facts.first)),
      bit(inUk(facts.last)),
      bit(inEuMemberState(facts.last)),
      bit(isUkCarrier(facts.carrier)),
      bit(isCommunityCarrier(facts.carrier)),
      ...compensationValues(facts),
    ]);
  },
};
