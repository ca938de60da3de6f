// The batched claim commitment of Arbitration.sol: a committee member commits once per batch to
// the Merkle root over its claims (leaf i = the claim commitment of PROTOCOL.md §2 for case i of
// the batch, with a zero salt), hidden by one batch-level salt:
//   commitment = keccak256(abi.encode(uint64 batchId, bytes32 claimsRoot, bytes32 salt, address node)).
// Equal revealed roots prove agreement on every case at once (no per-case gas on the happy path).
import { ZeroHash, keccak256 as ethersKeccak256 } from 'ethers';
import { claimCommitment, type Claim } from '../inference/claim-commitment.js';
import { bytesToHex, hexToBytes } from '../inference/hex.js';
import { merkleProof, merkleRoot } from '../inference/merkle.js';

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

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const U64_LIMIT = 1n << 64n;

/** A uint64 as one ABI word (64 hex digits, no 0x); refused out of range, as ethers would. */
export function uint64Word(v: bigint | number): string {
  const n = BigInt(v);
  if (n < 0n || n >= U64_LIMIT) throw new RangeError(`not a uint64: ${v}`);
  return n.toString(16).padStart(64, '0');
}

/**
 * What a member posts in `commit`. The four words are written here (all static), not by ethers'
 * AbiCoder: with the salt's encoding it was ~6 % of a node operator's CPU (docs/pipeline-bench.md).
 * Tested equal to AbiCoder's on random inputs.
 */
export function batchCommitment(batchId: bigint | number, root: string, salt: string, node: string): string {
  if (!BYTES32.test(root)) throw new TypeError(`not a bytes32: ${root}`);
  if (!BYTES32.test(salt)) throw new TypeError(`not a bytes32: ${salt}`);
  if (!ADDRESS.test(node)) throw new TypeError(`not an address: ${node}`);
  return ethersKeccak256(`0x${uint64Word(batchId)}${root.slice(2)}${salt.slice(2)}${node.slice(2).padStart(64, '0')}`.toLowerCase());
}

/** abi.encode's tail for the string 'arbiter-salt': its length word and its bytes, padded. */
const SALT_TAG = (() => {
  const hex = Buffer.from('arbiter-salt', 'utf8').toString('hex');
  return `${(hex.length / 2).toString(16).padStart(64, '0')}${hex.padEnd(64, '0')}`;
})();

/**
 * A member's salt for a batch round: keccak256(abi.encode(bytes32 secret, string 'arbiter-salt',
 * uint64 batchId, uint64 round)), secret until the reveal. Written by hand as batchCommitment is;
 * tested equal to AbiCoder's.
 */
export function batchSalt(secret: string, batchId: bigint | number, round: bigint | number): string {
  if (!BYTES32.test(secret)) throw new TypeError('the salt secret is not a bytes32');
  // Head: the secret, the string's offset (four head words: 0x80), the two uint64; then the string.
  return ethersKeccak256(`0x${secret.slice(2).toLowerCase()}${(0x80).toString(16).padStart(64, '0')}${uint64Word(batchId)}${uint64Word(round)}${SALT_TAG}`);
}
