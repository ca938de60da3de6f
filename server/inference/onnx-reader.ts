// .onnx bytes → IR, for `model verify` (PROTOCOL.md §1–§2): the model root is recomputed from the
// file itself, so the reader accepts only the restricted form: opset 17, one int64 1 × F input, a
// chain of allowed int64 ops each reading the previous step's output and its own initializers,
// every step's output a graph output. Finally the file must be byte-identical to what
// onnx-writer.ts makes of the parsed IR, so nothing (extra nodes, metadata, other attributes)
// can hide outside what the model root commits to.
import onnxProto from 'onnx-proto';
import { ONNX_OP, OPSET, stateName, writeOnnx } from './onnx-writer.js';
import type { ModelIR, OpName, Step } from './ops.js';
import { tensor, type Tensor } from './tensor.js';

const { onnx } = onnxProto;
type ITensor = onnxProto.onnx.ITensorProto;
const INT64 = onnx.TensorProto.DataType.INT64;

/** Thrown when an .onnx file is outside the verifiable subset; the message says what and where. */
export class OnnxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxFormatError';
  }
}

const fail = (msg: string): never => {
  throw new OnnxFormatError(msg);
};
const num = (v: number | { toNumber(): number } | null | undefined): number =>
  v == null ? NaN : typeof v === 'number' ? v : v.toNumber();

const OP_OF: Record<string, OpName> = Object.fromEntries(Object.entries(ONNX_OP).map(([ir, o]) => [o, ir as OpName]));

function initializerValues(t: ITensor): { dims: number[]; values: bigint[] } {
  if (t.dataType !== INT64) fail(`initializer ${t.name} is not int64`);
  const dims = (t.dims ?? []).map(num);
  if (dims.length > 2) fail(`initializer ${t.name} has rank ${dims.length} > 2`);
  const n = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  if (!raw || raw.length !== n * 8) fail(`initializer ${t.name} needs ${n} int64 values as raw_data`);
  const view = new DataView(raw!.buffer, raw!.byteOffset, raw!.byteLength);
  return { dims, values: Array.from({ length: n }, (_, i) => view.getBigInt64(i * 8, true)) };
}

export function readOnnx(bytes: Uint8Array): ModelIR {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    return fail(`not an ONNX model: ${(e as Error).message}`);
  }
  const opsets = model.opsetImport ?? [];
  if (opsets.length !== 1 || (opsets[0].domain ?? '') !== '' || num(opsets[0].version) !== OPSET) {
    fail(`the model must import exactly the ai.onnx opset ${OPSET}`);
  }
  const g = model.graph ?? fail('no graph');
  if (g!.input?.length !== 1) fail('the graph must have exactly one input');
  const inType = g!.input![0].type?.tensorType;
  const inDims = inType?.shape?.dim?.map((d) => num(d.dimValue)) ?? [];
  if (inType?.elemType !== INT64 || inDims.length !== 2 || inDims[0] !== 1 || !(inDims[1] >= 0)) fail('the input must be int64 [1, F]');
  if (g!.input![0].name !== stateName(0)) fail(`the input must be named ${stateName(0)}`);

  const inits = new Map<string, ITensor>();
  for (const t of g!.initializer ?? []) inits.set(t.name ?? '', t);
  const constant = (name: string | undefined): { dims: number[]; values: bigint[] } =>
    initializerValues(inits.get(name ?? '') ?? fail(`input ${name} is not an initializer`));
  const matrix = (name: string | undefined, k: number): Tensor => {
    const { dims, values } = constant(name);
    if (dims.length !== 2) fail(`step ${k}: constant ${name} must be rank 2`);
    return tensor(dims[0], dims[1], values);
  };
  const scalar = (name: string | undefined, k: number): bigint => {
    const { dims, values } = constant(name);
    if (dims.length !== 0) fail(`step ${k}: ${name} must be a scalar`);
    return values[0];
  };

  const steps: Step[] = (g!.node ?? []).map((node, i): Step => {
    const k = i + 1;
    const op = OP_OF[node.opType ?? ''] ?? fail(`step ${k}: op ${node.opType} is not allowed`);
    if ((node.domain ?? '') !== '') fail(`step ${k}: domain ${node.domain} is not allowed`);
    const inputs = node.input ?? [];
    if (inputs[0] !== stateName(k - 1)) fail(`step ${k} must read ${stateName(k - 1)}, reads ${inputs[0]}`);
    if (node.output?.length !== 1 || node.output[0] !== stateName(k)) fail(`step ${k} must write only ${stateName(k)}`);
    if (op !== 'ARGMAX' && (node.attribute?.length ?? 0) > 0) fail(`step ${k}: ${node.opType} takes no attributes here`);
    const arity = op === 'CLIP' ? 3 : op === 'ARGMAX' ? 1 : 2;
    if (inputs.length !== arity) fail(`step ${k}: ${node.opType} must have ${arity} inputs`);
    switch (op) {
      case 'MATMUL':
      case 'ADD':
      case 'MUL':
      case 'DIV':
        return { op, constant: matrix(inputs[1], k) };
      case 'RELU':
        if (scalar(inputs[1], k) !== 0n) fail(`step ${k}: Max must be against the scalar 0`);
        return { op };
      case 'CLIP':
        return { op, min: scalar(inputs[1], k), max: scalar(inputs[2], k) };
      case 'ARGMAX': {
        const attrs = Object.fromEntries((node.attribute ?? []).map((a) => [a.name, num(a.i)]));
        if (attrs.axis !== 1 || attrs.keepdims !== 1 || attrs.select_last_index !== 0 || Object.keys(attrs).length !== 3) {
          fail(`step ${k}: ArgMax must have axis 1, keepdims 1, select_last_index 0`);
        }
        return { op };
      }
      default:
        return fail(`step ${k}: op ${node.opType} is not allowed`);
    }
  });
  if (steps.length === 0) fail('the model has no steps');
  const ir: ModelIR = { inputWidth: inDims[1], steps };
  const canonical = writeOnnx(ir);
  if (canonical.length !== bytes.length || canonical.some((b, i) => b !== bytes[i])) {
    fail('the file is not in canonical form (extra content beyond the steps, or different metadata)');
  }
  return ir;
}
