import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModel, ModelCompileError } from '../../../server/inference/compile.js';
import type { FeatureSpec } from '../../../server/inference/featurizer.js';
import { readOnnx } from '../../../server/inference/onnx-reader.js';
import type { ModelIR, Step } from '../../../server/inference/ops.js';
import { proveNoOverflow } from '../../../server/inference/overflow-proof.js';
import { runReference } from '../../../server/inference/reference.js';
import { createRunner } from '../../../server/inference/runner.js';
import { matmulPlan, STEP_BOUND, stepCost } from '../../../server/inference/step-split.js';
import { INT64_MAX, rowVector, tensor, tensorEquals } from '../../../server/inference/tensor.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { modelRoot } from '../../../server/inference/model-root.js';

const features = (n: number, min: bigint, max: bigint): FeatureSpec[] => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, min, max }));
const refusal = (f: () => unknown): ModelCompileError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelCompileError);
    return e as ModelCompileError;
  }
  throw new Error('expected the compiler to refuse');
};

describe('compile', () => {
  it('refuses a model whose MATMUL partial sums may overflow, naming the step', () => {
    const model: ModelIR = {
      inputWidth: 2,
      steps: [{ op: 'ADD', constant: rowVector([1n, 1n]) }, { op: 'MATMUL', constant: tensor(2, 1, [2n ** 40n, 2n ** 40n]) }, { op: 'ARGMAX' }],
    };
    const e = refusal(() => compileModel(model, features(2, -(2n ** 22n), 2n ** 22n)));
    expect(e.step).toBe(2);
    expect(e.message).toMatch(/overflow proof failed/);
    // the same model is fine over narrower input ranges
    expect(compileModel(model, features(2, -(2n ** 20n), 2n ** 20n)).steps).toBe(3);
  });

  it('refuses overflow in ADD and MUL at the int64 boundary', () => {
    refusal(() => compileModel({ inputWidth: 1, steps: [{ op: 'ADD', constant: rowVector([1n]) }] }, features(1, 0n, INT64_MAX)));
    refusal(() => compileModel({ inputWidth: 1, steps: [{ op: 'MUL', constant: rowVector([-1n]) }] }, features(1, -(2n ** 63n), 0n)));
  });

  it('refuses a DIV by zero, a CLIP with min > max and shapes that do not chain', () => {
    expect(refusal(() => compileModel({ inputWidth: 1, steps: [{ op: 'DIV', constant: rowVector([0n]) }] }, features(1, 0n, 1n))).message).toMatch(/> 0/);
    refusal(() => compileModel({ inputWidth: 1, steps: [{ op: 'CLIP', min: 1n, max: 0n }] }, features(1, 0n, 1n)));
    refusal(() => compileModel({ inputWidth: 2, steps: [{ op: 'MATMUL', constant: tensor(3, 1, [1, 1, 1]) }] }, features(2, 0n, 1n)));
    refusal(() => compileModel({ inputWidth: 2, steps: [{ op: 'ADD', constant: rowVector([1n]) }] }, features(2, 0n, 1n)));
  });

  it('refuses a RELU or CLIP whose input or bounds may leave int32, where ONNX Runtime is wrong', async () => {
    // The reason, shown on the real runtime: ORT's int64 Max/Clip disagree with the exact
    // reference just above int32, and agree inside it.
    const relu: ModelIR = { inputWidth: 2, steps: [{ op: 'RELU' }] };
    const runner = await createRunner(compileModel(relu, features(2, -(2n ** 31n), 2n ** 31n - 1n)).onnx);
    const above = rowVector([2n ** 31n, 2n ** 32n - 1n]);
    const ortAbove = (await runner.run(above)).output;
    expect(tensorEquals(ortAbove, runReference(relu, above)[1])).toBe(false);
    const inside = rowVector([2n ** 31n - 1n, -(2n ** 31n)]);
    expect(tensorEquals((await runner.run(inside)).output, runReference(relu, inside)[1])).toBe(true);
    await runner.close();

    const reluErr = refusal(() => compileModel(relu, features(2, 0n, 2n ** 31n)));
    expect(reluErr.step).toBe(1);
    expect(reluErr.message).toMatch(/RELU input .*outside int32/);
    const clipInput = refusal(() => compileModel({ inputWidth: 1, steps: [{ op: 'CLIP', min: 0n, max: 1n }] }, features(1, -(2n ** 31n) - 1n, 0n)));
    expect(clipInput.message).toMatch(/CLIP input/);
    const clipBounds = refusal(() => compileModel({ inputWidth: 1, steps: [{ op: 'CLIP', min: 0n, max: 2n ** 31n }] }, features(1, 0n, 1n)));
    expect(clipBounds.message).toMatch(/CLIP bounds/);
    // a MATMUL may still carry wide values, as long as they are narrowed before a RELU
    const wide: ModelIR = { inputWidth: 1, steps: [{ op: 'MATMUL', constant: tensor(1, 1, [2n ** 40n]) }, { op: 'DIV', constant: rowVector([2n ** 40n]) }, { op: 'RELU' }] };
    expect(compileModel(wide, features(1, -1000n, 1000n)).steps).toBe(3);
  });

  it('returns a canonical file whose reader recovers the model root', () => {
    const model: ModelIR = { inputWidth: 2, steps: [{ op: 'MATMUL', constant: tensor(2, 3, [1, 2, 3, -4, 5, 6]) }, { op: 'RELU' }, { op: 'ARGMAX' }] };
    const c = compileModel(model, features(2, -100n, 100n));
    expect(bytesToHex(modelRoot(readOnnx(c.onnx).steps))).toBe(c.modelRoot);
    expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('overflow proof › intervals contain every value of random runs', () => {
    const model: ModelIR = {
      inputWidth: 3,
      steps: [
        { op: 'MATMUL', constant: tensor(3, 2, [3, -2, -5, 7, 1, 1]) },
        { op: 'MUL', constant: rowVector([-3n, 2n]) },
        { op: 'DIV', constant: rowVector([4n, 3n]) },
        { op: 'CLIP', min: -50n, max: 60n },
        { op: 'RELU' },
      ],
    };
    const f = features(3, -40n, 90n);
    const iv = proveNoOverflow(model, f);
    fc.assert(
      fc.property(fc.array(fc.bigInt(-40n, 90n), { minLength: 3, maxLength: 3 }), (x) => {
        runReference(model, rowVector(x)).forEach((t, k) => t.data.forEach((v, j) => expect(v >= iv[k][j].lo && v <= iv[k][j].hi).toBe(true)));
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('step split', () => {
  // 128 inputs × 128 outputs with one-byte weights: ~1.34 M gas as one step, over the bound
  const n = 128;
  const m = 128;
  const weights = Array.from({ length: n * m }, (_, i) => BigInt(((i * 2654435761) % 201) - 100));
  const big: ModelIR = { inputWidth: n, steps: [{ op: 'MATMUL', constant: tensor(n, m, weights) }, { op: 'DIV', constant: rowVector(Array(m).fill(7n)) }, { op: 'ARGMAX' }] };
  const f = features(n, -1000n, 1000n);
  const widthAfter = (s: Step, cols: number) => (s.op === 'MATMUL' ? s.constant.cols : s.op === 'ARGMAX' ? 1 : cols);

  it('compiles an over-bound MATMUL into several steps, each under the bound', () => {
    expect(stepCost(big.steps[0], 1, n).gas).toBeGreaterThan(STEP_BOUND.gas);
    const compiled = compileModel(big, f);
    expect(compiled.steps).toBe(big.steps.length + 3); // four chunks of 32 word-aligned columns
    let cols = n;
    for (const s of compiled.ir.steps) {
      expect(stepCost(s, 1, cols).gas).toBeLessThanOrEqual(STEP_BOUND.gas);
      cols = widthAfter(s, cols);
    }
  });

  it('a split model computes the same output as the unsplit one, through ORT', async () => {
    const compiled = compileModel(big, f);
    const runner = await createRunner(compiled.onnx);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt(-1000n, 1000n), { minLength: n, maxLength: n }), async (x) => {
        const input = rowVector(x);
        const unsplit = runReference(big, input);
        const { trace, output } = await runner.run(input);
        // the MATMUL's product reappears intact after the last chunk, and so does every later state
        const after = compiled.steps - (big.steps.length - 1);
        expect(tensorEquals(trace[after], unsplit[1])).toBe(true);
        expect(tensorEquals(output, unsplit[unsplit.length - 1])).toBe(true);
        expect(tensorEquals(trace[trace.length - 1], unsplit[unsplit.length - 1])).toBe(true);
      }),
      { seed: 42, numRuns: 25 },
    );
    await runner.close();
  });

  it('refuses a MATMUL whose split chunks cannot fit, naming the step', () => {
    const wide = 1000;
    const model: ModelIR = { inputWidth: wide, steps: [{ op: 'MATMUL', constant: tensor(wide, 40, Array(wide * 40).fill(3n)) }] };
    const e = refusal(() => compileModel(model, features(wide, 0n, 1n)));
    expect(e.step).toBe(1);
    expect(e.message).toMatch(/per-step bound/);
    // 64×256 on 1 × 64: every plan's last chunk carries 192+ columns and is over the bound
    const wide64: ModelIR = { inputWidth: 64, steps: [{ op: 'RELU' }, { op: 'MATMUL', constant: tensor(64, 256, Array.from({ length: 64 * 256 }, (_, i) => BigInt(((i * 40503) % 199) - 99))) }] };
    expect(stepCost(wide64.steps[1], 1, 64).gas).toBeGreaterThan(STEP_BOUND.gas);
    const e2 = refusal(() => compileModel(wide64, features(64, 0n, 1000n)));
    expect(e2.step).toBe(2);
    expect(e2.message).toMatch(/cannot be split/);
  });

  it('prices the shipped-size steps under the bound and 1×1024 elementwise steps over it', () => {
    expect(stepCost({ op: 'MATMUL', constant: tensor(31, 44, Array(31 * 44).fill(5n)) }, 1, 31).gas).toBeLessThan(STEP_BOUND.gas);
    expect(stepCost({ op: 'ADD', constant: rowVector(Array(1024).fill(1n)) }, 1, 1024).gas).toBeGreaterThan(STEP_BOUND.gas);
  });

  it('the cost model is within 8 % of the referee as measured on anvil (OneStepProver.step, eth_estimateGas)', () => {
    // The figures of STEP_BOUND's comment: worst-case state (every value non-zero, 8 bytes).
    const dense = (r: number, c: number, density = 1) =>
      tensor(r, c, Array.from({ length: r * c }, (_, i) => (((i * 2654435761) % 1000) / 1000 < density ? BigInt(((i * 40503) % 199) - 99 || 1) : 0n)));
    const measured: [string, Step, number, number][] = [
      ['MATMUL 8×8', { op: 'MATMUL', constant: dense(8, 8) }, 8, 42_045],
      ['MATMUL 32×32', { op: 'MATMUL', constant: dense(32, 32) }, 32, 125_264],
      ['MATMUL 64×64', { op: 'MATMUL', constant: dense(64, 64) }, 64, 369_614],
      ['MATMUL 64×128', { op: 'MATMUL', constant: dense(64, 128) }, 64, 680_403],
      ['MATMUL 128×128 at 5 %', { op: 'MATMUL', constant: dense(128, 128, 0.05) }, 128, 723_477],
      ['MATMUL 96×96 at 10 %', { op: 'MATMUL', constant: dense(96, 96, 0.1) }, 96, 661_751],
      ['MATMUL identity 200×200', { op: 'MATMUL', constant: tensor(200, 200, Array.from({ length: 40000 }, (_, i) => (i % 201 === 0 ? 1n : 0n))) }, 200, 649_976],
      ['MATMUL 16×40 width 8', { op: 'MATMUL', constant: tensor(16, 40, Array.from({ length: 640 }, (_, i) => BigInt(2 ** 33 + i))) }, 16, 145_296],
      ['RELU 1×256', { op: 'RELU' }, 256, 232_146],
      ['ADD 1×256', { op: 'ADD', constant: rowVector(Array(256).fill(3n)) }, 256, 328_508],
      ['ARGMAX 1×20', { op: 'ARGMAX' }, 20, 40_837],
    ];
    // and the chunks of splits (carries of identity columns)
    const chunkGas: Record<string, number[]> = { '128x128/2': [858_728, 864_076], '128x128/4': [556_057, 654_780, 767_711, 646_036], '64x256/4': [423_273, 592_507, 818_323, 962_239], '48x96/3': [284_822, 403_044, 289_450] };
    for (const [key, gas] of Object.entries(chunkGas)) {
      const [shape, parts] = key.split('/');
      const [r, c] = shape.split('x').map(Number);
      matmulPlan(dense(r, c), Number(parts)).forEach((t, j) => measured.push([`${key} chunk ${j}`, { op: 'MATMUL', constant: t }, t.rows, gas[j]]));
    }
    for (const [label, step, cols, gas] of measured) {
      const model = stepCost(step, 1, cols).gas;
      expect(Math.abs(model / gas - 1), `${label}: model ${model}, measured ${gas}`).toBeLessThan(0.08);
    }
  });
});
