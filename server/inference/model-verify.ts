// `arbiter model verify` (PROTOCOL.md §2): everything a model card states about its .onnx file,
// recomputed from the file alone — sha256, model root and step count from the parsed steps, and,
// given the featurizer's ranges, the overflow proof and the per-step bound.
import { createHash } from 'node:crypto';
import { checkModel, ModelCompileError } from './compile.js';
import type { FeatureSpec } from './featurizer.js';
import { bytesToHex } from './hex.js';
import { modelRoot } from './model-root.js';
import { readOnnx } from './onnx-reader.js';
import { OverflowProofError, proveNoOverflow } from './overflow-proof.js';
import { STEP_BOUND, stepCost } from './step-split.js';

export interface ModelFileFacts {
  sha256: string; // hex, no 0x (as in the model card)
  modelRoot: string; // 0x… bytes32
  steps: number;
  inputWidth: number;
}

/** Throws OnnxFormatError or ModelCompileError when the file is not a registrable model. */
export function verifyModelFile(onnx: Uint8Array, features?: readonly FeatureSpec[]): ModelFileFacts {
  const ir = readOnnx(onnx);
  checkModel(ir);
  if (features) {
    try {
      proveNoOverflow(ir, features);
    } catch (e) {
      if (e instanceof OverflowProofError) throw new ModelCompileError(e.step, `overflow proof failed: ${e.message}`);
      throw e;
    }
    let cols = ir.inputWidth;
    ir.steps.forEach((s, i) => {
      const gas = stepCost(s, 1, cols).gas;
      if (gas > STEP_BOUND.gas) throw new ModelCompileError(i + 1, `estimated ${gas} gas is over STEP_BOUND`);
      cols = s.op === 'MATMUL' ? s.constant.cols : s.op === 'ARGMAX' ? 1 : cols;
    });
  }
  return {
    sha256: createHash('sha256').update(onnx).digest('hex'),
    modelRoot: bytesToHex(modelRoot(ir.steps)),
    steps: ir.steps.length,
    inputWidth: ir.inputWidth,
  };
}
