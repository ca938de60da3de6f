// Every shared test vector (contracts/test-vectors/, written by the TypeScript side) verifies on
// chain: encodings, state hashes, Merkle proofs, model roots, traces and each one-step case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contract } from 'ethers';
import { MalformedStepError, oneStep } from '../../../server/inference/one-step.js';
import { hexToBytes } from '../../../server/inference/hex.js';
import { deployTestContract, startChain, type ChainFixture } from './chain-fixture.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'contracts', 'test-vectors');
const vectors = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')).cases as any[];

let fx: ChainFixture;
let prover: Contract;
let harness: Contract;

beforeAll(async () => {
  fx = await startChain();
  prover = await deployTestContract('OneStepProver', fx.wallets[0]);
  harness = await deployTestContract('LibHarness', fx.wallets[0]);
});
afterAll(async () => fx?.stop());

describe('LibTensor', () => {
  for (const v of vectors('encoding')) {
    it(`decode › ${v.name}`, async () => {
      const [ok, rows, cols, width, values] = await harness.decode(v.enc);
      expect(ok).toBe(true);
      expect([Number(rows), Number(cols), Number(width)]).toEqual([v.rows, v.cols, v.width]);
      expect(values.map(String)).toEqual(v.values);
    });
    it(`encode › ${v.name}`, async () => {
      const [ok, enc] = await harness.encode(v.rows, v.cols, v.values.map(BigInt));
      expect(ok).toBe(true);
      expect(enc).toBe(v.enc);
    });
  }
});

describe('state hash', () => {
  for (const v of vectors('state-hashes')) {
    it(`stateHashOf › ${v.name}`, async () => {
      expect(await prover.stateHashOf(v.k, v.enc)).toBe(v.hash);
    });
  }
});

describe('LibMerkle', () => {
  for (const v of vectors('merkle')) {
    it(`rootOf › ${v.name}`, async () => {
      expect(await harness.rootOf(v.leaves)).toBe(v.root);
    });
    it(`verify › every proof of ${v.name}, and rejects a wrong index or a short proof`, async () => {
      for (const p of v.proofs) {
        expect(await harness.verify(v.root, p.leaf, p.index, v.leafCount, p.proof)).toBe(true);
        if (v.leafCount > 1) {
          expect(await harness.verify(v.root, p.leaf, p.index ^ 1, v.leafCount, p.proof)).toBe(false);
          expect(await harness.verify(v.root, p.leaf, p.index, v.leafCount, p.proof.slice(1))).toBe(false);
        }
        expect(await harness.verify(v.root, p.leaf, v.leafCount, v.leafCount, p.proof)).toBe(false);
      }
    });
  }
});

describe('model roots', () => {
  for (const v of vectors('model-roots')) {
    it(`stepLeaf and proof › ${v.name}`, async () => {
      for (const s of v.steps) {
        expect(await prover.stepLeaf(s.k, s.opcode, s.attrs, s.constant)).toBe(s.leaf);
        expect(await harness.verify(v.root, s.leaf, s.k - 1, v.leafCount, s.proof)).toBe(true);
      }
    });
  }
});

describe('traces', () => {
  for (const v of vectors('traces')) {
    it(`every step re-executes to the next state, proven against the trace root › ${v.name}`, async () => {
      for (const st of v.states) {
        expect(await prover.stateHashOf(st.k, st.enc)).toBe(st.hash);
        expect(await harness.verify(v.traceRoot, st.hash, st.k, v.leafCount, st.proof)).toBe(true);
      }
      for (const s of v.steps) {
        const [valid, post] = await prover.step(s.k, s.opcode, s.attrs, s.constant, v.states[s.k - 1].enc);
        expect(valid).toBe(true);
        expect(post).toBe(v.states[s.k].hash);
      }
    });
  }
});

describe('LibOneStep', () => {
  for (const v of vectors('one-step')) {
    it(`execute › ${v.name}`, async () => {
      expect(await prover.stateHashOf(v.k - 1, v.tLo)).toBe(v.sLo);
      expect(await prover.stepLeaf(v.k, v.opcode, v.attrs, v.constant)).toBe(v.leaf);
      if (v.malformed) {
        // Bytes that are no step revert; they never count as an invalid step.
        await expect(prover.execute(v.opcode, v.attrs, v.constant, v.tLo)).rejects.toThrow(/UnknownOpcode|AttrsLength|MalformedConstant|NonCanonicalConstant|ConstantShape/);
        await expect(prover.step(v.k, v.opcode, v.attrs, v.constant, v.tLo)).rejects.toThrow(/UnknownOpcode|AttrsLength|MalformedConstant|NonCanonicalConstant|ConstantShape/);
        return;
      }
      const [valid, out] = await prover.execute(v.opcode, v.attrs, v.constant, v.tLo);
      expect(valid).toBe(v.valid);
      const [validStep, post] = await prover.step(v.k, v.opcode, v.attrs, v.constant, v.tLo);
      expect(validStep).toBe(v.valid);
      if (v.valid) {
        expect(out).toBe(v.tHi);
        expect(post).toBe(v.sHi);
      } else {
        expect(post).toBe(`0x${'0'.repeat(64)}`);
      }
    });
  }
});

describe('LibOneStep › canonical constants', () => {
  it('execute › reverts on a constant wider than needed (malformed), as the TypeScript decoder refuses it', async () => {
    // ADD 1×2 with [1, 2] encoded at width 2 instead of 1.
    await expect(prover.execute(2, '0x', '0x00010002020001' + '0002', '0x00010002010506')).rejects.toThrow(/NonCanonicalConstant/);
    expect(() => oneStep(hexToBytes('0x00010002010506'), 2, new Uint8Array(0), hexToBytes('0x000100020200010002'))).toThrow(MalformedStepError);
    const [validNarrow, out] = await prover.execute(2, '0x', '0x000100020101' + '02', '0x00010002010506');
    expect(validNarrow).toBe(true);
    expect(out).toBe('0x00010002010608');
  });
});
