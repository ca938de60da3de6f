// Applies the drizzle-kit migrations in migrations/ (generated from schema.ts, never hand-edited).
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './connection.js';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

export function applyMigrations(db: Db): void {
  // A migration that rebuilds a table (SQLite's 12-step ALTER: copy, drop, rename) needs foreign
  // keys off, and `PRAGMA foreign_keys` is a no-op inside the migrator's transaction: dropping a
  // table other tables reference would fail (or orphan them). Off around the migrator, then the
  // whole file is checked before they are on again.
  const fk = db.$client.pragma('foreign_keys', { simple: true }) as number;
  db.$client.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder });
    const broken = db.$client.pragma('foreign_key_check') as unknown[];
    if (broken.length) throw new Error(`migrations left ${broken.length} broken foreign key(s): ${JSON.stringify(broken.slice(0, 5))}`);
  } finally {
    if (fk) db.$client.pragma('foreign_keys = ON');
  }
}
