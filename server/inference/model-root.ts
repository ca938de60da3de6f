// Step leaves and the model root (PROTOCOL.md §2; byte layout in ops.ts).
import { keccak256, uint32BE } from './keccak.js';
import { merkleProof, merkleRoot } from './merkle.js';
import { Opcode, stepAttrs, stepConstant, type Step } from './ops.js';
import { encodeTensor } from './tensor-encoding.js';

/** L_k = keccak256(uint32 k ‖ uint8 opcode ‖ attrs ‖ enc(C)). */
export function stepLeaf(k: number, step: Step): Uint8Array {
  return keccak256(uint32BE(k), Uint8Array.of(Opcode[step.op]), stepAttrs(step), encodeTensor(stepConstant(step)));
}

/** Leaf index i holds step i + 1's leaf. */
export const stepLeaves = (steps: readonly Step[]): Uint8Array[] => steps.map((s, i) => stepLeaf(i + 1, s));

export function modelRoot(steps: readonly Step[]): Uint8Array {
  if (steps.length === 0) throw new RangeError('a model has at least one step');
  return merkleRoot(stepLeaves(steps));
}

/** Proof that step k (1-based) is in the model: leaf index k − 1. */
export const stepProof = (steps: readonly Step[], k: number): Uint8Array[] => merkleProof(stepLeaves(steps), k - 1);
