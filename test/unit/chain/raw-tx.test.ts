// server/chain/raw-tx.ts against ethers, bit for bit, on random inputs: the signed transaction
// (EIP-1559 and legacy EIP-155) with its hash, and openCases calldata.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Interface, Transaction, Wallet, hexlify } from 'ethers';
import { encodeOpenCases, signTransaction } from '../../../server/chain/raw-tx.js';
import { abiOf } from '../../../server/chain/contracts.js';

const wallet = new Wallet('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'); // anvil dev key 1 (public)
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => hexlify(b));
const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
// Values around RLP's boundaries (0, 1 byte below 0x80, 55/56-byte strings) come up often.
const smallOrAny = (bits: number) => fc.oneof(fc.constantFrom(0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n), uint(bits));
const calldata = fc.oneof(fc.constant('0x'), bytes(1, 1), bytes(54, 58), bytes(0, 3000));

describe('raw transactions', () => {
  it('signTransaction › an EIP-1559 transaction is byte-identical to ethers', () => {
    fc.assert(
      fc.property(uint(64), fc.integer({ min: 0, max: 2 ** 40 }), bytes(20, 20), calldata, smallOrAny(128), smallOrAny(64), smallOrAny(128), smallOrAny(128), (chainId, nonce, to, data, value, gasLimit, extra, tip) => {
        const fields = { type: 2 as const, chainId, nonce, to, data, value, gasLimit, maxFeePerGas: tip + extra, maxPriorityFeePerGas: tip };
        const ours = signTransaction(fields, wallet.signingKey);
        const tx = Transaction.from(fields);
        tx.signature = wallet.signingKey.sign(tx.unsignedHash);
        expect(ours.serialized).toBe(tx.serialized);
        expect(ours.hash).toBe(tx.hash);
      }),
      { numRuns: 300 },
    );
  });

  it('signTransaction › a legacy EIP-155 transaction is byte-identical to ethers', () => {
    fc.assert(
      fc.property(uint(32), fc.integer({ min: 0, max: 2 ** 40 }), bytes(20, 20), calldata, smallOrAny(128), smallOrAny(64), smallOrAny(128), (chainId, nonce, to, data, value, gasLimit, gasPrice) => {
        const fields = { type: 0 as const, chainId: chainId + 1n, nonce, to, data, value, gasLimit, gasPrice };
        const ours = signTransaction(fields, wallet.signingKey);
        const tx = Transaction.from(fields);
        tx.signature = wallet.signingKey.sign(tx.unsignedHash);
        expect(ours.serialized).toBe(tx.serialized);
        expect(ours.hash).toBe(tx.hash);
      }),
      { numRuns: 300 },
    );
  });

  it('signTransaction › refuses a malformed address or calldata rather than sending garbage', () => {
    const base = { type: 2 as const, chainId: 1n, nonce: 0, value: 0n, gasLimit: 21000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n };
    expect(() => signTransaction({ ...base, to: '0x1234', data: '0x' }, wallet.signingKey)).toThrow(/not an address/);
    expect(() => signTransaction({ ...base, to: wallet.address, data: '0x123' }, wallet.signingKey)).toThrow(/hex/);
    expect(() => signTransaction({ ...base, to: wallet.address, data: '0xzz' }, wallet.signingKey)).toThrow(/hex/);
    expect(() => signTransaction({ ...base, to: wallet.address, data: '0x', maxPriorityFeePerGas: 2n }, wallet.signingKey)).toThrow(/more than maxFeePerGas/);
  });

  it('encodeOpenCases › the calldata is byte-identical to ethers ABI coder', () => {
    const iface = new Interface(abiOf('Arbitration'));
    const opening = fc.record({
      ref: bytes(32, 32),
      modelId: bytes(32, 32),
      s0: bytes(32, 32),
      claimant: bytes(20, 20),
      respondent: bytes(20, 20),
      value: smallOrAny(256),
      awards: fc.oneof(fc.constant('0x'), bytes(1, 40), bytes(0, 1000)),
    });
    fc.assert(
      fc.property(fc.array(opening, { maxLength: 12 }), (cs) => {
        expect(encodeOpenCases(cs)).toBe(iface.encodeFunctionData('openCases', [cs]));
      }),
      { numRuns: 300 },
    );
  });
});
