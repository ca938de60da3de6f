// Bearer secrets: 256 random bits, shown once, stored only as their sha256 (a high-entropy
// token needs no slow hash: nobody can guess it from its digest).
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes say what a token is for, so a leaked one is recognisable (and we look in one table). */
export const tokenPrefixes = {
  claimant: 'ct_',
  merchant: 'mk_',
  arbitrator: 'at_',
  creator: 'cr_',
  admin: 'adm_',
} as const;

// Drawing 32 bytes at a time from the CSPRNG costs a native call each (~10 µs here); drawing
// 4 KiB at once and handing out slices gives the same bytes, and each slice is used once.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function secretBytes(n: number): Buffer {
  if (poolOffset + n > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

export function newSecret(prefix: string): string {
  return prefix + secretBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  // One-shot crypto.hash (Node ≥ 20.12): the same digest as createHash().update().digest(),
  // without the Hash object; every filing and every authenticated request hashes a secret.
  return hash('sha256', secret, 'hex');
}

export function sameHash(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
