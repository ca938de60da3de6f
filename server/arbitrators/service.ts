// Arbitrators review verdict trails (appeal level 2). Created by the admin; the bearer token is
// returned once and stored only hashed.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { arbitrators, type ArbitratorRow } from '../db/schema.js';
import { hashSecret, newSecret, tokenPrefixes } from '../auth/tokens.js';

export interface ArbitratorView {
  id: string;
  object: 'arbitrator';
  name: string;
  createdAt: string;
}

export function toArbitratorView(row: ArbitratorRow): ArbitratorView {
  return { id: row.id, object: 'arbitrator', name: row.name, createdAt: row.createdAt };
}

export function createArbitratorService(deps: { db: Db; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const byTokenHash = db
    .select({ id: arbitrators.id })
    .from(arbitrators)
    .where(eq(arbitrators.tokenHash, sql.placeholder('hash')))
    .prepare();

  return {
    create(input: { name: string }): { arbitrator: ArbitratorView; token: string } {
      const token = newSecret(tokenPrefixes.arbitrator);
      const row: ArbitratorRow = {
        id: newId('arb'),
        name: input.name,
        tokenHash: hashSecret(token),
        createdAt: clock().toISOString(),
      };
      db.insert(arbitrators).values(row).run();
      return { arbitrator: toArbitratorView(row), token };
    },
    idByTokenHash(hash: string): string | undefined {
      return byTokenHash.get({ hash })?.id;
    },
  };
}

export type ArbitratorService = ReturnType<typeof createArbitratorService>;
