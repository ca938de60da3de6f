// A model's public evaluation (PROTOCOL.md §4: "whether the model decides the law well is a
// matter of the model's published evaluation"): every line of the folder's eval.jsonl goes
// through the same decide path as a filed case, and its verdict is compared with the expected
// outcome, award, grounds (as the model's class states them, classGrounds) and review flag. `model build` records the result in the card;
// `model verify` recomputes it and compares.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateCaseRecord } from '../cases/validate.js';
import { decideWithModel } from '../verdicts/decide.js';
import type { VerdictT } from '../verdicts/schemas.js';
import { classGrounds } from '../verdicts/assemble.js';
import { sha256Hex, type LoadedModel } from './load.js';
import { DEFAULT_EVAL_FILE, type EvalExpectation, type EvalLine, type ModelDefinition } from './definition.js';

export interface Disagreement {
  /** 1-based line of eval.jsonl */
  line: number;
  ref: string | null;
  note?: string;
  expected: EvalExpectation;
  got: EvalExpectation | { error: string };
}

export interface Evaluation {
  file: string;
  /** hex sha256 of the evaluation file */
  sha256: string;
  cases: number;
  agreed: number;
  /** agreed / cases, rounded to 4 decimals */
  accuracy: number;
  /** Lines grouped by their note's prefix (before the first ":"; "unlabelled" without a note). */
  byNote: Record<string, { cases: number; agreed: number }>;
  /** the first 20 disagreements */
  disagreements: Disagreement[];
  /** With `detail`: lines grouped by their expected primary ground (grounds[0], "none" without). */
  byGround?: Record<string, { cases: number; agreed: number }>;
  /** With `detail`: expected outcome → the outcome decided (or "error") → lines. */
  confusion?: Record<string, Record<string, number>>;
}

/** The group of an evaluation line: `text: heavy snow` → `text`. */
export const noteGroup = (note: string | undefined): string => (note && note.includes(':') ? note.slice(0, note.indexOf(':')).trim() : 'unlabelled');

export const evalFileOf = (def: Pick<ModelDefinition, 'evalFile'>): string => def.evalFile ?? DEFAULT_EVAL_FILE;

export async function readEvalSet(dir: string, def: Pick<ModelDefinition, 'evalFile'>): Promise<{ lines: EvalLine[]; sha256: string }> {
  const bytes = await readFile(join(dir, evalFileOf(def)));
  const lines = bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EvalLine);
  return { lines, sha256: sha256Hex(bytes) };
}

// The model's decision: an ordinary cause's kind, which the verdict names from the record when
// the passenger wins (assemble.ts), is not part of the model and is measured on its own.
const asExpectation = (v: VerdictT): EvalExpectation => ({ outcome: v.outcome, award: v.award, grounds: classGrounds(v.outcome, v.grounds), review: v.review });

const sameVerdict = (a: EvalExpectation, b: EvalExpectation): boolean =>
  a.outcome === b.outcome &&
  a.review === b.review &&
  JSON.stringify(a.grounds) === JSON.stringify(b.grounds) &&
  (a.award === null || b.award === null ? a.award === b.award : a.award.amount === b.award.amount && a.award.currency === b.award.currency);

export async function evaluateModel(
  model: Pick<LoadedModel, 'dir' | 'card' | 'definition' | 'runner'>,
  progress?: (done: number, total: number) => void,
  options: { detail?: boolean } = {},
): Promise<Evaluation> {
  const { lines, sha256 } = await readEvalSet(model.dir, model.definition);
  const disagreements: Disagreement[] = [];
  const byNote: Evaluation['byNote'] = {};
  const byGround: NonNullable<Evaluation['byGround']> = {};
  const confusion: NonNullable<Evaluation['confusion']> = {};
  let agreed = 0;
  for (const [i, line] of lines.entries()) {
    const valid = validateCaseRecord(line.case);
    let got: Disagreement['got'];
    if (!valid.ok) got = { error: `${valid.errors[0].pointer}: ${valid.errors[0].message}` };
    else {
      const result = await decideWithModel(valid.record, model);
      got = result.ok ? asExpectation(result.verdict) : { error: `${result.error.field}: ${result.error.message}` };
    }
    const group = (byNote[noteGroup(line.note)] ??= { cases: 0, agreed: 0 });
    group.cases++;
    const ground = (byGround[line.expected.grounds[0] ?? 'none'] ??= { cases: 0, agreed: 0 });
    ground.cases++;
    const row = (confusion[line.expected.outcome] ??= {});
    const decided = 'error' in got ? 'error' : got.outcome;
    row[decided] = (row[decided] ?? 0) + 1;
    if (!('error' in got) && sameVerdict(got, line.expected)) {
      agreed++;
      group.agreed++;
      ground.agreed++;
    } else if (disagreements.length < 20) {
      const ref = (line.case as { ref?: string }).ref ?? null;
      disagreements.push({ line: i + 1, ref, ...(line.note ? { note: line.note } : {}), expected: line.expected, got });
    }
    progress?.(i + 1, lines.length);
  }
  return {
    file: evalFileOf(model.definition),
    sha256,
    cases: lines.length,
    agreed,
    accuracy: lines.length ? Math.round((agreed / lines.length) * 10_000) / 10_000 : 0,
    byNote,
    disagreements,
    ...(options.detail ? { byGround, confusion } : {}),
  };
}
