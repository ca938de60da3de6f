// A node operator's own store (DESIGN.md: nodes keep their traces; never the service's
// database): per batch round, the featurized inputs it ran and the claims it committed to, as
// JSON files under its directory. Traces are recomputed from the stored input when a game needs
// them after a restart (the model is deterministic: same input, same bits), and kept in memory.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Claim } from '../inference/claim-commitment.js';

export interface StoredCase {
  chainCaseId: string;
  index: number;
  /** t_0 values as decimal text. */
  input: string[];
}

export interface StoredRound {
  batchId: string;
  round: number;
  modelRef: string;
  cases: StoredCase[];
  claims: ClaimJson[];
  root: string;
}

/** A claim as published (decimal text for integers) with the proof of its final state. */
export interface ClaimJson {
  caseId: string;
  modelId: string;
  s0: string;
  output: string;
  steps: string;
  traceRoot: string;
  /** Proof that S_n is leaf n of the trace tree (the contract's face-validity check). */
  finalProof: string[];
}

export const claimToJson = (c: Claim, finalProof: string[]): ClaimJson => ({
  caseId: c.caseId,
  modelId: c.modelId,
  s0: c.s0,
  output: c.output.toString(),
  steps: BigInt(c.steps).toString(),
  traceRoot: c.traceRoot,
  finalProof,
});
export const claimFromJson = (c: ClaimJson): Claim => ({ caseId: c.caseId, modelId: c.modelId, s0: c.s0, traceRoot: c.traceRoot, output: BigInt(c.output), steps: BigInt(c.steps) });

export function createTraceStore(dir: string) {
  mkdirSync(dir, { recursive: true });
  const file = (batchId: string, round: number) => join(dir, `batch-${batchId}-${round}.json`);
  return {
    dir,
    save(r: StoredRound): void {
      const f = file(r.batchId, r.round);
      writeFileSync(`${f}.tmp`, JSON.stringify(r));
      renameSync(`${f}.tmp`, f); // whole or nothing, even if the process dies mid-write
    },
    load(batchId: string, round: number): StoredRound | undefined {
      const f = file(batchId, round);
      return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as StoredRound) : undefined;
    },
  };
}

export type TraceStore = ReturnType<typeof createTraceStore>;
