// DisputeGame alone on anvil, for the adversarial game suites: the game deployed with a
// GameHarness (contracts/src/test/) as its host and slasher, so a game is opened exactly through
// `create` and its outcome read from `onGameResolved`, without a committee or a batch. One anvil
// per test file; each game starts from the same snapshot (evm_snapshot / evm_revert), so games
// are independent and cheap.
import { Interface, type Contract, type NonceManager, type TransactionReceipt } from 'ethers';
import { loadArtifact } from '../../../server/chain/artifacts.js';
import { GamePhase } from '../../../server/chain/contracts.js';
import { takeTurn, type OwnTrace } from '../../../server/chain/game-player.js';
import { mined } from '../../../server/chain/mined.js';
import { treeLevels } from '../../../server/chain/dissection.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import type { Step } from '../../../server/inference/ops.js';
import type { Tensor } from '../../../server/inference/tensor.js';
import { stateHashes } from '../../../server/inference/trace-root.js';
import { deployTestContract, startChain, type ChainFixture } from './chain-fixture.js';

export const HARNESS_CLOCK = 3600;
export const HARNESS_SLASH = 10n ** 18n / 2n;

export interface GameBench {
  fx: ChainFixture;
  harness: Contract;
  game: Contract;
  oneStep: Contract;
  /** The two parties' signers and a third party's. */
  a: NonceManager;
  b: NonceManager;
  third: NonceManager;
  addr: { a: string; b: string; third: string };
  /** Reverts the chain to the state right after deployment (every game starts there). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGameBench(): Promise<GameBench> {
  const fx = await startChain({ accounts: 10 });
  const deployer = fx.wallets[0];
  const oneStep = await deployTestContract('OneStepProver', deployer);
  const harness = await deployTestContract('GameHarness', deployer);
  const game = await deployTestContract('DisputeGame', deployer, [
    await harness.getAddress(), await oneStep.getAddress(), await harness.getAddress(), HARNESS_SLASH, HARNESS_CLOCK,
  ]);
  await (await harness.getFunction('setGame')(await game.getAddress())).wait();
  let snapshot: string = await fx.provider.send('evm_snapshot', []);
  const [a, b, third] = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  return {
    fx,
    harness,
    game,
    oneStep,
    a,
    b,
    third,
    addr: { a: fx.addresses[1], b: fx.addresses[2], third: fx.addresses[3] },
    async reset() {
      // evm_revert consumes the snapshot: take a fresh one at the same state.
      await fx.provider.send('evm_revert', [snapshot]);
      snapshot = await fx.provider.send('evm_snapshot', []);
      for (const w of fx.wallets) w.reset(); // nonces went back with the chain
    },
    stop: () => fx.stop(),
  };
}

/** A party's own view of its execution: trace, leaves (padding included) and tree. */
export interface Party extends OwnTrace {
  root: string;
}

/** The party whose trace is `trace` (its tree padded with zero leaves). */
export function partyOf(trace: Tensor[]): Party {
  return partyFromLeaves(trace, stateHashes(trace));
}

/** A party whose tree is built over `leaves` as given (e.g. junk in the padding). */
export function partyFromLeaves(trace: Tensor[], leaves: Uint8Array[]): Party {
  const levels = treeLevels(leaves);
  return { trace, hashes: leaves, levels, root: bytesToHex(levels[levels.length - 1][0]) };
}

/** Combined interface of every contract a game call can revert in, to name the error. */
const errorsIface = new Interface([...loadArtifact('DisputeGame').abi, ...loadArtifact('OneStepProver').abi].filter((f: any) => f.type === 'error'));

/** The custom error name of a failed call or transaction, or its message. */
export function revertName(e: unknown): string {
  let x: any = e;
  for (let i = 0; i < 5 && x; i++) {
    const data = x.data ?? x.error?.data ?? x.info?.error?.data;
    if (typeof data === 'string' && data.length >= 10) {
      const parsed = errorsIface.parseError(data);
      if (parsed) return parsed.name;
    }
    if (x.revert?.name) return x.revert.name;
    x = x.error ?? x.info?.error ?? x.cause;
  }
  return String((e as Error)?.message ?? e);
}

/** Expects `p` (a call or transaction) to revert with custom error `name`. */
export async function expectRevert(p: Promise<unknown>, name: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    const got = revertName(e);
    if (got !== name) throw new Error(`expected revert ${name}, got ${got}`);
    return;
  }
  throw new Error(`expected revert ${name}, but it succeeded`);
}

/** Sends `fn` from `signer` (gas estimated with a margin); resets its nonce on failure. */
export async function send(c: Contract, signer: NonceManager, fn: string, args: unknown[], gasLimit?: bigint): Promise<TransactionReceipt> {
  const f = (c.connect(signer) as Contract).getFunction(fn);
  try {
    // With a fixed limit, simulate first: a mined revert carries no error data to name.
    if (gasLimit !== undefined) await f.staticCall(...args);
    const limit = gasLimit ?? ((await f.estimateGas(...args)) * 13n) / 10n + 30_000n;
    return await mined(await f(...args, { gasLimit: limit }), signer.provider!);
  } catch (e) {
    signer.reset();
    throw e;
  }
}

export interface OpenGame {
  gameId: bigint;
  createGas: bigint;
}

/** Opens a game through the harness (as the host would): `d` defends, `c` challenges. */
export async function openGame(bench: GameBench, d: { signer: NonceManager; party: Party }, c: { signer: NonceManager; party: Party }, s0: string, modelRoot: string, steps: number): Promise<OpenGame> {
  const r = await send(bench.harness, bench.fx.wallets[0], 'open', [
    '0x' + 'ca'.repeat(32), await d.signer.getAddress(), await c.signer.getAddress(), d.party.root, c.party.root, s0, modelRoot, steps,
  ]);
  const gameId: bigint = await bench.game.gameCount();
  return { gameId, createGas: r.gasUsed };
}

export interface PlayedGame {
  outcome: number;
  rounds: number;
  leafIndex: number;
  /** Gas of both parties' moves and of the step proof. */
  gas: { moves: bigint; step: bigint };
}

/**
 * Plays the dissection (each party through game-player.ts takeTurn, from its own tree), then,
 * when a step is to be proven, lets `prover` prove it with its own t_lo (unless `prove` is false:
 * the game is left in its Step phase).
 */
export async function play(
  bench: GameBench,
  gameId: bigint,
  d: { signer: NonceManager; party: Party },
  c: { signer: NonceManager; party: Party },
  steps: readonly Step[],
  prover: { signer: NonceManager; party: Party } | undefined,
): Promise<PlayedGame> {
  let rounds = 0;
  let moves = 0n;
  let step = 0n;
  let leafIndex = -1;
  for (;;) {
    const g = await bench.game.games(gameId);
    const phase = Number(g.phase);
    if (phase === GamePhase.Dissection) {
      const p = Number(g.turn) === 0 ? d : c;
      const r = await takeTurn(bench.game.connect(p.signer) as Contract, gameId, await p.signer.getAddress(), p.party, steps);
      if (r.action !== 'moved') throw new Error(`expected a move, got ${r.action}`);
      moves += r.receipt.gasUsed;
      if (Number(g.turn) === 1) rounds++;
    } else if (phase === GamePhase.Step) {
      leafIndex = Number(g.index);
      if (!prover) return { outcome: 0, rounds, leafIndex, gas: { moves, step } };
      const r = await takeTurn(bench.game.connect(prover.signer) as Contract, gameId, await prover.signer.getAddress(), prover.party, steps);
      if (r.action !== 'proved') throw new Error(`expected a step proof, got ${r.action}`);
      step = r.receipt.gasUsed;
    } else {
      if (leafIndex < 0) leafIndex = Number(g.index);
      return { outcome: Number(g.outcome), rounds, leafIndex, gas: { moves, step } };
    }
  }
}
