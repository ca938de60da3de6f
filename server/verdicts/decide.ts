// The one path from a case record to its verdict, shared by the service and `arbiter decide`:
// validate → the jurisdiction's model → featurize → ONNX Runtime with every step's output →
// state hashes S_0..S_n and trace root (PROTOCOL.md §2) → verdict (assemble.ts).
import { validateCaseRecord } from '../cases/validate.js';
import { FeaturizeError } from '../inference/featurizer.js';
import { bytesToHex } from '../inference/hex.js';
import type { Tensor } from '../inference/tensor.js';
import { commitTrace } from '../inference/trace-root.js';
import type { CaseRecordT } from '../cases/schemas.js';
import { type LoadedModel, ModelLoadError } from '../models/load.js';
import { type ModelRegistry, createModelRegistry } from '../models/registry.js';
import { assembleVerdict } from './assemble.js';
import type { VerdictT } from './schemas.js';

/** Why a record was not decided: the field (RFC 6901 pointer) and a message a person can act on. */
export interface DecideError {
  field: string;
  message: string;
}

export type DecideResult = { ok: true; verdict: VerdictT } | { ok: false; ref: string | null; error: DecideError };

let defaultRegistry: ModelRegistry | undefined;
const registry = (): ModelRegistry => (defaultRegistry ??= createModelRegistry());

const refOf = (input: unknown): string | null => {
  const ref = typeof input === 'object' && input !== null ? (input as { ref?: unknown }).ref : undefined;
  return typeof ref === 'string' ? ref : null;
};

/** Decides one parsed JSON value. Invalid records give `ok: false`; a broken model throws. */
export async function decideCase(input: unknown, models: ModelRegistry = registry()): Promise<DecideResult> {
  const valid = validateCaseRecord(input);
  if (!valid.ok) {
    const first = valid.errors[0];
    return { ok: false, ref: refOf(input), error: { field: first.pointer, message: first.message } };
  }
  const record = valid.record;
  const ref = record.ref ?? null;
  const loading = models.forJurisdiction(record.jurisdiction);
  if (!loading) return { ok: false, ref, error: { field: '/jurisdiction', message: `No model is installed for ${record.jurisdiction}.` } };
  let model: LoadedModel;
  try {
    model = await loading;
  } catch (e) {
    // A folder that fails its checks (sha256, card ≠ definition) decides nothing; other cases go on.
    if (e instanceof ModelLoadError) return { ok: false, ref, error: { field: '/jurisdiction', message: `The ${record.jurisdiction} model cannot be used: ${e.message}` } };
    throw e;
  }
  return decideWithModel(record, model);
}

/**
 * What a node commits to for a case (PROTOCOL.md §2): the trace t_0..t_n, its state hashes
 * S_0..S_n, the trace root and the output class. Node workers (commit–reveal, dissection) read
 * it; the verdict is assembled from it.
 */
export interface CaseExecution {
  trace: Tensor[];
  stateHashes: Uint8Array[];
  traceRoot: Uint8Array;
  /** The ArgMax class: the value of t_n. */
  classIndex: number;
}

/** Featurizes and runs a validated record; a record the featurizer refuses gives its field. */
export async function executeCase(
  record: CaseRecordT,
  model: Pick<LoadedModel, 'definition' | 'runner'>,
): Promise<{ ok: true; execution: CaseExecution } | { ok: false; error: DecideError }> {
  let features: BigInt64Array;
  try {
    features = model.definition.featurizer.featurize(record);
  } catch (e) {
    if (e instanceof FeaturizeError) return { ok: false, error: { field: e.pointer, message: e.message } };
    throw e;
  }
  const { trace, output } = await model.runner.run({ rows: 1, cols: features.length, data: features });
  const { stateHashes, traceRoot } = commitTrace(trace);
  return { ok: true, execution: { trace, stateHashes, traceRoot, classIndex: Number(output.data[0]) } };
}

/** Decides a validated record with a given (loaded) model: execute, then assemble the verdict. */
export async function decideWithModel(
  record: CaseRecordT,
  model: Pick<LoadedModel, 'card' | 'definition' | 'runner'>,
): Promise<DecideResult> {
  const run = await executeCase(record, model);
  if (!run.ok) return { ok: false, ref: record.ref ?? null, error: run.error };
  const { execution } = run;
  return {
    ok: true,
    verdict: assembleVerdict({
      card: model.card,
      classIndex: execution.classIndex,
      record,
      inputHash: bytesToHex(execution.stateHashes[0]),
      traceRoot: bytesToHex(execution.traceRoot),
      steps: execution.trace.length - 1,
    }),
  };
}
