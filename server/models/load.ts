// Loads a shipped model folder (`arbitration-models/<id>/`: card.json, model.onnx, model.ts) for
// deciding cases: the file must hash to the card's sha256 (PROTOCOL.md §2: the registry publishes
// it), and card, definition and graph must agree on id, version, jurisdiction, featurizer, classes,
// input width and step count. One ONNX Runtime session per folder, created once and reused.
// (`arbiter model verify` goes further: model root from the file, overflow proof, evaluation.)
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ModelRunner, createRunner } from '../inference/runner.js';
import type { ModelCard } from './card.js';
import type { ModelDefinition } from './definition.js';

export interface LoadedModel {
  dir: string;
  card: ModelCard;
  definition: ModelDefinition;
  runner: ModelRunner;
}

/** Thrown when a model folder is inconsistent; `what` names the field that differs. */
export class ModelLoadError extends Error {
  constructor(
    readonly dir: string,
    readonly what: string,
    message: string,
  ) {
    super(`${dir}: ${message}`);
    this.name = 'ModelLoadError';
  }
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function readCard(dir: string): Promise<ModelCard> {
  return JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')) as ModelCard;
}

export async function importDefinition(dir: string): Promise<ModelDefinition> {
  const mod = (await import(pathToFileURL(join(dir, 'model.ts')).href)) as { default?: ModelDefinition };
  if (!mod.default) throw new ModelLoadError(dir, 'model.ts', 'model.ts has no default export');
  return mod.default;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Every disagreement between a card and its definition, as [field, message]. */
export function cardDefinitionMismatches(dir: string, card: ModelCard, def: ModelDefinition): [string, string][] {
  const out: [string, string][] = [];
  const check = (what: string, cardValue: unknown, defValue: unknown): void => {
    if (!same(cardValue, defValue)) out.push([what, `card ${what} ${JSON.stringify(cardValue)} ≠ definition ${JSON.stringify(defValue)}`]);
  };
  check('id', card.id, def.id);
  check('id', card.id, basename(dir));
  check('version', card.version, def.version);
  check('jurisdiction', card.jurisdiction, def.jurisdiction);
  check('kind', card.kind, def.kind);
  check('featurizer', card.featurizer, { id: def.featurizer.id, version: def.featurizer.version });
  check('inputWidth', card.inputWidth, def.featurizer.features.length);
  check('classes', card.classes, def.classes);
  return out;
}

async function load(dir: string): Promise<LoadedModel> {
  const card = await readCard(dir);
  const definition = await importDefinition(dir);
  const problems = cardDefinitionMismatches(dir, card, definition);
  if (problems.length) throw new ModelLoadError(dir, problems[0][0], problems.map((p) => p[1]).join('; '));
  const bytes = new Uint8Array(await readFile(join(dir, card.file)));
  const sha = sha256Hex(bytes);
  if (sha !== card.sha256) throw new ModelLoadError(dir, 'sha256', `${card.file} has sha256 ${sha}, the card says ${card.sha256}`);
  const runner = await createRunner(bytes);
  if (runner.steps !== card.steps) throw new ModelLoadError(dir, 'steps', `graph has ${runner.steps} steps, the card says ${card.steps}`);
  if (runner.inputWidth !== card.inputWidth) {
    throw new ModelLoadError(dir, 'inputWidth', `graph input is 1×${runner.inputWidth}, the card says ${card.inputWidth}`);
  }
  return { dir, card, definition, runner };
}

const cache = new Map<string, Promise<LoadedModel>>();

/** Loads (once per process) and checks a model folder; a failed load is not cached. */
export function loadModel(dir: string): Promise<LoadedModel> {
  const key = resolve(dir);
  let p = cache.get(key);
  if (!p) {
    p = load(key);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
