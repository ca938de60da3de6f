// Writes the public evaluation set eval.jsonl: `npx tsx arbitration-models/visa/generate.ts`.
// Deterministic (seeded); the expected verdicts come from the LAW.md §4 oracle.
import { writeFileSync } from 'node:fs';
import { evalSet, toJsonl } from '../card-law/eval-set.js';

export const EVAL_SEED = 20_260_110;
export const EVAL_RANDOM_CASES = 400;

const file = new URL('./eval.jsonl', import.meta.url);
const lines = evalSet('VISA', EVAL_SEED, EVAL_RANDOM_CASES);
writeFileSync(file, toJsonl(lines));
process.stderr.write(`wrote ${lines.length} cases to ${file.pathname}\n`);
