// One case through a model, as a committee node does it (PROTOCOL.md §2, §3): run ONNX Runtime
// for the full trace, hash every state, root them. Everything the claim and a later dispute need.
import type { FeatureSpec } from './featurizer.js';
import { bytesToHex } from './hex.js';
import type { ModelRunner } from './runner.js';
import type { Tensor } from './tensor.js';
import { commitTrace } from './trace-root.js';

export interface Execution {
  /** t_0..t_n */
  trace: Tensor[];
  /** S_0..S_n (keep them: dissection moves reveal them with proofs, trace-root.ts stateProof) */
  hashes: Uint8Array[];
  /** the claim's fields, 0x-hex */
  s0: string;
  traceRoot: string;
  steps: number;
  /** the ArgMax class: t_n must be 1 × 1 */
  output: bigint;
}

/** Thrown when an input lies outside the featurizer's declared ranges (the overflow proof's premise). */
export class InputRangeError extends RangeError {
  constructor(
    readonly feature: string,
    readonly value: bigint,
    message = `feature ${feature} = ${value} is outside its declared range`,
  ) {
    super(message);
    this.name = 'InputRangeError';
  }
}

/**
 * Refuses an input that is not 1 × features.length or has a value outside its feature's declared
 * range, exactly the inputs the chain refuses (Arbitration.inputValid, issue 8 #7): a node facing
 * one proves it with refuseInput rather than running it.
 */
export function checkInputRange(input: Tensor, features: readonly FeatureSpec[]): void {
  if (features.length !== input.cols || input.rows !== 1) throw new InputRangeError('shape', BigInt(input.rows * 0x10000 + input.cols), `input is ${input.rows}×${input.cols}, features ${features.length}`);
  features.forEach((f, i) => {
    const v = input.data[i];
    if (v < f.min || v > f.max) throw new InputRangeError(f.name, v);
  });
}

/**
 * Runs one case. With `features`, refuses an input outside the declared ranges first: only there
 * does the overflow proof hold, and outside it ONNX Runtime would wrap where the referee says
 * INVALID (PROTOCOL.md §1).
 */
export async function executeModel(runner: ModelRunner, input: Tensor, features?: readonly FeatureSpec[]): Promise<Execution> {
  if (features) checkInputRange(input, features);
  const { trace, output } = await runner.run(input);
  if (output.rows !== 1 || output.cols !== 1 || output.data[0] < 0n) {
    throw new RangeError(`the model's last state is ${output.rows}×${output.cols}, not a 1×1 class`);
  }
  const { stateHashes: hashes, traceRoot } = commitTrace(trace);
  return {
    trace,
    hashes,
    s0: bytesToHex(hashes[0]),
    traceRoot: bytesToHex(traceRoot),
    steps: trace.length - 1,
    output: output.data[0],
  };
}
