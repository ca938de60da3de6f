import { describe, expect, it } from 'vitest';
import { decimalPlaces } from '../../../server/cases/semantic-checks.js';
import { validateCaseRecord } from '../../../server/cases/validate.js';
import { validRecords, variant } from '../../support/case-fixtures.js';

describe('decimalPlaces', () => {
  it('counts the digits after the point as JSON writes the number', () => {
    expect(decimalPlaces(420)).toBe(0);
    expect(decimalPlaces(129.99)).toBe(2);
    expect(decimalPlaces(0.001)).toBe(3);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces(1.5e-7)).toBe(8);
    expect(decimalPlaces(1e21)).toBe(0);
    // Binary floating point: 0.1 + 0.2 is written 0.30000000000000004, not 0.3.
    expect(decimalPlaces(0.1 + 0.2)).toBe(17);
  });
});

describe('semantic checks at scale', () => {
  it('answers with the first 16 errors however many entries are wrong', () => {
    const record = variant(validRecords.mastercardNotProvided, (r) => {
      r.chargeback.priorUndisputedTransactions = Array.from({ length: 100 }, () => ({
        date: '2026-12-31',
        ipMatch: true,
        deviceIdMatch: true,
        shippingAddressMatch: true,
        accountMatch: true,
      }));
    });
    const result = validateCaseRecord(record);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(16);
      expect(result.errors[0].pointer).toBe('/chargeback/priorUndisputedTransactions/0/date');
    }
  });
});
