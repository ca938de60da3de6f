// Synthetic chargeback records for the card models' public evaluation and check sets: random
// cases concentrated around every boundary LAW.md §4/§5 draws (time limits, the 540-day cap,
// CE 3.0's 120–365-day window, "later of" ties), plus hand-written edge cases with a note each.
// Every record is a valid CASES.md record; the expected verdict comes from the oracle, never
// from the model.
import { addDays, type CardCase } from './card-case.js';
import type { Random } from '../seeded-random.js';

export type Network = 'VISA' | 'MASTERCARD';
type Chargeback = CardCase['chargeback'];

export const REASON_CODES: Record<Network, readonly string[]> = {
  VISA: ['10.4', '12.6.1', '13.1', '13.2', '13.3', '13.6', '13.7'],
  MASTERCARD: ['4837', '4853', '4834', '4808'],
};

/** A plain valid record: in time, nothing refunded, no optional part; `patch` overrides. */
export function baseCase(network: Network, reasonCode: string, patch: Partial<Chargeback> = {}, ref?: string): CardCase {
  return {
    ...(ref ? { ref } : {}),
    kind: 'chargeback',
    jurisdiction: network,
    claimant: { name: 'A. Cardholder', email: 'cardholder@example.org' },
    respondent: { name: 'Example Shop' },
    chargeback: {
      reasonCode,
      amount: { amount: 129.99, currency: 'EUR' },
      transactionDate: '2026-01-10',
      disputeDate: '2026-02-02',
      threeDSecure: 'none',
      avs: 'match',
      cvv: 'match',
      delivery: { proof: 'none', date: null },
      priorUndisputedTransactions: [],
      channel: 'ecommerce',
      refundIssued: false,
      ...patch,
    },
  } as CardCase;
}

/** Days around the boundaries that matter, or anywhere in a plausible span. */
function dayNear(r: Random, marks: readonly number[], span: number): number {
  return r.chance(0.6) ? r.pick(marks) + r.int(-2, 2) : r.int(0, span);
}

const CURRENCIES = [
  { currency: 'EUR', digits: 2 },
  { currency: 'USD', digits: 2 },
  { currency: 'GBP', digits: 2 },
  { currency: 'JPY', digits: 0 },
] as const;

/** One random record of `network`. */
export function randomCase(r: Random, network: Network, ref: string): CardCase {
  const reasonCode = r.pick(REASON_CODES[network]);
  const txn = addDays('2025-01-01', r.int(0, 540));
  const { currency, digits } = r.pick(CURRENCIES);
  const amount = Number((r.int(100, 500_000) / 100).toFixed(digits)) || 1;
  const edd = r.chance(0.6) ? addDays(txn, dayNear(r, [0, 5, 540, 541], 700)) : undefined;
  const proof = r.pick(['signed', 'tracked', 'digital_access', 'none'] as const);
  const deliveryDate = r.chance(0.5) ? addDays(txn, dayNear(r, [0, 3, 540], 600)) : null;
  const cancellation = r.chance(0.5)
    ? { date: addDays(txn, r.int(-30, 60)), policyDisclosed: r.chance(0.5), policyApplied: r.chance(0.5) }
    : undefined;
  // The dispute date: near a limit counted from one of the dates the rows start from.
  const starts = [txn, edd, deliveryDate, cancellation?.date].filter((d): d is string => !!d && d >= txn);
  const from = r.pick(starts);
  const dispute = addDays(from, dayNear(r, [0, 1, 90, 91, 120, 121], 200));
  const priors = Array.from({ length: r.pick([0, 0, 1, 2, 2, 3, 4]) }, () => ({
    date: addDays(txn, -Math.max(1, dayNear(r, [119, 120, 365, 366], 500))),
    ipMatch: r.chance(0.6),
    deviceIdMatch: r.chance(0.6),
    shippingAddressMatch: r.chance(0.5),
    accountMatch: r.chance(0.5),
  }));
  return baseCase(
    network,
    reasonCode,
    {
      amount: { amount, currency },
      transactionDate: txn,
      disputeDate: dispute < txn ? txn : dispute,
      ...(edd ? { expectedDeliveryDate: edd } : {}),
      threeDSecure: r.pick(['authenticated', 'attempted', 'none', 'none'] as const),
      avs: r.pick(['match', 'partial', 'no_match', 'unavailable'] as const),
      cvv: r.pick(['match', 'no_match', 'not_provided'] as const),
      delivery: { proof, date: proof === 'none' ? null : deliveryDate },
      priorUndisputedTransactions: priors,
      channel: r.pick(['ecommerce', 'card_present', 'recurring'] as const),
      refundIssued: r.chance(0.12),
      ...(cancellation ? { cancellation } : {}),
      ...(r.chance(0.5)
        ? { duplicate: { otherTransactionDate: txn, sameAmount: r.chance(0.6), sameOrderId: r.chance(0.6) } }
        : {}),
      ...(r.chance(0.5) ? { return: { attempted: r.chance(0.5), receivedByMerchant: r.chance(0.4) } } : {}),
    },
    ref,
  );
}
