// Output classes of the card models: one per LAW.md code (respondent classes carry no award;
// claimant classes award the disputed amount, PROTOCOL.md §4 "the disputed amount").
import type { CardClass } from '../../server/models/card.js';

export const claimantClass = (index: number, code: string, explanation: string, review = false): CardClass => ({
  index,
  outcome: 'claimant',
  grounds: [code],
  award: { rule: 'record', pointer: '/chargeback/amount' },
  review,
  explanation,
});

export const respondentClass = (index: number, code: string, explanation: string, review = false): CardClass => ({
  index,
  outcome: 'respondent',
  grounds: [code],
  award: null,
  review,
  explanation,
});

/** Class index by its grounds code (and review flag, for codes that come flagged and not). */
export function classIndex(classes: readonly CardClass[], code: string, review = false): number {
  const c = classes.find((k) => k.grounds[0] === code && k.review === review);
  if (!c) throw new Error(`no class ${code}${review ? ' (flagged)' : ''}`);
  return c.index;
}
