// The embedded stack a browser test drives: the real app (API + web, one port, real SQLite file
// and Redis) listening on a free port, the production web build (made once, under a lock, when
// web/ changed), and a headless chromium. The server's log lines are kept, so a test can check
// what reached them.
import { Writable } from 'node:stream';
import { ensureWebBuild } from '../../../server/web/build.js';
import { startWebhookDelivery, type WebhookDelivery } from '../../../server/webhooks/runtime.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { launchBrowser, type TestBrowser } from './browser.js';

export interface WebStack {
  baseUrl: string;
  test: TestApp;
  browser: TestBrowser;
  /** Every log line the server wrote (JSON text). */
  logs: string[];
  close(): Promise<void>;
}

export interface WebStackOptions {
  /**
   * Also run the webhook delivery worker (as `npm start`'s webhooks component does), sending to
   * loopback receivers.
   */
  webhooks?: boolean;
}

export async function startWebStack(o: WebStackOptions = {}): Promise<WebStack> {
  ensureWebBuild();
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const test = await startTestApp({ env: { WEB: 'on', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }, logger: { level: 'info', stream } });
  let delivery: WebhookDelivery | undefined;
  if (o.webhooks) {
    delivery = await startWebhookDelivery({ services: test.services.webhooks, queues: test.app.queues, allowPrivateTargets: true, timeoutMs: 5000 });
  }
  await test.app.listen({ port: 0, host: '127.0.0.1' });
  const address = test.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await launchBrowser();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    test,
    browser,
    logs,
    async close() {
      await browser.close();
      await delivery?.stop();
      await test.close();
    },
  };
}

/** Polls `read` until `check` holds or the deadline passes; returns the last value read. */
export async function eventually<T>(read: () => Promise<T> | T, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
