/**
 * Rule-layer builder: a jurisdiction's law as integer features → boolean predicates → a
 * first-match decision list → the ArgMax class, optionally falling back to learned integer
 * linear scores (e.g. over a hashed text vector). The result is plain IR (ops.ts) for compile.ts.
 *
 *   const b = ruleModel(featurizer.features);
 *   const late = b.ge('delay_minutes', 180);                 // 1 when delay ≥ 180, else 0
 *   const ext = b.flag('extraordinary');                      // a feature already in [0, 1]
 *   const owed = b.and(late, b.not(ext));
 *   const text = b.linear({ text_cause_017: 3, text_cause_042: -2 }, -1);   // integer score
 *   const ir = b.decisionList([
 *     { when: owed, class: 3 },
 *     { when: b.ge(text, 0), class: 2 },
 *     { default: 0 },                         // or { argmaxOf: [score0, score1, …] } per class
 *   ]);
 *   const compiled = compileModel(ir, featurizer.features);
 *
 * Every expression is an exact integer linear form over *atoms*: input features and ReLUs of
 * other linear forms. Booleans are 0/1-valued forms built from ReLUs, all exact on integers:
 *   x ≥ t     = relu(x − t + 1) − relu(x − t)        (= Clip(x − t + 1, 0, 1))
 *   x = t     = relu(x−t+1) − 2·relu(x−t) + relu(x−t−1)
 *   AND(p…)   = relu(Σp − (n − 1))     OR(p…) = 1 − relu(1 − Σp)     NOT p = 1 − p
 * so a layer is MATMUL (+ its bias through a constant-1 column) then RELU, and every linear
 * step in between (NOT, differences, weighted sums) folds into the next MATMUL. Layer ℓ holds
 * the ReLU atoms of depth ℓ and carries forward, as extra columns, what later layers read: ReLU
 * outputs pass a ReLU unchanged; a feature x with declared minimum lo is carried as relu(x − lo)
 * (exact, since x ≥ lo) plus lo from the constant column. Layer 1 gets the constant column from
 * an ADD (unless a feature is declared [1, 1], which then serves as the constant and saves the
 * step). The decision list is one MATMUL into per-class scores and an ARGMAX: rule i of K adds
 * BIG·2^(K−i) to its class, the fallback adds the class score shifted to [0, R], BIG = R + 1; the
 * class of the first true rule then outweighs everything after it, and with no rule true the
 * fallback scores decide (ties: lowest class, ArgMax's first maximum). When BIG·2^K would pass
 * 2^48, one more layer computes first-match indicators instead (see compileRules).
 * Steps: depth D of ReLU layers → 3 + 2(D − 1) + 2 = 2D + 3 (one fewer with a constant feature).
 */
import type { FeatureSpec } from './featurizer.js';
import type { ModelIR, Step } from './ops.js';
import { tensor } from './tensor.js';

type FeatureAtom = { kind: 'feature'; index: number; key: string };
type ReluAtom = { kind: 'relu'; inner: Expr; depth: number; key: string };
type Atom = FeatureAtom | ReluAtom;

/** An exact integer linear form Σ coef·atom + bias; `bool` when it is known to be 0 or 1. */
export interface Expr {
  readonly terms: ReadonlyMap<Atom, bigint>;
  readonly bias: bigint;
  readonly bool: boolean;
}

export type Operand = Expr | string;
export type Rule = { when: Expr; class: number } | { default: number } | { argmaxOf: Expr[] };

/** Thrown for a misuse of the builder (unknown feature, non-boolean operand, bad rules). */
export class RuleModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleModelError';
  }
}

const depthOf = (e: Expr): number => Math.max(0, ...[...e.terms.keys()].map((a) => (a.kind === 'relu' ? a.depth : 0)));
const exprKey = (e: Expr): string =>
  [...e.terms].map(([a, c]) => `${a.key}*${c}`).sort().join('+') + `+${e.bias}`;

export function ruleModel(features: readonly FeatureSpec[]) {
  const featureAtoms = features.map((f, index): FeatureAtom => ({ kind: 'feature', index, key: `f${index}` }));
  const reluAtoms = new Map<string, ReluAtom>();

  const make = (terms: Map<Atom, bigint>, bias: bigint, bool: boolean): Expr => {
    for (const [a, c] of terms) if (c === 0n) terms.delete(a);
    return { terms, bias, bool };
  };
  const constant = (v: bigint): Expr => make(new Map(), v, v === 0n || v === 1n);
  /** Σ coef·expr + bias */
  const combine = (parts: [Expr, bigint][], bias: bigint, bool = false): Expr => {
    const terms = new Map<Atom, bigint>();
    let b = bias;
    for (const [e, c] of parts) {
      for (const [a, k] of e.terms) terms.set(a, (terms.get(a) ?? 0n) + c * k);
      b += c * e.bias;
    }
    return make(terms, b, bool);
  };
  const relu = (inner: Expr): Expr => {
    const key = `r(${exprKey(inner)})`;
    let atom = reluAtoms.get(key);
    if (!atom) {
      atom = { kind: 'relu', inner, depth: depthOf(inner) + 1, key };
      reluAtoms.set(key, atom);
    }
    return make(new Map([[atom, 1n]]), 0n, false);
  };
  const feature = (name: string): Expr => {
    const i = features.findIndex((f) => f.name === name);
    if (i < 0) throw new RuleModelError(`unknown feature ${name}`);
    const f = features[i];
    return make(new Map([[featureAtoms[i], 1n]]), 0n, f.min >= 0n && f.max <= 1n);
  };
  const operand = (x: Operand): Expr => (typeof x === 'string' ? feature(x) : x);
  const boolOf = (x: Operand, what: string): Expr => {
    const e = operand(x);
    if (!e.bool) throw new RuleModelError(`${what} takes predicates (0/1 values); use ge/le/eq/flag first`);
    return e;
  };

  /** Interval of a form over the declared feature ranges. */
  const interval = (e: Expr): [bigint, bigint] => {
    let lo = e.bias;
    let hi = e.bias;
    for (const [a, c] of e.terms) {
      const [alo, ahi] = atomInterval(a);
      const p = c * alo;
      const q = c * ahi;
      lo += p < q ? p : q;
      hi += p < q ? q : p;
    }
    return [lo, hi];
  };
  const atomInterval = (a: Atom): [bigint, bigint] => {
    if (a.kind === 'feature') return [features[a.index].min, features[a.index].max];
    const [lo, hi] = interval(a.inner);
    return [lo > 0n ? lo : 0n, hi > 0n ? hi : 0n];
  };

  const ge = (x: Operand, t: bigint | number): Expr => {
    const d = combine([[operand(x), 1n]], -BigInt(t));
    return combine([[relu(combine([[d, 1n]], 1n)), 1n], [relu(d), -1n]], 0n, true);
  };
  const api = {
    features,
    feature,
    /** A feature declared within [0, 1], used as a predicate. */
    flag: (name: string): Expr => boolOf(feature(name), `flag(${name})`),
    constant,
    /** Σ weight·feature + bias, weights by feature name; or over expressions with `combine`. */
    linear: (weights: Record<string, bigint | number>, bias: bigint | number = 0): Expr =>
      combine(Object.entries(weights).map(([n, w]) => [feature(n), BigInt(w)]), BigInt(bias)),
    combine: (parts: [Expr, bigint | number][], bias: bigint | number = 0): Expr =>
      combine(parts.map(([e, c]) => [e, BigInt(c)]), BigInt(bias)),
    ge,
    gt: (x: Operand, t: bigint | number) => ge(x, BigInt(t) + 1n),
    le: (x: Operand, t: bigint | number) => ge(combine([[operand(x), -1n]], 0n), -BigInt(t)),
    lt: (x: Operand, t: bigint | number) => ge(combine([[operand(x), -1n]], 0n), -BigInt(t) + 1n),
    /** x = t, one layer: ge(x, t) − ge(x, t + 1). */
    eq: (x: Operand, t: bigint | number): Expr => combine([[ge(x, t), 1n], [ge(x, BigInt(t) + 1n), -1n]], 0n, true),
    /** lo ≤ x ≤ hi */
    between: (x: Operand, lo: bigint | number, hi: bigint | number): Expr =>
      combine([[ge(x, lo), 1n], [ge(x, BigInt(hi) + 1n), -1n]], 0n, true),
    not: (p: Operand): Expr => combine([[boolOf(p, 'not'), -1n]], 1n, true),
    and: (...ps: Operand[]): Expr => {
      if (ps.length === 0) return constant(1n);
      if (ps.length === 1) return boolOf(ps[0], 'and');
      const sum = combine(ps.map((p) => [boolOf(p, 'and'), 1n]), -BigInt(ps.length - 1));
      const r = relu(sum);
      return { ...r, bool: true };
    },
    or: (...ps: Operand[]): Expr => {
      if (ps.length === 0) return constant(0n);
      if (ps.length === 1) return boolOf(ps[0], 'or');
      return combine([[relu(combine(ps.map((p) => [boolOf(p, 'or'), -1n]), 1n)), -1n]], 1n, true);
    },
    /** The same value, as one carried column (exact: relu(x − lo) + lo); cheap to carry when x has many terms. */
    materialize: (x: Operand): Expr => {
      const e = operand(x);
      const [lo] = interval(e);
      return combine([[relu(combine([[e, 1n]], -lo)), 1n]], lo, e.bool);
    },
    interval,
    /** Direct evaluation of a form on an input row (the semantics the compiled model must match). */
    evaluate: (x: Operand, input: readonly bigint[]): bigint => {
      const memo = new Map<Atom, bigint>();
      const value = (e: Expr): bigint => {
        let v = e.bias;
        for (const [a, c] of e.terms) v += c * atomValue(a);
        return v;
      };
      const atomValue = (a: Atom): bigint => {
        if (a.kind === 'feature') return input[a.index];
        let v = memo.get(a);
        if (v === undefined) {
          const inner = value(a.inner);
          v = inner > 0n ? inner : 0n;
          memo.set(a, v);
        }
        return v;
      };
      return value(operand(x));
    },
    decisionList: (rules: Rule[], options: { classes?: number } = {}): ModelIR => compileRules(rules, options),
  };

  function compileRules(rules: Rule[], options: { classes?: number }): ModelIR {
    const last = rules[rules.length - 1];
    if (!last || 'when' in last) throw new RuleModelError('a decision list ends with { default: class } or { argmaxOf: scores }');
    const list = rules.slice(0, -1).map((r) => {
      if (!('when' in r)) throw new RuleModelError('only the last entry of a decision list may be a default');
      return { when: boolOf(r.when, 'decisionList'), cls: r.class };
    });
    const fallback: Expr[] =
      'argmaxOf' in last
        ? last.argmaxOf.map((s) => (s.terms.size > 1 ? api.materialize(s) : s))
        : Array.from({ length: Math.max(options.classes ?? 0, last.default + 1, ...list.map((r) => r.cls + 1)) }, (_, c) =>
            constant(c === last.default ? 1n : 0n),
          );
    const classes = Math.max(options.classes ?? 0, fallback.length, ...list.map((r) => r.cls + 1));
    for (const r of list) if (!Number.isInteger(r.cls) || r.cls < 0) throw new RuleModelError(`bad class ${r.cls}`);
    // a class without a fallback score sits below every fallback score, so only a rule can pick it
    const lowest = fallback.map(interval).reduce((m, [lo]) => (lo < m ? lo : m), 0n);
    while (fallback.length < classes) fallback.push(constant(lowest - 1n));
    // fallback shifted to [0, R]; BIG = R + 1 makes any earlier true rule outweigh all later terms
    const ivs = fallback.map(interval);
    const floor = ivs.reduce((m, [lo]) => (lo < m ? lo : m), ivs[0][0]);
    const range = ivs.reduce((m, [, hi]) => (hi - floor > m ? hi - floor : m), 0n);
    const big = range + 1n;
    const K = list.length;
    // Priority weights BIG·2^(K−1−i) cost no layer but grow with K; past 2^48 (many rules or a wide
    // fallback range) use one more layer instead: fire_i = relu(p_i − Σ_{j<i} p_j) is 1 exactly
    // for the first true rule, so every rule weighs just BIG.
    const exponential = (big << BigInt(K)) <= 1n << 48n;
    const weightOf = (i: number): [Expr, bigint] =>
      exponential ? [list[i].when, big << BigInt(K - 1 - i)] : [relu(combine([[list[i].when, 1n], ...list.slice(0, i).map((r): [Expr, bigint] => [r.when, -1n])], 0n)), big];
    const scores = fallback.map((s, c) => combine([[s, 1n], ...list.flatMap((r, i): [Expr, bigint][] => (r.cls === c ? [weightOf(i)] : []))], -floor));
    return layers(scores);
  }

  /** Schedules atoms into MATMUL/RELU layers and ends with MATMUL → ARGMAX over `outputs`. */
  function layers(outputs: Expr[]): ModelIR {
    const atoms = new Set<Atom>();
    const visit = (e: Expr) => {
      for (const a of e.terms.keys()) {
        if (atoms.has(a)) continue;
        atoms.add(a);
        if (a.kind === 'relu') visit(a.inner);
      }
    };
    outputs.forEach(visit);
    const D = Math.max(0, ...outputs.map(depthOf));
    const depth = (a: Atom) => (a.kind === 'relu' ? a.depth : 0);
    // lastLayer(a): the last layer whose columns must hold a (a consumer at level m reads layer m − 1)
    const lastLayer = new Map<Atom, number>();
    const need = (e: Expr, level: number) => {
      for (const a of e.terms.keys()) lastLayer.set(a, Math.max(lastLayer.get(a) ?? -1, level - 1));
    };
    for (const a of atoms) if (a.kind === 'relu') need(a.inner, a.depth);
    outputs.forEach((e) => need(e, D + 1));

    const constFeature = features.findIndex((f) => f.min === 1n && f.max === 1n);
    const CONST = 'const';
    type Col = Atom | typeof CONST;
    // layer 0 = the raw input
    let cols: Col[] = featureAtoms;
    let offsets = new Map<Atom, bigint>(); // column value = atom value − offset
    const steps: Step[] = [];

    /** MATMUL (+ ADD when no constant column exists yet) from `cols` to `outs` (pre-activation forms). */
    const linearStep = (outs: Expr[]) => {
      const rows = cols.length;
      const w = new Array<bigint>(rows * outs.length).fill(0n);
      const bias = new Array<bigint>(outs.length).fill(0n);
      const constRow = cols.indexOf(CONST) >= 0 ? cols.indexOf(CONST) : cols === featureAtoms ? constFeature : -1;
      outs.forEach((e, j) => {
        bias[j] = e.bias;
        for (const [a, c] of e.terms) {
          const r = cols.indexOf(a);
          if (r < 0) throw new Error(`internal: atom ${a.key} not in the layer`);
          w[r * outs.length + j] += c;
          bias[j] += c * (offsets.get(a) ?? 0n);
        }
      });
      if (constRow >= 0) outs.forEach((_, j) => (w[constRow * outs.length + j] += bias[j]));
      steps.push({ op: 'MATMUL', constant: tensor(rows, outs.length, w) });
      if (constRow < 0 && bias.some((b) => b !== 0n)) steps.push({ op: 'ADD', constant: tensor(1, outs.length, bias) });
    };

    for (let l = 1; l <= D; l++) {
      const next: Col[] = [CONST];
      const pre: Expr[] = [constant(1n)];
      const nextOffsets = new Map<Atom, bigint>();
      for (const a of atoms) {
        if (depth(a) === l && a.kind === 'relu') {
          next.push(a);
          pre.push(a.inner);
        } else if (depth(a) < l && (lastLayer.get(a) ?? -1) >= l) {
          next.push(a);
          const lo = a.kind === 'feature' ? features[a.index].min : 0n;
          nextOffsets.set(a, lo);
          pre.push(combine([[make(new Map([[a, 1n]]), 0n, false), 1n]], -lo)); // relu(x − lo), exact
        }
      }
      linearStep(pre);
      steps.push({ op: 'RELU' });
      cols = next;
      offsets = nextOffsets;
    }
    linearStep(outputs);
    steps.push({ op: 'ARGMAX' });
    return { inputWidth: features.length, steps };
  }

  return api;
}

export type RuleModelBuilder = ReturnType<typeof ruleModel>;
