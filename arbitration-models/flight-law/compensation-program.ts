// LAW.md §1.1–1.3 (EU261) and §2 (UK261) as a first-match decision list over the featurizer's
// columns (decision-list.ts compiles it). Table order is the law's order: scope → thresholds →
// defences → amount → reduction. Rows are grouped by scope code, so each group is complete
// (its last row per disruption is unconditional within the group) and the first row that holds
// is the one LAW.md's tables pick. Every rule is one card class (`classFor`).
import type { CardClass } from '../../server/models/card.js';
import type { FeatureSpec } from '../../server/inference/featurizer.js';
import { is, not, type DecisionList, type Literal, type Predicate, type Rule } from './decision-list.js';
import { BAND_AMOUNT, CURRENCY, type Band, type Regime } from './eu-uk-law.js';
import { TARGET_KINDS, type IntLinear } from './cause-classifier.js';
import { ABSENT_MS } from '../../server/featurizers/flight-compensation.js';

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
  /** One score per kind of cause (cause-classifier.ts TARGET_KINDS): names what was recognised. */
  kinds: Record<string, IntLinear>;
}

export function compensationProgram(regime: Regime, features: readonly FeatureSpec[], cls: CompensationClassifiers): DecisionList<Verdict> {
  const col = (name: string): number => {
    const i = features.findIndex((f) => f.name === name);
    if (i < 0) throw new Error(`feature ${name} missing`);
    return i;
  };
  const ge = (name: string, feature: string, t: number): Predicate => ({ name, terms: [{ feature: col(feature), coef: 1 }], threshold: t });
  const textCols = features.map((f, i) => [f.name, i] as const).filter(([n]) => n.startsWith('concept_'));
  const score = (name: string, m: IntLinear): Predicate => {
    if (m.weights.length !== textCols.length) throw new Error(`${name}: ${m.weights.length} weights for ${textCols.length} text columns`);
    if (m.bias > 0) throw new Error(`${name}: bias ${m.bias} > 0 would make an absent cause positive (LAW.md §1.4)`);
    // bias + Σ w·x ≥ 1  ⇔  Σ w·x ≥ 1 − bias
    return { name, terms: textCols.map(([, i], j) => ({ feature: i, coef: m.weights[j] })).filter((t) => t.coef !== 0), threshold: 1 - m.bias };
  };

  const p = regime;
  const predicates: Predicate[] = [
    ge('disruption_ge_1', 'disruption', 1), // 0 delay, 1 cancellation, 2 denied boarding
    ge('disruption_ge_2', 'disruption', 2),
    ge('arrived', 'delay_ms', ABSENT_MS + 1), // an actual arrival (the sentinel lies below the range)
    ge('delay_ge_3h', 'delay_ms', 3 * H), // "≥ 3 h" means ≥ 180 min 00 s (§0)
    ge('delay_gt_4h', 'delay_ms', 4 * H + 1), // band c halved while delay ≤ 4 h (§1.2)
    ge('notice_ge_14', 'notice_days', 14),
    ge('notice_ge_7', 'notice_days', 7), // exactly 7 days is C2 (§1.3)
    ge('reroute', 'late_ms', ABSENT_MS + 1), // a reroute (late is the sentinel without one)
    ge('early_gt_1h', 'early_ms', H + 1), // "no more than 1 h / 2 h before": inclusive
    ge('early_gt_2h', 'early_ms', 2 * H + 1),
    ge('late_ge_2h', 'late_ms', 2 * H), // "less than 2 h / 4 h after": strict
    ge('late_ge_4h', 'late_ms', 4 * H),
    ge('late_gt_2h', 'late_ms', 2 * H + 1), // art. 7(2) windows: late ≤ 2 h / 3 h / 4 h
    ge('late_gt_3h', 'late_ms', 3 * H + 1),
    ge('late_gt_4h', 'late_ms', 4 * H + 1),
    ge('volunteer', 'volunteer', 1),
    ge('d_gt_1500km', 'distance_m', 1_500_001),
    ge('d_gt_3500km', 'distance_m', 3_500_001),
    // §1.4: no stated cause is never extraordinary — the all-zero text vector scores the bias,
    // and biases are ≤ 0 (checked in `score`), so the rules need no separate "has cause" column.
    score('extraordinary', cls.extraordinary),
    score('reasonable_grounds', cls.reasonableGrounds),
    ...[...TARGET_KINDS.extraordinary, ...TARGET_KINDS.reasonableGrounds].map((k) => {
      const m = cls.kinds[k];
      if (!m) throw new Error(`kind score ${k} missing`);
      return score(`kind_${k}`, m);
    }),
  ];

  // Scope (§1.1 / §2) from the featurizer's scope code, and bands (§1.2 / §2). Scope groups are
  // disjoint; a record in none of them falls through to the last row: out of scope.
  type Scope = { code: string; when: Literal[] };
  let scopes: Scope[];
  let bandA: Literal[], bandC: Literal[];
  if (regime === 'EU261') {
    // scope = 4·departure in Area + 2·destination in Area + Community carrier
    predicates.push(ge('scope_ge_3', 'scope', 3), ge('scope_ge_4', 'scope', 4), ge('scope_ge_6', 'scope', 6));
    scopes = [
      { code: 'EU261.art3.1a', when: [is('scope_ge_4')] }, // S1: first departure in the Area
      { code: 'EU261.art3.1b', when: [not('scope_ge_4'), is('scope_ge_3')] }, // S2: destination in Area, Community carrier
    ];
    bandA = [not('d_gt_1500km')];
    bandC = [not('scope_ge_6'), is('d_gt_3500km')]; // scope ≥ 6 ⇔ intra; band b: intra and d > 1500, or 1500 < d ≤ 3500
  } else {
    // scope = 16·departure UK + 8·destination UK + 4·destination EU + 2·UK carrier + Community carrier
    predicates.push(
      ge('scope_ge_6', 'scope', 6),
      ge('scope_ge_8', 'scope', 8),
      ge('scope_ge_9', 'scope', 9),
      ge('scope_ge_12', 'scope', 12),
      ge('scope_ge_16', 'scope', 16),
    );
    scopes = [
      { code: 'UK261.art3.1a', when: [is('scope_ge_16')] }, // S1: first departure in the UK
      { code: 'UK261.art3.1b.i', when: [is('scope_ge_9'), not('scope_ge_12')] }, // S2: UK destination, UK or Community carrier
      { code: 'UK261.art3.1b.ii', when: [is('scope_ge_6'), not('scope_ge_8')] }, // S3: EU destination, UK carrier
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

  for (const s of scopes) {
    // Delays (D) and cancellations (C) never both hold, so only the order within each table
    // matters: D1, D2 and C1–C3 come first; then one row per kind of extraordinary cause serves
    // D3 and C4 alike (same grounds); then the generic D3 / C4 and the amount rows.
    const d = [...s.when, not('disruption_ge_1')];
    const c = [...s.when, is('disruption_ge_1'), not('disruption_ge_2')];
    respondent('D1 no arrival', [...d, not('arrived')], [`${p}.delay.no_arrival`, s.code], true);
    respondent('D2 delay < 3 h', [...d, not('delay_ge_3h')], [`${p}.delay.lt3h`, s.code]);
    respondent('C1 notice ≥ 14 d', [...c, is('notice_ge_14')], [`${p}.art5.1c.i`, s.code]);
    respondent('C2 notice 7–13 d, reroute', [...c, is('notice_ge_7'), is('reroute'), not('early_gt_2h'), not('late_ge_4h')], [`${p}.art5.1c.ii`, s.code]);
    respondent('C3 notice ≤ 6 d, reroute', [...c, not('notice_ge_7'), is('reroute'), not('early_gt_1h'), not('late_ge_2h')], [`${p}.art5.1c.iii`, s.code]);
    for (const k of TARGET_KINDS.extraordinary) {
      respondent(`D3/C4 extraordinary: ${k}`, [...s.when, not('disruption_ge_2'), is('extraordinary'), is(`kind_${k}`)], [`${p}.art5.3.extraordinary`, `${p}.cause.${k}`, s.code]);
    }
    respondent('D3 extraordinary', [...d, is('extraordinary')], [`${p}.art5.3.extraordinary`, s.code]);
    claimant('D4 band a', [...d, ...bandA], 'a', false, `${p}.delay.ge3h`, s.code);
    claimant('D4 band c, 3–4 h', [...d, ...bandC, not('delay_gt_4h')], 'c', true, `${p}.delay.ge3h`, s.code);
    claimant('D4 band c', [...d, ...bandC], 'c', false, `${p}.delay.ge3h`, s.code);
    claimant('D4 band b', d, 'b', false, `${p}.delay.ge3h`, s.code);

    respondent('C4 extraordinary', [...c, is('extraordinary')], [`${p}.art5.3.extraordinary`, s.code]);
    amountRows('C5', c, `${p}.art5.1c`, s.code);

    const b = [...s.when, is('disruption_ge_2')];
    respondent('B1 volunteer', [...b, is('volunteer')], [`${p}.art4.1.volunteer`, s.code]);
    for (const k of TARGET_KINDS.reasonableGrounds) {
      respondent(`B2 reasonable grounds: ${k}`, [...b, is('reasonable_grounds'), is(`kind_${k}`)], [`${p}.art2j.reasonable_grounds`, `${p}.cause.${k}`, s.code]);
    }
    respondent('B2 reasonable grounds', [...b, is('reasonable_grounds')], [`${p}.art2j.reasonable_grounds`, s.code]);
    amountRows('B3', b, `${p}.art4.3`, s.code);
  }
  // S3 of §1.1 / the last row of §2's scope: in no scope group (each group is complete).
  respondent('out of scope', [], [`${p}.scope.out`]);

  // Precedence is the order above; the classes put the rows naming a kind of cause last
  // (decision-list.ts), so every claimant class keeps a low index (short award tables on chain).
  // The other classes follow LAW.md's table order within each scope (D1–D4, C1–C5, B1–B3), as in
  // the models before the kinds were named.
  const R = rules.length;
  const TABLE = ['D1', 'D2', 'D3', 'D4', 'C1', 'C2', 'C3', 'C4', 'C5', 'B1', 'B2', 'B3'];
  let group = 0;
  const layout = rules.map((r, k) => {
    if (k > 0 && r.row.startsWith('D1')) group++;
    const t = TABLE.indexOf(r.row.slice(0, 2));
    return group * 100 + (t < 0 ? 99 : t);
  });
  const ranked = rules.map((r, k) => ({ rule: { ...r, priority: R - k }, layout: layout[k], k }));
  const named = (r: Rule<Verdict>): boolean => r.decides.grounds.some((g) => g.startsWith(`${p}.cause.`));
  const plain = ranked.filter((x) => !named(x.rule)).sort((a, b) => a.layout - b.layout || a.k - b.k);
  return { inputWidth: features.length, predicates, rules: [...plain, ...ranked.filter((x) => named(x.rule))].map((x) => x.rule) };
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

/** What the recognised kind of cause means, for the explanation of a D3/C4/B2 verdict that names it. */
const CAUSE_EXPLAIN: Record<string, string> = {
  weather: 'Bad weather that made the flight unsafe (such as a storm, snow, fog or a lightning strike) is an extraordinary circumstance, so no compensation is owed.',
  atc: 'A restriction or strike of air traffic control is an extraordinary circumstance outside the airline\'s control, so no compensation is owed.',
  external_strike: 'A strike by people who do not work for the airline (for example airport or public-sector staff) is an extraordinary circumstance, so no compensation is owed.',
  airport_closure_security: 'A closure of the airport or airspace, a security risk or political unrest is an extraordinary circumstance, so no compensation is owed.',
  volcanic_ash: 'Volcanic ash closing the airspace is an extraordinary circumstance, so no compensation is owed.',
  bird_strike: 'A bird strike (a collision with a bird, and the checks it makes necessary) is an extraordinary circumstance, so no compensation is owed.',
  runway_debris: 'Debris on the runway damaging the aircraft is an extraordinary circumstance, so no compensation is owed.',
  hidden_defect_sabotage_terror: 'A hidden manufacturing defect revealed by the manufacturer or an authority, sabotage or terrorism is an extraordinary circumstance, so no compensation is owed.',
  airport_fuel_failure: 'A general failure of the airport\'s fuel supply is an extraordinary circumstance, so no compensation is owed.',
  disruptive_passenger: 'A disruptive passenger who forced a diversion or had to be offloaded is an extraordinary circumstance, so no compensation is owed.',
  travel_documents: 'Boarding was refused because your travel documents were missing or not valid for the trip, a reasonable ground, so no compensation is owed.',
  passenger_security: 'Boarding was refused for a security reason concerning you, a reasonable ground, so no compensation is owed.',
  passenger_conduct: 'Boarding was refused because of your conduct (for example intoxication or aggression), a safety ground, so no compensation is owed.',
  passenger_health: 'Boarding was refused because of your health or fitness to fly, a reasonable ground, so no compensation is owed.',
};

/** The card class of a rule: outcome, grounds, fixed award, review flag, plain explanation. */
export function classFor(regime: Regime, index: number, v: Verdict): CardClass {
  const decision = v.outcome === 'claimant' ? v.grounds[v.halved ? 2 : 1] : v.grounds[0];
  const key = decision.slice(regime.length + 1);
  const kind = v.grounds.find((g) => g.startsWith(`${regime}.cause.`))?.slice(regime.length + 7);
  let explanation = (kind ? CAUSE_EXPLAIN[kind] : EXPLAIN[key]) ?? '';
  if (kind && !CAUSE_EXPLAIN[kind]) throw new Error(`no explanation for cause kind ${kind}`);
  explanation = explanation.replace('{area}', regime === 'EU261' ? 'the EU/EEA/Switzerland' : 'the UK');
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
