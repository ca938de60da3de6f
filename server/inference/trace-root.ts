// State hashes and the trace root (PROTOCOL.md §2): S_k = keccak256(uint32 k ‖ enc(t_k)), trace
// root = Merkle root over S_0..S_n. This is the per-case hot path, so it is fused: every state is
// copied into the WASM keccak's memory (keccak-wasm.ts), encoded there by its `encode` and hashed
// there, the leaves stay there and the Merkle levels are hashed in place — per case one small
// copy per state and one WASM call per encoding and per hash, no intermediate buffers, views or
// wrappers. Subtrees of padding are
// the constants Z_0 = bytes32(0), Z_{j+1} = keccak256(Z_j ‖ Z_j), not rehashed. The bytes are
// those of encodeTensor + merkle.ts (tests compare both paths and the shared test vectors).
// Independent hashes (states of equal block count, the nodes of a level) go two at a time
// through keccak2, the 2-lane SIMD keccak.
import { encodeAt, ensureScratch, keccak256Wasm, keccak2At, keccakAt, mem64, mem8, SCRATCH } from './keccak-wasm.js';
import { merkleDepth, merkleProof } from './merkle.js';
import { MAX_DIM, TensorRangeError, type Tensor } from './tensor.js';

/** Z_j: the root of a height-j subtree of padding leaves. */
const ZERO_SUBTREE: Uint8Array[] = [new Uint8Array(32)];
for (let j = 1; j <= 32; j++) ZERO_SUBTREE.push(keccak256Wasm(ZERO_SUBTREE[j - 1], ZERO_SUBTREE[j - 1]));

/**
 * Writes uint32 k ‖ enc(t) at `msg` (the int64 values copied to `raw` first, then encoded there by
 * the WASM `encode`); returns its length.
 */
function encodeStateAt(k: number, t: Tensor, raw: number, msg: number): number {
  const n = t.data.length;
  if (t.rows > MAX_DIM || t.cols > MAX_DIM || t.rows * t.cols !== n) {
    throw new TensorRangeError(`cannot encode a ${t.rows}×${t.cols} tensor of ${n} values`);
  }
  mem64.set(t.data, raw >>> 3);
  return encodeAt(k, t.rows, t.cols, raw, n, msg);
}

/** Encoded length of uint32 k ‖ enc(t), at the widest width (the space to reserve). */
const maxMessage = (t: Tensor): number => 9 + 8 * t.data.length;

/**
 * Lays out scratch memory for `count` states: [leaves and tree levels | raw | messages], the
 * message area `messageBytes` long, raw as long as the largest state's int64 values.
 */
function layout(count: number, maxValues: number, messageBytes: number): { depth: number; raw: number; msg: number } {
  const depth = merkleDepth(count);
  const raw = SCRATCH + (64 << depth); // every level of the padded tree: < 2 · 2^depth nodes
  const msg = raw + 8 * maxValues;
  ensureScratch(msg + messageBytes - SCRATCH);
  return { depth, raw, msg };
}

// Where each state's message lies during hashTraceInPlace (grown, never shrunk).
let msgAt = new Int32Array(64);
let msgLen = new Int32Array(64);
const WAIT_SLOTS = 32;
const waiting = new Int32Array(WAIT_SLOTS).fill(-1);

/**
 * Hashes S_0..S_n into scratch memory at SCRATCH + 32k; returns the depth of their tree. All
 * messages are encoded first, then hashed two at a time (keccak2) wherever two have the same
 * number of blocks — in a trace most states are one block — and one at a time otherwise.
 */
function hashTraceInPlace(trace: readonly Tensor[]): number {
  const n = trace.length;
  if (n > 0xffffffff) throw new RangeError(`a trace of ${n} states has step numbers beyond uint32`);
  let maxValues = 0;
  let messageBytes = 0;
  for (let k = 0; k < n; k++) {
    const t = trace[k];
    if (t.data.length > maxValues) maxValues = t.data.length;
    messageBytes += maxMessage(t);
  }
  const { depth, raw, msg } = layout(n, maxValues, messageBytes);
  if (msgAt.length < n) {
    msgAt = new Int32Array(2 * n);
    msgLen = new Int32Array(2 * n);
  }
  for (let k = 0, at = msg; k < n; k++) {
    msgAt[k] = at;
    msgLen[k] = encodeStateAt(k, trace[k], raw, at);
    at += maxMessage(trace[k]);
  }
  // pair states of equal block counts (below WAIT_SLOTS blocks; longer ones alone);
  // waiting[b] holds the unpaired state of b blocks, or −1
  for (let k = 0; k < n; k++) {
    const blocks = Math.floor(msgLen[k] / 136);
    const j = blocks < WAIT_SLOTS ? waiting[blocks] : -1;
    if (blocks >= WAIT_SLOTS) {
      keccakAt(msgAt[k], msgLen[k], SCRATCH + 32 * k);
    } else if (j < 0) {
      waiting[blocks] = k;
    } else {
      waiting[blocks] = -1;
      keccak2At(msgAt[j], msgLen[j], SCRATCH + 32 * j, msgAt[k], msgLen[k], SCRATCH + 32 * k);
    }
  }
  for (let b = 0; b < WAIT_SLOTS; b++) {
    const j = waiting[b];
    if (j >= 0) {
      waiting[b] = -1;
      keccakAt(msgAt[j], msgLen[j], SCRATCH + 32 * j);
    }
  }
  return depth;
}

const leafCopies = (count: number): Uint8Array[] => {
  const hashes = new Array<Uint8Array>(count);
  for (let k = 0; k < count; k++) hashes[k] = mem8.slice(SCRATCH + 32 * k, SCRATCH + 32 * k + 32);
  return hashes;
};

/** S_k = keccak256(uint32 k ‖ enc(t_k)). */
export function stateHash(k: number, t: Tensor): Uint8Array {
  if (!Number.isInteger(k) || k < 0 || k > 0xffffffff) throw new RangeError(`step number ${k} is not a uint32`);
  const { raw, msg } = layout(1, t.data.length, maxMessage(t));
  keccakAt(msg, encodeStateAt(k, t, raw, msg), SCRATCH);
  return mem8.slice(SCRATCH, SCRATCH + 32);
}

/** S_0..S_n of a trace t_0..t_n. */
export function stateHashes(trace: readonly Tensor[]): Uint8Array[] {
  if (trace.length === 0) return [];
  hashTraceInPlace(trace);
  return leafCopies(trace.length);
}

/** What a node commits to for a trace: S_0..S_n and their Merkle root. */
export interface TraceCommitment {
  stateHashes: Uint8Array[];
  traceRoot: Uint8Array;
}

/** S_0..S_n and the trace root in one pass (the decide path's commitment). */
export function commitTrace(trace: readonly Tensor[]): TraceCommitment {
  const depth = hashTraceInPlace(trace);
  const hashes = leafCopies(trace.length);
  // Levels in place: level j (2^(depth − j) slots) is followed by level j + 1. Only the nodes
  // over at least one real leaf are hashed; the sibling of a level's last real node, when that
  // is a left child, is the padding constant Z_j.
  let level = SCRATCH;
  let count = trace.length;
  for (let j = 0; j < depth; j++) {
    if (count & 1) mem8.set(ZERO_SUBTREE[j], level + 32 * count);
    const next = level + (32 << (depth - j));
    const parents = (count + 1) >>> 1;
    let i = 0;
    for (; i + 1 < parents; i += 2) keccak2At(level + 64 * i, 64, next + 32 * i, level + 64 * i + 64, 64, next + 32 * i + 32);
    if (i < parents) keccakAt(level + 64 * i, 64, next + 32 * i);
    level = next;
    count = parents;
  }
  return { stateHashes: hashes, traceRoot: mem8.slice(level, level + 32) };
}

export const traceRoot = (trace: readonly Tensor[]): Uint8Array => commitTrace(trace).traceRoot;

/** Proof for S_k against the trace root (leaf index k), from precomputed state hashes. */
export const stateProof = (hashes: readonly Uint8Array[], k: number): Uint8Array[] => merkleProof(hashes, k);
