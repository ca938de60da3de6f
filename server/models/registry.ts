// Which model decides a jurisdiction: the shipped folders under `arbitration-models/` that hold a
// card.json. One model per jurisdiction; two would be ambiguous and are refused.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelCard } from './card.js';
import { type LoadedModel, loadModel } from './load.js';

export const MODELS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../arbitration-models');

/** Model folders (absolute) under `root` that ship a card. */
export function modelDirs(root = MODELS_ROOT): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'card.json')))
    .map((e) => join(root, e.name))
    .sort();
}

export interface ModelRegistry {
  /** The jurisdictions with a shipped model. */
  jurisdictions(): ModelCard['jurisdiction'][];
  /** The loaded model for a jurisdiction, or undefined when none is shipped. */
  forJurisdiction(jurisdiction: string): Promise<LoadedModel> | undefined;
}

export function createModelRegistry(root = MODELS_ROOT): ModelRegistry {
  const byJurisdiction = new Map<string, string>();
  for (const dir of modelDirs(root)) {
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ModelCard;
    const other = byJurisdiction.get(card.jurisdiction);
    if (other) throw new Error(`two models for ${card.jurisdiction}: ${other} and ${dir}`);
    byJurisdiction.set(card.jurisdiction, dir);
  }
  return {
    jurisdictions: () => [...byJurisdiction.keys()] as ModelCard['jurisdiction'][],
    forJurisdiction: (j) => {
      const dir = byJurisdiction.get(j);
      return dir ? loadModel(dir) : undefined;
    },
  };
}
