// The fast path (PROTOCOL.md §1): ONNX Runtime runs the model and returns every step's output.
// One InferenceSession per model, created once and reused; one intra-op thread (integer results
// do not depend on threading, but one thread is faster for these small graphs and keeps a
// node's cores for the other jobs).
import ort from 'onnxruntime-node';
import type { Tensor } from './tensor.js';
import { shapeOf } from './tensor.js';
import { stateName } from './onnx-writer.js';

export interface RunResult {
  /** t_0..t_n: the input and every step's output. */
  trace: Tensor[];
  /** t_n */
  output: Tensor;
}

export interface ModelRunner {
  readonly steps: number;
  readonly inputWidth: number;
  run(input: Tensor): Promise<RunResult>;
  close(): Promise<void>;
}

export async function createRunner(onnxBytes: Uint8Array): Promise<ModelRunner> {
  const session = await ort.InferenceSession.create(onnxBytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  const outputs = session.outputNames;
  const steps = outputs.length;
  outputs.forEach((name, i) => {
    if (name !== stateName(i + 1)) throw new Error(`graph output ${i} is ${name}, expected ${stateName(i + 1)}`);
  });
  const inputName = stateName(0);
  const inputMeta = session.inputMetadata?.[0] as { shape?: (number | string)[] } | undefined;
  const inputWidth = Number(inputMeta?.shape?.[1] ?? NaN);

  return {
    steps,
    inputWidth,
    async run(input: Tensor): Promise<RunResult> {
      if (input.rows !== 1 || (Number.isFinite(inputWidth) && input.cols !== inputWidth)) {
        throw new RangeError(`input ${shapeOf(input)} is not 1×${inputWidth}`);
      }
      const feeds = { [inputName]: new ort.Tensor('int64', input.data, [input.rows, input.cols]) };
      const res = await session.run(feeds);
      const trace = new Array<Tensor>(steps + 1);
      trace[0] = input;
      for (let k = 0; k < steps; k++) {
        const t = res[outputs[k]];
        trace[k + 1] = { rows: Number(t.dims[0]), cols: Number(t.dims[1]), data: t.data as BigInt64Array };
      }
      return { trace, output: trace[steps] };
    },
    close: () => session.release(),
  };
}
