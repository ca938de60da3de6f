// Deploys the whole Arbiter system from the committed artifacts with ethers v6 and records the
// addresses (DESIGN.md, "Chain": deployed once, addresses kept under DATA_DIR/chain).
import { ContractFactory, type Provider, type Signer, id as utf8Id, parseEther } from 'ethers';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadArtifact } from './artifacts.js';
import { mined } from './mined.js';

/** Tunables of a deployment; the defaults suit the local chain. */
export interface DeployConfig {
  minStake: bigint;
  unstakeDelay: number;
  committeeSize: number;
  appealCommitteeSize: number;
  maxBatch: number;
  batchWindow: number;
  commitWindow: number;
  revealWindow: number;
  challengeWindow: number;
  missSlash: bigint;
  appealBond1: bigint;
  appealBond2: bigint;
  /** Seconds a disputed batch's members have to open their roots, and an accused member to answer. */
  disputeWindow: number;
  /** Seconds a level-2 appeal waits for an arbitrator before anyone may refuse the case. */
  arbitratorWindow: number;
  /** Seconds an ERC-792 dispute waits for its input before anyone may refuse it (ruling 0, fee refunded). */
  inputWindow: number;
  /** Collateral slashed from a game's loser. */
  gameSlash: bigint;
  /** Seconds on each party's chess clock. */
  clockSeconds: number;
  /** Receives the non-reward share of slashed collateral; the deployer when omitted. */
  treasury?: string;
  /**
   * Seconds the governance timelock holds a scheduled call (arbitrator appointments, the ERC-792
   * default model, awards paid to a named payout address) before anyone may run it. The default
   * suits the local chain; a real deployment sets days.
   */
  governanceDelay: number;
  /** Cancels scheduled governance calls; the deployer when omitted (a dev chain). */
  guardian?: string;
}

export const DEFAULT_DEPLOY_CONFIG: DeployConfig = {
  minStake: parseEther('1'),
  unstakeDelay: 14 * 24 * 3600,
  committeeSize: 3,
  appealCommitteeSize: 5,
  maxBatch: 256,
  batchWindow: 60,
  commitWindow: 600,
  revealWindow: 600,
  challengeWindow: 3600,
  /** At least gameSlash (silence must not be cheaper than losing a game) and at most minStake (one seat's lock). */
  missSlash: parseEther('0.5'),
  appealBond1: parseEther('0.05'),
  appealBond2: parseEther('0.2'),
  disputeWindow: 3600,
  arbitratorWindow: 30 * 24 * 3600,
  inputWindow: 30 * 24 * 3600,
  gameSlash: parseEther('0.5'),
  clockSeconds: 3 * 24 * 3600,
  governanceDelay: 2,
};

export interface Deployment {
  chainId: string;
  deployer: string;
  block: number;
  addresses: {
    oneStep: string;
    registry: string;
    staking: string;
    arbitration: string;
    /** ArbitrationDisputes: runs inside `arbitration` by delegatecall (call it there). */
    disputes: string;
    /** ArbitratorFront: the ERC-792 IArbitrator that arbitrable contracts name. */
    front: string;
    escrow: string;
    game: string;
    /** Timelock: Arbitration's and the front's governance; the deployer (registrar) proposes. */
    timelock: string;
  };
  config: Record<keyof DeployConfig, string>;
}

async function deployArtifact(name: string, signer: Signer, args: unknown[]): Promise<string> {
  const a = loadArtifact(name);
  const factory = new ContractFactory(a.abi, a.bytecode, signer);
  const c = await factory.deploy(...args);
  // Polled (mined.ts): ethers' waitForDeployment waits for a block event, and a block mined
  // between its first receipt lookup and its poller's first look never comes (the service-mined
  // anvil then stays idle): a start that hung for good.
  await mined(c.deploymentTransaction()!, signer.provider!);
  return c.getAddress();
}

/**
 * Init code that returns CLZ(1) (EIP-7939, osaka): PUSH1 1, CLZ (0x1e), PUSH1 0, MSTORE,
 * PUSH1 32, PUSH1 0, RETURN. On a chain without CLZ the opcode is invalid and the call fails.
 */
export const CLZ_PROBE = '0x60011e60005260206000f3';

/** Thrown when the chain's EVM lacks an opcode the contracts need. */
export class EvmVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvmVersionError';
  }
}

/**
 * Refuses a chain whose EVM is older than osaka: the referee's MATMUL (LibOneStep) uses CLZ, so
 * on such a chain every MATMUL step proof would revert and an honest defender would lose on its
 * clock. Probed with an eth_call of CLZ_PROBE (no deployment, no gas spent).
 */
export async function assertOsakaEvm(provider: Provider): Promise<void> {
  let out: string;
  try {
    out = await provider.call({ data: CLZ_PROBE });
  } catch (e) {
    throw new EvmVersionError(`the chain's EVM has no CLZ opcode (EIP-7939): Arbiter's contracts need the osaka EVM or later (${(e as Error).message.split('\n')[0]})`);
  }
  if (BigInt(out) !== 255n) throw new EvmVersionError(`the chain's EVM computed CLZ(1) = ${BigInt(out)}, not 255: Arbiter's contracts need the osaka EVM or later`);
}

/** Deploys every contract and wires them together (game and slashers); returns the addresses. */
export async function deploySystem(signer: Signer, overrides: Partial<DeployConfig> = {}): Promise<Deployment> {
  const cfg = { ...DEFAULT_DEPLOY_CONFIG, ...overrides };
  // Before anything is deployed: a referee that cannot run MATMUL must never go live.
  await assertOsakaEvm(signer.provider!);
  const deployer = await signer.getAddress();
  const treasury = cfg.treasury ?? deployer;
  const oneStep = await deployArtifact('OneStepProver', signer, []);
  const registry = await deployArtifact('ModelRegistry', signer, []);
  const staking = await deployArtifact('NodeStaking', signer, [cfg.minStake, cfg.unstakeDelay, treasury]);
  const arbitrationConfig = [
    cfg.committeeSize,
    cfg.appealCommitteeSize,
    cfg.maxBatch,
    cfg.batchWindow,
    cfg.commitWindow,
    cfg.revealWindow,
    cfg.challengeWindow,
    cfg.missSlash,
    cfg.appealBond1,
    cfg.appealBond2,
    cfg.disputeWindow,
    cfg.arbitratorWindow,
  ];
  const guardian = cfg.guardian ?? deployer;
  const timelock = await deployArtifact('Timelock', signer, [deployer, guardian, cfg.governanceDelay]);
  const disputes = await deployArtifact('ArbitrationDisputes', signer, [registry, staking, deployer]);
  const arbitration = await deployArtifact('Arbitration', signer, [registry, staking, deployer, arbitrationConfig, disputes, timelock]);
  const front = await deployArtifact('ArbitratorFront', signer, [arbitration, cfg.inputWindow]);
  const game = await deployArtifact('DisputeGame', signer, [arbitration, oneStep, staking, cfg.gameSlash, cfg.clockSeconds]);
  const { Contract } = await import('ethers');
  const arb = new Contract(arbitration, loadArtifact('Arbitration').abi, signer);
  await mined(await arb.getFunction('setGame')(game), signer.provider!);
  await mined(await arb.getFunction('setFront')(front), signer.provider!);
  const stk = new Contract(staking, loadArtifact('NodeStaking').abi, signer);
  await mined(await stk.getFunction('setSlashers')(arbitration, game), signer.provider!);
  const escrow: string = await arb.getFunction('escrow')();
  const provider = signer.provider!;
  const network = await provider.getNetwork();
  return {
    chainId: network.chainId.toString(),
    deployer,
    block: await provider.getBlockNumber(),
    addresses: { oneStep, registry, staking, arbitration, disputes, front, escrow, game, timelock },
    config: Object.fromEntries(Object.entries({ ...cfg, treasury, guardian }).map(([k, v]) => [k, String(v)])) as Deployment['config'],
  };
}

/**
 * Approves `modelId`, registered by `creator`, as the ERC-792 front's default model (issue 8 #12:
 * bound to the registry entry the registrar checked, not to a name anyone may register first),
 * through the governance timelock (schedules, waits out the delay, executes).
 */
export async function approveDefaultModel(signer: Signer, d: Deployment, modelId: string, creator: string): Promise<void> {
  const { Interface } = await import('ethers');
  const { govern } = await import('./governance.js');
  const data = new Interface(loadArtifact('ArbitratorFront').abi).encodeFunctionData('setDefaultModel', [modelId, creator]);
  await govern(signer, d.addresses.timelock, d.addresses.front, data);
}

/** Reads a recorded deployment, or undefined when there is none. */
export function readDeployment(file: string): Deployment | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Deployment) : undefined;
}

export function writeDeployment(file: string, d: Deployment): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(d, null, 2)}\n`);
}

/**
 * The recorded deployment when its contracts still exist on the chain (same chain id, code at
 * the arbitration address), else a fresh deployment, recorded.
 */
export async function ensureDeployment(signer: Signer, file: string, overrides: Partial<DeployConfig> = {}): Promise<Deployment> {
  const recorded = readDeployment(file);
  const provider = signer.provider!;
  if (recorded) {
    const network = await provider.getNetwork();
    const code = await provider.getCode(recorded.addresses.arbitration);
    // A record from before the ERC-792 front and the disputes module existed is redeployed, and
    // one whose escrow has no respondent accounts (its dispatcher lacks totalAccounts()), and one
    // from before the governance timelock (issue 8 #11).
    const accounts = (await provider.getCode(recorded.addresses.escrow)).includes(utf8Id('totalAccounts()').slice(2, 10));
    if (network.chainId.toString() === recorded.chainId && code !== '0x' && recorded.addresses.front && recorded.addresses.disputes && recorded.addresses.timelock && accounts) return recorded;
  }
  const d = await deploySystem(signer, overrides);
  writeDeployment(file, d);
  return d;
}
