// A compiled test model of a shipped model's size (no arbitration-models/<id>/model.onnx existed
// when these tests were written): 64 int64 features → three dense layers (64×64, 64×64, 64×32)
// with bias, ReLU/Clip and integer rescaling → 32×8 → ArgMax. Built through the real compiler
// (overflow proof, per-step gas split), run with the reference interpreter.
import type { FeatureSpec } from '../../../server/inference/featurizer.js';
import { compileModel, type CompiledModel } from '../../../server/inference/compile.js';
import type { ModelIR, Step } from '../../../server/inference/ops.js';
import { runReference } from '../../../server/inference/reference.js';
import { tensor, rowVector, type Tensor } from '../../../server/inference/tensor.js';

/** Deterministic integers in [lo, hi] (a 32-bit xorshift; the same on every machine). */
export function ints(seed: number, n: number, lo: number, hi: number): bigint[] {
  let s = seed >>> 0 || 1;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out.push(BigInt(lo + (s % (hi - lo + 1))));
  }
  return out;
}

const matmul = (seed: number, rows: number, cols: number, range: number): Step => ({
  op: 'MATMUL',
  constant: tensor(rows, cols, ints(seed, rows * cols, -range, range)),
});
const vec = (op: 'ADD' | 'MUL' | 'DIV', values: bigint[]): Step => ({ op, constant: rowVector(values) });

export const TEST_FEATURES: FeatureSpec[] = Array.from({ length: 64 }, (_, i) => ({ name: `f${i}`, min: -1000n, max: 1000n }));

export const TEST_MODEL_IR: ModelIR = {
  inputWidth: 64,
  steps: [
    matmul(11, 64, 64, 20),
    vec('ADD', ints(12, 64, -500, 500)),
    { op: 'RELU' },
    vec('DIV', Array(64).fill(64n)),
    matmul(13, 64, 64, 20),
    vec('ADD', ints(14, 64, -500, 500)),
    { op: 'CLIP', min: -50_000n, max: 50_000n },
    vec('DIV', Array(64).fill(32n)),
    matmul(15, 64, 32, 20),
    vec('ADD', ints(16, 32, -100, 100)),
    { op: 'RELU' },
    vec('MUL', ints(17, 32, 1, 3)),
    matmul(18, 32, 8, 10),
    vec('ADD', ints(19, 8, -50, 50)),
    { op: 'ARGMAX' },
  ],
};

let compiled: CompiledModel | undefined;
export function testModel(): CompiledModel {
  compiled ??= compileModel(TEST_MODEL_IR, TEST_FEATURES);
  return compiled;
}

/** A deterministic input in the declared ranges. */
export const testInput = (seed: number): Tensor => rowVector(ints(seed, 64, -1000, 1000));

/** The honest trace t_0..t_n. */
export const honestTrace = (input: Tensor): Tensor[] => runReference(testModel().ir, input);

/**
 * A trace with a fault at step `k`: t_k has its first value off by one, and every later step is
 * computed faithfully from the wrong state (so the claim stays consistent with its own trace).
 */
export function faultyTrace(input: Tensor, k: number, delta = 1n): Tensor[] {
  const { ir } = testModel();
  const honest = runReference(ir, input);
  const bad = honest[k];
  const data = bad.data.slice();
  data[0] += delta;
  const trace = honest.slice(0, k);
  trace.push({ rows: bad.rows, cols: bad.cols, data });
  const rest = runReference({ inputWidth: data.length, steps: ir.steps.slice(k) }, trace[k]);
  trace.push(...rest.slice(1));
  return trace;
}
