// A scratch copy of arbitration-models/<id> that model.ts can still import from: the copy sits in
// a tree whose `server/` and shared model code are symlinks to this checkout, under an ESM
// package.json, so `arbiter model …` runs on it as on the shipped folder.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS_ROOT } from '../../../server/models/registry.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'server/cli/arbiter.js');

export function scratchModels(): { copy: (id: string, name: string) => string; remove: () => void } {
  const scratch = mkdtempSync(join(tmpdir(), 'arbiter-models-'));
  return {
    copy(id, name) {
      const root = join(scratch, name);
      mkdirSync(join(root, 'arbitration-models'), { recursive: true });
      writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
      symlinkSync(join(ROOT, 'server'), join(root, 'server'));
      symlinkSync(join(MODELS_ROOT, 'card-law'), join(root, 'arbitration-models', 'card-law'));
      const dir = join(root, 'arbitration-models', id);
      cpSync(join(MODELS_ROOT, id), dir, { recursive: true });
      return dir;
    },
    remove: () => rmSync(scratch, { recursive: true, force: true }),
  };
}
