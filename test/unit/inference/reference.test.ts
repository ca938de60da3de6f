import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, argmax, clip, div, InvalidStepError, matmul, mul, relu, runReference } from '../../../server/inference/reference.js';
import { oneStep } from '../../../server/inference/one-step.js';
import { INT64_MAX, INT64_MIN, rowVector, tensor } from '../../../server/inference/tensor.js';
import { encodeTensor } from '../../../server/inference/tensor-encoding.js';

const vals = (t: { data: BigInt64Array }) => Array.from(t.data);
const invalid = (f: () => unknown, reason: string) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidStepError);
    expect((e as InvalidStepError).reason).toBe(reason);
    return;
  }
  throw new Error('expected an InvalidStepError');
};

describe('reference', () => {
  it('matmul › sums exactly even when partial sums leave int64', () => {
    expect(vals(matmul(rowVector([INT64_MAX, INT64_MAX, INT64_MIN]), tensor(3, 1, [1, 1, 1])))).toEqual([INT64_MAX - 1n]);
  });

  it('matmul › is invalid when the exact sum leaves int64', () => {
    invalid(() => matmul(rowVector([INT64_MAX, 1n]), tensor(2, 1, [1, 1])), 'overflow');
  });

  it('matmul › agrees with a naive BigInt product on random small matrices', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt(-1000n, 1000n), { minLength: 12, maxLength: 12 }), (xs) => {
        const a = tensor(1, 3, xs.slice(0, 3));
        const c = tensor(3, 3, xs.slice(3));
        const got = vals(matmul(a, c));
        for (let j = 0; j < 3; j++) expect(got[j]).toBe(xs[0] * xs[3 + j] + xs[1] * xs[6 + j] + xs[2] * xs[9 + j]);
      }),
      { seed: 3, numRuns: 100 },
    );
  });

  it('add, mul › are invalid on overflow and on a shape mismatch', () => {
    invalid(() => add(rowVector([INT64_MAX]), rowVector([1n])), 'overflow');
    invalid(() => mul(rowVector([INT64_MIN]), rowVector([-1n])), 'overflow');
    invalid(() => add(rowVector([1n, 2n]), rowVector([1n])), 'shape');
  });

  it('div › truncates toward zero: -7 / 2 = -3', () => {
    expect(vals(div(rowVector([-7n, 7n, -1n]), rowVector([2n, 2n, 2n])))).toEqual([-3n, 3n, 0n]);
  });

  it('div › is invalid when a divisor is not positive', () => {
    invalid(() => div(rowVector([1n, 1n]), rowVector([1n, 0n])), 'divisor');
    invalid(() => div(rowVector([1n]), rowVector([-2n])), 'divisor');
  });

  it('relu and clip › clamp values', () => {
    expect(vals(relu(rowVector([-5n, 0n, 5n])))).toEqual([0n, 0n, 5n]);
    expect(vals(clip(rowVector([-5n, 0n, 5n]), -1n, 1n))).toEqual([-1n, 0n, 1n]);
    invalid(() => clip(rowVector([0n]), 1n, 0n), 'attrs');
  });

  it('argmax › first maximum wins on ties', () => {
    expect(vals(argmax(rowVector([2n, 7n, 7n, 1n])))).toEqual([1n]);
    invalid(() => argmax(tensor(1, 0, [])), 'shape');
  });

  it('runReference › names the failing step', () => {
    const model = { inputWidth: 1, steps: [{ op: 'RELU' as const }, { op: 'ADD' as const, constant: rowVector([INT64_MAX]) }] };
    expect(() => runReference(model, rowVector([1n]))).toThrow(/step 2/);
    expect(runReference(model, rowVector([-1n])).map(vals)).toEqual([[-1n], [0n], [INT64_MAX]]);
  });

  it('oneStep › rejects unknown opcodes and a constant on RELU', () => {
    const e = encodeTensor;
    invalid(() => oneStep(e(rowVector([1n])), 9, new Uint8Array(0), e(tensor(0, 0, []))), 'opcode');
    invalid(() => oneStep(e(rowVector([1n])), 5, new Uint8Array(0), e(rowVector([0n]))), 'constant');
  });
});
