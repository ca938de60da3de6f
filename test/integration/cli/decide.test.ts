// `arbiter decide` as a user runs it: a separate process, JSONL in, JSONL out.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CaseRecordT } from '../../../server/cases/schemas.js';
import { createModelRegistry } from '../../../server/models/registry.js';
import { validRecords } from '../../support/case-fixtures.js';

const BIN = fileURLToPath(new URL('../../../server/cli/arbiter.js', import.meta.url));

function runDecide(stdin: string): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'decide'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: out.split('\n').slice(0, -1), stderr: err }));
    child.stdin.end(stdin);
  });
}

const present = new Set<string>(createModelRegistry().jurisdictions());
const decidable: CaseRecordT[] = Object.values(validRecords).filter((r) => present.has(r.jurisdiction));
const jsonl = (records: readonly unknown[]): string => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

describe('arbiter decide', () => {
  it('has a model for at least the card networks', () => {
    expect([...present]).toEqual(expect.arrayContaining(['VISA', 'MASTERCARD']));
  });

  it('answers a mixed file line by line, errors in place, and exits 1', async () => {
    const badCase = { ...validRecords.visaFraud, ref: 'bad-case', surprise: true };
    const input = [...decidable, '{"ref": "truncated", ', badCase, decidable[0]];
    const { code, lines, stderr } = await runDecide(jsonl(input));
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(lines).toHaveLength(input.length);
    decidable.forEach((r, i) => {
      const v = JSON.parse(lines[i]);
      expect(v.ref).toBe(r.ref ?? null);
      expect(v.model.id).toMatch(/^[a-z0-9-]+@\d+\.\d+\.\d+$/);
      expect(v.inputHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(['claimant', 'respondent']).toContain(v.outcome);
    });
    const n = decidable.length;
    expect(JSON.parse(lines[n])).toEqual({ ref: null, error: { field: '', message: expect.stringMatching(/^Not valid JSON/) } });
    expect(JSON.parse(lines[n + 1])).toEqual({ ref: 'bad-case', error: { field: '/surprise', message: expect.any(String) } });
    expect(JSON.parse(lines[n + 2])).toEqual(JSON.parse(lines[0]));
  });

  it('exits 0 when every line is decided, keeping blank lines as blank lines', async () => {
    const { code, lines } = await runDecide(`${JSON.stringify(decidable[0])}\n\n${JSON.stringify(decidable[1])}\n`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('');
    expect(JSON.parse(lines[2]).ref).toBe(decidable[1].ref);
  });

  it('keeps input order over a stream far longer than its in-flight window', async () => {
    const input = Array.from({ length: 300 }, (_, i) =>
      i % 7 === 3 ? `{"ref": "broken-${i}"` : { ...decidable[i % decidable.length], ref: `line-${i}` },
    );
    const { code, lines } = await runDecide(jsonl(input));
    expect(code).toBe(1);
    expect(lines.map((l) => JSON.parse(l).ref)).toEqual(input.map((x, i) => (typeof x === 'string' ? null : `line-${i}`)));
  });

  it('gives the same bits for the same case in two separate processes', async () => {
    const input = jsonl(decidable);
    const [a, b] = await Promise.all([runDecide(input), runDecide(input)]);
    expect(a.code).toBe(0);
    expect(a.lines).toEqual(b.lines);
  });
});
