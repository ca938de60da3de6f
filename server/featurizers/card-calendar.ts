// Calendar days for chargeback time limits (LAW.md §0: "calendar days disputeDate − start; limit
// 120 ⇒ day 120 in time, day 121 late"). Dates are plain `YYYY-MM-DD`; no time zone enters.
// On the decide hot path: digits are read directly, no Date objects.
import { daysFromCivil, daysInMonth } from '../cases/time.js';
import { FeaturizeError } from '../inference/featurizer.js';

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; a malformed or impossible date names its field. */
export function dayNumber(date: string, pointer: string): number {
  const n = dayNumberOrNaN(date);
  if (Number.isNaN(n)) throw badDate(date, pointer);
  return n;
}

/** dayNumber, NaN for a malformed or impossible date (the caller names the field: no pointer built per call). */
export function dayNumberOrNaN(date: string): number {
  if (date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    const y = digits(date, 0, 4);
    const m = digits(date, 5, 7);
    const d = digits(date, 8, 10);
    if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return daysFromCivil(y, m, d);
  }
  return NaN;
}

export const badDate = (date: string, pointer: string): FeaturizeError =>
  new FeaturizeError(pointer, `expected a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
