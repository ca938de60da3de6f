// The model compiler (PROTOCOL.md §1): IR + the featurizer's input ranges → checks → split →
// canonical .onnx bytes, model root and step count. A model that fails any check is refused
// with a ModelCompileError naming the step; nothing unproven is ever registered.
import { createHash } from 'node:crypto';
import type { FeatureSpec } from './featurizer.js';
import { bytesToHex } from './hex.js';
import { modelRoot } from './model-root.js';
import { writeOnnx } from './onnx-writer.js';
import { OP_NAMES, type ModelIR } from './ops.js';
import { OverflowProofError, proveNoOverflow, type Interval } from './overflow-proof.js';
import { splitSteps, STEP_BOUND, stepCost, StepSplitError, type StepBound } from './step-split.js';
import { MAX_DIM } from './tensor.js';

export class ModelCompileError extends Error {
  constructor(
    /** 1-based step number; 0 for the input. */
    readonly step: number,
    message: string,
  ) {
    super(`step ${step}: ${message}`);
    this.name = 'ModelCompileError';
  }
}

export interface CompiledModel {
  ir: ModelIR;
  onnx: Uint8Array;
  /** hex sha256 of the .onnx bytes (no 0x), as the model card stores it */
  sha256: string;
  /** 0x… bytes32 (PROTOCOL.md §2) */
  modelRoot: string;
  steps: number;
  /** interval of every value of t_0..t_n over the declared input ranges */
  intervals: Interval[][];
}

/** Structural checks of ops.ts: allowed ops, shapes chain on a 1 × F state, DIV > 0, CLIP min ≤ max. */
export function checkModel(model: ModelIR): void {
  if (!Number.isInteger(model.inputWidth) || model.inputWidth < 1 || model.inputWidth > STEP_BOUND.stateCols) {
    throw new ModelCompileError(0, `input width ${model.inputWidth} is outside 1..${STEP_BOUND.stateCols}`);
  }
  if (model.steps.length === 0) throw new ModelCompileError(0, 'a model has at least one step');
  let cols = model.inputWidth;
  model.steps.forEach((step, i) => {
    const k = i + 1;
    const fail = (msg: string): never => {
      throw new ModelCompileError(k, msg);
    };
    if (!OP_NAMES.includes(step.op)) fail(`op ${step.op} is not allowed`);
    if ('constant' in step) {
      const c = step.constant;
      if (c.rows * c.cols !== c.data.length || c.rows > MAX_DIM || c.cols > MAX_DIM) fail(`malformed ${step.op} constant`);
      if (step.op === 'MATMUL') {
        if (c.rows !== cols) fail(`MATMUL constant ${c.rows}×${c.cols} does not take a 1×${cols} state`);
        cols = c.cols;
      } else if (c.rows !== 1 || c.cols !== cols) fail(`${step.op} constant ${c.rows}×${c.cols} is not 1×${cols}`);
      if (step.op === 'DIV' && c.data.some((v) => v <= 0n)) fail('DIV constants must all be > 0');
    } else if (step.op === 'CLIP' && step.min > step.max) fail(`CLIP min ${step.min} > max ${step.max}`);
    else if (step.op === 'ARGMAX') {
      if (cols < 1) fail('ARGMAX over zero columns');
      cols = 1;
    }
    if (cols < 1 || cols > STEP_BOUND.stateCols) fail(`state width ${cols} is outside 1..${STEP_BOUND.stateCols}`);
  });
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OverflowProofError) throw new ModelCompileError(e.step, `overflow proof failed: ${e.message}`);
    if (e instanceof StepSplitError) throw new ModelCompileError(e.step, `over the per-step bound: ${e.message}`);
    throw e;
  }
}

export interface CompileOptions {
  /** the per-step bound; STEP_BOUND unless a test models another referee */
  bound?: StepBound;
}

export function compileModel(model: ModelIR, features: readonly FeatureSpec[], options: CompileOptions = {}): CompiledModel {
  const bound = options.bound ?? STEP_BOUND;
  checkModel(model);
  wrap(() => proveNoOverflow(model, features)); // on the author's steps, so errors name them
  const split: ModelIR = { inputWidth: model.inputWidth, steps: wrap(() => splitSteps(model.steps, model.inputWidth, bound)) };
  checkModel(split);
  const intervals = wrap(() => proveNoOverflow(split, features));
  let cols = split.inputWidth;
  split.steps.forEach((s, i) => {
    const cost = stepCost(s, 1, cols, bound);
    if (cost.gas > bound.gas) throw new ModelCompileError(i + 1, `estimated ${cost.gas} gas is over the step bound of ${bound.gas}`);
    cols = s.op === 'MATMUL' ? s.constant.cols : s.op === 'ARGMAX' ? 1 : cols;
  });
  const onnx = writeOnnx(split);
  return {
    ir: split,
    onnx,
    sha256: createHash('sha256').update(onnx).digest('hex'),
    modelRoot: bytesToHex(modelRoot(split.steps)),
    steps: split.steps.length,
    intervals,
  };
}
