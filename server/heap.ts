// The server process's V8 heap growth. After each full collection V8 lets the old generation grow
// to a multiple of what survived before it collects again, a multiple it picks from its own
// speed (up to 4×). Under the pipeline's steady allocation (filing, folds, JSON-RPC) it picked
// about 3.5×: with 10,000 open cases 76 MB survived a collection, yet the heap held 267 MB, most
// of it garbage waiting for the next collection, and that garbage was resident memory
// (docs/pipeline-bench.md, "Memory"). A fixed growth of 1 + HEAP_GROWING_PERCENT/100 (default
// 30%) collects sooner; the live data is the same. V8 reads this flag at every collection, so it
// can be set once the process runs. 0 leaves V8's own heuristic. (The young generation's size
// cannot be changed once the process runs: `npm start` passes --max-semi-space-size=8.)
import { setFlagsFromString } from 'node:v8';

export const DEFAULT_HEAP_GROWING_PERCENT = 30;

export function limitHeapGrowth(percent = Number(process.env.HEAP_GROWING_PERCENT ?? DEFAULT_HEAP_GROWING_PERCENT)): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`HEAP_GROWING_PERCENT must be a non-negative integer, got ${process.env.HEAP_GROWING_PERCENT}`);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
