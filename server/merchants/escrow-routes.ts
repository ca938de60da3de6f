// The merchant's escrow account (server/merchants/escrow.ts): name it, read it, fund it. The
// merchant's own API key only; amounts are wei as decimal strings (JSON numbers lose precision).
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireKind } from '../auth/principal.js';
import { problemResponses } from '../errors.js';
import type { EscrowService } from './escrow.js';

const bearer = [{ bearer: [] }];
const tags = ['merchants'];
const Wei = (description: string) => Type.String({ pattern: '^[0-9]+$', description: `${description} (wei, decimal string).`, examples: ['60000000000000000'] });
const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', examples: ['0xa0ee7a142d267c1f36714e4a8f75612f20a79720'] });

export const Escrow = Type.Object(
  {
    object: Type.Literal('escrow'),
    account: Type.Union([Address, Type.Null()], { description: 'The escrow account the merchant named (its cases name it as respondent); null: none yet.' }),
    contract: Type.Union([Address, Type.Null()], { description: 'The ArbiterEscrow contract; null without a chain.' }),
    chainId: Type.Union([Type.String(), Type.Null()]),
    asOfBlock: Type.Union([Type.Integer(), Type.Null()], { description: 'The last block the indexer folded: the figures are the chain state at that block.' }),
    balance: Wei('What the account holds, reserved included'),
    reserved: Wei('What open cases reserve (their largest awards); never withdrawable'),
    free: Wei('balance − reserved: what new cases may reserve and what the account may withdraw'),
    cases: Type.Array(
      Type.Object(
        {
          caseId: Type.String(),
          status: Type.String(),
          chainCaseId: Type.String(),
          funding: Type.Enum(['reserved', 'owed_not_escrowed', 'other_account', 'opening'], {
            description:
              '`reserved`: the largest award is reserved in this account; `owed_not_escrowed`: the free balance did not cover it when the case opened, so an award is owed, not escrowed; `other_account`: opened before this account was named; `opening`: not folded yet.',
          }),
          reserved: Wei('What this case reserves in this account'),
          deposit: Wei("The case's largest award"),
        },
        { additionalProperties: false },
      ),
      { description: 'The merchant\'s cases on chain not settled yet (newest 500).' },
    ),
  },
  { additionalProperties: false },
);

const SetAccountBody = Type.Object(
  {
    address: Type.String({ minLength: 1, maxLength: 100, description: 'The account (an EOA: its personal_sign is recovered; contract wallets, EIP-1271, are not accepted) whose escrow funds the merchant\'s cases.' }),
    signature: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'personal_sign (EIP-191) by `address` of the text `Arbiter: use <address in lower case> as the escrow account of merchant <merchant id>`.',
    }),
  },
  { additionalProperties: false },
);

const DepositBody = Type.Object(
  { amount: Type.String({ pattern: '^[0-9]{1,31}$', description: 'wei to deposit, as a decimal string: 1 to 10^30.', examples: ['1000000000000000000'] }) },
  { additionalProperties: false },
);

const DepositTx = Type.Object(
  {
    object: Type.Literal('escrow_deposit'),
    id: Type.Optional(Type.String({ description: 'On the embedded chain: the deposit the dev funder sends.' })),
    account: Address,
    amount: Wei('The deposit'),
    status: Type.Enum(['to_sign', 'pending'], { description: '`to_sign`: sign and send the transaction yourself; `pending`: the embedded chain\'s dev funder is sending it.' }),
    to: Address,
    data: Type.String({ description: 'ArbiterEscrow.depositFor(account) calldata.' }),
    value: Wei('msg.value'),
    chainId: Type.String(),
  },
  { additionalProperties: false },
);

export const escrowRoutes: FastifyPluginAsync<{ escrow: EscrowService }> = async (root, { escrow }) => {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const me = (p: Parameters<typeof requireKind>[0]) => requireKind(p, 'merchant').id;

  app.get(
    '/merchants/me/escrow',
    {
      schema: {
        tags,
        summary: "The merchant's escrow account: balance, reserved, free, and what each open case reserves",
        description:
          "A case against the merchant reserves its largest award from the account's free balance when it opens on chain; when the free balance does not cover it, the case is still decided, and its verdict says the award is owed but not escrowed. Settlement pays the claimant from the reservation and frees the rest. Figures are the chain state at `asOfBlock` (the indexer's last folded block).",
        security: bearer,
        response: { 200: Escrow, ...problemResponses(401, 403) },
      },
    },
    async (request) => escrow.get(me(request.principal)),
  );

  app.put(
    '/merchants/me/escrow/account',
    {
      schema: {
        tags,
        summary: 'Name the escrow account that funds the merchant\'s cases (proved by a signature from it)',
        description:
          "Cases opened from now on name this address as respondent and reserve from its escrow account; cases already open keep theirs. The signature proves the merchant controls the address, so no merchant can make its awards payable from someone else's escrow. The change sends the webhook event `merchant.escrow_account_named` (written with it, in one transaction).",
        security: bearer,
        body: SetAccountBody,
        response: { 200: Escrow, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => escrow.setAccount(me(request.principal), request.body.address, request.body.signature),
  );

  app.post(
    '/merchants/me/escrow/deposits',
    {
      schema: {
        tags,
        summary: "Deposit into the merchant's escrow account: the transaction to sign",
        description:
          "Returns ArbiterEscrow.depositFor(account) with `value` = amount for the merchant (or anyone) to sign and send; anyone may fund the account, only the account withdraws (withdraw(amount), free balance only). On the embedded chain the dev funder (anvil's public dev account 9) sends it too (202, `pending`), up to 100 ETH per merchant in all; past that the answer is the transaction to sign (200, `to_sign`).",
        security: bearer,
        body: DepositBody,
        response: { 200: DepositTx, 202: DepositTx, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const r = await escrow.deposit(me(request.principal), request.body.amount);
      return reply.code(r.status === 'pending' ? 202 : 200).send(r);
    },
  );
};
