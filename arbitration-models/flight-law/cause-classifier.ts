// The learned part of the flight models: an integer linear score over the hashed words of
// `carrierStatedCause` (server/inference/text-vector.ts). Score = bias + Σ wᵢ·xᵢ; the cause is
// positive (extraordinary, LAW.md §1.4; or reasonable grounds, §1.3 B2) iff score ≥ 1.
//
// Training: logistic regression (L1-regularized) by full-batch Adam in float64 on phrases from the
// TRAIN wordings of cause-phrases.ts, deterministic in the seed (fixed data order, no
// randomness in the optimiser), then quantized to integers in [−WEIGHT_LIMIT, WEIGHT_LIMIT]
// with the bias on the same scale.
import { textVector, type TextVectorSpec } from '../../server/inference/text-vector.js';
import { categoriesFor, phrase, type CauseCategory, type Disruption, type Phrase, type PhraseSet } from './cause-phrases.js';
import { seededRandom as rng, type Random as Rng } from '../seeded-random.js';

export type CauseTarget = 'extraordinary' | 'reasonableGrounds';

/** Which disruptions' causes each target reads (B2 applies to denied boarding only). */
export const TARGET_DISRUPTIONS: Record<CauseTarget, readonly Disruption[]> = {
  extraordinary: ['delay', 'cancellation'],
  reasonableGrounds: ['denied_boarding'],
};

export const WEIGHT_LIMIT = 127;

export interface IntLinear {
  weights: number[];
  bias: number;
}

export interface TrainedCauseClassifier extends IntLinear {
  target: CauseTarget;
  trainSize: number;
  trainAccuracy: number;
  epochs: number;
}

const label = (p: Phrase, t: CauseTarget): boolean => (t === 'extraordinary' ? p.extraordinary : p.reasonableGrounds);

/**
 * `n` phrases for `target`: categories balanced between positives and negatives, each drawn
 * uniformly within its side, the disruption uniform over the target's disruptions.
 */
export function causeDataset(target: CauseTarget, set: PhraseSet, n: number, r: Rng, unseenWords = false): Phrase[] {
  const out: Phrase[] = [];
  const ds = TARGET_DISRUPTIONS[target];
  for (let i = 0; i < n; i++) {
    const d = r.pick(ds);
    const cats = categoriesFor(d);
    const want = i % 2 === 0;
    const side: CauseCategory[] = cats.filter((c) => (target === 'extraordinary' ? c.extraordinary : c.reasonableGrounds) === want);
    out.push(phrase(r.pick(side), d, set, r, unseenWords));
  }
  return out;
}

export const score = (m: IntLinear, x: ArrayLike<number>): number => {
  let s = m.bias;
  for (let i = 0; i < m.weights.length; i++) s += m.weights[i] * x[i];
  return s;
};
export const predict = (m: IntLinear, x: ArrayLike<number>): boolean => score(m, x) >= 1;

export function trainCauseClassifier(
  target: CauseTarget,
  spec: TextVectorSpec,
  seed: number,
  opts: { n?: number; epochs?: number; l2?: number; l1?: number; rate?: number; set?: PhraseSet; unseenWords?: boolean } = {},
): TrainedCauseClassifier {
  const n = opts.n ?? 6000;
  const epochs = opts.epochs ?? 300;
  const l2 = opts.l2 ?? 0;
  const l1 = opts.l1 ?? 3e-4; // sparse weights: an unseen word mostly lands on a zero bucket
  const rate = opts.rate ?? 0.05;
  const data = causeDataset(target, opts.set ?? 'train', n, rng(seed), opts.unseenWords ?? false);
  const xs = data.map((p) => textVector(p.text, spec));
  const ys = data.map((p) => (label(p, target) ? 1 : 0));
  const d = spec.dims;
  const w = new Float64Array(d);
  let b = 0;
  const g = new Float64Array(d);
  // Adam (full batch): deterministic, converges in a few hundred epochs on sparse counts.
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
      for (let j = 0; j < d; j++) if (x[j] !== 0) z += w[j] * x[j];
      const err = 1 / (1 + Math.exp(-z)) - ys[i];
      for (let j = 0; j < d; j++) if (x[j] !== 0) g[j] += err * x[j];
      gb += err;
    }
    const c1 = 1 - b1 ** (e + 1);
    const c2 = 1 - b2 ** (e + 1);
    for (let j = 0; j <= d; j++) {
      const grad = j < d ? g[j] / n + l2 * w[j] + l1 * Math.sign(w[j]) : gb / n;
      m1[j] = b1 * m1[j] + (1 - b1) * grad;
      m2[j] = b2 * m2[j] + (1 - b2) * grad * grad;
      const step = (rate * (m1[j] / c1)) / (Math.sqrt(m2[j] / c2) + 1e-8);
      if (j < d) w[j] -= step;
      else b -= step;
    }
  }
  // Quantize: the largest |weight| or |bias| maps to WEIGHT_LIMIT.
  let max = Math.abs(b);
  for (const v of w) max = Math.max(max, Math.abs(v));
  const k = max === 0 ? 1 : WEIGHT_LIMIT / max;
  const weights = Array.from(w, (v) => Math.round(v * k));
  // ≤ 0 so that the empty text (no stated cause) is never positive (LAW.md §1.4, B2).
  const bias = Math.min(0, Math.round(b * k));
  const model = { weights, bias };
  const correct = xs.filter((x, i) => predict(model, x) === (ys[i] === 1)).length;
  return { target, weights, bias, trainSize: n, trainAccuracy: correct / n, epochs };
}

export interface CauseAccuracy {
  n: number;
  accuracy: number;
  errors: { text: string; category: string; expected: boolean }[];
}

/** Accuracy on `n` phrases of the given wording set (the EVAL wording for held-out numbers). */
export function measureCauseClassifier(m: IntLinear, target: CauseTarget, spec: TextVectorSpec, set: PhraseSet, n: number, seed: number): CauseAccuracy {
  const data = causeDataset(target, set, n, rng(seed));
  const errors: CauseAccuracy['errors'] = [];
  for (const p of data) {
    const expected = label(p, target);
    if (predict(m, textVector(p.text, spec)) !== expected) errors.push({ text: p.text, category: p.category, expected });
  }
  return { n, accuracy: (n - errors.length) / n, errors };
}
