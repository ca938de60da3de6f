// server/models/load.ts and registry.ts: a folder loads only when its file hashes to its card and
// card, definition and graph agree; one model per jurisdiction.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError, loadModel } from '../../../../server/models/load.js';
import { MODELS_ROOT, createModelRegistry } from '../../../../server/models/registry.js';
import { decideCase } from '../../../../server/verdicts/decide.js';
import { validRecords } from '../../../support/case-fixtures.js';
import { scratchModels } from '../../cli/model-folder-copy.js';

const scratch = scratchModels();
const roots: string[] = [];
afterAll(() => {
  scratch.remove();
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
});

describe('loadModel', () => {
  it('loads a shipped folder once and reuses its session', async () => {
    const a = loadModel(join(MODELS_ROOT, 'visa'));
    const b = loadModel(join(MODELS_ROOT, 'visa'));
    expect(a).toBe(b);
    const m = await a;
    expect(m.runner.steps).toBe(m.card.steps);
  });

  it('refuses a file whose sha256 differs from the card', async () => {
    const dir = scratch.copy('mastercard', 'sha');
    const bytes = readFileSync(join(dir, 'model.onnx'));
    bytes[bytes.length >> 1] ^= 0x80;
    writeFileSync(join(dir, 'model.onnx'), bytes);
    await expect(loadModel(dir)).rejects.toMatchObject({ name: 'ModelLoadError', what: 'sha256' });
  });

  it('refuses a card whose classes differ from the definition', async () => {
    const dir = scratch.copy('visa', 'classes');
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8'));
    card.classes[0].grounds = ['VISA.something_else'];
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
    const err = await loadModel(dir).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.what).toBe('classes');
  });
});

describe('createModelRegistry', () => {
  it('finds a model for each shipped jurisdiction', () => {
    expect(createModelRegistry().jurisdictions()).toEqual(expect.arrayContaining(['VISA', 'MASTERCARD']));
  });

  it('refuses two models for one jurisdiction', () => {
    const root = mkdtempSync(join(tmpdir(), 'arbiter-registry-'));
    roots.push(root);
    for (const name of ['visa', 'visa-copy']) {
      mkdirSync(join(root, name));
      cpSync(join(MODELS_ROOT, 'visa', 'card.json'), join(root, name, 'card.json'));
    }
    expect(() => createModelRegistry(root)).toThrow(/two models for VISA/);
  });

  it('lets decideCase answer a case of a broken model with an error, not a crash', async () => {
    const dir = scratch.copy('mastercard', 'broken-for-decide');
    const bytes = readFileSync(join(dir, 'model.onnx'));
    bytes[10] ^= 0x01;
    writeFileSync(join(dir, 'model.onnx'), bytes);
    const result = await decideCase(validRecords.mastercardNotProvided, createModelRegistry(join(dir, '..')));
    expect(result).toEqual({
      ok: false,
      ref: 'fixture-mastercard-4853',
      error: { field: '/jurisdiction', message: expect.stringMatching(/^The MASTERCARD model cannot be used: .*sha256/) },
    });
  });

  it('has no model for a jurisdiction nothing ships', () => {
    expect(createModelRegistry(mkdtempSync(join(tmpdir(), 'arbiter-empty-'))).forJurisdiction('VISA')).toBeUndefined();
  });
});
