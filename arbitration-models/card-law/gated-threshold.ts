// "All of these flags are set and x ≥ t" as ONE threshold on a linear form, so it costs one ReLU
// layer instead of two: x + M·Σflags ≥ t + M·k, with M larger than any x − t can be. When a flag
// is 0 the left side stays below t + M·k; when all k are 1 it is exactly x ≥ t. Exact on integers
// over the declared ranges (rule-layers.ts computes the interval of x).
import type { Expr, Operand, RuleModelBuilder } from '../../server/inference/rule-layers.js';

export function gatedAtLeast(b: RuleModelBuilder, flags: readonly string[], x: Operand, t: number): Expr {
  const e = typeof x === 'string' ? b.feature(x) : x;
  const [, hi] = b.interval(e);
  const m = hi - BigInt(t) + 1n > 1n ? hi - BigInt(t) + 1n : 1n;
  return b.ge(b.combine([[e, 1], ...flags.map((f): [Expr, bigint] => [b.feature(f), m])]), BigInt(t) + m * BigInt(flags.length));
}

/**
 * Days from the start date X, counting as "late" (> limit) when X is absent: the featurizer gives
 * 0 days and given = 0 then, so days + (limit + 1)·(1 − given) > limit exactly when X is absent
 * or the dispute came more than `limit` days after X.
 */
export function lateFromOrAbsent(b: RuleModelBuilder, given: string, days: string, limit: number): Expr {
  const k = limit + 1;
  return b.ge(b.combine([[b.feature(days), 1], [b.feature(given), -k]], k), limit + 1);
}
