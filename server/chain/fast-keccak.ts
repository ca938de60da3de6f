// ethers hashes with @noble/hashes' JavaScript keccak: every checksummed address, event topic,
// function selector and transaction hash goes through it, ~6 % of the pipeline's CPU in a
// profile (docs/pipeline-bench.md). The project's own WebAssembly keccak (bit-identical to
// Solidity's keccak256, tested over every length 0..600 and random messages) does the same work
// several times faster; registered once, at import, for the whole process.
import { keccak256 } from 'ethers';
import { keccak256Wasm } from '../inference/keccak-wasm.js';

let registered = false;
export function useFastKeccak(): void {
  if (registered) return;
  registered = true;
  keccak256.register((data: Uint8Array) => keccak256Wasm(data));
}
useFastKeccak();
