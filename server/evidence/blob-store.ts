// Content-addressed blob storage: a file's name is its sha256, so identical bytes are stored
// once however often they are uploaded, and a stored file can be checked against its name.
// Uploads are streamed to a temporary file first (stageUpload), with the size limit enforced
// while the bytes arrive: nothing holds a whole upload in memory (issue 9, Medium 4).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';

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
 * Any other failure (malformed multipart, client gone, a part that already failed before it
 * was handed over) removes the file and rejects with it.
 */
export async function stageUpload(source: Readable, tmpDir: string, maxBytes: number): Promise<StagedUpload> {
  mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const path = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) return callback(new UploadTooLarge(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  // A file stream the multipart parser cut short emits 'limit' (over its fileSize) and ends.
  source.once('limit', () => measure.destroy(new UploadTooLarge(maxBytes)));
  const out = createWriteStream(path, { mode: 0o600 });
  try {
    await pipeline(source, measure, out);
  } catch (err) {
    // The write stream opens its file asynchronously: wait until it is closed, or a file opened
    // after a quick failure would outlive the rmSync.
    if (!out.closed) await once(out, 'close').catch(() => {});
    rmSync(path, { force: true });
    throw err;
  }
  return { path, sha256: hash.digest('hex'), size };
}
