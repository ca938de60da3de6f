// Issue 9, the bounded abuse test: while a fixed number of worst-case invalid bodies (100, from
// 10 simulated callers, 10 in flight) and 20 slow connections are in flight, /health and a
// valid filing still answer: every one of them, with a median within MEDIAN_BOUND_MS and none
// later than MAX_BOUND_MS. Before the fix, /health's median was 3.4 s under a load like this.
// The bounds are generous so a busy CI machine (other suites running beside this one on two
// cores) passes; the speed goal (p99 ≤ 50 ms and ≤ 100 ms) is measured by
// `npm run bench -- abuse`, not asserted here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { hostileBarrage, percentile, probe, slowConnections } from '../../support/hostile-load.js';

const MEDIAN_BOUND_MS = 1_000;
const MAX_BOUND_MS = 10_000;

let t: TestApp;
let url: URL;
beforeAll(async () => {
  t = await startTestApp({
    env: { TRUST_PROXY: 'loopback', RATE_LIMIT_ANON_MAX: '8', RATE_LIMIT_WINDOW_MS: '60000', HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '5000' },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = new URL(`http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`);
});
afterAll(async () => t?.close());

describe('under a bounded abuse load', () => {
  it(`answers /health and valid filings (median within ${MEDIAN_BOUND_MS} ms, all within ${MAX_BOUND_MS} ms) while hostile bodies and slow connections are in flight`, async () => {
    const slow = slowConnections(url, 20);
    let busy = true;
    const barrage = hostileBarrage(url, { callers: 10, perCaller: 10, concurrency: 10 }).finally(() => {
      busy = false;
    });
    const probes = probe(url, () => busy, 10);
    const [outcome, seen] = await Promise.all([barrage, probes]);
    try {
      expect(outcome.sent).toBe(100);
      expect(outcome.errors).toBe(0);
      // Every hostile body is refused: bad request, too large, or over its caller's budget.
      expect(Object.keys(outcome.byStatus).map(Number).every((s) => [400, 413, 429].includes(s)), JSON.stringify(outcome.byStatus)).toBe(true);
      expect(outcome.byStatus[429] ?? 0).toBeGreaterThan(0);
      expect(seen.filingStatuses.every((s) => s === 201), JSON.stringify(seen.filingStatuses)).toBe(true);
      expect(percentile(seen.health, 50), JSON.stringify(seen.health)).toBeLessThanOrEqual(MEDIAN_BOUND_MS);
      expect(percentile(seen.filing, 50), JSON.stringify(seen.filing)).toBeLessThanOrEqual(MEDIAN_BOUND_MS);
      expect(Math.max(...seen.health, ...seen.filing)).toBeLessThanOrEqual(MAX_BOUND_MS);
      // The slow connections are cut by the header timeout, not left open.
      const deadline = Date.now() + 30_000;
      while (slow.closed() < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(slow.closed()).toBe(20);
    } finally {
      slow.stop();
    }
  });
});
