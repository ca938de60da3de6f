// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever COMMIT
// crosses the threshold and fsyncs there, stalling that request (and every request queued behind
// it) for milliseconds. Here a worker thread with its own connection copies the WAL back into the
// database with PASSIVE checkpoints (they never block writers), and the request path only appends
// to the WAL. The main connection keeps a high automatic threshold as a backstop should the worker
// stop. Durability is unchanged: WAL + synchronous=NORMAL, as before.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Plain CommonJS so the worker needs no TypeScript loader (tests, tsx and node all run it). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let stopping = false;
const tick = () => {
  if (stopping) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { /* busy or closing: try next tick */ }
  timer = setTimeout(tick, workerData.intervalMs);
};
let timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg !== 'stop') return;
  stopping = true;
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.postMessage('stopped');
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Frames the main connection may accumulate before it checkpoints itself (the backstop). */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 50_000; // about 200 MB of WAL

export function startCheckpointer(path: string, intervalMs = 250): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') },
  });
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(force);
          void worker.terminate().finally(resolve);
        };
        const force = setTimeout(done, 2000);
        worker.once('message', done);
        worker.once('error', done);
        worker.once('exit', done);
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
