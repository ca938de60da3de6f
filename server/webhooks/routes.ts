// /v1/webhook-endpoints, /v1/webhook-events/:id/redeliver and /v1/webhook-event-types. Every
// route but the catalogue is the calling merchant's own: another merchant's ids answer 404.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireKind } from '../auth/principal.js';
import { problemResponses } from '../errors.js';
import type { Queues } from '../queues/queues.js';
import { catalogueWithExamples } from './event-examples.js';
import { enqueue, WEBHOOK_QUEUE } from './jobs.js';
import {
  CreateEndpointBody,
  DeletedEndpoint,
  DeliveriesQuery,
  DeliveryList,
  EndpointIdParams,
  EventIdParams,
  EventTypeList,
  RedeliverBody,
  Redelivered,
  RotateSecretBody,
  UpdateEndpointBody,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from './schemas.js';
import type { WebhookServices } from './service.js';

const bearer = [{ bearer: [] }];
const tags = ['webhooks'];

export const webhookRoutes: FastifyPluginAsync<{ webhooks: WebhookServices; queues: Queues }> = async (root, { webhooks, queues }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { endpoints, deliveries } = webhooks;
  const merchant = (p: Parameters<typeof requireKind>[0]) => requireKind(p, 'merchant').id;
  // Bodies are optional on these POSTs.
  const optionalBody = async (request: { body: unknown }) => {
    request.body ??= {};
  };

  app.post(
    '/webhook-endpoints',
    {
      schema: {
        tags,
        summary: 'Create a webhook endpoint: returns its signing secret once',
        security: bearer,
        body: CreateEndpointBody,
        response: { 201: WebhookEndpointWithSecret, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(endpoints.create(merchant(request.principal), request.body)),
  );

  app.get(
    '/webhook-endpoints',
    { schema: { tags, summary: "The merchant's webhook endpoints", security: bearer, response: { 200: WebhookEndpointList, ...problemResponses(401, 403) } } },
    async (request) => ({ object: 'list' as const, data: endpoints.list(merchant(request.principal)), has_more: false }),
  );

  app.get(
    '/webhook-endpoints/:id',
    { schema: { tags, summary: 'Read a webhook endpoint', security: bearer, params: EndpointIdParams, response: { 200: WebhookEndpoint, ...problemResponses(401, 403, 404) } } },
    async (request) => endpoints.get(merchant(request.principal), request.params.id),
  );

  app.patch(
    '/webhook-endpoints/:id',
    {
      schema: {
        tags,
        summary: 'Update a webhook endpoint: url, events, description, or status enabled/disabled',
        security: bearer,
        params: EndpointIdParams,
        body: UpdateEndpointBody,
        response: { 200: WebhookEndpoint, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => endpoints.update(merchant(request.principal), request.params.id, request.body),
  );

  app.delete(
    '/webhook-endpoints/:id',
    { schema: { tags, summary: 'Delete a webhook endpoint', security: bearer, params: EndpointIdParams, response: { 200: DeletedEndpoint, ...problemResponses(401, 403, 404) } } },
    async (request) => endpoints.remove(merchant(request.principal), request.params.id),
  );

  app.post(
    '/webhook-endpoints/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'Rotate the signing secret: the new one is shown once; the old one keeps signing for the grace period',
        security: bearer,
        params: EndpointIdParams,
        body: RotateSecretBody,
        response: { 200: WebhookEndpointWithSecret, ...problemResponses(400, 401, 403, 404) },
      },
      preValidation: optionalBody,
    },
    async (request) => endpoints.rotateSecret(merchant(request.principal), request.params.id, request.body?.graceSeconds),
  );

  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'Delivery log: every delivery to the endpoint with its attempts, status codes, latency and next retry (newest first)',
        security: bearer,
        params: EndpointIdParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryList, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => deliveries.log(merchant(request.principal), request.params.id, request.query),
  );

  app.post(
    '/webhook-events/:id/redeliver',
    {
      schema: {
        tags,
        summary: 'Send an event again now (to one endpoint, or to every endpoint it was owed to), with a fresh retry schedule',
        security: bearer,
        params: EventIdParams,
        body: RedeliverBody,
        response: { 202: Redelivered, ...problemResponses(400, 401, 403, 404) },
      },
      preValidation: optionalBody,
    },
    async (request, reply) => {
      const { jobs, deliveries: ids } = deliveries.redeliver(merchant(request.principal), request.params.id, request.body?.endpointId);
      // Were Redis to fail here, the deliveries are pending in the database and the sweep sends them.
      await enqueue(queues.get(WEBHOOK_QUEUE), jobs);
      return reply.code(202).send({ object: 'redelivery' as const, eventId: request.params.id, deliveries: ids });
    },
  );

  app.get(
    '/webhook-event-types',
    { schema: { tags, summary: 'The event catalogue, with an example event of each type', response: { 200: EventTypeList, ...problemResponses(401) } } },
    async () => ({ object: 'list' as const, data: catalogueWithExamples(), has_more: false }),
  );
};
