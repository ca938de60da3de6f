// The README's "verify a signature in a few lines of Node" snippet, run as written.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signatureHeader } from '../../../server/webhooks/signature.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const block = /```js\n(import \{ createHmac, timingSafeEqual \} from 'node:crypto';\n[\s\S]*?function verifyArbiter[\s\S]*?)```/.exec(readme)?.[1];

describe('README signature snippet', () => {
  it('verifies our signatures with the right secret (one or two v1) and refuses others', () => {
    expect(block).toBeDefined();
    const code = block!.replace(/^import .*\n/, '') + '\nreturn verifyArbiter;';
    const verifyArbiter = new Function('createHmac', 'timingSafeEqual', code)(createHmac, timingSafeEqual) as (b: string, h: string, s: string) => boolean;
    const body = '{"id":"evt_1","object":"event"}';
    const now = Math.floor(Date.now() / 1000);
    expect(verifyArbiter(body, signatureHeader(['whsec_a'], now, body), 'whsec_a')).toBe(true);
    expect(verifyArbiter(body, signatureHeader(['whsec_b', 'whsec_a'], now, body), 'whsec_a')).toBe(true);
    expect(verifyArbiter(body, signatureHeader(['whsec_b'], now, body), 'whsec_a')).toBe(false);
    expect(verifyArbiter(body + ' ', signatureHeader(['whsec_a'], now, body), 'whsec_a')).toBe(false);
    expect(verifyArbiter(body, signatureHeader(['whsec_a'], now - 3600, body), 'whsec_a')).toBe(false);
  });

  it('refuses, without throwing, the headers anyone can send a receiver: a v1 of 64 characters but more bytes, a v1 without a value', () => {
    // A throw here is a 500 (or a crashed process) at the merchant for every forged request.
    const code = block!.replace(/^import .*\n/, '') + '\nreturn verifyArbiter;';
    const verifyArbiter = new Function('createHmac', 'timingSafeEqual', code)(createHmac, timingSafeEqual) as (b: string, h: string, s: string) => boolean;
    const body = '{"id":"evt_1","object":"event"}';
    const now = Math.floor(Date.now() / 1000);
    expect(verifyArbiter(body, `t=${now},v1=${'é'.repeat(64)}`, 'whsec_a')).toBe(false);
    expect(verifyArbiter(body, `t=${now},v1`, 'whsec_a')).toBe(false);
  });
});
