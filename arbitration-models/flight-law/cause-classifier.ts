// The learned part of the flight models: integer linear scores over the concept counts of
// `carrierStatedCause` (server/featurizers/flight-cause-concepts.ts). Score = bias + Σ wᵢ·xᵢ; a
// score is positive iff score ≥ 1. Two decide (extraordinary, LAW.md §1.4; reasonable grounds,
// §1.3 B2); one more per kind of cause names what was recognised (`<regime>.cause.<kind>`).
//
// Training: logistic regression (L1-regularized) by full-batch Adam in float64 on phrases from the
// TRAIN wordings of cause-phrases.ts (+ cause-phrases-styles.ts), deterministic in the seed (fixed
// data order, no randomness in the optimiser), then quantized to integers in
// [−WEIGHT_LIMIT, WEIGHT_LIMIT] with the bias on the same scale.
import { CAUSE_CONCEPT_DIMS, causeConceptEntries } from '../../server/featurizers/flight-cause-concepts.js';
import { categoriesFor, CAUSE_CATEGORIES, phrase, type CauseCategory, type Disruption, type Phrase, type PhraseSet } from './cause-phrases.js';
import { seededRandom as rng, type Random as Rng } from '../seeded-random.js';

export type CauseTarget = 'extraordinary' | 'reasonableGrounds';

/** Which disruptions' causes each target reads (B2 applies to denied boarding only). */
export const TARGET_DISRUPTIONS: Record<CauseTarget, readonly Disruption[]> = {
  extraordinary: ['delay', 'cancellation'],
  reasonableGrounds: ['denied_boarding'],
};

/**
 * The kinds each target names, in the order the decision list tries them (the first whose score
 * is positive names the cause): the specific events before the general ones.
 */
export const TARGET_KINDS: Record<CauseTarget, readonly string[]> = {
  extraordinary: [
    'bird_strike',
    'runway_debris',
    'hidden_defect_sabotage_terror',
    'volcanic_ash',
    'airport_fuel_failure',
    'disruptive_passenger',
    'airport_closure_security',
    'external_strike',
    'atc',
    'weather',
  ],
  reasonableGrounds: ['travel_documents', 'passenger_security', 'passenger_conduct', 'passenger_health'],
};

export const WEIGHT_LIMIT = 127;

export interface IntLinear {
  weights: number[];
  bias: number;
}

export interface TrainedCauseClassifier extends IntLinear {
  target: string;
  trainSize: number;
  trainAccuracy: number;
  epochs: number;
}

const label = (p: Phrase, t: CauseTarget): boolean => (t === 'extraordinary' ? p.extraordinary : p.reasonableGrounds);
const positive = (c: CauseCategory, t: CauseTarget): boolean => (t === 'extraordinary' ? c.extraordinary : c.reasonableGrounds);

/**
 * `n` phrases for `target`: categories balanced between positives and negatives, each drawn
 * uniformly within its side, the disruption uniform over the target's disruptions.
 */
export function causeDataset(target: CauseTarget, set: PhraseSet, n: number, r: Rng): Phrase[] {
  const out: Phrase[] = [];
  const ds = TARGET_DISRUPTIONS[target];
  for (let i = 0; i < n; i++) {
    const d = r.pick(ds);
    const cats = categoriesFor(d);
    const want = i % 2 === 0;
    const side: CauseCategory[] = cats.filter((c) => positive(c, target) === want);
    out.push(phrase(r.pick(side), d, set, r));
  }
  return out;
}

/** Sparse concept counts of a text: [column, count, column, count, …]. */
export const conceptsOf = (text: string): number[] => causeConceptEntries(text);

export const score = (m: IntLinear, x: readonly number[]): number => {
  let s = m.bias;
  for (let j = 0; j < x.length; j += 2) s += m.weights[x[j]] * x[j + 1];
  return s;
};
export const predict = (m: IntLinear, x: readonly number[]): boolean => score(m, x) >= 1;

export interface TrainOptions {
  epochs?: number;
  l1?: number;
  rate?: number;
}

/** Logistic regression on sparse rows, then integer quantization (bias ≤ 0: no concept is never positive). */
export function trainLinear(xs: readonly number[][], ys: readonly number[], opts: TrainOptions = {}): { weights: number[]; bias: number; trainAccuracy: number } {
  const epochs = opts.epochs ?? 300;
  const l1 = opts.l1 ?? 3e-4;
  const rate = opts.rate ?? 0.05;
  const n = xs.length;
  const d = CAUSE_CONCEPT_DIMS;
  const w = new Float64Array(d);
  let b = 0;
  const g = new Float64Array(d);
  const m1 = new Float64Array(d + 1);
  const m2 = new Float64Array(d + 1);
  const b1 = 0.9;
  const b2 = 0.999;
  for (let e = 0; e < epochs; e++) {
    g.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      let z = b;
      for (let j = 0; j < x.length; j += 2) z += w[x[j]] * x[j + 1];
      const err = 1 / (1 + Math.exp(-z)) - ys[i];
      for (let j = 0; j < x.length; j += 2) g[x[j]] += err * x[j + 1];
      gb += err;
    }
    const c1 = 1 - b1 ** (e + 1);
    const c2 = 1 - b2 ** (e + 1);
    for (let j = 0; j <= d; j++) {
      const grad = j < d ? g[j] / n + l1 * Math.sign(w[j]) : gb / n;
      m1[j] = b1 * m1[j] + (1 - b1) * grad;
      m2[j] = b2 * m2[j] + (1 - b2) * grad * grad;
      const step = (rate * (m1[j] / c1)) / (Math.sqrt(m2[j] / c2) + 1e-8);
      if (j < d) w[j] -= step;
      else b -= step;
    }
  }
  let max = Math.abs(b);
  for (const v of w) max = Math.max(max, Math.abs(v));
  const k = max === 0 ? 1 : WEIGHT_LIMIT / max;
  const weights = Array.from(w, (v) => Math.round(v * k));
  const bias = Math.min(0, Math.round(b * k));
  const model = { weights, bias };
  const correct = xs.filter((x, i) => predict(model, x) === (ys[i] === 1)).length;
  return { weights, bias, trainAccuracy: correct / n };
}

export function trainCauseClassifier(target: CauseTarget, seed: number, opts: TrainOptions & { n?: number; set?: PhraseSet } = {}): TrainedCauseClassifier {
  const n = opts.n ?? 6000;
  const data = causeDataset(target, opts.set ?? 'train', n, rng(seed));
  const m = trainLinear(
    data.map((p) => conceptsOf(p.text)),
    data.map((p) => (label(p, target) ? 1 : 0)),
    opts,
  );
  return { target, ...m, trainSize: n, epochs: opts.epochs ?? 300 };
}

/**
 * One-vs-rest kind scores for `target`: phrases of every category written for the target's
 * disruptions (uniform over categories), label = "this category".
 */
export function trainKindClassifiers(target: CauseTarget, seed: number, opts: TrainOptions & { n?: number; set?: PhraseSet } = {}): Record<string, TrainedCauseClassifier> {
  const n = opts.n ?? 6000;
  const r = rng(seed);
  const ds = TARGET_DISRUPTIONS[target];
  const data: Phrase[] = [];
  for (let i = 0; i < n; i++) {
    const d = r.pick(ds);
    data.push(phrase(r.pick(categoriesFor(d)), d, opts.set ?? 'train', r));
  }
  const xs = data.map((p) => conceptsOf(p.text));
  const out: Record<string, TrainedCauseClassifier> = {};
  for (const kind of TARGET_KINDS[target]) {
    if (!CAUSE_CATEGORIES.some((c) => c.id === kind)) throw new Error(`unknown cause kind ${kind}`);
    const m = trainLinear(xs, data.map((p) => (p.category === kind ? 1 : 0)), opts);
    out[kind] = { target: kind, ...m, trainSize: n, epochs: opts.epochs ?? 300 };
  }
  return out;
}

export interface CauseAccuracy {
  n: number;
  accuracy: number;
  errors: { text: string; category: string; expected: boolean }[];
}

/** Accuracy on `n` phrases of the given wording set (the EVAL wording for held-out numbers). */
export function measureCauseClassifier(m: IntLinear, target: CauseTarget, set: PhraseSet, n: number, seed: number): CauseAccuracy {
  const data = causeDataset(target, set, n, rng(seed));
  const errors: CauseAccuracy['errors'] = [];
  for (const p of data) {
    const expected = label(p, target);
    if (predict(m, conceptsOf(p.text)) !== expected) errors.push({ text: p.text, category: p.category, expected });
  }
  return { n, accuracy: (n - errors.length) / n, errors };
}
