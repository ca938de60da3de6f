// Replayed responses without secrets at rest (issue 9, High 2). A kept response may carry a
// bearer secret shown once (a claimant's accessToken, a merchant's apiKey), so it is stored
// sealed: AES-256-GCM under a key derived (HKDF-SHA256) from the Idempotency-Key and the
// caller's scope. Neither is in the database in clear (the row holds sha256 of the key), so the
// row alone opens nothing; the caller who retries with the same key opens it again.
// The seal is as strong as the Idempotency-Key: a random UUID (122 bits) is beyond guessing,
// `1` is not, and the README says to use UUIDs.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = Buffer.from('arbiter idempotency response v1');

/** The row's key column: sha256 hex of the Idempotency-Key. */
export function keyDigest(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
}

function sealingKey(idempotencyKey: string, scope: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(idempotencyKey, 'utf8'), Buffer.from(scope, 'utf8'), INFO, 32));
}

/** `v1.<base64url(iv ‖ ciphertext ‖ tag)>`; the scope is also bound as associated data. */
export function seal(body: string, idempotencyKey: string, scope: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(idempotencyKey, scope), iv);
  cipher.setAAD(Buffer.from(scope, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The body, or undefined when the sealed text does not open with this key and scope. */
export function open(sealed: string, idempotencyKey: string, scope: string): string | undefined {
  if (!sealed.startsWith(`${VERSION}.`)) return undefined;
  const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64url');
  if (raw.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(idempotencyKey, scope), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(scope, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
