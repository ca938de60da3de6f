// Merchants (and airlines) are respondents that use the API. Created by the admin; API keys are
// returned once and stored only hashed. A merchant manages its own keys: create, list (prefix
// only), rotate (the old key keeps working for a grace period) and revoke.
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { merchantApiKeys, merchantArbitrables, merchantNotices, merchants, type MerchantApiKeyRow, type MerchantRow } from '../db/schema.js';
import { createOutboxWriter } from '../webhooks/outbox.js';
import { hashSecret, newSecret, tokenPrefixes } from '../auth/tokens.js';
import { Problem } from '../errors.js';

export interface MerchantView {
  id: string;
  object: 'merchant';
  name: string;
  webhookUrl: string | null;
  createdAt: string;
}

export interface ApiKeyView {
  id: string;
  object: 'api_key';
  /** The first characters of the key, enough to recognise it. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** An ERC-792 arbitrable contract the merchant operates: its cases may bind that contract's disputes. */
export interface ArbitrableView {
  object: 'arbitrable';
  /** The contract address, lower case. */
  address: string;
  merchantId: string;
  addedBy: string;
  note: string | null;
  createdAt: string;
}

export interface NoticeView {
  id: string;
  object: 'notice';
  type: string;
  message: string;
  data: Record<string, unknown>;
  createdAt: string;
}

/** mk_ plus 6 characters of the random part: 36 bits, plenty to tell keys apart, useless to guess. */
const PREFIX_LENGTH = tokenPrefixes.merchant.length + 6;
export const MAX_KEY_GRACE_SECONDS = 7 * 24 * 3600;
export const MAX_ACTIVE_KEYS = 10;

export function toMerchantView(row: MerchantRow): MerchantView {
  return { id: row.id, object: 'merchant', name: row.name, webhookUrl: row.webhookUrl, createdAt: row.createdAt };
}

function toArbitrableView(row: typeof merchantArbitrables.$inferSelect): ArbitrableView {
  return { object: 'arbitrable', address: row.address, merchantId: row.merchantId, addedBy: row.addedBy, note: row.note, createdAt: row.createdAt };
}

function toKeyView(row: MerchantApiKeyRow): ApiKeyView {
  return { id: row.id, object: 'api_key', prefix: row.prefix, createdAt: row.createdAt, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
}

export function createMerchantService(deps: { db: Db; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  // Authentication runs on every merchant request: one indexed read of a live key.
  const byKeyHash = db
    .select({ merchantId: merchantApiKeys.merchantId, expiresAt: merchantApiKeys.expiresAt })
    .from(merchantApiKeys)
    .where(and(eq(merchantApiKeys.keyHash, sql.placeholder('hash')), isNull(merchantApiKeys.revokedAt)))
    .prepare();
  const byId = db.select().from(merchants).where(eq(merchants.id, sql.placeholder('id'))).prepare();
  const insertNotice = db
    .insert(merchantNotices)
    .values({
      id: sql.placeholder('id'),
      merchantId: sql.placeholder('merchantId'),
      type: sql.placeholder('type'),
      message: sql.placeholder('message'),
      data: sql.placeholder('data'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare();
  // Read on every filing that names an on-chain dispute.
  const arbitrableByAddress = db.select().from(merchantArbitrables).where(eq(merchantArbitrables.address, sql.placeholder('address'))).prepare();
  const writeOutbox = createOutboxWriter(db);

  function newKey(merchantId: string, now: string): { row: MerchantApiKeyRow; apiKey: string } {
    const apiKey = newSecret(tokenPrefixes.merchant);
    return {
      apiKey,
      row: { id: newId('key'), merchantId, keyHash: hashSecret(apiKey), prefix: apiKey.slice(0, PREFIX_LENGTH), createdAt: now, expiresAt: null, revokedAt: null },
    };
  }

  function liveKeys(merchantId: string, now: string): MerchantApiKeyRow[] {
    return db
      .select()
      .from(merchantApiKeys)
      .where(
        and(
          eq(merchantApiKeys.merchantId, merchantId),
          isNull(merchantApiKeys.revokedAt),
          or(isNull(merchantApiKeys.expiresAt), gt(merchantApiKeys.expiresAt, now)),
        ),
      )
      .all();
  }

  function ownedKey(merchantId: string, keyId: string): MerchantApiKeyRow {
    const row = db
      .select()
      .from(merchantApiKeys)
      .where(and(eq(merchantApiKeys.id, keyId), eq(merchantApiKeys.merchantId, merchantId)))
      .get();
    if (!row) throw new Problem('not_found', `No API key ${keyId}`);
    return row;
  }

  return {
    create(input: { name: string; webhookUrl?: string }): { merchant: MerchantView; apiKey: string } {
      const now = clock().toISOString();
      const id = newId('mch');
      const { row: key, apiKey } = newKey(id, now);
      const row: MerchantRow = { id, name: input.name, apiKeyHash: key.keyHash, webhookUrl: input.webhookUrl ?? null, walletAddress: null, createdAt: now };
      db.transaction(() => {
        db.insert(merchants).values(row).run();
        db.insert(merchantApiKeys).values(key).run();
      });
      return { merchant: toMerchantView(row), apiKey };
    },
    /** The merchant a live key belongs to: not revoked, and not past the grace period of a rotation. */
    idByKeyHash(hash: string): string | undefined {
      const row = byKeyHash.get({ hash });
      if (!row) return undefined;
      if (row.expiresAt !== null && Date.parse(row.expiresAt) <= clock().getTime()) return undefined;
      return row.merchantId;
    },
    find(id: string): MerchantView | undefined {
      const row = byId.get({ id });
      return row ? toMerchantView(row) : undefined;
    },
    exists(id: string): boolean {
      return byId.get({ id }) !== undefined;
    },
    get(id: string): MerchantView {
      const row = byId.get({ id });
      if (!row) throw new Problem('not_found', `No merchant ${id}`);
      return toMerchantView(row);
    },

    /** GET /v1/merchants/me: the merchant, its live keys (prefixes) and its notices, newest first. */
    me(id: string): MerchantView & { apiKeys: ApiKeyView[]; notices: NoticeView[] } {
      const now = clock().toISOString();
      return { ...this.get(id), apiKeys: liveKeys(id, now).map(toKeyView), notices: this.notices(id) };
    },

    /** Newest first, a page at a time: revoked and expired keys stay listed, so the history only grows. */
    listKeys(merchantId: string, query: { limit?: number; starting_after?: string } = {}): { data: ApiKeyView[]; has_more: boolean } {
      const limit = query.limit ?? 100;
      const where = [eq(merchantApiKeys.merchantId, merchantId)];
      if (query.starting_after) where.push(lt(merchantApiKeys.id, query.starting_after));
      const rows = db.select().from(merchantApiKeys).where(and(...where)).orderBy(desc(merchantApiKeys.id)).limit(limit + 1).all();
      return { data: rows.slice(0, limit).map(toKeyView), has_more: rows.length > limit };
    },

    createKey(merchantId: string): ApiKeyView & { apiKey: string } {
      const now = clock().toISOString();
      if (liveKeys(merchantId, now).length >= MAX_ACTIVE_KEYS) {
        throw new Problem('bad_request', `A merchant may hold at most ${MAX_ACTIVE_KEYS} live API keys; revoke one first`);
      }
      const { row, apiKey } = newKey(merchantId, now);
      db.insert(merchantApiKeys).values(row).run();
      return { ...toKeyView(row), apiKey };
    },

    /** A new key replaces `keyId`, which stays valid for `graceSeconds` (0: revoked now). */
    rotateKey(merchantId: string, keyId: string, graceSeconds: number): ApiKeyView & { apiKey: string; replaced: ApiKeyView } {
      const nowDate = clock();
      const now = nowDate.toISOString();
      return db.transaction(
        () => {
          const old = ownedKey(merchantId, keyId);
          if (old.revokedAt !== null || (old.expiresAt !== null && old.expiresAt <= now)) {
            throw new Problem('bad_request', `API key ${keyId} is no longer valid and cannot be rotated`);
          }
          // A key already replaced has its successor: rotating it again would mint a new live key
          // each time, past MAX_ACTIVE_KEYS (a leaked key in its grace period could keep minting).
          if (old.expiresAt !== null) {
            throw new Problem('bad_request', `API key ${keyId} was already rotated and expires at ${old.expiresAt}; rotate its successor instead`);
          }
          const expiresAt = new Date(nowDate.getTime() + graceSeconds * 1000).toISOString();
          if (graceSeconds === 0) db.update(merchantApiKeys).set({ revokedAt: now }).where(eq(merchantApiKeys.id, keyId)).run();
          else db.update(merchantApiKeys).set({ expiresAt }).where(eq(merchantApiKeys.id, keyId)).run();
          const { row, apiKey } = newKey(merchantId, now);
          db.insert(merchantApiKeys).values(row).run();
          return { ...toKeyView(row), apiKey, replaced: toKeyView(ownedKey(merchantId, keyId)) };
        },
        { behavior: 'immediate' },
      );
    },

    /** Revokes a key at once. The last live key cannot be revoked (the merchant would be locked out): rotate it. */
    revokeKey(merchantId: string, keyId: string): ApiKeyView {
      const key = ownedKey(merchantId, keyId);
      if (key.revokedAt === null) {
        // Keys in a rotation's grace period are on their way out: revoking the last key without an
        // expiry would lock the merchant out when they run out (no route issues a key then).
        const lasting = liveKeys(merchantId, clock().toISOString()).filter((k) => k.expiresAt === null);
        if (lasting.length === 1 && lasting[0].id === keyId) {
          throw new Problem('bad_request', `API key ${keyId} is your only live key that does not expire; rotate it instead of revoking it`);
        }
        db.update(merchantApiKeys).set({ revokedAt: clock().toISOString() }).where(eq(merchantApiKeys.id, keyId)).run();
      }
      return toKeyView(ownedKey(merchantId, keyId));
    },

    /** Whether `address` is an arbitrable contract `merchantId` operates (its filings may bind its disputes). */
    operatesArbitrable(merchantId: string, address: string): boolean {
      return arbitrableByAddress.get({ address: address.toLowerCase() })?.merchantId === merchantId;
    },

    /** The arbitrable contracts the merchant operates, by address. */
    listArbitrables(merchantId: string): ArbitrableView[] {
      this.get(merchantId);
      return db.select().from(merchantArbitrables).where(eq(merchantArbitrables.merchantId, merchantId)).orderBy(merchantArbitrables.address).all().map(toArbitrableView);
    },

    /**
     * Ties an arbitrable contract to the merchant (the admin, having checked the merchant controls
     * it). Idempotent for the same merchant; a contract another merchant operates is a 409 (remove
     * it there first). The row and the merchant's webhook `merchant.arbitrable_added` commit together.
     */
    addArbitrable(merchantId: string, address: string, input: { note?: string; actor: string }): { arbitrable: ArbitrableView; created: boolean } {
      const lower = address.toLowerCase();
      return db.transaction(
        (tx) => {
          this.get(merchantId);
          const existing = arbitrableByAddress.get({ address: lower });
          if (existing && existing.merchantId !== merchantId) {
            throw new Problem('arbitrable_taken', `${lower} is an arbitrable of merchant ${existing.merchantId}; remove it there first`, [{ pointer: '/address', message: 'is operated by another merchant' }]);
          }
          if (existing) return { arbitrable: toArbitrableView(existing), created: false };
          const row = { address: lower, merchantId, addedBy: input.actor, note: input.note ?? null, createdAt: clock().toISOString() };
          tx.insert(merchantArbitrables).values(row).run();
          writeOutbox({ caseId: null, merchantId, eventType: 'merchant.arbitrable_added', data: { merchantId, arbitrable: lower, actor: input.actor }, createdAt: row.createdAt });
          return { arbitrable: toArbitrableView(row), created: true };
        },
        { behavior: 'immediate' },
      );
    },

    /** Unties it: cases filed from now on may no longer bind its disputes (those already bound keep theirs). */
    removeArbitrable(merchantId: string, address: string, actor: string): void {
      const lower = address.toLowerCase();
      db.transaction(
        (tx) => {
          this.get(merchantId);
          const existing = arbitrableByAddress.get({ address: lower });
          if (!existing || existing.merchantId !== merchantId) throw new Problem('not_found', `${lower} is not an arbitrable of merchant ${merchantId}`);
          tx.delete(merchantArbitrables).where(eq(merchantArbitrables.address, lower)).run();
          writeOutbox({ caseId: null, merchantId, eventType: 'merchant.arbitrable_removed', data: { merchantId, arbitrable: lower, actor }, createdAt: clock().toISOString() });
        },
        { behavior: 'immediate' },
      );
    },

    /** Tells the merchant something (shown on GET /v1/merchants/me); runs inside the caller's transaction. */
    notify(merchantId: string, type: string, message: string, data: Record<string, unknown>): void {
      insertNotice.run({ id: newId('ntc'), merchantId, type, message, data: JSON.stringify(data), createdAt: clock().toISOString() });
    },

    notices(merchantId: string, limit = 20): NoticeView[] {
      return db
        .select()
        .from(merchantNotices)
        .where(eq(merchantNotices.merchantId, merchantId))
        .orderBy(desc(merchantNotices.id))
        .limit(limit)
        .all()
        .map((n) => ({ id: n.id, object: 'notice' as const, type: n.type, message: n.message, data: JSON.parse(n.data) as Record<string, unknown>, createdAt: n.createdAt }));
    },
  };
}

export type MerchantService = ReturnType<typeof createMerchantService>;
