import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TEXT_VECTOR_SPEC,
  fnv1a32,
  ngrams,
  normalizeText,
  stem,
  STOPWORDS,
  textFeatureNames,
  textVector,
  textVectorEntries,
  tokenize,
  type TextVectorSpec,
} from '../../../../server/inference/text-vector.js';

describe('text-vector', () => {
  it('hashes with FNV-1a 32 as published (offset basis, "a", "foobar")', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is C3 A9 in UTF-8: two FNV rounds from the offset basis.
    let h = 0x811c9dc5;
    for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(h);
  });

  it('normalizes case, width, diacritics, apostrophes and punctuation to the same text', () => {
    const forms = ['Crew’s SICKNESS — météo!', "crew's sickness, meteo", 'ＣＲＥＷＳ sickness  METEO...', 'crews\tsickness\nmétéo'];
    const norm = forms.map(normalizeText);
    expect(new Set(norm).size).toBe(1);
    expect(norm[0]).toBe('crews sickness meteo');
  });

  it('builds words and adjacent word pairs after stemming', () => {
    expect(ngrams('Severe storms delayed departures')).toEqual([
      'severe', 'storm', 'delay', 'departure',
      'severe storm', 'storm delay', 'delay departure',
    ]);
  });

  it('gives the same vector across runs and equal vectors for equivalent texts', () => {
    const a = textVector('Heavy snow closed the runway.');
    const b = textVector('HEAVY  SNOW closed the runway');
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(textVector('Heavy snow closed the runway.'))).toEqual(Array.from(a));
  });

  it('places each n-gram in bucket fnv1a32 mod D and clamps counts to maxCount', () => {
    const spec = { dims: 16, maxCount: 2 };
    const v = textVector('storm storm storm storm', spec);
    // 4 × "storm" and 3 × "storm storm", both clamped to 2
    const s = fnv1a32('storm') % 16;
    const ss = fnv1a32('storm storm') % 16;
    expect(v[s]).toBe(2);
    expect(v[ss]).toBe(2);
    expect(v.reduce((x, y) => x + y, 0)).toBe(s === ss ? 2 : 4);
  });

  it('maps missing or empty text to the zero vector of length D', () => {
    for (const t of [undefined, null, '', '  ...  ']) {
      const v = textVector(t);
      expect(v.length).toBe(DEFAULT_TEXT_VECTOR_SPEC.dims);
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  it('drops stopwords but keeps negations', () => {
    expect(ngrams('The crew was not available at the airport', false)).toEqual(['crew', 'not', 'available', 'airport']);
  });

  it('counts only vocabulary words, one column each, when given a vocabulary', () => {
    const vocabulary = ['storm', 'snow', 'technical'];
    const spec = { dims: 3, maxCount: 2, bigrams: false, vocabulary };
    expect(Array.from(textVector('Storms and snow, snow, snow; a brand-new word', spec))).toEqual([1, 2, 0]);
    expect(Array.from(textVector('entirely unknown wording', spec))).toEqual([0, 0, 0]);
  });

  it('refuses a vocabulary whose size differs from dims', () => {
    expect(() => textVector('storm', { dims: 4, maxCount: 2, vocabulary: ['storm'] })).toThrow(/dims/);
  });

  it('names the bucket features in order with a fixed width', () => {
    const names = textFeatureNames('cause', { dims: 256, maxCount: 2 });
    expect(names[0]).toBe('cause_000');
    expect(names[255]).toBe('cause_255');
  });
});

describe('text-vector fast paths (bit-identical to the specification)', () => {
  // The specification, spelled out: normalizeText, split, stopwords, stem (tokenize has an ASCII
  // one-pass path; textVector counts without building the n-gram list).
  const specTokens = (text: string): string[] => {
    const norm = normalizeText(text);
    return norm === '' ? [] : norm.split(' ').filter((w) => !STOPWORDS.has(w)).map(stem);
  };
  const specVector = (text: string, spec: TextVectorSpec): number[] => {
    const words = specTokens(text);
    const grams = [...words];
    if (spec.bigrams ?? true) for (let i = 0; i + 1 < words.length; i++) grams.push(`${words[i]} ${words[i + 1]}`);
    const v = new Array<number>(spec.dims).fill(0);
    const index = spec.vocabulary ? new Map(spec.vocabulary.map((w, i) => [w, i])) : null;
    for (const g of grams) {
      const b = index ? index.get(g) : fnv1a32(g) % spec.dims;
      if (b !== undefined && v[b] < spec.maxCount) v[b] += 1;
    }
    return v;
  };
  const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 80 });
  const wordy = fc
    .array(fc.constantFrom('Storm', 'storms', "crew's", 'the', 'ATC', 'strike', 'is', 'us', 'bus', 'flies', 'delayed', '`x', '--', ' ', '\t', '.', 'Météo', 'ＡＴＣ', 'ﬁre', '’', 'ʼs', '٣', 'e\u0301'), { maxLength: 20 })
    .map((parts) => parts.join(''));
  const anyText = fc.oneof(ascii, wordy, fc.string({ unit: 'binary', maxLength: 40 }));

  it('tokenize is normalizeText → split → stopwords → stem, on ASCII and other text', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        expect(tokenize(t)).toEqual(specTokens(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('textVector counts the n-grams of the specification (hashed with bigrams, and a fixed vocabulary)', () => {
    const vocab: TextVectorSpec = { dims: 5, maxCount: 2, bigrams: false, vocabulary: ['storm', 'atc', 'strike', 'crews', 'bus'] };
    fc.assert(
      fc.property(anyText, (t) => {
        expect(Array.from(textVector(t, DEFAULT_TEXT_VECTOR_SPEC))).toEqual(specVector(t, DEFAULT_TEXT_VECTOR_SPEC));
        expect(Array.from(textVector(t, vocab))).toEqual(specVector(t, vocab));
        // the sparse form: each non-zero bucket once, with its count
        const entries = textVectorEntries(t, vocab);
        const dense = new Array<number>(vocab.dims).fill(0);
        for (let j = 0; j < entries.length; j += 2) {
          expect(dense[entries[j]]).toBe(0);
          dense[entries[j]] = entries[j + 1];
        }
        expect(dense).toEqual(specVector(t, vocab));
      }),
      { numRuns: 1000 },
    );
  });
});
