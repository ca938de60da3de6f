// The marketplace's API (issue 12): creators (admin-created), model registration (multipart: the
// .onnx file, its card, a shipped featurizer), deprecation, merchant pins, and the public views a
// verifier needs (GET /v1/models, /v1/models/:id, /evaluation, /onnx).
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireKind } from '../auth/principal.js';
import { Problem, problemResponses } from '../errors.js';
import { strictValidatorCompiler } from '../http/validator.js';
import type { MarketService } from './service.js';

const tags = ['models'];
const bearer = [{ bearer: [] }];
/** The largest .onnx accepted (the shipped models are a few hundred KiB). */
export const MAX_MODEL_BYTES = 16 * 1024 * 1024;
/** The largest text field (the card; the shipped cards are a few KiB). */
export const MAX_CARD_BYTES = 256 * 1024;

const CreateCreatorBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Acme Models'] }),
    address: Type.Optional(Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'The creator\'s own chain address (royalties are paid to it). Omitted on the embedded chain: a dev account is assigned.' })),
  },
  { additionalProperties: false },
);
const ModelParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 120, description: 'model id (0x… bytes32) or ref (name@version)' }) });
const PinParams = Type.Object({ jurisdiction: Type.String({ minLength: 1, maxLength: 40 }) });
const PinBody = Type.Object(
  {
    modelId: Type.Union([Type.String({ minLength: 1, maxLength: 120 }), Type.Null()]),
    maxPrice: Type.Optional(Type.String({ pattern: '^[0-9]{1,40}$', description: 'Your price cap, wei per case: a model that costs more is refused (naming /maxPrice).' })),
  },
  { additionalProperties: false },
);

const RegisterForm = Type.Object({
  model: Type.String({ format: 'binary', description: 'The integer ONNX graph (.onnx).' }),
  card: Type.String({ description: 'The model card (card.json) as JSON text: what the service measures must equal what it says.' }),
  featurizer: Type.String({ description: 'A featurizer the service ships, `<id>@<version>` (e.g. eu261@1.0.0).' }),
  price: Type.Optional(Type.String({ description: 'Wei per case (node fees and royalty); default 10^15.' })),
  royaltyBps: Type.Optional(Type.String({ description: 'The creator\'s share of the price, basis points; default 1000.' })),
});

export const marketRoutes: FastifyPluginAsync<{ market: MarketService }> = async (root, { market }) => {
  await root.register(multipart, { limits: { fileSize: MAX_MODEL_BYTES, files: 1, fields: 4, fieldSize: MAX_CARD_BYTES, parts: 5, headerPairs: 20 } });
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/creators',
    { schema: { tags, summary: 'Create a model creator (admin): returns its API key once', security: bearer, body: CreateCreatorBody, response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(400, 401, 403) } } },
    async (request, reply) => {
      requireKind(request.principal, 'admin');
      const { creator, apiKey } = market.createCreator(request.body);
      return reply.code(201).send({ ...creator, apiKey });
    },
  );

  app.get('/creators/me', { schema: { tags, summary: 'The calling creator', security: bearer, response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(401, 403) } } }, async (request) =>
    market.creator(requireKind(request.principal, 'creator').id),
  );

  app.post(
    '/models',
    {
      schema: {
        tags,
        summary: 'Register a model version (creator): measured, checked against its card, published on chain',
        description:
          'multipart/form-data: `model` (the .onnx file), `card` (card.json text, at most 256 KiB: larger is a 413 naming `/card`), `featurizer` (`<id>@<version>`, one the service ships), optional `price` (wei) and `royaltyBps`. With an `Idempotency-Key`, a retry with the same file and fields replays the first answer (nothing is registered twice) and another body under the same key is a 409 `idempotency-key-reused`. The service recomputes the sha256, model root, steps and input width, checks the allowed ops and the per-step gas bound, runs the overflow proof over the featurizer\'s input ranges and the public evaluation of the card\'s jurisdiction; any figure of the card that differs is a 422 naming each difference (`errors[].pointer` into the card). Then ModelRegistry.register is sent from the creator\'s account (the royalty is paid to it) and the in-process node operators serve the model.',
        consumes: ['multipart/form-data'],
        security: bearer,
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 255, description: 'Makes a retry return the first response.' } } },
        body: RegisterForm,
        response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(400, 401, 403, 409, 413, 415, 422, 503) },
      },
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : strictValidatorCompiler(route)),
      config: { idempotency: 'after-body' },
    },
    async (request, reply) => {
      const creator = requireKind(request.principal, 'creator');
      if (!request.isMultipart()) throw new Problem('unsupported_media_type', 'Send multipart/form-data with fields model, card and featurizer', [{ pointer: '/model', message: 'a multipart file field "model" is required' }]);
      const fields: Record<string, string> = {};
      let onnx: Buffer | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'model') throw Problem.validation([{ pointer: `/${part.fieldname}`, message: 'the only file field is "model"' }]);
            onnx = await part.toBuffer();
          } else {
            // busboy cuts a field at fieldSize and flags it: say so, not "the card is not JSON".
            if (part.valueTruncated) {
              throw new Problem('payload_too_large', `The field "${part.fieldname}" is larger than ${MAX_CARD_BYTES} bytes (256 KiB)`, [
                { pointer: `/${part.fieldname}`, message: `too large: at most ${MAX_CARD_BYTES} bytes (256 KiB)` },
              ]);
            }
            fields[part.fieldname] = String(part.value);
          }
        }
      } catch (e) {
        if (e instanceof Problem) throw e;
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new Problem('payload_too_large', `The .onnx file is larger than ${MAX_MODEL_BYTES} bytes`, [{ pointer: '/model', message: 'too large' }]);
        throw new Problem('bad_request', `The multipart body is malformed: ${(e as Error).message}`);
      }
      const missing = [];
      if (!onnx) missing.push({ pointer: '/model', message: 'the .onnx file is required (field "model")' });
      if (fields.card === undefined) missing.push({ pointer: '/card', message: 'the card is required (field "card", JSON text)' });
      if (fields.featurizer === undefined) missing.push({ pointer: '/featurizer', message: 'the featurizer is required (`<id>@<version>`)' });
      for (const k of Object.keys(fields)) if (!['card', 'featurizer', 'price', 'royaltyBps'].includes(k)) missing.push({ pointer: `/${k}`, message: 'unknown field' });
      if (missing.length) throw Problem.validation(missing);
      // The Idempotency-Key is claimed once the body is read: its fingerprint covers the file's
      // sha256 and every field, so a retry of the same registration replays the first answer
      // (nothing is measured or published twice) and another body under the same key is a 409.
      const replayed = await request.server.claimIdempotency(request, reply, { model: onnx!, ...fields });
      if (replayed) return reply;
      let card: unknown;
      try {
        card = JSON.parse(fields.card);
      } catch (e) {
        throw Problem.validation([{ pointer: '/card', message: `the card is not JSON: ${(e as Error).message}` }]);
      }
      const r = await market.register(creator.id, { onnx: new Uint8Array(onnx!), card, featurizer: fields.featurizer, price: fields.price, royaltyBps: fields.royaltyBps });
      return reply.code(201).send(r);
    },
  );

  app.post(
    '/models/:id/deprecate',
    { schema: { tags, summary: 'Deprecate one of the creator\'s model versions: no new cases', security: bearer, params: ModelParams, response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(401, 403, 404, 503) } } },
    async (request) => market.deprecate(requireKind(request.principal, 'creator').id, market.view(request.params.id).id),
  );

  app.put(
    '/merchants/me/model-pins/:jurisdiction',
    {
      schema: {
        tags,
        summary: 'Pin the model the merchant\'s cases of a jurisdiction are decided by (null: the default)',
        description:
          'Only an approved, non-deprecated model of that jurisdiction whose public evaluation accuracy reaches MODEL_PIN_MIN_ACCURACY (default 0.95), and whose price per case is at most `maxPrice` when given; otherwise a 400 naming `/modelId` or `/maxPrice`. A change sends the webhook event `merchant.model_pinned` (written with it, in one transaction).',
        security: bearer,
        params: PinParams,
        body: PinBody,
        response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => market.pin(requireKind(request.principal, 'merchant').id, request.params.jurisdiction, request.body.modelId, request.body.maxPrice),
  );

  app.get('/models', { schema: { tags, summary: 'Every model: shipped and registered, with price, royalty, status, accuracy and per-jurisdiction default', response: { 200: Type.Any(), ...problemResponses(429) } } }, async () => ({
    object: 'list' as const,
    data: await market.list(),
  }));

  app.get('/models/:id', { schema: { tags, summary: 'One model and its card', params: ModelParams, response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(404) } } }, async (request) => market.get(request.params.id));

  app.get(
    '/models/:id/evaluation',
    { schema: { tags, summary: 'The public evaluation the service measured: evaluation set hash, per-ground results, confusion table', params: ModelParams, response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(404) } } },
    async (request) => market.evaluation(request.params.id),
  );

  app.get(
    '/models/:id/usage',
    { schema: { tags, summary: 'A model\'s use: cases opened and decided with it, and the royalties paid to its creator (from the chain events)', params: ModelParams, response: { 200: Type.Any(), ...problemResponses(404, 503) } } },
    async (request) => market.usage(request.params.id),
  );

  app.get(
    '/nodes/:address',
    {
      schema: {
        tags,
        summary: 'A node operator: stake, models served and fee, committee seats, fee earnings and slashes',
        params: Type.Object({ address: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Any(), ...problemResponses(400, 503) },
      },
    },
    async (request) => market.node(request.params.address),
  );

  app.get(
    '/quote',
    {
      schema: {
        tags,
        summary: 'The fee of a case before filing: the model that would decide it (a merchant\'s pin applies) and how its fee is split',
        querystring: Type.Object({ jurisdiction: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
        response: { 200: Type.Any(), ...problemResponses(400, 503) },
      },
    },
    async (request) => market.quote(request.query.jurisdiction, request.principal.kind === 'merchant' ? request.principal.id : null),
  );

  app.get('/models/:id/onnx', { schema: { tags, summary: 'The model\'s .onnx bytes (to re-verify)', params: ModelParams, response: { 200: Type.Any(), 201: Type.Any(), ...problemResponses(404) } } }, async (request, reply) => {
    const { path } = await market.artifact(request.params.id);
    return reply.type('application/octet-stream').send(createReadStream(path));
  });
};
