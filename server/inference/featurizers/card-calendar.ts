// Calendar days for chargeback time limits (LAW.md §0: "calendar days disputeDate − start; limit
// 120 ⇒ day 120 in time, day 121 late"). Dates are plain `YYYY-MM-DD`; no time zone enters.
import { FeaturizeError } from '../featurizer.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; a malformed or impossible date names its field. */
export function dayNumber(date: string, pointer: string): number {
  const m = DATE.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return ms / 86_400_000;
    }
  }
  throw new FeaturizeError(pointer, `expected a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
}
