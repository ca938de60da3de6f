// The oracles against LAW.md §4/§5 boundaries, stated by hand here (not derived from the oracles).
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../arbitration-models/card-law/card-case.js';
import { baseCase } from '../../../../arbitration-models/card-law/case-generator.js';
import { mastercardOracle } from '../../../../arbitration-models/card-law/mastercard-oracle.js';
import { visaOracle } from '../../../../arbitration-models/card-law/visa-oracle.js';

const T = '2026-01-10';
const d = (n: number) => addDays(T, n);
const visa = (code: string, patch: object) => visaOracle(baseCase('VISA', code, { transactionDate: T, ...patch }));
const mc = (code: string, patch: object) => mastercardOracle(baseCase('MASTERCARD', code, { transactionDate: T, ...patch }));
const twoPriors = (daysBefore: number) =>
  [0, 1].map(() => ({ date: d(-daysBefore), ipMatch: true, deviceIdMatch: true, shippingAddressMatch: false, accountMatch: false }));

describe('Visa oracle (LAW.md §4)', () => {
  it('is in time on day 120 and late on day 121', () => {
    expect(visa('10.4', { disputeDate: d(120) }).grounds).toEqual(['VISA.10.4.fraud']);
    expect(visa('10.4', { disputeDate: d(121) })).toEqual({ outcome: 'respondent', award: null, grounds: ['VISA.time_limit'], review: false });
  });

  it('awards the disputed amount to a claimant', () => {
    expect(visa('10.4', {}).award).toEqual({ amount: 129.99, currency: 'EUR' });
  });

  it('treats 3DS attempted as a liability shift', () => {
    expect(visa('10.4', { threeDSecure: 'attempted' }).grounds).toEqual(['VISA.10.4.3ds']);
  });

  it('meets CE 3.0 at 120 and 365 days, not at 119 or 366', () => {
    expect(visa('10.4', { priorUndisputedTransactions: twoPriors(119) }).grounds).toEqual(['VISA.10.4.fraud']);
    expect(visa('10.4', { priorUndisputedTransactions: twoPriors(120) }).grounds).toEqual(['VISA.10.4.ce3']);
    expect(visa('10.4', { priorUndisputedTransactions: twoPriors(365) }).grounds).toEqual(['VISA.10.4.ce3']);
    expect(visa('10.4', { priorUndisputedTransactions: twoPriors(366) }).grounds).toEqual(['VISA.10.4.fraud']);
  });

  it('caps 13.1 expected delivery at 540 days after the transaction', () => {
    expect(visa('13.1', { expectedDeliveryDate: d(540), disputeDate: d(660) }).grounds).toEqual(['VISA.13.1.not_received']);
    expect(visa('13.1', { expectedDeliveryDate: d(541), disputeDate: d(661) }).grounds).toEqual(['VISA.time_limit']);
  });

  it('checks the time limit before a refund', () => {
    expect(visa('12.6.1', { refundIssued: true, disputeDate: d(121) }).grounds).toEqual(['VISA.time_limit']);
    expect(visa('12.6.1', { refundIssued: true }).grounds).toEqual(['VISA.credit_issued']);
  });

  it('finds 13.1 premature before delivered', () => {
    expect(visa('13.1', { expectedDeliveryDate: d(30), delivery: { proof: 'signed', date: d(2) } }).grounds).toEqual(['VISA.13.1.premature']);
  });
});

describe('Mastercard oracle (LAW.md §5)', () => {
  it('gives 4834 and 4808 90 days: day 90 in time, day 91 late', () => {
    const dup = { otherTransactionDate: T, sameAmount: true, sameOrderId: true };
    expect(mc('4834', { disputeDate: d(90), duplicate: dup }).grounds).toEqual(['MC.4834.duplicate']);
    expect(mc('4834', { disputeDate: d(91), duplicate: dup }).grounds).toEqual(['MC.time_limit']);
    expect(mc('4808', { disputeDate: d(90) })).toEqual({ outcome: 'respondent', award: null, grounds: ['MC.4808.undecidable'], review: true });
  });

  it('flags a card-present 4837', () => {
    expect(mc('4837', { channel: 'card_present' })).toMatchObject({ outcome: 'claimant', grounds: ['MC.4837.fraud'], review: true });
  });

  it('takes the first matching 4853 sub-condition and its start date', () => {
    const cancel = { date: d(-1), policyDisclosed: false, policyApplied: false };
    expect(mc('4853', { channel: 'recurring', cancellation: cancel }).grounds).toEqual(['MC.4853.recurring_cancelled']);
    expect(mc('4853', { return: { attempted: true, receivedByMerchant: false }, delivery: { proof: 'signed', date: d(10) }, disputeDate: d(131) }).grounds).toEqual([
      'MC.time_limit',
    ]);
    expect(mc('4853', { expectedDeliveryDate: d(700), disputeDate: d(660) }).grounds).toEqual(['MC.4853.not_provided']);
  });
});
