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

// Minor digits per currency; Intl.NumberFormat is slow to construct, so ask once per code.
const minorDigits = new Map<string, number>();

function digitsOf(currency: string): number {
  let d = minorDigits.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2; // an unknown code keeps two digits; the schema admits only ISO 4217 codes anyway
    }
    minorDigits.set(currency, d);
  }
  return d;
}

/** `129.99 EUR`, `600.00 EUR`, `15000 JPY`: the currency's minor digits, then its code. */
export const formatAward = (a: Award): string => `${a.amount.toFixed(digitsOf(a.currency))} ${a.currency}`;
