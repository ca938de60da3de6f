import { describe, expect, it } from 'vitest';
import { localToIso, zoneOffsetLabel } from '../../../web/app/lib/zoned-time.js';

describe('local airport time → instant with offset', () => {
  it('uses the offset in force at that airport on that day, summer and winter', () => {
    expect(localToIso('2026-03-01T10:00', 'Europe/Berlin')).toBe('2026-03-01T10:00:00+01:00');
    expect(localToIso('2026-07-01T10:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00+02:00');
    expect(localToIso('2026-03-01T12:45', 'America/New_York')).toBe('2026-03-01T12:45:00-05:00');
    expect(localToIso('2026-04-10T10:00', 'Atlantic/Canary')).toBe('2026-04-10T10:00:00+01:00');
    expect(localToIso('2026-01-05T08:00', 'Asia/Kolkata')).toBe('2026-01-05T08:00:00+05:30');
  });

  it('reads the hours around a daylight-saving change by the offset after the change', () => {
    // 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00); 03:30 is +02:00.
    expect(localToIso('2026-03-29T03:30', 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
    expect(localToIso('2026-03-29T01:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00+01:00');
  });

  it('refuses what is not a local date and time, or an unknown zone', () => {
    expect(localToIso('2026-03-01', 'Europe/Berlin')).toBeUndefined();
    expect(localToIso('2026-03-01T10:00', 'Mars/Olympus')).toBeUndefined();
  });

  it('labels the zone with its offset at that time', () => {
    expect(zoneOffsetLabel('Europe/Berlin', '2026-07-01T10:00')).toBe('UTC+02:00');
    expect(zoneOffsetLabel('America/New_York', '2026-01-01T10:00')).toBe('UTC-05:00');
  });
});
