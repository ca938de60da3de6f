// Issue 9, High 1 and Low: the JSON body is bounded before it is parsed, duplicate members and
// __proto__ are refused by name, and lone surrogates (not I-JSON) are refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_JSON_LIMITS, jsonShapeError, parseJsonBody } from '../../../server/http/json-body.js';

const limits = { maxDepth: 8, maxArrayItems: 100, maxObjectKeys: 32 };

describe('jsonShapeError', () => {
  it('passes ordinary JSON, escapes and strings full of brackets, quotes and commas', () => {
    const text = JSON.stringify({ a: [1, 2, { b: 'x,y]}{"\\"', c: null }], 'd"e': { f: '\\\\' }, g: '\u00e9\ud83d\ude00' });
    expect(jsonShapeError(text, limits)).toBeUndefined();
    expect(parseJsonBody(text, limits)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('refuses an array of 200,000 entries at its pointer, without parsing', () => {
    const text = `{"kind":"flight","flight":{"itinerary":[${Array(200_000).fill(1).join(',')}]}}`;
    expect(jsonShapeError(text, limits)).toEqual({ pointer: '/flight/itinerary', message: 'has more than 100 entries' });
  });

  it('refuses 80,000 unknown members at the object holding them', () => {
    const text = `{${Array.from({ length: 80_000 }, (_, i) => `"f${i}":1`).join(',')}}`;
    expect(jsonShapeError(text, limits)).toEqual({ pointer: '', message: 'has more than 32 members; nothing here takes that many' });
  });

  it('refuses nesting deeper than the limit', () => {
    const text = `${'['.repeat(50)}${']'.repeat(50)}`;
    expect(jsonShapeError(text, limits)?.message).toBe('is nested deeper than 8 levels');
  });

  it('names a duplicate member, also when one spelling is escaped', () => {
    expect(jsonShapeError('{"a":{"kind":"flight","kind":"chargeback"}}', limits)).toEqual({
      pointer: '/a/kind',
      message: '"kind" appears twice in one object; name each member once',
    });
    expect(jsonShapeError('{"kind":1,"\\u006bind":2}', limits)?.pointer).toBe('/kind');
    expect(jsonShapeError('[{"a":1},{"a":1}]', limits)).toBeUndefined();
  });

  it('names __proto__ and constructor.prototype members', () => {
    expect(jsonShapeError('{"x":{"__proto__":{"admin":true}}}', limits)).toEqual({
      pointer: '/x/__proto__',
      message: '"__proto__" is not allowed as a member name',
    });
    expect(jsonShapeError('{"constructor":{"prototype":{}}}', limits)?.pointer).toBe('/constructor/prototype');
  });

  it('has sane defaults', () => {
    expect(DEFAULT_JSON_LIMITS.maxArrayItems).toBeGreaterThanOrEqual(100);
  });
});

describe('parseJsonBody', () => {
  it('refuses a lone surrogate, naming where it is', () => {
    expect(parseJsonBody('{"claimant":{"name":"A\\ud800"}}', limits)).toEqual({
      ok: false,
      error: { pointer: '/claimant/name', message: expect.stringMatching(/lone surrogate/) },
    });
    expect(parseJsonBody('{"name":"\\ud83d\\ude00"}', limits).ok).toBe(true);
  });

  it('says what is wrong with malformed JSON', () => {
    const r = parseJsonBody('{"kind":', limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^the body is not valid JSON/);
  });
});
