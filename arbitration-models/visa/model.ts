// Visa (LAW.md §4) as an integer rule graph: the featurizer gives day counts and flags
// (server/inference/featurizers/visa.ts); every threshold and every row of the table is here,
// compiled exactly by rule-layers.ts into MATMUL/RELU layers and a first-match decision list.
import { visaFeaturizer } from '../../server/inference/featurizers/visa.js';
import { ruleModel } from '../../server/inference/rule-layers.js';
import type { ModelDefinition } from '../../server/models/definition.js';
import { classIndex } from '../card-law/card-classes.js';
import { checkRules } from '../card-law/rule-check.js';
import { visaOracle } from '../card-law/visa-oracle.js';
import { VISA_CLASSES } from './classes.js';

const LIMIT = 120; // LAW.md §0: day 120 in time, day 121 late
const CAP = 540; // 13.1: expected delivery counts at most 540 days after the transaction

export function buildVisa() {
  const b = ruleModel(visaFeaturizer.features);
  const k = (code: string) => classIndex(VISA_CLASSES, code);
  const rc = (code: string) => b.flag(`rc_${code.replaceAll('.', '_')}`);
  const daysTxn = 'days_since_transaction';

  // "later of txn, X": late ⇔ late from txn and (no X, or late from X). X before txn makes the
  // days from X larger than from txn, so txn wins exactly as "later of" says.
  const lateFromTxn = b.gt(daysTxn, LIMIT);
  const lateLaterOf = (given: string, daysFrom: string, capped: boolean) =>
    b.and(lateFromTxn, b.or(b.not(given), b.gt(daysFrom, LIMIT), ...(capped ? [b.gt(daysTxn, CAP + LIMIT)] : [])));
  const late = b.or(
    b.and(rc('10.4'), lateFromTxn),
    b.and(rc('12.6.1'), lateFromTxn),
    b.and(rc('13.1'), lateLaterOf('expected_delivery_given', 'days_since_expected_delivery', true)),
    b.and(rc('13.2'), lateFromTxn),
    b.and(rc('13.3'), lateLaterOf('delivery_date_given', 'days_since_delivery', false)),
    b.and(rc('13.6'), lateLaterOf('cancellation_given', 'days_since_cancellation', false)),
    b.and(rc('13.7'), lateLaterOf('expected_delivery_given', 'days_since_expected_delivery', false)),
  );

  // CE 3.0: some core-element pair matched by ≥ 2 prior transactions in the 120–365-day window.
  const ce3 = b.or(...['ce3_ip_deviceId', 'ce3_ip_shippingAddress', 'ce3_ip_account', 'ce3_deviceId_shippingAddress', 'ce3_deviceId_account'].map((f) => b.ge(f, 2)));
  const policyCovers = b.and('policy_disclosed', 'policy_applied');

  return b.decisionList(
    [
      { when: late, class: k('VISA.time_limit') }, // V1
      { when: b.flag('refund_issued'), class: k('VISA.credit_issued') }, // V2
      { when: b.and(rc('10.4'), 'channel_card_present'), class: k('VISA.10.4.card_present') },
      { when: b.and(rc('10.4'), b.not('three_ds_none')), class: k('VISA.10.4.3ds') },
      { when: b.and(rc('10.4'), ce3), class: k('VISA.10.4.ce3') },
      { when: rc('10.4'), class: k('VISA.10.4.fraud') },
      { when: b.and(rc('12.6.1'), 'duplicate_same_amount', 'duplicate_same_order'), class: k('VISA.12.6.1.duplicate') },
      { when: rc('12.6.1'), class: k('VISA.12.6.1.separate') },
      { when: b.and(rc('13.1'), 'expected_delivery_given', b.le('days_since_expected_delivery', 0)), class: k('VISA.13.1.premature') },
      { when: b.and(rc('13.1'), 'delivery_proof_none'), class: k('VISA.13.1.not_received') },
      { when: rc('13.1'), class: k('VISA.13.1.delivered') },
      { when: b.and(rc('13.2'), 'cancellation_given', b.gt('cancellation_before_transaction', 0)), class: k('VISA.13.2.cancelled') },
      { when: rc('13.2'), class: k('VISA.13.2.not_cancelled') },
      { when: b.and(rc('13.3'), b.or('return_attempted', 'return_received')), class: k('VISA.13.3.returned') },
      { when: rc('13.3'), class: k('VISA.13.3.no_return') },
      {
        when: b.and(rc('13.6'), b.or('return_received', b.and('cancellation_given', b.not(policyCovers)))),
        class: k('VISA.13.6.credit_due'),
      },
      { when: rc('13.6'), class: k('VISA.13.6.no_credit_due') },
      { when: b.and(rc('13.7'), b.not('cancellation_given')), class: k('VISA.13.7.not_cancelled') },
      { when: b.and(rc('13.7'), policyCovers), class: k('VISA.13.7.policy_applies') },
      { default: k('VISA.13.7.cancelled') }, // rc 13.7 with a cancellation the policy does not cover
    ],
    { classes: VISA_CLASSES.length },
  );
}

const visa: ModelDefinition = {
  id: 'visa',
  version: '1.0.0',
  jurisdiction: 'VISA',
  kind: 'chargeback',
  featurizer: visaFeaturizer,
  classes: VISA_CLASSES,
  seed: 4_2023, // CE 3.0 took effect 15 Apr 2023
  train: ({ seed, progress }) => checkRules(visa, 'VISA', visaOracle, 20_000, { seed, progress }),
  build: () => buildVisa(),
  training: {
    method:
      'None learned: the graph is LAW.md §4 compiled exactly (rule-layers.ts: thresholds as Clip-style ReLU pairs, AND/OR/NOT, first-match decision list, ArgMax). `arbiter model train visa` checks it against the LAW.md oracle on a seeded synthetic check set instead (params.json).',
    featurizer: 'server/inference/featurizers/visa.ts: reason-code one-hot, calendar-day counts, flags, CE 3.0 pair counts (120–365 days)',
    oracle: 'arbitration-models/card-law/visa-oracle.ts',
    evaluationSet: 'arbitration-models/visa/generate.ts: hand-written LAW.md edge cases + seeded random cases, expected verdicts from the oracle',
    notes: [
      'The 540-day cap is applied to 13.1 only, as LAW.md §4 writes it; 13.3/13.7 count from the later date uncapped.',
      'Time limits count from transactionDate, not the processing date (LAW.md §6.3).',
      '3DS attempted shifts liability (LAW.md §6.2).',
    ],
  },
};

export default visa;
