// State hashes and the trace root (PROTOCOL.md §2): S_k = keccak256(uint32 k ‖ enc(t_k)), trace
// root = Merkle root over S_0..S_n. This is the per-case hot path: one buffer, one WASM keccak.
import { keccak256 } from './keccak.js';
import { merkleProof, merkleRoot } from './merkle.js';
import type { Tensor } from './tensor.js';
import { encodedLength, encodeTensorInto } from './tensor-encoding.js';

export function stateHash(k: number, t: Tensor): Uint8Array {
  if (!Number.isInteger(k) || k < 0 || k > 0xffffffff) throw new RangeError(`step number ${k} is not a uint32`);
  const buf = new Uint8Array(4 + encodedLength(t));
  new DataView(buf.buffer).setUint32(0, k);
  encodeTensorInto(t, buf, 4);
  return keccak256(buf);
}

/** S_0..S_n of a trace t_0..t_n. */
export const stateHashes = (trace: readonly Tensor[]): Uint8Array[] => trace.map((t, k) => stateHash(k, t));

export const traceRoot = (trace: readonly Tensor[]): Uint8Array => merkleRoot(stateHashes(trace));

/** Proof for S_k against the trace root (leaf index k), from precomputed state hashes. */
export const stateProof = (hashes: readonly Uint8Array[], k: number): Uint8Array[] => merkleProof(hashes, k);
