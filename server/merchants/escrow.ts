// A merchant's escrow account on chain (issue 11 #3, issue 13 #6): the address its cases name as
// respondent, whose free balance (ArbiterEscrow: balance − reserved) reserves each case's largest
// award when the case opens. The merchant names the account with a signature from it (so nobody
// points its cases at someone else's money), reads its balance, reserved and free parts and what
// each open case reserves, and gets the deposit transaction to sign (on the embedded chain the
// dev funder sends it). Read from the folded chain events (the indexer), like the rest of the API.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress, Interface, isAddress, verifyMessage, ZeroAddress } from 'ethers';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { cases, chainCursor, chainEvents, merchants, pipelineCases } from '../db/schema.js';
import { loadArtifact } from '../chain/artifacts.js';
import { readDeployment } from '../chain/deploy.js';
import { Problem } from '../errors.js';
import type { Queues } from '../queues/queues.js';
import { JOB_DEFAULTS, jobIds, PIPELINE_QUEUE } from '../pipeline/jobs.js';
import { createOutboxWriter } from '../webhooks/outbox.js';

/** The message a merchant signs (EIP-191 personal_sign) with the account it names. */
export const accountMessage = (merchantId: string, address: string): string =>
  `Arbiter: use ${address.toLowerCase()} as the escrow account of merchant ${merchantId}`;

/** The most a single deposit may ask for (wei): 10^30, far above any award, below uint256 trouble. */
export const MAX_DEPOSIT_WEI = 10n ** 30n;
/**
 * What the embedded chain's dev funder (anvil's public dev account 9, which also keeps the dev
 * respondent's escrow at 1,000 ETH) deposits for one merchant in all: 100 ETH. Past it the
 * deposit answers with the transaction for the merchant to sign itself, so repeated requests
 * cannot empty the funder (10,000 ETH) and stop other merchants' deposits and the demo's awards.
 */
export const DEV_FUNDER_ALLOWANCE_WEI = 100n * 10n ** 18n;
const GWEI = 10n ** 9n;
/** The open cases listed with the escrow view (newest first). */
const OPEN_CASES_LIMIT = 500;

const ACCOUNT_EVENTS = ['AccountFunded', 'AccountWithdrawn', 'Reserved', 'Released'];

export interface EscrowCaseView {
  caseId: string;
  status: string;
  chainCaseId: string;
  /** Where the case's largest award is: reserved in this account, owed (not escrowed), or in another account (before a wallet was named). */
  funding: 'reserved' | 'owed_not_escrowed' | 'other_account' | 'opening';
  /** wei this case reserves in this account (0 unless `reserved`). */
  reserved: string;
  /** The case's largest award, wei. */
  deposit: string;
}

export function createEscrowService(deps: { db: Db; queues: Queues; dataDir: string; embeddedChain: boolean; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const writeOutbox = createOutboxWriter(db);
  const deploymentFile = join(deps.dataDir, 'chain', 'deployment.json');
  const iface = new Interface(loadArtifact('ArbiterEscrow').abi);
  const deployment = () => (existsSync(deploymentFile) ? readDeployment(deploymentFile) : undefined);
  const walletOf = (merchantId: string) => db.select({ w: merchants.walletAddress }).from(merchants).where(eq(merchants.id, merchantId)).get()?.w ?? null;

  /** Balance and reserved part of `account` from the folded ArbiterEscrow events. */
  function account(address: string) {
    const rows = db
      .select({ name: chainEvents.name, args: chainEvents.args })
      .from(chainEvents)
      .where(and(eq(chainEvents.source, 'escrow'), inArray(chainEvents.name, ACCOUNT_EVENTS), sql`lower(json_extract(${chainEvents.args}, '$.account')) = ${address.toLowerCase()}`))
      .all();
    let balance = 0n;
    let reserved = 0n;
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      if (r.name === 'AccountFunded') balance += BigInt(a.amount);
      else if (r.name === 'AccountWithdrawn') balance -= BigInt(a.amount);
      else if (r.name === 'Reserved') reserved += BigInt(a.amount);
      else {
        reserved -= BigInt(a.released);
        balance -= BigInt(a.drawn);
      }
    }
    return { balance, reserved };
  }

  /** The merchant's cases on chain that are not settled yet, with what each takes from the account. */
  function openCases(merchantId: string, wallet: string | null): EscrowCaseView[] {
    const rows = db
      .select({ caseId: pipelineCases.caseId, status: cases.status, chainCaseId: pipelineCases.chainCaseId, deposit: pipelineCases.deposit, respondent: pipelineCases.respondent })
      .from(pipelineCases)
      .innerJoin(cases, eq(cases.id, pipelineCases.caseId))
      .where(eq(cases.merchantId, merchantId))
      .orderBy(desc(pipelineCases.caseId))
      .limit(OPEN_CASES_LIMIT)
      .all();
    const out: EscrowCaseView[] = [];
    for (const r of rows) {
      const events = db
        .select({ name: chainEvents.name, args: chainEvents.args })
        .from(chainEvents)
        .where(and(eq(chainEvents.chainCaseId, r.chainCaseId), eq(chainEvents.source, 'arbitration'), inArray(chainEvents.name, ['DepositReserved', 'Resolved', 'CaseRefused'])))
        .all();
      if (events.some((e) => e.name !== 'DepositReserved')) continue; // settled: nothing reserved any more
      const opened = events.find((e) => e.name === 'DepositReserved');
      const escrowed = opened ? Boolean((JSON.parse(opened.args) as { escrowed: boolean }).escrowed) : undefined;
      const mine = wallet !== null && r.respondent.toLowerCase() === wallet.toLowerCase();
      const funding: EscrowCaseView['funding'] = escrowed === undefined ? 'opening' : !escrowed ? 'owed_not_escrowed' : mine ? 'reserved' : 'other_account';
      out.push({ caseId: r.caseId, status: r.status, chainCaseId: r.chainCaseId, funding, reserved: funding === 'reserved' ? r.deposit : '0', deposit: r.deposit });
    }
    return out;
  }

  function asOfBlock(): number | null {
    const d = deployment();
    if (!d) return null;
    const c = db.select().from(chainCursor).where(eq(chainCursor.name, `arbitration-${d.addresses.arbitration.toLowerCase()}`)).get();
    return c ? c.nextBlock - 1 : null;
  }

  return {
    get(merchantId: string) {
      const wallet = walletOf(merchantId);
      const d = deployment();
      const { balance, reserved } = wallet ? account(wallet) : { balance: 0n, reserved: 0n };
      return {
        object: 'escrow' as const,
        account: wallet,
        contract: d?.addresses.escrow ?? null,
        chainId: d?.chainId ?? null,
        asOfBlock: asOfBlock(),
        balance: balance.toString(),
        reserved: reserved.toString(),
        free: (balance - reserved).toString(),
        cases: openCases(merchantId, wallet),
      };
    },

    /** Names the merchant's escrow account: `signature` must be `address`'s personal_sign of accountMessage. */
    setAccount(merchantId: string, address: string, signature: string) {
      if (!isAddress(address) || getAddress(address) === ZeroAddress) {
        throw Problem.validation([{ pointer: '/address', message: 'must be a non-zero Ethereum address (0x and 40 hex digits)' }]);
      }
      let signer: string;
      try {
        signer = verifyMessage(accountMessage(merchantId, address), signature);
      } catch {
        throw Problem.validation([{ pointer: '/signature', message: 'is not a 65-byte EIP-191 signature' }]);
      }
      if (signer.toLowerCase() !== address.toLowerCase()) {
        throw Problem.validation([{ pointer: '/signature', message: `must be ${address}'s personal_sign of "${accountMessage(merchantId, address)}"` }]);
      }
      const wallet = getAddress(address).toLowerCase();
      // The change and its webhook (merchant.escrow_account_named) commit together or not at all:
      // a merchant learns of every change of the account its awards are paid from, its own or not.
      db.transaction((tx) => {
        const previous = tx.select({ w: merchants.walletAddress }).from(merchants).where(eq(merchants.id, merchantId)).get()?.w ?? null;
        tx.update(merchants).set({ walletAddress: wallet }).where(eq(merchants.id, merchantId)).run();
        writeOutbox({
          caseId: null,
          merchantId,
          eventType: 'merchant.escrow_account_named',
          data: { merchantId, account: wallet, previousAccount: previous, actor: `merchant:${merchantId}` },
          createdAt: clock().toISOString(),
        });
      });
      return this.get(merchantId);
    },

    /** The deposit transaction for the merchant's account; on the embedded chain the dev funder also sends it. */
    async deposit(merchantId: string, amountText: string) {
      const amount = BigInt(amountText);
      if (amount <= 0n || amount > MAX_DEPOSIT_WEI) {
        throw Problem.validation([{ pointer: '/amount', message: `must be a whole number of wei from 1 to ${MAX_DEPOSIT_WEI}` }]);
      }
      const wallet = walletOf(merchantId);
      if (!wallet) {
        throw new Problem('bad_request', 'Name your escrow account first: PUT /v1/merchants/me/escrow/account with its address and signature');
      }
      const d = deployment();
      if (!d) throw new Problem('unavailable', 'No chain is connected (CHAIN=off): there is no escrow contract to deposit to');
      const tx = { to: d.addresses.escrow, data: iface.encodeFunctionData('depositFor', [wallet]), value: amount.toString(), chainId: d.chainId };
      const toSign = { object: 'escrow_deposit' as const, account: wallet, amount: amount.toString(), status: 'to_sign' as const, ...tx };
      if (!deps.embeddedChain || amount > DEV_FUNDER_ALLOWANCE_WEI) return toSign;
      // What the dev funder has sent this merchant, in gwei (Redis counts in int64; 100 ETH is 10^11 gwei).
      const spent = `${deps.queues.prefix}:escrow-dev-funded:${merchantId}`;
      const units = (amount + GWEI - 1n) / GWEI;
      const total = await deps.queues.connection.incrby(spent, Number(units));
      if (BigInt(total) > DEV_FUNDER_ALLOWANCE_WEI / GWEI) {
        await deps.queues.connection.decrby(spent, Number(units));
        return toSign;
      }
      const depositId = newId('dep');
      try {
        await deps.queues
          .get(PIPELINE_QUEUE, { defaultJobOptions: JOB_DEFAULTS })
          .add('deposit', { depositId, merchantId, account: wallet, amount: amount.toString() }, { jobId: jobIds.deposit(depositId) });
      } catch (e) {
        await deps.queues.connection.decrby(spent, Number(units));
        throw e;
      }
      return { object: 'escrow_deposit' as const, id: depositId, account: wallet, amount: amount.toString(), status: 'pending' as const, ...tx };
    },
  };
}

export type EscrowService = ReturnType<typeof createEscrowService>;
