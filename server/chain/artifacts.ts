// Loads the committed contract artifacts (contracts/artifacts/*.json, written by
// `npm run contracts:build`): no compiler runs at start.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'contracts', 'artifacts');

export interface ContractArtifact {
  contractName: string;
  abi: any[];
  bytecode: string;
  deployedBytecode: string;
}

const cache = new Map<string, ContractArtifact>();

export function loadArtifact(name: string): ContractArtifact {
  let a = cache.get(name);
  if (!a) {
    a = JSON.parse(readFileSync(join(ARTIFACT_DIR, `${name}.json`), 'utf8')) as ContractArtifact;
    cache.set(name, a);
  }
  return a;
}
