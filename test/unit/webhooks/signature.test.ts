import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { computeSignature, signatureHeader, verifySignature } from '../../../server/webhooks/signature.js';
import { exponentialBackoff } from '../../../server/webhooks/backoff.js';

const stripe = new Stripe('sk_test_not_a_real_key');

describe('signatures', () => {
  const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'case.created', created: 1, data: { object: {} } });
  const now = Math.floor(Date.now() / 1000);

  it('is HMAC-SHA256 over "t.body" with the secret string as key, hex', () => {
    // Computed independently: printf '1700000000.x' | openssl dgst -sha256 -hmac whsec_a
    expect(computeSignature('whsec_a', 1700000000, 'x')).toBe('604f9fd043749e4cf72f969f961d0f6885e9c767f9b696a54dae651d4984c367');
    expect(signatureHeader(['whsec_a'], 1700000000, 'x')).toBe(`t=1700000000,v1=${computeSignature('whsec_a', 1700000000, 'x')}`);
  });

  it('verifies with the secret, fails with another secret, a changed body or an old timestamp', () => {
    const header = signatureHeader(['whsec_a'], now, body);
    expect(verifySignature(body, header, 'whsec_a')).toBe(true);
    expect(verifySignature(body, header, 'whsec_b')).toBe(false);
    expect(verifySignature(body + ' ', header, 'whsec_a')).toBe(false);
    expect(verifySignature(body, signatureHeader(['whsec_a'], now - 301, body), 'whsec_a')).toBe(false);
    expect(verifySignature(body, 'v1=abc', 'whsec_a')).toBe(false);
  });

  it("is accepted by Stripe's constructEvent, with one or two v1 signatures", () => {
    expect(stripe.webhooks.constructEvent(body, signatureHeader(['whsec_a'], now, body), 'whsec_a').id).toBe('evt_1');
    const both = signatureHeader(['whsec_new', 'whsec_old'], now, body);
    expect(stripe.webhooks.constructEvent(body, both, 'whsec_new').id).toBe('evt_1');
    expect(stripe.webhooks.constructEvent(body, both, 'whsec_old').id).toBe('evt_1');
    expect(() => stripe.webhooks.constructEvent(body, both, 'whsec_other')).toThrow();
  });
});

describe('backoff', () => {
  it('doubles from the base up to the cap, with jitter within ±25%', () => {
    const p = exponentialBackoff({ baseMs: 60_000, factor: 2, capMs: 6 * 3600_000, jitter: 0.5, windowMs: 72 * 3600_000, disableAfterMs: 72 * 3600_000 });
    expect([1, 2, 3, 4].map((n) => p.delayMs(n, 0.5))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(p.delayMs(20, 0.5)).toBe(6 * 3600_000);
    expect(p.delayMs(1, 0)).toBe(45_000);
    expect(p.delayMs(1, 0.999999)).toBeLessThanOrEqual(75_000);
    // The nominal schedule spans the 3-day window in about 20 attempts.
    let total = 0;
    let n = 0;
    while (total + p.delayMs(n + 1, 0.5) <= 72 * 3600_000) total += p.delayMs(++n, 0.5);
    expect(n).toBeGreaterThanOrEqual(15);
    expect(n).toBeLessThanOrEqual(25);
  });
});
