// LAW.md §5 (Mastercard Chargeback Guide) read literally, in plain TypeScript. Independent of the
// featurizer and the graph: the compiled model must agree with it on the public evaluation set.
import { type CardCase, type LawVerdict, claimant, daysBetween, isLate, laterOf, respondent } from './card-case.js';

export const MASTERCARD_REASON_CODES = ['4837', '4853', '4834', '4808'] as const;

type Sub = 'a' | 'b' | 'c' | 'd' | 'e';

/** 4853's first matching sub-condition (LAW.md §5). */
export function sub4853(c: CardCase): Sub {
  const cb = c.chargeback;
  if (cb.channel === 'recurring' && cb.cancellation) return 'a';
  if (cb.return?.receivedByMerchant) return 'b';
  if (cb.return?.attempted) return 'c';
  if (cb.cancellation) return 'd';
  return 'e';
}

/** Time limit (days) and its start date for the case's row. */
export function mastercardLimit(c: CardCase): { days: number; start: string } {
  const cb = c.chargeback;
  const txn = cb.transactionDate;
  switch (cb.reasonCode) {
    case '4853': {
      // "≤ 540 d after txn" applies to every 4853 start date.
      const sub = sub4853(c);
      const other =
        sub === 'a' ? null : sub === 'b' ? cb.cancellation?.date : sub === 'c' ? cb.delivery?.date : cb.expectedDeliveryDate;
      return { days: 120, start: laterOf(txn, other, 540) };
    }
    case '4837':
      return { days: 120, start: txn };
    default: // 4834, 4808
      return { days: 90, start: txn };
  }
}

export function mastercardOracle(c: CardCase): LawVerdict {
  const cb = c.chargeback;
  if (!(MASTERCARD_REASON_CODES as readonly string[]).includes(cb.reasonCode)) {
    throw new Error(`not a Mastercard reason code of LAW.md §5: ${cb.reasonCode}`);
  }
  const { days, start } = mastercardLimit(c);
  if (isLate(start, cb.disputeDate, days)) return respondent('MC.time_limit'); // M1
  if (cb.refundIssued) return respondent('MC.credit_issued'); // M2
  switch (cb.reasonCode) {
    case '4837': {
      // Card present: the record has no entry mode (chip/PIN vs. key-entered): flag it (LAW.md §5, §7).
      const flag = cb.channel === 'card_present';
      return cb.threeDSecure === 'none' ? claimant(c, 'MC.4837.fraud', flag) : respondent('MC.4837.3ds', flag);
    }
    case '4834':
      return cb.duplicate?.sameAmount && cb.duplicate.sameOrderId
        ? claimant(c, 'MC.4834.duplicate')
        : respondent('MC.4834.separate');
    case '4808':
      return respondent('MC.4808.undecidable', true);
    default: {
      const cancellation = cb.cancellation ?? null;
      switch (sub4853(c)) {
        case 'a':
          return daysBetween(cancellation!.date, cb.transactionDate) > 0
            ? claimant(c, 'MC.4853.recurring_cancelled')
            : respondent('MC.4853.recurring_not_cancelled');
        case 'b':
          return claimant(c, 'MC.4853.credit_not_processed');
        case 'c':
          return claimant(c, 'MC.4853.not_as_described');
        case 'd':
          return cancellation!.policyDisclosed && cancellation!.policyApplied
            ? respondent('MC.4853.policy_applies')
            : claimant(c, 'MC.4853.cancelled');
        default:
          return (cb.delivery?.proof ?? 'none') === 'none'
            ? claimant(c, 'MC.4853.not_provided')
            : respondent('MC.4853.delivered');
      }
    }
  }
}
