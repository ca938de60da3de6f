// Entry check of a merchant's webhook URL (issue 9, Low). Delivery applies its own outbound
// rules (the name is resolved then, and the address it resolves to is what matters); this only
// refuses, in production, a URL that names an internal target outright: a loopback, private,
// link-local (cloud metadata at 169.254.169.254) or otherwise non-public address, `localhost`,
// a non-https scheme, credentials in the URL, or a port other than 443. Development and tests
// post to local servers, so outside production only the scheme is checked, and (in every mode) that
// the URL carries no query string or fragment (urlSecretCarrier: they often hold a token).
import { isIP } from 'node:net';
import { Problem } from '../errors.js';
import { urlSecretCarrier } from '../webhooks/outbound-safety.js';

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0000200, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xc6336400, 24], [0xcb007100, 24],
  [0xe0000000, 4], [0xf0000000, 4],
];

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function isNonPublicAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const n = v4Number(ip);
    return PRIVATE_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
  }
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isNonPublicAddress(mapped[1]);
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6) || v6.startsWith('::ffff:') || v6.startsWith('64:ff9b:');
}

/** Refuses a webhook URL (400 naming /webhookUrl) that no merchant's public endpoint has. */
export function assertWebhookUrl(raw: string | undefined, production: boolean): void {
  if (raw === undefined) return;
  const refuse = (why: string) => {
    throw Problem.validation([{ pointer: '/webhookUrl', message: why }]);
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('must be an http(s) URL');
  const inUrl = urlSecretCarrier(url);
  if (inUrl) return refuse(inUrl);
  if (!production) return;
  if (url.protocol !== 'https:') return refuse('must be an https URL');
  if (url.username || url.password) return refuse('must not carry credentials; webhooks are signed instead');
  if (url.port && url.port !== '443') return refuse('must use the standard https port');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local') || !host.includes('.') && isIP(host) === 0) {
    return refuse('must name a public host, not an internal one');
  }
  if (isIP(host) !== 0 && isNonPublicAddress(host)) return refuse('must not point at a loopback, private, link-local or metadata address');
  // Numeric forms URL() does not normalise to dotted quads (e.g. 2130706433, 0x7f.1) are gone
  // by now: WHATWG URL parsing turns them into 127.0.0.1.
}
