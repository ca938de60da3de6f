// Issue 9 (review): nothing usable of the admin token is kept at rest. A generated token is
// returned once (to print) and only its sha256 is written; later starts read the hash; a data
// directory that kept the token in clear is migrated (hash written, clear file deleted, the
// token still works); ADMIN_TOKEN writes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenHashPath, legacyAdminTokenPath, resolveAdminToken } from '../../../server/auth/admin-token.js';
import { createAuthenticator } from '../../../server/auth/authenticate.js';
import { hashSecret } from '../../../server/auth/tokens.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'arbiter-admin-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const asAdmin = (hash: string, token: string) =>
  createAuthenticator({
    adminTokenHash: hash,
    lookups: { merchantIdByKeyHash: () => undefined, arbitratorIdByTokenHash: () => undefined, caseIdForAccessToken: () => undefined },
  })(`Bearer ${token}`);

describe('the admin token at rest', () => {
  it('generates a token once, keeps only its hash (mode 600), and the token is nowhere in DATA_DIR', () => {
    const dataDir = tempDir();
    const first = resolveAdminToken({ dataDir });
    expect(first.source).toBe('generated');
    expect(first.token).toMatch(/^adm_/);
    expect(readdirSync(dataDir)).toEqual(['admin-token-hash']);
    const stored = readFileSync(adminTokenHashPath(dataDir), 'utf8').trim();
    expect(stored).toBe(hashSecret(first.token!));
    expect(stored).not.toContain(first.token!.slice(4, 20));
    expect(statSync(adminTokenHashPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(asAdmin(first.hash, first.token!)).toEqual({ kind: 'admin' });

    // A restart: the same hash, and no token to print again.
    const again = resolveAdminToken({ dataDir });
    expect(again).toEqual({ hash: first.hash, source: 'file', path: adminTokenHashPath(dataDir) });
    expect(asAdmin(again.hash, first.token!)).toEqual({ kind: 'admin' });
  });

  it('migrates a token kept in clear by an earlier version: the hash replaces it and the token keeps working', () => {
    const dataDir = tempDir();
    const token = 'adm_legacy_0123456789abcdef0123456789abcdef';
    writeFileSync(legacyAdminTokenPath(dataDir), `${token}\n`, { mode: 0o600 });
    const migrated = resolveAdminToken({ dataDir });
    expect(migrated.source).toBe('migrated');
    expect(migrated.token).toBeUndefined();
    expect(existsSync(legacyAdminTokenPath(dataDir))).toBe(false);
    expect(readFileSync(adminTokenHashPath(dataDir), 'utf8').trim()).toBe(hashSecret(token));
    expect(asAdmin(migrated.hash, token)).toEqual({ kind: 'admin' });
  });

  it('uses ADMIN_TOKEN as given and writes nothing', () => {
    const dataDir = tempDir();
    const fromEnv = resolveAdminToken({ dataDir, adminToken: 'adm_from_env' });
    expect(fromEnv).toEqual({ hash: hashSecret('adm_from_env'), token: 'adm_from_env', source: 'env' });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a hash file that holds anything but a sha256 digest (e.g. a token pasted in by hand)', () => {
    const dataDir = tempDir();
    writeFileSync(adminTokenHashPath(dataDir), 'adm_pasted\n');
    expect(() => resolveAdminToken({ dataDir })).toThrow(/sha256/);
  });
});
