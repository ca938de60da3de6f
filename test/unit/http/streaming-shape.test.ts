// Issue 9: the JSON shape check runs on the body's bytes as they arrive (JsonShapeScanner), so it
// must give the answer the whole text gives however the bytes are split into chunks.
import { describe, expect, it } from 'vitest';
import { JsonShapeScanner, jsonShapeError, type JsonLimits } from '../../../server/http/json-body.js';
import { RECORD_BOUNDS } from '../../../server/cases/validate.js';
import { validRecords } from '../../support/case-fixtures.js';

const limits: JsonLimits = { ...RECORD_BOUNDS };

/** A deterministic pseudo-random generator (mulberry32), so a failure replays. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const texts = [
  ...Object.values(validRecords).map((r) => JSON.stringify(r)),
  JSON.stringify({ 'ké\\y"😀': 1, 'ké\\y"😀x': [1, 2, { a: 'x\\"y' }], n: '\\\\' }),
  '{"kind":1,"\\u006bind":2}',
  '{"a":{"kind":"flight","kind":"chargeback"}}',
  '{"x":{"__proto__":{"admin":true}}}',
  '{"constructor":{"prototype":{}}}',
  `{"flight":{"itinerary":[${Array(150).fill('"\\\\\\"😀"').join(',')}]}}`,
  `{${Array.from({ length: 40 }, (_, i) => `"f\\u00e9${i}":"${'\\n'.repeat(i)}"`).join(',')}}`,
  `${'['.repeat(12)}${']'.repeat(12)}`,
  '{"a":"unterminated',
  '{"bad\\q":1,"bad\\q":2}',
];

describe('JsonShapeScanner', () => {
  it('gives the same answer for every way of splitting the bytes into chunks', () => {
    const next = rng(9);
    for (const text of texts) {
      const bytes = Buffer.from(text, 'utf8');
      const whole = jsonShapeError(text, limits);
      for (let round = 0; round < 200; round++) {
        const scanner = new JsonShapeScanner(limits);
        let found: ReturnType<JsonShapeScanner['push']>;
        for (let at = 0; at < bytes.length && !found; ) {
          // Chunks of 1 to 8 bytes: every split point, escapes and UTF-8 sequences cut in two.
          const size = 1 + Math.floor(next() * 8);
          found = scanner.push(bytes.subarray(at, at + size));
          at += size;
        }
        expect(found, `${text.slice(0, 80)} (round ${round})`).toEqual(whole);
      }
    }
  });

  it('stops at the chunk that crosses a bound and ignores what follows', () => {
    const scanner = new JsonShapeScanner(limits);
    expect(scanner.push(Buffer.from(`{"flight":{"itinerary":[${Array(101).fill(1).join(',')}`))).toEqual({
      pointer: '/flight/itinerary',
      message: 'has more than 100 entries',
    });
    expect(scanner.push(Buffer.from(']}}'))).toEqual(scanner.error);
  });
});
