// Opens the SQLite file with the pragmas the whole service relies on.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from './checkpointer.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  path: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Run WAL checkpoints in a worker thread instead of inside commits (default true; the server wants it). */
  backgroundCheckpoints?: boolean;
  /** SQLite's mmap_size in bytes (default 0: reads through its page cache and the kernel's file cache). */
  mmapBytes?: number;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers run beside the single writer; synchronous=NORMAL is WAL's safe default
  // (durable across app crashes, no fsync per commit), which keeps filing fast.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Workers and the CLI may open the same file; wait for the writer instead of failing at once.
  sqlite.pragma('busy_timeout = 5000');
  // The page cache holds the pages being read and written (and WAL pages): it was 64 MiB, which
  // filled as the database grew and was that much of the server's anonymous memory with 10,000
  // open cases (docs/pipeline-bench.md, "Memory"); 16 MiB. Reads past it come from the kernel's
  // file cache. Memory-mapped reads (mmap_size, 256 MiB before) put the same file pages in the
  // server's resident set, 0 to 65 MB more with 10,000 open cases from one run to the next, and
  // bought no filing speed: `bench -- api` 3,066/3,038 filings/s with it, 3,130/3,099 without
  // (alternating runs). Off unless asked for (`mmapBytes`).
  sqlite.pragma('cache_size = -16384'); // 16 MiB
  sqlite.pragma(`mmap_size = ${Math.max(0, Math.floor(options.mmapBytes ?? 0))}`);
  sqlite.pragma('temp_store = MEMORY');
  let checkpointer: Checkpointer | undefined;
  if (options.backgroundCheckpoints ?? true) {
    sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(path);
  }
  const db = drizzle({ client: sqlite, schema }) as Db;
  return {
    db,
    sqlite,
    path,
    async close() {
      await checkpointer?.stop();
      // The last connection to close checkpoints the WAL into the database file.
      if (sqlite.open) sqlite.close();
    },
  };
}

/** A drizzle transaction handle (better-sqlite3: the callback is synchronous). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: what a write inside a transition accepts. */
export type Executor = Db | Tx;
