// Rotating client addresses within one IPv6 network must not buy a fresh anonymous budget: one
// host is handed a whole /64, 2^64 addresses. (@fastify/rate-limit's own key groups IPv6 by /64;
// Arbiter's key generator replaces it and must do the same.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { rateLimitKey } from '../../../server/http/rate-limit.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { RATE_LIMIT_ANON_MAX: '3', RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW_MS: '60000' } });
});
afterAll(async () => t?.close());

const ping = (remoteAddress: string) => t.app.inject({ url: '/v1/ping', remoteAddress });

describe('anonymous rate limit over IPv6', () => {
  it('counts every address of one /64 against one budget', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await ping(`2001:db8:77:1:${i.toString(16)}::${i}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Another /64 has its own.
    expect((await ping('2001:db8:77:2::1')).statusCode).toBe(200);
  });

  it('counts an IPv4 client the same whether the socket shows it mapped to IPv6 or not', async () => {
    const statuses: number[] = [];
    for (const a of ['198.51.100.61', '::ffff:198.51.100.61', '198.51.100.61', '::ffff:c633:643d']) statuses.push((await ping(a)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('keys addresses as written in any IPv6 form', () => {
    const key = (ip: string) => rateLimitKey({ principal: { kind: 'anonymous' }, ip } as never);
    expect(key('2001:DB8:0:0:1::1')).toBe(key('2001:db8::ffff:1'));
    expect(key('2001:db8::1')).not.toBe(key('2001:db8:0:1::1'));
    expect(key('::ffff:10.0.0.1')).toBe(key('10.0.0.1'));
    expect(key('fe80::1%eth0')).toBe(key('fe80::2'));
  });
});
