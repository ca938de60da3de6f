// The admin bearer token: ADMIN_TOKEN when set; otherwise generated at first start and printed
// once. Nothing usable is kept at rest: DATA_DIR/admin-token-hash holds only its sha256 (mode
// 600), which is all authentication needs (authenticate.ts compares hashes). The token is 256
// random bits, so its hash cannot be searched back to it; whoever reads the file learns nothing
// that opens the API. A lost token is replaced by deleting the file and restarting (a new one is
// printed), or by setting ADMIN_TOKEN.
//
// Data directories from before kept the token itself in DATA_DIR/admin-token: at start its hash
// is written and the clear file deleted, so the token keeps working and is no longer at rest.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { hashSecret, newSecret, tokenPrefixes } from './tokens.js';

export interface AdminToken {
  /** sha256 hex of the token: what authentication compares against. */
  hash: string;
  /** The token itself: only when it came from ADMIN_TOKEN or was generated now (to print once). */
  token?: string;
  source: 'env' | 'file' | 'generated' | 'migrated';
  /** The hash file (not for ADMIN_TOKEN). */
  path?: string;
}

export function adminTokenHashPath(dataDir: string): string {
  return join(dataDir, 'admin-token-hash');
}

/** Where versions before the hash file kept the token in clear (migrated away at start). */
export function legacyAdminTokenPath(dataDir: string): string {
  return join(dataDir, 'admin-token');
}

const HEX64 = /^[0-9a-f]{64}$/;

function readHash(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const hash = readFileSync(path, 'utf8').trim();
  if (!HEX64.test(hash)) throw new Error(`${path} does not hold a sha256 hex digest; delete it to generate a new admin token`);
  return hash;
}

/** Writes the hash file unless another process did meanwhile; the hash that is on disk afterwards. */
function writeHash(path: string, hash: string): string {
  try {
    writeFileSync(path, hash + '\n', { mode: 0o600, flag: 'wx' });
    return hash;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readHash(path)!;
    throw err;
  }
}

export function resolveAdminToken(config: Pick<Config, 'adminToken' | 'dataDir'>): AdminToken {
  if (config.adminToken) return { hash: hashSecret(config.adminToken), token: config.adminToken, source: 'env' };
  const path = adminTokenHashPath(config.dataDir);
  const legacy = legacyAdminTokenPath(config.dataDir);
  const existing = readHash(path);
  if (existing) {
    // A clear copy left beside the hash (a start that died between the two steps below).
    if (existsSync(legacy)) rmSync(legacy, { force: true });
    return { hash: existing, source: 'file', path };
  }
  mkdirSync(config.dataDir, { recursive: true });
  if (existsSync(legacy)) {
    const clear = readFileSync(legacy, 'utf8').trim();
    if (clear) {
      const hash = writeHash(path, hashSecret(clear));
      rmSync(legacy, { force: true });
      return { hash, source: 'migrated', path };
    }
  }
  const token = newSecret(tokenPrefixes.admin);
  const hash = writeHash(path, hashSecret(token));
  // Another process generated one first: theirs stands, and they print it.
  if (hash !== hashSecret(token)) return { hash, source: 'file', path };
  return { hash, token, source: 'generated', path };
}
