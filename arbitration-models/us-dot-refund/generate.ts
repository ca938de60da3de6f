// `npx tsx arbitration-models/us-dot-refund/generate.ts`: writes eval.jsonl — LAW.md §3's edge
// cases and 300 seeded random cases, expected verdicts from the oracle (law.ts).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usEvalSet } from '../flight-law/eval-set.js';
import { writeEval } from '../flight-law/write-eval.js';

export const EVAL_SEED = 26103;
export const EVAL_RANDOM_CASES = 300;

writeEval(dirname(fileURLToPath(import.meta.url)), usEvalSet(EVAL_SEED, EVAL_RANDOM_CASES));
