import { describe, expect, it } from 'vitest';
import { compileModel, ModelCompileError } from '../../../server/inference/compile.js';
import { executeModel, InputRangeError } from '../../../server/inference/execution.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { verifyMerkleProof } from '../../../server/inference/merkle.js';
import { verifyModelFile } from '../../../server/inference/model-verify.js';
import { writeOnnx } from '../../../server/inference/onnx-writer.js';
import { runReference } from '../../../server/inference/reference.js';
import { ruleModel } from '../../../server/inference/rule-layers.js';
import { createRunner } from '../../../server/inference/runner.js';
import { rowTensor, rowVector } from '../../../server/inference/tensor.js';
import { stateHash, stateProof, traceRoot } from '../../../server/inference/trace-root.js';

const features = [
  { name: 'delay_minutes', min: 0n, max: 2000n },
  { name: 'cancelled', min: 0n, max: 1n },
];

describe('execution', () => {
  const b = ruleModel(features);
  const ir = b.decisionList([{ when: b.or(b.ge('delay_minutes', 180), b.flag('cancelled')), class: 1 }, { default: 0 }]);
  const compiled = compileModel(ir, features);

  it('executeModel › returns the claim fields of the reference trace', async () => {
    const runner = await createRunner(compiled.onnx);
    const input = rowVector([200n, 0n]);
    const ex = await executeModel(runner, input);
    await runner.close();
    const ref = runReference(compiled.ir, input);
    expect(ex.output).toBe(1n);
    expect(ex.steps).toBe(compiled.steps);
    expect(ex.s0).toBe(bytesToHex(stateHash(0, input)));
    expect(ex.traceRoot).toBe(bytesToHex(traceRoot(ref)));
    const root = traceRoot(ref);
    ex.hashes.forEach((h, k) => expect(verifyMerkleProof(h, k, ex.hashes.length, stateProof(ex.hashes, k), root)).toBe(true));
  });

  it('executeModel › refuses an input outside the declared ranges when given the features', async () => {
    const runner = await createRunner(compiled.onnx);
    await expect(executeModel(runner, rowTensor(BigInt64Array.from([2001n, 0n])), features)).rejects.toThrow(InputRangeError);
    expect((await executeModel(runner, rowTensor(BigInt64Array.from([2000n, 0n])), features)).output).toBe(1n);
    await runner.close();
  });

  it('verifyModelFile › recomputes sha256, model root and steps from the file', () => {
    expect(verifyModelFile(compiled.onnx, features)).toEqual({
      sha256: compiled.sha256,
      modelRoot: compiled.modelRoot,
      steps: compiled.steps,
      inputWidth: 2,
    });
  });

  it('verifyModelFile › refuses a file whose steps overflow over the declared ranges', () => {
    const onnx = writeOnnx({ inputWidth: 1, steps: [{ op: 'MUL', constant: rowVector([2n ** 62n]) }] });
    expect(() => verifyModelFile(onnx, [{ name: 'x', min: 0n, max: 4n }])).toThrow(ModelCompileError);
  });
});
