import { describe, expect, it } from 'vitest';
import { FeaturizeError } from '../../../../server/inference/featurizer.js';
import { mastercardFeaturizer } from '../../../../server/featurizers/mastercard.js';
import { visaFeaturizer } from '../../../../server/featurizers/visa.js';
import type { CaseRecordT } from '../../../../server/cases/schemas.js';
import { validRecords, variant } from '../../../support/case-fixtures.js';

const named = (f: typeof visaFeaturizer, record: CaseRecordT): Record<string, bigint> => {
  const values = f.featurize(record);
  return Object.fromEntries(f.features.map((s, i) => [s.name, values[i]]));
};

const prior = (date: string) => ({ date, ipMatch: true, deviceIdMatch: true, shippingAddressMatch: false, accountMatch: false });

describe('card featurizers', () => {
  it('one-hot encodes the reason code and counts calendar days from the transaction', () => {
    const f = named(visaFeaturizer, validRecords.visaFraud);
    expect(f.rc_10_4).toBe(1n);
    expect(f.rc_13_1).toBe(0n);
    expect(f.days_since_transaction).toBe(23n); // 2026-01-10 → 2026-02-02
    expect(f.three_ds_none).toBe(1n);
    expect(f.delivery_proof_none).toBe(0n);
    expect(f.days_since_delivery).toBe(19n);
  });

  it('gives 0 for the flags and day counts of absent optional parts', () => {
    const f = named(visaFeaturizer, validRecords.visaFraud);
    expect([f.expected_delivery_given, f.days_since_expected_delivery, f.cancellation_given, f.return_received]).toEqual([0n, 0n, 0n, 0n]);
  });

  it('counts CE 3.0 prior transactions only 120 to 365 days before the transaction (inclusive)', () => {
    const record = variant(validRecords.visaFraud, (r) => {
      r.chargeback.priorUndisputedTransactions = ['2025-09-13', '2025-09-12', '2025-01-10', '2025-01-09'].map(prior);
    });
    // 2026-01-10 minus: 119, 120, 365, 366 days
    expect(named(visaFeaturizer, record).ce3_ip_deviceId).toBe(2n);
    expect(named(visaFeaturizer, record).ce3_ip_shippingAddress).toBe(0n);
  });

  it('counts days across a leap day', () => {
    const record = variant(validRecords.visaFraud, (r) => {
      r.chargeback.transactionDate = '2028-02-28';
      r.chargeback.disputeDate = '2028-03-01';
    });
    expect(named(visaFeaturizer, record).days_since_transaction).toBe(2n);
  });

  it('keeps every value inside its declared range', () => {
    for (const [f, record] of [
      [visaFeaturizer, validRecords.visaFraud],
      [mastercardFeaturizer, validRecords.mastercardNotProvided],
    ] as const) {
      const values = f.featurize(record);
      expect(values.length).toBe(f.features.length);
      f.features.forEach((s, i) => expect(values[i] >= s.min && values[i] <= s.max).toBe(true));
    }
  });

  it('refuses a reason code of the other network, naming the field', () => {
    const record = variant(validRecords.visaFraud, (r) => {
      r.chargeback.reasonCode = '4837';
    });
    expect(() => visaFeaturizer.featurize(record)).toThrow(FeaturizeError);
    try {
      visaFeaturizer.featurize(record);
    } catch (e) {
      expect((e as FeaturizeError).pointer).toBe('/chargeback/reasonCode');
    }
  });

  it('refuses a flight case', () => {
    expect(() => mastercardFeaturizer.featurize(validRecords.eu261Delay)).toThrow(FeaturizeError);
  });

  it('Mastercard has no CE 3.0 columns (LAW.md §6.4)', () => {
    expect(mastercardFeaturizer.features.some((s) => s.name.startsWith('ce3_'))).toBe(false);
    expect(named(mastercardFeaturizer, validRecords.mastercardNotProvided).rc_4853).toBe(1n);
  });
});

describe('card calendar', () => {
  it('numbers every day from 1900 to 2100 as Date.UTC does', async () => {
    const { dayNumber } = await import('../../../../server/featurizers/card-calendar.js');
    for (let ms = Date.UTC(1900, 0, 1); ms <= Date.UTC(2100, 11, 31); ms += 86_400_000) {
      const iso = new Date(ms).toISOString().slice(0, 10);
      if (dayNumber(iso, '/x') !== ms / 86_400_000) throw new Error(`day number of ${iso}`);
    }
  });

  it('refuses impossible dates, naming the field', async () => {
    const { dayNumber } = await import('../../../../server/featurizers/card-calendar.js');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-10', '2026-01-32', 'abcd-01-01']) {
      expect(() => dayNumber(bad, '/chargeback/disputeDate')).toThrow(FeaturizeError);
    }
    expect(dayNumber('2028-02-29', '/x')).toBe(Date.UTC(2028, 1, 29) / 86_400_000);
  });
});
