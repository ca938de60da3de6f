// The chain client of `npm start` (DESIGN.md, "Chain"): connects to CHAIN_RPC_URL, or starts a
// private anvil whose state persists under <dataDir>/chain/, deploys the system once and keeps
// its addresses in <dataDir>/chain/deployment.json, so a restart finds the same cases and
// contracts. Only anvil's public development keys are used for the local chain.
import { JsonRpcProvider, NonceManager, Wallet } from 'ethers';
import { join } from 'node:path';
import { ANVIL_KEYS, startAnvil, type AnvilNode } from './anvil.js';
import { connectContracts, type ArbiterContracts } from './contracts.js';
import { ensureDeployment, type DeployConfig, type Deployment } from './deploy.js';
import { connectRpc } from './provider.js';

export interface ChainClientOptions {
  /** CHAIN_RPC_URL: an existing node; when absent a local anvil is started. */
  rpcUrl?: string;
  /** DATA_DIR: the anvil state and the deployment record live in <dataDir>/chain/. */
  dataDir: string;
  /** Port for the local anvil (default 8545, or a free one when that is taken). */
  port?: number;
  /** Private key of the deployer/registrar; anvil's first dev key by default (local chain only). */
  deployerKey?: string;
  /** The local anvil's least time between blocks (AnvilOptions.blockMs); 0 or omitted: automine. */
  blockMs?: number;
  deployConfig?: Partial<DeployConfig>;
  /** Finds or makes the deployment (default `ensureDeployment`); replaceable in tests. */
  deploy?: (signer: NonceManager, file: string, config?: Partial<DeployConfig>) => Promise<Deployment>;
  log?: (msg: string) => void;
}

export interface ChainClient {
  url: string;
  provider: JsonRpcProvider;
  /** The deployer, which is also the registrar (binds ERC-792 inputs, seals batches, relays payees). */
  registrar: NonceManager;
  deployment: Deployment;
  contracts: ArbiterContracts;
  /** The local anvil, when this client started one. */
  anvil?: AnvilNode;
  /** A signer for one of anvil's dev accounts (index 1.. for node operators). Local chain only. */
  devSigner(index: number): NonceManager;
  close(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function startChainClient(options: ChainClientOptions): Promise<ChainClient> {
  const log = options.log ?? (() => {});
  const chainDir = join(options.dataDir, 'chain');
  let anvil: AnvilNode | undefined;
  let url = options.rpcUrl;
  if (!url) {
    const wanted = options.port ?? 8545;
    const port = (await portFree(wanted)) ? wanted : undefined;
    const start = (p: number | undefined) => startAnvil({ port: p, stateFile: join(chainDir, 'anvil-state.json'), stateIntervalSeconds: 5, blockMs: options.blockMs, log });
    try {
      anvil = await start(port);
    } catch (err) {
      // Free when looked at, taken by the time anvil bound it (another start racing for it): any free port.
      if (port === undefined) throw err;
      log(`chain: port ${port} was taken meanwhile (${(err as Error).message.split('\n')[0]}); using a free port`);
      anvil = await start(undefined);
    }
    url = anvil.url;
    log(`chain: started anvil (pid ${anvil.pid}) on ${url}, state in ${chainDir}`);
  }
  const provider = connectRpc(url);
  let deployment: Deployment;
  let registrar: NonceManager;
  try {
    registrar = new NonceManager(new Wallet(options.deployerKey ?? ANVIL_KEYS[0], provider));
    deployment = await (options.deploy ?? ensureDeployment)(registrar, join(chainDir, 'deployment.json'), options.deployConfig);
  } catch (err) {
    // Nothing will ever close a client that did not start: stop the anvil it started (its
    // watchdog would only stop it when this process exits) before passing the error on.
    provider.destroy();
    if (anvil) {
      await anvil.stop().catch(() => {});
      log(`chain: stopped anvil (pid ${anvil.pid}) after a failed start`);
    }
    throw err;
  }
  log(`chain: Arbitration at ${deployment.addresses.arbitration} (chain ${deployment.chainId})`);
  return {
    url,
    provider,
    registrar,
    deployment,
    contracts: connectContracts(deployment, registrar),
    anvil,
    devSigner: (index: number) => new NonceManager(new Wallet(ANVIL_KEYS[index], provider)),
    async close() {
      provider.destroy();
      await anvil?.stop();
    },
  };
}
