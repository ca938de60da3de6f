import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { canonicalize } from 'json-canonicalize';
import { keccak256, toUtf8Bytes } from 'ethers';
import { startTestApp, type TestApp } from '../../support/app.js';
import { validRecords } from '../../support/case-fixtures.js';
import { pdfFile, pngFile } from '../../support/evidence-files.js';

const LIMIT = 64 * 1024;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { EVIDENCE_MAX_BYTES: String(LIMIT) } });
});
afterAll(async () => t?.close());

/** A real multipart/form-data body, as a browser or curl -F would send it. */
function multipart(file: Buffer, filename: string, contentType: string, field = 'file') {
  const boundary = `----arbiter${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const pdf = pdfFile();
const png = pngFile();
const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03'), Buffer.alloc(200, 0)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function newCase() {
  return (await t.app.inject({ method: 'POST', url: '/v1/cases', payload: validRecords.eu261Delay })).json() as {
    id: string;
    accessToken: string;
    recordHash: string;
  };
}

async function upload(caseId: string, token: string, body: ReturnType<typeof multipart>) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/evidence`,
    payload: body.payload,
    headers: { ...body.headers, authorization: `Bearer ${token}` },
  });
}

describe('evidence upload', () => {
  it('stores a PDF content-addressed by sha256, lists it on the case and folds its hash into the record hash', async () => {
    const c = await newCase();
    const res = await upload(c.id, c.accessToken, multipart(pdf, 'boarding-pass.pdf', 'application/pdf'));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.evidence).toMatchObject({ sha256: sha(pdf), contentType: 'application/pdf', size: pdf.length, filename: 'boarding-pass.pdf' });
    expect(body.duplicate).toBe(false);
    const stored = join(t.dataDir, 'evidence', sha(pdf).slice(0, 2), sha(pdf));
    expect(readFileSync(stored).equals(pdf)).toBe(true);

    const expected = keccak256(toUtf8Bytes(canonicalize({ ...validRecords.eu261Delay, evidenceSha256: [sha(pdf)] })));
    expect(body.recordHash).toBe(expected);
    const view = (await t.app.inject({ url: `/v1/cases/${c.id}`, headers: { authorization: `Bearer ${c.accessToken}` } })).json();
    expect(view.recordHash).toBe(expected);
    expect(view.evidence.map((e: { sha256: string }) => e.sha256)).toEqual([sha(pdf)]);

    const second = await upload(c.id, c.accessToken, multipart(png, 'photo.png', 'image/png'));
    expect(second.statusCode).toBe(201);
    expect(second.json().recordHash).toBe(
      keccak256(toUtf8Bytes(canonicalize({ ...validRecords.eu261Delay, evidenceSha256: [sha(pdf), sha(png)].sort() }))),
    );
    const timeline = (await t.app.inject({ url: `/v1/cases/${c.id}/timeline`, headers: { authorization: `Bearer ${c.accessToken}` } })).json();
    expect(timeline.data.map((e: { type: string }) => e.type)).toEqual(['filed', 'evidence_added', 'evidence_added']);
  });

  it('dedups by hash: the same bytes on the same case are one entry, and one blob across cases', async () => {
    const c1 = await newCase();
    const c2 = await newCase();
    const text = Buffer.from(`Gate agent said the crew timed out. ${Date.now()}\n`);
    const first = await upload(c1.id, c1.accessToken, multipart(text, 'note.txt', 'text/plain'));
    const again = await upload(c1.id, c1.accessToken, multipart(text, 'renamed.txt', 'text/plain'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, evidence: { id: first.json().evidence.id }, recordHash: first.json().recordHash });
    const other = await upload(c2.id, c2.accessToken, multipart(text, 'note.txt', 'text/plain'));
    expect(other.statusCode).toBe(201);
    const list = (await t.app.inject({ url: `/v1/cases/${c1.id}/evidence`, headers: { authorization: `Bearer ${c1.accessToken}` } })).json();
    expect(list.data).toHaveLength(1);
    const rows = t.app.db.$client.prepare('select count(*) as n from evidence where sha256 = ?').get(sha(text)) as { n: number };
    expect(rows.n).toBe(2);
    expect(existsSync(join(t.dataDir, 'evidence', sha(text).slice(0, 2), sha(text)))).toBe(true);
  });

  it('rejects an executable named .pdf and declared application/pdf with 415, storing nothing', async () => {
    const c = await newCase();
    const res = await upload(c.id, c.accessToken, multipart(exe, 'invoice.pdf', 'application/pdf'));
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors[0].pointer).toBe('/file');
    expect(existsSync(join(t.dataDir, 'evidence', sha(exe).slice(0, 2), sha(exe)))).toBe(false);
    const view = (await t.app.inject({ url: `/v1/cases/${c.id}`, headers: { authorization: `Bearer ${c.accessToken}` } })).json();
    expect(view.evidence).toEqual([]);
    expect(view.recordHash).toBe(c.recordHash);
  });

  it('rejects a file over the size limit with 413', async () => {
    const c = await newCase();
    const big = Buffer.alloc(LIMIT + 1, 'a');
    const res = await upload(c.id, c.accessToken, multipart(big, 'long.txt', 'text/plain'));
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('requires the multipart field "file"', async () => {
    const c = await newCase();
    const res = await upload(c.id, c.accessToken, multipart(pdf, 'x.pdf', 'application/pdf', 'document'));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/file');
  });

  it('closes evidence once the case leaves filed, and keeps the record hash fixed', async () => {
    const c = await newCase();
    t.services.cases.startExecution(c.id);
    const res = await upload(c.id, c.accessToken, multipart(pdf, 'late.pdf', 'application/pdf'));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ type: '/problems/evidence-closed', caseStatus: 'executing' });
  });
});

describe('evidence upload with an Idempotency-Key', () => {
  it('replays the same upload and refuses another file under the same key', async () => {
    const c = await newCase();
    const key = { 'idempotency-key': `evidence-${c.id}` };
    const send = (file: Buffer, name: string) => {
      const body = multipart(file, name, 'application/octet-stream');
      return t.app.inject({
        method: 'POST',
        url: `/v1/cases/${c.id}/evidence`,
        payload: body.payload,
        headers: { ...body.headers, ...key, authorization: `Bearer ${c.accessToken}` },
      });
    };
    const first = await send(pdf, 'a.pdf');
    expect(first.statusCode).toBe(201);
    const replay = await send(pdf, 'a.pdf');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(first.body);
    const other = await send(png, 'b.png');
    expect(other.statusCode).toBe(409);
    expect(other.json().type).toBe('/problems/idempotency-key-reused');
  });
});
