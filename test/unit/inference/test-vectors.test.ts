import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTestVectors, serializeVectors, TEST_VECTOR_DIR } from '../../../server/inference/test-vectors.js';

describe('test vectors', () => {
  const fresh = generateTestVectors();

  it.each(Object.keys(fresh))('committed %s equals a fresh generation', (file) => {
    expect(readFileSync(join(TEST_VECTOR_DIR, file), 'utf8')).toBe(serializeVectors(fresh[file]));
  });

  it('covers every opcode with a valid and an invalid one-step case', () => {
    const cases = (fresh['one-step.json'] as { cases: { opcode: number; valid: boolean }[] }).cases;
    for (let op = 1; op <= 7; op++) {
      expect(cases.some((c) => c.opcode === op && c.valid)).toBe(true);
      expect(cases.some((c) => c.opcode === op && !c.valid)).toBe(true);
    }
  });
});
