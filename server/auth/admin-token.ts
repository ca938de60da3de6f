// The admin bearer token: ADMIN_TOKEN when set; otherwise generated at first start, kept in
// DATA_DIR/admin-token (mode 600) and printed once, so restarts keep the same token.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { newSecret, tokenPrefixes } from './tokens.js';

export interface AdminToken {
  token: string;
  source: 'env' | 'file' | 'generated';
  path?: string;
}

export function adminTokenPath(dataDir: string): string {
  return join(dataDir, 'admin-token');
}

export function resolveAdminToken(config: Pick<Config, 'adminToken' | 'dataDir'>): AdminToken {
  if (config.adminToken) return { token: config.adminToken, source: 'env' };
  const path = adminTokenPath(config.dataDir);
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    if (token) return { token, source: 'file', path };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const token = newSecret(tokenPrefixes.admin);
  // 'wx' fails if another process created it meanwhile; then we read theirs.
  try {
    writeFileSync(path, token + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { token: readFileSync(path, 'utf8').trim(), source: 'file', path };
    throw err;
  }
  return { token, source: 'generated', path };
}
