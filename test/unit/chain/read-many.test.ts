// server/chain/read-many.ts's hand-written ABI against ethers, on random inputs: ReadMany's
// constructor arguments (address[], bytes[]) appended to its creation code, and its answer
// abi.encode(uint256, uint256, bool[], bytes[]) decoded, reverted reads included.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AbiCoder, hexlify } from 'ethers';
import { decodeReadMany, encodeReadMany } from '../../../server/chain/read-many.js';
import { loadArtifact } from '../../../server/chain/artifacts.js';

const coder = AbiCoder.defaultAbiCoder();
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => hexlify(b));
// Lengths around a word's boundary (31, 32, 33 bytes) and empty calldata come up often.
const calldata = fc.oneof(fc.constant('0x'), bytes(4, 4), bytes(31, 33), bytes(36, 36), bytes(0, 400));
const address = bytes(20, 20);

describe('ReadMany encoding', () => {
  it('encodeReadMany › the creation code followed by the constructor arguments, byte-identical to ethers', () => {
    const code = loadArtifact('ReadMany').bytecode;
    fc.assert(
      fc.property(fc.array(fc.record({ to: address, data: calldata }), { maxLength: 20 }), (reads) => {
        const expected = code + coder.encode(['address[]', 'bytes[]'], [reads.map((r) => r.to), reads.map((r) => r.data)]).slice(2);
        expect(encodeReadMany(reads)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('decodeReadMany › block number, timestamp and each answer as ethers decodes them; a reverted read is undefined', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.array(fc.record({ ok: fc.boolean(), data: calldata }), { maxLength: 20 }),
        (blockNumber, timestamp, answers) => {
          const encoded = coder.encode(['uint256', 'uint256', 'bool[]', 'bytes[]'], [blockNumber, timestamp, answers.map((a) => a.ok), answers.map((a) => a.data)]);
          const got = decodeReadMany(encoded);
          expect(got.blockNumber).toBe(blockNumber);
          expect(got.timestamp).toBe(timestamp);
          expect(got.answers).toEqual(answers.map((a) => (a.ok ? a.data.toLowerCase() : undefined)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodeReadMany › refuses an answer whose two lists differ in length', () => {
    const encoded = coder.encode(['uint256', 'uint256', 'bool[]', 'bytes[]'], [1, 2, [true, true], ['0x01']]);
    expect(() => decodeReadMany(encoded)).toThrow(/malformed/);
  });
});
