// Writes a flight model's public evaluation set (`eval.jsonl`, or the independent one), one line per case, after checking
// every record validates. Called by each model folder's generate.ts with its own seed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalLine } from '../../server/models/definition.js';
import { assertValid } from './eval-set.js';

export function writeEval(dir: string, lines: EvalLine[], file = 'eval.jsonl'): void {
  assertValid(lines);
  writeFileSync(join(dir, file), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const text = lines.filter((l) => l.note?.startsWith('text')).length;
  console.error(`${dir}/${file}: ${lines.length} cases (${lines.length - text} rule-determined, ${text} free-text)`);
}
