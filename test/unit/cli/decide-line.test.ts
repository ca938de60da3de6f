import { describe, expect, it } from 'vitest';
import { decideLine } from '../../../server/cli/decide.js';
import { validRecords } from '../../support/case-fixtures.js';

describe('decideLine', () => {
  it('keeps a blank line blank and does not count it as a case', async () => {
    expect(await decideLine('   ')).toEqual({ out: '', decided: null });
  });

  it('answers invalid JSON with an error at the root pointer and no ref', async () => {
    const { out, decided } = await decideLine('{"ref": "x",');
    expect(decided).toBe(false);
    expect(JSON.parse(out)).toEqual({ ref: null, error: { field: '', message: expect.stringMatching(/^Not valid JSON/) } });
  });

  it('answers an invalid case with its ref and the pointer of the first error', async () => {
    const { out, decided } = await decideLine(JSON.stringify({ ...validRecords.mastercardNotProvided, chargeback: { ...validRecords.mastercardNotProvided.chargeback, reasonCode: '10.4' } }));
    expect(decided).toBe(false);
    expect(JSON.parse(out)).toEqual({ ref: 'fixture-mastercard-4853', error: { field: '/chargeback/reasonCode', message: expect.any(String) } });
  });

  it('decides a valid case into a verdict line', async () => {
    const { out, decided } = await decideLine(JSON.stringify(validRecords.visaFraud));
    expect(decided).toBe(true);
    expect(JSON.parse(out)).toMatchObject({ ref: 'fixture-visa-10.4', outcome: 'claimant', grounds: ['VISA.10.4.fraud'], model: { id: 'visa@1.0.0' } });
  });
});
