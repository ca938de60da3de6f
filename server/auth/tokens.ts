// Bearer secrets: 256 random bits, shown once, stored only as their sha256 (a high-entropy
// token needs no slow hash: nobody can guess it from its digest).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes say what a token is for, so a leaked one is recognisable (and we look in one table). */
export const tokenPrefixes = {
  claimant: 'ct_',
  merchant: 'mk_',
  arbitrator: 'at_',
  admin: 'adm_',
} as const;

export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
