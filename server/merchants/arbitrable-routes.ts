// ERC-792 arbitrable contracts a merchant operates (issue 13 #8): a case the merchant files with
// `onchainDispute` may only name one of them (else 422 at filing, /onchainDispute/arbitrable).
// The admin ties a contract to a merchant after checking the merchant controls it; the merchant
// reads its list. Why the admin and not the merchant itself: ERC-792 gives an arbitrable no owner
// to ask (many are ownerless escrows), so a merchant's own claim would prove nothing and the first
// merchant to claim a contract would own its disputes; see README "ERC-792".
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { principalName, requireKind } from '../auth/principal.js';
import { problemResponses } from '../errors.js';
import type { MerchantService } from './service.js';

const bearer = [{ bearer: [] }];
const tags = ['merchants'];
const AddressParam = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'The arbitrable contract (0x and 40 hex digits; any case).', examples: ['0x5fbdb2315678afecb367f032d93f642f64180aa3'] });

export const Arbitrable = Type.Object(
  {
    object: Type.Literal('arbitrable'),
    address: Type.String({ description: 'The ERC-792 arbitrable contract, lower case.' }),
    merchantId: Type.String(),
    addedBy: Type.String({ description: 'Who tied it to the merchant (`admin`).' }),
    note: Type.Union([Type.String(), Type.Null()], { description: 'What the operator checked before adding it.' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
const ArbitrableList = Type.Object({ object: Type.Literal('list'), data: Type.Array(Arbitrable) }, { additionalProperties: false });
const MerchantArbitrableParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), address: AddressParam }, { additionalProperties: false });
const MerchantParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const AddBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 500, description: 'What was checked, e.g. "owner() 0xab… signed the request of 2026-12-07".' })) },
  { additionalProperties: false },
);

export const arbitrableRoutes: FastifyPluginAsync<{ merchants: MerchantService }> = async (root, { merchants }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/merchants/me/arbitrables',
    {
      schema: {
        tags,
        summary: 'The ERC-792 arbitrable contracts the merchant operates: the disputes its cases may bind',
        description: 'A case filed with this API key and `onchainDispute` must name one of these contracts as `arbitrable`; any other is refused at filing (422, pointer `/onchainDispute/arbitrable`). The operator adds them (PUT /v1/merchants/{id}/arbitrables/{address}).',
        security: bearer,
        response: { 200: ArbitrableList, ...problemResponses(401, 403) },
      },
    },
    async (request) => ({ object: 'list' as const, data: merchants.listArbitrables(requireKind(request.principal, 'merchant').id) }),
  );

  app.get(
    '/merchants/:id/arbitrables',
    {
      schema: { tags, summary: "A merchant's arbitrable contracts (admin)", security: bearer, params: MerchantParams, response: { 200: ArbitrableList, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => {
      requireKind(request.principal, 'admin');
      return { object: 'list' as const, data: merchants.listArbitrables(request.params.id) };
    },
  );

  app.put(
    '/merchants/:id/arbitrables/:address',
    {
      schema: {
        tags,
        summary: 'Tie an ERC-792 arbitrable contract to a merchant (admin), so its cases may bind that contract\'s disputes',
        description:
          "Add it only once the merchant has shown it controls the contract (e.g. a signature by the contract's owner() or deployer, or the contract naming the merchant). One merchant per contract: a contract another merchant operates is a 409 (remove it there first). 201 when added, 200 when it already was. Sends the merchant the webhook event `merchant.arbitrable_added` (written with the change, in one transaction).",
        security: bearer,
        params: MerchantArbitrableParams,
        body: AddBody,
        response: { 200: Arbitrable, 201: Arbitrable, ...problemResponses(400, 401, 403, 404, 409) },
      },
      // The body is optional: none is `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const admin = requireKind(request.principal, 'admin');
      const { arbitrable, created } = merchants.addArbitrable(request.params.id, request.params.address, { note: request.body?.note, actor: principalName(admin) });
      return reply.code(created ? 201 : 200).send(arbitrable);
    },
  );

  app.delete(
    '/merchants/:id/arbitrables/:address',
    {
      schema: {
        tags,
        summary: 'Untie an arbitrable contract from a merchant (admin)',
        description: 'Cases filed from now on may not bind its disputes; cases already filed or bound keep theirs. Sends the merchant `merchant.arbitrable_removed`.',
        security: bearer,
        params: MerchantArbitrableParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const admin = requireKind(request.principal, 'admin');
      merchants.removeArbitrable(request.params.id, request.params.address, principalName(admin));
      return reply.code(204).send(null);
    },
  );
};
