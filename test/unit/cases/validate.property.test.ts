// Issue 3: "A property test (fast-check, fixed seed, at least 2,000 mutated records: dropped,
// added, retyped and out-of-range fields) asserts no 5xx and that every 400 names a field that
// exists in the mutated record." Here against validateCaseRecord directly: it never throws, and
// every error pointer names a field of the mutated record in the sense of `namesFieldOf`
// (present, or a missing member of an object that is present).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCaseRecord } from '../../../server/cases/validate.js';
import { mutatedRecord, namesFieldOf } from '../../support/record-mutations.js';

const SEED = 20_260_301;
const RUNS = 2_500;

describe('validateCaseRecord on mutated records', () => {
  it('never throws, and every error names a field of the mutated record', () => {
    let rejected = 0;
    fc.assert(
      fc.property(mutatedRecord, ({ record, steps }) => {
        const before = JSON.stringify(record);
        const result = validateCaseRecord(record);
        // Validation reads the record, never changes it.
        expect(JSON.stringify(record)).toBe(before);
        if (result.ok) return;
        rejected++;
        expect(result.errors.length, steps.join('; ')).toBeGreaterThan(0);
        for (const error of result.errors) {
          expect(namesFieldOf(record, error.pointer), `${error.pointer} after ${steps.join('; ')}`).toBe(true);
          expect(error.message.length).toBeGreaterThan(0);
        }
        expect(new Set(result.errors.map((e) => e.pointer)).size).toBe(result.errors.length);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Most mutations break the record; if none did, the generator would be testing nothing.
    expect(rejected).toBeGreaterThan(RUNS / 2);
  });

  it('gives the same answer twice for the same mutated record', () => {
    fc.assert(
      fc.property(mutatedRecord, ({ record }) => {
        expect(validateCaseRecord(structuredClone(record))).toEqual(validateCaseRecord(record));
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });
});

describe('namesFieldOf', () => {
  const record = { a: { b: [1, { c: 2 }] }, 'x/y': 1 };
  it('accepts present fields, the root, and missing members of present objects', () => {
    for (const p of ['', '/a', '/a/b/0', '/a/b/1/c', '/x~1y', '/a/missing', '/a/b/1/missing']) {
      expect(namesFieldOf(record, p), p).toBe(true);
    }
  });
  it('rejects paths through missing parents, past array ends, and into scalars', () => {
    for (const p of ['/missing/child', '/a/b/2', '/a/b/01', '/a/b/0/c', '/a/b/-', 'a']) {
      expect(namesFieldOf(record, p), p).toBe(false);
    }
  });
});
