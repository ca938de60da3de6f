// Content-addressed blob storage: a file's name is its sha256, so identical bytes are stored
// once however often they are uploaded, and a stored file can be checked against its name.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** DATA_DIR/evidence/<first two hex digits>/<sha256>: a fan-out keeps directories small. */
export function blobPath(dir: string, sha256: string): string {
  return join(dir, sha256.slice(0, 2), sha256);
}

export function storeBlob(dir: string, bytes: Uint8Array): { sha256: string; path: string; created: boolean } {
  const sha256 = sha256Hex(bytes);
  const path = blobPath(dir, sha256);
  if (existsSync(path)) return { sha256, path, created: false };
  mkdirSync(join(dir, sha256.slice(0, 2)), { recursive: true });
  // Write aside and rename: readers never see a half-written blob, and a concurrent upload of
  // the same bytes just renames an identical file over it.
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, bytes, { mode: 0o600 });
  renameSync(temp, path);
  return { sha256, path, created: true };
}

export function readBlob(dir: string, sha256: string): Buffer {
  return readFileSync(blobPath(dir, sha256));
}
