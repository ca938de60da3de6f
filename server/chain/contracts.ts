// Bindings for the deployed system: one ethers Contract per contract, from the committed ABIs.
import { AbiCoder, Contract, keccak256, type ContractRunner, type InterfaceAbi } from 'ethers';
import { loadArtifact } from './artifacts.js';
import './fast-keccak.js';
import type { Deployment } from './deploy.js';

export interface ArbiterContracts {
  oneStep: Contract;
  registry: Contract;
  staking: Contract;
  /** Arbitration with its disputes module's functions (they run at the same address). */
  arbitration: Contract;
  /** The ERC-792 IArbitrator (ArbitratorFront). */
  front: Contract;
  escrow: Contract;
  game: Contract;
  /** The governance Timelock (issue 8 #11). */
  timelock: Contract;
}

const NAMES: Record<keyof ArbiterContracts, string> = {
  oneStep: 'OneStepProver',
  registry: 'ModelRegistry',
  staking: 'NodeStaking',
  arbitration: 'Arbitration',
  front: 'ArbitratorFront',
  escrow: 'ArbiterEscrow',
  game: 'DisputeGame',
  timelock: 'Timelock',
};

type AbiItem = { type: string; name?: string; inputs?: { type: string }[] };
const signature = (f: AbiItem) => `${f.type} ${f.name ?? ''}(${(f.inputs ?? []).map((i) => i.type).join(',')})`;

/**
 * The ABI of a deployed contract by artifact name. `Arbitration` includes the functions of its
 * ArbitrationDisputes module, which Arbitration's fallback runs by delegatecall at its address
 * (the module's constructor, and items Arbitration already has, left out).
 */
export function abiOf(name: string): InterfaceAbi {
  const own = loadArtifact(name).abi as AbiItem[];
  if (name !== 'Arbitration') return own;
  const seen = new Set(own.map(signature));
  const extra = (loadArtifact('ArbitrationDisputes').abi as AbiItem[]).filter((f) => f.type !== 'constructor' && !seen.has(signature(f)));
  return [...own, ...extra] as InterfaceAbi;
}

/** The case id Arbitration gives the case `opener` opens under its own reference `ref` (caseIdOf). */
export const caseIdOf = (opener: string, ref: string): string => keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'bytes32'], [opener, ref]));

/** Binds every contract of `d` to `runner` (a signer to send, a provider to read). */
export function connectContracts(d: Deployment, runner: ContractRunner): ArbiterContracts {
  const out = {} as ArbiterContracts;
  for (const key of Object.keys(NAMES) as (keyof ArbiterContracts)[]) {
    out[key] = new Contract(d.addresses[key], abiOf(NAMES[key]), runner);
  }
  return out;
}

/** Claim tuple as the Arbitration ABI takes it (PROTOCOL.md §2). */
export interface ClaimTuple {
  caseId: string;
  modelId: string;
  s0: string;
  output: bigint;
  steps: bigint;
  traceRoot: string;
}

/** Arbitration.CaseStatus / BatchStatus / MemberState and the game's Outcome, as numbers. */
export const CaseStatus = { None: 0, Open: 1, AwaitingArbitrator: 2, Settled: 3, Refused: 4 } as const;
/** ArbitratorFront.State: an ERC-792 dispute's progress. */
export const DisputeState = { None: 0, AwaitingInput: 1, Bound: 2, Ruled: 3 } as const;
export const BatchStatus = { None: 0, Filling: 1, Executing: 2, Disputed: 3, Proposed: 4, Final: 5, Failed: 6, Sealed: 7 } as const;
export const MemberState = { None: 0, Drawn: 1, Committed: 2, Revealed: 3, InGame: 4, Evicted: 5, Challenger: 6 } as const;
export const GameOutcome = { None: 0, DefenderWins: 1, ChallengerWins: 2, BothLose: 3 } as const;
export const GamePhase = { None: 0, Dissection: 1, Step: 2, Resolved: 3 } as const;
