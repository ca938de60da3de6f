// A small seeded generator (mulberry32) for the deterministic data generators and trainers of
// every model folder: the same seed gives the same cases and weights on every machine, so the
// generated files are reproducible byte for byte (ModelDefinition.train contract).
export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [lo, hi], inclusive */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}
