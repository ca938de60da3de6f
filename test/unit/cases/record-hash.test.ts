import { describe, expect, it } from 'vitest';
import { canonicalize } from 'json-canonicalize';
import { keccak256, toUtf8Bytes } from 'ethers';
import { canonicalRecordJson, recordHash } from '../../../server/cases/record-hash.js';
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
});
