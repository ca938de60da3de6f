// `arbiter model verify <dir>`: passes on every shipped model folder, fails loudly (exit 1) on a
// flipped byte of the .onnx file and on an edited card. Tampering happens in a temporary copy
// (model-folder-copy.ts), so model.ts imports work.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelDirs } from '../../../server/models/registry.js';
import { BIN, scratchModels } from './model-folder-copy.js';

const verify = (dir: string) => spawnSync(process.execPath, [BIN, 'model', 'verify', dir], { encoding: 'utf8' });
const scratch = scratchModels();
afterAll(() => scratch.remove());
const tamperableCopy = scratch.copy;

describe('arbiter model verify', () => {
  it.each(modelDirs().map((d) => [basename(d), d]))('passes on the shipped %s folder', (_, dir) => {
    const r = verify(dir);
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/verified/);
  });

  it('passes on an untouched copy (the copy mechanism itself is sound)', () => {
    const r = verify(tamperableCopy('visa', 'untouched'));
    expect(r.status).toBe(0);
  });

  it.each([0.1, 0.5, 0.9])('fails when one byte of model.onnx is flipped (at %f of the file)', (where) => {
    const dir = tamperableCopy('visa', `flip-${where}`);
    const file = join(dir, 'model.onnx');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length * where)] ^= 0x01;
    writeFileSync(file, bytes);
    const r = verify(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL sha256 of the file/);
  });

  it('fails when the card claims another model root', () => {
    const dir = tamperableCopy('mastercard', 'root');
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8'));
    card.modelRoot = `0x${'00'.repeat(32)}`;
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 2));
    const r = verify(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL model root from the file/);
  });

  it('fails when the card edits a class or its evaluation', () => {
    const dir = tamperableCopy('visa', 'class');
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8'));
    card.classes[2].outcome = 'respondent';
    card.evaluation.agreed -= 1;
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 2));
    const r = verify(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL card matches model.ts/);
    expect(r.stdout).toMatch(/FAIL public evaluation/);
  });
});
