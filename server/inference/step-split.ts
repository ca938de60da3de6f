// Bounded work per step (PROTOCOL.md §1): the referee must re-execute any one step under the gas
// goal (1 M), so each step's cost is bounded and a MATMUL over it is split into several steps
// (the referee skips zero words of the constant, so the identity carries of a split are cheap).
import type { Step } from './ops.js';
import { tensor, type Tensor } from './tensor.js';
import { encodeTensor, valueWidth } from './tensor-encoding.js';

/**
 * The one place the per-step bound is defined (PROTOCOL.md §1: any one-step proof under 1 M gas).
 * A step's cost is estimated from a linear model fitted to the referee as built
 * (contracts/src/OneStepProver.sol `step`, eth_estimateGas on anvil 1.7's default hardfork
 * (osaka), every state value non-zero with 8 non-zero bytes, 2026-11-25, after LibOneStep's MATMUL
 * learned to skip zero words: MATMUL 8×8 → 42 k, 32×32 → 125 k, 64×64 → 370 k, 64×128 → 680 k,
 * 128×128 at 5 % density → 723 k, identity 200×200 → 650 k, the split chunks of 128×128 in two
 * 128×192 / 192×128 → 859 k / 864 k, in four → 556 k … 768 k, 64×256 in four → 423 k … 962 k;
 * RELU 1×64 / 1×256 / 1×1024 → 79 k / 232 k / 848 k; ADD the same → 103 k / 329 k / 1.23 M;
 * ARGMAX 1×20 → 41 k; the model is within −5 % … +6 % of each of 39 MATMUL shapes and ±7 % of
 * the others; before the zero skipping a dense 64×64 cost 358 k and the split chunks above
 * 1.35 M … 4.0 M):
 *   execution E = base + for a MATMUL, per state row (worst case: no state value is zero) and
 *     per 32-byte word of each constant row: a word of zeros or with one non-zero value
 *     `matmulSparseWord`, any other word `matmulEntry + matmulEntryByte·w` per value it holds
 *     (w = the constant's value width), each value of a row's tail `matmulTailEntry`, and
 *     `matmulOutput` per value of t_hi; for the other ops per ADD/MUL/DIV constant entry
 *     (`elementwiseEntry`) + per value of t_hi (`outputElement`: compute, encode, hash) + per
 *     value ARGMAX scans (`argmaxElement`);
 *   calldata tokens T = zero bytes + 4 × non-zero bytes of enc(C), plus t_lo at a worst-case
 *     8 non-zero bytes per value;
 *   gas = max(4·T + E, 21 000 + 10·T) (EIP-7623: the floor binds only for calldata-heavy steps).
 * `gas` leaves 200 k of the 1 M goal to the game around the step (DisputeGame.proveStep: the
 * step-leaf hash and the copies of enc(C), two Merkle proofs, resolving and slashing). Measured:
 * 202 k around a 24 KB constant (a 192×128 chunk), 223 k around a 43 KB one (the costliest
 * chunk of a split 128×128, 757 k as a step, a 980 k proveStep:
 * test/integration/contracts/split-model.test.ts). The overhead grows ~1.2 gas per constant byte,
 * so a step estimated right at the bound with a constant over ~25 KB could exceed 1 M by up to a
 * few per cent; no shipped or tested step is there. Re-measure and adjust here
 * when LibOneStep changes: this decides which models compile and how they split, hence their
 * model roots (the shipped models are under the bound with this model and the one before, so
 * they never split and their roots did not change).
 * Zero words are cheap, so the identity carries of a split MATMUL (splitMatmul) cost about their
 * calldata plus one sparse word per 32 zero columns of each carried row: a 128×128 layer on a
 * 1 × 128 state (≈ 1.34 M gas as one step) compiles into four word-aligned chunks under the bound.
 */
export const STEP_BOUND = {
  gas: 800_000,
  base: 27_000,
  matmulEntry: 55,
  matmulEntryByte: 5,
  matmulTailEntry: 115,
  matmulSparseWord: 140,
  matmulOutput: 430,
  elementwiseEntry: 280,
  outputElement: 700,
  argmaxElement: 400,
  /** widest state tensor allowed at all (the cost model usually binds first) */
  stateCols: 1024,
};
export type StepBound = typeof STEP_BOUND;

export interface StepCost {
  constantBytes: number;
  /** EIP-7623 calldata tokens of enc(C), attrs and t_lo (worst case) */
  tokens: number;
  entries: number;
  gas: number;
}

/** Estimated one-step cost of `step` on a state of `rows` × `cols` (see STEP_BOUND). */
export function stepCost(step: Step, rows: number, cols: number, bound: StepBound = STEP_BOUND): StepCost {
  const c = 'constant' in step ? step.constant : null;
  const bytes = c ? encodeTensor(c) : new Uint8Array(5 + (step.op === 'CLIP' ? 16 : 0));
  let nonZero = 0;
  for (const b of bytes) if (b !== 0) nonZero++;
  const tokens = bytes.length - nonZero + 4 * nonZero + 4 * 8 * rows * cols;
  const entries = c ? c.data.length : 0;
  let execution = bound.base;
  if (step.op === 'MATMUL' && c) {
    const work = matmulWork(c);
    execution += rows * (work.values * (bound.matmulEntry + bound.matmulEntryByte * work.width) + work.tailValues * bound.matmulTailEntry + work.sparseWords * bound.matmulSparseWord);
    execution += rows * c.cols * bound.matmulOutput;
  } else {
    execution += entries * bound.elementwiseEntry;
    execution += step.op === 'ARGMAX' ? rows * bound.outputElement + rows * cols * bound.argmaxElement : rows * cols * bound.outputElement;
  }
  const gas = Math.max(4 * tokens + execution, 21_000 + 10 * tokens);
  return { constantBytes: bytes.length, tokens, entries, gas };
}

/**
 * The referee's MATMUL work for a constant, per state row (LibOneStep `_matmulRow`, worst case:
 * every state value non-zero): each row of C is read in 32-byte words; a word of zeros or with a
 * single non-zero value is one cheap `sparseWord`, any other word multiplies all its 32 / w
 * values, and the row's tail (its bytes past the last whole word) multiplies each value.
 */
export function matmulWork(c: Tensor): { width: number; values: number; tailValues: number; sparseWords: number } {
  const w = valueWidth(c.data);
  const perWord = 32 / w;
  const full = Math.floor((c.cols * w) / 32);
  const tail = c.cols - full * perWord;
  const tailValues = c.rows * tail;
  let values = 0;
  let sparseWords = 0;
  for (let r = 0; r < c.rows; r++) {
    for (let k = 0; k < full; k++) {
      let nz = 0;
      for (let j = r * c.cols + k * perWord, end = j + perWord; j < end && nz < 2; j++) if (c.data[j] !== 0n) nz++;
      if (nz < 2) sparseWords++;
      else values += perWord;
    }
  }
  return { width: w, values, tailValues, sparseWords };
}

/** Thrown when a step is over the bound and cannot be split under it. */
export class StepSplitError extends Error {
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(`step ${step}: ${message}`);
    this.name = 'StepSplitError';
  }
}

/**
 * The MATMUL t (1 × n) · C (n × m) split by output columns into J chunks. The state carries the
 * input x and the finished chunks forward through identity blocks:
 *   chunk 1      x                 · [C₁ | I_n]                      → [y₁ | x]
 *   chunk j      [y₁..y_{j−1} | x] · [[I_d, 0, 0], [0, C_j, I_n]]    → [y₁..y_j | x]
 *   chunk J      [y₁..y_{J−1} | x] · [[I_d, 0], [0, C_J]]            → [y₁..y_J] = t · C
 * (d = columns done). Each chunk computes exact sums of a subset of the original products plus
 * copies, so the overflow proof of the unsplit step covers it. Chunks are equal (the last takes
 * the remainder) and J is the smallest count for which every chunk is under the bound (see
 * splitMatmul for the word alignment).
 * Limits, stated honestly: a carry block of c columns costs c rows of ⌈c / 32⌉ sparse words plus
 * (for 1-byte constants) c² bytes of calldata, so the carry grows with the chunks done and the
 * layer's input width: 128×128 on a 1 × 128 state splits in four, 64×256 does not split under the
 * bound (its last chunk, 192×256 or wider, is over it) and is refused with its step named. A wider
 * layer must then be designed narrower.
 */
function matmulChunk(c: Tensor, d: number, from: number, to: number, last: boolean): Tensor {
  const n = c.rows;
  const rows = d + n;
  const cols = d + (to - from) + (last ? 0 : n);
  const data = new Array<bigint>(rows * cols).fill(0n);
  for (let i = 0; i < d; i++) data[i * cols + i] = 1n; // carry finished columns
  for (let p = 0; p < n; p++) {
    for (let j = from; j < to; j++) data[(d + p) * cols + d + (j - from)] = c.data[p * c.cols + j];
    if (!last) data[(d + p) * cols + d + (to - from) + p] = 1n; // carry x
  }
  return tensor(rows, cols, data);
}

/** The constants of `c` split into column chunks of `q` columns (the last takes the rest). */
export function matmulChunks(c: Tensor, q: number): Tensor[] {
  const m = c.cols;
  const plan: Tensor[] = [];
  for (let from = 0; from < m; from += q) plan.push(matmulChunk(c, from, from, Math.min(m, from + q), from + q >= m));
  return plan;
}

/** `matmulChunks` into `chunks` chunks of ⌈m / chunks⌉ columns (fewer when they run out). */
export function matmulPlan(c: Tensor, chunks: number): Tensor[] {
  return matmulChunks(c, Math.ceil(c.cols / chunks));
}

/**
 * The fewest chunks that fit. For each count both the even width ⌈m / J⌉ and that width rounded
 * up to whole 32-byte words of the constant's rows are tried (aligned first): aligned chunks keep
 * the identity carries in words of their own, which the referee skips as sparse words, where a
 * word mixing a carry's 1 with weights is multiplied in full.
 */
export function splitMatmul(k: number, c: Tensor, bound: StepBound = STEP_BOUND): Step[] {
  const cost = (t: Tensor) => stepCost({ op: 'MATMUL', constant: t }, 1, t.rows, bound);
  const fits = (t: Tensor) => cost(t).gas <= bound.gas;
  const m = c.cols;
  const perWord = 32 / valueWidth(c.data);
  const tried = new Set<number>();
  for (let chunks = 1; chunks <= m; chunks++) {
    const even = Math.ceil(m / chunks);
    const aligned = Math.min(m, Math.ceil(even / perWord) * perWord);
    let lastFloor = Infinity;
    for (const q of [aligned, even]) {
      if (tried.has(q)) continue;
      tried.add(q);
      const plan = matmulChunks(c, q);
      if (plan.every(fits)) return plan.map((constant) => ({ op: 'MATMUL', constant }));
      lastFloor = Math.min(lastFloor, 21_000 + 10 * cost(plan[plan.length - 1]).tokens);
    }
    // the last chunk reads (m − q + n) × m constant entries, more with every chunk: once its
    // calldata floor alone is over the bound, no finer plan fits
    if (chunks > 1 && lastFloor > bound.gas) break;
  }
  throw new StepSplitError(k, `MATMUL ${c.rows}×${c.cols} cannot be split under the step bound (its identity carries are over it)`);
}
/** Splits every over-bound step; `inputCols` is the width of t_0. Steps within the bound stay as they are. */
export function splitSteps(steps: readonly Step[], inputCols: number, bound: StepBound = STEP_BOUND): Step[] {
  const out: Step[] = [];
  let cols = inputCols;
  steps.forEach((step, i) => {
    const k = i + 1;
    if (stepCost(step, 1, cols, bound).gas <= bound.gas) out.push(step);
    else if (step.op === 'MATMUL') out.push(...splitMatmul(k, step.constant, bound));
    else throw new StepSplitError(k, `${step.op} on ${cols} columns is over the step bound and only MATMUL splits`);
    cols = step.op === 'MATMUL' ? step.constant.cols : step.op === 'ARGMAX' ? 1 : cols;
  });
  return out;
}
