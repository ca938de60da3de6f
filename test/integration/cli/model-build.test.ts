// `arbiter model train|build` on a scratch copy reproduce the shipped files byte for byte: the
// card models are deterministic from their source, seed and evaluation set.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS_ROOT } from '../../../server/models/registry.js';
import { BIN, scratchModels } from './model-folder-copy.js';

const arbiter = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const scratch = scratchModels();
afterAll(() => scratch.remove());

describe('arbiter model train and build', () => {
  it('rewrites the shipped mastercard params, model.onnx and card.json identically, with progress on stderr', () => {
    const dir = scratch.copy('mastercard', 'rebuild');
    for (const f of ['params.json', 'model.onnx', 'card.json']) rmSync(join(dir, f));
    const train = arbiter('model', 'train', dir);
    expect(train.status).toBe(0);
    expect(train.stderr).toMatch(/check: 20000\/20000 \(100 %\)/);
    const build = arbiter('model', 'build', dir);
    expect(build.status).toBe(0);
    expect(build.stderr).toMatch(/evaluate: \d+\/\d+ \(100 %\)/);
    expect(build.stdout).toBe('');
    for (const f of ['params.json', 'model.onnx', 'card.json']) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(MODELS_ROOT, 'mastercard', f))), f).toBe(true);
    }
  });

  it('refuses to build a trainable model before it was trained', () => {
    const dir = scratch.copy('visa', 'untrained');
    rmSync(join(dir, 'params.json'));
    const build = arbiter('model', 'build', dir);
    expect(build.status).toBe(2);
    expect(build.stderr).toMatch(/params\.json is missing: run `arbiter model train visa` first/);
  });
});
