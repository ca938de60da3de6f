// Idempotency keys with Stripe's semantics: the first request with a key runs and its response
// is kept; a retry with the same key and the same request gets that response replayed; the same
// key with a different request is a 409. Keys are scoped per caller and expire after 24 h.
//
// At rest (issue 9): the row holds sha256 of the key and the response sealed under a key derived
// from the Idempotency-Key and the scope (sealed-response.ts), never a secret in clear.
// After a crash: a claim records the process running it (`host/pid/instance`); a claim whose
// process is gone (same host, pid no longer running or running a newer instance) is reclaimed
// at once, and any claim older than ABANDONED_AFTER_MS regardless.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { idempotencyKeys } from '../db/schema.js';
import { Problem } from '../errors.js';
import { keyDigest, open, seal } from './sealed-response.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this with no response is from a crashed request; it may be retried. */
const ABANDONED_AFTER_MS = 60_000;

/** This process, as recorded on the claims it holds. */
export const PROCESS_OWNER = `${hostname()}/${process.pid}/${randomBytes(6).toString('hex')}`;

/** True when the process that made a claim is certainly gone. */
export function ownerIsGone(owner: string | null, self = PROCESS_OWNER): boolean {
  if (!owner || owner === self) return false;
  const [host, pidText] = owner.split('/');
  const [selfHost, selfPid] = self.split('/');
  if (host !== selfHost) return false; // another machine: only the age rule applies
  if (pidText === selfPid) return true; // this pid, an earlier instance: a previous run (e.g. a container restart)
  try {
    process.kill(Number(pidText), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export type Begin =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; contentType: string; body: string };

export function createIdempotencyStore(deps: { db: Db; clock?: () => Date; owner?: string }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const owner = deps.owner ?? PROCESS_OWNER;
  const find = db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, sql.placeholder('scope')), eq(idempotencyKeys.key, sql.placeholder('key'))))
    .prepare();
  let lastPurge = 0;

  return {
    owner,

    /** Claims the key for this request, or says how to answer without running it. */
    begin(scope: string, idempotencyKey: string, fingerprint: string): Begin {
      const now = clock();
      const key = keyDigest(idempotencyKey);
      if (now.getTime() - lastPurge > 60_000) {
        lastPurge = now.getTime();
        db.delete(idempotencyKeys)
          .where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()))
          .run();
      }
      return db.transaction(
        () => {
          const row = find.get({ scope, key });
          const expired = row && Date.parse(row.createdAt) < now.getTime() - IDEMPOTENCY_TTL_MS;
          const abandoned =
            row &&
            row.state === 'in_progress' &&
            (Date.parse(row.createdAt) < now.getTime() - ABANDONED_AFTER_MS || ownerIsGone(row.owner, owner));
          if (row && !expired && !abandoned) {
            if (row.fingerprint !== fingerprint) {
              throw new Problem(
                'idempotency_key_reused',
                'This Idempotency-Key was already used with a different request (method, path or body); use a new key',
              );
            }
            if (row.state === 'in_progress') {
              throw new Problem('idempotency_key_in_use', 'The first request with this Idempotency-Key has not finished; retry later');
            }
            const body = open(row.responseBody ?? '', idempotencyKey, scope);
            if (body === undefined) throw new Error(`idempotency: the kept response for scope ${scope} does not open`);
            return {
              kind: 'replay' as const,
              status: row.responseStatus!,
              contentType: row.responseContentType ?? 'application/json',
              body,
            };
          }
          const claim = { fingerprint, state: 'in_progress', owner, responseStatus: null, responseBody: null, responseContentType: null, createdAt: now.toISOString() };
          db.insert(idempotencyKeys)
            .values({ scope, key, ...claim })
            .onConflictDoUpdate({ target: [idempotencyKeys.scope, idempotencyKeys.key], set: claim })
            .run();
          return { kind: 'proceed' as const };
        },
        { behavior: 'immediate' },
      );
    },

    complete(scope: string, idempotencyKey: string, response: { status: number; contentType: string; body: string }): void {
      db.update(idempotencyKeys)
        .set({
          state: 'done',
          owner: null,
          responseStatus: response.status,
          responseContentType: response.contentType,
          responseBody: seal(response.body, idempotencyKey, scope),
        })
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, keyDigest(idempotencyKey)), eq(idempotencyKeys.state, 'in_progress')))
        .run();
    },

    /** Forgets a claim whose request should not be replayed (e.g. it failed validation). */
    release(scope: string, idempotencyKey: string): void {
      db.delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, keyDigest(idempotencyKey)), eq(idempotencyKeys.state, 'in_progress')))
        .run();
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
