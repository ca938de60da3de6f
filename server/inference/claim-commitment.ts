// A node's claim for a case and its salted commitment (PROTOCOL.md §2, §3): small fixed fields,
// so plain ABI encoding, matching Solidity's keccak256(abi.encode(...)).
import { AbiCoder, keccak256 as ethersKeccak256, toUtf8Bytes } from 'ethers';

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

export function claimCommitment(claim: Claim, salt: string): string {
  return ethersKeccak256(
    coder.encode(TYPES, [claim.caseId, claim.modelId, claim.s0, claim.output, BigInt(claim.steps), claim.traceRoot, salt]),
  );
}
