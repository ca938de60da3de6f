// UK261 featurizer (LAW.md §2): the UK scope facts (UK = GB + NI; destination in an EU member
// state for art. 3(1)(b)(ii)) as one code, then the disruption block shared with EU261.
import type { CaseRecordT } from '../cases/schemas.js';
import type { Airport } from '../reference-data/airports.js';
import { inEu261Area, inUk, isCommunityCarrier, isUkCarrier } from '../reference-data/regions.js';
import type { Featurizer, FeatureSpec } from '../inference/featurizer.js';
import { COMPENSATION_FEATURES, compensationVector } from './flight-compensation.js';
import { bit, flightFacts, span } from './flight-facts.js';

// SI 2019/278 art. 3(1)(b)(ii) says "a member State": the EU261 Area without EEA states and CH.
const EEA_AND_CH = new Set(['NO', 'IS', 'LI', 'CH']);
export const inEuMemberState = (a: Airport): boolean => inEu261Area(a) && !EEA_AND_CH.has(a.country);

/**
 * scope = 16·(first departure in the UK) + 8·(final destination in the UK) + 4·(final destination
 * in the EU) + 2·(UK carrier) + (Community carrier); the UK and the EU never both hold the final
 * destination. The rules read it by thresholds: S1 ⇔ scope ≥ 16; S2 ⇔ 9 ≤ scope ≤ 11 (UK
 * destination, some UK or Community carrier, no UK departure); S3 ⇔ 6 ≤ scope ≤ 7.
 */
const features: readonly FeatureSpec[] = [span('scope', 0, 31), ...COMPENSATION_FEATURES];

export const uk261Featurizer: Featurizer = {
  id: 'uk261',
  version: '2.0.0', // 2.0.0: the stated cause as concepts (flight-cause-concepts.ts), was a 301-word vocabulary
  features,
  featurize(record: CaseRecordT): BigInt64Array {
    const facts = flightFacts(record, 'UK261');
    const scope =
      16 * bit(inUk(facts.first)) +
      8 * bit(inUk(facts.last)) +
      4 * bit(inEuMemberState(facts.last)) +
      2 * bit(isUkCarrier(facts.carrier)) +
      bit(isCommunityCarrier(facts.carrier));
    return compensationVector(features, scope, facts);
  },
};
