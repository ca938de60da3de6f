// Group commit: writes that arrive in the same turn of the event loop share one transaction.
// A SQLite commit costs far more than the rows it writes (WAL frames for every touched page,
// periodic checkpoints), so under concurrent load N filings in one commit cost little more than
// one. One failing write still fails alone: the batch first runs every write straight in the
// shared transaction (no savepoints, the common case); if any throws, that transaction rolls back
// as a whole and the batch runs again with each write in its own savepoint, so only the failing
// ones fail. A write may therefore run twice (the first run rolled back): it must act only on this
// connection. Every caller's promise settles only after the shared COMMIT: nobody hears "done" early.
import type { Db } from './connection.js';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommit {
  /** Runs `work` (synchronous, on this connection) inside the next shared transaction. */
  run<T>(work: () => T): Promise<T>;
}

export function createGroupCommit(db: Db, opts: { maxBatch?: number } = {}): GroupCommit {
  const sqlite = db.$client;
  const maxBatch = opts.maxBatch ?? 256;
  let queue: Pending[] = [];
  let scheduled = false;

  // better-sqlite3: a transaction function called inside another becomes a SAVEPOINT.
  const savepoint = sqlite.transaction((work: () => unknown) => work());
  const allOrNothing = sqlite.transaction((items: Pending[]) => items.map((item) => item.work()));
  const eachAlone = sqlite.transaction((items: Pending[]) => {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    for (const item of items) {
      try {
        outcomes.push({ ok: true, value: savepoint(item.work) });
      } catch (error) {
        outcomes.push({ ok: false, value: error });
      }
    }
    return outcomes;
  });

  function flush(): void {
    scheduled = false;
    const items = queue.splice(0, maxBatch);
    if (queue.length) schedule();
    let values: unknown[] | undefined;
    try {
      values = allOrNothing.immediate(items);
    } catch {
      // Rolled back; which write failed (or whether BEGIN/COMMIT did) is found out below.
    }
    if (values) {
      items.forEach((item, i) => item.resolve(values[i]));
      return;
    }
    let outcomes: { ok: boolean; value: unknown }[];
    try {
      outcomes = eachAlone.immediate(items);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    items.forEach((item, i) => (outcomes[i].ok ? item.resolve(outcomes[i].value) : item.reject(outcomes[i].value)));
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // setImmediate runs after the current poll phase: every request whose bytes arrived in this
    // turn has reached its handler by then and joins the batch.
    setImmediate(flush);
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
  };
}
