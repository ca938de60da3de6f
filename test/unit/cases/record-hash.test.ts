import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalize } from 'json-canonicalize';
import { keccak256, toUtf8Bytes } from 'ethers';
import { canonicalJson, canonicalRecordJson, recordHash } from '../../../server/cases/record-hash.js';
import { validRecords } from '../../support/case-fixtures.js';

const record = validRecords.eu261Delay;
const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

describe('record hash', () => {
  it('is keccak256 of the RFC 8785 canonical record when there is no evidence', () => {
    expect(recordHash(record)).toBe(keccak256(toUtf8Bytes(canonicalize(record))));
    expect(recordHash(record)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('does not depend on the order of the record members', () => {
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(recordHash(reordered)).toBe(recordHash(record));
  });

  it('covers the sorted evidence hashes as a top-level evidenceSha256 member', () => {
    expect(canonicalRecordJson(record, [b, a])).toBe(canonicalize({ ...record, evidenceSha256: [a, b] }));
    expect(recordHash(record, [b, a])).toBe(recordHash(record, [a, b]));
    expect(recordHash(record, [a])).not.toBe(recordHash(record));
    expect(recordHash(record, [a, b])).not.toBe(recordHash(record, [a]));
  });

  it('counts the same evidence digest once', () => {
    expect(recordHash(record, [a, a])).toBe(recordHash(record, [a]));
  });

  it('is written exactly as json-canonicalize writes it, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
    // Unicode member names (sorted by UTF-16 code units), escapes, lone surrogates, -0, exponents.
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.oneof(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true }))), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out undefined members, writes undefined array entries as null, and honours toJSON', () => {
    const value = { b: undefined, a: [1, undefined, 'x'], d: new Date(0), c: { z: 1, y: undefined } };
    expect(canonicalJson(value)).toBe(canonicalize(value));
    expect(canonicalJson(value)).toBe('{"a":[1,null,"x"],"c":{"z":1},"d":"1970-01-01T00:00:00.000Z"}');
  });

  it('rejects non-finite numbers, as RFC 8785 does', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/Non-finite/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/Non-finite/);
  });

  it('writes every fixture record as json-canonicalize does', () => {
    for (const r of Object.values(validRecords)) expect(canonicalRecordJson(r)).toBe(canonicalize(r));
  });
});
