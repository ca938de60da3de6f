import { describe, expect, it } from 'vitest';
import { compileDecisionList, evaluateDecisionList, is, not, type DecisionList } from '../../../../arbitration-models/flight-law/decision-list.js';
import { seededRandom as rng } from '../../../../arbitration-models/seeded-random.js';
import { runReference } from '../../../../server/inference/reference.js';
import { rowVector } from '../../../../server/inference/tensor.js';

const argmaxOf = (list: DecisionList, x: bigint[]): number => {
  const trace = runReference(compileDecisionList(list), rowVector(x));
  return Number(trace[trace.length - 1].data[0]);
};

function randomList(seed: number, width: number, wide: boolean): DecisionList {
  const r = rng(seed);
  const predicates = Array.from({ length: 6 }, (_, i) => ({
    name: `p${i}`,
    terms:
      wide && i === 0
        ? Array.from({ length: width }, (_, f) => ({ feature: f, coef: r.int(-5, 5) })) // a learned score: projected
        : [{ feature: r.int(0, width - 1), coef: r.pick([1, 1, 2, -1]) }],
    threshold: r.int(-20, 20),
  }));
  const rules = Array.from({ length: 12 }, (_, k) => ({
    decides: `c${k}`,
    row: `r${k}`,
    when: Array.from({ length: r.int(1, 3) }, () => (r.chance(0.5) ? is : not)(`p${r.int(0, 5)}`)),
  }));
  rules.push({ decides: 'default', row: 'default', when: [] });
  return { inputWidth: width, predicates, rules };
}

describe('decision list compiled to integer layers', () => {
  it('picks the first rule whose literals all hold, as the direct reading does', () => {
    const r = rng(5);
    for (let seed = 1; seed <= 30; seed++) {
      const list = randomList(seed, 8, seed % 2 === 0);
      for (let n = 0; n < 40; n++) {
        const x = Array.from({ length: 8 }, () => BigInt(r.int(-25, 25)));
        expect(argmaxOf(list, x)).toBe(evaluateDecisionList(list, x).rule);
      }
    }
  });

  it('follows explicit priorities when the class order differs from the order of precedence', () => {
    const r = rng(9);
    for (let seed = 1; seed <= 20; seed++) {
      const base = randomList(seed, 8, seed % 2 === 0);
      const R = base.rules.length;
      // precedence stays the table order; the output order moves every third rule to the end
      const ranked = base.rules.map((rule, k) => ({ ...rule, priority: R - k }));
      const list = { ...base, rules: [...ranked.filter((_, k) => k % 3 !== 1), ...ranked.filter((_, k) => k % 3 === 1)] };
      for (let n = 0; n < 30; n++) {
        const x = Array.from({ length: 8 }, () => BigInt(r.int(-25, 25)));
        const got = argmaxOf(list, x);
        expect(got).toBe(evaluateDecisionList(list, x).rule);
        expect(list.rules[got].decides).toBe(base.rules[evaluateDecisionList(base, x).rule].decides);
      }
    }
    const bad = randomList(1, 8, false);
    expect(() => compileDecisionList({ ...bad, rules: bad.rules.map((rule) => ({ ...rule, priority: 3 })) })).toThrow(/distinct/);
  });

  it('decides x ≥ t exactly at the threshold, one below and one above', () => {
    const list: DecisionList = {
      inputWidth: 1,
      predicates: [{ name: 'ge', terms: [{ feature: 0, coef: 1 }], threshold: 10_800_000 }],
      rules: [
        { decides: 'yes', row: 'ge', when: [is('ge')] },
        { decides: 'no', row: 'else', when: [] },
      ],
    };
    expect(argmaxOf(list, [10_800_000n])).toBe(0);
    expect(argmaxOf(list, [10_799_999n])).toBe(1);
    expect(argmaxOf(list, [10_800_001n])).toBe(0);
  });

  it('projects a wide learned score in a first step of its own', () => {
    const wide = compileDecisionList(randomList(2, 8, true));
    const narrow = compileDecisionList(randomList(1, 8, false));
    expect(wide.steps.length).toBe(narrow.steps.length + 1);
    expect(wide.steps[0].op).toBe('MATMUL');
  });

  it('refuses a list that does not end with an unconditional rule', () => {
    const list = randomList(3, 4, false);
    expect(() => compileDecisionList({ ...list, rules: list.rules.slice(0, -1) })).toThrow(/unconditional/);
  });
});

describe('decision list CLIP inputs', () => {
  it('refuses a predicate whose CLIP input could reach 2^31 over the declared ranges (ORT int64 Clip is wrong there)', () => {
    const list: DecisionList = {
      inputWidth: 1,
      predicates: [{ name: 'p', terms: [{ feature: 0, coef: 1 }], threshold: -5 }],
      rules: [{ decides: 'a', row: 'p', when: [is('p')] }, { decides: 'b', row: 'else', when: [] }],
    };
    expect(() => compileDecisionList(list, [{ min: 0n, max: 2n ** 31n - 6n }])).toThrow(/2\^31/);
    expect(() => compileDecisionList(list, [{ min: 0n, max: 2n ** 31n - 7n }])).not.toThrow();
  });
});
