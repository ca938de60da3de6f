// The three shipped flight models, run by ONNX Runtime on their model.onnx: they decide the
// public evaluation sets as LAW.md does (100 % of the rule-determined cases, ≥ 95 % of the
// free-text ones, ≥ 95 % of the independent carrier wordings for EU261/UK261), the reference
// interpreter agrees with ORT on every state of every trace (evaluation sets, random inputs,
// random carrier texts), and each folder verifies against its card.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { evaluateWithOrt, INDEPENDENT_EVAL_FILE, readEval } from '../../../../arbitration-models/flight-law/flight-model.js';
import { randomPhrase } from '../../../../arbitration-models/flight-law/cause-phrases.js';
import type { FlightCaseRecordT } from '../../../../server/cases/schemas.js';
import { seededRandom as rng } from '../../../../arbitration-models/seeded-random.js';
import { verifyFolder } from '../../../../server/cli/model-commands.js';
import { readOnnx } from '../../../../server/inference/onnx-reader.js';
import { runReference } from '../../../../server/inference/reference.js';
import { createRunner, type ModelRunner } from '../../../../server/inference/runner.js';
import { rowVector, tensorEquals } from '../../../../server/inference/tensor.js';
import type { ModelCard } from '../../../../server/models/card.js';
import type { ModelDefinition } from '../../../../server/models/definition.js';

const MODELS = ['eu261', 'uk261', 'us-dot-refund'] as const;

for (const id of MODELS) {
  describe(`${id} model`, () => {
    const dir = fileURLToPath(new URL(`../../../../arbitration-models/${id}/`, import.meta.url));
    const card = JSON.parse(readFileSync(`${dir}card.json`, 'utf8')) as ModelCard;
    const onnx = new Uint8Array(readFileSync(`${dir}model.onnx`));
    let def: ModelDefinition;
    let runner: ModelRunner;

    beforeAll(async () => {
      def = (await import(`../../../../arbitration-models/${id}/model.ts`)).default as ModelDefinition;
      runner = await createRunner(onnx);
    });
    afterAll(async () => {
      await runner?.close();
    });

    it('decides every rule-determined evaluation case as LAW.md and ≥ 95 % of the free-text ones (ONNX Runtime)', async () => {
      const res = await evaluateWithOrt(def as never, onnx, readEval(dir));
      expect(res.ruleDetermined.cases).toBeGreaterThan(300);
      expect(res.ruleDetermined.correct, JSON.stringify(res.failures.filter((f) => !f.note?.startsWith('text')).slice(0, 3))).toBe(res.ruleDetermined.cases);
      if (id !== 'us-dot-refund') {
        expect(res.freeText.cases).toBeGreaterThan(150);
        expect(res.freeText.correct / res.freeText.cases).toBeGreaterThanOrEqual(0.95);
      } else expect(res.freeText.cases).toBe(0);
      // the card states the same numbers
      expect(card.evaluation.ruleDeterminedPercent).toBe(res.ruleDetermined.percent);
      expect(card.evaluation.freeTextPercent).toBe(res.freeText.percent);
    });

    if (id !== 'us-dot-refund') {
      it('decides ≥ 95 % of the independent carrier wordings as LAW.md, naming the kind of cause, as its card states', async () => {
        const res = await evaluateWithOrt(def as never, onnx, readEval(dir, INDEPENDENT_EVAL_FILE));
        expect(res.freeText.cases).toBeGreaterThan(150);
        expect(res.freeText.correct / res.freeText.cases).toBeGreaterThanOrEqual(0.95);
        const claimed = card.evaluation.independent as { freeTextPercent: number; freeTextOutcomePercent: number };
        expect(claimed.freeTextPercent).toBe(res.freeText.percent);
        expect(claimed.freeTextOutcomePercent).toBe(res.freeText.outcomePercent);
      });

      it('matches the reference interpreter on every state for 300 random carrier texts, negations and compounds included', async () => {
        const ir = readOnnx(onnx);
        const r = rng(4242);
        const base = readEval(dir).find((l) => (l.case as FlightCaseRecordT).flight.disruption === 'delay' && l.note?.startsWith('text'))!.case as FlightCaseRecordT;
        for (let n = 0; n < 300; n++) {
          const d = r.pick(['delay', 'cancellation', 'denied_boarding'] as const);
          const a = randomPhrase(d, r.pick(['train', 'eval']), r).text;
          const b = randomPhrase(d, 'eval', r).text;
          const text = r.pick([a, `Not ${a}; ${b}`, `${a} after ${b}`, `${a}, not ${b}`, a.toUpperCase(), a.replace(/e/g, '3')]);
          const record = { ...base, flight: { ...base.flight, disruption: d, carrierStatedCause: text } } as FlightCaseRecordT;
          const x = rowVector(def.featurizer.featurize(record));
          const ort = await runner.run(x);
          const ref = runReference(ir, x);
          ort.trace.forEach((t, k) => expect(tensorEquals(t, ref[k]), `step ${k}: ${text}`).toBe(true));
        }
      });
    }

    it('matches the reference interpreter bit for bit on every state, over the evaluation sets', async () => {
      const ir = readOnnx(onnx);
      const lines = [...readEval(dir), ...(existsSync(`${dir}${INDEPENDENT_EVAL_FILE}`) ? readEval(dir, INDEPENDENT_EVAL_FILE) : [])];
      for (const line of lines) {
        const x = rowVector(def.featurizer.featurize(line.case as never));
        const ort = await runner.run(x);
        const ref = runReference(ir, x);
        expect(ort.trace.length).toBe(ref.length);
        ort.trace.forEach((t, k) => expect(tensorEquals(t, ref[k]), `step ${k}`).toBe(true));
      }
    });

    it('matches the reference interpreter on 300 random inputs across the declared ranges, extremes included', async () => {
      const ir = readOnnx(onnx);
      const r = rng(id.length * 1000 + 7);
      const features = def.featurizer.features;
      const pick = (lo: bigint, hi: bigint): bigint => {
        const w = r.next();
        if (w < 0.15) return lo;
        if (w < 0.3) return hi;
        return lo + BigInt(Math.floor(r.next() * Number(hi - lo + 1n)));
      };
      const inputs = [features.map((f) => f.min), features.map((f) => f.max)];
      for (let n = 0; n < 298; n++) inputs.push(features.map((f) => pick(f.min, f.max)));
      for (const values of inputs) {
        const x = rowVector(values);
        const ort = await runner.run(x);
        const ref = runReference(ir, x);
        ort.trace.forEach((t, k) => expect(tensorEquals(t, ref[k]), `step ${k}`).toBe(true));
        expect(Number(ort.output.data[0])).toBeLessThan(card.classes.length);
      }
    });

    it('verifies against its card: file hash, model root, steps, overflow proof, rebuild, public evaluation', async () => {
      const checks = await verifyFolder(dir.replace(/\/$/, ''));
      expect(checks.filter((c) => !c.ok)).toEqual([]);
      expect(card.classes.map((c) => c.index)).toEqual(card.classes.map((_, i) => i));
    });
  });
}
