// LAW.md §3 (14 CFR part 260) as a first-match decision list over the featurizer's columns:
// U1 … U7 in table order; "significant change" (U5) is split into its domestic (T = 3 h) and
// international (T = 6 h) rows, each for an earlier departure or a later arrival.
import type { FeatureSpec } from '../../server/inference/featurizer.js';
import type { CardClass } from '../../server/models/card.js';
import { is, not, type DecisionList, type Predicate, type Rule } from '../flight-law/decision-list.js';

const H = 3_600_000;

export interface UsVerdict {
  outcome: 'claimant' | 'respondent';
  code: string;
  review: boolean;
}

export function usDotProgram(features: readonly FeatureSpec[]): DecisionList<UsVerdict> {
  const col = (name: string): number => {
    const i = features.findIndex((f) => f.name === name);
    if (i < 0) throw new Error(`feature ${name} missing`);
    return i;
  };
  const ge = (name: string, feature: string, t: number): Predicate => ({ name, terms: [{ feature: col(feature), coef: 1 }], threshold: t });
  const predicates = [
    ge('us', 'touches_us', 1),
    ge('domestic', 'domestic', 1),
    ge('cancellation', 'is_cancellation', 1),
    ge('denied_boarding', 'is_denied_boarding', 1),
    ge('arrived', 'has_actual_arrival', 1),
    ge('reroute', 'has_reroute', 1),
    ge('early_ge_3h', 'early_ms', 3 * H),
    ge('late_ge_3h', 'late_ms', 3 * H),
    ge('early_ge_6h', 'early_ms', 6 * H),
    ge('late_ge_6h', 'late_ms', 6 * H),
  ];
  const rule = (row: string, when: Rule<UsVerdict>['when'], outcome: UsVerdict['outcome'], code: string, review = false): Rule<UsVerdict> => ({
    row,
    when,
    decides: { outcome, code, review },
  });
  const rules: Rule<UsVerdict>[] = [
    rule('U1 no US airport', [not('us')], 'respondent', 'US_DOT.scope.out'),
    rule('U2 denied boarding (part 250)', [is('denied_boarding')], 'respondent', 'US_DOT.denied_boarding', true),
    rule('U3 flew', [is('arrived')], 'respondent', 'US_DOT.260.accepted'),
    rule('U4 cancelled', [is('cancellation')], 'claimant', 'US_DOT.260.6.cancelled'),
    rule('U7 no reroute', [not('reroute')], 'respondent', 'US_DOT.260.2.unmeasured', true),
    rule('U5 domestic, departs ≥ 3 h earlier', [is('domestic'), is('early_ge_3h')], 'claimant', 'US_DOT.260.2.significant_change'),
    rule('U5 domestic, arrives ≥ 3 h later', [is('domestic'), is('late_ge_3h')], 'claimant', 'US_DOT.260.2.significant_change'),
    rule('U5 international, departs ≥ 6 h earlier', [not('domestic'), is('early_ge_6h')], 'claimant', 'US_DOT.260.2.significant_change'),
    rule('U5 international, arrives ≥ 6 h later', [not('domestic'), is('late_ge_6h')], 'claimant', 'US_DOT.260.2.significant_change'),
    rule('U6 below T', [], 'respondent', 'US_DOT.260.2.not_significant'),
  ];
  return { inputWidth: features.length, predicates, rules };
}

const EXPLAIN: Record<string, string> = {
  'US_DOT.scope.out': 'No airport of this journey is in the United States, so the DOT refund rule does not apply.',
  'US_DOT.denied_boarding': 'Denied boarding falls under a different DOT rule (part 250) that this model does not decide; a person will review the case.',
  'US_DOT.260.accepted': 'You travelled on the changed or alternative flight, which accepts it, so no refund is owed.',
  'US_DOT.260.6.cancelled': 'The airline cancelled the flight and you did not travel, so you are owed a refund of your fare, {amount}.',
  'US_DOT.260.2.unmeasured': 'The record does not say how the flight was changed, so the change cannot be measured; a person will review the case.',
  'US_DOT.260.2.significant_change': 'The flight was changed significantly (departing or arriving at least 3 hours off, 6 for international trips) and you did not travel, so you are owed a refund of your fare, {amount}.',
  'US_DOT.260.2.not_significant': 'The change to the flight was less than the significant-change threshold, so no refund is owed.',
};

export function usClassFor(index: number, v: UsVerdict): CardClass {
  return {
    index,
    outcome: v.outcome,
    grounds: [v.code],
    award: v.outcome === 'claimant' ? { rule: 'record', pointer: '/flight/fare' } : null,
    review: v.review,
    explanation: EXPLAIN[v.code],
  };
}
