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

  it('signTransaction › a legacy transaction (EIP-155, and chainId 0 without it) is byte-identical to ethers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(0n), uint(32)), fc.integer({ min: 0, max: 2 ** 40 }), bytes(20, 20), calldata, smallOrAny(128), smallOrAny(64), smallOrAny(128), (chainId, nonce, to, data, value, gasLimit, gasPrice) => {
        // chainId 0 included: the pre-EIP-155 form (v = 27 or 28), as ethers signs it.
        const fields = { type: 0 as const, chainId, nonce, to, data, value, gasLimit, gasPrice };
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
    // A mixed-case address with a wrong EIP-55 checksum is a typo, as ethers holds it; all-lower and all-upper carry none.
    const a = wallet.address; // checksummed; one letter's case flipped breaks the checksum
    const i = [...a].findIndex((c, k) => k > 1 && /[a-fA-F]/.test(c));
    const badCase = a.slice(0, i) + (a[i] === a[i].toLowerCase() ? a[i].toUpperCase() : a[i].toLowerCase()) + a.slice(i + 1);
    expect(() => signTransaction({ ...base, to: badCase, data: '0x' }, wallet.signingKey)).toThrow(/checksum/);
    expect(() => signTransaction({ ...base, to: wallet.address.toLowerCase(), data: '0x' }, wallet.signingKey)).not.toThrow();
    expect(() => signTransaction({ ...base, to: `0x${wallet.address.slice(2).toUpperCase()}`, data: '0x' }, wallet.signingKey)).not.toThrow();
  });

  it('signTransaction › refuses integers wider than their field (uint256 value and fees, uint64 nonce and gas), as ethers does', () => {
    const base = { type: 2 as const, chainId: 1n, nonce: 0, to: wallet.address, data: '0x', value: 0n, gasLimit: 21000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n };
    expect(() => signTransaction({ ...base, value: 1n << 256n }, wallet.signingKey)).toThrow(/too large/);
    expect(() => signTransaction({ ...base, maxFeePerGas: 1n << 256n }, wallet.signingKey)).toThrow(/too large/);
    expect(() => signTransaction({ ...base, gasLimit: 1n << 64n }, wallet.signingKey)).toThrow(/too large/);
    expect(() => signTransaction({ ...base, nonce: 2 ** 64 }, wallet.signingKey)).toThrow(/too large/);
    expect(() => signTransaction({ type: 0, chainId: 1n, nonce: 0, to: wallet.address, data: '0x', value: 0n, gasLimit: 21000n, gasPrice: 1n << 256n }, wallet.signingKey)).toThrow(/too large/);
    // The widest values that fit still sign.
    expect(() => signTransaction({ ...base, value: (1n << 256n) - 1n, gasLimit: (1n << 64n) - 1n }, wallet.signingKey)).not.toThrow();
  });

  it('encodeOpenCases › the calldata is byte-identical to ethers ABI coder, for openCases and openCasesAndSeal', () => {
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
        expect(encodeOpenCases(cs, true)).toBe(iface.encodeFunctionData('openCasesAndSeal', [cs]));
      }),
      { numRuns: 300 },
    );
  });
});
