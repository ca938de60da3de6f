import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connection.js';
import { applyMigrations } from '../../../server/db/migrate.js';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createIdempotencyStore, IDEMPOTENCY_TTL_MS, ownerIsGone, PROCESS_OWNER } from '../../../server/idempotency/store.js';
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

  it('keeps neither the key nor the response in clear: a secret in the body is not in the database file', () => {
    const s = store();
    const key = '7f6c1a52-8c1e-4a8e-9a5e-3f0a6f2f9b11';
    const secret = 'ct_019b0c7e1a2f3c4d5e6f708192a3.Vb3mXk0wq2v8R4JwqkKc1uV0mJp6tqz5Hq3xYl2fN0A';
    s.begin('anonymous@192.0.2.1', key, 'f1');
    s.complete('anonymous@192.0.2.1', key, { status: 201, contentType: 'application/json', body: `{"accessToken":"${secret}"}` });
    const rows = handle.sqlite.prepare('select * from idempotency_keys').all() as Record<string, unknown>[];
    const text = JSON.stringify(rows);
    expect(text).not.toContain(key);
    expect(text).not.toContain('Vb3mXk0wq2v8R4JwqkKc1uV0mJp6tqz5Hq3xYl2fN0A');
    expect(String(rows[0].response_body)).toMatch(/^v1\./);
    handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(dir, 'a.db')).includes(Buffer.from('Vb3mXk0wq2v8R4JwqkKc1uV0mJp6tqz5Hq3xYl2fN0A'))).toBe(false);
    // The same caller with the same key gets the response back; the same key in another scope does not open it.
    expect(s.begin('anonymous@192.0.2.1', key, 'f1')).toMatchObject({ kind: 'replay', body: `{"accessToken":"${secret}"}` });
    expect(s.begin('anonymous@192.0.2.2', key, 'f1')).toEqual({ kind: 'proceed' });
  });

  it('reclaims at once a claim whose process is gone (a restart), but not one of a live process', () => {
    // A previous run of this very pid (a container restarting its pid 1), and a pid that has exited.
    const gonePid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const [host, pid] = PROCESS_OWNER.split('/');
    for (const dead of [`${host}/${pid}/earlier`, `${host}/${gonePid}/x`]) {
      const before = createIdempotencyStore({ db: handle.db, clock: () => new Date(now), owner: dead });
      before.begin('anonymous', `k-${dead}`, 'f1');
      expect(ownerIsGone(dead)).toBe(true);
      expect(store().begin('anonymous', `k-${dead}`, 'f1')).toEqual({ kind: 'proceed' });
    }
    // A live process on this host (the test runner's parent) keeps its claim until the age rule.
    const live = `${host}/${process.ppid}/x`;
    createIdempotencyStore({ db: handle.db, clock: () => new Date(now), owner: live }).begin('anonymous', 'k-live', 'f1');
    expect(problemOf(() => store().begin('anonymous', 'k-live', 'f1')).slug).toBe('idempotency_key_in_use');
    // Another machine's claim: only the age rule.
    createIdempotencyStore({ db: handle.db, clock: () => new Date(now), owner: 'elsewhere/1/x' }).begin('anonymous', 'k-far', 'f1');
    expect(problemOf(() => store().begin('anonymous', 'k-far', 'f1')).slug).toBe('idempotency_key_in_use');
  });
});
