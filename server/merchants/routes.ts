import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireKind } from '../auth/principal.js';
import { problemResponses } from '../errors.js';
import type { MerchantService } from './service.js';
import { assertWebhookUrl } from './webhook-url.js';

export const CreateMerchantBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Example Air'] }),
    webhookUrl: Type.Optional(
      Type.String({ pattern: '^https?://', maxLength: 2000, description: 'Where signed case webhooks are sent.', examples: ['https://example.com/arbiter'] }),
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

export const merchantRoutes: FastifyPluginAsync<{ merchants: MerchantService }> = async (root, { merchants }) => {
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
};
