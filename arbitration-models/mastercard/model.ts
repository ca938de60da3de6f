// Mastercard (LAW.md §5) as an integer rule graph; thresholds and table rows are all here,
// compiled exactly by rule-layers.ts into two MATMUL/RELU layers and a first-match decision list.
// 4853's time limit depends on which sub-condition (a)–(e) matches first, so 4853 is one block
// per sub-condition, each in LAW.md's order: M1 time limit, M2 refund, M3 the outcome.
import { mastercardFeaturizer } from '../../server/featurizers/mastercard.js';
import { type Expr, ruleModel } from '../../server/inference/rule-layers.js';
import type { ModelDefinition } from '../../server/models/definition.js';
import { classIndex } from '../card-law/card-classes.js';
import { gatedAtLeast, lateFromOrAbsent } from '../card-law/gated-threshold.js';
import { mastercardOracle } from '../card-law/mastercard-oracle.js';
import { checkRules } from '../card-law/rule-check.js';
import { MASTERCARD_CLASSES } from './classes.js';

const CAP = 540; // 4853: every start date counts at most 540 days after the transaction

export function buildMastercard() {
  const b = ruleModel(mastercardFeaturizer.features);
  const k = (code: string, review = false) => classIndex(MASTERCARD_CLASSES, code, review);
  const days = 'days_since_transaction';
  type Row = { when: Expr | string; class: number };
  /** One first-match block: the facts `on` (flags) select it; earlier blocks took their cases. */
  const block = (on: string[], late: Expr[], rows: Row[]) => [
    ...late.map((when) => ({ when, class: k('MC.time_limit') })),
    { when: b.and(...on, 'refund_issued'), class: k('MC.credit_issued') },
    ...rows.map((r) => ({ when: typeof r.when === 'string' ? b.flag(r.when) : r.when, class: r.class })),
  ];
  const late = (on: string[], limit: number) => gatedAtLeast(b, on, days, limit + 1);
  // 120 days from the later of txn and X, X counted at most 540 days after txn
  const lateLaterOf = (on: string[], given: string, daysFromX: string) => [
    b.and(late(on, 120), lateFromOrAbsent(b, given, daysFromX, 120)),
    late(on, CAP + 120),
  ];
  const on4853 = ['rc_4853'];
  const subA = [...on4853, 'channel_recurring', 'cancellation_given'];
  const subB = [...on4853, 'return_received'];
  const subC = [...on4853, 'return_attempted'];

  return b.decisionList(
    [
      ...block(['rc_4837'], [late(['rc_4837'], 120)], [
        // card present: flagged, the record has no POS entry mode
        { when: b.and('rc_4837', 'three_ds_none', 'channel_card_present'), class: k('MC.4837.fraud', true) },
        { when: b.and('rc_4837', 'three_ds_none'), class: k('MC.4837.fraud') },
        { when: b.and('rc_4837', 'channel_card_present'), class: k('MC.4837.3ds', true) },
        { when: 'rc_4837', class: k('MC.4837.3ds') },
      ]),
      ...block(['rc_4834'], [late(['rc_4834'], 90)], [
        { when: b.and('rc_4834', 'duplicate_same_amount', 'duplicate_same_order'), class: k('MC.4834.duplicate') },
        { when: 'rc_4834', class: k('MC.4834.separate') },
      ]),
      ...block(['rc_4808'], [late(['rc_4808'], 90)], [{ when: 'rc_4808', class: k('MC.4808.undecidable', true) }]),
      // 4853 (a) recurring and cancelled [txn]
      ...block(subA, [late(subA, 120)], [
        { when: gatedAtLeast(b, subA, 'cancellation_before_transaction', 1), class: k('MC.4853.recurring_cancelled') },
        { when: b.and(...subA), class: k('MC.4853.recurring_not_cancelled') },
      ]),
      // (b) return received [later of txn, cancellation.date]
      ...block(subB, lateLaterOf(subB, 'cancellation_given', 'days_since_cancellation'), [
        { when: b.and(...subB), class: k('MC.4853.credit_not_processed') },
      ]),
      // (c) return attempted [later of txn, delivery.date]
      ...block(subC, lateLaterOf(subC, 'delivery_date_given', 'days_since_delivery'), [
        { when: b.and(...subC), class: k('MC.4853.not_as_described') },
      ]),
      // (d) cancellation, (e) the rest [later of txn, expectedDeliveryDate]
      ...block(on4853, lateLaterOf(on4853, 'expected_delivery_given', 'days_since_expected_delivery'), [
        { when: b.and('rc_4853', 'cancellation_given', 'policy_disclosed', 'policy_applied'), class: k('MC.4853.policy_applies') },
        { when: b.and('rc_4853', 'cancellation_given'), class: k('MC.4853.cancelled') },
        { when: b.and('rc_4853', 'delivery_proof_none'), class: k('MC.4853.not_provided') },
      ]),
      { default: k('MC.4853.delivered') },
    ],
    { classes: MASTERCARD_CLASSES.length },
  );
}

const mastercard: ModelDefinition = {
  id: 'mastercard',
  version: '1.0.0',
  jurisdiction: 'MASTERCARD',
  kind: 'chargeback',
  featurizer: mastercardFeaturizer,
  classes: MASTERCARD_CLASSES,
  seed: 4_853,
  train: ({ seed, progress }) => checkRules(mastercard, 'MASTERCARD', mastercardOracle, 20_000, { seed, progress }),
  build: () => buildMastercard(),
  training: {
    method:
      'None learned: the graph is LAW.md §5 compiled exactly (rule-layers.ts: thresholds as Clip-style ReLU pairs, AND/OR/NOT, first-match decision list, ArgMax). Two ReLU layers (gated thresholds fold "reason code and days ≥ t" into one comparison). `arbiter model train mastercard` checks the graph against the LAW.md oracle on 20,000 seeded synthetic cases instead and fails on any disagreement; params.json records the passing check.',
    featurizer: 'server/featurizers/mastercard.ts: reason-code one-hot, calendar-day counts, flags',
    oracle: 'arbitration-models/card-law/mastercard-oracle.ts',
    evaluationSet: 'arbitration-models/mastercard/generate.ts: hand-written LAW.md edge cases + seeded random cases, expected verdicts from the oracle',
    notes: [
      '4853(a) with the cancellation on or after the transaction date is decided for the respondent under the code MC.4853.recurring_not_cancelled, which LAW.md §5 does not name.',
      '4837 card present is flagged for review (no POS entry mode in the record) and otherwise decided by 3DS.',
      'Compelling evidence for 4837 is not modelled (LAW.md §6.4); 4834/4808 use 90 days (LAW.md §6.5).',
    ],
  },
};

export default mastercard;
