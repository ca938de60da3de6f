// Starts the pipeline in the server process (DESIGN.md "Components"): on the private embedded
// chain, registers the shipped models and stakes NODES node operators (anvil's public dev keys
// 1..NODES, serving every model) and runs them as in-process workers; then the registrar's worker
// and dispatcher, and the chain indexer. Against CHAIN_RPC_URL it registers and stakes nothing.
// Stops in reverse order.
import { join } from 'node:path';
import { NonceManager, Wallet, type JsonRpcProvider } from 'ethers';
import type { Redis } from 'ioredis';
import type { ChainClient } from '../chain/client.js';
import { ANVIL_KEYS } from '../chain/anvil.js';
import type { PipelineConfig } from '../config.js';
import type { Db } from '../db/connection.js';
import { createCaseTransitions } from '../cases/transitions.js';
import { createCaseResponseService } from '../cases/responses.js';
import type { Queues } from '../queues/queues.js';
import { startNodeWorker, type NodeWorker, type NodeWorkerOptions } from '../nodes/node-worker.js';
import { bootstrapChain, fundDevRespondent, untilGoverned } from './bootstrap.js';
import { createChainPort, type ChainPort } from './chain-port.js';
import { createFolder, type Folder } from './fold.js';
import { eventDecoder } from '../chain/events.js';
import { startIndexer, type Indexer } from './indexer.js';
import { JOB_DEFAULTS } from './jobs.js';
import { loadCatalogue, type ModelCatalogue } from './models.js';
import { startRegistrar, type Registrar } from './registrar.js';
import { createPipelineStore, type PipelineStore } from './store.js';
import { createMarketService, type MarketChain } from '../market/service.js';

/**
 * anvil dev account (public key) that, on the embedded chain, escrows for cases without a
 * merchant escrow account (its own account in ArbiterEscrow, topped up at every start) and sends
 * merchants' escrow deposits (POST /v1/merchants/me/escrow/deposits).
 */
export const ESCROW_DEV_INDEX = 9;
/** anvil dev account that signs level-2 arbitrator rulings on the embedded chain (public key). */
export const ARBITRATOR_DEV_INDEX = 8;

export interface PipelineDeps {
  config: { dataDir: string; queuePrefix: string; caseResponseSeconds: number; pipeline: PipelineConfig; modelPinMinAccuracy?: number };
  db: Db;
  redis: Redis;
  queues: Queues;
  chain: ChainClient;
  /** Register models and stake the dev node operators (the private embedded chain). */
  embedded: boolean;
  /** Run the NODES node operators in this process (default: when embedded). */
  inProcessNodes?: boolean;
  /** Test and demo switch: in-process dev node i corrupts state t_K (`{ i: K }`). */
  nodeFaults?: Record<number, number>;
  /** Test switch: the faults apply only while this returns true. */
  nodeFaultWhile?: () => boolean;
  log?: (msg: string) => void;
}

export interface Pipeline {
  port: ChainPort;
  models: ModelCatalogue;
  store: PipelineStore;
  nodes: NodeWorker[];
  registrar: Registrar;
  indexer: Indexer;
  /** The market's chain side (server/market): the API registers models through it. */
  market: MarketChain;
  stop(): Promise<void>;
}

/** Dev node operator i (1-based): anvil's public dev key i. */
export const devNodeKey = (i: number): string => ANVIL_KEYS[i];

/**
 * Dev node operator i (anvil's public dev key i) as a worker of this process, with its own nonce
 * manager and its store under dataDir/nodes/<address>.
 */
export async function startDevNode(
  i: number,
  o: Pick<NodeWorkerOptions, 'port' | 'prefix' | 'models' | 'pollMs' | 'concurrency' | 'faultStep' | 'faultWhile' | 'headsUrl' | 'log'> & { provider: JsonRpcProvider; redis: Redis; dataDir: string },
): Promise<{ node: NodeWorker; signer: NonceManager }> {
  const wallet = new Wallet(devNodeKey(i), o.provider);
  const signer = new NonceManager(wallet);
  const node = await startNodeWorker({
    signer,
    saltSecret: wallet.privateKey,
    port: o.port,
    connection: o.redis,
    prefix: o.prefix,
    models: o.models,
    storeDir: join(o.dataDir, 'nodes', wallet.address.toLowerCase()),
    pollMs: o.pollMs,
    concurrency: o.concurrency,
    faultStep: o.faultStep,
    faultWhile: o.faultWhile,
    headsUrl: o.headsUrl,
    log: o.log,
  });
  return { node, signer };
}

export async function startPipeline(d: PipelineDeps): Promise<Pipeline> {
  const log = d.log ?? (() => {});
  const { pipeline } = d.config;
  const models = await loadCatalogue();
  const port = createChainPort(d.chain.deployment, d.chain.provider);
  const devNodes = Array.from({ length: pipeline.nodes }, (_, i) => i + 1);
  if (d.embedded) {
    const r = await bootstrapChain(port, d.chain.registrar, devNodes.map((i) => d.chain.devSigner(i)), models);
    const arbitrator = await d.chain.devSigner(ARBITRATOR_DEV_INDEX).getAddress();
    // Appointed through the governance timelock (issue 8 #11): scheduled, then run once the
    // embedded deployment's short delay has passed.
    if (!(await port.isArbitrator(arbitrator))) await untilGoverned(() => port.setArbitrator(d.chain.registrar, arbitrator));
    const funded = await fundDevRespondent(port, d.chain.devSigner(ESCROW_DEV_INDEX));
    if (funded > 0n) log(`pipeline: dev respondent's escrow account (dev account ${ESCROW_DEV_INDEX}) topped up by ${funded} wei`);
    log(
      `pipeline: ${models.all.length} models (${r.registered.length ? `registered ${r.registered.join(', ')}` : 'already registered'}), ` +
        `${devNodes.length} dev node operators (${r.staked.length ? `staked ${r.staked.length}` : 'already staked'})`,
    );
  }
  // Models registered through the market join the catalogue before any worker reads it.
  const market: MarketChain = {
    port,
    models,
    embedded: d.embedded,
    funder: d.embedded ? d.chain.registrar : undefined,
    // The in-process workers' own signers (filled below): one nonce manager per account.
    nodes: [],
  };
  const marketService = createMarketService({ db: d.db, dataDir: d.config.dataDir, pinMinAccuracy: d.config.modelPinMinAccuracy });
  await marketService.attach(market);
  const stops: (() => Promise<void>)[] = [];
  const nodes: NodeWorker[] = [];
  let indexerRef: Indexer | undefined;
  let foldRef: Folder | undefined;
  try {
    if (d.inProcessNodes ?? d.embedded) {
      for (const i of devNodes) {
        const { node, signer } = await startDevNode(i, {
          provider: d.chain.provider,
          port,
          redis: d.redis,
          prefix: d.config.queuePrefix,
          models,
          dataDir: d.config.dataDir,
          pollMs: pipeline.pollMs,
          faultStep: d.nodeFaults?.[i],
          faultWhile: d.nodeFaultWhile,
          // anvil serves WebSockets on its HTTP port: heads pushed to the nodes' batch watches.
          headsUrl: d.chain.anvil ? d.chain.url.replace(/^http/, 'ws') : undefined,
          log: (m) => log(`node ${i}: ${m}`),
        });
        market.nodes.push(signer);
        nodes.push(node);
        stops.push(() => node.close());
      }
    }
    const store = createPipelineStore(d.db);
    const transitions = createCaseTransitions({ db: d.db });
    const escrow = d.embedded ? d.chain.devSigner(ESCROW_DEV_INDEX) : d.chain.registrar;
    const registrar = startRegistrar({
      port,
      registrar: d.chain.registrar,
      escrow,
      arbitrator: d.embedded ? d.chain.devSigner(ARBITRATOR_DEV_INDEX) : undefined,
      store,
      transitions,
      models,
      chooseModel: marketService.chooser(models),
      connection: d.redis,
      prefix: d.config.queuePrefix,
      sealMs: pipeline.sealMs,
      pollMs: pipeline.pollMs,
      batchesInFlight: pipeline.batchesInFlight,
      sealHoldMs: pipeline.sealHoldMs,
      // The pipeline owns filed → executing (its CaseOpened fold); a case against a merchant is
      // opened only once its response window closed (the response scheduler does not move it).
      mayProceed: createCaseResponseService({ db: d.db, responseSeconds: d.config.caseResponseSeconds }).mayProceed,
      mineBlock: d.embedded ? async () => void (await d.chain.provider.send('evm_mine', [])) : undefined,
      onChainChange: () => indexerRef?.wake(),
      // Events folded without confirmations (the embedded chain): a committee's jobs go out from
      // the draw's receipt, one indexer pass sooner (the fold enqueues the same jobs later).
      onDrawn:
        pipeline.confirmations === 0
          ? (receipt) => void foldRef?.drawn(receipt.logs).catch((e: Error) => log(`batch jobs from a draw's receipt: ${e.message} (the indexer enqueues them)`))
          : undefined,
      // Likewise: the fold of a batch the keeper sealed and draws itself enqueues no draw job.
      onDrawing: pipeline.confirmations === 0 ? (batchId, seedBlock) => foldRef?.drawing(batchId, seedBlock) : undefined,
      log,
    });
    stops.push(() => registrar.close());
    const fold = (foldRef = createFolder({
      db: d.db,
      store,
      transitions,
      models,
      queue: (name) => d.queues.get(name, { defaultJobOptions: JOB_DEFAULTS }),
      front: d.chain.deployment.addresses.front,
      decoder: eventDecoder(d.chain.deployment),
      log,
    }));
    const indexer = (indexerRef = startIndexer({
      provider: d.chain.provider,
      deployment: d.chain.deployment,
      store,
      fold,
      redis: d.redis,
      prefix: d.config.queuePrefix,
      // The miner of the embedded chain wakes the indexer at each block it mines (below): the poll
      // is left for blocks mined otherwise (a test or a dev moving the clock), at most 4 a second.
      pollMs: d.chain.anvil?.miner ? Math.max(pipeline.pollMs, 250) : pipeline.pollMs,
      confirmations: pipeline.confirmations,
      log,
    }));
    stops.push(() => indexer.stop());
    // The embedded chain's miner says when it has mined a block: the indexer folds it at once, not
    // at its next poll (the nodes' reveals, whose VerdictProposed no transaction of ours announces).
    const offBlock = d.chain.anvil?.miner?.onBlock(() => indexer.wake());
    if (offBlock) stops.push(async () => offBlock());
    return {
      port,
      models,
      store,
      nodes,
      registrar,
      indexer,
      market,
      async stop() {
        for (const s of stops.splice(0).reverse()) await s().catch((e: Error) => log(`pipeline stop: ${e.message}`));
      },
    };
  } catch (e) {
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
    throw e;
  }
}
