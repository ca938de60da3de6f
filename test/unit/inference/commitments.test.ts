import { AbiCoder, keccak256 as ethersKeccak, solidityPacked, toUtf8Bytes, hexlify, randomBytes } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimCommitment, claimCommitmentReference, modelIdOf } from '../../../server/inference/claim-commitment.js';
import { bytesToHex, hexToBytes } from '../../../server/inference/hex.js';
import { keccak256, keccak256Hex } from '../../../server/inference/keccak.js';
import { merkleDepth, merkleLevels, merkleProof, merkleRoot, verifyMerkleProof, ZERO_HASH } from '../../../server/inference/merkle.js';
import { modelRoot, stepLeaf, stepProof } from '../../../server/inference/model-root.js';
import type { Step } from '../../../server/inference/ops.js';
import { EMPTY_TENSOR, INT64_MAX, INT64_MIN, rowVector, tensor, tensorEquals } from '../../../server/inference/tensor.js';
import { decodeTensor, encodeTensor, valueWidth } from '../../../server/inference/tensor-encoding.js';
import { stateHash, traceRoot } from '../../../server/inference/trace-root.js';

const hex = (b: Uint8Array) => bytesToHex(b);

describe('tensor encoding', () => {
  it('encodes the empty tensor as 5 bytes with width 1', () => {
    expect(hex(encodeTensor(EMPTY_TENSOR))).toBe('0x0000000001');
  });

  it.each([
    [[-128n, 127n], 1],
    [[128n], 2],
    [[-129n], 2],
    [[-32768n, 32767n], 2],
    [[-32769n], 4],
    [[32768n], 4],
    [[2n ** 31n - 1n, -(2n ** 31n)], 4],
    [[2n ** 31n], 8],
    [[INT64_MIN], 8],
    [[INT64_MAX], 8],
  ])('picks the narrowest width for %s (%i bytes)', (values, w) => {
    expect(valueWidth(rowVector(values).data)).toBe(w);
  });

  it('matches solidityPacked big-endian two’s complement for every width', () => {
    const cases: [bigint[], string][] = [
      [[-128n, 127n, 0n], 'int8'],
      [[128n, -32768n], 'int16'],
      [[-32769n, 5n], 'int32'],
      [[INT64_MIN, INT64_MAX, -1n], 'int64'],
    ];
    for (const [values, ty] of cases) {
      const t = rowVector(values);
      const w = Number(ty.slice(3)) / 8;
      const expected = solidityPacked(['uint16', 'uint16', 'uint8', ...values.map(() => ty)], [1, values.length, w, ...values]);
      expect(hex(encodeTensor(t))).toBe(expected);
    }
  });

  it('round-trips random tensors through decode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.array(fc.bigInt(INT64_MIN, INT64_MAX), { minLength: 16, maxLength: 16 }), (r, c, vals) => {
        const t = tensor(r, c, vals.slice(0, r * c));
        expect(tensorEquals(decodeTensor(encodeTensor(t)), t)).toBe(true);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('rejects a non-narrowest width, a bad width byte and a wrong length', () => {
    expect(() => decodeTensor(hexToBytes('0x00010001020005'))).toThrow(/narrowest/);
    expect(() => decodeTensor(hexToBytes('0x000100010305'))).toThrow(/width byte/);
    expect(() => decodeTensor(hexToBytes('0x0001000101050'.padEnd(16, '0')))).toThrow(/bytes/);
  });

  it('refuses values outside int64 instead of wrapping', () => {
    expect(() => rowVector([INT64_MAX + 1n])).toThrow(/outside int64/);
  });
});

describe('keccak', () => {
  it('equals ethers keccak256 on random inputs, with parts concatenated', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
        const joined = new Uint8Array([...a, ...b]);
        expect(keccak256Hex(a, b)).toBe(ethersKeccak(joined));
      }),
      { seed: 1, numRuns: 100 },
    );
  });
});

describe('merkle', () => {
  const leaf = (i: number) => hexToBytes(ethersKeccak(toUtf8Bytes(`leaf-${i}`)));
  const k = (a: Uint8Array, b: Uint8Array) => hexToBytes(ethersKeccak(new Uint8Array([...a, ...b])));

  it('uses the single leaf as root of a one-leaf tree, with an empty proof', () => {
    expect(hex(merkleRoot([leaf(0)]))).toBe(hex(leaf(0)));
    expect(merkleProof([leaf(0)], 0)).toEqual([]);
  });

  it('pads three leaves with a zero hash and hashes by position', () => {
    const l = [0, 1, 2].map(leaf);
    expect(hex(merkleRoot(l))).toBe(hex(k(k(l[0], l[1]), k(l[2], ZERO_HASH))));
  });

  it.each([1, 2, 3, 5, 8, 13])('verifies a proof of every leaf of a %i-leaf tree, of exactly depth length', (n) => {
    const leaves = Array.from({ length: n }, (_, i) => leaf(i));
    const root = merkleRoot(leaves);
    for (let i = 0; i < n; i++) {
      const proof = merkleProof(leaves, i);
      expect(proof.length).toBe(merkleDepth(n));
      expect(verifyMerkleProof(leaves[i], i, n, proof, root)).toBe(true);
      expect(verifyMerkleProof(leaf(100 + i), i, n, proof, root)).toBe(false);
    }
  });

  it('exposes every level: each node hashes its two children, the last level is the root', () => {
    const leaves = Array.from({ length: 6 }, (_, i) => leaf(i));
    const levels = merkleLevels(leaves);
    expect(levels.map((l) => l.length)).toEqual([8, 4, 2, 1]);
    expect(hex(levels[3][0])).toBe(hex(merkleRoot(leaves)));
    for (let j = 1; j < levels.length; j++) {
      levels[j].forEach((node, i) => expect(hex(node)).toBe(hex(k(levels[j - 1][2 * i], levels[j - 1][2 * i + 1]))));
    }
  });

  it('rejects a proof one level short (an inner node posing as a leaf) and a padding index', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => leaf(i));
    const root = merkleRoot(leaves);
    const inner = k(leaves[0], leaves[1]);
    expect(verifyMerkleProof(inner, 0, 5, merkleProof(leaves, 0).slice(1), root)).toBe(false);
    const padProof = merkleProof([...leaves, ZERO_HASH], 5);
    expect(verifyMerkleProof(ZERO_HASH, 5, 5, padProof, root)).toBe(false);
  });
});

describe('step leaf and model root', () => {
  it('hashes uint32 k ‖ opcode ‖ attrs ‖ enc(C) as solidityPacked does', () => {
    const add: Step = { op: 'ADD', constant: rowVector([1n, -2n]) };
    expect(hex(stepLeaf(3, add))).toBe(
      ethersKeccak(solidityPacked(['uint32', 'uint8', 'uint16', 'uint16', 'uint8', 'int8', 'int8'], [3, 2, 1, 2, 1, 1, -2])),
    );
    const clip: Step = { op: 'CLIP', min: -5n, max: INT64_MAX };
    expect(hex(stepLeaf(1, clip))).toBe(
      ethersKeccak(solidityPacked(['uint32', 'uint8', 'int64', 'int64', 'uint16', 'uint16', 'uint8'], [1, 6, -5n, INT64_MAX, 0, 0, 1])),
    );
  });

  it('builds the model root from leaves 1..n and proves each step at index k − 1', () => {
    const steps: Step[] = [{ op: 'RELU' }, { op: 'CLIP', min: 0n, max: 1n }, { op: 'ARGMAX' }];
    const root = modelRoot(steps);
    for (let kk = 1; kk <= 3; kk++) {
      expect(verifyMerkleProof(stepLeaf(kk, steps[kk - 1]), kk - 1, 3, stepProof(steps, kk), root)).toBe(true);
    }
  });
});

describe('state hash and trace root', () => {
  it('hashes uint32 k ‖ enc(t) as solidityPacked does', () => {
    expect(hex(stateHash(0, rowVector([300n, -1n])))).toBe(
      ethersKeccak(solidityPacked(['uint32', 'uint16', 'uint16', 'uint8', 'int16', 'int16'], [0, 1, 2, 2, 300, -1])),
    );
  });

  it('roots S_0..S_n with S_i at leaf i', () => {
    const trace = [rowVector([1n]), rowVector([2n]), tensor(1, 1, [0n])];
    const s = trace.map((t, i) => stateHash(i, t));
    expect(hex(traceRoot(trace))).toBe(hex(merkleRoot(s)));
  });
});

describe('claim commitment', () => {
  it('equals keccak256(abi.encode(...)) with modelId = keccak("eu261@1.0.0")', () => {
    const id = modelIdOf('eu261@1.0.0');
    expect(id).toBe(ethersKeccak(toUtf8Bytes('eu261@1.0.0')));
    const claim = { caseId: hexlify(randomBytes(32)), modelId: id, s0: hexlify(randomBytes(32)), output: 3n, steps: 7, traceRoot: hexlify(randomBytes(32)) };
    const salt = hexlify(randomBytes(32));
    const enc = AbiCoder.defaultAbiCoder().encode(
      ['bytes32', 'bytes32', 'bytes32', 'uint256', 'uint256', 'bytes32', 'bytes32'],
      [claim.caseId, id, claim.s0, 3n, 7n, claim.traceRoot, salt],
    );
    expect(claimCommitment(claim, salt)).toBe(ethersKeccak(enc));
    expect(keccak256(hexToBytes(enc)).length).toBe(32);
  });
});

describe('claim commitment, laid out by hand', () => {
  const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b));
  const uint256 = fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }));
  const claim = fc.record({ caseId: bytes32, modelId: bytes32, s0: bytes32, output: uint256, steps: fc.oneof(uint256, fc.nat()), traceRoot: bytes32 });

  it("is bit-identical to ethers' ABI coder over random claims, salts and the zero salt", () => {
    fc.assert(
      fc.property(claim, fc.oneof(bytes32, fc.constant(`0x${'00'.repeat(32)}`)), (c, salt) => {
        expect(claimCommitment(c, salt)).toBe(claimCommitmentReference(c, salt));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what the ABI coder refuses: a short word, a negative or too large integer', () => {
    const good = { caseId: `0x${'11'.repeat(32)}`, modelId: `0x${'22'.repeat(32)}`, s0: `0x${'33'.repeat(32)}`, output: 1n, steps: 4n, traceRoot: `0x${'44'.repeat(32)}` };
    const salt = `0x${'55'.repeat(32)}`;
    expect(() => claimCommitment({ ...good, s0: '0x1234' }, salt)).toThrow(/s0/);
    expect(() => claimCommitment({ ...good, output: -1n }, salt)).toThrow(/output/);
    expect(() => claimCommitment({ ...good, steps: 1n << 256n }, salt)).toThrow(/steps/);
    expect(() => claimCommitment(good, '0xzz')).toThrow(/salt/);
  });
});

describe('hex', () => {
  it('writes 0x and lower-case digits as ethers does, for any length and any view of a buffer, and reads them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), (bytes, cut) => {
        const view = bytes.subarray(cut % (bytes.length + 1));
        expect(bytesToHex(bytes)).toBe(hexlify(bytes));
        expect(bytesToHex(view)).toBe(hexlify(view));
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
    expect(bytesToHex(new Uint8Array(0))).toBe('0x');
  });
});
