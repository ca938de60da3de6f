// /v1/cases/:id/response: the merchant's side of a case against it, before the deadline.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { problemResponses } from '../errors.js';
import { CaseIdParams } from './resources.js';
import { CaseResponseBody, CaseResponseView } from './response-schemas.js';
import type { CaseResponseService } from './responses.js';

const bearer = [{ bearer: [] }];
/**
 * The largest valid response is ~131 KB: a 10,000-character merchantResponse fully \u-escaped
 * (astral characters, 12 bytes each: 120,000) and 100 prior transactions (~11,200); the default
 * BODY_LIMIT (32 KiB) refused valid responses of plain non-Latin text.
 */
export const RESPONSE_BODY_LIMIT = 144 * 1024;

export const caseResponseRoutes: FastifyPluginAsync<{ responses: CaseResponseService }> = async (root, { responses }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/cases/:id/response',
    {
      bodyLimit: RESPONSE_BODY_LIMIT,
      schema: {
        tags: ['cases'],
        summary: "Respond to a case against you (the merchant's facts), before the response deadline",
        description:
          "A case against a merchant waits in `filed` until its deadline (`dueAt`, CASE_RESPONSE_SECONDS after filing) passes, so the claimant can add evidence until then however early the merchant responds. The response's facts replace the claimant's in the record the model decides on; `recordHash` is recomputed over it, and the timeline's `response_submitted` event shows both versions. At the deadline the case proceeds. One response per case; 409 `response-closed` after the deadline.",
        security: bearer,
        params: CaseIdParams,
        body: CaseResponseBody,
        response: { 200: CaseResponseView, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => responses.respond(request.params.id, request.principal, request.body),
  );

  app.get(
    '/cases/:id/response',
    {
      schema: {
        tags: ['cases'],
        summary: "The response window of a case against a merchant: its deadline and the merchant's response",
        security: bearer,
        params: CaseIdParams,
        response: { 200: CaseResponseView, ...problemResponses(401, 404) },
      },
    },
    async (request) => responses.get(request.params.id, request.principal),
  );
};
