import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModel, ModelCompileError } from '../../../server/inference/compile.js';
import type { FeatureSpec } from '../../../server/inference/featurizer.js';
import { runReference } from '../../../server/inference/reference.js';
import { ruleModel, RuleModelError } from '../../../server/inference/rule-layers.js';
import { createRunner } from '../../../server/inference/runner.js';
import { rowVector } from '../../../server/inference/tensor.js';

const spec = (name: string, min: number, max: number): FeatureSpec => ({ name, min: BigInt(min), max: BigInt(max) });
const TEXT = 8;
const features: FeatureSpec[] = [
  spec('delay_minutes', 0, 2000),
  spec('distance_km', 0, 10000),
  spec('extraordinary', 0, 1),
  spec('cancelled', 0, 1),
  spec('notice_days', 0, 60),
  spec('temperature', -50, 50),
  ...Array.from({ length: TEXT }, (_, i) => spec(`text_${i}`, 0, 5)),
];
const textWeights = [3, -2, 1, 0, 4, -1, 2, -3];
const classWeights = [
  [1, 0, 0, 2, 0, 1, 0, 0],
  [0, 2, 1, 0, 0, 0, 3, 0],
  [2, 0, 0, 0, 1, 0, 0, 2],
];

/** The same law written directly in TypeScript, independent of the builder. */
function direct(x: bigint[], fallback: 'default' | 'scores'): bigint {
  const [delay, distance, extraordinary, cancelled, notice, temp] = x;
  const text = x.slice(6);
  const textScore = text.reduce((s, v, i) => s + v * BigInt(textWeights[i]), 0n) - 1n;
  const disrupted = delay >= 180n || cancelled === 1n;
  if (extraordinary === 1n) return 0n;
  if (cancelled === 1n && notice >= 14n) return 0n;
  if (disrupted && distance <= 1500n) return 1n;
  if (disrupted && distance > 1500n && distance <= 3500n) return 2n;
  if (disrupted && distance > 3500n) return 3n;
  if (textScore >= 4n && temp < 0n) return 4n;
  if (temp === -3n || (delay === 90n && !(distance < 100n))) return 5n;
  if (fallback === 'default') return 0n;
  const scores = classWeights.map((w) => text.reduce((s, v, i) => s + v * BigInt(w[i]), 0n));
  let best = 0;
  for (let c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
  return BigInt(best);
}

function build(fallback: 'default' | 'scores') {
  const b = ruleModel(features);
  const text = Object.fromEntries(textWeights.map((w, i) => [`text_${i}`, w]));
  const textScore = b.linear(text, -1);
  const disrupted = b.or(b.ge('delay_minutes', 180), b.flag('cancelled'));
  const scores = classWeights.map((w) => b.linear(Object.fromEntries(w.map((v, i) => [`text_${i}`, v]))));
  return {
    b,
    ir: b.decisionList([
      { when: b.flag('extraordinary'), class: 0 },
      { when: b.and('cancelled', b.ge('notice_days', 14)), class: 0 },
      { when: b.and(disrupted, b.le('distance_km', 1500)), class: 1 },
      { when: b.and(disrupted, b.between('distance_km', 1501, 3500)), class: 2 },
      { when: b.and(disrupted, b.gt('distance_km', 3500)), class: 3 },
      { when: b.and(b.ge(textScore, 4), b.lt('temperature', 0)), class: 4 },
      { when: b.or(b.eq('temperature', -3), b.and(b.eq('delay_minutes', 90), b.not(b.lt('distance_km', 100)))), class: 5 },
      fallback === 'default' ? { default: 0 } : { argmaxOf: scores },
    ], { classes: 6 }),
  };
}

/** Inputs that sit on and around every threshold, plus anything in range. */
const inputArb = fc.tuple(
  fc.oneof(fc.constantFrom(0, 89, 90, 91, 179, 180, 181, 2000), fc.integer({ min: 0, max: 2000 })),
  fc.oneof(fc.constantFrom(0, 99, 100, 1500, 1501, 3500, 3501, 10000), fc.integer({ min: 0, max: 10000 })),
  fc.integer({ min: 0, max: 1 }),
  fc.integer({ min: 0, max: 1 }),
  fc.oneof(fc.constantFrom(13, 14, 15), fc.integer({ min: 0, max: 60 })),
  fc.oneof(fc.constantFrom(-50, -4, -3, -2, -1, 0, 50), fc.integer({ min: -50, max: 50 })),
  fc.array(fc.integer({ min: 0, max: 5 }), { minLength: TEXT, maxLength: TEXT }),
).map(([d, km, e, c, n, t, text]) => [d, km, e, c, n, t, ...text].map(BigInt));

describe('rule layers', () => {
  for (const fallback of ['default', 'scores'] as const) {
    it(`decision list (${fallback} fallback) › ORT output equals direct evaluation of the rules`, async () => {
      const { ir } = build(fallback);
      const compiled = compileModel(ir, features);
      expect(compiled.steps).toBeLessThanOrEqual(11);
      const runner = await createRunner(compiled.onnx);
      const seen = new Set<bigint>();
      await fc.assert(
        fc.asyncProperty(inputArb, async (x) => {
          const { output, trace } = await runner.run(rowVector(x));
          const want = direct(x, fallback);
          expect(output.data[0]).toBe(want);
          expect(trace[trace.length - 1].data[0]).toBe(runReference(compiled.ir, rowVector(x)).at(-1)!.data[0]);
          seen.add(want);
        }),
        { seed: 261, numRuns: 400 },
      );
      await runner.close();
      expect(seen.size).toBeGreaterThanOrEqual(5); // the inputs exercised most rules
    });
  }

  it('decision list › with 40 rules and a wide fallback (an extra first-match layer, not 2^40 weights) the first true rule wins', async () => {
    const b = ruleModel(features);
    const thresholds = Array.from({ length: 40 }, (_, i) => 2000 - 45 * i);
    const scoreWeights = [
      [100, -100, 50, 0, 0, 0, 0, 0],
      [0, 0, 0, 100, 100, -50, 0, 0],
    ];
    const scores = scoreWeights.map((w) => b.linear(Object.fromEntries(w.map((v, i) => [`text_${i}`, v]))));
    const ir = b.decisionList([...thresholds.map((t, i) => ({ when: b.ge('delay_minutes', t), class: 2 + (i % 5) })), { argmaxOf: scores }]);
    const compiled = compileModel(ir, features);
    const plain = b.decisionList([{ when: b.ge('delay_minutes', 2000), class: 2 }, { argmaxOf: scores }]);
    expect(compiled.steps).toBe(plain.steps.length + 2); // one more MATMUL + RELU layer
    const runner = await createRunner(compiled.onnx);
    await fc.assert(
      fc.asyncProperty(inputArb, async (x) => {
        const first = thresholds.findIndex((t) => x[0] >= BigInt(t));
        const s = scoreWeights.map((w) => w.reduce((acc, v, i) => acc + BigInt(v) * x[6 + i], 0n));
        const want = first >= 0 ? BigInt(2 + (first % 5)) : s[1] > s[0] ? 1n : 0n;
        expect((await runner.run(rowVector(x))).output.data[0]).toBe(want);
      }),
      { seed: 40, numRuns: 300 },
    );
    await runner.close();
  });

  it('random formulas › AND/OR/NOT trees over comparisons compile, through ORT, to their plain boolean meaning', async () => {
    type F =
      | { cmp: 'ge' | 'le' | 'gt' | 'lt' | 'eq'; f: number; t: number }
      | { flag: 2 | 3 }
      | { not: F }
      | { and: F[] }
      | { or: F[] };
    const numeric = [0, 1, 4, 5]; // delay, distance, notice, temperature
    const leaf: fc.Arbitrary<F> = fc.oneof(
      fc.record({ cmp: fc.constantFrom('ge', 'le', 'gt', 'lt', 'eq'), f: fc.constantFrom(...numeric), t: fc.integer({ min: -60, max: 2100 }) }) as fc.Arbitrary<F>,
      fc.record({ flag: fc.constantFrom(2, 3) }) as fc.Arbitrary<F>,
    );
    const formula = fc.letrec<{ f: F }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        tie('f').map((x): F => ({ not: x })),
        fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((xs): F => ({ and: xs })),
        fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((xs): F => ({ or: xs })),
      ),
    })).f;
    const meaning = (g: F, x: bigint[]): boolean => {
      if ('cmp' in g) {
        const v = x[g.f];
        const t = BigInt(g.t);
        return g.cmp === 'ge' ? v >= t : g.cmp === 'le' ? v <= t : g.cmp === 'gt' ? v > t : g.cmp === 'lt' ? v < t : v === t;
      }
      if ('flag' in g) return x[g.flag] === 1n;
      if ('not' in g) return !meaning(g.not, x);
      if ('and' in g) return g.and.every((h) => meaning(h, x));
      return g.or.some((h) => meaning(h, x));
    };
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(formula, { minLength: 1, maxLength: 4 }), fc.array(inputArb, { minLength: 20, maxLength: 20 }), async (rules, inputs) => {
        const b = ruleModel(features);
        const build = (g: F): ReturnType<typeof b.ge> => {
          if ('cmp' in g) return b[g.cmp](features[g.f].name, g.t);
          if ('flag' in g) return b.flag(features[g.flag].name);
          if ('not' in g) return b.not(build(g.not));
          if ('and' in g) return b.and(...g.and.map(build));
          return b.or(...g.or.map(build));
        };
        const ir = b.decisionList([...rules.map((g, i) => ({ when: build(g), class: i + 1 })), { default: 0 }]);
        let compiled;
        try {
          compiled = compileModel(ir, features);
        } catch (e) {
          if (e instanceof ModelCompileError && /bound/.test(e.message)) return; // a deep random tree may be too wide for one step
          throw e;
        }
        const runner = await createRunner(compiled.onnx);
        for (const x of inputs) {
          const first = rules.findIndex((g) => meaning(g, x));
          expect((await runner.run(rowVector(x))).output.data[0]).toBe(BigInt(first + 1));
        }
        await runner.close();
        checked++;
      }),
      { seed: 99, numRuns: 60 },
    );
    expect(checked).toBeGreaterThan(50);
  });

  it('predicates › evaluate to exactly 0 or 1 and match their meaning', () => {
    const b = ruleModel(features);
    fc.assert(
      fc.property(inputArb, fc.integer({ min: -60, max: 60 }), (x, t) => {
        const temp = x[5];
        const T = BigInt(t);
        expect(b.evaluate(b.ge('temperature', t), x)).toBe(temp >= T ? 1n : 0n);
        expect(b.evaluate(b.lt('temperature', t), x)).toBe(temp < T ? 1n : 0n);
        expect(b.evaluate(b.eq('temperature', t), x)).toBe(temp === T ? 1n : 0n);
        expect(b.evaluate(b.between('temperature', t, t + 5), x)).toBe(temp >= T && temp <= T + 5n ? 1n : 0n);
        const p = b.ge('temperature', t);
        const q = b.flag('cancelled');
        expect(b.evaluate(b.and(p, q), x)).toBe(temp >= T && x[3] === 1n ? 1n : 0n);
        expect(b.evaluate(b.or(p, q), x)).toBe(temp >= T || x[3] === 1n ? 1n : 0n);
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it('builder › uses a [1, 1] feature as the constant column instead of an ADD step', () => {
    const withOne = [...features, spec('one', 1, 1)];
    const plain = ruleModel(features);
    const folded = ruleModel(withOne);
    const a = plain.decisionList([{ when: plain.ge('delay_minutes', 180), class: 1 }, { default: 0 }]);
    const b = folded.decisionList([{ when: folded.ge('delay_minutes', 180), class: 1 }, { default: 0 }]);
    expect(a.steps.map((s) => s.op)).toEqual(['MATMUL', 'ADD', 'RELU', 'MATMUL', 'ARGMAX']);
    expect(b.steps.map((s) => s.op)).toEqual(['MATMUL', 'RELU', 'MATMUL', 'ARGMAX']);
    for (const delay of [0n, 179n, 180n, 2000n]) {
      const x = [delay, ...Array(features.length - 1).fill(0n)];
      expect(runReference(b, rowVector([...x, 1n])).at(-1)!.data[0]).toBe(delay >= 180n ? 1n : 0n);
    }
  });

  it('builder › a list over flags alone needs no ReLU layer: MATMUL, ADD, ARGMAX', () => {
    const b = ruleModel(features);
    const ir = b.decisionList([{ when: b.flag('extraordinary'), class: 2 }, { when: b.not('cancelled'), class: 1 }, { default: 0 }]);
    expect(ir.steps.map((s) => s.op)).toEqual(['MATMUL', 'ADD', 'ARGMAX']);
    for (const [e, c] of [[0n, 0n], [0n, 1n], [1n, 0n], [1n, 1n]]) {
      const x = [0n, 0n, e, c, ...Array(features.length - 4).fill(0n)];
      expect(runReference(ir, rowVector(x)).at(-1)!.data[0]).toBe(e === 1n ? 2n : c === 0n ? 1n : 0n);
    }
  });

  it('builder › refuses a non-boolean operand to and/or/not and an unknown feature', () => {
    const b = ruleModel(features);
    expect(() => b.and('delay_minutes', 'cancelled')).toThrow(RuleModelError);
    expect(() => b.not(b.linear({ text_0: 2 }))).toThrow(RuleModelError);
    expect(() => b.ge('nope', 1)).toThrow(/unknown feature/);
    expect(() => b.decisionList([{ when: b.flag('cancelled'), class: 1 }])).toThrow(/ends with/);
  });
});
