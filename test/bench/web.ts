// `npm run bench -- web`: the claimant portal in headless chromium on the embedded stack (API +
// web on one port, real SQLite and Redis, the production web build): time to first byte and
// largest contentful paint of a cold page load (fresh browser context, no cache), medians over
// BENCH_RUNS loads after one warm-up, and the JavaScript the portal ships, as transferred
// (compressed) bytes. Prints one JSON line.
import type { Page } from 'playwright-core';
import { ensureWebBuild } from '../../server/web/build.js';
import { startTestApp } from '../support/app.js';
import { launchBrowser } from '../e2e/support/browser.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

ensureWebBuild((m) => console.error(`[bench] ${m}`));
const test = await startTestApp({ env: { WEB: 'on' } });
await test.app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(test.app.server.address() as { port: number }).port}/`;
const browser = await launchBrowser();

interface Load {
  ttfb: number;
  lcp: number;
  jsBytes: number;
}

async function measure(page: Page): Promise<Load> {
  // LCP is final once the page has loaded and nothing else paints; read it from a buffered observer.
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(
    () =>
      new Promise<Load>((resolve) => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((r) => r.name.endsWith('.js'))
          .reduce((sum, r) => sum + r.encodedBodySize, 0);
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          const last = entries[entries.length - 1];
          resolve({ ttfb: nav.responseStart - nav.requestStart, lcp: last.startTime, jsBytes: js });
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loads: Load[] = [];
try {
  for (let i = 0; i <= RUNS; i++) {
    const context = await browser.context();
    const page = await context.newPage();
    const load = await measure(page);
    if (i > 0) loads.push(load); // the first load warms the server (imports the build)
    await context.close();
  }
} finally {
  await browser.close();
  await test.close();
}

console.log(
  JSON.stringify({
    bench: 'web',
    portal_ttfb_ms: Math.round(median(loads.map((l) => l.ttfb)) * 10) / 10,
    portal_lcp_ms: Math.round(median(loads.map((l) => l.lcp))),
    js_kb: Math.round((median(loads.map((l) => l.jsBytes)) / 1024) * 10) / 10,
    runs: loads.length,
  }),
);
