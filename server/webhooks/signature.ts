// Webhook signatures, Stripe's v1 scheme under our header name:
//   Arbiter-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>[,v1=…]
// The HMAC key is the secret string as shown (`whsec_…`), as Stripe's libraries use it, so a
// merchant may verify with `stripe.webhooks.constructEvent(body, header, secret)`. During a
// secret rotation's grace period the header carries one v1 per valid secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Arbiter-Signature';
/** Default age, in seconds, beyond which a verifier refuses a signature (replays): Stripe's 300. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(s, timestamp, body)}`)].join(',');
}

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** Unix seconds; defaults to now. */
  now?: number;
}

/** True when one v1 signature of `header` is `secret`'s over `body` and the timestamp is recent. */
export function verifySignature(body: string, header: string, secret: string, options: VerifyOptions = {}): boolean {
  let timestamp = NaN;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') timestamp = Number(value);
    else if (key === 'v1') signatures.push(value);
  }
  if (!Number.isInteger(timestamp) || signatures.length === 0) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  return signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
