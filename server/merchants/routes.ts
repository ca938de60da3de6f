import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireKind } from '../auth/principal.js';
import { problemResponses } from '../errors.js';
import type { MerchantService } from './service.js';
import { assertWebhookUrl } from './webhook-url.js';
import type { CaseService } from '../cases/service.js';
import { CaseList, ListCasesQuery } from '../cases/resources.js';
import { ApiKeyList, ApiKeyListQuery, ApiKeyWithSecret, KeyIdParams, Me, RotateKeyBody, RotatedApiKey, ApiKey } from './schemas.js';

const bearer = [{ bearer: [] }];
const tags = ['merchants'];

export const CreateMerchantBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Example Air'] }),
    webhookUrl: Type.Optional(
      Type.String({ pattern: '^https?://', maxLength: 2000, description: 'Informational: webhooks go to the endpoints the merchant creates with POST /v1/webhook-endpoints (each with its signing secret).', examples: ['https://example.com/arbiter'] }),
    ),
  },
  { additionalProperties: false },
);

export const CreatedMerchant = Type.Object(
  {
    id: Type.String({ examples: ['mch_019b0c7e1a2f3c4d5e6f708192a3b4c5'] }),
    object: Type.Literal('merchant'),
    name: Type.String(),
    webhookUrl: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    apiKey: Type.String({ description: 'Bearer API key for this merchant. Shown once; Arbiter keeps only its hash.', examples: ['mk_…'] }),
  },
  { additionalProperties: false },
);

export const merchantRoutes: FastifyPluginAsync<{ merchants: MerchantService; cases: CaseService }> = async (root, { merchants, cases }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/merchants',
    {
      schema: {
        tags: ['merchants'],
        summary: 'Create a merchant (admin): returns its API key once',
        security: [{ bearer: [] }],
        body: CreateMerchantBody,
        response: { 201: CreatedMerchant, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      requireKind(request.principal, 'admin');
      assertWebhookUrl(request.body.webhookUrl, root.config.production);
      const { merchant, apiKey } = merchants.create(request.body);
      return reply.code(201).send({ ...merchant, apiKey });
    },
  );

  const me = (p: Parameters<typeof requireKind>[0]) => requireKind(p, 'merchant').id;

  app.get(
    '/merchants/me',
    { schema: { tags, summary: 'The calling merchant: its live API keys (prefixes) and notices', security: bearer, response: { 200: Me, ...problemResponses(401, 403) } } },
    async (request) => merchants.me(me(request.principal)),
  );

  app.get(
    '/merchants/me/api-keys',
    {
      schema: {
        tags,
        summary: 'Every API key of the merchant, by prefix, with expiry and revocation, newest first',
        description: '`limit` (1–100, default 100) and `starting_after` (the last id of the previous page).',
        security: bearer,
        querystring: ApiKeyListQuery,
        response: { 200: ApiKeyList, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ object: 'list' as const, ...merchants.listKeys(me(request.principal), request.query) }),
  );

  app.post(
    '/merchants/me/api-keys',
    { schema: { tags, summary: 'Create another API key (shown once)', security: bearer, response: { 201: ApiKeyWithSecret, ...problemResponses(400, 401, 403) } } },
    async (request, reply) => reply.code(201).send(merchants.createKey(me(request.principal))),
  );

  app.post(
    '/merchants/me/api-keys/:id/rotate',
    {
      schema: {
        tags,
        summary: 'Rotate an API key: a new key (shown once); the old one keeps working for the grace period',
        security: bearer,
        params: KeyIdParams,
        body: RotateKeyBody,
        response: { 201: RotatedApiKey, ...problemResponses(400, 401, 403, 404) },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => reply.code(201).send(merchants.rotateKey(me(request.principal), request.params.id, request.body?.graceSeconds ?? 86400)),
  );

  app.post(
    '/merchants/me/api-keys/:id/revoke',
    {
      schema: { tags, summary: 'Revoke an API key now', security: bearer, params: KeyIdParams, response: { 200: ApiKey, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => merchants.revokeKey(me(request.principal), request.params.id),
  );

  app.get(
    '/merchants/me/cases',
    {
      schema: {
        tags,
        summary: 'Cases against the merchant, newest first, with filters and cursor pagination',
        description: 'Filters `status`, `jurisdiction`, `kind`; `limit` (1–100) and `starting_after` (the last id of the previous page), as in Stripe.',
        security: bearer,
        querystring: ListCasesQuery,
        response: { 200: CaseList, ...problemResponses(400, 401, 403) },
      },
      // As in server/cases/routes.ts: case views are built field by field; plain JSON.stringify is exact.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      me(request.principal);
      return cases.list(request.query, request.principal);
    },
  );
};
