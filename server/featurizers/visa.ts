// Visa featurizer (LAW.md §4): reason-code one-hot ‖ common card facts ‖ CE 3.0 pair counts.
import type { CaseRecordT } from '../cases/schemas.js';
import type { Featurizer } from '../inference/featurizer.js';
import {
  CARD_FACT_FEATURES,
  CE3_FEATURES,
  chargebackOf,
  reasonCodeFeatures,
  writeCardFacts,
  writeCe3Counts,
  writeReasonCode,
} from './card-facts.js';

export const VISA_CODES = ['10.4', '12.6.1', '13.1', '13.2', '13.3', '13.6', '13.7'] as const;

const features = [...reasonCodeFeatures(VISA_CODES), ...CARD_FACT_FEATURES, ...CE3_FEATURES];

export const visaFeaturizer: Featurizer = {
  id: 'visa',
  version: '1.0.0',
  features,
  featurize(record: CaseRecordT): BigInt64Array {
    const cb = chargebackOf(record);
    const out = new BigInt64Array(features.length);
    writeReasonCode(cb, VISA_CODES, out);
    writeCardFacts(cb, out, VISA_CODES.length);
    writeCe3Counts(cb, out, VISA_CODES.length + CARD_FACT_FEATURES.length);
    return out;
  },
};
