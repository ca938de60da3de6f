// Bounded work per step (PROTOCOL.md §1): the referee must re-execute any one step under the gas
// goal (1 M), so each step's cost is bounded and a MATMUL over it is split into several steps.
import type { Step } from './ops.js';
import { tensor, type Tensor } from './tensor.js';
import { encodeTensor } from './tensor-encoding.js';

/**
 * The one place the per-step bound is defined. A step's cost is estimated as the gas of its
 * one-step proof that depends on the constant C (PROTOCOL.md §1), priced as EIP-7623 does on
 * anvil's latest hardfork: with T = zero bytes + 4 × non-zero bytes of enc(C) (calldata tokens)
 * and E = the referee's execution (`entry` per entry of C, `mac` per multiply-accumulate with a
 * non-zero entry — the referee skips zero entries, a whole zero calldata word at a time, so the
 * identity blocks that carry state forward cost little beyond their calldata), cost = max(4·T + E, 10·T). `gas` leaves ~40 % of the 1 M goal for t_lo's
 * calldata (≤ stateCols values), hashing, the two Merkle proofs and the game's bookkeeping.
 * `entry` and `mac` are estimates for LibOneStep: measure on anvil and adjust here only (this
 * decides which models split, hence their model roots).
 */
export const STEP_BOUND = {
  gas: 600_000,
  entry: 8,
  mac: 32,
  /** widest state tensor (t_lo is calldata in every one-step proof; 1024 × 8 B ≈ 330 k gas worst case) */
  stateCols: 1024,
};
export type StepBound = typeof STEP_BOUND;

export interface StepCost {
  constantBytes: number;
  /** EIP-7623 calldata tokens of enc(C) (and attrs) */
  tokens: number;
  entries: number;
  macs: number;
  gas: number;
}

/** Estimated one-step cost of `step` on a state of `rows` × `cols` (see STEP_BOUND). */
export function stepCost(step: Step, rows: number, cols: number, bound: StepBound = STEP_BOUND): StepCost {
  const c = 'constant' in step ? step.constant : null;
  const bytes = c ? encodeTensor(c) : new Uint8Array(5 + (step.op === 'CLIP' ? 16 : 0));
  let nonZero = 0;
  for (const b of bytes) if (b !== 0) nonZero++;
  const tokens = bytes.length - nonZero + 4 * nonZero;
  const entries = c ? c.data.length : 0;
  let macs = rows * cols; // elementwise work
  if (step.op === 'MATMUL' && c) {
    let nnz = 0;
    for (const v of c.data) if (v !== 0n) nnz++;
    macs = rows * nnz;
  }
  const execution = entries * bound.entry + macs * bound.mac;
  const gas = Math.max(4 * tokens + execution, 10 * tokens);
  return { constantBytes: bytes.length, tokens, entries, macs, gas };
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
 * Limits, stated honestly: enc(C) is dense, so a carry block costs (carried columns)² entries;
 * the scheme rescues layers moderately over the bound, not wide ones. A wide layer must be
 * designed narrower (the compiler refuses it with the step named).
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
