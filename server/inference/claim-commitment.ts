// A node's claim for a case and its salted commitment (PROTOCOL.md §2, §3): small fixed fields,
// so plain ABI encoding, matching Solidity's keccak256(abi.encode(...)).
import { AbiCoder, keccak256 as ethersKeccak256, toUtf8Bytes } from 'ethers';
import { bytesToHex } from './hex.js';
import { keccak256Wasm } from './keccak-wasm.js';

export interface Claim {
  caseId: string; // bytes32 hex
  modelId: string; // bytes32 hex, modelIdOf("eu261@1.0.0")
  s0: string; // bytes32 hex, S_0
  output: bigint; // the ArgMax class, t_n
  steps: bigint | number; // n
  traceRoot: string; // bytes32 hex
}

/** modelId = keccak256(utf8 "<id>@<version>"). */
export const modelIdOf = (ref: string): string => ethersKeccak256(toUtf8Bytes(ref));

const coder = AbiCoder.defaultAbiCoder();
const TYPES = ['bytes32', 'bytes32', 'bytes32', 'uint256', 'uint256', 'bytes32', 'bytes32'];

/** The commitment through ethers' ABI coder: the reference the fast encoding below is tested against. */
export function claimCommitmentReference(claim: Claim, salt: string): string {
  return ethersKeccak256(
    coder.encode(TYPES, [claim.caseId, claim.modelId, claim.s0, claim.output, BigInt(claim.steps), claim.traceRoot, salt]),
  );
}

const TWO_256 = 1n << 256n;

function putBytes32(out: Uint8Array, word: number, hex: string, field: string): void {
  const h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : '';
  if (h.length !== 64 || !/^[0-9a-fA-F]{64}$/.test(h)) throw new TypeError(`${field}: not a bytes32 hex string`);
  for (let i = 0; i < 32; i++) out[word * 32 + i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
}

function putUint256(out: Uint8Array, word: number, v: bigint, field: string): void {
  if (v < 0n || v >= TWO_256) throw new RangeError(`${field}: out of uint256 range`);
  for (let i = 31; i >= 0 && v > 0n; i--, v >>= 8n) out[word * 32 + i] = Number(v & 0xffn);
}

/**
 * keccak256(abi.encode(caseId, modelId, s0, output, steps, traceRoot, salt)): seven static words,
 * laid out here and hashed with the WASM keccak. The ethers coder did the same with objects per
 * word; claims roots of every batch are built from these (bit-identity with the reference is a
 * unit test over random claims).
 */
export function claimCommitment(claim: Claim, salt: string): string {
  const buf = new Uint8Array(7 * 32);
  putBytes32(buf, 0, claim.caseId, 'caseId');
  putBytes32(buf, 1, claim.modelId, 'modelId');
  putBytes32(buf, 2, claim.s0, 's0');
  putUint256(buf, 3, BigInt(claim.output), 'output');
  putUint256(buf, 4, BigInt(claim.steps), 'steps');
  putBytes32(buf, 5, claim.traceRoot, 'traceRoot');
  putBytes32(buf, 6, salt, 'salt');
  return bytesToHex(keccak256Wasm(buf));
}
