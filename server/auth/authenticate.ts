// Turns an Authorization header into a Principal. No header means anonymous (filing is open to
// the portal); a header with an unknown or malformed token is a 401, never silently anonymous.
import { Problem } from '../errors.js';
import { anonymous, type Principal } from './principal.js';
import { hashSecret, sameHash, tokenPrefixes } from './tokens.js';

/** Lookups by secret hash, supplied by the features that own the secrets. */
export interface SecretLookups {
  merchantIdByKeyHash(hash: string): string | undefined;
  arbitratorIdByTokenHash(hash: string): string | undefined;
  /** Model creators (server/market); absent where the market is not served. */
  creatorIdByKeyHash?(hash: string): string | undefined;
  /** Claimant tokens name their case; the lookup checks the hash stored on it. */
  caseIdForAccessToken(token: string, hash: string): string | undefined;
}

export type Authenticate = (authorization: string | undefined) => Principal;

/** `adminTokenHash`: sha256 hex of the admin token (all that is kept of it, admin-token.ts). */
export function createAuthenticator(opts: { adminTokenHash: string; lookups: SecretLookups }): Authenticate {
  const adminHash = opts.adminTokenHash;
  const { lookups } = opts;
  return (authorization) => {
    if (authorization === undefined || authorization === '') return anonymous;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new Problem('unauthenticated', 'Authorization must be "Bearer <token>"');
    const token = match[1];
    const hash = hashSecret(token);
    if (sameHash(hash, adminHash)) return { kind: 'admin' };
    let id: string | undefined;
    if (token.startsWith(tokenPrefixes.claimant)) {
      id = lookups.caseIdForAccessToken(token, hash);
      if (id) return { kind: 'claimant', caseId: id };
    } else if (token.startsWith(tokenPrefixes.merchant)) {
      id = lookups.merchantIdByKeyHash(hash);
      if (id) return { kind: 'merchant', id };
    } else if (token.startsWith(tokenPrefixes.arbitrator)) {
      id = lookups.arbitratorIdByTokenHash(hash);
      if (id) return { kind: 'arbitrator', id };
    } else if (token.startsWith(tokenPrefixes.creator)) {
      id = lookups.creatorIdByKeyHash?.(hash);
      if (id) return { kind: 'creator', id };
    }
    throw new Problem('unauthenticated', 'The bearer token is not valid');
  };
}
