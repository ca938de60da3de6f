// Mastercard (LAW.md §5) as an integer rule graph; thresholds and table rows are all here,
// compiled exactly by rule-layers.ts. 4853's time limit depends on which sub-condition (a)–(e)
// matches first, so the sub-conditions are computed before the limit (M1), then M2, then M3.
import { mastercardFeaturizer } from '../../server/inference/featurizers/mastercard.js';
import { ruleModel } from '../../server/inference/rule-layers.js';
import type { ModelDefinition } from '../../server/models/definition.js';
import { classIndex } from '../card-law/card-classes.js';
import { mastercardOracle } from '../card-law/mastercard-oracle.js';
import { checkRules } from '../card-law/rule-check.js';
import { MASTERCARD_CLASSES } from './classes.js';

const CAP = 540; // 4853: every start date counts at most 540 days after the transaction

export function buildMastercard() {
  const b = ruleModel(mastercardFeaturizer.features);
  const k = (code: string, review = false) => classIndex(MASTERCARD_CLASSES, code, review);
  const rc = (code: string) => b.flag(`rc_${code}`);
  const daysTxn = 'days_since_transaction';

  // 4853 sub-conditions, first match (LAW.md §5)
  const a = b.and('channel_recurring', 'cancellation_given');
  const bSub = b.and(b.not(a), 'return_received');
  const c = b.and(b.not(a), b.not('return_received'), 'return_attempted');
  const de = b.and(b.not(a), b.not('return_received'), b.not('return_attempted')); // (d) or (e)

  // "later of txn, X (≤ 540 d after txn)": late ⇔ late from txn and (no X, or late from X, or
  // late from txn + 540).
  const lateFromTxn = (limit: number) => b.gt(daysTxn, limit);
  const lateLaterOf = (given: string, daysFrom: string) =>
    b.and(lateFromTxn(120), b.or(b.not(given), b.gt(daysFrom, 120), b.gt(daysTxn, CAP + 120)));
  const late4853 = b.or(
    b.and(a, lateFromTxn(120)),
    b.and(bSub, lateLaterOf('cancellation_given', 'days_since_cancellation')),
    b.and(c, lateLaterOf('delivery_date_given', 'days_since_delivery')),
    b.and(de, lateLaterOf('expected_delivery_given', 'days_since_expected_delivery')),
  );
  const late = b.or(
    b.and(rc('4837'), lateFromTxn(120)),
    b.and(rc('4853'), late4853),
    b.and(rc('4834'), lateFromTxn(90)),
    b.and(rc('4808'), lateFromTxn(90)),
  );
  const is4853 = rc('4853');

  return b.decisionList(
    [
      { when: late, class: k('MC.time_limit') }, // M1
      { when: b.flag('refund_issued'), class: k('MC.credit_issued') }, // M2
      { when: b.and(rc('4837'), 'three_ds_none', 'channel_card_present'), class: k('MC.4837.fraud', true) },
      { when: b.and(rc('4837'), 'three_ds_none'), class: k('MC.4837.fraud') },
      { when: b.and(rc('4837'), 'channel_card_present'), class: k('MC.4837.3ds', true) },
      { when: rc('4837'), class: k('MC.4837.3ds') },
      { when: b.and(rc('4834'), 'duplicate_same_amount', 'duplicate_same_order'), class: k('MC.4834.duplicate') },
      { when: rc('4834'), class: k('MC.4834.separate') },
      { when: rc('4808'), class: k('MC.4808.undecidable', true) },
      { when: b.and(is4853, a, b.gt('cancellation_before_transaction', 0)), class: k('MC.4853.recurring_cancelled') },
      { when: b.and(is4853, a), class: k('MC.4853.recurring_not_cancelled') },
      { when: b.and(is4853, 'return_received'), class: k('MC.4853.credit_not_processed') },
      { when: b.and(is4853, 'return_attempted'), class: k('MC.4853.not_as_described') },
      { when: b.and(is4853, 'cancellation_given', 'policy_disclosed', 'policy_applied'), class: k('MC.4853.policy_applies') },
      { when: b.and(is4853, 'cancellation_given'), class: k('MC.4853.cancelled') },
      { when: b.and(is4853, 'delivery_proof_none'), class: k('MC.4853.not_provided') },
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
      'None learned: the graph is LAW.md §5 compiled exactly (rule-layers.ts: thresholds as Clip-style ReLU pairs, AND/OR/NOT, first-match decision list, ArgMax). `arbiter model train mastercard` checks it against the LAW.md oracle on a seeded synthetic check set instead (params.json).',
    featurizer: 'server/inference/featurizers/mastercard.ts: reason-code one-hot, calendar-day counts, flags',
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
