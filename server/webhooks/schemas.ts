// HTTP shapes of the webhooks feature: endpoints, deliveries, redelivery and the event catalogue.
import { Type, type Static } from 'typebox';

const EndpointId = Type.String({ examples: ['we_019b0c7e1a2f3c4d5e6f708192a3b4c5'] });

export const EndpointIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const EventIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const Url = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'http(s) URL. In production loopback, link-local and private-range targets are refused, here and again on the resolved address at every send.',
  examples: ['https://example.com/arbiter/webhooks'],
});
const Events = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: 50,
  description: 'Event types from the catalogue (GET /v1/webhook-event-types), or ["*"] for all.',
  examples: [['case.created', 'verdict.final']],
});

export const CreateEndpointBody = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const UpdateEndpointBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('enabled'), Type.Literal('disabled')], { description: 'Disable or enable again (enabling clears a failure-disable).' })),
  },
  { additionalProperties: false },
);

export const RotateSecretBody = Type.Object(
  {
    graceSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600, default: 86400, description: 'How long the old secret keeps signing beside the new one (both v1 signatures are sent).' }),
    ),
  },
  { additionalProperties: false },
);

export const WebhookEndpoint = Type.Object(
  {
    id: EndpointId,
    object: Type.Literal('webhook_endpoint'),
    url: Type.String(),
    events: Type.Array(Type.String()),
    description: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    disabledReason: Type.Union([Type.String(), Type.Null()]),
    previousSecretExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'While set, deliveries are signed with the previous secret too.',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const WebhookEndpointWithSecret = Type.Object(
  {
    ...WebhookEndpoint.properties,
    secret: Type.String({ description: 'The signing secret (`whsec_…`). Shown once.', examples: ['whsec_3q2+7w…'] }),
  },
  { additionalProperties: false },
);

export const WebhookEndpointList = Type.Object(
  { object: Type.Literal('list'), data: Type.Array(WebhookEndpoint), has_more: Type.Boolean() },
  { additionalProperties: false },
);

export const DeletedEndpoint = Type.Object(
  { id: Type.String(), object: Type.Literal('webhook_endpoint'), deleted: Type.Literal(true) },
  { additionalProperties: false },
);

const Attempt = Type.Object(
  {
    attempt: Type.Integer(),
    generation: Type.Integer({ description: '0 for the original delivery, +1 for every redelivery.' }),
    startedAt: Type.String({ format: 'date-time' }),
    statusCode: Type.Union([Type.Integer(), Type.Null()], { description: 'Null when no HTTP answer came (refused, timeout, blocked).' }),
    latencyMs: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    responseBody: Type.Union([Type.String(), Type.Null()], { description: 'The first 1 KiB of the answer.' }),
  },
  { additionalProperties: false },
);

export const Delivery = Type.Object(
  {
    id: Type.String({ examples: ['whd_019b0c7e1a2f3c4d5e6f708192a3b4c5'] }),
    object: Type.Literal('webhook_delivery'),
    eventId: Type.String(),
    eventType: Type.String(),
    endpointId: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('canceled')]),
    attempts: Type.Integer(),
    nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The next retry, while pending.' }),
    lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    succeededAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    attemptLog: Type.Array(Attempt),
  },
  { additionalProperties: false },
);

export const DeliveryList = Type.Object(
  { object: Type.Literal('list'), data: Type.Array(Delivery), has_more: Type.Boolean() },
  { additionalProperties: false },
);

export const DeliveriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    starting_after: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A delivery id: the deliveries after it (older).' })),
  },
  { additionalProperties: false },
);

export const RedeliverBody = Type.Object(
  { endpointId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only this endpoint (it may be one the event was never sent to).' })) },
  { additionalProperties: false },
);

export const Redelivered = Type.Object(
  { object: Type.Literal('redelivery'), eventId: Type.String(), deliveries: Type.Array(Type.String()) },
  { additionalProperties: false },
);

export const EventTypeList = Type.Object(
  {
    object: Type.Literal('list'),
    data: Type.Array(Type.Object({ type: Type.String(), when: Type.String(), example: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false })),
    has_more: Type.Boolean(),
  },
  { additionalProperties: false },
);

export type CreateEndpointBodyT = Static<typeof CreateEndpointBody>;
