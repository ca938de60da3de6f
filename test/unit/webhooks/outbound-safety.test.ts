import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPrivateAddress, safeLookup } from '../../../server/webhooks/outbound-safety.js';

describe('outbound safety', () => {
  it('treats loopback, link-local, private, shared, reserved and IPv4-in-IPv6 addresses as private', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::7f00:1', 'ff02::1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it('accepts only http(s) URLs without credentials', () => {
    expect(checkWebhookUrl('ftp://example.com/x', true).ok).toBe(false);
    expect(checkWebhookUrl('file:///etc/passwd', true).ok).toBe(false);
    expect(checkWebhookUrl('https://user:pw@example.com/', true).ok).toBe(false);
    expect(checkWebhookUrl('not a url', true).ok).toBe(false);
    expect(checkWebhookUrl('http://127.0.0.1:9/x', true).ok).toBe(true);
  });

  it('refuses literal private addresses and local names when private targets are not allowed', () => {
    for (const u of ['http://127.0.0.1/', 'http://[::1]/', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://localhost:8080/', 'http://db.internal/', 'http://intranet/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/']) {
      expect(checkWebhookUrl(u, false).ok, u).toBe(false);
    }
    expect(checkWebhookUrl('https://hooks.example.com/arbiter', false).ok).toBe(true);
  });

  it('refuses a name whose resolved addresses are all private (checked on the address, not the name)', async () => {
    const err = await new Promise<Error | null>((resolve) => safeLookup('localhost', {}, (e) => resolve(e)));
    expect(err?.message).toMatch(/resolves only to private or reserved addresses/);
  });
});
