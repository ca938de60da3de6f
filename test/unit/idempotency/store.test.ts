import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connection.js';
import { applyMigrations } from '../../../server/db/migrate.js';
import { createIdempotencyStore, IDEMPOTENCY_TTL_MS } from '../../../server/idempotency/store.js';
import { Problem } from '../../../server/errors.js';

let dir: string;
let handle: DatabaseHandle;
let now: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'arbiter-idem-'));
  handle = openDatabase(join(dir, 'a.db'), { backgroundCheckpoints: false });
  applyMigrations(handle.db);
  now = Date.parse('2026-03-01T00:00:00Z');
});
afterEach(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const store = () => createIdempotencyStore({ db: handle.db, clock: () => new Date(now) });
const problemOf = (fn: () => unknown): Problem => {
  try {
    fn();
  } catch (e) {
    return e as Problem;
  }
  throw new Error('expected a problem');
};

describe('idempotency store', () => {
  it('lets the first request proceed and replays its stored response afterwards', () => {
    const s = store();
    expect(s.begin('anonymous', 'k', 'f1')).toEqual({ kind: 'proceed' });
    s.complete('anonymous', 'k', { status: 201, contentType: 'application/json', body: '{"id":1}' });
    expect(s.begin('anonymous', 'k', 'f1')).toEqual({ kind: 'replay', status: 201, contentType: 'application/json', body: '{"id":1}' });
  });

  it('refuses another request under a used key, and a second request while the first runs', () => {
    const s = store();
    s.begin('anonymous', 'k', 'f1');
    expect(problemOf(() => s.begin('anonymous', 'k', 'f1')).slug).toBe('idempotency_key_in_use');
    expect(problemOf(() => s.begin('anonymous', 'k', 'f2')).slug).toBe('idempotency_key_reused');
  });

  it('forgets a released claim so the request can be retried', () => {
    const s = store();
    s.begin('anonymous', 'k', 'f1');
    s.release('anonymous', 'k');
    expect(s.begin('anonymous', 'k', 'f2')).toEqual({ kind: 'proceed' });
  });

  it('keeps keys 24 hours, then lets the key start afresh', () => {
    const s = store();
    s.begin('merchant:m1', 'k', 'f1');
    s.complete('merchant:m1', 'k', { status: 201, contentType: 'application/json', body: '{}' });
    now += IDEMPOTENCY_TTL_MS - 1000;
    expect(s.begin('merchant:m1', 'k', 'f1').kind).toBe('replay');
    now += 2000;
    expect(s.begin('merchant:m1', 'k', 'f2')).toEqual({ kind: 'proceed' });
  });

  it('treats a claim left in progress by a crashed request as abandoned after a minute', () => {
    const s = store();
    s.begin('anonymous', 'k', 'f1');
    now += 61_000;
    expect(s.begin('anonymous', 'k', 'f1')).toEqual({ kind: 'proceed' });
  });

  it('keeps scopes apart', () => {
    const s = store();
    s.begin('merchant:m1', 'k', 'f1');
    expect(s.begin('merchant:m2', 'k', 'f2')).toEqual({ kind: 'proceed' });
  });
});
