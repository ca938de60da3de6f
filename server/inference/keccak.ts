// keccak256 for every commitment of PROTOCOL.md §2. hash-wasm's WASM keccak is ~20× faster
// than ethers' on trace-sized inputs; it is created once (the only async part, resolved at
// module load by top-level await) and then used synchronously. Not re-entrant: every call runs
// init → update → digest with no await in between, so sharing one instance is safe in JS.
import { createKeccak } from 'hash-wasm';
import { bytesToHex } from './hex.js';

const hasher = await createKeccak(256);

/** keccak256 of the concatenation of `parts` (no copy of the parts). */
export function keccak256(...parts: Uint8Array[]): Uint8Array {
  hasher.init();
  for (const p of parts) hasher.update(p);
  return hasher.digest('binary') as Uint8Array;
}

/** keccak256 as 0x-hex; ethers-free, for the hot path. */
export const keccak256Hex = (...parts: Uint8Array[]): string => bytesToHex(keccak256(...parts));

/** uint32 big-endian, the step-number prefix of step leaves and state hashes (PROTOCOL.md §2). */
export function uint32BE(k: number): Uint8Array {
  if (!Number.isInteger(k) || k < 0 || k > 0xffffffff) throw new RangeError(`step number ${k} is not a uint32`);
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, k);
  return b;
}
