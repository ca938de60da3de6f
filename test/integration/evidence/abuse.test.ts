// Issue 9, Medium 3–5 and Low: malformed multipart, uploads bounded while streaming, quotas,
// structure-checked types, hostile file names, and evidence served so no browser renders it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords, withField } from '../../support/case-fixtures.js';
import { pdfFile, pngFile } from '../../support/evidence-files.js';
import { buildApp } from '../../../server/app.js';

const LIMIT = 64 * 1024;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    env: {
      EVIDENCE_MAX_BYTES: String(LIMIT),
      EVIDENCE_MAX_FILES_PER_CASE: '3',
      EVIDENCE_MAX_BYTES_PER_CASE: String(100 * 1024),
      EVIDENCE_MAX_BYTES_PER_CALLER: String(150 * 1024),
    },
  });
});
afterAll(async () => t?.close());

function multipart(file: Buffer, filename: string, field = 'file') {
  const boundary = `----abuse${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function newCase(record: object = validRecords.eu261Delay, headers: Record<string, string> = {}) {
  return (await t.app.inject({ method: 'POST', url: '/v1/cases', payload: record, headers })).json() as { id: string; accessToken: string };
}

/** An address of its own for each case unless one is given: a claimant's byte quota counts per client address. */
const addressFor = (caseId: string) => {
  let h = 0;
  for (const ch of caseId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
};

const upload = (caseId: string, token: string | undefined, body: { payload: Buffer | string; headers: Record<string, string> }, remoteAddress = addressFor(caseId)) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/evidence`,
    payload: body.payload,
    remoteAddress,
    headers: { ...body.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

const tmpFiles = () => (existsSync(join(t.dataDir, 'evidence', 'tmp')) ? readdirSync(join(t.dataDir, 'evidence', 'tmp')) : []);

describe('malformed multipart', () => {
  it('answers 400 problem+json to a body that is not multipart at all, and 401 first when anonymous', async () => {
    const c = await newCase();
    const body = { payload: 'abc', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } };
    const anon = await upload(c.id, undefined, body);
    expect(anon.statusCode).toBe(401);
    const res = await upload(c.id, c.accessToken, body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 400 to a truncated part and to a multipart type without a boundary, leaving no temp file', async () => {
    const c = await newCase();
    const whole = multipart(pdfFile(), 'a.pdf');
    const truncated = await upload(c.id, c.accessToken, { payload: whole.payload.subarray(0, whole.payload.length - 30), headers: whole.headers });
    expect(truncated.statusCode).toBe(400);
    const noBoundary = await upload(c.id, c.accessToken, { payload: whole.payload, headers: { 'content-type': 'multipart/form-data' } });
    expect(noBoundary.statusCode).toBe(400);
    expect(tmpFiles()).toEqual([]);
  });

  it('answers 415 with a /file pointer to a JSON body', async () => {
    const c = await newCase();
    const res = await upload(c.id, c.accessToken, { payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().errors[0].pointer).toBe('/file');
  });
});

describe('size limit and quotas', () => {
  it('answers 413 with a /file pointer for a file over the limit, and keeps nothing of it', async () => {
    const c = await newCase();
    const res = await upload(c.id, c.accessToken, multipart(Buffer.alloc(4 * LIMIT, 'a'), 'big.txt'));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ type: '/problems/payload-too-large', errors: [{ pointer: '/file' }], limit: LIMIT, quota: 'bytes_per_file' });
    expect(tmpFiles()).toEqual([]);
  });

  it('caps files per case (409 evidence-quota-exceeded) and bytes per case (413 within what is left)', async () => {
    const c = await newCase();
    const text = (n: number, fill: string) => Buffer.from(`${fill.repeat(n)}\n`);
    for (let i = 0; i < 2; i++) expect((await upload(c.id, c.accessToken, multipart(text(40 * 1024, String(i)), `${i}.txt`))).statusCode).toBe(201);
    // 80 KiB used of 100 KiB: a 30 KiB file no longer fits.
    const over = await upload(c.id, c.accessToken, multipart(text(30 * 1024, 'x'), 'x.txt'));
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ quota: 'bytes_per_case' });
    expect((await upload(c.id, c.accessToken, multipart(text(1024, 'y'), 'y.txt'))).statusCode).toBe(201);
    const fourth = await upload(c.id, c.accessToken, multipart(text(10, 'z'), 'z.txt'));
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json()).toMatchObject({ type: '/problems/evidence-quota-exceeded', quota: 'files_per_case', limit: 3 });
  });

  it('caps bytes per caller across cases (a merchant on several of its cases)', async () => {
    const m = (await t.app.inject({ method: 'POST', url: '/v1/merchants', payload: { name: 'Quota' }, headers: { authorization: `Bearer ${t.adminToken}` } })).json();
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await newCase(withField(validRecords.visaFraud, '/respondent', { merchantId: m.id })));
    const statuses = [];
    for (const [i, c] of cases.entries()) {
      statuses.push((await upload(c.id, m.apiKey, multipart(Buffer.from(`${String(i).repeat(60 * 1024)}\n`), `${i}.txt`))).statusCode);
    }
    // 150 KiB per caller: two 60 KiB files fit, the third is over what is left.
    expect(statuses).toEqual([201, 201, 413]);
    const after = await upload(cases[2].id, m.apiKey, multipart(Buffer.from('small\n'), 's.txt'));
    expect(after.statusCode).toBe(201);
  });
});

describe('the per-caller quota of claimants', () => {
  it('counts an anonymous claimant by its address, not by the case token: filing more cases gives no more bytes', async () => {
    const from = '203.0.113.77';
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await newCase());
    const statuses = [];
    for (const [i, c] of cases.entries()) {
      statuses.push((await upload(c.id, c.accessToken, multipart(Buffer.from(`${String(i).repeat(60 * 1024)}\n`), `${i}.txt`), from)).statusCode);
    }
    // 150 KiB per caller: before, each case's token had its own 150 KiB and all three were 201.
    expect(statuses).toEqual([201, 201, 413]);
    const spent = await upload(cases[2].id, cases[2].accessToken, multipart(Buffer.from(`${'x'.repeat(40 * 1024)}\n`), 'x.txt'), from);
    expect(spent.statusCode).toBe(413);
    expect(spent.json()).toMatchObject({ quota: 'bytes_per_caller' });
    // Another address (another claimant) still has its whole allowance on the same case.
    expect((await upload(cases[2].id, cases[2].accessToken, multipart(Buffer.from(`${'y'.repeat(60 * 1024)}\n`), 'y.txt'), '198.51.100.77')).statusCode).toBe(201);
  });

  it('counts an IPv6 claimant by its /64, so rotating addresses within it gains nothing', async () => {
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await newCase());
    const statuses = [];
    for (const [i, c] of cases.entries()) {
      statuses.push((await upload(c.id, c.accessToken, multipart(Buffer.from(`${String(i).repeat(60 * 1024)}\n`), `${i}.txt`), `2001:db8:77:1::${i + 1}`)).statusCode);
    }
    expect(statuses).toEqual([201, 201, 413]);
  });
});

describe('types and names', () => {
  it.each([
    ['%PDF- followed by a script', Buffer.from('%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n')],
    ['a PNG signature followed by a script', Buffer.concat([pngFile().subarray(0, 8), Buffer.from('<script>alert(1)</script>')])],
    ['an SVG with a script', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>')],
  ])('refuses %s with 415', async (_what, bytes) => {
    const c = await newCase();
    const res = await upload(c.id, c.accessToken, multipart(bytes, 'x.pdf'));
    expect(res.statusCode).toBe(415);
    expect(res.json().errors[0].pointer).toBe('/file');
  });

  it.each([
    ['a right-to-left override', 'invoice\u202Etxt.exe'],
    ['a NUL', 'a\u0000b.pdf'],
    ['a zero-width space', '\u200b.pdf'],
  ])('refuses a file name with %s, naming /file', async (_what, name) => {
    const c = await newCase();
    const res = await upload(c.id, c.accessToken, multipart(pdfFile(name.length.toString()), name));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ pointer: '/file', message: expect.stringMatching(/^the file name/) });
  });

  it('serves evidence as an attachment with nosniff and a CSP that runs nothing, to readers only', async () => {
    const c = await newCase();
    const up = (await upload(c.id, c.accessToken, multipart(pdfFile('served'), 'Bördkarte 1;2%.pdf'))).json();
    const url = `/v1/cases/${c.id}/evidence/${up.evidence.id}/content`;
    const res = await t.app.inject({ url, headers: { authorization: `Bearer ${c.accessToken}` } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(pdfFile('served'))).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="B_rdkarte 1_2_.pdf"; filename*=UTF-8''B%C3%B6rdkarte%201%3B2%25.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    const other = await newCase();
    expect((await t.app.inject({ url, headers: { authorization: `Bearer ${other.accessToken}` } })).statusCode).toBe(404);
    expect((await t.app.inject({ url })).statusCode).toBe(401);
  });
});

describe('a client aborting mid-upload', () => {
  it('is logged at info, not as an error, and leaves no temp file', async () => {
    const lines: { level: number; msg: string }[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        cb();
      },
    });
    const app = await buildApp({ config: t.config, adminToken: t.adminToken, logger: { level: 'info', stream } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as { port: number }).port;
      const c = (await app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay })).json();
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `/v1/cases/${c.id}/evidence`,
        headers: { 'content-type': 'multipart/form-data; boundary=abort', 'content-length': '50000', authorization: `Bearer ${c.accessToken}` },
      });
      req.on('error', () => {});
      req.write(`--abort\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${'a'.repeat(20_000)}`);
      // Abort once the server has started on the body (its request log line is out).
      const deadline = Date.now() + 20_000;
      while (!lines.some((l) => l.msg === 'incoming request' && JSON.stringify(l).includes('/evidence'))) {
        if (Date.now() > deadline) throw new Error('the upload never arrived');
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 50));
      req.destroy();
      // The server notices: the upload is rejected (logged), and nothing is logged as an error.
      const rejected = () => lines.filter((l) => l.msg === 'request rejected' || l.msg === 'client error' || l.level >= 50);
      while (!rejected().some((l) => l.msg === 'request rejected' || l.level >= 50)) {
        if (Date.now() > deadline) throw new Error(`no rejection logged: ${JSON.stringify(lines)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
      const deadlineTmp = Date.now() + 10_000;
      while (tmpFiles().length && Date.now() < deadlineTmp) await new Promise((r) => setTimeout(r, 20));
      expect(tmpFiles()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
