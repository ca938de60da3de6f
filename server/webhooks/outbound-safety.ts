// Where webhooks may go. Only http(s) URLs without credentials. In production no loopback,
// link-local, private, shared, multicast or reserved target: checked on the URL when an endpoint
// is saved, and again on the address actually connected to at send time (a name that resolved to
// a public address yesterday may resolve to 127.0.0.1 today: DNS rebinding).
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`, `::127.0.0.1`) is judged as IPv4. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^::(?:ffff:(?:0:)?)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return undefined;
}

/** True for any address a production webhook must not reach. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    return v4 ? blocked.check(v4, 'ipv4') : blocked.check(bare, 'ipv6');
  }
  return true; // not an address at all: refuse
}

export interface UrlCheck {
  ok: boolean;
  reason?: string;
}

/** The static part: scheme, credentials, and (when private targets are refused) literal addresses and local names. */
/**
 * Why a webhook URL may not carry a query string or fragment (issue 9, review), or undefined.
 * Receivers often authenticate callers with a token in the query (`?token=…`), and a URL is kept
 * and shown as given: in the endpoint and merchant views, the web app, the delivery log, and the
 * access logs of every proxy and of the receiver. Sealing our copy would protect one of those
 * places, so the URL is refused instead, in every mode, with the reason: each delivery is signed
 * (the endpoint's secret, `Arbiter-Signature`), which is what a receiver should check, and a
 * receiver that routes by parameter can route by path.
 */
export function urlSecretCarrier(url: URL): string | undefined {
  if (url.search || url.href.includes('?')) {
    return 'must not carry a query string: it often holds a token, and a URL is stored and shown as given; verify the Arbiter-Signature header instead (route by path if you need to)';
  }
  if (url.hash || url.href.includes('#')) return 'must not carry a fragment (#…)';
  return undefined;
}

export function checkWebhookUrl(raw: string, allowPrivate: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must be an http(s) URL' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  const inUrl = urlSecretCarrier(url);
  if (inUrl) return { ok: false, reason: inUrl };
  if (allowPrivate) return { ok: true };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    return isPrivateAddress(host) ? { ok: false, reason: `targets a private or reserved address (${host})` } : { ok: true };
  }
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || lower.endsWith('.localhost') || lower.endsWith('.local') || lower.endsWith('.internal') || !lower.includes('.')) {
    return { ok: false, reason: `targets a local host name (${host})` };
  }
  return { ok: true };
}

export class BlockedAddressError extends Error {
  readonly code = 'EWEBHOOKBLOCKED';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.Agent: resolves the name and keeps only public addresses, so the socket
 * can only connect to an address that passed the check (no gap between check and connect).
 */
export function safeLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const allowed = (addresses as LookupAddress[]).filter((a) => !isPrivateAddress(a.address));
    if (allowed.length === 0) {
      return callback(new BlockedAddressError(`${hostname} resolves only to private or reserved addresses`), '');
    }
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0].address, allowed[0].family);
  });
}
