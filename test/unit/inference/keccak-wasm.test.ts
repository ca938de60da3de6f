// The fused trace commitment (trace-root.ts over keccak-wasm.ts) against the plain path it
// replaced: hash-wasm keccak (keccak.ts) of uint32 k ‖ encodeTensor(t_k), merkle.ts over those.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../server/inference/hex.js';
import { keccak256, uint32BE } from '../../../server/inference/keccak.js';
import { buildModule, keccak256Wasm, keccak2At, mem8, SCRATCH, simdPairs } from '../../../server/inference/keccak-wasm.js';
import { merkleRoot } from '../../../server/inference/merkle.js';
import { INT64_MAX, INT64_MIN, TensorRangeError, type Tensor } from '../../../server/inference/tensor.js';
import { encodeTensor } from '../../../server/inference/tensor-encoding.js';
import { commitTrace, stateHash, stateHashes, traceRoot } from '../../../server/inference/trace-root.js';

const hex = bytesToHex;
const plainStateHash = (k: number, t: Tensor) => keccak256(uint32BE(k), encodeTensor(t));

describe('WASM keccak256', () => {
  it('is hash-wasm’s keccak256 for every length 0..600 (1 to 5 blocks, every padding position)', () => {
    for (let len = 0; len <= 600; len++) {
      const msg = Uint8Array.from({ length: len }, (_, i) => (i * 151 + len * 7 + 13) & 0xff);
      expect(hex(keccak256Wasm(msg)), `length ${len}`).toBe(hex(keccak256(msg)));
    }
  });

  it('hashes the empty message to the known digest', () => {
    expect(hex(keccak256Wasm())).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  });

  it('hashes two messages of the same block count at once (keccak2), each as hash-wasm does', () => {
    const at = (len: number, seed: number) => Uint8Array.from({ length: len }, (_, i) => (i * 31 + seed * 7 + 1) & 0xff);
    for (let la = 0; la <= 600; la++) {
      const base = Math.floor(la / 136) * 136;
      for (const lb of [base, base + 135, base + ((la * 13) % 136)]) {
        const a = at(la, 1);
        const b = at(lb, 2);
        mem8.set(a, SCRATCH + 64);
        mem8.set(b, SCRATCH + 64 + 700);
        keccak2At(SCRATCH + 64, la, SCRATCH, SCRATCH + 764, lb, SCRATCH + 32);
        expect(hex(mem8.slice(SCRATCH, SCRATCH + 32)), `a: ${la}`).toBe(hex(keccak256(a)));
        expect(hex(mem8.slice(SCRATCH + 32, SCRATCH + 64)), `b: ${lb}`).toBe(hex(keccak256(b)));
      }
    }
  });

  it('has a SIMD keccak2 on this host, and a scalar-only module for hosts without WASM SIMD', () => {
    expect(simdPairs).toBe(true);
    const { memory, keccak } = new WebAssembly.Instance(new WebAssembly.Module(buildModule(false)), {}).exports as {
      memory: WebAssembly.Memory;
      keccak: (inPtr: number, len: number, outPtr: number) => void;
    };
    expect(WebAssembly.Module.exports(new WebAssembly.Module(buildModule(false))).map((e) => e.name)).toEqual(['memory', 'keccak', 'encode']);
    const m = new Uint8Array(memory.buffer);
    for (const len of [0, 64, 135, 136, 300]) {
      const msg = Uint8Array.from({ length: len }, (_, i) => (i * 7 + 3) & 0xff);
      m.set(msg, SCRATCH + 64);
      keccak(SCRATCH + 64, len, SCRATCH);
      expect(hex(m.slice(SCRATCH, SCRATCH + 32))).toBe(hex(keccak256(msg)));
    }
  });

  it('is hash-wasm’s keccak256 on random messages and splits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        expect(hex(keccak256Wasm(a, b))).toBe(hex(keccak256(a, b)));
      }),
      { numRuns: 300 },
    );
  });
});

const value = fc.oneof(
  fc.bigInt(-128n, 127n),
  fc.bigInt(-40000n, 40000n),
  fc.bigInt(-(2n ** 31n), 2n ** 31n - 1n),
  fc.bigInt(INT64_MIN, INT64_MAX),
  fc.constantFrom(INT64_MIN, INT64_MAX, -1n, 0n, 2n ** 31n, -(2n ** 31n) - 1n),
);
const arbTensor = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 }))
  .chain(([rows, cols]) => fc.array(value, { minLength: rows * cols, maxLength: rows * cols }).map((v): Tensor => ({ rows, cols, data: BigInt64Array.from(v) })));

describe('fused trace commitment', () => {
  it('gives the plain path’s state hashes and Merkle root for random traces of 1..40 states', () => {
    fc.assert(
      fc.property(fc.array(arbTensor, { minLength: 1, maxLength: 40 }), (trace) => {
        const plain = trace.map((t, k) => plainStateHash(k, t));
        const fused = commitTrace(trace);
        expect(fused.stateHashes.map(hex)).toEqual(plain.map(hex));
        expect(hex(fused.traceRoot)).toBe(hex(merkleRoot(plain)));
        expect(hex(traceRoot(trace))).toBe(hex(merkleRoot(plain)));
        expect(stateHashes(trace).map(hex)).toEqual(plain.map(hex));
        trace.forEach((t, k) => expect(hex(stateHash(k + 1000, t))).toBe(hex(plainStateHash(k + 1000, t))));
      }),
      { numRuns: 150 },
    );
  });

  it('hashes every tree size 1..70 like merkle.ts (padding subtrees as constants)', () => {
    const trace: Tensor[] = [];
    for (let n = 1; n <= 70; n++) {
      trace.push({ rows: 1, cols: 3, data: BigInt64Array.from([BigInt(n), -BigInt(n) * 1000n, 7n]) });
      expect(hex(commitTrace(trace).traceRoot), `${n} states`).toBe(hex(merkleRoot(trace.map((t, k) => plainStateHash(k, t)))));
    }
  });

  it('returns fresh arrays, not views of scratch memory', () => {
    const a = commitTrace([{ rows: 1, cols: 1, data: BigInt64Array.from([1n]) }, { rows: 1, cols: 1, data: BigInt64Array.from([2n]) }]);
    const before = a.stateHashes.map(hex).concat(hex(a.traceRoot));
    commitTrace([{ rows: 1, cols: 2, data: BigInt64Array.from([5n, 6n]) }, { rows: 1, cols: 1, data: BigInt64Array.from([9n]) }]);
    expect(a.stateHashes.map(hex).concat(hex(a.traceRoot))).toEqual(before);
  });

  it('encodes step numbers past 2^31 (the WASM encoder takes k as an i32) and every width boundary as encodeTensor does', () => {
    const t: Tensor = { rows: 1, cols: 7, data: BigInt64Array.from([127n, -128n, 32767n, -32768n, 2n ** 31n - 1n, -(2n ** 31n), 0n]) };
    for (const k of [0, 1, 2 ** 31 - 1, 2 ** 31, 0xfffffffe, 0xffffffff]) expect(hex(stateHash(k, t)), `k ${k}`).toBe(hex(plainStateHash(k, t)));
    for (const v of [127n, 128n, -128n, -129n, 32767n, 32768n, -32768n, -32769n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), -(2n ** 31n) - 1n, INT64_MIN, INT64_MAX]) {
      const u: Tensor = { rows: 1, cols: 2, data: BigInt64Array.from([1n, v]) };
      expect(hex(stateHash(5, u)), `value ${v}`).toBe(hex(plainStateHash(5, u)));
    }
  });

  it('refuses what encodeTensor refuses', () => {
    expect(() => commitTrace([{ rows: 1, cols: 3, data: BigInt64Array.from([1n, 2n]) }])).toThrow(TensorRangeError);
    expect(() => stateHash(0, { rows: 70000, cols: 0, data: new BigInt64Array(0) })).toThrow(TensorRangeError);
    expect(() => stateHash(-1, { rows: 1, cols: 1, data: BigInt64Array.from([1n]) })).toThrow(RangeError);
    expect(() => commitTrace([])).toThrow(RangeError);
  });
});
