// The reference interpreter: exact (BigInt) semantics of every opcode of ops.ts, one function per
// opcode, named and ordered as the opcode table, so Solidity's LibOneStep reads side by side.
// ONNX Runtime is the fast path; this is the definition it must match bit for bit (PROTOCOL.md §1).
import { fitsInt64, shapeOf, type Tensor } from './tensor.js';
import type { ModelIR, Step } from './ops.js';

export type InvalidReason = 'shape' | 'overflow' | 'divisor' | 'attrs' | 'constant' | 'opcode';

/** Thrown when a step is INVALID under ops.ts (the referee treats the same step as invalid). */
export class InvalidStepError extends Error {
  constructor(
    readonly reason: InvalidReason,
    message: string,
    /** 1-based step number, when known. */
    readonly step?: number,
  ) {
    super(step === undefined ? message : `step ${step}: ${message}`);
    this.name = 'InvalidStepError';
  }
}

function checked(v: bigint, what: string): bigint {
  if (!fitsInt64(v)) throw new InvalidStepError('overflow', `${what} = ${v} is outside int64`);
  return v;
}

function sameShape(t: Tensor, c: Tensor, op: string): void {
  if (t.rows !== c.rows || t.cols !== c.cols) {
    throw new InvalidStepError('shape', `${op} constant ${shapeOf(c)} does not match state ${shapeOf(t)}`);
  }
}

function elementwise(t: Tensor, c: Tensor, op: string, f: (a: bigint, b: bigint) => bigint): Tensor {
  sameShape(t, c, op);
  const out = new BigInt64Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = checked(f(t.data[i], c.data[i]), `${op} at ${i}`);
  return { rows: t.rows, cols: t.cols, data: out };
}

/** 1 MATMUL: t (r × n) · C (n × m), each sum exact, then checked. */
export function matmul(t: Tensor, c: Tensor): Tensor {
  if (t.cols !== c.rows) throw new InvalidStepError('shape', `MATMUL ${shapeOf(t)} · ${shapeOf(c)}`);
  const { rows: r, cols: n } = t;
  const m = c.cols;
  const out = new BigInt64Array(r * m);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0n;
      for (let p = 0; p < n; p++) s += t.data[i * n + p] * c.data[p * m + j];
      out[i * m + j] = checked(s, `MATMUL at (${i},${j})`);
    }
  }
  return { rows: r, cols: m, data: out };
}

/** 2 ADD: same shape, no broadcasting. */
export const add = (t: Tensor, c: Tensor): Tensor => elementwise(t, c, 'ADD', (a, b) => a + b);

/** 3 MUL: elementwise. */
export const mul = (t: Tensor, c: Tensor): Tensor => elementwise(t, c, 'MUL', (a, b) => a * b);

/** 4 DIV: every divisor > 0; BigInt division truncates toward zero, as ONNX Runtime and sdiv. */
export function div(t: Tensor, c: Tensor): Tensor {
  sameShape(t, c, 'DIV');
  for (let i = 0; i < c.data.length; i++) {
    if (c.data[i] <= 0n) throw new InvalidStepError('divisor', `DIV divisor ${c.data[i]} at ${i} is not > 0`);
  }
  return elementwise(t, c, 'DIV', (a, b) => a / b);
}

/** 5 RELU: max(t, 0). */
export function relu(t: Tensor): Tensor {
  return { rows: t.rows, cols: t.cols, data: t.data.map((v) => (v > 0n ? v : 0n)) };
}

/** 6 CLIP: min(max(t, lo), hi), lo ≤ hi. */
export function clip(t: Tensor, lo: bigint, hi: bigint): Tensor {
  if (lo > hi) throw new InvalidStepError('attrs', `CLIP min ${lo} > max ${hi}`);
  return { rows: t.rows, cols: t.cols, data: t.data.map((v) => (v < lo ? lo : v > hi ? hi : v)) };
}

/** 7 ARGMAX: axis 1, keepdims, first maximum wins. */
export function argmax(t: Tensor): Tensor {
  if (t.cols < 1) throw new InvalidStepError('shape', `ARGMAX over ${shapeOf(t)}`);
  const out = new BigInt64Array(t.rows);
  for (let i = 0; i < t.rows; i++) {
    let best = 0;
    for (let j = 1; j < t.cols; j++) if (t.data[i * t.cols + j] > t.data[i * t.cols + best]) best = j;
    out[i] = BigInt(best);
  }
  return { rows: t.rows, cols: 1, data: out };
}

/** t_k = step_k(t_{k−1}). */
export function applyStep(t: Tensor, step: Step): Tensor {
  switch (step.op) {
    case 'MATMUL':
      return matmul(t, step.constant);
    case 'ADD':
      return add(t, step.constant);
    case 'MUL':
      return mul(t, step.constant);
    case 'DIV':
      return div(t, step.constant);
    case 'RELU':
      return relu(t);
    case 'CLIP':
      return clip(t, step.min, step.max);
    case 'ARGMAX':
      return argmax(t);
    default:
      throw new InvalidStepError('opcode', `unknown op ${(step as { op: string }).op}`);
  }
}

/** The full trace t_0..t_n of a model on input t_0; errors name the step. */
export function runReference(model: ModelIR, input: Tensor): Tensor[] {
  if (input.rows !== 1 || input.cols !== model.inputWidth) {
    throw new InvalidStepError('shape', `input ${shapeOf(input)} is not 1×${model.inputWidth}`, 0);
  }
  const trace = [input];
  model.steps.forEach((step, i) => {
    try {
      trace.push(applyStep(trace[i], step));
    } catch (e) {
      if (e instanceof InvalidStepError && e.step === undefined) throw new InvalidStepError(e.reason, e.message, i + 1);
      throw e;
    }
  });
  return trace;
}
