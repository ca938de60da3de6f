// Ids are `<prefix>_<12 hex ms time><16 hex counter/random>`: they sort by creation time as plain
// strings, so list endpoints paginate with `WHERE id < cursor ORDER BY id DESC` and no extra column.
import { randomFillSync } from 'node:crypto';

// The 64-bit tail as two 32-bit halves (no BigInt on the filing path). A new millisecond starts
// at a random point in the lower half of the range, so increments within it never overflow.
let lastMs = -1;
let hi = 0;
let lo = 0;
const pool = new Uint32Array(512);
let poolIndex = pool.length;

function random32(): number {
  if (poolIndex === pool.length) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  return pool[poolIndex++];
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

export function newId(prefix: string, now = Date.now()): string {
  if (now <= lastMs) {
    // Same (or an earlier, clock-skewed) millisecond: keep the order strictly increasing.
    now = lastMs;
    if (lo === 0xffffffff) {
      lo = 0;
      hi = Math.min(hi + 1, 0xffffffff);
    } else {
      lo++;
    }
  } else {
    hi = random32() >>> 1;
    lo = random32();
  }
  lastMs = now;
  return `${prefix}_${now.toString(16).padStart(12, '0')}${hex8(hi)}${hex8(lo)}`;
}
