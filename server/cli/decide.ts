// `arbiter decide`: JSONL cases on stdin → JSONL verdicts on stdout, one output line per input
// line, in order, through the service's decide path (server/verdicts/decide.ts). Streams: at most
// WINDOW lines are in flight, and each is written as soon as it and all before it are done, so
// memory does not grow with the input. The window does not buy parallelism: onnxruntime-node
// 1.30 runs session.run on the JS thread (in a setImmediate callback), so inference and hashing
// of different cases take turns on one core (measured: 16.0k cases/s with 8 in flight, 16.2k
// with 1, under one core of CPU either way).
//
// A line that is not a case (invalid JSON, or a record that fails validation or featurization)
// yields `{"ref":…, "error":{"field":<RFC 6901 pointer>, "message":…}}` on its line (CASES.md).
// A blank (whitespace-only) line is not a case and not an error: it yields a blank line, so
// output line k still answers input line k. Exit code: 0 when every case line was decided.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { decideCase, type DecideError } from '../verdicts/decide.js';
import type { ModelRegistry } from '../models/registry.js';

export interface DecideStats {
  decided: number;
  failed: number;
  blank: number;
}

const errorLine = (ref: string | null, error: DecideError): string => JSON.stringify({ ref, error });

/** Decides one input line; returns the output line and whether the line was decided. */
export async function decideLine(line: string, models?: ModelRegistry): Promise<{ out: string; decided: boolean | null }> {
  if (line.trim() === '') return { out: '', decided: null };
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (e) {
    return { out: errorLine(null, { field: '', message: `Not valid JSON: ${(e as Error).message}` }), decided: false };
  }
  const result = await decideCase(input, models);
  return result.ok
    ? { out: JSON.stringify(result.verdict), decided: true }
    : { out: errorLine(result.ref, result.error), decided: false };
}

export const WINDOW = 8;

export async function runDecide(input: Readable, output: Writable, models?: ModelRegistry): Promise<DecideStats> {
  const stats: DecideStats = { decided: 0, failed: 0, blank: 0 };
  const pending: Promise<{ out: string; decided: boolean | null }>[] = [];
  const writeNext = async (): Promise<void> => {
    const { out, decided } = await pending.shift()!;
    if (decided === null) stats.blank++;
    else if (decided) stats.decided++;
    else stats.failed++;
    if (!output.write(`${out}\n`)) await once(output, 'drain');
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    const result = decideLine(line, models);
    result.catch(() => {}); // a broken model rejects when its turn comes (writeNext), not before
    pending.push(result);
    if (pending.length >= WINDOW) await writeNext();
  }
  while (pending.length) await writeNext();
  return stats;
}
