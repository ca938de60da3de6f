import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireKind } from '../auth/principal.js';
import { problemResponses } from '../errors.js';
import type { ArbitratorService } from './service.js';

export const CreateArbitratorBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, examples: ['Dr. R. Referee'] }) },
  { additionalProperties: false },
);

export const CreatedArbitrator = Type.Object(
  {
    id: Type.String({ examples: ['arb_019b0c7e1a2f3c4d5e6f708192a3b4c5'] }),
    object: Type.Literal('arbitrator'),
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    token: Type.String({ description: 'Bearer token for this arbitrator. Shown once; Arbiter keeps only its hash.', examples: ['at_…'] }),
  },
  { additionalProperties: false },
);

export const arbitratorRoutes: FastifyPluginAsync<{ arbitrators: ArbitratorService }> = async (root, { arbitrators }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/arbitrators',
    {
      schema: {
        tags: ['arbitrators'],
        summary: 'Create an arbitrator (admin): returns its bearer token once',
        security: [{ bearer: [] }],
        body: CreateArbitratorBody,
        response: { 201: CreatedArbitrator, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      requireKind(request.principal, 'admin');
      const { arbitrator, token } = arbitrators.create(request.body);
      return reply.code(201).send({ ...arbitrator, token });
    },
  );
};
