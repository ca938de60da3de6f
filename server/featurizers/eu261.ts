// EU261 featurizer (LAW.md §1): the three scope facts of §1.1 as one code, then the shared
// disruption block. The model, not the featurizer, applies every threshold: this only measures.
import type { CaseRecordT } from '../cases/schemas.js';
import { inEu261Area, isCommunityCarrier } from '../reference-data/regions.js';
import type { Featurizer, FeatureSpec } from '../inference/featurizer.js';
import { COMPENSATION_FEATURES, compensationVector } from './flight-compensation.js';
import { bit, flightFacts, span } from './flight-facts.js';

/**
 * scope = 4·(first departure in the Area) + 2·(final destination in the Area) + (Community
 * carrier): three 0/1 facts in one column (the first step's bound, flight-compensation.ts).
 * The rules read it by thresholds: S1 ⇔ scope ≥ 4; without S1, S2 ⇔ scope ≥ 3; intra ⇔ scope ≥ 6.
 */
const features: readonly FeatureSpec[] = [span('scope', 0, 7), ...COMPENSATION_FEATURES];

export const eu261Featurizer: Featurizer = {
  id: 'eu261',
  version: '2.0.0', // 2.0.0: the stated cause as concepts (flight-cause-concepts.ts), was a 301-word vocabulary
  features,
  featurize(record: CaseRecordT): BigInt64Array {
    const facts = flightFacts(record, 'EU261');
    const scope = 4 * bit(inEu261Area(facts.first)) + 2 * bit(inEu261Area(facts.last)) + bit(isCommunityCarrier(facts.carrier));
    return compensationVector(features, scope, facts);
  },
};
