// Reading the record's dates and times as numbers, with integer arithmetic only, so every
// machine agrees (LAW.md §0: "convert each ISO time with its offset to UTC before
// subtracting"; chargeback limits count calendar days). The schema's patterns admit the shape;
// these functions also reject dates that do not exist (2026-02-30, 25:00).

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days in month m (1–12) of year y. */
export const daysInMonth = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]);

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function dayNumberOf(y: string, m: string, d: string): number | undefined {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** `YYYY-MM-DD` → days since 1970-01-01, or undefined when it is not a real date. */
export function parseCalendarDate(date: string): number | undefined {
  const m = DATE.exec(date);
  return m ? dayNumberOf(m[1], m[2], m[3]) : undefined;
}

/**
 * ISO 8601 time with an offset → milliseconds since the epoch (UTC), or undefined when it has
 * no offset or names a time that does not exist. Offsets run to ±18:00 (ISO 8601-1:2019 allows
 * any; real zones stay within −12:00…+14:00).
 */
export function parseInstant(timestamp: string): number | undefined {
  const m = TIMESTAMP.exec(timestamp);
  if (!m) return undefined;
  const day = dayNumberOf(m[1], m[2], m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 18 || om > 59 || oh * 60 + om > 18 * 60) return undefined;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Local time minus its offset is UTC.
  return (((day * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}
