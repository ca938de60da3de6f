// The shipped Visa and Mastercard models against LAW.md's oracles and against the reference
// interpreter (PROTOCOL.md §1: ONNX Runtime and the reference agree bit for bit).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mastercardOracle } from '../../../../arbitration-models/card-law/mastercard-oracle.js';
import { visaOracle } from '../../../../arbitration-models/card-law/visa-oracle.js';
import type { CardCase } from '../../../../arbitration-models/card-law/card-case.js';
import { validateCaseRecord } from '../../../../server/cases/validate.js';
import { readOnnx } from '../../../../server/inference/onnx-reader.js';
import { proveNoOverflow } from '../../../../server/inference/overflow-proof.js';
import { runReference } from '../../../../server/inference/reference.js';
import { tensorEquals, type Tensor } from '../../../../server/inference/tensor.js';
import { readEvalSet } from '../../../../server/models/evaluate.js';
import { loadModel } from '../../../../server/models/load.js';
import { MODELS_ROOT } from '../../../../server/models/registry.js';
import { decideWithModel } from '../../../../server/verdicts/decide.js';

const MODELS = [
  { id: 'visa', oracle: visaOracle },
  { id: 'mastercard', oracle: mastercardOracle },
] as const;

const loaded = await Promise.all(MODELS.map(async (m) => ({ ...m, model: await loadModel(join(MODELS_ROOT, m.id)) })));
afterAll(() => Promise.all(loaded.map((m) => m.model.runner.close())));

describe.each(loaded)('$id model', ({ id, oracle, model }) => {
  const ir = readOnnx(new Uint8Array(readFileSync(join(model.dir, model.card.file))));

  it('decides every public evaluation case as the LAW.md oracle does', async () => {
    const { lines } = await readEvalSet(model.dir, model.definition);
    expect(lines.length).toBeGreaterThan(400);
    const grounds = new Set<string>();
    for (const line of lines) {
      const valid = validateCaseRecord(line.case);
      expect(valid.ok).toBe(true);
      if (!valid.ok) continue;
      const law = oracle(line.case as CardCase);
      expect(line.expected).toEqual(law); // the shipped file is what the oracle says today
      const result = await decideWithModel(valid.record, model);
      if (!result.ok) throw new Error(`${line.note ?? ''}: ${result.error.message}`);
      const { outcome, award, grounds: g, review } = result.verdict;
      expect({ outcome, award, grounds: g, review }, line.note ?? (line.case as CardCase).ref).toEqual(law);
      grounds.add(`${g[0]}${review ? '!' : ''}`);
    }
    expect(grounds.size).toBe(model.card.classes.length); // every class is exercised
  });

  it('runs bit for bit as the reference interpreter on the evaluation set', async () => {
    const { lines } = await readEvalSet(model.dir, model.definition);
    for (const line of lines) {
      const valid = validateCaseRecord(line.case);
      if (!valid.ok) continue;
      const x = model.definition.featurizer.featurize(valid.record);
      const input: Tensor = { rows: 1, cols: x.length, data: x };
      const { trace } = await model.runner.run(input);
      const reference = runReference(ir, input);
      expect(trace.length).toBe(reference.length);
      trace.forEach((t, k) => expect(tensorEquals(t, reference[k]), `step ${k}`).toBe(true));
    }
  });

  it('runs bit for bit as the reference interpreter on random inputs across the declared ranges', async () => {
    const features = model.definition.featurizer.features;
    const row = fc.tuple(...features.map((f) => fc.bigInt({ min: f.min, max: f.max })));
    await fc.assert(
      fc.asyncProperty(row, async (values) => {
        const input: Tensor = { rows: 1, cols: values.length, data: BigInt64Array.from(values) };
        const { trace } = await model.runner.run(input);
        const reference = runReference(ir, input);
        return trace.length === reference.length && trace.every((t, k) => tensorEquals(t, reference[k]));
      }),
      { numRuns: 2000, seed: id.length },
    );
  });

  it('keeps every RELU input inside ±(2^31 − 1) over the declared ranges (ORT 1.30 int64 Max is wrong in [2^31, 2^32))', () => {
    const intervals = proveNoOverflow(ir, model.definition.featurizer.features);
    ir.steps.forEach((step, k) => {
      if (step.op !== 'RELU' && step.op !== 'CLIP') return;
      for (const { lo, hi } of intervals[k]) expect(lo >= -(2n ** 31n - 1n) && hi <= 2n ** 31n - 1n, `step ${k + 1}`).toBe(true);
    });
  });

  it('records a complete public evaluation and an honest training note in its card', () => {
    const ev = model.card.evaluation as { cases: number; agreed: number };
    expect(ev.agreed).toBe(ev.cases);
    expect(String(model.card.training.method)).toMatch(/None learned/);
  });
});
