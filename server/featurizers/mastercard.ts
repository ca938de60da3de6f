// Mastercard featurizer (LAW.md §5): reason-code one-hot ‖ common card facts. No CE counts:
// compelling evidence for 4837 is not modelled (LAW.md §6.4).
import type { CaseRecordT } from '../cases/schemas.js';
import type { Featurizer } from '../inference/featurizer.js';
import { CARD_FACT_FEATURES, chargebackOf, reasonCodeFeatures, writeCardFacts, writeReasonCode } from './card-facts.js';

export const MASTERCARD_CODES = ['4837', '4853', '4834', '4808'] as const;

const features = [...reasonCodeFeatures(MASTERCARD_CODES), ...CARD_FACT_FEATURES];

export const mastercardFeaturizer: Featurizer = {
  id: 'mastercard',
  version: '1.0.0',
  features,
  featurize(record: CaseRecordT): BigInt64Array {
    const cb = chargebackOf(record);
    const out = new BigInt64Array(features.length);
    writeReasonCode(cb, MASTERCARD_CODES, out);
    writeCardFacts(cb, out, MASTERCARD_CODES.length);
    return out;
  },
};
