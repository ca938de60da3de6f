// One case through a model, as a committee node does it (PROTOCOL.md §2, §3): run ONNX Runtime
// for the full trace, hash every state, root them. Everything the claim and a later dispute need.
import { bytesToHex } from './hex.js';
import { merkleRoot } from './merkle.js';
import type { ModelRunner } from './runner.js';
import type { Tensor } from './tensor.js';
import { stateHashes } from './trace-root.js';

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

export async function executeModel(runner: ModelRunner, input: Tensor): Promise<Execution> {
  const { trace, output } = await runner.run(input);
  if (output.rows !== 1 || output.cols !== 1 || output.data[0] < 0n) {
    throw new RangeError(`the model's last state is ${output.rows}×${output.cols}, not a 1×1 class`);
  }
  const hashes = stateHashes(trace);
  return {
    trace,
    hashes,
    s0: bytesToHex(hashes[0]),
    traceRoot: bytesToHex(merkleRoot(hashes)),
    steps: trace.length - 1,
    output: output.data[0],
  };
}
