/**
 * The integer instruction set of Arbiter's verifiable runtime, and the byte-level protocol that
 * the TypeScript executor and the Solidity referee (contracts/, LibOneStep) share. PROTOCOL.md
 * §1 and §2 state the design; this comment fixes every byte. Test vectors generated from this
 * code live in contracts/test-vectors/ (format: contracts/test-vectors/README.md).
 *
 * ## Tensor
 * int64, rows × cols, rank ≤ 2, batch 1: state tensors are 1 × F; ARGMAX gives 1 × 1.
 * `enc(t)` = rows uint16 BE ‖ cols uint16 BE ‖ w uint8 ‖ values row-major, each w bytes
 * big-endian two's complement; w = the narrowest of 1, 2, 4, 8 holding every value. The empty
 * 0 × 0 tensor has w = 1 and encodes to the 5 bytes 00 00 00 00 01. A decoder must reject a
 * width other than 1/2/4/8, a length ≠ 5 + rows·cols·w, and a non-narrowest width (the
 * encoding is canonical; see tensor-encoding.ts decodeTensor).
 *
 * ## Opcodes (uint8)   — state t (r × n), constant C, output t'
 *  1 MATMUL  C n × m; t' = t · C (r × m), t'[i][j] = Σ_p t[i][p]·C[p][j].
 *  2 ADD     C r × n (same shape, no broadcasting); t' = t + C.
 *  3 MUL     C r × n; t' = t ⊙ C (elementwise).
 *  4 DIV     C r × n, every value > 0; t' = t / C elementwise, quotient truncated toward zero
 *            (−7 / 2 = −3, as C, ONNX Runtime and Solidity's sdiv do).
 *  5 RELU    t' = max(t, 0) (ONNX: Max(x, 0); ORT's CPU provider has no int64 Relu). C = empty.
 *  6 CLIP    attrs = min int64 BE ‖ max int64 BE (16 bytes), min ≤ max;
 *            t' = min(max(t, min), max). C = empty.
 *  7 ARGMAX  axis 1, keepdims 1, the first maximum wins; t' is r × 1 of column indices; n ≥ 1.
 *            C = empty.
 * Only CLIP has attrs; all other opcodes have zero attr bytes.
 * Every output value is computed exactly (unbounded integers) and must lie in int64; otherwise
 * the step is INVALID. Also INVALID: a constant whose shape does not fit the state, a DIV
 * constant with a value ≤ 0, CLIP with min > max, ARGMAX on zero columns. The reference
 * (reference.ts) throws InvalidStepError; the referee returns invalid.
 * MALFORMED (no step at all; one-step.ts throws MalformedStepError and the referee REVERTS, it
 * never judges such bytes a step): an unknown opcode, attrs whose length is not the opcode's
 * (the opcode alone fixes where attrs end and the constant begins in the leaf), a constant that
 * is not a canonical encoding, a non-empty constant for RELU/CLIP/ARGMAX. A compiled model never contains an
 * invalid step for inputs in its declared ranges (compile.ts, overflow-proof.ts). (Because
 * exact results must fit int64, ONNX Runtime's wrapping int64 arithmetic gives the same bits.)
 * One more compile-time rule, not a referee rule: ONNX Runtime 1.30's CPU int64 Max and Clip are
 * wrong for values outside int32 (Max(2^31, 0) = 0), so the compiler also proves that every
 * RELU/CLIP input and CLIP bound lies in [−2^31, 2^31) (overflow-proof.ts). The referee keeps
 * exact int64 semantics; the rule only guarantees that honest ORT nodes compute them.
 *
 * ## Steps, leaves, roots
 * Steps are numbered k = 1..n; step k maps t_{k−1} → t_k.
 * Step leaf L_k = keccak256(uint32 k BE ‖ uint8 opcode ‖ attrs ‖ enc(C)).
 * Model tree: leaf index i holds L_{i+1}. Model root = binary Merkle root over the leaves,
 * padded with bytes32(0) to a power of two, parent = keccak256(left ‖ right); one leaf → root =
 * leaf. State hash S_k = keccak256(uint32 k BE ‖ enc(t_k)); S_0 hashes the featurized input
 * (k = 0). Trace root = Merkle root over S_0..S_n (leaf index i = S_i), same tree rule.
 * Merkle proof = the sibling hashes from the leaf level up; its length is exactly the depth
 * ceil(log2(leafCount)) (0 for one leaf); bit j of the index: 0 → parent = keccak(node ‖ sibling),
 * 1 → parent = keccak(sibling ‖ node). A verifier must also require index < leafCount (the padding
 * leaves are zero hashes and prove nothing): leafCount = n for the model tree, n + 1 for a trace.
 *
 * ## Claim
 * commitment = keccak256(abi.encode(bytes32 caseId, bytes32 modelId, bytes32 s0, uint256 output,
 * uint256 steps, bytes32 traceRoot, bytes32 salt)); modelId = keccak256(utf8 "<id>@<version>"),
 * e.g. keccak256("eu261@1.0.0"). output = the value of t_n (1 × 1, the ArgMax class); steps = n.
 */
import { EMPTY_TENSOR, type Tensor } from './tensor.js';

/** The opcode table (uint8); reference.ts and LibOneStep follow this order. */
export const Opcode = {
  MATMUL: 1,
  ADD: 2,
  MUL: 3,
  DIV: 4,
  RELU: 5,
  CLIP: 6,
  ARGMAX: 7,
} as const;
export type OpName = keyof typeof Opcode;
export type OpcodeValue = (typeof Opcode)[OpName];

export const OP_NAMES = Object.keys(Opcode) as OpName[];
export const opName = (code: number): OpName | undefined => OP_NAMES.find((n) => Opcode[n] === code);

/** One step of the IR. Ops with a constant carry it; CLIP carries its bounds as attrs. */
export type Step =
  | { op: 'MATMUL' | 'ADD' | 'MUL' | 'DIV'; constant: Tensor }
  | { op: 'RELU' | 'ARGMAX' }
  | { op: 'CLIP'; min: bigint; max: bigint };

/** A model: the input width F (input is 1 × F) and its steps, step k = steps[k − 1]. */
export interface ModelIR {
  inputWidth: number;
  steps: Step[];
}

/** The constant C of a step as it enters the step leaf (the empty tensor for RELU/CLIP/ARGMAX). */
export const stepConstant = (step: Step): Tensor => ('constant' in step ? step.constant : EMPTY_TENSOR);

/** The attr bytes of a step: CLIP's min ‖ max as int64 BE, nothing for the others. */
export function stepAttrs(step: Step): Uint8Array {
  if (step.op !== 'CLIP') return new Uint8Array(0);
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, step.min);
  v.setBigInt64(8, step.max);
  return b;
}
