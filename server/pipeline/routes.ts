// GET /v1/cases/:id/trail: the verdict trail (trail.ts). Read access as for the case itself.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../errors.js';
import { CaseIdParams } from '../cases/resources.js';
import type { TrailService } from './trail.js';
import type { PayoutService } from './payouts.js';
import type { AppealService } from './appeals.js';

const Hash = Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' });
const Tx = Type.Union([Hash, Type.Null()], { description: 'Transaction hash; check it on any EVM node.' });

export const Trail = Type.Object(
  {
    object: Type.Literal('trail'),
    caseId: Type.String(),
    status: Type.String(),
    record: Type.Unknown({ description: 'The case record as filed (CASES.md).' }),
    recordHash: Type.String({ description: 'keccak256 of the canonical record.' }),
    model: Type.Object({ ref: Type.String(), modelId: Hash, modelRoot: Type.Union([Hash, Type.Null()]) }, { additionalProperties: true }),
    inputHash: Type.String({ ...Hash, description: 'S_0: hash of the featurized input (PROTOCOL.md §2); on chain as the case\'s s0.' }),
    chain: Type.Object({ chainCaseId: Hash, openTx: Tx }, { additionalProperties: true }),
    committee: Type.Array(
      Type.Object({ node: Type.String(), commitment: Type.Union([Hash, Type.Null()]), commitTx: Tx, claimsRoot: Type.Union([Hash, Type.Null()]), revealTx: Tx }, { additionalProperties: true }),
    ),
    agreedRoot: Type.Union([Hash, Type.Null()]),
    claim: Type.Object({ caseId: Hash, modelId: Hash, s0: Hash, output: Type.Integer(), steps: Type.Integer(), traceRoot: Hash }),
    claimProof: Type.Union([Type.Array(Hash), Type.Null()]),
    games: Type.Array(Type.Object({ gameId: Type.Integer(), defender: Type.String(), challenger: Type.String() }, { additionalProperties: true })),
    verdict: Type.Unknown(),
    appeals: Type.Array(
      Type.Object(
        {
          level: Type.Integer({ minimum: 1, maximum: 2 }),
          appellant: Type.String(),
          bond: Type.String({ description: 'The bond paid into escrow with the appeal, wei.' }),
          reExecutionBatch: Type.Union([Type.Integer(), Type.Null()], { description: 'Level 1: the batch of the fresh committee that re-executed.' }),
          tx: Tx,
          compared: Type.Unknown({ description: 'Level 1: the AppealClosed event (fromBatch, changed, bondRefund, tx) once the re-execution was compared with the first claim; null before.' }),
        },
        { additionalProperties: true },
      ),
      { description: 'Each appeal of the case, in order.' },
    ),
    ruling: Type.Unknown(),
    payout: Type.Unknown({ description: 'The Resolved event: output, award, refund, its transaction and the escrow payments.' }),
  },
  { additionalProperties: true, description: 'Everything needed to re-check a verdict without trusting Arbiter.' },
);

export const PayoutAddressBody = Type.Object(
  { address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'Where the award is paid (any letter case).' }) },
  { additionalProperties: false },
);
export const PayoutAddress = Type.Object({
  object: Type.Literal('payout_address'),
  caseId: Type.String(),
  address: Type.String(),
  award: Type.String({ description: 'The award waiting in escrow, wei.' }),
  status: Type.Literal('pending'),
});

export const RulingBody = Type.Object(
  {
    output: Type.Integer({ minimum: 0, maximum: 65534, description: "The model's output class the arbitrator decides (the card's classes)." }),
    reason: Type.String({ minLength: 1, maxLength: 20_000, description: 'The written reason; its keccak256 goes on chain.' }),
  },
  { additionalProperties: false },
);

export const pipelineRoutes: FastifyPluginAsync<{ trails: TrailService; payouts: PayoutService; appeals: AppealService }> = async (root, { trails, payouts, appeals }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // The trail is built field by field; plain JSON.stringify keeps its nested chain data as is.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.get(
    '/cases/:id/trail',
    {
      schema: {
        tags: ['cases'],
        summary: "A case's verdict trail",
        description:
          'The record and its hash, the featurized input hash S_0, the model card and root, each committee member\'s commitment and reveal with their transactions, any dispute game (moves, the one step, outcome, slashes), the verdict, each appeal with its bond, the ruling and the payout transaction. Readable by whoever may read the case.',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: { 200: Trail, ...problemResponses(401, 404) },
      },
    },
    async (request) => trails.trail(request.params.id, request.principal),
  );
  app.post(
    '/cases/:id/payout-address',
    {
      schema: {
        tags: ['cases'],
        summary: 'Name the payout address of a claimable award',
        description:
          'For a claimant who filed without a wallet: once the verdict is final and the award waits in escrow, the claimant (case access token) names the address it is paid to, once. The registrar relays it on chain; the case becomes `paid` when the escrow pays.',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        body: PayoutAddressBody,
        response: { 202: PayoutAddress, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await payouts.namePayoutAddress(request.params.id, request.principal, request.body.address)),
  );
  app.get(
    '/cases/:id/appeal',
    {
      schema: {
        tags: ['cases'],
        summary: "A case's appeal: level, bond and deadline",
        description: 'Whoever may read the case: the appeal level reached, the next level\'s bond (wei) and the deadline (the end of the proposed verdict\'s challenge window).',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: { 200: Type.Object({ object: Type.Literal('appeal') }, { additionalProperties: true }), ...problemResponses(401, 404) },
      },
    },
    async (request) => appeals.get(request.params.id, request.principal),
  );
  app.post(
    '/cases/:id/appeal',
    {
      schema: {
        tags: ['cases'],
        summary: 'Appeal a proposed verdict',
        description:
          'The claimant or the respondent merchant, within the window. Level 1: a fresh, larger committee re-executes; level 2: an arbitrator rules. On the embedded chain the registrar\'s dev account pays the bond (202); elsewhere the answer is the transaction the party signs and sends itself (200: to, data, value).',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: { 200: Type.Object({}, { additionalProperties: true }), 202: Type.Object({}, { additionalProperties: true }), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const r = await appeals.appeal(request.params.id, request.principal);
      return reply.code(r.object === 'appeal' ? 202 : 200).send(r);
    },
  );
  app.post(
    '/cases/:id/ruling',
    {
      schema: {
        tags: ['cases'],
        summary: 'Rule on a level-2 appeal',
        description: 'An arbitrator decides the output class with a written reason; the reason\'s keccak256 goes on chain with the ruling, which settles the case.',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        body: RulingBody,
        response: { 202: Type.Object({ object: Type.Literal('ruling') }, { additionalProperties: true }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await appeals.rule(request.params.id, request.principal, request.body.output, request.body.reason)),
  );
};
