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
