// The batched claim commitment of Arbitration.sol: a committee member commits once per batch to
// the Merkle root over its claims (leaf i = the claim commitment of PROTOCOL.md §2 for case i of
// the batch, with a zero salt), hidden by one batch-level salt:
//   commitment = keccak256(abi.encode(uint64 batchId, bytes32 claimsRoot, bytes32 salt, address node)).
// Equal revealed roots prove agreement on every case at once (no per-case gas on the happy path).
import { AbiCoder, ZeroHash, keccak256 as ethersKeccak256 } from 'ethers';
import { claimCommitment, type Claim } from '../inference/claim-commitment.js';
import { bytesToHex, hexToBytes } from '../inference/hex.js';
import { merkleProof, merkleRoot } from '../inference/merkle.js';

const coder = AbiCoder.defaultAbiCoder();

/** Leaf of one claim in the batch tree: its claim commitment with salt bytes32(0). */
export const claimLeaf = (claim: Claim): string => claimCommitment(claim, ZeroHash);

/** Merkle root over the claims of a batch, in the batch's case order. */
export function claimsRoot(claims: readonly Claim[]): string {
  return bytesToHex(merkleRoot(claims.map((c) => hexToBytes(claimLeaf(c)))));
}

/** Proof of claim `index` against claimsRoot(claims). */
export function claimProof(claims: readonly Claim[], index: number): string[] {
  return merkleProof(claims.map((c) => hexToBytes(claimLeaf(c))), index).map(bytesToHex);
}

/** What a member posts in `commit`. */
export function batchCommitment(batchId: bigint | number, root: string, salt: string, node: string): string {
  return ethersKeccak256(coder.encode(['uint64', 'bytes32', 'bytes32', 'address'], [BigInt(batchId), root, salt, node]));
}
