// Issue 9: a JSON body that crosses a shape bound is refused at the chunk that crosses it, before
// the rest is sent: the server neither waits for nor holds a near-limit hostile body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startTestApp, type TestApp } from '../../support/app.js';
import { CASE_BODY_LIMIT } from '../../../server/cases/routes.js';

let t: TestApp;
let url: URL;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = new URL(`http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`);
});
afterAll(async () => t?.close());

/** Announces `announced` bytes, sends only `first`, and resolves with the answer (the rest is never sent). */
function sendPart(first: string, announced: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: 'POST', path: '/v1/cases', headers: { 'content-type': 'application/json', 'content-length': String(announced) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode!, body });
        });
      },
    );
    req.on('error', reject);
    req.write(first);
  });
}

describe('a JSON body refused while it streams', () => {
  it('answers 400 naming the list once its 101st entry arrives, though most of the announced body was never sent', async () => {
    const first = `{"kind":"flight","flight":{"itinerary":[${Array(101).fill(1).join(',')},`;
    const answer = await sendPart(first, CASE_BODY_LIMIT - 10);
    expect(answer.status).toBe(400);
    const problem = JSON.parse(answer.body) as { errors: { pointer: string; message: string }[] };
    expect(problem.errors).toEqual([{ pointer: '/flight/itinerary', message: 'has more than 100 entries' }]);
  });

  it('answers 400 for a repeated member and too deep nesting in the first bytes, and 413 for a body announced over the limit', async () => {
    expect((await sendPart('{"kind":"flight","kind":', 200_000)).status).toBe(400);
    expect((await sendPart('['.repeat(20), 200_000)).status).toBe(400);
    expect((await sendPart('{', CASE_BODY_LIMIT + 1)).status).toBe(413);
  });

  it('still files a valid record sent in many small chunks', async () => {
    const { validRecords } = await import('../../support/case-fixtures.js');
    const body = Buffer.from(JSON.stringify(validRecords.visaFraud));
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/v1/cases', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      let at = 0;
      const step = () => {
        if (at >= body.length) return req.end();
        req.write(body.subarray(at, at + 7));
        at += 7;
        setImmediate(step);
      };
      step();
    });
    expect(answer).toBe(201);
  });
});
