// One anvil per test file, the system deployed from the committed artifacts, anvil's dev wallets.
import { ContractFactory, JsonRpcProvider, NonceManager, Wallet, type Contract } from 'ethers';
import { ANVIL_KEYS, startAnvil, type AnvilNode } from '../../../server/chain/anvil.js';
import { loadArtifact } from '../../../server/chain/artifacts.js';
import { connectContracts, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { deploySystem, type DeployConfig, type Deployment } from '../../../server/chain/deploy.js';
import { connectRpc } from '../../../server/chain/provider.js';
import { mined } from '../../../server/chain/mined.js';

export interface ChainFixture {
  anvil: AnvilNode;
  provider: JsonRpcProvider;
  wallets: NonceManager[];
  addresses: string[];
  deployment?: Deployment;
  c?: ArbiterContracts;
  stop(): Promise<void>;
}

export async function startChain(options: { deploy?: boolean; config?: Partial<DeployConfig>; accounts?: number; stepsTracing?: boolean; blockMs?: number; log?: (m: string) => void } = {}): Promise<ChainFixture> {
  const anvil = await startAnvil({ accounts: options.accounts ?? 10, stepsTracing: options.stepsTracing, blockMs: options.blockMs, log: options.log });
  const provider = connectRpc(anvil.url, 50);
  const wallets = ANVIL_KEYS.map((k) => new NonceManager(new Wallet(k, provider)));
  const addresses = await Promise.all(wallets.map((w) => w.getAddress()));
  const fx: ChainFixture = {
    anvil,
    provider,
    wallets,
    addresses,
    async stop() {
      provider.destroy();
      await anvil.stop();
    },
  };
  if (options.deploy) {
    fx.deployment = await deploySystem(wallets[0], options.config);
    fx.c = connectContracts(fx.deployment, wallets[0]);
  }
  return fx;
}

/** Deploys a test-only contract (contracts/src/test/) from its artifact. */
export async function deployTestContract(name: string, signer: NonceManager, args: unknown[] = []): Promise<Contract> {
  const a = loadArtifact(name);
  const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await mined(c.deploymentTransaction()!, signer.provider!);
  return c as unknown as Contract;
}

/** Advances anvil's clock by `seconds` and mines a block. */
export async function increaseTime(provider: JsonRpcProvider, seconds: number): Promise<void> {
  await provider.send('evm_increaseTime', [seconds]);
  await provider.send('evm_mine', []);
}

/** Sends a contract call and waits for its receipt; returns the receipt. */
export async function send(c: Contract, fn: string, args: unknown[] = [], overrides: Record<string, unknown> = {}) {
  const tx = await c.getFunction(fn)(...args, overrides);
  return mined(tx, c.runner!.provider!);
}
