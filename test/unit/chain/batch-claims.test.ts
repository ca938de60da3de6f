// The batched claim commitment: leaves are PROTOCOL.md §2 claim commitments with a zero salt,
// the root commits to every case of the batch, and the member commitment binds batch, salt and node.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AbiCoder, ZeroAddress, ZeroHash, getAddress, hexlify, keccak256, id as utf8Id } from 'ethers';
import { batchCommitment, batchSalt, claimLeaf, claimProof, claimsRoot } from '../../../server/chain/batch-claims.js';
import { modelIdOf, type Claim } from '../../../server/inference/claim-commitment.js';
import { hexToBytes } from '../../../server/inference/hex.js';
import { verifyMerkleProof } from '../../../server/inference/merkle.js';

const claim = (i: number): Claim => ({
  caseId: utf8Id(`case-${i}`),
  modelId: modelIdOf('eu261@1.0.0'),
  s0: utf8Id(`s0-${i}`),
  output: BigInt(i % 4),
  steps: 15,
  traceRoot: utf8Id(`trace-${i}`),
});

describe('batch claims', () => {
  it('claimLeaf › is the claim commitment with a zero salt', () => {
    const c = claim(1);
    const expected = keccak256(
      AbiCoder.defaultAbiCoder().encode(
        ['bytes32', 'bytes32', 'bytes32', 'uint256', 'uint256', 'bytes32', 'bytes32'],
        [c.caseId, c.modelId, c.s0, c.output, 15n, c.traceRoot, ZeroHash],
      ),
    );
    expect(claimLeaf(c)).toBe(expected);
  });

  it('claimProof › proves every claim against the batch root, by index', () => {
    const claims = Array.from({ length: 7 }, (_, i) => claim(i));
    const root = hexToBytes(claimsRoot(claims));
    claims.forEach((c, i) => {
      const proof = claimProof(claims, i).map(hexToBytes);
      expect(verifyMerkleProof(hexToBytes(claimLeaf(c)), i, 7, proof, root)).toBe(true);
      expect(verifyMerkleProof(hexToBytes(claimLeaf(c)), (i + 1) % 7, 7, proof, root)).toBe(false);
    });
  });

  it('claimsRoot › changes when any claim of the batch changes', () => {
    const claims = Array.from({ length: 5 }, (_, i) => claim(i));
    const root = claimsRoot(claims);
    const changed = claims.map((c, i) => (i === 3 ? { ...c, output: c.output + 1n } : c));
    expect(claimsRoot(changed)).not.toBe(root);
  });

  it('batchCommitment › binds the batch, the salt and the node', () => {
    const r = claimsRoot([claim(0)]);
    const node = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    const base = batchCommitment(1, r, utf8Id('salt'), node);
    expect(batchCommitment(2, r, utf8Id('salt'), node)).not.toBe(base);
    expect(batchCommitment(1, r, utf8Id('pepper'), node)).not.toBe(base);
    expect(batchCommitment(1, r, utf8Id('salt'), '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC')).not.toBe(base);
  });

  it('batchCommitment and batchSalt › byte-identical to ethers\' AbiCoder on random inputs (written by hand for speed)', () => {
    const coder = AbiCoder.defaultAbiCoder();
    const b32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hexlify(b));
    const addr = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
    const u64 = fc.oneof(fc.constantFrom(0n, 1n, (1n << 64n) - 1n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
    fc.assert(
      fc.property(u64, u64, b32, b32, addr, (batchId, round, root, salt, node) => {
        expect(batchCommitment(batchId, root, salt, node)).toBe(keccak256(coder.encode(['uint64', 'bytes32', 'bytes32', 'address'], [batchId, root, salt, node])));
        expect(batchCommitment(batchId, root.toUpperCase().replace('0X', '0x'), salt, node.toLowerCase())).toBe(batchCommitment(batchId, root, salt, node));
        expect(batchSalt(salt, batchId, round)).toBe(keccak256(coder.encode(['bytes32', 'string', 'uint64', 'uint64'], [salt, 'arbiter-salt', batchId, round])));
      }),
      { numRuns: 300 },
    );
    expect(() => batchCommitment(1n << 64n, ZeroHash, ZeroHash, ZeroAddress)).toThrow(RangeError);
    expect(() => batchCommitment(1, '0x1234', ZeroHash, ZeroAddress)).toThrow(TypeError);
    expect(() => batchSalt('0x12', 1, 1)).toThrow(TypeError);
  });
});
