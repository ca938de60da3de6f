// Ids are `<prefix>_<12 hex ms time><16 hex counter/random>`: they sort by creation time as plain
// strings, so list endpoints paginate with `WHERE id < cursor ORDER BY id DESC` and no extra column.
import { randomBytes } from 'node:crypto';

let lastMs = -1;
let lastTail = 0n;
const TAIL_MAX = (1n << 64n) - 1n;

export function newId(prefix: string, now = Date.now()): string {
  let tail: bigint;
  if (now <= lastMs) {
    // Same (or an earlier, clock-skewed) millisecond: keep the order strictly increasing.
    now = lastMs;
    tail = lastTail === TAIL_MAX ? lastTail : lastTail + 1n;
  } else {
    // Start the millisecond in the lower half of the range so increments never overflow it.
    tail = randomBytes(8).readBigUInt64BE() >> 1n;
  }
  lastMs = now;
  lastTail = tail;
  return `${prefix}_${now.toString(16).padStart(12, '0')}${tail.toString(16).padStart(16, '0')}`;
}
