// Content-addressed blob storage: a file's name is its sha256, so identical bytes are stored
// once however often they are uploaded, and a stored file can be checked against its name.
// Uploads are streamed to a temporary file first (stageUpload), with the size limit enforced
// while the bytes arrive: nothing holds a whole upload in memory (issue 9, Medium 4).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

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

/** Moves a staged upload to its content address (or drops it when those bytes are already stored). */
export function storeStaged(dir: string, staged: StagedUpload): { path: string; created: boolean } {
  const path = blobPath(dir, staged.sha256);
  if (existsSync(path)) {
    rmSync(staged.path, { force: true });
    return { path, created: false };
  }
  mkdirSync(join(dir, staged.sha256.slice(0, 2)), { recursive: true });
  renameSync(staged.path, path);
  return { path, created: true };
}

export function readBlob(dir: string, sha256: string): Buffer {
  return readFileSync(blobPath(dir, sha256));
}

export interface StagedUpload {
  path: string;
  sha256: string;
  size: number;
}

export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the upload is larger than ${limit} bytes`);
  }
}

/**
 * Streams `source` into a new file under `tmpDir` (mode 600), hashing as it goes. More than
 * `maxBytes` bytes: stops reading at once, removes the file and rejects with UploadTooLarge.
 * Any other failure (malformed multipart, client gone) removes the file and rejects with it.
 */
export function stageUpload(source: Readable, tmpDir: string, maxBytes: number): Promise<StagedUpload> {
  mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const path = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
  const out = createWriteStream(path, { mode: 0o600 });
  const hash = createHash('sha256');
  let size = 0;
  return new Promise<StagedUpload>((resolve, reject) => {
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      source.unpipe(out);
      source.resume(); // let the rest of the part drain so the parser is not left stuck
      out.destroy();
      rmSync(path, { force: true });
      reject(err);
    };
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        fail(new UploadTooLarge(maxBytes));
        return;
      }
      hash.update(chunk);
    });
    source.on('limit', () => fail(new UploadTooLarge(maxBytes)));
    source.on('error', (err) => fail(err));
    out.on('error', (err) => fail(err));
    out.on('finish', () => {
      if (!failed) resolve({ path, sha256: hash.digest('hex'), size });
    });
    source.pipe(out);
  });
}
