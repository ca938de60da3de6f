import { describe, expect, it } from 'vitest';
import type { CardClass } from '../../../server/models/card.js';
import { assembleVerdict } from '../../../server/verdicts/assemble.js';
import { validRecords } from '../../support/case-fixtures.js';

const classes: CardClass[] = [
  { index: 0, outcome: 'respondent', grounds: ['VISA.time_limit'], award: null, review: false, explanation: 'Too late.' },
  {
    index: 1,
    outcome: 'claimant',
    grounds: ['VISA.10.4.fraud'],
    award: { rule: 'record', pointer: '/chargeback/amount' },
    review: false,
    explanation: 'You get {amount} back.',
  },
  { index: 2, outcome: 'claimant', grounds: ['EU261.art7.1c', 'EU261.delay.ge3h'], award: { rule: 'fixed', amount: '600', currency: 'EUR' }, review: true, explanation: '{amount} is owed.' },
];
const card = { id: 'visa', version: '1.0.0', modelRoot: `0x${'ab'.repeat(32)}`, classes };
const hashes = { inputHash: `0x${'01'.repeat(32)}`, traceRoot: `0x${'02'.repeat(32)}`, steps: 7 };

describe('assembleVerdict', () => {
  it('takes a claimant award from the record and fills the explanation', () => {
    const v = assembleVerdict({ card, classIndex: 1, record: validRecords.visaFraud, ...hashes });
    expect(v).toEqual({
      ref: 'fixture-visa-10.4',
      outcome: 'claimant',
      award: { amount: 129.99, currency: 'EUR' },
      grounds: ['VISA.10.4.fraud'],
      explanation: 'You get 129.99 EUR back.',
      model: { id: 'visa@1.0.0', root: card.modelRoot },
      ...hashes,
      review: false,
    });
  });

  it('gives a respondent class no award', () => {
    const v = assembleVerdict({ card, classIndex: 0, record: validRecords.visaFraud, ...hashes });
    expect(v.award).toBeNull();
    expect(v.outcome).toBe('respondent');
  });

  it('pays a fixed amount and carries the review flag and every ground in order', () => {
    const v = assembleVerdict({ card, classIndex: 2, record: validRecords.eu261Delay, ...hashes });
    expect(v.award).toEqual({ amount: 600, currency: 'EUR' });
    // An EU261 delay the passenger wins also names the kind of cause read (cause-kind.test.ts).
    expect(v.explanation).toBe("600.00 EUR is owed. The airline's stated cause reads as a technical fault or defect of the aircraft, which is not an extraordinary circumstance.");
    expect(v.grounds).toEqual(['EU261.art7.1c', 'EU261.delay.ge3h', 'EU261.cause.technical']);
    expect(v.review).toBe(true);
  });

  it('echoes a missing ref as null', () => {
    const { ref: _, ...noRef } = validRecords.visaFraud;
    expect(assembleVerdict({ card, classIndex: 0, record: noRef, ...hashes }).ref).toBeNull();
  });

  it('refuses a class the card does not have', () => {
    expect(() => assembleVerdict({ card, classIndex: 9, record: validRecords.visaFraud, ...hashes })).toThrow(/no class 9/);
  });
});
