// Generates the shared test vectors of PROTOCOL.md §2–§3 under contracts/test-vectors/ (format:
// contracts/test-vectors/README.md). The Solidity referee checks itself against these on anvil; a
// unit test asserts the committed files equal a fresh generation.
//   npx tsx server/inference/test-vectors.ts     (rewrites the files)
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimCommitment, modelIdOf } from './claim-commitment.js';
import { bytesToHex } from './hex.js';
import { keccak256 } from './keccak.js';
import { merkleDepth, merkleProof, merkleRoot } from './merkle.js';
import { modelRoot, stepLeaf, stepLeaves } from './model-root.js';
import { MalformedStepError, oneStep } from './one-step.js';
import { Opcode, stepAttrs, stepConstant, type ModelIR, type Step } from './ops.js';
import { InvalidStepError, runReference } from './reference.js';
import { EMPTY_TENSOR, INT64_MAX, INT64_MIN, rowVector, tensor, type Tensor } from './tensor.js';
import { encodeTensor, valueWidth } from './tensor-encoding.js';
import { stateHash, stateHashes } from './trace-root.js';

export const TEST_VECTOR_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../contracts/test-vectors');

const hex = bytesToHex;
const encHex = (t: Tensor) => hex(encodeTensor(t));
const values = (t: Tensor) => Array.from(t.data, (v) => v.toString());
const utf8 = (s: string) => new TextEncoder().encode(s);
const mat = (rows: number, cols: number, vals: (bigint | number)[]) => tensor(rows, cols, vals);

function encodingVectors() {
  const cases: [string, Tensor][] = [
    ['empty 0x0 tensor has width 1', EMPTY_TENSOR],
    ['-128 and 127 fit one byte', rowVector([-128n, 127n])],
    ['128 needs two bytes', rowVector([128n])],
    ['-129 needs two bytes', rowVector([-129n])],
    ['-32768 and 32767 fit two bytes', rowVector([-32768n, 32767n])],
    ['-32769 needs four bytes', rowVector([-32769n])],
    ['32768 needs four bytes', rowVector([32768n, 0n])],
    ['2^31 - 1 and -2^31 fit four bytes', rowVector([2n ** 31n - 1n, -(2n ** 31n)])],
    ['2^31 needs eight bytes', rowVector([2n ** 31n])],
    ['int64 min and max', rowVector([INT64_MIN, INT64_MAX])],
    ['-1 in eight bytes is all ones', rowVector([-1n, INT64_MAX])],
    ['row-major 2x3 matrix', mat(2, 3, [1, -2, 3, -4, 5, -6])],
    ['1x1 zero', rowVector([0n])],
    ['1x0 tensor', tensor(1, 0, [])],
  ];
  return cases.map(([name, t]) => ({ name, rows: t.rows, cols: t.cols, values: values(t), width: valueWidth(t.data), enc: encHex(t) }));
}

function stateHashVectors() {
  const cases: [string, number, Tensor][] = [
    ['S_0 of a small input', 0, rowVector([1n, 2n, 3n])],
    ['step 1, two-byte values', 1, rowVector([300n, -1n])],
    ['step 256 (k uses all of its 4 bytes big-endian)', 256, rowVector([INT64_MIN])],
    ['step 70000', 70000, rowVector([5n])],
    ['empty tensor', 3, EMPTY_TENSOR],
  ];
  return cases.map(([name, k, t]) => ({ name, k, enc: encHex(t), hash: hex(stateHash(k, t)) }));
}

function merkleVectors() {
  return [1, 2, 3, 5, 8].map((n) => {
    const leaves = Array.from({ length: n }, (_, i) => keccak256(utf8(`leaf-${i}`)));
    return {
      name: `${n} leaves`,
      leafCount: n,
      depth: merkleDepth(n),
      leaves: leaves.map(hex),
      root: hex(merkleRoot(leaves)),
      proofs: leaves.map((leaf, index) => ({ index, leaf: hex(leaf), proof: merkleProof(leaves, index).map(hex) })),
    };
  });
}

function stepJson(k: number, step: Step) {
  return { k, op: step.op, opcode: Opcode[step.op], attrs: hex(stepAttrs(step)), constant: encHex(stepConstant(step)), leaf: hex(stepLeaf(k, step)) };
}

const SAMPLE_STEPS: Step[] = [
  { op: 'MATMUL', constant: mat(3, 2, [1, -1, 2, 0, -3, 1]) },
  { op: 'ADD', constant: rowVector([10n, -10n]) },
  { op: 'MUL', constant: rowVector([3n, 1000n]) },
  { op: 'DIV', constant: rowVector([2n, 7n]) },
  { op: 'RELU' },
  { op: 'CLIP', min: -5n, max: 50n },
  { op: 'MATMUL', constant: mat(2, 3, [1, 0, 1, 0, 1, 1]) },
  { op: 'ARGMAX' },
];

function modelRootVectors() {
  return [1, 2, 3, 5, 8].map((n) => {
    const steps = SAMPLE_STEPS.slice(SAMPLE_STEPS.length - n);
    const leaves = stepLeaves(steps);
    return {
      name: `${n}-step model`,
      leafCount: n,
      depth: merkleDepth(n),
      root: hex(modelRoot(steps)),
      steps: steps.map((s, i) => ({ ...stepJson(i + 1, s), proof: merkleProof(leaves, i).map(hex) })),
    };
  });
}

function traceVectors() {
  const model: ModelIR = { inputWidth: 3, steps: SAMPLE_STEPS };
  const trace = runReference(model, rowVector([4n, -3n, 7n]));
  const hashes = stateHashes(trace);
  return [
    {
      name: '8-step sample model on [4, -3, 7]',
      modelRoot: hex(modelRoot(model.steps)),
      steps: model.steps.map((s, i) => stepJson(i + 1, s)),
      states: trace.map((t, k) => ({ k, values: values(t), enc: encHex(t), hash: hex(hashes[k]), proof: merkleProof(hashes, k).map(hex) })),
      leafCount: hashes.length,
      depth: merkleDepth(hashes.length),
      traceRoot: hex(merkleRoot(hashes)),
      output: trace[trace.length - 1].data[0].toString(),
    },
  ];
}

type RawStep = { opcode: number; attrs: Uint8Array; constant: Uint8Array };
const raw = (s: Step): RawStep => ({ opcode: Opcode[s.op], attrs: stepAttrs(s), constant: encodeTensor(stepConstant(s)) });
const MAX = INT64_MAX;
const MIN = INT64_MIN;

/** [name, k, t_lo, step]; validity and t_hi come from the reference, never written by hand. */
function oneStepCases(): [string, number, Tensor, RawStep][] {
  const v = rowVector;
  return [
    ['MATMUL 1x3 by 3x2 with negatives', 1, v([4n, -3n, 7n]), raw(SAMPLE_STEPS[0])],
    ['MATMUL result exactly int64 max', 2, v([MAX]), raw({ op: 'MATMUL', constant: mat(1, 1, [1]) })],
    ['MATMUL result exactly int64 min', 2, v([MIN, 0n]), raw({ op: 'MATMUL', constant: mat(2, 1, [1, 5]) })],
    ['MATMUL partial sums leave int64, exact sum fits (valid)', 3, v([MAX, MAX, MIN]), raw({ op: 'MATMUL', constant: mat(3, 1, [1, 1, 1]) })],
    ['MATMUL 1x2 by 2x1 overflow above int64 max is invalid', 3, v([MAX, 1n]), raw({ op: 'MATMUL', constant: mat(2, 1, [1, 1]) })],
    ['MATMUL overflow below int64 min is invalid', 3, v([MIN]), raw({ op: 'MATMUL', constant: mat(1, 1, [-1]) })],
    ['MATMUL product of two large values overflows', 1, v([2n ** 32n]), raw({ op: 'MATMUL', constant: mat(1, 1, [2n ** 31n]) })],
    ['MATMUL inner dimension mismatch is invalid', 1, v([1n, 2n]), raw({ op: 'MATMUL', constant: mat(3, 1, [1, 1, 1]) })],
    ['MATMUL widens the output encoding', 4, v([100n, 100n]), raw({ op: 'MATMUL', constant: mat(2, 2, [100, -100, 1, 0]) })],
    ['ADD same shape', 2, v([1n, 2n, 3n]), raw({ op: 'ADD', constant: v([-1n, 125n, -3n]) })],
    ['ADD 127 + 1 widens to two bytes', 2, v([127n]), raw({ op: 'ADD', constant: v([1n]) })],
    ['ADD reaching int64 max exactly', 2, v([MAX - 1n]), raw({ op: 'ADD', constant: v([1n]) })],
    ['ADD overflow above int64 max is invalid', 2, v([MAX]), raw({ op: 'ADD', constant: v([1n]) })],
    ['ADD overflow below int64 min is invalid', 2, v([MIN]), raw({ op: 'ADD', constant: v([-1n]) })],
    ['ADD shape mismatch is invalid', 2, v([1n, 2n, 3n]), raw({ op: 'ADD', constant: v([1n, 2n]) })],
    ['MUL elementwise with negatives', 3, v([-3n, 4n, MIN]), raw({ op: 'MUL', constant: v([-5n, 0n, 1n]) })],
    ['MUL -1 times int64 max', 3, v([MAX]), raw({ op: 'MUL', constant: v([-1n]) })],
    ['MUL int64 min times -1 is invalid', 3, v([MIN]), raw({ op: 'MUL', constant: v([-1n]) })],
    ['MUL 2^32 times 2^31 is invalid', 3, v([2n ** 32n]), raw({ op: 'MUL', constant: v([2n ** 31n]) })],
    ['DIV -7 / 2 = -3 (truncates toward zero)', 4, v([-7n, 7n, -1n, -8n]), raw({ op: 'DIV', constant: v([2n, 2n, 2n, 2n]) })],
    ['DIV int64 min by 1 and by 2', 4, v([MIN, MIN]), raw({ op: 'DIV', constant: v([1n, 2n]) })],
    ['DIV int64 max by int64 max', 4, v([MAX, -MAX]), raw({ op: 'DIV', constant: v([MAX, MAX]) })],
    ['DIV by zero is invalid (the model is invalid)', 4, v([5n, 6n]), raw({ op: 'DIV', constant: v([3n, 0n]) })],
    ['DIV by a negative constant is invalid', 4, v([5n]), raw({ op: 'DIV', constant: v([-1n]) })],
    ['RELU zeroes negatives', 5, v([-1n, 0n, 1n, MIN, MAX]), raw({ op: 'RELU' })],
    ['RELU with a non-empty constant is invalid', 5, v([-1n]), { opcode: Opcode.RELU, attrs: new Uint8Array(0), constant: encodeTensor(v([0n])) }],
    ['CLIP to [-5, 50]', 6, v([-100n, -5n, 0n, 50n, 51n, MAX]), raw({ op: 'CLIP', min: -5n, max: 50n })],
    ['CLIP to the whole int64 range is the identity', 6, v([MIN, MAX, 0n]), raw({ op: 'CLIP', min: MIN, max: MAX })],
    ['CLIP with min = max', 6, v([-3n, 9n]), raw({ op: 'CLIP', min: 1n, max: 1n })],
    ['CLIP with min > max is invalid', 6, v([0n]), raw({ op: 'CLIP', min: 2n, max: 1n })],
    ['CLIP with 8 attr bytes is invalid', 6, v([0n]), { opcode: Opcode.CLIP, attrs: new Uint8Array(8), constant: encodeTensor(EMPTY_TENSOR) }],
    ['ARGMAX picks the maximum', 7, v([3n, 9n, -2n]), raw({ op: 'ARGMAX' })],
    ['ARGMAX tie: the first maximum wins', 7, v([1n, 9n, 4n, 9n]), raw({ op: 'ARGMAX' })],
    ['ARGMAX all equal gives 0', 7, v([MIN, MIN, MIN]), raw({ op: 'ARGMAX' })],
    ['ARGMAX of one column gives 0', 7, v([MAX]), raw({ op: 'ARGMAX' })],
    ['ARGMAX over zero columns is invalid', 7, tensor(1, 0, []), raw({ op: 'ARGMAX' })],
    ['opcode 0 is invalid', 1, v([1n]), { opcode: 0, attrs: new Uint8Array(0), constant: encodeTensor(EMPTY_TENSOR) }],
    ['opcode 8 is invalid', 1, v([1n]), { opcode: 8, attrs: new Uint8Array(0), constant: encodeTensor(EMPTY_TENSOR) }],
    ['CLIP with 17 attr bytes (a constant byte moved into attrs) is malformed', 6, v([0n]), { opcode: Opcode.CLIP, attrs: new Uint8Array(17), constant: encodeTensor(EMPTY_TENSOR).slice(1) }],
    ['ADD with the first constant byte moved into attrs is malformed', 2, v([1n]), { opcode: Opcode.ADD, attrs: encodeTensor(v([7n])).slice(0, 1), constant: encodeTensor(v([7n])).slice(1) }],
    ['ADD constant in width 2 for one-byte values is malformed', 2, v([1n]), { opcode: Opcode.ADD, attrs: new Uint8Array(0), constant: Uint8Array.from([0, 1, 0, 1, 2, 0, 7]) }],
    ['MATMUL constant with width byte 3 is malformed', 1, v([1n]), { opcode: Opcode.MATMUL, attrs: new Uint8Array(0), constant: Uint8Array.from([0, 1, 0, 1, 3, 0, 0, 7]) }],
    ['MATMUL constant one byte short is malformed', 1, v([1n, 2n]), { opcode: Opcode.MATMUL, attrs: new Uint8Array(0), constant: Uint8Array.from([0, 2, 0, 1, 1, 7]) }],
    ['step number above 65535', 70000, v([-7n]), raw({ op: 'ADD', constant: v([7n]) })],
  ];
}

function oneStepVectors() {
  return oneStepCases().map(([name, k, tLo, s]) => {
    const base = {
      name,
      k,
      opcode: s.opcode,
      attrs: hex(s.attrs),
      constant: hex(s.constant),
      leaf: hex(keccak256(new Uint8Array([k >>> 24, (k >>> 16) & 255, (k >>> 8) & 255, k & 255, s.opcode]), s.attrs, s.constant)),
      tLo: encHex(tLo),
      sLo: hex(stateHash(k - 1, tLo)),
    };
    try {
      const tHi = oneStep(encodeTensor(tLo), s.opcode, s.attrs, s.constant);
      return { ...base, valid: true, tHi: encHex(tHi), tHiValues: values(tHi), sHi: hex(stateHash(k, tHi)) };
    } catch (e) {
      if (!(e instanceof InvalidStepError)) throw e;
      // malformed: the referee reverts (LibOneStep.checkEncoding) instead of returning invalid.
      return { ...base, valid: false, reason: e.reason, ...(e instanceof MalformedStepError ? { malformed: true } : {}) };
    }
  });
}

function claimVectors() {
  const caseId = hex(keccak256(utf8('case-1')));
  const s0 = hex(stateHash(0, rowVector([1n, 2n, 3n])));
  const traceRoot = hex(keccak256(utf8('trace')));
  const salt = hex(keccak256(utf8('salt')));
  return ['eu261@2.0.0', 'visa@1.0.0'].map((modelRef, i) => {
    const claim = { caseId, modelId: modelIdOf(modelRef), s0, output: BigInt(i + 2), steps: 9 + i, traceRoot };
    return { modelRef, ...claim, output: claim.output.toString(), salt, commitment: claimCommitment(claim, salt) };
  });
}

/** File name → JSON value of every vector file. */
export function generateTestVectors(): Record<string, unknown> {
  const note = 'Generated by server/inference/test-vectors.ts; format in README.md. Byte layout: server/inference/ops.ts.';
  return {
    'encoding.json': { note, cases: encodingVectors() },
    'state-hashes.json': { note, cases: stateHashVectors() },
    'merkle.json': { note, cases: merkleVectors() },
    'model-roots.json': { note, cases: modelRootVectors() },
    'traces.json': { note, cases: traceVectors() },
    'one-step.json': { note, cases: oneStepVectors() },
    'claims.json': { note, cases: claimVectors() },
  };
}

export const serializeVectors = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

export function writeTestVectors(dir = TEST_VECTOR_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(generateTestVectors()).map(([file, v]) => {
    writeFileSync(join(dir, file), serializeVectors(v));
    return join(dir, file);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of writeTestVectors()) console.log(`wrote ${f}`);
}
