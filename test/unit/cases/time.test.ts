import { describe, expect, it } from 'vitest';
import { parseCalendarDate, parseInstant } from '../../../server/cases/time.js';

describe('parseInstant', () => {
  it('reads a local time with its offset as the same instant as its UTC equivalent', () => {
    expect(parseInstant('2026-03-01T12:45:00-05:00')).toBe(parseInstant('2026-03-01T17:45:00Z'));
    expect(parseInstant('2026-03-01T10:00:00+01:00')).toBe(Date.UTC(2026, 2, 1, 9, 0, 0));
  });

  it('agrees with Date.parse on valid times, seconds and milliseconds optional', () => {
    for (const t of ['2026-03-01T12:45Z', '2026-03-01T12:45:30.5+05:30', '2024-02-29T23:59:59.999-12:00', '1999-12-31T00:00:00+14:00']) {
      expect(parseInstant(t), t).toBe(Date.parse(t));
    }
  });

  it('rejects a time without an offset', () => {
    expect(parseInstant('2026-03-01T12:45:00')).toBeUndefined();
  });

  it('rejects times that do not exist', () => {
    for (const t of ['2026-02-29T10:00:00Z', '2026-04-31T10:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T12:60:00Z', '2026-03-01T12:00:60Z', '2026-03-01T12:00:00+19:00']) {
      expect(parseInstant(t), t).toBeUndefined();
    }
  });
});

describe('parseCalendarDate', () => {
  it('counts days since 1970-01-01, so differences are calendar days', () => {
    expect(parseCalendarDate('1970-01-01')).toBe(0);
    expect(parseCalendarDate('2026-02-02')! - parseCalendarDate('2026-01-10')!).toBe(23);
    expect(parseCalendarDate('2024-03-01')! - parseCalendarDate('2024-02-28')!).toBe(2);
    expect(parseCalendarDate('2026-05-10')).toBe(Date.UTC(2026, 4, 10) / 86_400_000);
  });

  it('rejects dates that do not exist or are not YYYY-MM-DD', () => {
    for (const d of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '10/01/2026']) {
      expect(parseCalendarDate(d), d).toBeUndefined();
    }
  });
});
