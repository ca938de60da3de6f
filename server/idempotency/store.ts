// Idempotency keys with Stripe's semantics: the first request with a key runs and its response
// is kept; a retry with the same key and the same request gets that response replayed; the same
// key with a different request is a 409. Keys are scoped per caller and expire after 24 h.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { idempotencyKeys } from '../db/schema.js';
import { Problem } from '../errors.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this with no response is from a crashed request; it may be retried. */
const ABANDONED_AFTER_MS = 60_000;

export type Begin =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; contentType: string; body: string };

export function createIdempotencyStore(deps: { db: Db; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const find = db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, sql.placeholder('scope')), eq(idempotencyKeys.key, sql.placeholder('key'))))
    .prepare();
  let lastPurge = 0;

  return {
    /** Claims the key for this request, or says how to answer without running it. */
    begin(scope: string, key: string, fingerprint: string): Begin {
      const now = clock();
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
          const abandoned = row && row.state === 'in_progress' && Date.parse(row.createdAt) < now.getTime() - ABANDONED_AFTER_MS;
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
            return {
              kind: 'replay' as const,
              status: row.responseStatus!,
              contentType: row.responseContentType ?? 'application/json',
              body: row.responseBody ?? '',
            };
          }
          db.insert(idempotencyKeys)
            .values({ scope, key, fingerprint, state: 'in_progress', createdAt: now.toISOString() })
            .onConflictDoUpdate({
              target: [idempotencyKeys.scope, idempotencyKeys.key],
              set: { fingerprint, state: 'in_progress', responseStatus: null, responseBody: null, responseContentType: null, createdAt: now.toISOString() },
            })
            .run();
          return { kind: 'proceed' as const };
        },
        { behavior: 'immediate' },
      );
    },

    complete(scope: string, key: string, response: { status: number; contentType: string; body: string }): void {
      db.update(idempotencyKeys)
        .set({ state: 'done', responseStatus: response.status, responseContentType: response.contentType, responseBody: response.body })
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')))
        .run();
    },

    /** Forgets a claim whose request should not be replayed (e.g. it failed validation). */
    release(scope: string, key: string): void {
      db.delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')))
        .run();
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
