// `npx tsx arbitration-models/uk261/generate.ts`: writes eval.jsonl, the public evaluation set —
// LAW.md's edge cases and 600 seeded random cases whose stated causes use the EVAL wordings only
// (flight-law/cause-phrases.ts), expected verdicts from the oracle (flight-law/eu-uk-law.ts).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compensationEvalSet, independentEvalSet } from '../flight-law/eval-set.js';
import { INDEPENDENT_EVAL_FILE } from '../flight-law/flight-model.js';
import { writeEval } from '../flight-law/write-eval.js';

export const EVAL_SEED = 26102;
export const EVAL_RANDOM_CASES = 600;

writeEval(dirname(fileURLToPath(import.meta.url)), compensationEvalSet('UK261', EVAL_SEED, EVAL_RANDOM_CASES));
writeEval(dirname(fileURLToPath(import.meta.url)), independentEvalSet('UK261'), INDEPENDENT_EVAL_FILE);
