// Bindings for the deployed system: one ethers Contract per contract, from the committed ABIs.
import { Contract, type ContractRunner, type InterfaceAbi } from 'ethers';
import { loadArtifact } from './artifacts.js';
import type { Deployment } from './deploy.js';

export interface ArbiterContracts {
  oneStep: Contract;
  registry: Contract;
  staking: Contract;
  arbitration: Contract;
  escrow: Contract;
  game: Contract;
}

const NAMES: Record<keyof ArbiterContracts, string> = {
  oneStep: 'OneStepProver',
  registry: 'ModelRegistry',
  staking: 'NodeStaking',
  arbitration: 'Arbitration',
  escrow: 'ArbiterEscrow',
  game: 'DisputeGame',
};

export const abiOf = (name: string): InterfaceAbi => loadArtifact(name).abi;

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
export const CaseStatus = { None: 0, AwaitingInput: 1, Open: 2, AwaitingArbitrator: 3, Settled: 4 } as const;
export const BatchStatus = { None: 0, Filling: 1, Executing: 2, Disputed: 3, Proposed: 4, Final: 5, Failed: 6 } as const;
export const MemberState = { None: 0, Drawn: 1, Committed: 2, Revealed: 3, InGame: 4, Evicted: 5 } as const;
export const GameOutcome = { None: 0, DefenderWins: 1, ChallengerWins: 2, BothLose: 3 } as const;
export const GamePhase = { None: 0, Dissection: 1, Step: 2, Resolved: 3 } as const;
