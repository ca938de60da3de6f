// A drizzle query run straight on its better-sqlite3 statement. Drizzle's prepared `.run(values)`
// maps every parameter through `is()` class checks on each call (a few µs per statement); the
// hot paths (filing) instead resolve the parameter slots once, here, from the query's own SQL
// and parameters, so the schema in schema.ts stays the single source of column names and
// encoders. Same SQL, same values, same driver: only the per-call bookkeeping goes.
import { is, Param, Placeholder } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Db } from './connection.js';

type Slot = (values: Record<string, unknown>) => unknown;

function slotFor(param: unknown): Slot {
  const missing = (name: string) => new Error(`No value for placeholder "${name}" was provided`);
  if (is(param, Placeholder)) {
    const { name } = param;
    return (values) => {
      if (!(name in values)) throw missing(name);
      return values[name];
    };
  }
  if (is(param, Param) && is(param.value, Placeholder)) {
    const { name } = param.value;
    const encoder = param.encoder;
    return (values) => {
      if (!(name in values)) throw missing(name);
      return encoder ? encoder.mapToDriverValue(values[name]) : values[name];
    };
  }
  return () => param;
}

/** `query` (an insert/update/delete with `sql.placeholder`s) as a function of its placeholder values. */
export function fastRun<V extends Record<string, unknown>>(
  db: Db,
  query: { toSQL(): { sql: string; params: unknown[] } },
): (values: V) => Database.RunResult {
  const { sql, params } = query.toSQL();
  const stmt = db.$client.prepare(sql);
  const slots = params.map(slotFor);
  const args: unknown[] = new Array(slots.length);
  return (values) => {
    for (let i = 0; i < slots.length; i++) args[i] = slots[i](values);
    return stmt.run(args);
  };
}

/**
 * `query` (a select with `sql.placeholder`s) run straight on its better-sqlite3 statement, each
 * row read as an array and named by `keys`, the query's selected fields in order (for
 * `db.select().from(t)`, `Object.keys(getTableColumns(t))`). Drizzle's prepared `.get()`/`.all()`
 * map every row through its field decoders (most of the pipeline's SQLite CPU in the bench); the
 * columns read this way are plain text and integers, which need no decoding.
 */
export function fastSelect<R>(
  db: Db,
  query: { toSQL(): { sql: string; params: unknown[] } },
  keys: readonly string[],
): { get(values?: Record<string, unknown>): R | undefined; all(values?: Record<string, unknown>): R[] } {
  const { sql, params } = query.toSQL();
  const stmt = db.$client.prepare(sql).raw(true);
  if (stmt.columns().length !== keys.length) throw new Error(`fastSelect: ${stmt.columns().length} columns selected, ${keys.length} keys given`);
  const slots = params.map(slotFor);
  const bind = (values: Record<string, unknown>) => slots.map((s) => s(values));
  const row = (a: unknown[]): R => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) o[keys[i]] = a[i];
    return o as R;
  };
  return {
    get(values = {}) {
      const a = stmt.get(bind(values)) as unknown[] | undefined;
      return a ? row(a) : undefined;
    },
    all(values = {}) {
      return (stmt.all(bind(values)) as unknown[][]).map(row);
    },
  };
}
