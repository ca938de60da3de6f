// Models and traces for the adversarial game suites: a compiled model whose constants use every
// value width (1, 2, 4 and 8 bytes), a small model whose trace tree has padding, and the fault
// injection used by every table (t_k off by `delta`, every later step computed faithfully from it).
import type { FeatureSpec } from '../../../server/inference/featurizer.js';
import { compileModel, type CompiledModel } from '../../../server/inference/compile.js';
import type { ModelIR, Step } from '../../../server/inference/ops.js';
import { runReference } from '../../../server/inference/reference.js';
import { tensor, rowVector, type Tensor } from '../../../server/inference/tensor.js';
import { valueWidth } from '../../../server/inference/tensor-encoding.js';

const vec = (op: 'ADD' | 'MUL' | 'DIV', values: (bigint | number)[]): Step => ({ op, constant: rowVector(values) });
const P40 = 1n << 40n;
const P33 = 1n << 33n;

const WIDTH_FEATURES: FeatureSpec[] = Array.from({ length: 4 }, (_, i) => ({ name: `w${i}`, min: -100n, max: 100n }));

/**
 * 11 steps over 4 features whose constants take 1-, 2-, 4- and 8-byte encodings (and states of
 * every width in between): MATMUL 1-byte, ADD 2-byte, MUL 4-byte, ADD ±2^40 (8-byte), DIV 4-byte,
 * RELU, MATMUL ±2^33 (8-byte), DIV 2^33 (8-byte), CLIP, ARGMAX. 12 states: the tree pads to 16.
 */
export const WIDTH_MODEL_IR: ModelIR = {
  inputWidth: 4,
  steps: [
    { op: 'MATMUL', constant: tensor(4, 4, [1, -2, 3, 0, -3, 1, 0, 2, 2, 2, -1, 1, 0, -1, 1, 3]) },
    vec('ADD', [1000, -1200, 700, 300]),
    vec('MUL', [100_000, 70_000, -90_000, 65_536]),
    vec('ADD', [P40, -P40, P40 + 5n, 3n * P40]),
    vec('ADD', [-P40, P40, -P40, -3n * P40]),
    vec('DIV', [100_000, 70_000, 90_000, 65_536]),
    { op: 'RELU' },
    { op: 'MATMUL', constant: tensor(4, 3, [P33, -P33, 2n * P33, -P33, P33, P33, P33, 0n, -P33, 0n, 2n * P33, P33]) },
    vec('DIV', [P33, P33, P33]),
    { op: 'CLIP', min: -50n, max: 50n },
    { op: 'ARGMAX' },
  ],
};

let widthModel: CompiledModel | undefined;
export function compiledWidthModel(): CompiledModel {
  widthModel ??= compileModel(WIDTH_MODEL_IR, WIDTH_FEATURES);
  return widthModel;
}

/** The widths (bytes) the width model's constants are encoded with. */
export function constantWidths(steps: readonly Step[]): Set<number> {
  return new Set(steps.filter((s): s is Extract<Step, { constant: Tensor }> => 'constant' in s).map((s) => valueWidth(s.constant.data)));
}

/** Deterministic inputs of the width model, in its declared range. */
export const widthInputs: Tensor[] = [rowVector([17, -42, 99, -100]), rowVector([-5, 60, -71, 8]), rowVector([100, 100, -100, 3])];

/**
 * A small model for the adversarial suite: every opcode, 8 steps, so its 9-state trace tree has
 * padding (indices 9..15).
 */
export const SMALL_MODEL_IR: ModelIR = {
  inputWidth: 3,
  steps: [
    { op: 'MATMUL', constant: tensor(3, 3, [2, -1, 0, 1, 3, -2, 0, 1, 1]) },
    vec('ADD', [5, -7, 300]),
    { op: 'RELU' },
    { op: 'CLIP', min: 0n, max: 400n },
    vec('MUL', [3, 2, 1]),
    vec('DIV', [2, 3, 4]),
    vec('ADD', [1, 0, -1]),
    { op: 'ARGMAX' },
  ],
};

let small: CompiledModel | undefined;
export function smallModel(): CompiledModel {
  small ??= compileModel(SMALL_MODEL_IR, Array.from({ length: 3 }, (_, i) => ({ name: `s${i}`, min: -50n, max: 50n })));
  return small;
}

/** t_k's last value off by `delta`, every later step computed faithfully from the wrong state. */
export function faultyTrace(ir: ModelIR, input: Tensor, k: number, delta = 1n): Tensor[] {
  const honest = runReference(ir, input);
  const bad = { ...honest[k], data: honest[k].data.slice() };
  bad.data[bad.data.length - 1] += delta;
  const rest = runReference({ inputWidth: bad.data.length, steps: ir.steps.slice(k) }, bad);
  return [...honest.slice(0, k), ...rest];
}
