// The referee's view of one step (PROTOCOL.md §3.2): raw bytes in (t_lo's encoding, opcode,
// attrs, the constant's encoding), t_hi out or INVALID. Mirrors what LibOneStep does with
// calldata, so test vectors can include steps the typed IR cannot even express (unknown
// opcodes, a constant on RELU, malformed attrs).
import { Opcode, opName, type Step } from './ops.js';
import { applyStep, InvalidStepError } from './reference.js';
import type { Tensor } from './tensor.js';
import { decodeTensor } from './tensor-encoding.js';

/**
 * The step's own bytes are malformed: no step at all (unknown opcode, attrs not of the opcode's
 * length, a constant that is not a canonical encoding, a constant on an op that takes none).
 * The referee REVERTS on these (LibOneStep.checkEncoding) rather than judging the step invalid:
 * the step leaf hashes op ‖ attrs ‖ enc(C) as one string, so only the opcode fixes the split.
 */
export class MalformedStepError extends InvalidStepError {
  readonly malformed = true;
  constructor(reason: 'opcode' | 'attrs' | 'constant', message: string) {
    super(reason, message);
    this.name = 'MalformedStepError';
  }
}

function decodeOrMalformed(bytes: Uint8Array, what: string): Tensor {
  try {
    return decodeTensor(bytes);
  } catch (e) {
    throw new MalformedStepError('constant', `${what}: ${(e as Error).message}`);
  }
}

/** Attr bytes of opcode `opcode` (CLIP: 16), or undefined for an unknown opcode. */
export const attrsLength = (opcode: number): number | undefined => (opName(opcode) ? (opcode === Opcode.CLIP ? 16 : 0) : undefined);

/** Raw step → typed step, or MalformedStepError (unknown opcode, wrong attrs length, a bad constant encoding, a constant where none belongs), checked in LibOneStep's order. */
export function decodeStep(opcode: number, attrs: Uint8Array, constantEnc: Uint8Array): Step {
  const name = opName(opcode);
  const wantAttrs = attrsLength(opcode);
  if (!name || wantAttrs === undefined) throw new MalformedStepError('opcode', `unknown opcode ${opcode}`);
  if (attrs.length !== wantAttrs) throw new MalformedStepError('attrs', `${name} takes ${wantAttrs} attr bytes, got ${attrs.length}`);
  const constant = decodeOrMalformed(constantEnc, 'constant');
  if (name === 'MATMUL' || name === 'ADD' || name === 'MUL' || name === 'DIV') return { op: name, constant };
  if (constant.rows !== 0 || constant.cols !== 0) throw new MalformedStepError('constant', `${name} takes the empty constant`);
  if (name === 'CLIP') {
    const v = new DataView(attrs.buffer, attrs.byteOffset, 16);
    return { op: 'CLIP', min: v.getBigInt64(0), max: v.getBigInt64(8) };
  }
  return { op: name };
}

/** t_hi = step(t_lo) from raw bytes; throws InvalidStepError when the step is invalid (MalformedStepError, a subclass, when its bytes are no step: the referee reverts). */
export function oneStep(tLoEnc: Uint8Array, opcode: number, attrs: Uint8Array, constantEnc: Uint8Array): Tensor {
  const tLo = decodeTensor(tLoEnc); // t_lo is agreed through S_lo, so a malformed one is a caller error
  return applyStep(tLo, decodeStep(opcode, attrs, constantEnc));
}
