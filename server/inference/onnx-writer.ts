// IR → .onnx bytes (PROTOCOL.md §1): opset 17, int64 everywhere, one node per step, every step's
// output t_k also a graph output so ONNX Runtime returns the whole trace. The bytes are a pure
// function of the IR (no names, timestamps or doc strings beyond fixed ones), so the file's
// sha256 is reproducible and onnx-reader.ts can demand the canonical form back.
import onnxProto from 'onnx-proto';
import type { ModelIR, Step } from './ops.js';
import type { Tensor } from './tensor.js';

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;
type IValueInfo = onnxProto.onnx.IValueInfoProto;

export const OPSET = 17;
export const IR_VERSION = 8;
export const PRODUCER = 'arbiter-inference';
const INT64 = onnx.TensorProto.DataType.INT64;

/** ONNX op for each IR op; RELU is Max(x, 0) because ORT's CPU provider has no int64 Relu. */
export const ONNX_OP = { MATMUL: 'MatMul', ADD: 'Add', MUL: 'Mul', DIV: 'Div', RELU: 'Max', CLIP: 'Clip', ARGMAX: 'ArgMax' } as const;

export const stateName = (k: number): string => `t${k}`;

function initializer(name: string, dims: number[], values: BigInt64Array | bigint[]): ITensor {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v: bigint, i: number) => view.setBigInt64(i * 8, v, true)); // ONNX raw_data is little-endian
  return { name, dims, dataType: INT64, rawData: raw };
}

const matrix = (name: string, t: Tensor): ITensor => initializer(name, [t.rows, t.cols], t.data);
const scalar = (name: string, v: bigint): ITensor => initializer(name, [], [v]);

function valueInfo(name: string, rows: number, cols: number): IValueInfo {
  return { name, type: { tensorType: { elemType: INT64, shape: { dim: [{ dimValue: rows }, { dimValue: cols }] } } } };
}

/** Output shape of each step given the input width; assumes a well-formed model (compile.ts checks). */
export function stateShapes(model: ModelIR): [number, number][] {
  const shapes: [number, number][] = [[1, model.inputWidth]];
  for (const step of model.steps) {
    const [r, c] = shapes[shapes.length - 1];
    shapes.push(step.op === 'MATMUL' ? [r, step.constant.cols] : step.op === 'ARGMAX' ? [r, 1] : [r, c]);
  }
  return shapes;
}

function stepNode(k: number, step: Step, inits: ITensor[]): INode {
  const x = stateName(k - 1);
  const base = { output: [stateName(k)], name: `step${k}`, opType: ONNX_OP[step.op] };
  switch (step.op) {
    case 'MATMUL':
    case 'ADD':
    case 'MUL':
    case 'DIV':
      inits.push(matrix(`c${k}`, step.constant));
      return { ...base, input: [x, `c${k}`] };
    case 'RELU':
      inits.push(scalar(`c${k}`, 0n));
      return { ...base, input: [x, `c${k}`] };
    case 'CLIP':
      inits.push(scalar(`min${k}`, step.min), scalar(`max${k}`, step.max));
      return { ...base, input: [x, `min${k}`, `max${k}`] };
    case 'ARGMAX':
      return {
        ...base,
        input: [x],
        attribute: [
          { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
          { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
          { name: 'select_last_index', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
        ],
      };
  }
}

export function writeOnnx(model: ModelIR): Uint8Array {
  const inits: ITensor[] = [];
  const nodes = model.steps.map((s, i) => stepNode(i + 1, s, inits));
  const shapes = stateShapes(model);
  const graph = {
    name: 'arbiter',
    node: nodes,
    initializer: inits,
    input: [valueInfo(stateName(0), 1, model.inputWidth)],
    output: model.steps.map((_, i) => valueInfo(stateName(i + 1), ...shapes[i + 1])),
  };
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: PRODUCER,
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}
