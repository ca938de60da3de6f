// Merchants (and airlines) are respondents that use the API. Created by the admin; the API key
// is returned once and stored only hashed.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { merchants, type MerchantRow } from '../db/schema.js';
import { hashSecret, newSecret, tokenPrefixes } from '../auth/tokens.js';
import { Problem } from '../errors.js';

export interface MerchantView {
  id: string;
  object: 'merchant';
  name: string;
  webhookUrl: string | null;
  createdAt: string;
}

export function toMerchantView(row: MerchantRow): MerchantView {
  return { id: row.id, object: 'merchant', name: row.name, webhookUrl: row.webhookUrl, createdAt: row.createdAt };
}

export function createMerchantService(deps: { db: Db; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const byKeyHash = db
    .select({ id: merchants.id })
    .from(merchants)
    .where(eq(merchants.apiKeyHash, sql.placeholder('hash')))
    .prepare();
  const byId = db.select().from(merchants).where(eq(merchants.id, sql.placeholder('id'))).prepare();

  return {
    create(input: { name: string; webhookUrl?: string }): { merchant: MerchantView; apiKey: string } {
      const apiKey = newSecret(tokenPrefixes.merchant);
      const row: MerchantRow = {
        id: newId('mch'),
        name: input.name,
        apiKeyHash: hashSecret(apiKey),
        webhookUrl: input.webhookUrl ?? null,
        createdAt: clock().toISOString(),
      };
      db.insert(merchants).values(row).run();
      return { merchant: toMerchantView(row), apiKey };
    },
    idByKeyHash(hash: string): string | undefined {
      return byKeyHash.get({ hash })?.id;
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
  };
}

export type MerchantService = ReturnType<typeof createMerchantService>;

