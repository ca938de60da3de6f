// Binary Merkle tree of PROTOCOL.md §2, shared by the model root (step leaves) and the trace
// root (state hashes): leaves index-ordered, padded with bytes32(0) to a power of two,
// parent = keccak256(left ‖ right), one leaf → root = leaf. Proofs are the siblings from the leaf
// level up, exactly depth = ceil(log2(leafCount)) long; bit j of the index says whether the node
// is a right child (1: parent = keccak(sibling ‖ node)). Hashing by index, not sorted pairs, and
// a fixed proof length keep an inner node from passing as a leaf.
import { keccak256 } from './keccak.js';

export const ZERO_HASH = new Uint8Array(32);

/** ceil(log2(leafCount)); 0 for a single leaf. */
export function merkleDepth(leafCount: number): number {
  if (!Number.isInteger(leafCount) || leafCount < 1) throw new RangeError(`a Merkle tree needs at least one leaf, got ${leafCount}`);
  let depth = 0;
  while (1 << depth < leafCount) depth++;
  return depth;
}

/**
 * Every level of the tree, the padded leaves first and the root last: node (level j, index i) has
 * children (j − 1, 2i) and (j − 1, 2i + 1). For descending two trace trees to their first
 * difference (PROTOCOL.md §3.1) and for proofs of many leaves without rehashing.
 */
export function merkleLevels(leaves: readonly Uint8Array[]): Uint8Array[][] {
  const depth = merkleDepth(leaves.length);
  let level: Uint8Array[] = leaves.slice();
  for (const leaf of level) if (leaf.length !== 32) throw new RangeError(`Merkle leaves are 32 bytes, got ${leaf.length}`);
  while (level.length < 1 << depth) level.push(ZERO_HASH);
  const levels = [level];
  const pair = new Uint8Array(64); // one WASM update per node is ~2× faster than two
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i], 0);
      pair.set(level[i + 1], 32);
      next.push(keccak256(pair));
    }
    levels.push(next);
    level = next;
  }
  return levels;
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const levels = merkleLevels(leaves);
  return levels[levels.length - 1][0];
}

/** Sibling hashes of leaf `index`, leaf level first; length = merkleDepth(leaves.length). */
export function merkleProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index ${index} outside 0..${leaves.length - 1}`);
  }
  const levels = merkleLevels(leaves);
  const proof: Uint8Array[] = [];
  for (let j = 0, i = index; j < levels.length - 1; j++, i >>= 1) proof.push(levels[j][i ^ 1]);
  return proof;
}

/** Root implied by `leaf` at `index` and its proof (no length check: see verifyMerkleProof). */
export function rootFromProof(leaf: Uint8Array, index: number, proof: readonly Uint8Array[]): Uint8Array {
  let node = leaf;
  for (let j = 0; j < proof.length; j++) {
    node = (index >> j) & 1 ? keccak256(proof[j], node) : keccak256(node, proof[j]);
  }
  return node;
}

/** INVARIANT: index < leafCount and proof length = depth, as the referee checks. */
export function verifyMerkleProof(
  leaf: Uint8Array,
  index: number,
  leafCount: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= leafCount) return false;
  if (proof.length !== merkleDepth(leafCount)) return false;
  const got = rootFromProof(leaf, index, proof);
  return got.length === root.length && got.every((b, i) => b === root[i]);
}
