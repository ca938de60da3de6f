// A first-match decision list compiled into integer layers (PROTOCOL.md §1), the form in which the
// flight models carry LAW.md's tables exactly.
//
//   predicates  p_i = [Σ_j a_ij·x_j ≥ t_i]      MATMUL, ADD (1 − t_i), CLIP(0, 1)
//   rules       r_k = AND of literals p / ¬p      MATMUL (±1), ADD (#negated − (k − 1)), CLIP(0, 1)
//   first match ArgMax over r_k·priority_k         MUL by distinct priorities, ARGMAX
//
// For integer a and x, Clip(Σ a·x − t + 1, 0, 1) is 1 exactly when Σ a·x ≥ t; a conjunction of
// k literals in {0, 1} is Clip(Σ literals − (k − 1), 0, 1); the fired rule of highest priority has
// the largest product (priorities are distinct and positive). By default a rule's priority is
// R − k (the first in table order wins); a rule may carry its own, so that the output (class)
// order can differ from the order of precedence: the EU261/UK261 lists keep the rows that name a
// kind of cause last, so every claimant class keeps a low index and the on-chain award table
// (12 bytes per class up to the last claimant class) stays as short as before. The rule of
// lowest priority must be unconditional, so some rule always fires. The output is the rule
// index; each rule names its class, and the model card has one entry per rule (the LAW.md row).
// A learned score is just a predicate with many terms: [bias + Σ w·text ≥ 1].
import type { ModelIR, Step } from '../../server/inference/ops.js';
import { tensor } from '../../server/inference/tensor.js';

export interface Predicate {
  name: string;
  /** Σ coef·x[feature] ≥ threshold */
  terms: readonly { feature: number; coef: number }[];
  threshold: number;
}

export interface Literal {
  pred: string;
  negated: boolean;
}

export interface Rule<C = string> {
  /** What the rule decides (a class key); several rules may decide the same class. */
  decides: C;
  when: readonly Literal[];
  /** The LAW.md row, for the card and for reading the table. */
  row: string;
  /** Precedence (higher wins); default R − index. All priorities of a list are distinct and > 0. */
  priority?: number;
}

export interface DecisionList<C = string> {
  inputWidth: number;
  predicates: readonly Predicate[];
  rules: readonly Rule<C>[];
}

export const is = (pred: string): Literal => ({ pred, negated: false });
export const not = (pred: string): Literal => ({ pred, negated: true });

function check<C>(list: DecisionList<C>): Map<string, number> {
  const index = new Map<string, number>();
  list.predicates.forEach((p, i) => {
    if (index.has(p.name)) throw new Error(`predicate ${p.name} defined twice`);
    for (const t of p.terms) {
      if (!Number.isSafeInteger(t.coef) || t.feature < 0 || t.feature >= list.inputWidth) throw new Error(`predicate ${p.name}: bad term`);
    }
    if (!Number.isSafeInteger(p.threshold)) throw new Error(`predicate ${p.name}: bad threshold`);
    index.set(p.name, i);
  });
  for (const r of list.rules) for (const l of r.when) if (!index.has(l.pred)) throw new Error(`rule ${r.row}: unknown predicate ${l.pred}`);
  const pr = priorities(list);
  if (new Set(pr).size !== pr.length || pr.some((p) => !Number.isSafeInteger(p) || p <= 0)) throw new Error('rule priorities must be distinct positive integers');
  const lowest = pr.indexOf(Math.min(...pr));
  if (lowest < 0 || list.rules[lowest].when.length !== 0) throw new Error('the rule of lowest priority must be unconditional');
  return index;
}

/** Each rule's precedence: its own, or R − index. */
export const priorities = <C>(list: DecisionList<C>): number[] => list.rules.map((r, k) => r.priority ?? list.rules.length - k);

export interface Range {
  name?: string;
  min: bigint;
  max: bigint;
}

/**
 * ONNX Runtime 1.30's CPU int64 Clip and Max compare wrongly when both operands share their high
 * 32-bit word and a low word has bit 31 set: Clip(2^31, 0, 1) gives 0, Max(2^31, 0) gives 0
 * (measured here; values ≥ 2^32 or < 0 compare correctly). The reference interpreter is right, so
 * ORT and the referee would disagree. Every CLIP input of a decision list therefore stays within
 * (−2^31, 2^31): the predicate pre-activations Σ a·x − t + 1 over the declared feature ranges
 * (the rule layer's sums are small). A list that could leave it is refused here.
 */
export const CLIP_INPUT_LIMIT = 2n ** 31n - 1n;

function checkClipInputs<C>(list: DecisionList<C>, ranges: readonly Range[]): void {
  if (ranges.length !== list.inputWidth) throw new Error(`${ranges.length} ranges for ${list.inputWidth} inputs`);
  for (const p of list.predicates) {
    let lo = BigInt(1 - p.threshold);
    let hi = lo;
    for (const t of p.terms) {
      const c = BigInt(t.coef);
      const a = c * ranges[t.feature].min;
      const b = c * ranges[t.feature].max;
      lo += a < b ? a : b;
      hi += a < b ? b : a;
    }
    if (lo < -CLIP_INPUT_LIMIT || hi > CLIP_INPUT_LIMIT) {
      throw new Error(`predicate ${p.name}: its CLIP input spans [${lo}, ${hi}], outside ±(2^31 − 1) where ONNX Runtime's int64 Clip is exact`);
    }
  }
}

/** A predicate with more terms than this is a learned score: projected in a step of its own. */
export const SCORE_TERMS = 4;

/**
 * The integer graph of a decision list: 8 steps before the compiler's split, 9 when some
 * predicate is a wide learned score. Then a first MATMUL projects the input onto the columns the
 * predicates read (each score once, each other feature carried as itself): a predicate layer
 * over the whole wide input would exceed the one-step bound (step-split.ts) and could not be
 * split, since every chunk would have to carry the wide input forward.
 */
export function compileDecisionList<C>(list: DecisionList<C>, ranges?: readonly Range[]): ModelIR {
  check(list);
  if (ranges) checkClipInputs(list, ranges);
  const scores = list.predicates.filter((p) => p.terms.length > SCORE_TERMS);
  if (scores.length === 0) return compileUnprojected(list);
  const carried = [...new Set(list.predicates.filter((p) => p.terms.length <= SCORE_TERMS).flatMap((p) => p.terms.map((t) => t.feature)))].sort((a, b) => a - b);
  const K = carried.length + scores.length;
  const proj = new Array<bigint>(list.inputWidth * K).fill(0n);
  carried.forEach((f, j) => (proj[f * K + j] = 1n));
  scores.forEach((p, i) => {
    for (const t of p.terms) proj[t.feature * K + carried.length + i] += BigInt(t.coef);
  });
  const projected: DecisionList<C> = {
    inputWidth: K,
    rules: list.rules,
    predicates: list.predicates.map((p) => {
      const i = scores.indexOf(p);
      if (i >= 0) return { name: p.name, terms: [{ feature: carried.length + i, coef: 1 }], threshold: p.threshold };
      return { name: p.name, terms: p.terms.map((t) => ({ feature: carried.indexOf(t.feature), coef: t.coef })), threshold: p.threshold };
    }),
  };
  const inner = compileUnprojected(projected);
  return { inputWidth: list.inputWidth, steps: [{ op: 'MATMUL', constant: tensor(list.inputWidth, K, proj) }, ...inner.steps] };
}

function compileUnprojected<C>(list: DecisionList<C>): ModelIR {
  const index = check(list);
  const F = list.inputWidth;
  const P = list.predicates.length;
  const R = list.rules.length;

  const a = new Array<bigint>(F * P).fill(0n);
  list.predicates.forEach((p, i) => {
    for (const t of p.terms) a[t.feature * P + i] += BigInt(t.coef);
  });
  const predBias = list.predicates.map((p) => BigInt(1 - p.threshold));

  const m = new Array<bigint>(P * R).fill(0n);
  const ruleBias: bigint[] = [];
  list.rules.forEach((r, k) => {
    let negated = 0;
    for (const l of r.when) {
      m[index.get(l.pred)! * R + k] += l.negated ? -1n : 1n;
      if (l.negated) negated++;
    }
    ruleBias.push(BigInt(negated - (r.when.length - 1)));
  });
  const priority = priorities(list).map((p) => BigInt(p));

  const steps: Step[] = [
    { op: 'MATMUL', constant: tensor(F, P, a) },
    { op: 'ADD', constant: tensor(1, P, predBias) },
    { op: 'CLIP', min: 0n, max: 1n },
    { op: 'MATMUL', constant: tensor(P, R, m) },
    { op: 'ADD', constant: tensor(1, R, ruleBias) },
    { op: 'CLIP', min: 0n, max: 1n },
    { op: 'MUL', constant: tensor(1, R, priority) },
    { op: 'ARGMAX' },
  ];
  return { inputWidth: F, steps };
}

/** The same decision read directly (no graph): predicate bits, then the first rule that holds. */
export function evaluateDecisionList<C>(list: DecisionList<C>, x: ArrayLike<bigint>): { rule: number; bits: Map<string, boolean> } {
  const bits = new Map<string, boolean>();
  for (const p of list.predicates) {
    let s = 0n;
    for (const t of p.terms) s += BigInt(t.coef) * x[t.feature];
    bits.set(p.name, s >= BigInt(p.threshold));
  }
  const pr = priorities(list);
  let rule = -1;
  list.rules.forEach((r, k) => {
    if (r.when.every((l) => bits.get(l.pred) !== l.negated) && (rule < 0 || pr[k] > pr[rule])) rule = k;
  });
  return { rule, bits };
}
