// LAW.md §1.1–1.3 (EU261) and §2 (UK261) as a first-match decision list over the featurizer's
// columns (decision-list.ts compiles it). Table order is the law's order: scope → thresholds →
// defences → amount → reduction. Rows are grouped by scope code, so each group is complete
// (its last row per disruption is unconditional within the group) and the first row that holds
// is the one LAW.md's tables pick. Every rule is one card class (`classFor`).
import type { CardClass } from '../../server/models/card.js';
import type { FeatureSpec } from '../../server/inference/featurizer.js';
import { is, not, type DecisionList, type Literal, type Predicate, type Rule } from './decision-list.js';
import { BAND_AMOUNT, CURRENCY, type Band, type Regime } from './eu-uk-law.js';
import type { IntLinear } from './cause-classifier.js';

const H = 3_600_000; // one hour in ms (featurizer time unit)

export interface Verdict {
  outcome: 'claimant' | 'respondent';
  band: Band | null;
  halved: boolean;
  grounds: string[];
  review: boolean;
}

export interface CompensationClassifiers {
  extraordinary: IntLinear;
  reasonableGrounds: IntLinear;
}

export function compensationProgram(regime: Regime, features: readonly FeatureSpec[], cls: CompensationClassifiers): DecisionList<Verdict> {
  const col = (name: string): number => {
    const i = features.findIndex((f) => f.name === name);
    if (i < 0) throw new Error(`feature ${name} missing`);
    return i;
  };
  const ge = (name: string, feature: string, t: number): Predicate => ({ name, terms: [{ feature: col(feature), coef: 1 }], threshold: t });
  const textCols = features.map((f, i) => [f.name, i] as const).filter(([n]) => n.startsWith('cause_'));
  const score = (name: string, m: IntLinear): Predicate => {
    if (m.weights.length !== textCols.length) throw new Error(`${name}: ${m.weights.length} weights for ${textCols.length} text columns`);
    // bias + Σ w·x ≥ 1  ⇔  Σ w·x ≥ 1 − bias
    return { name, terms: textCols.map(([, i], j) => ({ feature: i, coef: m.weights[j] })).filter((t) => t.coef !== 0), threshold: 1 - m.bias };
  };

  const p = regime;
  const predicates: Predicate[] = [
    ge('delay', 'is_delay', 1),
    ge('cancellation', 'is_cancellation', 1),
    ge('denied_boarding', 'is_denied_boarding', 1),
    ge('arrived', 'has_actual_arrival', 1),
    ge('delay_ge_3h', 'delay_ms', 3 * H), // "≥ 3 h" means ≥ 180 min 00 s (§0)
    ge('delay_gt_4h', 'delay_ms', 4 * H + 1), // band c halved while delay ≤ 4 h (§1.2)
    ge('notice_ge_14', 'notice_days', 14),
    ge('notice_ge_7', 'notice_days', 7), // exactly 7 days is C2 (§1.3)
    ge('reroute', 'has_reroute', 1),
    ge('early_gt_1h', 'early_ms', H + 1), // "no more than 1 h / 2 h before": inclusive
    ge('early_gt_2h', 'early_ms', 2 * H + 1),
    ge('late_ge_2h', 'late_ms', 2 * H), // "less than 2 h / 4 h after": strict
    ge('late_ge_4h', 'late_ms', 4 * H),
    ge('late_gt_2h', 'late_ms', 2 * H + 1), // art. 7(2) windows: late ≤ 2 h / 3 h / 4 h
    ge('late_gt_3h', 'late_ms', 3 * H + 1),
    ge('late_gt_4h', 'late_ms', 4 * H + 1),
    ge('volunteer', 'volunteer', 1),
    ge('has_cause', 'has_cause', 1), // §1.4: no stated cause is never extraordinary
    ge('d_gt_1500km', 'distance_m', 1_500_001),
    ge('d_gt_3500km', 'distance_m', 3_500_001),
    score('extraordinary', cls.extraordinary),
    score('reasonable_grounds', cls.reasonableGrounds),
  ];

  // Scope (§1.1 / §2) and bands (§1.2 / §2)
  type Scope = { code: string; when: Literal[] };
  let scopes: Scope[];
  let outOfScope: Literal[];
  let bandA: Literal[], bandC: Literal[];
  if (regime === 'EU261') {
    predicates.push(
      ge('s1', 'first_departure_in_area', 1),
      { name: 's2', terms: [{ feature: col('final_destination_in_area'), coef: 1 }, { feature: col('community_carrier'), coef: 1 }], threshold: 2 },
      { name: 'intra', terms: [{ feature: col('first_departure_in_area'), coef: 1 }, { feature: col('final_destination_in_area'), coef: 1 }], threshold: 2 },
    );
    outOfScope = [not('s1'), not('s2')];
    scopes = [
      { code: 'EU261.art3.1a', when: [is('s1')] },
      { code: 'EU261.art3.1b', when: [not('s1'), is('s2')] },
    ];
    bandA = [not('d_gt_1500km')];
    bandC = [not('intra'), is('d_gt_3500km')]; // band b: intra and d > 1500, or 1500 < d ≤ 3500
  } else {
    predicates.push(
      ge('s1', 'first_departure_in_uk', 1),
      // destination in the UK and (UK or Community carrier): 2·dest + uk + community ≥ 3
      {
        name: 's2',
        terms: [{ feature: col('final_destination_in_uk'), coef: 2 }, { feature: col('uk_carrier'), coef: 1 }, { feature: col('community_carrier'), coef: 1 }],
        threshold: 3,
      },
      { name: 's3', terms: [{ feature: col('final_destination_in_eu'), coef: 1 }, { feature: col('uk_carrier'), coef: 1 }], threshold: 2 },
    );
    outOfScope = [not('s1'), not('s2'), not('s3')];
    scopes = [
      { code: 'UK261.art3.1a', when: [is('s1')] },
      { code: 'UK261.art3.1b.i', when: [not('s1'), is('s2')] },
      { code: 'UK261.art3.1b.ii', when: [not('s1'), not('s2'), is('s3')] },
    ];
    bandA = [not('d_gt_1500km')];
    bandC = [is('d_gt_3500km')];
  }
  const window: Record<Band, string> = { a: 'late_gt_2h', b: 'late_gt_3h', c: 'late_gt_4h' };

  const rules: Rule<Verdict>[] = [];
  const respondent = (row: string, when: Literal[], grounds: string[], review = false): void => {
    rules.push({ row, when, decides: { outcome: 'respondent', band: null, halved: false, grounds, review } });
  };
  const claimant = (row: string, when: Literal[], b: Band, halved: boolean, decision: string, scope: string): void => {
    rules.push({ row, when, decides: { outcome: 'claimant', band: b, halved, grounds: [`${p}.art7.1${b}`, ...(halved ? [`${p}.art7.2`] : []), decision, scope], review: false } });
  };
  // The amount rows of C5 and B3: band, then art. 7(2) when a reroute arrives within the window.
  const amountRows = (row: string, base: Literal[], decision: string, scope: string): void => {
    for (const [b, lits] of [['a', bandA], ['c', bandC]] as const) {
      claimant(`${row} band ${b}, 7(2)`, [...base, ...lits, is('reroute'), not(window[b])], b, true, decision, scope);
      claimant(`${row} band ${b}`, [...base, ...lits], b, false, decision, scope);
    }
    claimant(`${row} band b, 7(2)`, [...base, is('reroute'), not(window.b)], 'b', true, decision, scope);
    claimant(`${row} band b`, base, 'b', false, decision, scope);
  };

  respondent('S3 out of scope', outOfScope, [`${p}.scope.out`]);
  for (const s of scopes) {
    const d = [...s.when, is('delay')];
    respondent('D1 no arrival', [...d, not('arrived')], [`${p}.delay.no_arrival`, s.code], true);
    respondent('D2 delay < 3 h', [...d, not('delay_ge_3h')], [`${p}.delay.lt3h`, s.code]);
    respondent('D3 extraordinary', [...d, is('has_cause'), is('extraordinary')], [`${p}.art5.3.extraordinary`, s.code]);
    claimant('D4 band a', [...d, ...bandA], 'a', false, `${p}.delay.ge3h`, s.code);
    claimant('D4 band c, 3–4 h', [...d, ...bandC, not('delay_gt_4h')], 'c', true, `${p}.delay.ge3h`, s.code);
    claimant('D4 band c', [...d, ...bandC], 'c', false, `${p}.delay.ge3h`, s.code);
    claimant('D4 band b', d, 'b', false, `${p}.delay.ge3h`, s.code);

    const c = [...s.when, is('cancellation')];
    respondent('C1 notice ≥ 14 d', [...c, is('notice_ge_14')], [`${p}.art5.1c.i`, s.code]);
    respondent('C2 notice 7–13 d, reroute', [...c, is('notice_ge_7'), is('reroute'), not('early_gt_2h'), not('late_ge_4h')], [`${p}.art5.1c.ii`, s.code]);
    respondent('C3 notice ≤ 6 d, reroute', [...c, not('notice_ge_7'), is('reroute'), not('early_gt_1h'), not('late_ge_2h')], [`${p}.art5.1c.iii`, s.code]);
    respondent('C4 extraordinary', [...c, is('has_cause'), is('extraordinary')], [`${p}.art5.3.extraordinary`, s.code]);
    amountRows('C5', c, `${p}.art5.1c`, s.code);

    const b = [...s.when, is('denied_boarding')];
    respondent('B1 volunteer', [...b, is('volunteer')], [`${p}.art4.1.volunteer`, s.code]);
    respondent('B2 reasonable grounds', [...b, is('has_cause'), is('reasonable_grounds')], [`${p}.art2j.reasonable_grounds`, s.code]);
    amountRows('B3', b, `${p}.art4.3`, s.code);
  }
  // Unreachable (every in-scope record has one disruption and each group ends unconditionally),
  // but the list must end with an unconditional row: out of scope is the safe answer.
  respondent('fallback', [], [`${p}.scope.out`]);

  return { inputWidth: features.length, predicates, rules };
}

const money = (regime: Regime, b: Band, halved: boolean): string => {
  const full = BAND_AMOUNT[regime][b];
  return String(halved ? full / 2 : full);
};

const EXPLAIN: Record<string, string> = {
  'scope.out': 'The regulation does not cover this journey: it neither departs from {area} nor arrives there with a carrier the regulation binds.',
  'delay.no_arrival': 'The record shows no arrival at the final destination, so the delay cannot be measured; a person will review the case.',
  'delay.lt3h': 'The flight reached its final destination less than three hours late, below the three-hour threshold for compensation.',
  'art5.3.extraordinary': 'The cause the airline gave is an extraordinary circumstance, so no compensation is owed.',
  'art5.1c.i': 'The airline announced the cancellation at least 14 days before departure, so no compensation is owed.',
  'art5.1c.ii': 'The cancellation was announced 7 to 13 days ahead and the replacement flight kept within the permitted times, so no compensation is owed.',
  'art5.1c.iii': 'The cancellation was announced less than 7 days ahead but the replacement flight kept within the permitted times, so no compensation is owed.',
  'art4.1.volunteer': 'You gave up your seat voluntarily, so denied-boarding compensation does not apply.',
  'art2j.reasonable_grounds': 'Boarding was refused on reasonable grounds (health, safety, security or travel documents), so no compensation is owed.',
  'delay.ge3h': 'Your flight arrived three hours or more late and the airline gave no extraordinary circumstance, so you are owed {amount}.',
  'art5.1c': 'Your flight was cancelled without the required notice or a suitable replacement, so you are owed {amount}.',
  'art4.3': 'You were denied boarding against your will, so you are owed {amount}.',
};

/** The card class of a rule: outcome, grounds, fixed award, review flag, plain explanation. */
export function classFor(regime: Regime, index: number, v: Verdict): CardClass {
  const decision = v.outcome === 'claimant' ? v.grounds[v.halved ? 2 : 1] : v.grounds[0];
  const key = decision.slice(regime.length + 1);
  let explanation = (EXPLAIN[key] ?? '').replace('{area}', regime === 'EU261' ? 'the EU/EEA/Switzerland' : 'the UK');
  if (v.halved) explanation += ' The amount is halved because the arrival was late by no more than the limit of article 7(2).';
  return {
    index,
    outcome: v.outcome,
    grounds: v.grounds,
    award: v.band ? { rule: 'fixed', amount: money(regime, v.band, v.halved), currency: CURRENCY[regime] } : null,
    review: v.review,
    explanation,
  };
}
