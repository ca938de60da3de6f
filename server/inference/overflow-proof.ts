// Interval arithmetic proof that a model never overflows int64 (PROTOCOL.md §1 "No overflow"):
// starting from the featurizer's declared input ranges, every step's output interval is computed
// exactly (BigInt) and must lie in int64. For MATMUL the bound is stronger than the result:
// Σ_p max|C[p][j]·x_p| ≤ int64 max bounds every partial sum in any summation order, so no
// implementation (ONNX Runtime's accumulators, the referee's loop) meets an intermediate overflow.
import type { FeatureSpec } from './featurizer.js';
import type { ModelIR, Step } from './ops.js';
import { fitsInt64, INT64_MAX } from './tensor.js';

export interface Interval {
  lo: bigint;
  hi: bigint;
}

/** Thrown when the proof fails; names the step (1-based) and the output column. */
export class OverflowProofError extends Error {
  constructor(
    readonly step: number,
    readonly column: number,
    message: string,
  ) {
    super(`step ${step} (column ${column}): ${message}`);
    this.name = 'OverflowProofError';
  }
}

export function inputIntervals(features: readonly FeatureSpec[]): Interval[] {
  return features.map((f, i) => {
    if (f.min > f.max || !fitsInt64(f.min) || !fitsInt64(f.max)) {
      throw new OverflowProofError(0, i, `feature ${f.name} has an invalid range [${f.min}, ${f.max}]`);
    }
    return { lo: f.min, hi: f.max };
  });
}

const abs = (v: bigint) => (v < 0n ? -v : v);
const minOf = (a: bigint, b: bigint) => (a < b ? a : b);
const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);

function checkedInterval(k: number, j: number, lo: bigint, hi: bigint, what: string): Interval {
  if (!fitsInt64(lo) || !fitsInt64(hi)) throw new OverflowProofError(k, j, `${what} may reach [${lo}, ${hi}], outside int64`);
  return { lo, hi };
}

// ONNX Runtime 1.30's CPU int64 Max and Clip kernels are wrong outside the int32 range: measured
// here, Max(2^31, 0) = 0 and Clip(2^31, 0, 1) = 0, and with other bounds values in
// (-2^32, -2^31) and beyond fail too, while no value in [-2^31, 2^31) ever did (a sweep over
// every bit length). Honest nodes must compute the same bits as the referee (PROTOCOL.md §1), so
// the compiler refuses a RELU or CLIP whose inputs or bounds may leave int32; other ops are exact.
export const ORT_SAFE_MIN = -(1n << 31n);
export const ORT_SAFE_MAX = (1n << 31n) - 1n;

function requireInt32(k: number, j: number, lo: bigint, hi: bigint, what: string): void {
  if (lo < ORT_SAFE_MIN || hi > ORT_SAFE_MAX) {
    throw new OverflowProofError(k, j, `${what} may reach [${lo}, ${hi}], outside int32, where ONNX Runtime's int64 Max/Clip are wrong`);
  }
}

/** Output intervals of step k (1-based) given its input intervals (states are 1 × F). */
export function stepIntervals(k: number, step: Step, x: readonly Interval[]): Interval[] {
  switch (step.op) {
    case 'MATMUL': {
      const c = step.constant;
      const out: Interval[] = [];
      for (let j = 0; j < c.cols; j++) {
        let lo = 0n;
        let hi = 0n;
        let absSum = 0n;
        for (let p = 0; p < c.rows; p++) {
          const w = c.data[p * c.cols + j];
          if (w === 0n) continue;
          const a = w * x[p].lo;
          const b = w * x[p].hi;
          lo += minOf(a, b);
          hi += maxOf(a, b);
          absSum += maxOf(abs(a), abs(b));
        }
        if (absSum > INT64_MAX) throw new OverflowProofError(k, j, `MATMUL partial sums may reach ±${absSum}, outside int64`);
        out.push({ lo, hi });
      }
      return out;
    }
    case 'ADD':
      return x.map((v, j) => checkedInterval(k, j, v.lo + step.constant.data[j], v.hi + step.constant.data[j], 'ADD'));
    case 'MUL':
      return x.map((v, j) => {
        const a = v.lo * step.constant.data[j];
        const b = v.hi * step.constant.data[j];
        return checkedInterval(k, j, minOf(a, b), maxOf(a, b), 'MUL');
      });
    case 'DIV':
      // truncation toward zero is monotone non-decreasing for a positive divisor
      return x.map((v, j) => ({ lo: v.lo / step.constant.data[j], hi: v.hi / step.constant.data[j] }));
    case 'RELU':
      x.forEach((v, j) => requireInt32(k, j, v.lo, v.hi, 'RELU input'));
      return x.map((v) => ({ lo: maxOf(v.lo, 0n), hi: maxOf(v.hi, 0n) }));
    case 'CLIP':
      requireInt32(k, 0, step.min, step.max, 'CLIP bounds');
      x.forEach((v, j) => requireInt32(k, j, v.lo, v.hi, 'CLIP input'));
      return x.map((v) => ({ lo: minOf(maxOf(v.lo, step.min), step.max), hi: minOf(maxOf(v.hi, step.min), step.max) }));
    case 'ARGMAX':
      return [{ lo: 0n, hi: BigInt(Math.max(x.length - 1, 0)) }];
  }
}

/**
 * Proves every intermediate of every step fits int64 for all inputs in the declared ranges;
 * returns the intervals of t_0..t_n. Assumes shapes chain (compile.ts checks them first).
 */
export function proveNoOverflow(model: ModelIR, features: readonly FeatureSpec[]): Interval[][] {
  if (features.length !== model.inputWidth) {
    throw new OverflowProofError(0, 0, `${features.length} feature ranges for an input of width ${model.inputWidth}`);
  }
  const states = [inputIntervals(features)];
  model.steps.forEach((step, i) => states.push(stepIntervals(i + 1, step, states[i])));
  return states;
}
