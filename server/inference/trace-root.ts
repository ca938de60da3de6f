// State hashes and the trace root (PROTOCOL.md §2): S_k = keccak256(uint32 k ‖ enc(t_k)), trace
// root = Merkle root over S_0..S_n. This is the per-case hot path, so it is fused: every state is
// encoded straight into the WASM keccak's memory (keccak-wasm.ts) and hashed there, the leaves
// stay there and the Merkle levels are hashed in place — per case one small copy per state and
// one WASM call per hash, no intermediate buffers, views or wrappers. Subtrees of padding are
// the constants Z_0 = bytes32(0), Z_{j+1} = keccak256(Z_j ‖ Z_j), not rehashed. The bytes are
// those of encodeTensor + merkle.ts (tests compare both paths and the shared test vectors).
import { ensureScratch, keccak256Wasm, keccakAt, mem32, mem64, mem8, SCRATCH } from './keccak-wasm.js';
import { merkleDepth, merkleProof } from './merkle.js';
import { MAX_DIM, TensorRangeError, type Tensor } from './tensor.js';

/** Z_j: the root of a height-j subtree of padding leaves. */
const ZERO_SUBTREE: Uint8Array[] = [new Uint8Array(32)];
for (let j = 1; j <= 32; j++) ZERO_SUBTREE.push(keccak256Wasm(ZERO_SUBTREE[j - 1], ZERO_SUBTREE[j - 1]));

/**
 * Writes uint32 k ‖ enc(t) at `msg` (the int64 values copied to `raw` first, read back as int32
 * words; little-endian host, as tensor-encoding.ts checks) and hashes it into [out, out + 32).
 */
function hashStateAt(k: number, t: Tensor, raw: number, msg: number, out: number): void {
  const n = t.data.length;
  if (t.rows > MAX_DIM || t.cols > MAX_DIM || t.rows * t.cols !== n) {
    throw new TensorRangeError(`cannot encode a ${t.rows}×${t.cols} tensor of ${n} values`);
  }
  const m8 = mem8;
  const m32 = mem32;
  mem64.set(t.data, raw >>> 3);
  const base = raw >>> 2;
  const end = base + 2 * n;
  let w = 1;
  for (let i = base; i < end; i += 2) {
    const lo = m32[i];
    if (m32[i + 1] !== lo >> 31) {
      w = 8; // high word is not the sign extension of the low one
      break;
    }
    if (lo < -32768 || lo > 32767) w = 4;
    else if (w === 1 && (lo < -128 || lo > 127)) w = 2;
  }
  m8[msg] = k >>> 24;
  m8[msg + 1] = k >>> 16;
  m8[msg + 2] = k >>> 8;
  m8[msg + 3] = k;
  m8[msg + 4] = t.rows >>> 8;
  m8[msg + 5] = t.rows;
  m8[msg + 6] = t.cols >>> 8;
  m8[msg + 7] = t.cols;
  m8[msg + 8] = w;
  let p = msg + 9;
  if (w === 1) {
    for (let i = base; i < end; i += 2) m8[p++] = m32[i];
  } else if (w === 2) {
    for (let i = base; i < end; i += 2, p += 2) {
      const v = m32[i];
      m8[p] = v >> 8;
      m8[p + 1] = v;
    }
  } else {
    for (let i = base; i < end; i += 2) {
      if (w === 8) {
        const hi = m32[i + 1];
        m8[p] = hi >> 24;
        m8[p + 1] = hi >> 16;
        m8[p + 2] = hi >> 8;
        m8[p + 3] = hi;
        p += 4;
      }
      const v = m32[i];
      m8[p] = v >> 24;
      m8[p + 1] = v >> 16;
      m8[p + 2] = v >> 8;
      m8[p + 3] = v;
      p += 4;
    }
  }
  keccakAt(msg, p - msg, out);
}

/** Lays out scratch memory for `count` states of at most `maxValues` values: [leaves/levels | raw | msg]. */
function layout(count: number, maxValues: number): { depth: number; raw: number; msg: number } {
  const depth = merkleDepth(count);
  const raw = SCRATCH + (64 << depth); // every level of the padded tree: < 2 · 2^depth nodes
  const msg = raw + 8 * maxValues;
  ensureScratch(msg + 9 + 8 * maxValues - SCRATCH);
  return { depth, raw, msg };
}

function maxLength(trace: readonly Tensor[]): number {
  let max = 0;
  for (const t of trace) if (t.data.length > max) max = t.data.length;
  return max;
}

/** Hashes S_0..S_n into scratch memory at SCRATCH + 32k; returns the depth of their tree. */
function hashTraceInPlace(trace: readonly Tensor[]): number {
  if (trace.length > 0xffffffff) throw new RangeError(`a trace of ${trace.length} states has step numbers beyond uint32`);
  const { depth, raw, msg } = layout(trace.length, maxLength(trace));
  for (let k = 0; k < trace.length; k++) hashStateAt(k, trace[k], raw, msg, SCRATCH + 32 * k);
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
  const { raw, msg } = layout(1, t.data.length);
  hashStateAt(k, t, raw, msg, SCRATCH);
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
    for (let i = 0; i < parents; i++) keccakAt(level + 64 * i, 64, next + 32 * i);
    level = next;
    count = parents;
  }
  return { stateHashes: hashes, traceRoot: mem8.slice(level, level + 32) };
}

export const traceRoot = (trace: readonly Tensor[]): Uint8Array => commitTrace(trace).traceRoot;

/** Proof for S_k against the trace root (leaf index k), from precomputed state hashes. */
export const stateProof = (hashes: readonly Uint8Array[], k: number): Uint8Array[] => merkleProof(hashes, k);
