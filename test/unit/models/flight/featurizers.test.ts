import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlightCaseRecordT } from '../../../../server/cases/schemas.js';
import { FeaturizeError, type Featurizer } from '../../../../server/inference/featurizer.js';
import { eu261Featurizer } from '../../../../server/featurizers/eu261.js';
import { ABSENT_MS } from '../../../../server/featurizers/flight-compensation.js';
import { CAUSE_CONCEPT_DIMS } from '../../../../server/featurizers/flight-cause-concepts.js';
import { fastInstant, msBetween, TIME_CLAMP_MS } from '../../../../server/featurizers/flight-facts.js';
import { parseInstant } from '../../../../server/cases/time.js';
import { uk261Featurizer } from '../../../../server/featurizers/uk261.js';
import { usDotRefundFeaturizer } from '../../../../server/featurizers/us-dot-refund.js';
import { generateCase } from '../../../../arbitration-models/flight-law/case-generator.js';
import { seededRandom as rng } from '../../../../arbitration-models/seeded-random.js';
import { cloneRecord, validRecords, variant } from '../../../support/case-fixtures.js';

const H = 3_600_000n;
const value = (f: Featurizer, x: BigInt64Array, name: string): bigint => {
  const i = f.features.findIndex((s) => s.name === name);
  if (i < 0) throw new Error(`no feature ${name}`);
  return x[i];
};
const eu = (edit: (f: FlightCaseRecordT['flight']) => void): FlightCaseRecordT => variant(validRecords.eu261Delay, (r) => edit(r.flight));

describe('flight featurizers', () => {
  it('give the same bits for the same record, including after a JSON round trip', () => {
    for (const [f, record] of [
      [eu261Featurizer, validRecords.eu261Delay],
      [uk261Featurizer, validRecords.uk261Delay],
      [usDotRefundFeaturizer, validRecords.usDotRefund],
    ] as const) {
      const a = f.featurize(record);
      const b = f.featurize(JSON.parse(JSON.stringify(record)));
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(a.length).toBe(f.features.length);
    }
  });

  it('keep every value within its declared range on 1,200 generated records', () => {
    const r = rng(77);
    for (const [f, jur] of [
      [eu261Featurizer, 'EU261'],
      [uk261Featurizer, 'UK261'],
      [usDotRefundFeaturizer, 'US_DOT_REFUND'],
    ] as const) {
      for (let i = 0; i < 400; i++) {
        const x = f.featurize(generateCase(r, jur, 'train', `c${i}`).record);
        f.features.forEach((s, j) => {
          expect(x[j] >= s.min && x[j] <= s.max, `${s.name} = ${x[j]}`).toBe(true);
        });
      }
    }
  });

  it('measure the delay in UTC milliseconds across offsets, exact at 3 h 00 min 00 s', () => {
    const x = eu261Featurizer.featurize(eu((f) => {
      f.scheduledArrival = '2026-03-01T12:45:00-05:00';
      f.actualArrival = '2026-03-01T20:45:00Z'; // 12:45 −05:00 is 17:45Z: exactly 3 h late
    }));
    expect(value(eu261Featurizer, x, 'delay_ms')).toBe(3n * H);
    const y = eu261Featurizer.featurize(eu((f) => {
      f.actualArrival = '2026-03-01T20:44:59.999Z';
      f.scheduledArrival = '2026-03-01T12:45:00-05:00';
    }));
    expect(value(eu261Featurizer, y, 'delay_ms')).toBe(3n * H - 1n);
  });

  it('encode a missing arrival and a missing reroute below the clamped time range', () => {
    const x = eu261Featurizer.featurize(eu((f) => {
      f.actualArrival = null;
    }));
    expect(value(eu261Featurizer, x, 'delay_ms')).toBe(BigInt(ABSENT_MS));
    expect(value(eu261Featurizer, x, 'late_ms')).toBe(BigInt(ABSENT_MS));
    expect(ABSENT_MS).toBeLessThan(-TIME_CLAMP_MS);
  });

  it('measure the reroute as early = scheduled − reroute departure and late = reroute − scheduled arrival', () => {
    const x = eu261Featurizer.featurize(validRecords.eu261Cancellation);
    // CDG 07:30+02 scheduled, reroute 12:35+02: 5 h 05 later (early = −5 h 05); arrival 10:00+01 → 15:05+01
    expect(value(eu261Featurizer, x, 'early_ms')).toBe(-(5n * H + 5n * 60_000n));
    expect(value(eu261Featurizer, x, 'late_ms')).toBe(5n * H + 5n * 60_000n);
    expect(value(eu261Featurizer, x, 'notice_days')).toBe(3n);
    expect(value(eu261Featurizer, x, 'disruption')).toBe(1n);
  });

  it('take missing notice as 0 days (art. 5(4))', () => {
    const rec = variant(validRecords.eu261Cancellation, (r) => delete r.flight.cancellationNoticeDays);
    expect(value(eu261Featurizer, eu261Featurizer.featurize(rec), 'notice_days')).toBe(0n);
  });

  it('encode EU261 scope as 4·departure in Area + 2·destination in Area + Community carrier', () => {
    const scope = (legs: string, carrier: string) =>
      value(eu261Featurizer, eu261Featurizer.featurize(eu((f) => {
        const codes = legs.split('-');
        f.itinerary = codes.slice(1).map((to, i) => ({ from: codes[i], to }));
        f.operatingCarrier = carrier;
      })), 'scope');
    expect(scope('FRA-JFK', 'LH')).toBe(5n);
    expect(scope('JFK-FRA', 'LH')).toBe(3n);
    expect(scope('JFK-FRA', 'AA')).toBe(2n);
    expect(scope('LHR-JFK', 'BA')).toBe(0n);
    expect(scope('CDG-PTP', 'AF')).toBe(7n); // Guadeloupe is in the Area
    expect(scope('FAE-CPH', 'SK')).toBe(3n); // the Faroes are not
    expect(scope('GVA-LIS', 'LX')).toBe(7n); // Switzerland is
  });

  it('encode UK261 scope facts; the Channel Islands are not the UK, Oslo is not the EU', () => {
    const scope = (legs: string, carrier: string) =>
      value(uk261Featurizer, uk261Featurizer.featurize(variant(validRecords.uk261Delay, (r) => {
        const codes = legs.split('-');
        r.flight.itinerary = codes.slice(1).map((to, i) => ({ from: codes[i], to }));
        r.flight.operatingCarrier = carrier;
      })), 'scope');
    expect(scope('LHR-JFK', 'AA')).toBe(16n);
    expect(scope('JER-LGW', 'BA')).toBe(10n);
    expect(scope('JFK-CDG', 'BA')).toBe(6n);
    expect(scope('JFK-OSL', 'BA')).toBe(2n);
    expect(scope('JFK-LHR', 'LH')).toBe(9n);
  });

  it('measure distance first departure → final destination, not the sum of legs', () => {
    const direct = eu261Featurizer.featurize(eu((f) => (f.itinerary = [{ from: 'FRA', to: 'LAX' }])));
    const via = eu261Featurizer.featurize(eu((f) => (f.itinerary = [{ from: 'FRA', to: 'JFK' }, { from: 'JFK', to: 'LAX' }])));
    expect(value(eu261Featurizer, via, 'distance_m')).toBe(value(eu261Featurizer, direct, 'distance_m'));
  });

  it('count the concepts of carrierStatedCause and nothing for an absent cause', () => {
    const x = eu261Featurizer.featurize(validRecords.eu261Delay); // "technical fault with the aircraft"
    const text = Array.from(x.slice(eu261Featurizer.features.length - CAUSE_CONCEPT_DIMS));
    expect(text.reduce((a, b) => a + b, 0n)).toBeGreaterThan(0n);
    const none = eu261Featurizer.featurize(eu((f) => delete f.carrierStatedCause));
    expect(Array.from(none.slice(eu261Featurizer.features.length - CAUSE_CONCEPT_DIMS)).every((v) => v === 0n)).toBe(true);
  });

  it('throw FeaturizeError naming the field for a wrong jurisdiction or a missing US fare', () => {
    const wrong = cloneRecord(validRecords.uk261Delay);
    expect(() => eu261Featurizer.featurize(wrong)).toThrow(FeaturizeError);
    try {
      eu261Featurizer.featurize(wrong);
    } catch (e) {
      expect((e as FeaturizeError).pointer).toBe('/jurisdiction');
    }
    const noFare = variant(validRecords.usDotRefund, (r) => {
      delete r.flight.fare;
      r.flight.actualArrival = null;
      r.flight.disruption = 'cancellation';
    });
    try {
      usDotRefundFeaturizer.featurize(noFare);
      expect.unreachable('a refund claim without a fare must not featurize');
    } catch (e) {
      expect(e).toBeInstanceOf(FeaturizeError);
      expect((e as FeaturizeError).pointer).toBe('/flight/fare');
    }
  });

  it('mark a US itinerary as domestic only when every airport is in the US (Puerto Rico included)', () => {
    const dom = (legs: string) =>
      value(usDotRefundFeaturizer, usDotRefundFeaturizer.featurize(variant(validRecords.usDotRefund, (r) => {
        const codes = legs.split('-');
        r.flight.itinerary = codes.slice(1).map((to, i) => ({ from: codes[i], to }));
      })), 'domestic');
    expect(dom('SJU-MIA')).toBe(1n);
    expect(dom('JFK-YYZ-LAX')).toBe(0n);
  });
});

describe('msBetween reads instants as Date.parse did', () => {
  // The featurizer's clock before the integer parser (server/cases/time.ts parseInstant) went in
  // front of it: Date.parse, and an offset required. Same numbers, same refusals.
  const viaDateParse = (a: string, b: string): number | 'refused' => {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    const ok = (iso: string, t: number) => Number.isFinite(t) && /(Z|[+-]\d{2}:\d{2})$/.test(iso);
    if (!ok(a, ta) || !ok(b, tb)) return 'refused';
    return Math.max(-Number(TIME_CLAMP_MS), Math.min(Number(TIME_CLAMP_MS), tb - ta));
  };
  const viaFeaturizer = (a: string, b: string): number | 'refused' => {
    try {
      return msBetween(a, '/a', b, '/b');
    } catch (e) {
      if (e instanceof FeaturizeError) return 'refused';
      throw e;
    }
  };
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = fc
    .record({
      y: fc.integer({ min: 1900, max: 2100 }),
      mo: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 60 }),
      s: fc.option(fc.integer({ min: 0, max: 60 })),
      frac: fc.option(fc.stringMatching(/^\d{1,4}$/)),
      off: fc.oneof(fc.constant('Z'), fc.constant(''), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 })).map(([sg, oh, om]) => `${sg}${two(oh)}:${two(om)}`)),
    })
    .map(({ y, mo, d, h, mi, s, frac, off }) => `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}${s === null ? '' : `:${two(s)}${frac === null ? '' : `.${frac}`}`}${off}`);

  it('gives Date.parse’s clamped difference, or refuses where it refused (random, often invalid, timestamps)', () => {
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        expect(viaFeaturizer(a, b)).toBe(viaDateParse(a, b));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the usual shapes by character codes to parseInstant’s value, and leaves the rest to it', () => {
    const mangled = fc.tuple(stamp, fc.nat(30), fc.constantFrom('', 'x', '9', 'Z', '+', ':', '.', 'T', ' ')).map(([t, at, ch]) => t.slice(0, at) + ch + t.slice(at + 1));
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(stamp, mangled), (t) => {
        const fast = fastInstant(t);
        if (fast !== undefined) {
          read++;
          expect(fast).toBe(parseInstant(t));
        } else if (parseInstant(t) !== undefined) {
          expect(t).not.toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/);
        }
      }),
      { numRuns: 20000 },
    );
    expect(read).toBeGreaterThan(1000);
    expect(fastInstant('2026-03-01T00:30:00.5+01:00')).toBe(Date.parse('2026-03-01T00:30:00.5+01:00'));
    expect(fastInstant('2024-02-29T23:59:59.999Z')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(fastInstant('2023-02-29T10:00Z')).toBeUndefined();
  });

  it('agrees on the records the models are evaluated on', () => {
    for (const r of Object.values(validRecords)) {
      if (r.kind !== 'flight') continue;
      expect(viaFeaturizer(r.flight.scheduledDeparture, r.flight.scheduledArrival)).toBe(viaDateParse(r.flight.scheduledDeparture, r.flight.scheduledArrival));
    }
  });
});
