// Hand-written boundary cases of LAW.md §4/§5 for the public evaluation sets, each with a note
// saying what it tests. Expected verdicts come from the oracles, not from here.
import { addDays, type CardCase } from './card-case.js';
import { baseCase } from './case-generator.js';

export interface EdgeCase {
  note: string;
  case: CardCase;
}

const T = '2026-01-10';
const d = (n: number): string => addDays(T, n);
const prior = (daysBefore: number, m: { ip?: boolean; device?: boolean; ship?: boolean; account?: boolean }) => ({
  date: addDays(T, -daysBefore),
  ipMatch: !!m.ip,
  deviceIdMatch: !!m.device,
  shippingAddressMatch: !!m.ship,
  accountMatch: !!m.account,
});

export function visaEdgeCases(): EdgeCase[] {
  const v = (note: string, code: string, patch: Partial<CardCase['chargeback']>): EdgeCase => ({
    note,
    case: baseCase('VISA', code, { transactionDate: T, ...patch }, `visa-edge-${note.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`),
  });
  const ce = (n: number, m: Parameters<typeof prior>[1] = { ip: true, device: true }) => [prior(n, m), prior(n, m)];
  return [
    v('10.4 day 120: in time, fraud', '10.4', { disputeDate: d(120) }),
    v('10.4 day 121: late', '10.4', { disputeDate: d(121) }),
    v('10.4 day 0: same day', '10.4', { disputeDate: d(0) }),
    v('10.4 card present', '10.4', { channel: 'card_present' }),
    v('10.4 3DS authenticated', '10.4', { threeDSecure: 'authenticated' }),
    v('10.4 3DS attempted shifts liability', '10.4', { threeDSecure: 'attempted' }),
    v('10.4 card present beats 3DS in order', '10.4', { channel: 'card_present', threeDSecure: 'attempted' }),
    v('10.4 recurring channel is card-absent', '10.4', { channel: 'recurring' }),
    v('10.4 CE 3.0 at 119 days: outside window', '10.4', { priorUndisputedTransactions: ce(119) }),
    v('10.4 CE 3.0 at 120 days: met', '10.4', { priorUndisputedTransactions: ce(120) }),
    v('10.4 CE 3.0 at 365 days: met', '10.4', { priorUndisputedTransactions: ce(365) }),
    v('10.4 CE 3.0 at 366 days: outside window', '10.4', { priorUndisputedTransactions: ce(366) }),
    v('10.4 CE 3.0 one in window one at 366: not met', '10.4', {
      priorUndisputedTransactions: [prior(200, { ip: true, device: true }), prior(366, { ip: true, device: true })],
    }),
    v('10.4 CE 3.0 only one qualifying transaction', '10.4', { priorUndisputedTransactions: [prior(200, { ip: true, device: true })] }),
    v('10.4 CE 3.0 ip and shipping address', '10.4', { priorUndisputedTransactions: ce(200, { ip: true, ship: true }) }),
    v('10.4 CE 3.0 device and account', '10.4', { priorUndisputedTransactions: ce(200, { device: true, account: true }) }),
    v('10.4 CE 3.0 shipping and account without ip or device: not met', '10.4', {
      priorUndisputedTransactions: ce(200, { ship: true, account: true }),
    }),
    v('10.4 CE 3.0 two transactions matching different sets: not met', '10.4', {
      priorUndisputedTransactions: [prior(200, { ip: true, ship: true }), prior(210, { device: true, account: true })],
    }),
    v('10.4 CE 3.0 tie: two transactions on the same day', '10.4', { priorUndisputedTransactions: ce(150, { ip: true, account: true }) }),
    v('10.4 CE 3.0 only one core element each', '10.4', { priorUndisputedTransactions: ce(200, { ip: true }) }),
    v('10.4 refund issued', '10.4', { refundIssued: true }),
    v('10.4 late beats refund', '10.4', { refundIssued: true, disputeDate: d(121) }),
    v('12.6.1 duplicate', '12.6.1', { duplicate: { otherTransactionDate: T, sameAmount: true, sameOrderId: true } }),
    v('12.6.1 different order id', '12.6.1', { duplicate: { otherTransactionDate: T, sameAmount: true, sameOrderId: false } }),
    v('12.6.1 no duplicate given', '12.6.1', {}),
    v('12.6.1 day 121', '12.6.1', { disputeDate: d(121), duplicate: { otherTransactionDate: T, sameAmount: true, sameOrderId: true } }),
    v('13.1 later of: expected delivery +30, day 120 from it', '13.1', { expectedDeliveryDate: d(30), disputeDate: d(150) }),
    v('13.1 later of: expected delivery +30, day 121 from it', '13.1', { expectedDeliveryDate: d(30), disputeDate: d(151) }),
    v('13.1 expected delivery 540 days after: day 120 from it', '13.1', { expectedDeliveryDate: d(540), disputeDate: d(660) }),
    v('13.1 expected delivery 541 days after: capped at 540, day 121', '13.1', { expectedDeliveryDate: d(541), disputeDate: d(661) }),
    v('13.1 expected delivery 600 days after: capped, day 120', '13.1', { expectedDeliveryDate: d(600), disputeDate: d(660) }),
    v('13.1 dispute on expected delivery date: premature', '13.1', { expectedDeliveryDate: d(5), disputeDate: d(5) }),
    v('13.1 dispute a day after expected delivery, no proof', '13.1', { expectedDeliveryDate: d(5), disputeDate: d(6) }),
    v('13.1 tie: expected delivery on transaction date', '13.1', { expectedDeliveryDate: d(0), disputeDate: d(120) }),
    v('13.1 expected delivery before transaction: start is transaction', '13.1', { expectedDeliveryDate: d(-5), disputeDate: d(121) }),
    v('13.1 signed delivery', '13.1', { delivery: { proof: 'signed', date: d(3) } }),
    v('13.1 premature beats delivered', '13.1', { expectedDeliveryDate: d(30), delivery: { proof: 'tracked', date: d(3) } }),
    v('13.1 no expected date, no proof', '13.1', {}),
    v('13.2 cancelled the day before', '13.2', { channel: 'recurring', cancellation: { date: d(-1), policyDisclosed: true, policyApplied: true } }),
    v('13.2 tie: cancelled on the transaction date', '13.2', { channel: 'recurring', cancellation: { date: d(0), policyDisclosed: false, policyApplied: false } }),
    v('13.2 no cancellation', '13.2', { channel: 'recurring' }),
    v('13.3 returned, day 120 from delivery', '13.3', { delivery: { proof: 'signed', date: d(10) }, disputeDate: d(130), return: { attempted: true, receivedByMerchant: false } }),
    v('13.3 returned, day 121 from delivery', '13.3', { delivery: { proof: 'signed', date: d(10) }, disputeDate: d(131), return: { attempted: true, receivedByMerchant: false } }),
    v('13.3 no return', '13.3', { delivery: { proof: 'signed', date: d(2) } }),
    v('13.3 received by merchant only', '13.3', { return: { attempted: false, receivedByMerchant: true } }),
    v('13.6 return received', '13.6', { return: { attempted: true, receivedByMerchant: true } }),
    v('13.6 cancellation not covered by policy', '13.6', { cancellation: { date: d(2), policyDisclosed: true, policyApplied: false } }),
    v('13.6 cancellation covered by policy', '13.6', { cancellation: { date: d(2), policyDisclosed: true, policyApplied: true } }),
    v('13.6 later of: cancellation +20, day 120', '13.6', { cancellation: { date: d(20), policyDisclosed: false, policyApplied: false }, disputeDate: d(140) }),
    v('13.6 later of: cancellation +20, day 121', '13.6', { cancellation: { date: d(20), policyDisclosed: false, policyApplied: false }, disputeDate: d(141) }),
    v('13.6 nothing to credit', '13.6', {}),
    v('13.7 cancelled, policy not disclosed', '13.7', { cancellation: { date: d(3), policyDisclosed: false, policyApplied: true } }),
    v('13.7 policy applies', '13.7', { cancellation: { date: d(3), policyDisclosed: true, policyApplied: true } }),
    v('13.7 not cancelled', '13.7', {}),
    v('13.7 expected delivery 600 days after, day 120 from it (no cap in §4 row)', '13.7', {
      expectedDeliveryDate: d(600),
      disputeDate: d(720),
      cancellation: { date: d(5), policyDisclosed: false, policyApplied: false },
    }),
    v('13.7 expected delivery +10, day 121 from it', '13.7', {
      expectedDeliveryDate: d(10),
      disputeDate: d(131),
      cancellation: { date: d(5), policyDisclosed: false, policyApplied: false },
    }),
  ];
}

export function mastercardEdgeCases(): EdgeCase[] {
  const m = (note: string, code: string, patch: Partial<CardCase['chargeback']>): EdgeCase => ({
    note,
    case: baseCase('MASTERCARD', code, { transactionDate: T, ...patch }, `mc-edge-${note.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`),
  });
  const cancel = (n: number, disclosed = false, applied = false) => ({ date: d(n), policyDisclosed: disclosed, policyApplied: applied });
  return [
    m('4837 day 120: fraud', '4837', { disputeDate: d(120) }),
    m('4837 day 121: late', '4837', { disputeDate: d(121) }),
    m('4837 3DS authenticated', '4837', { threeDSecure: 'authenticated' }),
    m('4837 3DS attempted shifts liability', '4837', { threeDSecure: 'attempted' }),
    m('4837 card present without 3DS: flagged', '4837', { channel: 'card_present' }),
    m('4837 card present with 3DS: flagged', '4837', { channel: 'card_present', threeDSecure: 'authenticated' }),
    m('4837 prior transactions do not count (CE not modelled)', '4837', {
      priorUndisputedTransactions: [prior(200, { ip: true, device: true }), prior(200, { ip: true, device: true })],
    }),
    m('4837 refund issued', '4837', { refundIssued: true }),
    m('4834 day 90: duplicate', '4834', { disputeDate: d(90), duplicate: { otherTransactionDate: T, sameAmount: true, sameOrderId: true } }),
    m('4834 day 91: late', '4834', { disputeDate: d(91), duplicate: { otherTransactionDate: T, sameAmount: true, sameOrderId: true } }),
    m('4834 different amount', '4834', { duplicate: { otherTransactionDate: T, sameAmount: false, sameOrderId: true } }),
    m('4808 day 90: undecidable, flagged', '4808', { disputeDate: d(90) }),
    m('4808 day 91: late', '4808', { disputeDate: d(91) }),
    m('4853a recurring cancelled before transaction', '4853', { channel: 'recurring', cancellation: cancel(-1) }),
    m('4853a tie: recurring cancelled on transaction date', '4853', { channel: 'recurring', cancellation: cancel(0) }),
    m('4853a day 121 from transaction', '4853', { channel: 'recurring', cancellation: cancel(-1), disputeDate: d(121) }),
    m('4853a beats return received', '4853', { channel: 'recurring', cancellation: cancel(5), return: { attempted: true, receivedByMerchant: true } }),
    m('4853b return received', '4853', { return: { attempted: true, receivedByMerchant: true } }),
    m('4853b later of: cancellation +30, day 120', '4853', { return: { attempted: true, receivedByMerchant: true }, cancellation: cancel(30), disputeDate: d(150) }),
    m('4853b later of: cancellation +30, day 121', '4853', { return: { attempted: true, receivedByMerchant: true }, cancellation: cancel(30), disputeDate: d(151) }),
    m('4853c return attempted', '4853', { return: { attempted: true, receivedByMerchant: false } }),
    m('4853c later of: delivery +10, day 120', '4853', {
      return: { attempted: true, receivedByMerchant: false },
      delivery: { proof: 'signed', date: d(10) },
      disputeDate: d(130),
    }),
    m('4853c later of: delivery +10, day 121', '4853', {
      return: { attempted: true, receivedByMerchant: false },
      delivery: { proof: 'signed', date: d(10) },
      disputeDate: d(131),
    }),
    m('4853d cancelled, policy not applied', '4853', { cancellation: cancel(2, true, false) }),
    m('4853d policy applies', '4853', { cancellation: cancel(2, true, true) }),
    m('4853d later of expected delivery 540 days after, day 120', '4853', { cancellation: cancel(2), expectedDeliveryDate: d(540), disputeDate: d(660) }),
    m('4853d expected delivery 541 days after: capped, day 121', '4853', { cancellation: cancel(2), expectedDeliveryDate: d(541), disputeDate: d(661) }),
    m('4853e not provided', '4853', {}),
    m('4853e delivered', '4853', { delivery: { proof: 'digital_access', date: d(1) } }),
    m('4853e expected delivery +40, day 120', '4853', { expectedDeliveryDate: d(40), disputeDate: d(160) }),
    m('4853e expected delivery +40, day 121', '4853', { expectedDeliveryDate: d(40), disputeDate: d(161) }),
    m('4853e expected delivery 700 days after: capped at 540, day 120', '4853', { expectedDeliveryDate: d(700), disputeDate: d(660) }),
    m('4853 refund issued', '4853', { refundIssued: true }),
  ];
}
