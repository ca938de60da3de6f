// server/heap.ts: the V8 heap growth the server sets at start. A real child Node.js process keeps
// ~40 MB live while it churns through garbage; with the growth limited at run time, the heap
// stays within 1.5× the live data (plus the young generation), which V8's own heuristic does not
// promise (it may let the old generation grow to 4× before collecting).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../../../server/heap.js';

const heapModule = fileURLToPath(new URL('../../../server/heap.ts', import.meta.url));

const CHILD = `
const { limitHeapGrowth } = await import(${JSON.stringify(heapModule)});
if (process.env.PCT) limitHeapGrowth(Number(process.env.PCT));
const live = [];
for (let i = 0; i < 300_000; i++) live.push({ a: 'x' + i, b: [i, i + 1], c: { d: i } });
const keep = [];
let peak = 0;
for (let r = 0; r < 600; r++) {
  const junk = [];
  for (let i = 0; i < 4000; i++) junk.push({ s: 'y' + i + r, arr: new Array(8).fill(r) });
  keep.push(junk);
  if (keep.length > 10) keep.shift();
  if (r % 10 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
}
global.gc();
console.log(JSON.stringify({ peak, live: process.memoryUsage().heapUsed, n: live.length + keep.length }));
`;

function run(pct?: number): { peak: number; live: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', CHILD], {
    env: { ...process.env, PCT: pct === undefined ? '' : String(pct) },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { peak: number; live: number };
}

describe('limitHeapGrowth', () => {
  it('keeps the heap near its live data when set at run time', () => {
    const MB = 2 ** 20;
    const own = run();
    const limited = run(50);
    // V8's own heuristic let this heap grow to ~5× its live data (311 vs 63 MB when written).
    expect(limited.peak).toBeLessThan(own.peak / 1.5);
    // Old generation ≤ 1.5 × live, plus the young generation (two 16 MiB semi-spaces at most,
    // and its large-object space) and the live data's growth before the first full collection.
    expect(limited.peak).toBeLessThan(limited.live * 1.5 + 64 * MB);
  }, 180_000);

  it('refuses a value that is not a non-negative integer', () => {
    expect(() => limitHeapGrowth(-1)).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => limitHeapGrowth(1.5)).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => limitHeapGrowth(Number.NaN)).toThrow(/HEAP_GROWING_PERCENT/);
  });
});
