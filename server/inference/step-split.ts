// Bounded work per step (PROTOCOL.md §1): the referee must re-execute any one step under the gas
// goal (1 M), so each step's cost is bounded and a MATMUL over it is split into several steps.
import type { Step } from './ops.js';
import { tensor, type Tensor } from './tensor.js';
import { encodeTensor } from './tensor-encoding.js';

/**
 * The one place the per-step bound is defined (PROTOCOL.md §1: any one-step proof under 1 M gas).
 * A step's cost is estimated from a linear model fitted to the referee as built
 * (contracts/src/OneStepProver.sol `step`, measured with eth_estimateGas on anvil's default
 * hardfork, 2026-11-25: MATMUL 8×8 → 43 k, 32×32 → 236 k, 64×64 → 831 k, 64×128 → 1.63 M,
 * 128×128 at 5 % density → 2.99 M; RELU 1×64 / 1×256 / 1×1024 → 74 k / 213 k / 774 k; ADD the same
 * → 93 k / 291 k / 1.09 M; the model is within ~10 % of each):
 *   execution E = base + per MATMUL constant entry (`matmulEntry`; `matmulZeroEntry` for zeros —
 *     equal today, the referee computes the dense product) + per ADD/MUL/DIV constant entry
 *     (`elementwiseEntry`) + per value of t_hi (`outputElement`: encode and hash it) + per value
 *     ARGMAX scans (`argmaxElement`; measured 37 k for 1 × 20);
 *   calldata tokens T = zero bytes + 4 × non-zero bytes of enc(C), plus t_lo at a worst-case
 *     8 non-zero bytes per value;
 *   gas = max(4·T + E, 21 000 + 10·T) (EIP-7623: the floor binds only for calldata-heavy steps).
 * `gas` leaves 100 k of the 1 M goal to the game around the step (two Merkle proofs, storage,
 * events). Re-measure and adjust here when LibOneStep changes: this decides which models compile
 * and how they split, hence their model roots.
 * Because enc(C) is dense and the referee multiplies every entry, carrying state through a split
 * costs as much as the product it replaces: with today's figures splitSteps can only refuse an
 * over-bound MATMUL (naming it). A referee that skipped zero entries (a cheap `matmulZeroEntry`)
 * would make the identity carries nearly free and the split below effective, with no change to
 * the protocol.
 */
export const STEP_BOUND = {
  gas: 900_000,
  base: 27_000,
  matmulEntry: 170,
  matmulZeroEntry: 170,
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
    let nnz = 0;
    for (const v of c.data) if (v !== 0n) nnz++;
    execution += nnz * bound.matmulEntry + (entries - nnz) * bound.matmulZeroEntry + rows * c.cols * bound.outputElement;
  } else {
    execution += entries * bound.elementwiseEntry;
    execution += step.op === 'ARGMAX' ? rows * bound.outputElement + rows * cols * bound.argmaxElement : rows * cols * bound.outputElement;
  }
  const gas = Math.max(4 * tokens + execution, 21_000 + 10 * tokens);
  return { constantBytes: bytes.length, tokens, entries, gas };
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
 * the remainder) and J is the smallest count for which every chunk is under the bound.
 * Limits, stated honestly: a carry block costs (carried columns)² dense entries, so the scheme
 * only pays when the referee's zero entries are cheap (STEP_BOUND.matmulZeroEntry); with today's
 * dense referee every plan is over the bound and the compiler refuses the layer with its step
 * named. A wide layer must then be designed narrower.
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

export function splitMatmul(k: number, c: Tensor, bound: StepBound = STEP_BOUND): Step[] {
  const matmulFits = (t: Tensor) => stepCost({ op: 'MATMUL', constant: t }, 1, t.rows, bound).gas <= bound.gas;
  const m = c.cols;
  for (let chunks = 1; chunks <= m; chunks++) {
    const q = Math.ceil(m / chunks);
    const plan: Tensor[] = [];
    for (let from = 0; from < m; from += q) plan.push(matmulChunk(c, from, from, Math.min(m, from + q), from + q >= m));
    if (plan.every(matmulFits)) return plan.map((constant) => ({ op: 'MATMUL', constant }));
    // from two chunks on, more chunks only widen the last one (it reads m − q + n columns)
    if (chunks > 1 && !matmulFits(plan[plan.length - 1])) break;
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
