// Visa (LAW.md §4) as an integer rule graph: the featurizer gives day counts and flags
// (server/featurizers/visa.ts); every threshold and every row of the table is here,
// compiled exactly by rule-layers.ts into two MATMUL/RELU layers and a first-match decision list.
import { visaFeaturizer } from '../../server/featurizers/visa.js';
import { type Expr, ruleModel } from '../../server/inference/rule-layers.js';
import { CE3_FEATURES } from '../../server/featurizers/card-facts.js';
import type { ModelDefinition } from '../../server/models/definition.js';
import { classIndex } from '../card-law/card-classes.js';
import { gatedAtLeast, lateFromOrAbsent } from '../card-law/gated-threshold.js';
import { checkRules } from '../card-law/rule-check.js';
import { visaOracle } from '../card-law/visa-oracle.js';
import { VISA_CLASSES } from './classes.js';

const LIMIT = 120; // LAW.md §0: day 120 in time, day 121 late
const CAP = 540; // 13.1: expected delivery counts at most 540 days after the transaction

export function buildVisa() {
  const b = ruleModel(visaFeaturizer.features);
  const k = (code: string) => classIndex(VISA_CLASSES, code);
  const rc = (code: string) => `rc_${code.replaceAll('.', '_')}`;
  const days = 'days_since_transaction';
  // The reason codes exclude each other, so the list is one block per code, each in LAW.md's
  // order: V1 time limit, V2 refund, V3 the row. Every condition is at most two ReLU layers deep.
  const block = (code: string, late: Expr[], rows: { when: Expr | string; class: string }[]) => [
    ...late.map((when) => ({ when, class: k('VISA.time_limit') })),
    { when: b.and(rc(code), 'refund_issued'), class: k('VISA.credit_issued') },
    ...rows.map((r) => ({ when: typeof r.when === 'string' ? b.flag(r.when) : r.when, class: k(r.class) })),
  ];
  // 120 days from the transaction date (LAW.md §0: day 121 is late)
  const lateFromTxn = (code: string) => gatedAtLeast(b, [rc(code)], days, LIMIT + 1);
  // 120 days from the later of the transaction date and X: late from both (X absent: from txn)
  const lateFromLaterOf = (code: string, given: string, daysFromX: string) =>
    b.and(lateFromTxn(code), lateFromOrAbsent(b, given, daysFromX, LIMIT));

  return b.decisionList(
    [
      ...block('10.4', [lateFromTxn('10.4')], [
        { when: b.and(rc('10.4'), 'channel_card_present'), class: 'VISA.10.4.card_present' },
        { when: b.and(rc('10.4'), b.not('three_ds_none')), class: 'VISA.10.4.3ds' },
        // CE 3.0: some core-element pair matched by ≥ 2 prior transactions in the 120–365-day window
        ...CE3_FEATURES.map((f) => ({ when: gatedAtLeast(b, [rc('10.4')], f.name, 2), class: 'VISA.10.4.ce3' })),
        { when: rc('10.4'), class: 'VISA.10.4.fraud' },
      ]),
      ...block('12.6.1', [lateFromTxn('12.6.1')], [
        { when: b.and(rc('12.6.1'), 'duplicate_same_amount', 'duplicate_same_order'), class: 'VISA.12.6.1.duplicate' },
        { when: rc('12.6.1'), class: 'VISA.12.6.1.separate' },
      ]),
      ...block(
        '13.1',
        [
          lateFromLaterOf('13.1', 'expected_delivery_given', 'days_since_expected_delivery'),
          // expected delivery counts at most 540 days after the transaction
          gatedAtLeast(b, [rc('13.1')], days, CAP + LIMIT + 1),
        ],
        [
          // premature: expected delivery given and the dispute not after it
          { when: gatedAtLeast(b, [rc('13.1'), 'expected_delivery_given'], b.combine([[b.feature('days_since_expected_delivery'), -1]]), 0), class: 'VISA.13.1.premature' },
          { when: b.and(rc('13.1'), 'delivery_proof_none'), class: 'VISA.13.1.not_received' },
          { when: rc('13.1'), class: 'VISA.13.1.delivered' },
        ],
      ),
      ...block('13.2', [lateFromTxn('13.2')], [
        { when: gatedAtLeast(b, [rc('13.2'), 'cancellation_given'], 'cancellation_before_transaction', 1), class: 'VISA.13.2.cancelled' },
        { when: rc('13.2'), class: 'VISA.13.2.not_cancelled' },
      ]),
      ...block('13.3', [lateFromLaterOf('13.3', 'delivery_date_given', 'days_since_delivery')], [
        { when: b.and(rc('13.3'), 'return_attempted'), class: 'VISA.13.3.returned' },
        { when: b.and(rc('13.3'), 'return_received'), class: 'VISA.13.3.returned' },
        { when: rc('13.3'), class: 'VISA.13.3.no_return' },
      ]),
      ...block('13.6', [lateFromLaterOf('13.6', 'cancellation_given', 'days_since_cancellation')], [
        { when: b.and(rc('13.6'), 'return_received'), class: 'VISA.13.6.credit_due' },
        // a cancellation the disclosed policy covers gives no credit; any other one does
        { when: b.and(rc('13.6'), 'cancellation_given', 'policy_disclosed', 'policy_applied'), class: 'VISA.13.6.no_credit_due' },
        { when: b.and(rc('13.6'), 'cancellation_given'), class: 'VISA.13.6.credit_due' },
        { when: rc('13.6'), class: 'VISA.13.6.no_credit_due' },
      ]),
      ...block('13.7', [lateFromLaterOf('13.7', 'expected_delivery_given', 'days_since_expected_delivery')], [
        { when: b.and(rc('13.7'), b.not('cancellation_given')), class: 'VISA.13.7.not_cancelled' },
        { when: b.and(rc('13.7'), 'cancellation_given', 'policy_disclosed', 'policy_applied'), class: 'VISA.13.7.policy_applies' },
      ]),
      { default: k('VISA.13.7.cancelled') }, // 13.7 with a cancellation the policy does not cover
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
      'None learned: the graph is LAW.md §4 compiled exactly (rule-layers.ts: thresholds as Clip-style ReLU pairs, AND/OR/NOT, first-match decision list, ArgMax). Two ReLU layers (gated thresholds fold "reason code and days ≥ t" into one comparison). `arbiter model train visa` checks the graph against the LAW.md oracle on 20,000 seeded synthetic cases instead and fails on any disagreement; params.json records the passing check.',
    featurizer: 'server/featurizers/visa.ts: reason-code one-hot, calendar-day counts, flags, CE 3.0 pair counts (120–365 days)',
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
