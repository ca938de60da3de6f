import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../../../server/inference/hex.js';
import { OnnxFormatError, readOnnx } from '../../../server/inference/onnx-reader.js';
import { writeOnnx } from '../../../server/inference/onnx-writer.js';
import { decodeStep } from '../../../server/inference/one-step.js';
import type { ModelIR, Step } from '../../../server/inference/ops.js';
import { InvalidStepError, runReference } from '../../../server/inference/reference.js';
import { createRunner } from '../../../server/inference/runner.js';
import { INT64_MAX, INT64_MIN, rowVector, tensor, tensorEquals, type Tensor } from '../../../server/inference/tensor.js';
import { decodeTensor } from '../../../server/inference/tensor-encoding.js';
import { TEST_VECTOR_DIR } from '../../../server/inference/test-vectors.js';
import { modelRoot } from '../../../server/inference/model-root.js';
import { bytesToHex } from '../../../server/inference/hex.js';

const { onnx } = onnxProto;

const interesting = fc.oneof(
  fc.bigInt(-20n, 20n),
  fc.bigInt(-(2n ** 40n), 2n ** 40n),
  fc.constantFrom(INT64_MIN, INT64_MAX, INT64_MIN + 1n, INT64_MAX - 1n, -128n, 127n, 128n, -32769n),
);
const small = fc.bigInt(-50n, 50n);

/** A random step for a state of width `w`, and the width after it. */
function stepArb(w: number): fc.Arbitrary<[Step, number]> {
  const row = (a: fc.Arbitrary<bigint>) => fc.array(a, { minLength: w, maxLength: w }).map((v) => rowVector(v));
  return fc.oneof(
    fc.integer({ min: 1, max: 5 }).chain((m) =>
      fc.array(small, { minLength: w * m, maxLength: w * m }).map((v): [Step, number] => [{ op: 'MATMUL', constant: tensor(w, m, v) }, m]),
    ),
    row(interesting).map((c): [Step, number] => [{ op: 'ADD', constant: c }, w]),
    row(small).map((c): [Step, number] => [{ op: 'MUL', constant: c }, w]),
    row(fc.oneof(fc.bigInt(1n, 9n), fc.constantFrom(INT64_MAX, 2n ** 33n))).map((c): [Step, number] => [{ op: 'DIV', constant: c }, w]),
    fc.constant<[Step, number]>([{ op: 'RELU' }, w]),
    fc.tuple(interesting, interesting).map(([a, b]): [Step, number] => [{ op: 'CLIP', min: a < b ? a : b, max: a < b ? b : a }, w]),
  );
}

/** A random model: up to 6 steps, optionally ending in ARGMAX, plus an input. */
const modelArb: fc.Arbitrary<{ model: ModelIR; input: Tensor }> = fc.integer({ min: 1, max: 5 }).chain((w0) =>
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.array(interesting, { minLength: w0, maxLength: w0 }))
    .chain(([n, argmax, input]) => {
      const grow = (acc: fc.Arbitrary<{ steps: Step[]; w: number }>, left: number): fc.Arbitrary<{ steps: Step[]; w: number }> =>
        left === 0 ? acc : grow(acc.chain(({ steps, w }) => stepArb(w).map(([s, w2]) => ({ steps: [...steps, s], w: w2 }))), left - 1);
      return grow(fc.constant({ steps: [] as Step[], w: w0 }), n).map(({ steps }) => ({
        model: { inputWidth: w0, steps: argmax ? [...steps, { op: 'ARGMAX' } as Step] : steps },
        input: rowVector(input),
      }));
    }),
);

describe('onnx', () => {
  it('runner › ORT and the reference agree bit for bit on random graphs of every op', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(modelArb, async ({ model, input }) => {
        let expected: Tensor[];
        try {
          expected = runReference(model, input);
        } catch (e) {
          if (e instanceof InvalidStepError && e.reason === 'overflow') return; // ORT wraps; such a model is refused at compile time
          throw e;
        }
        const runner = await createRunner(writeOnnx(model));
        const { trace, output } = await runner.run(input);
        await runner.close();
        expect(trace.length).toBe(expected.length);
        trace.forEach((t, k) => expect(tensorEquals(t, expected[k]), `state ${k}`).toBe(true));
        expect(tensorEquals(output, expected[expected.length - 1])).toBe(true);
        compared++;
      }),
      { seed: 20261125, numRuns: 150 },
    );
    expect(compared).toBeGreaterThan(75);
  });

  it('runner › ORT reproduces every valid one-step test vector', async () => {
    const { cases } = JSON.parse(readFileSync(join(TEST_VECTOR_DIR, 'one-step.json'), 'utf8'));
    for (const c of cases.filter((c: { valid: boolean }) => c.valid)) {
      const tLo = decodeTensor(hexToBytes(c.tLo));
      if (tLo.rows !== 1) continue;
      const step = decodeStep(c.opcode, hexToBytes(c.attrs), hexToBytes(c.constant));
      const runner = await createRunner(writeOnnx({ inputWidth: tLo.cols, steps: [step] }));
      const { output } = await runner.run(tLo);
      await runner.close();
      expect(Array.from(output.data, String), c.name).toEqual(c.tHiValues);
    }
  });

  it('runner › reuses one session across runs', async () => {
    const model: ModelIR = { inputWidth: 2, steps: [{ op: 'DIV', constant: rowVector([2n, 3n]) }, { op: 'ARGMAX' }] };
    const runner = await createRunner(writeOnnx(model));
    expect(runner.steps).toBe(2);
    expect(runner.inputWidth).toBe(2);
    const a = await runner.run(rowVector([-7n, 1n]));
    const b = await runner.run(rowVector([9n, 3n]));
    expect(Array.from(a.trace[1].data)).toEqual([-3n, 0n]);
    expect(Array.from(b.output.data)).toEqual([0n]);
    await runner.close();
  });

  it('writer › writes the same bytes for the same IR', () => {
    const model: ModelIR = { inputWidth: 2, steps: [{ op: 'CLIP', min: -1n, max: 1n }, { op: 'RELU' }] };
    expect(bytesToHex(writeOnnx(model))).toBe(bytesToHex(writeOnnx(structuredClone(model))));
  });

  it('reader › recovers the IR, and so the model root, from the file', () => {
    fc.assert(
      fc.property(modelArb, ({ model }) => {
        const back = readOnnx(writeOnnx(model));
        expect(bytesToHex(modelRoot(back.steps))).toBe(bytesToHex(modelRoot(model.steps)));
        expect(back.inputWidth).toBe(model.inputWidth);
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it('reader › rejects a file with anything beyond the canonical form', () => {
    const bytes = writeOnnx({ inputWidth: 1, steps: [{ op: 'RELU' }] });
    const withDoc = onnx.ModelProto.decode(bytes);
    withDoc.docString = 'hidden';
    expect(() => readOnnx(onnx.ModelProto.encode(withDoc).finish())).toThrow(/canonical/);
    expect(() => readOnnx(new Uint8Array([1, 2, 3]))).toThrow(OnnxFormatError);
  });

  it('reader › rejects ops outside the allowed set, float constants and a broken chain', () => {
    const base = () => onnx.ModelProto.decode(writeOnnx({ inputWidth: 2, steps: [{ op: 'ADD', constant: rowVector([1n, 2n]) }, { op: 'RELU' }] }));
    const sub = base();
    sub.graph!.node![0].opType = 'Sub';
    expect(() => readOnnx(onnx.ModelProto.encode(sub).finish())).toThrow(/Sub is not allowed/);
    const float = base();
    float.graph!.initializer![0].dataType = onnx.TensorProto.DataType.FLOAT;
    expect(() => readOnnx(onnx.ModelProto.encode(float).finish())).toThrow(/not int64/);
    const skip = base();
    skip.graph!.node![1].input![0] = 't0';
    expect(() => readOnnx(onnx.ModelProto.encode(skip).finish())).toThrow(/must read t1/);
    const opset = base();
    opset.opsetImport![0].version = 18;
    expect(() => readOnnx(onnx.ModelProto.encode(opset).finish())).toThrow(/opset 17/);
  });
});
