// executeCase: the commitments behind a verdict, recomputable by anyone from the record.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../../server/inference/hex.js';
import { traceRoot } from '../../../../server/inference/trace-root.js';
import { loadModel } from '../../../../server/models/load.js';
import { MODELS_ROOT } from '../../../../server/models/registry.js';
import { decideWithModel, executeCase } from '../../../../server/verdicts/decide.js';
import { validRecords, variant } from '../../../support/case-fixtures.js';

const visa = await loadModel(join(MODELS_ROOT, 'visa'));

describe('executeCase', () => {
  it('gives the trace, its state hashes and root, and the class the verdict reports', async () => {
    const run = await executeCase(validRecords.visaFraud, visa);
    if (!run.ok) throw new Error(run.error.message);
    const { trace, stateHashes, classIndex } = run.execution;
    expect(trace).toHaveLength(visa.card.steps + 1);
    expect(stateHashes).toHaveLength(trace.length);
    expect(bytesToHex(traceRoot(trace))).toBe(bytesToHex(run.execution.traceRoot));
    expect(classIndex).toBe(Number(trace.at(-1)!.data[0]));
    const decided = await decideWithModel(validRecords.visaFraud, visa);
    if (!decided.ok) throw new Error(decided.error.message);
    expect(decided.verdict.inputHash).toBe(bytesToHex(stateHashes[0]));
    expect(decided.verdict.traceRoot).toBe(bytesToHex(run.execution.traceRoot));
    expect(decided.verdict.grounds).toEqual(visa.card.classes[classIndex].grounds);
  });

  it('changes the input hash when a fact the model reads changes, not when free text does', async () => {
    const base = await executeCase(validRecords.visaFraud, visa);
    const later = await executeCase(variant(validRecords.visaFraud, (r) => void (r.chargeback.disputeDate = '2026-02-03')), visa);
    const text = await executeCase(variant(validRecords.visaFraud, (r) => void (r.chargeback.merchantResponse = 'Something else.')), visa);
    if (!base.ok || !later.ok || !text.ok) throw new Error('not executed');
    expect(bytesToHex(later.execution.stateHashes[0])).not.toBe(bytesToHex(base.execution.stateHashes[0]));
    expect(bytesToHex(text.execution.traceRoot)).toBe(bytesToHex(base.execution.traceRoot));
  });

  it('names the field a featurizer refuses', async () => {
    const flight = await executeCase(validRecords.eu261Delay, visa);
    expect(flight).toEqual({ ok: false, error: { field: '/kind', message: expect.any(String) } });
  });
});
