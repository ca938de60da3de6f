// HTTP shapes of the merchants feature: the merchant, its API keys and notices.
import { Type } from 'typebox';

export const ApiKey = Type.Object(
  {
    id: Type.String({ examples: ['key_019b0c7e1a2f3c4d5e6f708192a3b4c5'] }),
    object: Type.Literal('api_key'),
    prefix: Type.String({ description: 'The first characters of the key; the key itself is never shown again.', examples: ['mk_Vb3mXk'] }),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Set by a rotation: the key works until then.' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const ApiKeyWithSecret = Type.Object(
  { ...ApiKey.properties, apiKey: Type.String({ description: 'The new API key. Shown once; Arbiter keeps only its hash.', examples: ['mk_…'] }) },
  { additionalProperties: false },
);

export const RotatedApiKey = Type.Object(
  { ...ApiKeyWithSecret.properties, replaced: ApiKey },
  { additionalProperties: false },
);

export const ApiKeyList = Type.Object({ object: Type.Literal('list'), data: Type.Array(ApiKey), has_more: Type.Boolean() }, { additionalProperties: false });

export const ApiKeyListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
    starting_after: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A key id: the keys created before it.' })),
  },
  { additionalProperties: false },
);

export const KeyIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const RotateKeyBody = Type.Object(
  {
    graceSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600, default: 86400, description: 'How long the old key keeps working (0: revoked at once).' }),
    ),
  },
  { additionalProperties: false },
);

export const Notice = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('notice'),
    type: Type.String({ examples: ['webhook_endpoint.disabled'] }),
    message: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const Me = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('merchant'),
    name: Type.String(),
    webhookUrl: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    apiKeys: Type.Array(ApiKey, { description: 'Live keys (prefixes only).' }),
    notices: Type.Array(Notice, { description: 'What Arbiter had to tell you, newest first (e.g. an endpoint disabled after failing for days).' }),
  },
  { additionalProperties: false },
);
