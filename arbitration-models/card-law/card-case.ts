// The chargeback part of a CASES.md record as the card-law oracles read it. Written out here (not
// imported from the server's schema) so that the oracles stay an independent reading of LAW.md.
export interface CardCase {
  ref?: string;
  kind: string;
  jurisdiction: string;
  chargeback: {
    reasonCode: string;
    amount: { amount: number; currency: string };
    transactionDate: string;
    disputeDate: string;
    expectedDeliveryDate?: string | null;
    threeDSecure: 'authenticated' | 'attempted' | 'none';
    avs?: string;
    cvv?: string;
    delivery?: { proof: 'signed' | 'tracked' | 'digital_access' | 'none'; date?: string | null } | null;
    priorUndisputedTransactions?: Array<{
      date: string;
      ipMatch: boolean;
      deviceIdMatch: boolean;
      shippingAddressMatch: boolean;
      accountMatch: boolean;
    }>;
    channel: 'ecommerce' | 'card_present' | 'recurring';
    refundIssued: boolean;
    cancellation?: { date: string; policyDisclosed: boolean; policyApplied: boolean } | null;
    duplicate?: { otherTransactionDate: string; sameAmount: boolean; sameOrderId: boolean } | null;
    return?: { attempted: boolean; receivedByMerchant: boolean } | null;
    merchantResponse?: string;
  };
}

/** What LAW.md decides for a case: the verdict fields an evaluation line expects. */
export interface LawVerdict {
  outcome: 'claimant' | 'respondent';
  award: { amount: number; currency: string } | null;
  grounds: string[];
  review: boolean;
}

/** Calendar days from `from` to `to` (both `YYYY-MM-DD`), LAW.md §0: `to − from`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Adds `n` calendar days to a `YYYY-MM-DD` date. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The later of two dates; `capDays` caps the second at that many days after the first. */
export function laterOf(txn: string, other: string | null | undefined, capDays?: number): string {
  if (!other) return txn;
  let o = other;
  if (capDays !== undefined && daysBetween(txn, o) > capDays) o = addDays(txn, capDays);
  return daysBetween(txn, o) > 0 ? o : txn;
}

/** LAW.md §0: "limit 120 ⇒ day 120 in time, day 121 late". */
export const isLate = (start: string, disputeDate: string, limitDays: number): boolean =>
  daysBetween(start, disputeDate) > limitDays;

export const claimant = (c: CardCase, grounds: string, review = false): LawVerdict => ({
  outcome: 'claimant',
  award: { amount: c.chargeback.amount.amount, currency: c.chargeback.amount.currency },
  grounds: [grounds],
  review,
});

export const respondent = (grounds: string, review = false): LawVerdict => ({
  outcome: 'respondent',
  award: null,
  grounds: [grounds],
  review,
});
