// Issue 9, High 1 and Low: the work a request can cause is bounded before validation, every
// route is rate-limited per caller and per address on Redis, and every error Fastify or Node
// answer before a route runs is problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { CASE_BODY_LIMIT } from '../../../server/cases/routes.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const post = (payload: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/cases', payload, headers: { 'content-type': 'application/json', ...headers } });

/** The largest valid record: every text at its maximum in astral characters, every list full. */
function largestRecord() {
  const r = structuredClone(validRecords.visaFraud) as Record<string, any>;
  const astral = (n: number) => '😀'.repeat(n);
  r.ref = astral(200);
  r.claimant = { name: astral(200), email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.example`, wallet: `0x${'5a'.repeat(20)}` };
  r.respondent = { name: astral(200) };
  r.narrative = astral(10_000);
  r.onchainDispute = { arbitrable: `0x${'12'.repeat(20)}`, disputeId: (2n ** 256n - 1n).toString(), rulings: { claimant: 2 ** 32, respondent: 2 ** 32 - 1 } };
  r.chargeback.merchantResponse = astral(10_000);
  r.chargeback.priorUndisputedTransactions = Array.from({ length: 100 }, () => ({
    date: '2025-09-01',
    ipMatch: false,
    deviceIdMatch: false,
    shippingAddressMatch: false,
    accountMatch: false,
  }));
  return r;
}
/** JSON with every non-ASCII character as \u escapes, as Python's json.dumps writes it. */
const asciiJson = (v: unknown) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('bounded work per request', () => {
  it('files the largest valid record, even fully \\u-escaped, and the limit is not much larger', async () => {
    const text = asciiJson(largestRecord());
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CASE_BODY_LIMIT);
    expect(CASE_BODY_LIMIT).toBeLessThan(Buffer.byteLength(text) * 1.1);
    const res = await post(text);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
  });

  it('answers 413 problem+json to a body over the route limit', async () => {
    const res = await post(`{"kind":"flight","flight":{"itinerary":[${Array(200_000).fill(1).join(',')}]}}`);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().type).toBe('/problems/payload-too-large');
  });

  it('refuses an array of 100,000 entries within the size limit at its pointer, before parsing it', async () => {
    const res = await post(`{"kind":"flight","flight":{"itinerary":[${Array(100_000).fill(1).join(',')}]}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ pointer: '/flight/itinerary', message: 'has more than 100 entries' }]);
  });

  it('refuses 20,000 unknown members with one error at the object', async () => {
    const res = await post(`{${Array.from({ length: 20_000 }, (_, i) => `"f${i}":1`).join(',')}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ pointer: '', message: 'has more than 32 members; nothing here takes that many' }]);
  });

  it('applies the default body limit to routes that declare none', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/merchants',
      payload: JSON.stringify({ name: 'x'.repeat(t.config.bodyLimit) }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.statusCode).toBe(413);
  });

  it('refuses a duplicate member, naming it, instead of keeping the last one', async () => {
    const text = JSON.stringify(validRecords.eu261Delay).replace('"kind":"flight"', '"kind":"chargeback","kind":"flight"');
    const res = await post(text);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ pointer: '/kind', message: '"kind" appears twice in one object; name each member once' }]);
  });

  it('names a __proto__ member instead of calling the body invalid JSON', async () => {
    const res = await post('{"kind":"flight","__proto__":{"x":1}}');
    expect(res.json().errors).toEqual([{ pointer: '/__proto__', message: '"__proto__" is not allowed as a member name' }]);
  });

  it('refuses a lone surrogate sent as an escape, naming the field', async () => {
    const text = JSON.stringify(validRecords.eu261Delay).replace('"A. Passenger"', '"A. \\ud800Passenger"');
    const res = await post(text);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/claimant/name');
  });

  it('tells a client that sent JSON as text/plain to send it as application/json', async () => {
    const res = await post(JSON.stringify(validRecords.eu261Delay), { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toMatch(/Content-Type: application\/json \(it came as text\/plain\)/);
  });
});

describe('query and path errors', () => {
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  it('refuses limit=1.5 instead of truncating it', async () => {
    const res = await t.app.inject({ url: '/v1/cases?limit=1.5', headers: admin() });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ pointer: '/limit', message: 'query parameter: must be a whole number' }]);
  });

  it('lists the allowed values of an enum query parameter', async () => {
    const res = await t.app.inject({ url: '/v1/cases?status=bogus', headers: admin() });
    expect(res.json().errors[0].message).toMatch(/must be one of: filed, executing, .*withdrawn/);
    const kind = await t.app.inject({ url: '/v1/cases?kind=x', headers: admin() });
    expect(kind.json().errors[0].message).toBe('query parameter: must be one of: flight, chargeback');
  });

  it('answers a malformed percent-escape and a 101-character id with problem+json', async () => {
    const bad = await t.app.inject({ url: '/v1/cases/%E0%A4%A', headers: admin() });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const long = await t.app.inject({ url: `/v1/cases/${'a'.repeat(101)}`, headers: admin() });
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(long.json().type).toBe('/problems/uri-too-long');
  });

  it('says "An arbitrator", and names the Idempotency-Key header in its errors', async () => {
    const arb = (await t.app.inject({ method: 'POST', url: '/v1/arbitrators', payload: { name: 'A' }, headers: admin() })).json();
    const res = await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'M' }, headers: { authorization: `Bearer ${arb.token}` } });
    expect(res.json().detail).toBe('An arbitrator may not do this');
    const key = await post(JSON.stringify(validRecords.eu261Delay), { 'idempotency-key': 'x'.repeat(256) });
    expect(key.json().errors).toEqual([{ header: 'Idempotency-Key', message: expect.stringMatching(/1 to 255/) }]);
  });
});

describe('response headers', () => {
  it('marks answers no-store (a filing carries the claimant token) and challenges a 401 with Bearer', async () => {
    const filed = await post(JSON.stringify(validRecords.eu261Delay));
    expect(filed.headers['cache-control']).toBe('no-store');
    const anon = await t.app.inject({ url: '/v1/cases' });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['www-authenticate']).toBe('Bearer realm="arbiter"');
    const bad = await t.app.inject({ url: '/v1/cases', headers: { authorization: 'Bearer mk_nope' } });
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="arbiter", error="invalid_token"');
  });
});

describe('over a real socket', () => {
  let server: TestApp;
  let port: number;
  beforeAll(async () => {
    server = await startTestApp({ env: { HEADERS_TIMEOUT_MS: '600', REQUEST_TIMEOUT_MS: '1500', CONNECTION_TIMEOUT_MS: '5000' } });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    port = (server.app.server.address() as { port: number }).port;
  });
  afterAll(async () => server?.close());

  /** Raw bytes out, everything the server answers until it closes (or the deadline passes). */
  function converse(write: (socket: import('node:net').Socket) => void, deadlineMs: number) {
    return new Promise<{ text: string; closedAfterMs: number }>((resolve, reject) => {
      const started = Date.now();
      const socket = connect(port, '127.0.0.1', () => write(socket));
      let text = '';
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
      setTimeout(() => {
        socket.destroy();
        reject(new Error(`still open after ${deadlineMs} ms; got ${JSON.stringify(text)}`));
      }, deadlineMs).unref();
    });
  }

  it('answers a 17 KB header with 431 problem+json', async () => {
    const { text } = await converse((s) => s.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`), 20_000);
    expect(text).toMatch(/^HTTP\/1\.1 431/);
    expect(text).toMatch(/Content-Type: application\/problem\+json/);
    expect(text).toContain('"type":"/problems/header-too-large"');
  });

  it('closes a connection that trickles its headers one byte at a time (header timeout)', async () => {
    const { closedAfterMs } = await converse((s) => {
      const line = 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ';
      s.write(line);
      const timer = setInterval(() => (s.writable ? s.write('a') : clearInterval(timer)), 100);
      s.on('close', () => clearInterval(timer));
    }, 30_000);
    // Closed by the server long before the trickle would have ended (it never ends).
    expect(closedAfterMs).toBeLessThan(30_000);
  });

  it('closes a connection that trickles its body (request timeout)', async () => {
    const { text } = await converse((s) => {
      s.write(`POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
      const timer = setInterval(() => (s.writable ? s.write(' ') : clearInterval(timer)), 100);
      s.on('close', () => clearInterval(timer));
    }, 30_000);
    expect(text === '' || /^HTTP\/1\.1 408/.test(text)).toBe(true);
  });

  it('answers an anonymous 10 MiB upload 401 before reading its body', async () => {
    const filed = (await server.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay })).json();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `/v1/cases/${filed.id}/evidence`,
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'content-length': String(10 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on('error', (e) => reject(e));
      // Only the first kilobyte is ever sent: the answer cannot depend on the rest.
      req.write(`--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${'a'.repeat(1000)}`);
    });
    expect(status).toBe(401);
  });
});

describe('rate limits', () => {
  let a: TestApp;
  let b: TestApp;
  const prefix = `arbiter-test-${randomBytes(6).toString('hex')}`;
  const env = { RATE_LIMIT_MAX: '8', RATE_LIMIT_ANON_MAX: '4', RATE_LIMIT_WINDOW_MS: '60000' };
  beforeAll(async () => {
    // Two server processes' worth of app on one Redis prefix: the counts are shared.
    a = await startTestApp({ env, queuePrefix: prefix });
    b = await startTestApp({ env, queuePrefix: prefix });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const ping = (app: TestApp, remoteAddress: string, headers: Record<string, string> = {}) =>
    app.app.inject({ url: '/v1/ping', remoteAddress, headers });

  it('answers 429 problem+json with Retry-After once an address has spent its budget, across both processes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ping(i % 2 ? a : b, '198.51.100.7')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const over = await ping(a, '198.51.100.7');
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.json()).toMatchObject({ type: '/problems/rate-limited', status: 429, limit: 4 });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await ping(b, '198.51.100.7')).statusCode).toBe(429);
    // Another address has its own budget.
    expect((await ping(a, '198.51.100.8')).statusCode).toBe(200);
  });

  it('counts an authenticated caller by its principal, with the larger budget, whatever its address', async () => {
    const m = (await a.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'RL' }, headers: { authorization: `Bearer ${a.adminToken}` }, remoteAddress: '203.0.113.1' })).json();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await ping(a, `203.0.113.${10 + i}`, { authorization: `Bearer ${m.apiKey}` })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
  });

  it('counts requests with a bad token against their address (guessing tokens is throttled too)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await ping(a, '198.51.100.9', { authorization: `Bearer mk_${randomUUID()}` })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('limits unknown routes too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await a.app.inject({ url: '/nowhere', remoteAddress: '198.51.100.10' })).statusCode);
    expect(statuses).toEqual([404, 404, 404, 404, 429]);
  });
});

describe('rate limits far below the budget', () => {
  let a: TestApp;
  let b: TestApp;
  const prefix = `arbiter-test-${randomBytes(6).toString('hex')}`;
  const env = { RATE_LIMIT_ANON_MAX: '200', RATE_LIMIT_WINDOW_MS: '60000' };
  beforeAll(async () => {
    a = await startTestApp({ env, queuePrefix: prefix });
    b = await startTestApp({ env, queuePrefix: prefix });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts locally and in batches, loses no count, and another process then sees the whole budget spent', async () => {
    const ping = (app: TestApp) => app.app.inject({ url: '/v1/ping', remoteAddress: '198.51.100.77' });
    for (let i = 0; i < 150; i++) expect((await ping(a)).statusCode).toBe(200);
    const redis = new Redis(a.config.redisUrl);
    try {
      const deadline = Date.now() + 20_000;
      let seen = 0;
      while ((seen = Number(await redis.get(`${prefix}:ratelimit:a:198.51.100.77`))) < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toBe(150);
    } finally {
      redis.disconnect();
    }
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push((await ping(b)).statusCode);
    expect(statuses.slice(0, 50).every((s) => s === 200)).toBe(true);
    expect(statuses[50]).toBe(429);
  });
});

describe('trust proxy', () => {
  let p: TestApp;
  beforeAll(async () => {
    p = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_ANON_MAX: '2' } });
  });
  afterAll(async () => p?.close());

  it('takes the client address from X-Forwarded-For set by a trusted proxy: rate limits and anonymous idempotency scopes per client', async () => {
    const via = (client: string, extra: Record<string, string> = {}) =>
      p.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client, ...extra } });
    const key = randomUUID();
    const mine = await via('192.0.2.50', { 'idempotency-key': key });
    const theirs = await via('192.0.2.51', { 'idempotency-key': key });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().accessToken).not.toBe(mine.json().accessToken);
    expect((await via('192.0.2.50')).statusCode).toBe(201);
    expect((await via('192.0.2.50')).statusCode).toBe(429);
    expect((await via('192.0.2.52')).statusCode).toBe(201);
  });
});
