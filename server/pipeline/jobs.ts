// The pipeline's queues, job names, payloads and deterministic job ids (CONVENTIONS.md §3). Ids
// carry no ':' (BullMQ's key separator); payloads carry ids and, for node jobs, only the facts the
// featurizer reads (facts.ts), never the case record, a key or a person's data.
import type { JobsOptions } from 'bullmq';
import type { CaseFacts } from './facts.js';

/** The service's queue (registrar side): open, seal, close reveals, settle. */
export const PIPELINE_QUEUE = 'pipeline';
/** One queue per node operator: its execution, reveal and game jobs. */
export const nodeQueueName = (node: string): string => `node-${node.toLowerCase()}`;

export type PipelineJob =
  | { name: 'open'; data: { caseId?: string; caseIds?: string[] } }
  | { name: 'seal'; data: { batchId: string } }
  | { name: 'close'; data: { batchId: string; round: number } }
  | { name: 'settle'; data: { batchId: string } }
  | { name: 'claim'; data: { caseId: string; payee: string } }
  | { name: 'deposit'; data: { depositId: string; merchantId: string; account: string; amount: string } }
  | { name: 'appeal'; data: { caseId: string; level: number } }
  | { name: 'rule'; data: { caseId: string; output: number; reasonHash: string } }
  | { name: 'ruling'; data: { disputeId: string } }
  | { name: 'input'; data: { chainCaseId: string } }
  | { name: 'refuse'; data: { chainCaseId: string } }
  | { name: 'unbound'; data: { disputeId: string } };

export interface ExecCase {
  chainCaseId: string;
  index: number;
  /**
   * What the featurizer reads, or null for a case the service did not file (another opener's):
   * the node then looks for its input published on chain, and claims it unavailable meanwhile.
   */
  facts: CaseFacts | null;
}

/** A committee seat: run every case of the batch, commit, reveal, then watch for disputes. */
export interface ExecJobData {
  batchId: string;
  /** The block the committee was drawn in (a redraw is a new round). */
  round: number;
  modelRef: string;
  cases: ExecCase[];
  /** Resumable step (CONVENTIONS.md §3): run → commit → reveal → watch. */
  step?: 'run' | 'commit' | 'reveal' | 'watch';
}

export interface GameJobData {
  gameId: string;
  batchId: string;
  round: number;
  chainCaseId: string;
}

export const jobIds = {
  open: (caseId: string) => `open-${caseId}`,
  /** A run of filed cases prepared by one job (the first and last id name it). */
  openMany: (caseIds: string[]) => `open-${caseIds[0]}-${caseIds[caseIds.length - 1]}-${caseIds.length}`,
  seal: (batchId: bigint | string) => `seal-${batchId}`,
  draw: (batchId: bigint | string, seedBlock: number) => `draw-${batchId}-${seedBlock}`,
  close: (batchId: bigint | string, round: number) => `close-${batchId}-${round}`,
  settle: (batchId: bigint | string) => `settle-${batchId}`,
  claim: (caseId: string) => `claim-${caseId}`,
  deposit: (depositId: string) => `deposit-${depositId}`,
  appeal: (caseId: string, level: number) => `appeal-${caseId}-${level}`,
  rule: (caseId: string) => `rule-${caseId}`,
  ruling: (disputeId: bigint | string) => `ruling-${disputeId}`,
  input: (chainCaseId: string) => `input-${chainCaseId.toLowerCase()}`,
  /** A level-2 appeal's refusal once its arbitrator window has passed (one per case: level 2 happens once). */
  refuse: (chainCaseId: string) => `refuse-${chainCaseId.toLowerCase()}`,
  /** An ERC-792 dispute's refusal once its input window has passed unbound. */
  unbound: (disputeId: bigint | string) => `unbound-${disputeId}`,
  exec: (batchId: bigint | string, round: number, node: string) => `exec-${batchId}-${round}-${node.toLowerCase()}`,
  game: (gameId: bigint | string, node: string) => `game-${gameId}-${node.toLowerCase()}`,
};

/** A failed job's retries: 0.5 s, 1 s, 2 s, … doubling up to this, then this apart. */
export const RETRY_MAX_MS = 15_000;

/**
 * The pipeline's retry delays (backoff type `capped`), for every worker of its queues
 * (`settings.backoffStrategy`). BullMQ's own `exponential` has no ceiling: after ten failures a job
 * waited 4 minutes, after fifteen over two hours, so a job that met a few transient errors (an RPC
 * that timed out under load, claims not yet published) was as good as lost though it had 1,000
 * attempts.
 */
export function retryDelay(attemptsMade: number, type?: string): number {
  if (type !== undefined && type !== 'capped') throw new Error(`unknown backoff type ${type}`);
  return Math.min(RETRY_MAX_MS, 500 * 2 ** Math.max(0, attemptsMade - 1));
}

/** Kept a day after completion so that a duplicate enqueue (same id) is dropped; retried with a capped backoff (retryDelay). */
export const JOB_DEFAULTS: JobsOptions = {
  attempts: 1000,
  backoff: { type: 'capped', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
