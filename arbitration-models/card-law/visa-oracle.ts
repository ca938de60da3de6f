// LAW.md §4 (Visa Core Rules, dispute conditions) read literally, in plain TypeScript, row by row.
// The compiled model must decide every public evaluation case as this function does; nothing here
// is shared with the featurizer or the graph, so the two are independent readings of the law.
import { type CardCase, type LawVerdict, claimant, daysBetween, isLate, laterOf, respondent } from './card-case.js';

const CORE = ['ipMatch', 'deviceIdMatch', 'shippingAddressMatch', 'accountMatch'] as const;

/**
 * CE 3.0: ≥ 2 prior undisputed transactions 120–365 days before transactionDate, all matching one
 * set of ≥ 2 core elements that includes ip or deviceId (LAW.md §4).
 */
export function compellingEvidence3(c: CardCase): boolean {
  const txn = c.chargeback.transactionDate;
  const window = (c.chargeback.priorUndisputedTransactions ?? []).filter((p) => {
    const before = daysBetween(p.date, txn);
    return before >= 120 && before <= 365;
  });
  for (let mask = 0; mask < 16; mask++) {
    const set = CORE.filter((_, i) => mask & (1 << i));
    if (set.length < 2 || !(set.includes('ipMatch') || set.includes('deviceIdMatch'))) continue;
    if (window.filter((p) => set.every((k) => p[k])).length >= 2) return true;
  }
  return false;
}

/** The row's time-limit start date (LAW.md §4 "120 days from"). */
export function visaLimitStart(c: CardCase): string {
  const cb = c.chargeback;
  switch (cb.reasonCode) {
    case '13.1':
      return laterOf(cb.transactionDate, cb.expectedDeliveryDate, 540);
    case '13.3':
      return laterOf(cb.transactionDate, cb.delivery?.date);
    case '13.6':
      return laterOf(cb.transactionDate, cb.cancellation?.date);
    case '13.7':
      return laterOf(cb.transactionDate, cb.expectedDeliveryDate);
    default:
      return cb.transactionDate;
  }
}

export const VISA_REASON_CODES = ['10.4', '12.6.1', '13.1', '13.2', '13.3', '13.6', '13.7'] as const;

export function visaOracle(c: CardCase): LawVerdict {
  const cb = c.chargeback;
  if (!(VISA_REASON_CODES as readonly string[]).includes(cb.reasonCode)) {
    throw new Error(`not a Visa reason code of LAW.md §4: ${cb.reasonCode}`);
  }
  // V1, V2
  if (isLate(visaLimitStart(c), cb.disputeDate, 120)) return respondent('VISA.time_limit');
  if (cb.refundIssued) return respondent('VISA.credit_issued');
  // V3
  const cancellation = cb.cancellation ?? null;
  const policyCovers = !!cancellation && cancellation.policyDisclosed && cancellation.policyApplied;
  switch (cb.reasonCode) {
    case '10.4':
      if (cb.channel === 'card_present') return respondent('VISA.10.4.card_present');
      if (cb.threeDSecure !== 'none') return respondent('VISA.10.4.3ds');
      if (compellingEvidence3(c)) return respondent('VISA.10.4.ce3');
      return claimant(c, 'VISA.10.4.fraud');
    case '12.6.1':
      return cb.duplicate?.sameAmount && cb.duplicate.sameOrderId
        ? claimant(c, 'VISA.12.6.1.duplicate')
        : respondent('VISA.12.6.1.separate');
    case '13.1': {
      const premature = !!cb.expectedDeliveryDate && !(daysBetween(cb.expectedDeliveryDate, cb.disputeDate) > 0);
      if (premature) return respondent('VISA.13.1.premature');
      const proof = cb.delivery?.proof ?? 'none';
      return proof === 'none' ? claimant(c, 'VISA.13.1.not_received') : respondent('VISA.13.1.delivered');
    }
    case '13.2':
      return cancellation && daysBetween(cancellation.date, cb.transactionDate) > 0
        ? claimant(c, 'VISA.13.2.cancelled')
        : respondent('VISA.13.2.not_cancelled');
    case '13.3':
      return cb.return?.attempted || cb.return?.receivedByMerchant
        ? claimant(c, 'VISA.13.3.returned')
        : respondent('VISA.13.3.no_return');
    case '13.6':
      return cb.return?.receivedByMerchant || (cancellation && !policyCovers)
        ? claimant(c, 'VISA.13.6.credit_due')
        : respondent('VISA.13.6.no_credit_due');
    default: // 13.7
      if (!cancellation) return respondent('VISA.13.7.not_cancelled');
      return policyCovers ? respondent('VISA.13.7.policy_applies') : claimant(c, 'VISA.13.7.cancelled');
  }
}
