// PROTOCOL.md §1: ONNX Runtime and the reference interpreter agree bit for bit on every shipped
// model, and every file recomputes to its card (sha256, model root, steps) and passes the
// overflow proof and the per-step bound over its featurizer's declared ranges.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyModelFile } from '../../../server/inference/model-verify.js';
import { readOnnx } from '../../../server/inference/onnx-reader.js';
import { runReference } from '../../../server/inference/reference.js';
import { createRunner } from '../../../server/inference/runner.js';
import { rowVector, tensorEquals } from '../../../server/inference/tensor.js';
import { importDefinition, readCard } from '../../../server/models/load.js';
import { modelDirs } from '../../../server/models/registry.js';

describe.each(modelDirs().map((d) => [d.split('/').pop()!, d]))('shipped model %s', (_name, dir) => {
  it('recomputes its card from the file: sha256, model root, steps, input width; proof and bound hold', async () => {
    const card = await readCard(dir);
    const def = await importDefinition(dir);
    const facts = verifyModelFile(new Uint8Array(readFileSync(join(dir, card.file))), def.featurizer.features);
    expect(facts).toEqual({ sha256: card.sha256, modelRoot: card.modelRoot, steps: card.steps, inputWidth: card.inputWidth });
  });

  it('ORT and the reference agree on every state for random and boundary inputs in the declared ranges', async () => {
    const card = await readCard(dir);
    const def = await importDefinition(dir);
    const bytes = new Uint8Array(readFileSync(join(dir, card.file)));
    const ir = readOnnx(bytes);
    const runner = await createRunner(bytes);
    const value = (f: { min: bigint; max: bigint }) => fc.oneof(fc.constantFrom(f.min, f.max), fc.bigInt(f.min, f.max));
    await fc.assert(
      fc.asyncProperty(fc.tuple(...def.featurizer.features.map(value)), async (x) => {
        const input = rowVector(x);
        const { trace } = await runner.run(input);
        const expected = runReference(ir, input);
        trace.forEach((t, k) => expect(tensorEquals(t, expected[k]), `state ${k}`).toBe(true));
      }),
      { seed: 17, numRuns: 300 },
    );
    await runner.close();
  });
});
