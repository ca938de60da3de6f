// Deterministic hashed n-gram vectorizer for the free-text fields of a case record
// (`flight.carrierStatedCause`, `narrative`, `chargeback.merchantResponse`).
//
// Text → integer counts in D buckets, so a learned integer linear score over the buckets fits the
// int64 graph (PROTOCOL.md §1) and the featurizer stays pure and bit-identical on every machine
// (PROTOCOL.md §4). Everything here is specified exactly: Unicode normalization, token rules, a fixed
// stopword list, a light suffix stripper, FNV-1a 32 over UTF-8, bucket = hash mod D, counts clamped to maxCount.
// Changing any of it changes S_0 for the same record: bump TEXT_VECTOR_VERSION.

export const TEXT_VECTOR_VERSION = '1.0.0';

export interface TextVectorSpec {
  /** Number of hash buckets D. */
  dims: number;
  /** Each bucket's count is clamped to [0, maxCount], so the declared input range stays tight. */
  maxCount: number;
  /** Also hash adjacent word pairs (default true). */
  bigrams?: boolean;
  /**
   * A fixed vocabulary instead of hashing: n-gram `vocabulary[i]` counts in column i, any other
   * n-gram is ignored (so a word the model never saw adds nothing, rather than landing on a
   * learned bucket). `dims` must equal its length. Entries are normalized, stemmed n-grams.
   */
  vocabulary?: readonly string[];
}

const vocabularyIndexes = new WeakMap<readonly string[], ReadonlyMap<string, number>>();
function vocabularyIndex(vocabulary: readonly string[]): ReadonlyMap<string, number> {
  let index = vocabularyIndexes.get(vocabulary);
  if (!index) {
    index = new Map(vocabulary.map((w, i) => [w, i]));
    if (index.size !== vocabulary.length) throw new Error('text-vector: the vocabulary repeats an entry');
    vocabularyIndexes.set(vocabulary, index);
  }
  return index;
}

/** A general default (the flight models use their own spec, CAUSE_TEXT_SPEC in server/featurizers/flight-compensation.ts). */
export const DEFAULT_TEXT_VECTOR_SPEC: TextVectorSpec = { dims: 256, maxCount: 2 };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a 32-bit over the UTF-8 bytes of `s`, as an unsigned integer. */
export function fnv1a32(s: string): number {
  let h = FNV_OFFSET;
  for (const byte of utf8.encode(s)) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * NFKC, lower case (locale-independent), diacritics stripped (NFD then drop combining marks),
 * apostrophes deleted ("crew's" → "crews"), every other non-letter/non-digit run → one space.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’`ʼ]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Light, fixed suffix stripping so inflections share a bucket ("storms"/"storm",
 * "delayed"/"delay", "grounding"/"ground"). Not a linguistic stemmer: only a stable map.
 */
export function stem(word: string): string {
  if (word.length >= 5 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.length >= 6 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length >= 5 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length >= 4 && word.endsWith('s') && !(word.endsWith('ss') || word.endsWith('us') || word.endsWith('is'))) return word.slice(0, -1);
  return word;
}

/**
 * Function words dropped before n-grams: they carry no meaning for the classifiers and, hashed,
 * would only add collisions. Negations ("no", "not", "without") are kept on purpose.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'into', 'onto', 'and', 'or',
  'as', 'that', 'which', 'who', 'this', 'these', 'those', 'it', 'its', 'is', 'was', 'were', 'be', 'been',
  'being', 'are', 'has', 'had', 'have', 'we', 'our', 'us', 'you', 'your', 'i', 'my', 'me', 'he', 'she',
  'they', 'their', 'them', 'his', 'her', 'there', 'then', 'so', 'if', 'but', 'also', 'very', 'all',
]);

/**
 * The words of normalizeText(text) when `text` is ASCII, in one pass (undefined otherwise). On
 * ASCII, NFKC and NFD are the identity and there are no combining marks, so normalizeText is:
 * lower-case A–Z, delete ' and `, and split at every other run of characters outside [a-z0-9]
 * (\p{L} and \p{N} within ASCII); the words are its maximal [a-z0-9] runs. Featurizing calls
 * this per case: it skips the four whole-string passes and their intermediate strings (a word
 * is one slice, lower-cased or stripped of quotes only when it has them). Tested
 * against normalizeText on random strings (test/unit/models/flight/text-vector.test.ts).
 */
function asciiWords(text: string): string[] | undefined {
  const words: string[] = [];
  let start = -1; // of the current run of [A-Za-z0-9'`]
  let upper = false;
  let quote = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x20;
    if (c >= 0x80) return undefined;
    const up = c >= 0x41 && c <= 0x5a;
    const q = c === 0x27 || c === 0x60; // ' and ` are deleted, not separators
    if (up || q || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (start < 0) {
        start = i;
        upper = false;
        quote = false;
      }
      upper ||= up;
      quote ||= q;
    } else if (start >= 0) {
      let w = text.slice(start, i);
      if (upper) w = w.toLowerCase();
      if (quote) w = w.replace(/['`]/g, '');
      if (w !== '') words.push(w);
      start = -1;
    }
  }
  return words;
}

/** Normalized, stemmed words of `text`, stopwords removed. */
export function tokenize(text: string): string[] {
  let words = asciiWords(text);
  if (!words) {
    const norm = normalizeText(text);
    words = norm === '' ? [] : norm.split(' ');
  }
  const out: string[] = [];
  for (const w of words) if (!STOPWORDS.has(w)) out.push(stem(w));
  return out;
}

/** The n-grams hashed: every word and every adjacent word pair ("w1 w2"). */
export function ngrams(text: string, bigrams = true): string[] {
  const words = tokenize(text);
  const out = [...words];
  if (bigrams) for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

/** Bucket counts (length D, each in [0, maxCount]) of `text`; null/undefined/empty → all zero. */
export function textVector(text: string | null | undefined, spec: TextVectorSpec = DEFAULT_TEXT_VECTOR_SPEC): Int32Array {
  const v = new Int32Array(spec.dims);
  const entries = textVectorEntries(text, spec);
  for (let j = 0; j < entries.length; j += 2) v[entries[j]] = entries[j + 1];
  return v;
}

const NO_ENTRIES: readonly number[] = Object.freeze([]);
let counts = new Int32Array(0); // per-bucket counts of the call in progress; all 0 between calls

/**
 * The non-zero buckets of textVector(text, spec) as [bucket, count, bucket, count, …] in order of
 * first occurrence: the same counts without a D-wide array per call (the featurizers write them
 * straight into the input row).
 */
export function textVectorEntries(text: string | null | undefined, spec: TextVectorSpec = DEFAULT_TEXT_VECTOR_SPEC): readonly number[] {
  if (!text) return NO_ENTRIES;
  const vocab = spec.vocabulary ? vocabularyIndex(spec.vocabulary) : null;
  if (vocab && spec.vocabulary!.length !== spec.dims) throw new Error('text-vector: dims must equal the vocabulary size');
  const words = tokenize(text);
  if (counts.length < spec.dims) counts = new Int32Array(spec.dims);
  const touched: number[] = [];
  // the n-grams of ngrams(), in its order: every word, then every adjacent pair
  const grams = (spec.bigrams ?? true) ? Math.max(0, 2 * words.length - 1) : words.length;
  for (let i = 0; i < grams; i++) {
    const g = i < words.length ? words[i] : `${words[i - words.length]} ${words[i - words.length + 1]}`;
    const b = vocab ? vocab.get(g) : fnv1a32(g) % spec.dims;
    if (b !== undefined && counts[b] < spec.maxCount) {
      if (counts[b] === 0) touched.push(b);
      counts[b] += 1;
    }
  }
  const entries: number[] = [];
  for (const b of touched) {
    entries.push(b, counts[b]);
    counts[b] = 0;
  }
  return entries;
}

/** Feature names `<prefix>_000` … for the D buckets, in order. */
export function textFeatureNames(prefix: string, spec: TextVectorSpec = DEFAULT_TEXT_VECTOR_SPEC): string[] {
  const width = String(spec.dims - 1).length;
  return Array.from({ length: spec.dims }, (_, i) => `${prefix}_${String(i).padStart(width, '0')}`);
}
