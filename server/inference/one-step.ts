// The referee's view of one step (PROTOCOL.md §3.2): raw bytes in (t_lo's encoding, opcode,
// attrs, the constant's encoding), t_hi out or INVALID. Mirrors what LibOneStep does with
// calldata, so test vectors can include steps the typed IR cannot even express (unknown
// opcodes, a constant on RELU, malformed attrs).
import { Opcode, opName, type Step } from './ops.js';
import { applyStep, InvalidStepError } from './reference.js';
import type { Tensor } from './tensor.js';
import { decodeTensor } from './tensor-encoding.js';

function decodeOrInvalid(bytes: Uint8Array, what: string): Tensor {
  try {
    return decodeTensor(bytes);
  } catch (e) {
    throw new InvalidStepError('constant', `${what}: ${(e as Error).message}`);
  }
}

/** Raw step → typed step, or InvalidStepError (unknown opcode, wrong attrs length, a constant where none belongs). */
export function decodeStep(opcode: number, attrs: Uint8Array, constantEnc: Uint8Array): Step {
  const name = opName(opcode);
  if (!name) throw new InvalidStepError('opcode', `unknown opcode ${opcode}`);
  const constant = decodeOrInvalid(constantEnc, 'constant');
  const wantAttrs = opcode === Opcode.CLIP ? 16 : 0;
  if (attrs.length !== wantAttrs) throw new InvalidStepError('attrs', `${name} takes ${wantAttrs} attr bytes, got ${attrs.length}`);
  if (name === 'MATMUL' || name === 'ADD' || name === 'MUL' || name === 'DIV') return { op: name, constant };
  if (constant.rows !== 0 || constant.cols !== 0) throw new InvalidStepError('constant', `${name} takes the empty constant`);
  if (name === 'CLIP') {
    const v = new DataView(attrs.buffer, attrs.byteOffset, 16);
    return { op: 'CLIP', min: v.getBigInt64(0), max: v.getBigInt64(8) };
  }
  return { op: name };
}

/** t_hi = step(t_lo) from raw bytes; throws InvalidStepError when the step is invalid. */
export function oneStep(tLoEnc: Uint8Array, opcode: number, attrs: Uint8Array, constantEnc: Uint8Array): Tensor {
  const tLo = decodeTensor(tLoEnc); // t_lo is agreed through S_lo, so a malformed one is a caller error
  return applyStep(tLo, decodeStep(opcode, attrs, constantEnc));
}
