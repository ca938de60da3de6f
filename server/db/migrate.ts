// Applies the drizzle-kit migrations in migrations/ (generated from schema.ts, never hand-edited).
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './connection.js';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

export function applyMigrations(db: Db): void {
  migrate(db, { migrationsFolder });
}
