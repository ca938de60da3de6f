// /v1/cases: filing, reading, listing, timeline and the claimant's withdrawal. Handlers are one
// service call; access rules live in access.ts, transitions in transitions.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem, problemResponses } from '../errors.js';
import { CaseIdParams, ClaimantToken, CaseList, CaseRecordBody, CaseView, FiledCase, ListCasesQuery, Timeline, WithdrawBody } from './resources.js';
import type { CaseService } from './service.js';
import { RECORD_BOUNDS } from './validate.js';

const bearer = [{ bearer: [] }];

/**
 * The largest valid record is ~95 KB of UTF-8 (a chargeback whose narrative and merchant response
 * hold 10,000 astral characters each, 100 prior transactions, every optional field) and ~262 KB
 * when every non-ASCII character is sent as a \u escape (Python's json.dumps does). This limit
 * takes that record and little more (test/integration/http/limits.test.ts files it).
 */
export const CASE_BODY_LIMIT = 272 * 1024;
/** The record's own bounds (validate.ts), applied to the JSON text before it is parsed. */
const caseJsonLimits = RECORD_BOUNDS;

export const caseRoutes: FastifyPluginAsync<{ cases: CaseService }> = async (root, { cases }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // Case views are built field by field by the service (nothing extra to strip), and the
  // record's union schema makes fast-json-stringify try each branch: plain JSON.stringify is
  // exact here and several times faster. The response schemas still document every shape.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Case bodies are JSON. Anything else is a rejected case like any other: 400 problem+json
  // naming the whole document, not Fastify's bare 415.
  // Fastify's own text/plain parser would hand the JSON text to the validator as a string.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', (request, _payload, done) => {
    const sent = request.headers['content-type']?.split(';')[0].trim();
    done(
      Problem.validation([
        {
          pointer: '',
          message: `the body must be a JSON document sent with Content-Type: application/json${sent ? ` (it came as ${sent})` : ''}`,
        },
      ]),
    );
  });

  app.post(
    '/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'File a case',
        description:
          'Takes exactly the case record of CASES.md. Open to anonymous callers (the portal); a merchant filing with its API key may only name itself as respondent, and only an `onchainDispute` of an arbitrable contract it operates (GET /v1/merchants/me/arbitrables; any other is a 422 naming `/onchainDispute/arbitrable`). Answers with the case, its recordHash (keccak256 of the RFC 8785 canonical record) and the claimant\'s accessToken, shown once. Send an `Idempotency-Key` header to make retries safe.',
        security: [{}, ...bearer],
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string', maxLength: 255, description: 'Makes a retry return the first response.' } },
        },
        body: CaseRecordBody,
        response: { 201: FiledCase, ...problemResponses(400, 401, 409, 422) },
      },
      // The record is validated by validateCaseRecord (inside the service), the single source of
      // its error messages and pointers; the schema above documents it for /docs.
      validatorCompiler: () => () => true,
      bodyLimit: CASE_BODY_LIMIT,
      config: { jsonLimits: caseJsonLimits },
    },
    // The body arrives as JSON text (fileSharedJson): Fastify sends a string with a JSON content
    // type as it is, no serializer. The type provider only knows the object form of FiledCase.
    async (request, reply) =>
      reply
        .code(201)
        .type('application/json; charset=utf-8')
        .send((await cases.fileSharedJson(request.body, request.principal)) as never),
  );

  app.get(
    '/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'List cases (newest first)',
        description:
          'Cursor pagination as in Stripe: `limit` (1–100, default 10) and `starting_after` (the last id of the previous page). Admins and arbitrators see all cases, a merchant its own, a claimant their one case.',
        security: bearer,
        querystring: ListCasesQuery,
        response: { 200: CaseList, ...problemResponses(400, 401) },
      },
    },
    async (request) => cases.list(request.query, request.principal),
  );

  app.get(
    '/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'Read a case',
        security: bearer,
        params: CaseIdParams,
        response: { 200: CaseView, ...problemResponses(401, 404) },
      },
    },
    async (request) => cases.get(request.params.id, request.principal),
  );

  app.get(
    '/cases/:id/timeline',
    {
      schema: {
        tags: ['cases'],
        summary: "A case's timeline: every state change and event, oldest first",
        security: bearer,
        params: CaseIdParams,
        response: { 200: Timeline, ...problemResponses(401, 404) },
      },
    },
    async (request) => ({ object: 'list' as const, data: cases.timeline(request.params.id, request.principal), has_more: false }),
  );

  app.post(
    '/cases/:id/withdraw',
    {
      schema: {
        tags: ['cases'],
        summary: 'Withdraw a case (claimant only, while not final)',
        security: bearer,
        params: CaseIdParams,
        body: WithdrawBody,
        response: { 200: CaseView, ...problemResponses(400, 401, 403, 404, 409) },
      },
      // The reason is optional, and so is the body itself.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => cases.withdrawByClaimant(request.params.id, request.principal, request.body?.reason),
  );

  app.post(
    '/cases/:id/claimant-token',
    {
      schema: {
        tags: ['cases'],
        summary: "Issue the claimant's access token anew (admin)",
        description:
          'For a case filed by a merchant (which gets no claimant token) or a claimant who lost theirs: a new token, shown once, to be delivered to the claimant outside the API. The previous token stops working.',
        security: bearer,
        params: CaseIdParams,
        response: { 201: ClaimantToken, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(cases.issueClaimantToken(request.params.id, request.principal)),
  );
};
