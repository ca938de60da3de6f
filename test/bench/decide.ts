// `npm run bench -- decide`: cases per second through the decide path of a filed case (model by
// jurisdiction, featurize, ONNX Runtime with every step's output, state hashes, trace root,
// verdict) against raw `session.run` on the same feature tensors, same models, same run. Also
// reported: the same path with validation of the raw JSON in front (what `arbiter decide` does per
// line; the service validates once at filing), and the trace-hash time per case. Inputs: every shipped model's
// public evaluation set, interleaved. Prints one JSON line; the trace-hash time per case is part
// of it (PROTOCOL.md §2 expects compact encoding + WASM keccak to keep it small next to inference).
import ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateCaseRecord } from '../../server/cases/validate.js';
import { bytesToHex } from '../../server/inference/hex.js';
import { stateName } from '../../server/inference/onnx-writer.js';
import { commitTrace } from '../../server/inference/trace-root.js';
import type { Tensor } from '../../server/inference/tensor.js';
import { readEvalSet } from '../../server/models/evaluate.js';
import { createModelRegistry } from '../../server/models/registry.js';
import { decideCase, decideWithModel } from '../../server/verdicts/decide.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

const registry = createModelRegistry();
const models = await Promise.all(registry.jurisdictions().map((j) => registry.forJurisdiction(j)!));

// Inputs: the evaluation cases of every model, round-robin so consecutive cases change model.
const perModel = await Promise.all(
  models.map(async (m) => {
    const { lines } = await readEvalSet(m.dir, m.definition);
    const session = await ort.InferenceSession.create(new Uint8Array(await readFile(join(m.dir, m.card.file))), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    const items = lines.flatMap((l) => {
      const v = validateCaseRecord(l.case);
      if (!v.ok) return [];
      try {
        return [{ model: m.card.id, json: l.case, record: v.record, features: m.definition.featurizer.featurize(v.record), session }];
      } catch {
        return [];
      }
    });
    return items;
  }),
);
const inputs: (typeof perModel)[number] = [];
for (let i = 0; perModel.some((p) => i < p.length); i++) for (const p of perModel) if (i < p.length) inputs.push(p[i]);

type Rate = { cps: number; cpuCps: number; n: number };

/**
 * Cases per second of wall time, and per second of this process's CPU time, of each function,
 * measured in alternating chunks of CHUNK cases (each function walking the inputs from where its
 * last chunk stopped) until each has had `seconds`: load on the machine that comes and goes hits
 * every function alike, instead of whichever ran during a busy second.
 */
const CHUNK = 100;
async function rates(fns: ((i: number) => Promise<unknown>)[], seconds: number): Promise<Rate[]> {
  for (const fn of fns) for (let i = 0; i < Math.min(200, inputs.length); i++) await fn(i); // warm up
  const acc = fns.map(() => ({ n: 0, ns: 0, cpuUs: 0 }));
  while (acc.some((a) => a.ns < seconds * 1e9)) {
    for (let f = 0; f < fns.length; f++) {
      const a = acc[f];
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < CHUNK; k++, a.n++) await fns[f](a.n % inputs.length);
      a.ns += Number(process.hrtime.bigint() - t0);
      const cpu = process.cpuUsage(cpu0);
      a.cpuUs += cpu.user + cpu.system;
    }
  }
  return acc.map((a) => ({ cps: a.n / (a.ns / 1e9), cpuCps: a.n / (a.cpuUs / 1e6), n: a.n }));
}

const ortRun = (i: number) => {
  const { features, session } = inputs[i];
  return session.run({ [stateName(0)]: new ort.Tensor('int64', features, [1, features.length]) });
};
const decide = async (i: number) => {
  const { record } = inputs[i];
  const r = await decideWithModel(record, await registry.forJurisdiction(record.jurisdiction)!);
  if (!r.ok) throw new Error(`bench input ${i} was not decided: ${r.error.field} ${r.error.message}`);
};
const decideJson = async (i: number) => {
  const r = await decideCase(inputs[i].json, registry);
  if (!r.ok) throw new Error(`bench input ${i} was not decided: ${r.error.field} ${r.error.message}`);
};

// Trace hashing alone, over real traces: the decide path's commitment (state hashes, trace root,
// both as hex the way the verdict carries them).
const traces: Tensor[][] = [];
const traceModel: string[] = [];
for (let i = 0; i < Math.min(inputs.length, 500); i++) {
  const { features, session } = inputs[i];
  const res = await ortRun(i);
  traceModel.push(inputs[i].model);
  traces.push([{ rows: 1, cols: features.length, data: features }, ...session.outputNames.map((name) => {
    const t = res[name];
    return { rows: Number(t.dims[0]), cols: Number(t.dims[1]), data: t.data as BigInt64Array };
  })]);
}
const hashRounds = 5;
/** The fastest of 7 timings of `hashRounds` passes over `set` (the least disturbed by load). */
const hashUs = (set: Tensor[][]): number => {
  let best = Infinity;
  for (let rep = 0; rep < 7; rep++) {
    const start = process.hrtime.bigint();
    for (let r = 0; r < hashRounds; r++) {
      for (const t of set) {
        const c = commitTrace(t);
        bytesToHex(c.stateHashes[0]);
        bytesToHex(c.traceRoot);
      }
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / (hashRounds * set.length));
  }
  return Math.round(best * 100) / 100;
};
const traceHashUs = hashUs(traces);
const traceHashUsByModel = Object.fromEntries(
  models.map((m) => [m.card.id, hashUs(traces.filter((_, i) => traceModel[i] === m.card.id))]),
);

// Raw ORT, decide and decide-with-validation interleaved chunk by chunk (rates above), one case
// in flight at a time for each: session.run of onnxruntime-node 1.30 runs the graph on the JS
// thread (in a setImmediate callback), so more cases in flight overlap nothing.
const [ort1, dec1, val1] = await rates([ortRun, decide, decideJson], SECONDS * 2);
const ortCps = ort1.cps;
const decideCps = dec1.cps;

console.log(
  JSON.stringify({
    bench: 'decide',
    decide_cps: Math.round(decideCps),
    ort_cps: Math.round(ortCps),
    ratio: Math.round((decideCps / ortCps) * 1000) / 1000,
    ratio_cpu_time: Math.round((dec1.cpuCps / ort1.cpuCps) * 1000) / 1000,
    decide_with_validation_cps: Math.round(val1.cps),
    trace_hash_us_per_case: traceHashUs,
    trace_hash_us_by_model: traceHashUsByModel,
    models: models.map((m) => `${m.card.id}@${m.card.version}:${m.card.steps}steps`),
    cases: inputs.length,
    seconds_each: SECONDS * 2,
    in_flight: 1,
    interleaved_chunk: CHUNK,
  }),
);
await Promise.all(perModel.map((p) => p[0]?.session.release()));
process.exit(0);
