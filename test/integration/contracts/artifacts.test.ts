// The committed artifacts (contracts/artifacts/) equal a fresh compile of contracts/src, so
// `npm start` and the tests never run stale bytecode. Fix a failure with `npm run contracts:build`.
// The via-IR compile takes about a minute on a quiet machine and over three on a loaded one.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACT_DIR, artifactText, compileContracts } from '../../../contracts/build.js';

describe('contract artifacts', () => {
  it('committed artifacts › equal a fresh compile of contracts/src', { timeout: 900_000 }, () => {
    const fresh = compileContracts();
    const committed = readdirSync(ARTIFACT_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual([...fresh.keys()].map((n) => `${n}.json`).sort());
    for (const [name, artifact] of fresh) {
      expect(readFileSync(join(ARTIFACT_DIR, `${name}.json`), 'utf8'), `${name}.json is stale`).toBe(artifactText(artifact));
    }
  });
});
