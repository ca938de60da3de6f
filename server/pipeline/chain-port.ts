// Every contract call of the pipeline, behind one narrow, intention-named API: the registrar's
// side (register models, open cases, seal, close reveals, settle), a node operator's side
// (stake, commit, reveal, challenge, play) and the reads both need. When the contracts' ABI
// changes (contracts/README.md "A case's life on chain"), this file is what adapts.
import { BaseWallet, Contract, getAddress, Interface, JsonRpcApiProvider, ZeroAddress, ZeroHash, id as utf8Id, keccak256, toQuantity, toUtf8Bytes, type NonceManager, type Provider, type TransactionReceipt, type TransactionReceiptParams } from 'ethers';
import { abiOf, connectContracts, caseIdOf, BatchStatus, CaseStatus, DisputeState, MemberState, GamePhase, type ArbiterContracts } from '../chain/contracts.js';
import type { Deployment } from '../chain/deploy.js';
import { claimProof } from '../chain/batch-claims.js';
import { merkleProof } from '../inference/merkle.js';
import { bytesToHex, hexToBytes } from '../inference/hex.js';
import { encodeOpenCases, signTransaction } from '../chain/raw-tx.js';
import { sendRawTransactionSync } from '../chain/provider.js';
import { createReadMany } from '../chain/read-many.js';
import { takeTurn, type OwnTrace, type TurnResult } from '../chain/game-player.js';
import type { Claim } from '../inference/claim-commitment.js';
import type { Step } from '../inference/ops.js';

export { BatchStatus, CaseStatus, DisputeState, MemberState, GamePhase };

/** One transaction at a time per signer: concurrent jobs never race for a nonce. */
const queues = new WeakMap<object, Promise<unknown>>();
function serial<T>(signer: object, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(signer) ?? Promise.resolve();
  const next = prev.catch(() => {}).then(fn);
  queues.set(signer, next);
  return next;
}

/** The revert's custom error name (decoded from any of the system's ABIs), if any. */
export function revertName(c: ArbiterContracts, err: unknown): string | undefined {
  const e = err as { data?: string; info?: { error?: { data?: string } }; revert?: { name?: string } };
  if (e?.revert?.name) return e.revert.name;
  const data = e?.data ?? e?.info?.error?.data;
  if (typeof data !== 'string' || data.length < 10) return undefined;
  for (const k of ['arbitration', 'front', 'game', 'staking', 'registry', 'escrow', 'timelock'] as const) {
    try {
      const parsed = c[k].interface.parseError(data);
      if (parsed) return parsed.name;
    } catch {
      /* not this contract's */
    }
  }
  return undefined;
}

/**
 * The receipt of `hash`: looked for every few milliseconds at first (anvil mines on arrival, in
 * a few milliseconds when idle and tens under load), every RECEIPT_STEP_MS for its first
 * RECEIPT_FAST_MS, then ever more slowly, up to a second (a real chain's blocks). A reverted
 * transaction throws, as ethers' wait() does. The wait doubled from 2 ms before: a transaction
 * mined after 35 ms was seen after 62, one mined after 70 after 126, and every transaction on a
 * batch's path (seal, draw, commits, reveals) paid it under load (docs/pipeline-bench.md).
 */
const RECEIPT_STEP_MS = 10;
const RECEIPT_FAST_MS = 300;
/** `r`, or a throw as ethers' wait() does when the transaction reverted. */
function mindRevert(r: TransactionReceipt, hash: string): TransactionReceipt {
  if (r.status === 0) throw Object.assign(new Error(`transaction ${hash} reverted`), { code: 'CALL_EXCEPTION', receipt: r });
  return r;
}
async function receiptOf(provider: Provider, hash: string): Promise<TransactionReceipt> {
  const began = Date.now();
  for (let delay = 2; ; ) {
    const r = await provider.getTransactionReceipt(hash);
    if (r) return mindRevert(r, hash);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Date.now() - began < RECEIPT_FAST_MS ? Math.min(delay + 2, RECEIPT_STEP_MS) : Math.min(Math.round(delay * 1.5), 1000);
  }
}

/** Fee data per provider, fetched at most every FEE_TTL_MS (one RPC less per transaction). */
const FEE_TTL_MS = 3000;
const fees = new WeakMap<object, { at: number; data: Promise<Record<string, bigint>> }>();
function feeOverrides(provider: Provider): Promise<Record<string, bigint>> {
  const hit = fees.get(provider);
  if (hit && Date.now() - hit.at < FEE_TTL_MS) return hit.data;
  const data = provider.getFeeData().then((f) => {
    const out: Record<string, bigint> = {};
    if (f.maxFeePerGas !== null && f.maxPriorityFeePerGas !== null) {
      // Twice the current base fee: the transaction stays valid while the cache lives.
      out.maxFeePerGas = f.maxFeePerGas * 2n;
      out.maxPriorityFeePerGas = f.maxPriorityFeePerGas;
    } else if (f.gasPrice !== null) out.gasPrice = (f.gasPrice * 12n) / 10n;
    return out;
  });
  data.catch(() => fees.delete(provider));
  fees.set(provider, { at: Date.now(), data });
  return data;
}

/** Chain id per provider, read once (a transaction signs over it). */
const chainIds = new WeakMap<object, Promise<bigint>>();
function chainIdOf(provider: Provider): Promise<bigint> {
  let id = chainIds.get(provider);
  if (!id) {
    id = provider.getNetwork().then((n) => n.chainId);
    id.catch(() => chainIds.delete(provider));
    chainIds.set(provider, id);
  }
  return id;
}

/**
 * A case opened while its model's filling batch is being sealed: estimated into the filling
 * batch, mined after the seal, it opens a new batch (its storage, the filling pointer, the batch's
 * pot: ~90k gas more) or, filling the batch up, seals it. With the default margin the
 * transaction ran out of gas (gasUsed = limit: 274,541 of 274,739 for one case, seen under the
 * pipeline bench) and its cases waited out a retry. Per model in the transaction, each may hit it.
 */
const NEW_BATCH_GAS = 200_000n;
const CASE_OPENED_TOPIC = utf8Id('CaseOpened(bytes32,bytes32,uint64,uint256,bytes32,address,address,uint256,bytes32)');
const SEED_COMMITTED_TOPIC = utf8Id('SeedCommitted(uint64,uint256)');
/**
 * Extra gas on top of the estimate, per function: the estimate is taken against the state before
 * the transaction, and another member's transaction may land first and change its path. A reveal
 * estimated while others were still to reveal, and mined as the last one, also proposes the
 * batch's verdict: with the default margin it ran out of gas and was retried a second later.
 */
const EXTRA_GAS: Record<string, bigint> = { reveal: 250_000n, commit: 50_000n, draw: 100_000n };
/**
 * On the embedded chain (anvil, synchronous sends), a node's commit and reveal go without an
 * estimate (so does openCases, with a limit by its size: openCasesGas), with these limits: their gas hardly varies (measured: commit 57,278; reveal 41,738,
 * or 92,342 as the last one, which proposes the verdict), the node has just read that the
 * transaction is due (its seat, the batch's status and deadlines), and a revert costs nothing
 * real there. The estimate was a request of its own on every batch's path, two per member
 * (docs/pipeline-bench.md). A reverted one is replayed to name its error. Elsewhere, and for
 * every other function, the estimate stays: a revert shows before any nonce is taken.
 */
const UNESTIMATED_GAS: Record<string, bigint> = { commit: 300_000n, reveal: 1_000_000n };
/**
 * openCases unestimated on the embedded chain (as commit and reveal, above): its estimate ran the
 * whole transaction two or three times on anvil before it ran once for real, one of the largest
 * single costs of the embedded chain's CPU at a steady rate. The limit is about twice what the
 * pipeline bench measured (140k–200k a case, a new batch's storage per model, the seal of each
 * model's batch by openCasesAndSeal or by filling it up; at most 0.53 of this formula over 119
 * transactions of 1 to 92 cases).
 */
const openCasesGas = (cases: number, models: number, seal: boolean): bigint => {
  const limit = 150_000n + 250_000n * BigInt(cases) + (seal ? 400_000n : 250_000n) * BigInt(models);
  // Never more than anvil's default block gas limit (an automining anvil, CHAIN_BLOCK_MS=0):
  // the most a transaction of 100 cases used was 12.9M.
  return limit < OPEN_CASES_GAS_CAP ? limit : OPEN_CASES_GAS_CAP;
};
const OPEN_CASES_GAS_CAP = 30_000_000n;
/** The gas limit sent for `fn`: the estimate with a margin, the function's extra and the caller's. */
const gasLimitOf = (estimate: bigint, fn: string, extraGas: bigint) => (estimate * 13n) / 10n + 30_000n + (EXTRA_GAS[fn] ?? 0n) + extraGas;

/**
 * Sends `fn(args)` from `signer` and waits for its receipt. Estimates first (a revert shows here,
 * with its custom error, before any nonce is taken), then signs and broadcasts under the signer's
 * lock (nonces stay in order), then waits for the receipt outside it, so one signer keeps many
 * transactions in flight. A wallet's transactions are encoded, signed and sent raw
 * (eth_estimateGas, eth_sendRawTransaction): ethers' contract wrapper resolved every argument,
 * and its broadcast read the block number and re-parsed the signed transaction to recover the
 * sender it had just signed with, about half the pipeline's JavaScript per transaction.
 */
async function send(signer: NonceManager, contract: Contract, fn: string, args: unknown[], value?: bigint, calldata?: string, extraGas = 0n, unestimatedGas?: bigint): Promise<TransactionReceipt> {
  const wallet = (signer as { signer?: unknown }).signer;
  const provider = signer.provider!;
  if (!(wallet instanceof BaseWallet) || !(provider instanceof JsonRpcApiProvider)) return sendThroughEthers(signer, contract, fn, args, value, extraGas);
  const to = await contract.getAddress();
  const data = calldata ?? contract.interface.encodeFunctionData(fn, args);
  const from = wallet.address;
  const [fee, chainId] = await Promise.all([feeOverrides(provider), chainIdOf(provider)]);
  const call: Record<string, string> = { from, to, data };
  if (value !== undefined) call.value = toQuantity(value);
  const sync = await sendsSync(provider);
  const unestimated = sync ? (unestimatedGas ?? UNESTIMATED_GAS[fn]) : undefined;
  const gasLimit = unestimated ?? gasLimitOf(BigInt(await provider.send('eth_estimateGas', [call])), fn, extraGas);
  const fields: UnsignedTx = { type: fee.gasPrice === undefined ? 2 : 0, chainId, to, data, value: value ?? 0n, gasLimit, ...fee };
  if (sync) {
    if (unestimated === undefined) return sendSync(signer, wallet, provider, fields);
    try {
      return await sendSync(signer, wallet, provider, fields);
    } catch (e) {
      const receipt = (e as { receipt?: TransactionReceipt }).receipt;
      if (!receipt) throw e;
      // Its error, as the estimate would have named it: the call replayed on the state it met.
      try {
        await provider.send('eth_call', [call, toQuantity(receipt.blockNumber - 1)]);
      } catch (replayed) {
        const d = (replayed as { data?: string; info?: { error?: { data?: string } } }).data ?? (replayed as { info?: { error?: { data?: string } } }).info?.error?.data;
        if (typeof d === 'string') throw Object.assign(e as Error, { data: d });
      }
      throw e;
    }
  }
  const hash = await signAndPut(signer, wallet, fields, async (signed) => (await provider.send('eth_sendRawTransaction', [signed.serialized])) as string);
  return receiptOf(provider, hash);
}

type UnsignedTx = Omit<Parameters<typeof signTransaction>[0], 'nonce'>;

/**
 * Under the signer's lock: takes the next nonce, signs `tx` with it and hands it to `put` (which
 * broadcasts it, or puts it on the wire). The nonce is taken (read and incremented in one step) as
 * ethers' own NonceManager.sendTransaction does, so a send of the same manager outside this lock
 * (the market's funder transfer) never gets it too. A refusal inside resets the manager's nonces:
 * a refused transaction must not leave a nonce gap.
 */
function signAndPut<T>(signer: NonceManager, wallet: BaseWallet, tx: UnsignedTx, put: (signed: { serialized: string; hash: string }) => T | Promise<T>): Promise<T> {
  return serial(signer, async () => {
    const pending = signer.getNonce('pending');
    signer.increment();
    try {
      const nonce = await pending;
      return await put(signTransaction({ ...tx, nonce }, wallet.signingKey));
    } catch (e) {
      signer.reset();
      throw e;
    }
  });
}

/**
 * Whether `provider` is an anvil, whose eth_sendRawTransactionSync answers with the receipt once
 * the transaction is mined: no receipt to look for every few milliseconds meanwhile (with blocks
 * `CHAIN_BLOCK_MS` apart, five to ten looks a transaction, each a request for both sides).
 */
const syncSends = new WeakMap<object, Promise<boolean>>();
function sendsSync(provider: JsonRpcApiProvider): Promise<boolean> {
  let s = syncSends.get(provider);
  if (!s) {
    s = provider.send('web3_clientVersion', []).then(
      (v) => typeof v === 'string' && v.startsWith('anvil/'),
      () => false,
    );
    syncSends.set(provider, s);
  }
  return s;
}

/**
 * `send` on an anvil: the nonce is taken and the transaction signed and put on the wire under the
 * signer's lock, as there; the lock is let go without waiting for the answer (it comes when the
 * block is mined), so one signer still keeps many transactions in flight. Should a later nonce
 * reach anvil first, anvil holds it until the earlier one comes. A refused transaction (not in
 * anvil's pool after the error) resets the signer's nonces, as a refused broadcast does.
 */
async function sendSync(signer: NonceManager, wallet: BaseWallet, provider: JsonRpcApiProvider, tx: UnsignedTx): Promise<TransactionReceipt> {
  const { hash, raw, answer } = await signAndPut(signer, wallet, tx, (signed) => {
    const answer = sendRawTransactionSync(provider, signed.serialized);
    answer.catch(() => {});
    return { hash: signed.hash, raw: signed.serialized, answer };
  });
  let a: Awaited<typeof answer>;
  try {
    a = await answer;
  } catch (e) {
    // No answer (the connection failed): it may have arrived.
    a = { error: { code: -32603, message: (e as Error).message } };
  }
  if (a.error) {
    if (a.error.code === -32601) {
      // An anvil without it: a plain broadcast, and the receipt looked for.
      syncSends.set(provider, Promise.resolve(false));
      await provider.send('eth_sendRawTransaction', [raw]);
    } else if (!(await provider.send('eth_getTransactionByHash', [hash]))) {
      signer.reset();
      throw Object.assign(new Error(`transaction refused: ${a.error.message}`), { code: 'TRANSACTION_REFUSED', info: { error: a.error } });
    }
    // Sent but not yet mined when anvil stopped waiting: looked for from here.
    return receiptOf(provider, hash);
  }
  // The answer is the receipt: not asked for again.
  const r = a.result as { transactionHash?: string; status?: string } | null | undefined;
  if (!r || typeof r !== 'object' || String(r.transactionHash).toLowerCase() !== hash.toLowerCase()) return receiptOf(provider, hash);
  return mindRevert(provider._wrapTransactionReceipt(r as unknown as TransactionReceiptParams, await provider.getNetwork()), hash);
}

/** The same through ethers' signer (a signer that is not a local wallet: a browser or remote one). */
async function sendThroughEthers(signer: NonceManager, contract: Contract, fn: string, args: unknown[], value?: bigint, extraGas = 0n): Promise<TransactionReceipt> {
  const bound = contract.connect(signer) as Contract;
  const f = bound.getFunction(fn);
  const overrides: Record<string, bigint> = value === undefined ? {} : { value };
  const fee = await feeOverrides(signer.provider!);
  const estimate: bigint = await f.estimateGas(...args, overrides);
  const tx = await serial(signer, async () => {
    try {
      return await f(...args, { ...overrides, ...fee, gasLimit: gasLimitOf(estimate, fn, extraGas) });
    } catch (e) {
      signer.reset();
      throw e;
    }
  });
  return receiptOf(signer.provider!, tx.hash);
}

export interface ModelTerms {
  ref: string;
  name: string;
  version: string;
  modelRoot: string;
  sha256: string;
  featurizerRef: string;
  steps: number;
  price: bigint;
  royaltyBps: number;
  claimantClasses: bigint[];
}

/** ModelRegistry.models(modelId) and its claimant-class bitmap, as read from the chain. */
export interface RegistryEntry {
  creator: string;
  steps: number;
  royaltyBps: number;
  deprecated: boolean;
  price: bigint;
  modelRoot: string;
  /** 0x-prefixed */
  onnxSha256: string;
  /** keccak256(utf8 "<featurizer id>@<version>") */
  featurizer: string;
  claimantClasses: bigint[];
}

export interface ChainCase {
  status: number;
  batchId: bigint;
  index: number;
  s0: string;
  claimant: string;
  respondent: string;
  amount: bigint;
}

export interface ChainBatch {
  status: number;
  modelId: string;
  count: number;
  commitDeadline: number;
  revealDeadline: number;
  windowEnd: number;
  openDeadline: number;
  seedBlock: number;
  claimsRoot: string;
  committed: number;
  revealed: number;
  size: number;
  games: number;
}

/** Evidence for a challenge: the member, its claim and its proofs. */
export interface ChallengeSide {
  member: string;
  claim: Claim;
  claims: Claim[];
  /** Proof that S_n = keccak256(uint32 n ‖ enc([[output]])) is leaf n of the member's trace tree. */
  finalProof: string[];
}

/** The game a receipt's Challenged event opened (0: none). */
function gameIdOf(receipt: TransactionReceipt): bigint {
  const iface = new Interface(abiOf('Arbitration'));
  for (const l of receipt.logs) {
    try {
      const p = iface.parseLog(l);
      if (p?.name === 'Challenged') return p.args.gameId as bigint;
    } catch {
      /* another contract's log */
    }
  }
  return 0n;
}

/** Proof of leaf `index` against the Merkle root of `leaves` (a member's opened root). */
export const leafProof = (leaves: readonly string[], index: number): string[] => merkleProof(leaves.map(hexToBytes), index).map(bytesToHex);

export const claimTuple = (c: Claim) => [c.caseId, c.modelId, c.s0, c.output, BigInt(c.steps), c.traceRoot];

/** A bytes32 (64 hex digits) or an address (40, left-padded) as one ABI word (no 0x), refused otherwise as ethers would. */
const word32 = (hex: string): string => {
  const h = hex.slice(2).toLowerCase();
  if (!hex.startsWith('0x') || (h.length !== 64 && h.length !== 40) || !/^[0-9a-f]*$/.test(h)) throw new TypeError(`not a bytes32 or address: ${hex}`);
  return h.padStart(64, '0');
};
const uintWord = (v: bigint | number): string => BigInt(v).toString(16).padStart(64, '0');
const num = (w: string): number => Number(BigInt(`0x${w}`));
const addr = (w: string): string => getAddress(`0x${w.slice(24)}`);

export function createChainPort(deployment: Deployment, provider: Provider) {
  const read = connectContracts(deployment, provider);
  const caseFees = new Map<string, bigint>();
  // The three reads every job repeats (a case, a batch, a member), as raw eth_calls decoded word by
  // word: ethers' contract proxy looked the function up, ABI-coded and built a Result for each,
  // most of a node operator's CPU with a thousand cases (docs/pipeline-bench.md). Their outputs
  // are static structs; the test suite compares both ways (test/integration/pipeline/chain-reads.test.ts).
  const SEL = {
    cases: read.arbitration.interface.getFunction('cases')!.selector,
    batches: read.arbitration.interface.getFunction('batches')!.selector,
    members: read.arbitration.interface.getFunction('members')!.selector,
    pendingAppeals: read.arbitration.interface.getFunction('pendingAppeals')!.selector,
  };
  const arbitrationAt = deployment.addresses.arbitration;
  // Reads of the same tick go out as one eth_call (server/chain/read-many.ts).
  const many = provider instanceof JsonRpcApiProvider ? createReadMany(provider) : undefined;
  async function words(data: string): Promise<string[] | undefined> {
    if (!many) return undefined;
    const out = await many.call({ to: arbitrationAt, data });
    const hex = out.slice(2);
    const w: string[] = [];
    for (let i = 0; i + 64 <= hex.length; i += 64) w.push(hex.slice(i, i + 64).toLowerCase());
    return w;
  }
  return {
    deployment,
    provider,
    contracts: read,
    /** The opener's reference for a case: namespaced hash of the service's case id (no personal data). */
    caseRefOf: (caseId: string): string => keccak256(toUtf8Bytes(`arbiter-case:${caseId}`)),
    /** The chain's id for a case `opener` opens under `ref` (Arbitration.caseIdOf). */
    chainCaseIdOf: (opener: string, ref: string): string => caseIdOf(opener, ref).toLowerCase(),
    modelIdOf: (ref: string): string => utf8Id(ref),
    revertName: (err: unknown) => revertName(read, err),

    /** Latest block timestamp, seconds. */
    async now(): Promise<number> {
      if (many) return many.now();
      const b = await provider.getBlock('latest');
      return Number(b!.timestamp);
    },

    // ── registry and staking ──
    async isRegistered(modelId: string): Promise<boolean> {
      const m = await read.registry.models(modelId);
      return String(m.creator) !== ZeroAddress;
    },
    async registerModel(creator: NonceManager, t: ModelTerms): Promise<TransactionReceipt> {
      return send(creator, read.registry, 'register', [
        t.name, t.version, t.modelRoot, `0x${t.sha256}`, utf8Id(t.featurizerRef), t.steps, t.price, t.royaltyBps, t.claimantClasses,
      ]);
    },
    /** Stops new cases on a model version (ModelRegistry.deprecate); its creator only. */
    async deprecateModel(creator: NonceManager, modelId: string): Promise<TransactionReceipt> {
      return send(creator, read.registry, 'deprecate', [modelId]);
    },
    /** The registry entry of a model, or undefined when it is not registered. */
    async registryEntry(modelId: string): Promise<RegistryEntry | undefined> {
      const m = await read.registry.models(modelId);
      if (String(m.creator) === ZeroAddress) return undefined;
      return {
        creator: String(m.creator).toLowerCase(),
        steps: Number(m.steps),
        royaltyBps: Number(m.royaltyBps),
        deprecated: Boolean(m.deprecated),
        price: BigInt(m.price),
        modelRoot: String(m.modelRoot).toLowerCase(),
        onnxSha256: String(m.onnxSha256).toLowerCase(),
        featurizer: String(m.featurizer).toLowerCase(),
        claimantClasses: ((await read.registry.claimantClassesOf(modelId)) as bigint[]).map((w) => BigInt(w)),
      };
    },
    async stakeOf(node: string): Promise<bigint> {
      const n = await read.staking.nodes(node);
      return BigInt(n.stake);
    },
    async servers(modelId: string): Promise<string[]> {
      return ((await read.staking.serversOf(modelId)) as string[]).map((a) => a.toLowerCase());
    },
    async stake(node: NonceManager, amount: bigint) {
      return send(node, read.staking, 'stake', [], amount);
    },
    async serve(node: NonceManager, modelIds: string[], fee: bigint) {
      return send(node, read.staking, 'serve', [modelIds, fee]);
    },

    // ── cases and batches ──
    async caseFee(modelId: string): Promise<bigint> {
      return read.arbitration.caseFee(modelId);
    },
    async getCase(chainCaseId: string): Promise<ChainCase> {
      const w = await words(SEL.cases + word32(chainCaseId));
      if (w) {
        // cases(bytes32): claimant, amount, respondent, batchId, index, status, appealLevel, claimantWon, funding, s0, awards
        return { status: num(w[5]), batchId: BigInt(`0x${w[3]}`), index: num(w[4]), s0: `0x${w[9]}`, claimant: addr(w[0]), respondent: addr(w[2]), amount: BigInt(`0x${w[1]}`) };
      }
      const c = await read.arbitration.cases(chainCaseId);
      return {
        status: Number(c.status),
        batchId: BigInt(c.batchId),
        index: Number(c.index),
        s0: String(c.s0),
        claimant: String(c.claimant),
        respondent: String(c.respondent),
        amount: BigInt(c.amount),
      };
    },
    /** Level-1 appeals of `batchId`'s cases not yet compared with its root (they hold its finalization). */
    async pendingAppeals(batchId: bigint): Promise<number> {
      const w = await words(SEL.pendingAppeals + uintWord(batchId));
      if (w) return num(w[0]);
      return Number(await read.arbitration.pendingAppeals(batchId));
    },
    async getBatch(batchId: bigint): Promise<ChainBatch> {
      const w = await words(SEL.batches + uintWord(batchId));
      if (w) {
        // batches(uint64): modelId, openedAt, count, status, size, committed, revealed, games, commitDeadline,
        // revealDeadline, frontCases, windowEnd, openDeadline, seedBlock, casesHash, claimsRoot
        return {
          status: num(w[3]),
          modelId: `0x${w[0]}`,
          count: num(w[2]),
          commitDeadline: num(w[8]),
          revealDeadline: num(w[9]),
          windowEnd: num(w[11]),
          openDeadline: num(w[12]),
          seedBlock: num(w[13]),
          claimsRoot: `0x${w[15]}`,
          committed: num(w[5]),
          revealed: num(w[6]),
          size: num(w[4]),
          games: num(w[7]),
        };
      }
      const b = await read.arbitration.batches(batchId);
      return {
        status: Number(b.status),
        modelId: String(b.modelId),
        count: Number(b.count),
        commitDeadline: Number(b.commitDeadline),
        revealDeadline: Number(b.revealDeadline),
        windowEnd: Number(b.windowEnd),
        openDeadline: Number(b.openDeadline),
        seedBlock: Number(b.seedBlock),
        claimsRoot: String(b.claimsRoot),
        committed: Number(b.committed),
        revealed: Number(b.revealed),
        size: Number(b.size),
        games: Number(b.games),
      };
    },
    /**
     * The S_0 of every case opened into `batchId` (its CaseOpened events: one getLogs instead of
     * one call per case), by lowercase case id.
     */
    async s0sOfBatch(batchId: bigint): Promise<Map<string, string>> {
      const evs = await read.arbitration.queryFilter(read.arbitration.filters.CaseOpened(null, null, batchId), deployment.block);
      const out = new Map<string, string>();
      for (const e of evs) {
        const a = (e as unknown as { args: { caseId: string; s0: string } }).args;
        out.set(String(a.caseId).toLowerCase(), String(a.s0));
      }
      return out;
    },
    async committee(batchId: bigint): Promise<string[]> {
      return ((await read.arbitration.committeeOf(batchId)) as string[]).map((a) => a.toLowerCase());
    },
    async memberState(batchId: bigint, node: string): Promise<{ state: number; value: string; opened: boolean }> {
      const w = await words(SEL.members + uintWord(batchId) + word32(node));
      // members(uint64,address): state, opened, seat, value
      if (w) return { state: num(w[0]), value: `0x${w[3]}`, opened: num(w[1]) !== 0 };
      const m = await read.arbitration.members(batchId, node);
      return { state: Number(m.state), value: String(m.value), opened: Boolean(m.opened) };
    },
    /** The open accusation against `node` in a disputed batch, if any. */
    async accusation(batchId: bigint, node: string): Promise<{ accuser: string; index: number; deadline: number } | undefined> {
      const a = await read.arbitration.accusations(batchId, node);
      if (String(a.accuser) === ZeroAddress) return undefined;
      return { accuser: String(a.accuser).toLowerCase(), index: Number(a.index), deadline: Number(a.deadline) };
    },
    /**
     * Opens a case: the opener pays the fee and `deposit` (0 from the registrar: the deposit is
     * then reserved from the respondent's escrow account, or the case opens owed but not
     * escrowed). Idempotent: a case already on chain is not opened again (undefined is returned).
     */
    async openCase(
      opener: NonceManager,
      o: { ref: string; chainCaseId: string; modelId: string; s0: string; claimant: string; respondent: string; awardTable: string; deposit: bigint },
    ): Promise<{ batchId: bigint; receipt?: TransactionReceipt }> {
      // Opened before (a retry after a crash): nothing to do but find its batch.
      const before = await this.getCase(o.chainCaseId);
      if (before.status !== CaseStatus.None) return { batchId: before.batchId };
      let fee = caseFees.get(o.modelId);
      if (fee === undefined) {
        fee = (await read.arbitration.caseFee(o.modelId)) as bigint;
        caseFees.set(o.modelId, fee);
      }
      try {
        const receipt = await send(opener, read.arbitration, 'openCase', [o.ref, o.modelId, o.s0, o.claimant, o.respondent, o.awardTable], o.deposit + fee, undefined, NEW_BATCH_GAS);
        for (const l of receipt.logs) {
          const p = (() => {
            try {
              return read.arbitration.interface.parseLog(l);
            } catch {
              return null;
            }
          })();
          if (p?.name === 'CaseOpened') return { batchId: BigInt(p.args.batchId as bigint), receipt };
        }
        return { batchId: (await this.getCase(o.chainCaseId)).batchId, receipt };
      } catch (e) {
        const name = revertName(read, e);
        // Opened before (a retry after a crash): nothing to do but find its batch.
        if (name === 'CaseExists') return { batchId: (await this.getCase(o.chainCaseId)).batchId };
        if (name === 'InsufficientPayment') caseFees.delete(o.modelId); // the price changed
        throw e;
      }
    },
    // ── respondents' escrow accounts (ArbiterEscrow) ──
    /** An escrow account's balance, reserved part and free part (wei). */
    async escrowAccount(account: string): Promise<{ balance: bigint; reserved: bigint; free: bigint }> {
      const [balance, reserved] = (await Promise.all([read.escrow.balanceOf(account), read.escrow.reservedOf(account)])) as [bigint, bigint];
      return { balance, reserved, free: balance - reserved };
    },
    /** The transaction that adds `amount` to `account`'s escrow account (anyone may send it). */
    depositTransaction(account: string, amount: bigint): { to: string; data: string; value: bigint } {
      return { to: deployment.addresses.escrow, data: read.escrow.interface.encodeFunctionData('depositFor', [account]), value: amount };
    },
    /** `funder` adds `amount` to `account`'s escrow account. */
    async depositFor(funder: NonceManager, account: string, amount: bigint): Promise<TransactionReceipt> {
      return send(funder, read.escrow, 'depositFor', [account], amount);
    },
    /**
     * Opens many cases in ONE transaction (Arbitration.openCases: each exactly as openCase, the
     * value the sum of deposits and fees). A case already on chain (a retry after a crash, or a
     * transaction that landed but was not folded yet) is dropped from the call and returned in
     * `existing`; the rest are opened. Returns each opened case's batch (from CaseOpened).
     * `seal`: openCasesAndSeal, which then seals the batches the cases went into; `sealed` lists
     * the batches sealed by the transaction (SeedCommitted), whose draw may go in the next block.
     */
    async openCases(
      opener: NonceManager,
      list: { ref: string; chainCaseId: string; modelId: string; s0: string; claimant: string; respondent: string; awardTable: string; deposit: bigint }[],
      opts: { seal?: boolean } = {},
    ): Promise<{ opened: Map<string, bigint>; existing: string[]; sealed: bigint[]; receipt?: TransactionReceipt }> {
      const existing: string[] = [];
      let rest = [...list];
      for (;;) {
        if (!rest.length) return { opened: new Map(), existing, sealed: [] };
        const items = [];
        for (const o of rest) {
          let fee = caseFees.get(o.modelId);
          if (fee === undefined) {
            fee = (await read.arbitration.caseFee(o.modelId)) as bigint;
            caseFees.set(o.modelId, fee);
          }
          items.push({ ref: o.ref, modelId: o.modelId, s0: o.s0, claimant: o.claimant, respondent: o.respondent, value: o.deposit + fee, awards: o.awardTable });
        }
        const total = items.reduce((a, i) => a + i.value, 0n);
        try {
          const models = new Set(items.map((i) => i.modelId)).size;
          const fn = opts.seal ? 'openCasesAndSeal' : 'openCases';
          const receipt = await send(opener, read.arbitration, fn, [items], total, encodeOpenCases(items, opts.seal), NEW_BATCH_GAS * BigInt(models), openCasesGas(items.length, models, Boolean(opts.seal)));
          // CaseOpened(caseId indexed, modelId indexed, batchId indexed, …) and
          // SeedCommitted(batchId indexed, …): read from the topics (parsing every log of a
          // 100-case receipt, the escrow's included, cost more than the rest).
          const opened = new Map<string, bigint>();
          const sealed: bigint[] = [];
          const at = deployment.addresses.arbitration.toLowerCase();
          for (const l of receipt.logs) {
            if (l.address.toLowerCase() !== at) continue;
            if (l.topics[0] === CASE_OPENED_TOPIC) opened.set(l.topics[1].toLowerCase(), BigInt(l.topics[3]));
            else if (l.topics[0] === SEED_COMMITTED_TOPIC) sealed.push(BigInt(l.topics[1]));
          }
          return { opened, existing, sealed, receipt };
        } catch (e) {
          const err = e as { revert?: { name?: string; args?: unknown[] } };
          const name = revertName(read, e);
          if (name === 'CaseExists') {
            // Which one: the revert names it when decoded; else look each up.
            let known = err.revert?.args?.[0] ? [String(err.revert.args[0]).toLowerCase()] : [];
            if (!known.length) {
              const onChain = await Promise.all(rest.map((o) => this.getCase(o.chainCaseId)));
              known = rest.filter((_, i) => onChain[i].status !== CaseStatus.None).map((o) => o.chainCaseId.toLowerCase());
            }
            if (!known.length) throw e;
            existing.push(...known);
            rest = rest.filter((o) => !known.includes(o.chainCaseId.toLowerCase()));
            continue;
          }
          if (name === 'InsufficientPayment') for (const o of rest) caseFees.delete(o.modelId); // a price changed
          throw e;
        }
      }
    },
    /**
     * Seals a filling batch (registrar: any time): commits its draw to the block the seal is
     * mined in (SeedCommitted); `draw` then draws the committee, from the next block. No-op when it is no longer filling.
     */
    async seal(registrar: NonceManager, batchId: bigint): Promise<TransactionReceipt | undefined> {
      // No read first: a batch not filling (sealed already, unknown) reverts the estimate with
      // WrongBatchStatus, one round trip less on every batch's path.
      try {
        return await send(registrar, read.arbitration, 'seal', [batchId]);
      } catch (e) {
        if (revertName(read, e) === 'WrongBatchStatus') return undefined;
        throw e;
      }
    },
    /**
     * Draws a sealed batch's committee once its seed block is mined (anyone). Returns 'drawn',
     * 'not sealed' (drawn before, or not sealed yet: nothing to do), 'early' (the seed block is
     * not mined yet) or 'no nodes' (nobody eligible: try again later). `sealedNow`: the caller
     * has just sealed it (the sealing transaction's receipt is in), so it is not read first (one round trip less
     * on every batch's path); otherwise it is, as most other draws find it drawn already, and a
     * read costs less than an estimate that reverts. The seed block is the one the sealing
     * transaction was mined in, so once that is the head the draw goes (into the next block).
     * `onDrawn` gets the draw's receipt (its BatchSealed names the committee).
     */
    async draw(caller: NonceManager, batchId: bigint, sealedNow = false, onDrawn?: (receipt: TransactionReceipt) => void): Promise<'drawn' | 'not sealed' | 'early' | 'no nodes'> {
      if (!sealedNow) {
        const [b, head] = await Promise.all([this.getBatch(batchId), many ? many.head() : provider.getBlockNumber()]);
        if (b.status !== BatchStatus.Sealed) return 'not sealed';
        // The draw is mined in a block after the head: once the head is the seed block, its hash
        // is readable there (blockhash of an earlier block), so the draw goes now, not a block later.
        if (head < b.seedBlock) return 'early';
      }
      try {
        const receipt = await send(caller, read.arbitration, 'draw', [batchId]);
        onDrawn?.(receipt);
        return 'drawn';
      } catch (e) {
        const name = revertName(read, e);
        if (name === 'WrongBatchStatus') return 'not sealed';
        if (name === 'TooEarly') return 'early';
        if (name === 'NoEligibleNodes') return 'no nodes';
        throw e;
      }
    },
    /**
     * One step of a governed call (issue 8 #11): the registrar schedules it on the timelock; once
     * the delay has passed, it runs it. 'pending' with `readyAt` (chain seconds): step again then.
     */
    async governStep(registrar: NonceManager, target: string, data: string, salt = ZeroHash): Promise<{ state: 'done' | 'pending'; readyAt?: number; waitMs?: number; receipt?: TransactionReceipt }> {
      const id: string = await read.timelock.operationId(target, data, salt);
      let at = BigInt(await read.timelock.readyAt(id));
      if (at === 1n) return { state: 'done' };
      if (at === 0n) {
        await send(registrar, read.timelock, 'schedule', [target, data, salt]);
        at = BigInt(await read.timelock.readyAt(id));
      }
      try {
        // The chain's clock decides (it may run ahead of the wall clock on a dev chain).
        return { state: 'done', receipt: await send(registrar, read.timelock, 'execute', [target, data, salt]) };
      } catch (e) {
        const after = BigInt(await read.timelock.readyAt(id));
        if (after === 1n) return { state: 'done' };
        if (revertName(read, e) !== 'TooEarly') throw e;
        const d = (e as { data?: string; info?: { error?: { data?: string } } }).data ?? (e as { info?: { error?: { data?: string } } }).info?.error?.data;
        const args = d ? read.timelock.interface.parseError(d)?.args : undefined;
        const waitMs = args ? Number(BigInt(args[1]) - BigInt(args[0])) * 1000 : 1000;
        return { state: 'pending', readyAt: Number(after), waitMs: Math.max(250, waitMs) };
      }
    },
    /**
     * Relays a claimant's payout address for an award waiting in escrow: claimAward runs through
     * the governance timelock (scheduled by the registrar, paid once the delay has passed).
     */
    async claimAward(registrar: NonceManager, chainCaseId: string, payee: string): Promise<{ state: 'done' | 'pending' | 'already'; readyAt?: number; waitMs?: number; receipt?: TransactionReceipt }> {
      const c = await this.getCase(chainCaseId);
      if (c.claimant !== ZeroAddress) return { state: 'already' };
      const data = read.arbitration.interface.encodeFunctionData('claimAward', [chainCaseId, payee]);
      return this.governStep(registrar, deployment.addresses.arbitration, data);
    },
    /** ERC-792: the arbitrable that raised a dispute and the chain case behind it. */
    /** `choices` and the mapping the arbitrable pinned (`pinned`, none when it pinned none) or that was bound. */
    async dispute(disputeId: bigint): Promise<{ arbitrable: string; chainCaseId: string; state: number; choices: bigint; pinned?: { claimant: number; respondent: number } }> {
      if (disputeId >= BigInt(await read.front.disputeCount())) return { arbitrable: ZeroAddress, chainCaseId: ZeroHash, state: DisputeState.None, choices: 0n };
      const d = await read.front.disputes(disputeId);
      const chainCaseId = String(await read.front.disputeCase(disputeId)).toLowerCase();
      const pinned = BigInt(d.claimantRuling) === 0n ? undefined : { claimant: Number(d.claimantRuling), respondent: Number(d.respondentRuling) };
      return { arbitrable: String(d.arbitrable).toLowerCase(), chainCaseId, state: Number(d.state), choices: BigInt(d.choices), pinned };
    },
    /**
     * Binds the filed record's S_0 to an ERC-792 dispute (registrar only), with the record's
     * ruling mapping (`onchainDispute.rulings`) when it gives one; no-op once bound.
     */
    async bindInput(
      registrar: NonceManager,
      disputeId: bigint,
      s0: string,
      rulings?: { claimant: number; respondent: number },
    ): Promise<{ batchId: bigint; receipt?: TransactionReceipt }> {
      const d = await this.dispute(disputeId);
      if (d.state === DisputeState.AwaitingInput) {
        const receipt = rulings
          ? await send(registrar, read.front, 'bindInputRulings', [disputeId, s0, rulings.claimant, rulings.respondent])
          : await send(registrar, read.front, 'bindInput', [disputeId, s0]);
        return { batchId: (await this.getCase(d.chainCaseId)).batchId, receipt };
      }
      return { batchId: (await this.getCase(d.chainCaseId)).batchId };
    },
    /**
     * Shows an ERC-792 dispute's agreed claim (in batch order `claims`, the case at `index`) so
     * the front reports the proposed ruling during the appeal window (anyone may); no-op when
     * shown already for the case's current batch or when the case is no longer open there.
     */
    async showRuling(caller: NonceManager, disputeId: bigint, claims: Claim[], index: number): Promise<TransactionReceipt | undefined> {
      const d = await read.front.disputes(disputeId);
      const chainCaseId = String(await read.front.disputeCase(disputeId)).toLowerCase();
      const c = await this.getCase(chainCaseId);
      if (Number(d.state) !== DisputeState.Bound || c.status !== CaseStatus.Open || BigInt(d.shownBatch) === c.batchId) return undefined;
      return send(caller, read.front, 'showRuling', [disputeId, claimTuple(claims[index]), claimProof(claims, index)]);
    },
    /** Re-delivers a ruling whose delivery reverted (anyone may). */
    async retryRuling(caller: NonceManager, disputeId: bigint): Promise<TransactionReceipt | undefined> {
      if (!(await read.front.rulingPending(disputeId))) return undefined;
      return send(caller, read.front, 'retryRuling', [disputeId]);
    },
    /** Appeals a case's proposed verdict, paying the bond (the registrar or a party). */
    async appealCase(payer: NonceManager, chainCaseId: string): Promise<TransactionReceipt> {
      const bond = (await read.arbitration.appealBond(chainCaseId)) as bigint;
      return send(payer, read.arbitration, 'appealCase', [chainCaseId], bond);
    },
    async isArbitrator(address: string): Promise<boolean> {
      return Boolean(await read.arbitration.isArbitrator(address));
    },
    /** Appoints a level-2 arbitrator through the governance timelock: one step (see governStep). */
    async setArbitrator(registrar: NonceManager, address: string) {
      const data = read.arbitration.interface.encodeFunctionData('setArbitrator', [address, true]);
      // An arbitrator removed after an earlier appointment is appointed again under a new salt.
      for (let n = 0; ; n++) {
        const salt = n === 0 ? ZeroHash : utf8Id(`appoint-again-${n}`);
        const id: string = await read.timelock.operationId(deployment.addresses.arbitration, data, salt);
        if (BigInt(await read.timelock.readyAt(id)) === 1n && !(await this.isArbitrator(address))) continue;
        return this.governStep(registrar, deployment.addresses.arbitration, data, salt);
      }
    },
    /** Level 2: a registered arbitrator's ruling, with its reason's hash and the case's award table. */
    async arbitratorRule(arbitrator: NonceManager, chainCaseId: string, output: number, reasonHash: string, awardTable: string): Promise<TransactionReceipt> {
      return send(arbitrator, read.arbitration, 'arbitratorRule', [chainCaseId, output, reasonHash, awardTable]);
    },
    /** The front's default model for ERC-792 disputes naming none (ZeroHash until approved). */
    async defaultModel(): Promise<string> {
      return String(await read.front.defaultModel()).toLowerCase();
    },
    /** Approves `modelId` by `creator` as the front's default model through the governance timelock: one step (see governStep). */
    async setDefaultModel(registrar: NonceManager, modelId: string, creator: string) {
      const data = read.front.interface.encodeFunctionData('setDefaultModel', [modelId, creator]);
      return this.governStep(registrar, deployment.addresses.front, data);
    },
    async closeDispute(caller: NonceManager, batchId: bigint) {
      return send(caller, read.arbitration, 'closeDispute', [batchId]);
    },
    async closeReveals(caller: NonceManager, batchId: bigint) {
      return send(caller, read.arbitration, 'closeReveals', [batchId]);
    },
    async redraw(caller: NonceManager, batchId: bigint) {
      return send(caller, read.arbitration, 'redraw', [batchId]);
    },
    async settle(caller: NonceManager, batchId: bigint, claims: Claim[], awardTables: string[]) {
      return send(caller, read.arbitration, 'settle', [batchId, claims.map(claimTuple), awardTables]);
    },

    // ── a node's side ──
    async commit(node: NonceManager, batchId: bigint, commitment: string) {
      return send(node, read.arbitration, 'commit', [batchId, commitment]);
    },
    async reveal(node: NonceManager, batchId: bigint, root: string, salt: string) {
      return send(node, read.arbitration, 'reveal', [batchId, root, salt]);
    },
    /** Opens `node`'s revealed root leaf by leaf (a disputed batch; anyone may send it). */
    async openRoot(caller: NonceManager, batchId: bigint, node: string, leaves: string[]) {
      return send(caller, read.arbitration, 'openRoot', [batchId, node, leaves]);
    },
    /** Accuses `accused`, whose leaf at `index` differs from the accuser's face-valid claim. */
    async accuse(caller: NonceManager, batchId: bigint, index: number, accuser: ChallengeSide, accused: string, accusedLeaves: string[]) {
      const ev = [claimTuple(accuser.claim), claimProof(accuser.claims, index), accuser.finalProof];
      return send(caller, read.arbitration, 'accuse', [batchId, index, accuser.member, ev, accused, accusedLeaves[index], leafProof(accusedLeaves, index)]);
    },
    /** Answers an accusation with the claim behind the accused's leaf (a game, or eviction if invalid). */
    async answer(caller: NonceManager, batchId: bigint, index: number, accused: ChallengeSide) {
      const ev = [claimTuple(accused.claim), claimProof(accused.claims, index), accused.finalProof];
      return send(caller, read.arbitration, 'answer', [batchId, accused.member, ev]);
    },
    /** The leaves each member published with RootOpened in a batch (member → leaves). */
    async openedRoots(batchId: bigint): Promise<Map<string, string[]>> {
      const evs = await read.arbitration.queryFilter(read.arbitration.filters.RootOpened(batchId), deployment.block);
      const out = new Map<string, string[]>();
      for (const e of evs) {
        const a = (e as unknown as { args: { node: string; leaves: string[] } }).args;
        out.set(String(a.node).toLowerCase(), [...a.leaves].map(String));
      }
      return out;
    },
    /**
     * Challenges two members' differing claims for case `index` (a = defender, b = challenger).
     * Returns the game id (0 when a claim was slashed on its face).
     */
    async challenge(caller: NonceManager, batchId: bigint, index: number, a: ChallengeSide, b: ChallengeSide): Promise<{ gameId: bigint; receipt: TransactionReceipt }> {
      const ev = (s: ChallengeSide) => [claimTuple(s.claim), claimProof(s.claims, index), s.finalProof];
      const receipt = await send(caller, read.arbitration, 'challenge', [batchId, index, a.member, ev(a), b.member, ev(b)]);
      let gameId = 0n;
      for (const l of receipt.logs) {
        try {
          const p = read.arbitration.interface.parseLog(l);
          if (p?.name === 'Challenged') gameId = p.args.gameId as bigint;
        } catch {
          /* another contract's log */
        }
      }
      return { gameId, receipt };
    },
    /** The node's action in a game now (server/chain/game-player.ts), serialized with its other sends. */
    async takeTurn(node: NonceManager, gameId: bigint, me: string, own: OwnTrace, steps: readonly Step[]): Promise<TurnResult> {
      return serial(node, () => takeTurn(read.game.connect(node) as Contract, gameId, me, own, steps));
    },
    async game(gameId: bigint): Promise<{ phase: number; defender: string; challenger: string; outcome: number }> {
      const g = await read.game.games(gameId);
      return { phase: Number(g.phase), defender: String(g.defender).toLowerCase(), challenger: String(g.challenger).toLowerCase(), outcome: Number(g.outcome) };
    },
    /** The party to move and its clock left (seconds). */
    async clockLeft(gameId: bigint): Promise<{ mover: string; left: number }> {
      const [mover, left] = await read.game.clockLeft(gameId);
      return { mover: String(mover).toLowerCase(), left: Number(left) };
    },
    /** The games opened in a batch: Challenged events (game id, case, parties). */
    async challengesOf(batchId: bigint): Promise<{ gameId: bigint; chainCaseId: string; defender: string; challenger: string }[]> {
      const evs = await read.arbitration.queryFilter(read.arbitration.filters.Challenged(batchId), deployment.block);
      return evs.map((e) => {
        const a = (e as unknown as { args: { gameId: bigint; caseId: string; defender: string; challenger: string } }).args;
        return { gameId: BigInt(a.gameId), chainCaseId: String(a.caseId), defender: String(a.defender).toLowerCase(), challenger: String(a.challenger).toLowerCase() };
      });
    },
    async claimTimeout(caller: NonceManager, gameId: bigint) {
      return send(caller, read.game, 'claimTimeout', [gameId]);
    },

    // ── issue 8 #6: proposed roots and appeals ──
    /** The batches of a root-challenge or appeal game (0, 0 for a game inside one batch; challenger 0: an outsider). */
    async gameSides(gameId: bigint): Promise<{ defenderBatch: bigint; challengerBatch: bigint }> {
      const g = await read.arbitration.gameSides(gameId);
      return { defenderBatch: BigInt(g.defenderBatch), challengerBatch: BigInt(g.challengerBatch) };
    },
    /** A level-1 appeal's link to the batch it left (pending: not compared yet). */
    async appeal(chainCaseId: string): Promise<{ appellant: string; fromBatch: bigint; fromIndex: number; pending: boolean; root: string }> {
      const a = await read.arbitration.appeals(chainCaseId);
      return { appellant: String(a.appellant).toLowerCase(), fromBatch: BigInt(a.fromBatch), fromIndex: Number(a.fromIndex), pending: Boolean(a.pending), root: String(a.root) };
    },
    /**
     * A staked node outside batch `batchId`'s committee challenges its proposed root at `index`:
     * `agreed` is the root's claim there, `mine` the caller's. Returns the game id (0: the agreed
     * claim was invalid on its face and its committee was evicted).
     */
    async challengeRoot(caller: NonceManager, batchId: bigint, index: number, defender: string, agreed: ChallengeSide, mine: ChallengeSide): Promise<bigint> {
      // The caller's claim needs no proof against a root (only its final-state proof).
      const receipt = await send(caller, read.arbitration, 'challengeRoot', [
        batchId, index, defender, [claimTuple(agreed.claim), claimProof(agreed.claims, index), agreed.finalProof], [claimTuple(mine.claim), [], mine.finalProof],
      ]);
      return gameIdOf(receipt);
    },
    /** Compares a level-1 appeal's re-execution (`second`, its batch's claims) with the first root's claim (`first`). */
    async compareAppeal(caller: NonceManager, chainCaseId: string, first: ChallengeSide & { index: number }, second: ChallengeSide): Promise<{ gameId: bigint; receipt: TransactionReceipt }> {
      const receipt = await send(caller, read.arbitration, 'compareAppeal', [
        chainCaseId,
        [claimTuple(first.claim), claimProof(first.claims, first.index), first.finalProof],
        [claimTuple(second.claim), claimProof(second.claims, 0), second.finalProof],
      ]);
      return { gameId: gameIdOf(receipt), receipt };
    },

    // ── refusals nobody else drives (issue 13): the keeper calls them when due ──
    /** A level-2 appeal's referral: who appealed and until when (chain seconds) an arbitrator may rule (0: none). */
    async referral(chainCaseId: string): Promise<{ appellant: string; deadline: number }> {
      const r = await read.arbitration.referrals(chainCaseId);
      return { appellant: String(r.appellant).toLowerCase(), deadline: Number(r.deadline) };
    },
    /** Ends a level-2 appeal no arbitrator ruled on by its deadline (anyone may): refused, ruling 0 for ERC-792. */
    async refuseCase(caller: NonceManager, chainCaseId: string) {
      return send(caller, read.arbitration, 'refuseCase', [chainCaseId]);
    },
    /** When an ERC-792 dispute may be refused unbound (createdAt + inputWindow, chain seconds), and its state. */
    async unboundDeadline(disputeId: bigint): Promise<{ state: number; deadline: number }> {
      const [d, window] = await Promise.all([read.front.disputes(disputeId), read.front.inputWindow()]);
      return { state: Number(d.state), deadline: Number(d.createdAt) + Number(window) };
    },
    /** Refuses (ruling 0) an ERC-792 dispute whose input was not bound within the input window (anyone may). */
    async refuseUnbound(caller: NonceManager, disputeId: bigint) {
      return send(caller, read.front, 'refuseUnbound', [disputeId]);
    },

    // ── issue 8 #7: refusing a bad input ──
    /** Declares a model's input ranges (its creator, once); a no-op when declared before. */
    async setInputRanges(creator: NonceManager, modelId: string, ranges: string): Promise<TransactionReceipt | undefined> {
      if ((await read.registry.inputRanges(modelId)) !== ZeroHash) return undefined;
      return send(creator, read.registry, 'setInputRanges', [modelId, ranges]);
    },
    /** Refuses an open case by showing its input (enc(t_0), hex), which is no valid input of its model. */
    async refuseInput(caller: NonceManager, chainCaseId: string, input: string, ranges: string) {
      return send(caller, read.arbitration, 'refuseInput', [chainCaseId, input, ranges]);
    },
    /** A drawn member claims it was not given the case's input. */
    async claimUnavailable(node: NonceManager, chainCaseId: string) {
      return send(node, read.arbitration, 'claimUnavailable', [chainCaseId]);
    },
    /** Publishes a case's input on chain (answers an unavailability claim). */
    async publishInput(caller: NonceManager, chainCaseId: string, input: string) {
      return send(caller, read.arbitration, 'publishInput', [chainCaseId, input]);
    },
    /** Refuses a case whose input was claimed unavailable and not published by the deadline. */
    async refuseUnavailable(caller: NonceManager, chainCaseId: string) {
      return send(caller, read.arbitration, 'refuseUnavailable', [chainCaseId]);
    },
    /** 0 (never claimed), the unavailability deadline, or 'published'. */
    async inputDeadline(chainCaseId: string): Promise<number | 'published'> {
      const d = BigInt(await read.arbitration.inputDeadline(chainCaseId));
      return d === (1n << 64n) - 1n ? 'published' : Number(d);
    },
    /** The input published for a case (enc(t_0), hex), if any. */
    async publishedInput(chainCaseId: string): Promise<string | undefined> {
      const evs = await read.arbitration.queryFilter(read.arbitration.filters.InputPublished(chainCaseId), deployment.block);
      const e = evs.at(-1) as unknown as { args: { input: string } } | undefined;
      return e ? String(e.args.input) : undefined;
    },
    /** The block a batch's current committee was drawn in (its last BatchSealed), i.e. its round. */
    async roundOf(batchId: bigint): Promise<number | undefined> {
      const evs = await read.arbitration.queryFilter(read.arbitration.filters.BatchSealed(batchId), deployment.block);
      return evs.at(-1)?.blockNumber;
    },
  };
}

export type ChainPort = ReturnType<typeof createChainPort>;

/** A port bound to a deployment over `provider` (a convenience for the in-process components). */
export const portFor = (d: Deployment, p: Provider): ChainPort => createChainPort(d, p);

export type { ArbiterContracts };
