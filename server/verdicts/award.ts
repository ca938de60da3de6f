// The award of a claimant class from the record by the card's award rule (PROTOCOL.md §4: a fixed
// amount per class, or the disputed amount / the fare taken from the record).
import type { CaseRecordT } from '../cases/schemas.js';
import type { AwardRule } from '../models/card.js';

export interface Award {
  amount: number;
  currency: string;
}

export function awardOf(rule: AwardRule, record: CaseRecordT): Award {
  if (rule.rule === 'fixed') return { amount: Number(rule.amount), currency: rule.currency };
  const money =
    rule.pointer === '/chargeback/amount'
      ? record.kind === 'chargeback'
        ? record.chargeback.amount
        : undefined
      : record.kind === 'flight'
        ? record.flight.fare
        : undefined;
  if (!money) throw new Error(`award rule reads ${rule.pointer}, which the record does not carry`);
  return { amount: money.amount, currency: money.currency };
}

/** `129.99 EUR`, `600.00 EUR`, `15000 JPY`: the currency's minor digits, then its code. */
export function formatAward(a: Award): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: a.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // an unknown code keeps two digits; the schema admits only ISO 4217 codes anyway
  }
  return `${a.amount.toFixed(digits)} ${a.currency}`;
}
