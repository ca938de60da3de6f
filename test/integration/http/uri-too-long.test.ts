// A path segment over MAX_PARAM_LENGTH is a 414 problem+json, and the same one whichever way it
// reaches us: Fastify's own FST_ERR_MAX_PARAM_LENGTH (API alone) or, with the web app on, the
// web catch-all matching the API path whose parameter the router refused (server/web/plugin.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../../server/web/build.js';
import { MAX_PARAM_LENGTH } from '../../../server/http/protections.js';
import { startTestApp, type TestApp } from '../../support/app.js';

let api: TestApp;
let withWeb: TestApp;
beforeAll(async () => {
  ensureWebBuild();
  api = await startTestApp({ env: { WEB: 'off' } });
  withWeb = await startTestApp({ env: { WEB: 'on' } });
}, 900_000);
afterAll(async () => {
  await api?.close();
  await withWeb?.close();
});

describe('414 for a too-long path segment', () => {
  it('is one problem+json, with or without the web app', async () => {
    const url = `/v1/cases/${'a'.repeat(MAX_PARAM_LENGTH + 1)}`;
    const answers = [];
    for (const t of [api, withWeb]) {
      const res = await t.app.inject({ url, headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(res.statusCode).toBe(414);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      answers.push(res.json());
    }
    expect(answers[0]).toEqual({
      type: '/problems/uri-too-long',
      title: 'URI too long',
      status: 414,
      detail: `A path segment is longer than any id Arbiter issues (${MAX_PARAM_LENGTH} characters)`,
      instance: url,
    });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('leaves a segment of exactly MAX_PARAM_LENGTH to its route (no such case: 404)', async () => {
    for (const t of [api, withWeb]) {
      const res = await t.app.inject({ url: `/v1/cases/${'a'.repeat(MAX_PARAM_LENGTH)}`, headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
