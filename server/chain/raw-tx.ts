// Signed transactions and the pipeline's busiest calldata, encoded with Buffers. ethers builds a
// transaction by converting every field and the whole calldata between hex strings and byte
// arrays in JavaScript, several times (RLP, the unsigned hash, the signed form), and its ABI coder
// walks a 100-case openCases argument field by field: together about 1 ms of the service's CPU
// per case opened (docs/pipeline-bench.md). These produce the same bytes (test/unit/chain/raw-tx.test.ts
// checks them against ethers on random inputs); anything unusual (an access list, a blob) stays
// with ethers.
import { getAddress, type SigningKey } from 'ethers';
import { keccak256Wasm } from '../inference/keccak-wasm.js';

/**
 * An integer as RLP wants it: big-endian, no leading zero bytes (0 is the empty string), within
 * its field's width (uint256 for value and fees, uint64 for nonce and gas, as ethers checks).
 */
function intBytes(v: bigint | number, bits = 256): Buffer {
  const n = BigInt(v);
  if (n < 0n) throw new RangeError(`negative integer in a transaction: ${n}`);
  if (n >= 1n << BigInt(bits)) throw new RangeError(`integer too large for a uint${bits} field of a transaction: ${n}`);
  if (n === 0n) return Buffer.alloc(0);
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

function hexBytes(hex: string): Buffer {
  const h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  // Buffer stops at the first pair that is not hex: a shorter result is how a bad digit shows.
  const b = Buffer.from(h, 'hex');
  if (h.length % 2 || b.length * 2 !== h.length) throw new TypeError(`not a hex byte string: ${hex.slice(0, 20)}…`);
  return b;
}

/** An address's 20 bytes; a mixed-case address must carry a valid EIP-55 checksum (a typo guard, as ethers). */
function addressBytes(a: string, what: string): Buffer {
  const b = hexBytes(a);
  if (b.length !== 20) throw new TypeError(`${what}: not an address: ${a}`);
  const h = a.slice(2);
  if (h !== h.toLowerCase() && h !== h.toUpperCase()) getAddress(a); // throws on a bad checksum
  return b;
}

function rlpLength(len: number, short: number): Buffer {
  if (len <= 55) return Buffer.from([short + len]);
  const l = intBytes(len);
  return Buffer.concat([Buffer.from([short + 55 + l.length]), l]);
}

type Rlp = Buffer | Rlp[];
function rlp(item: Rlp): Buffer {
  if (Buffer.isBuffer(item)) {
    if (item.length === 1 && item[0] < 0x80) return item;
    return Buffer.concat([rlpLength(item.length, 0x80), item]);
  }
  const payload = Buffer.concat(item.map(rlp));
  return Buffer.concat([rlpLength(payload.length, 0xc0), payload]);
}

export interface RawTxFields {
  /** 2 (EIP-1559, maxFeePerGas/maxPriorityFeePerGas) or 0 (legacy with EIP-155, gasPrice). */
  type: 0 | 2;
  chainId: bigint;
  nonce: number;
  to: string;
  data: string;
  value: bigint;
  gasLimit: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  gasPrice?: bigint;
}

/** The signed transaction, 0x-hex, ready for eth_sendRawTransaction; and its hash. */
export function signTransaction(f: RawTxFields, key: SigningKey): { serialized: string; hash: string } {
  const to = addressBytes(f.to, 'to');
  const data = hexBytes(f.data);
  if (f.type === 2) {
    if (f.maxFeePerGas === undefined || f.maxPriorityFeePerGas === undefined) throw new TypeError('an EIP-1559 transaction needs maxFeePerGas and maxPriorityFeePerGas');
    if (f.maxPriorityFeePerGas > f.maxFeePerGas) throw new RangeError(`maxPriorityFeePerGas ${f.maxPriorityFeePerGas} is more than maxFeePerGas ${f.maxFeePerGas}`);
    const fields: Rlp[] = [intBytes(f.chainId), intBytes(f.nonce, 64), intBytes(f.maxPriorityFeePerGas), intBytes(f.maxFeePerGas), intBytes(f.gasLimit, 64), to, intBytes(f.value), data, []];
    const unsigned = Buffer.concat([Buffer.from([2]), rlp(fields)]);
    const sig = key.sign(keccak256Wasm(unsigned));
    const signed = Buffer.concat([Buffer.from([2]), rlp([...fields, intBytes(sig.yParity), intBytes(BigInt(sig.r)), intBytes(BigInt(sig.s))])]);
    return { serialized: `0x${signed.toString('hex')}`, hash: `0x${Buffer.from(keccak256Wasm(signed)).toString('hex')}` };
  }
  if (f.gasPrice === undefined) throw new TypeError('a legacy transaction needs gasPrice');
  const base: Rlp[] = [intBytes(f.nonce, 64), intBytes(f.gasPrice), intBytes(f.gasLimit, 64), to, intBytes(f.value), data];
  // chainId 0: the pre-EIP-155 form (six fields signed, v = 27 or 28), as ethers signs it.
  const unsigned = rlp(f.chainId === 0n ? base : [...base, intBytes(f.chainId), Buffer.alloc(0), Buffer.alloc(0)]);
  const sig = key.sign(keccak256Wasm(unsigned));
  const v = f.chainId === 0n ? 27n + BigInt(sig.yParity) : f.chainId * 2n + 35n + BigInt(sig.yParity);
  const signed = rlp([...base, intBytes(v), intBytes(BigInt(sig.r)), intBytes(BigInt(sig.s))]);
  return { serialized: `0x${signed.toString('hex')}`, hash: `0x${Buffer.from(keccak256Wasm(signed)).toString('hex')}` };
}

/** One case of Arbitration.openCases(CaseOpening[]), as the contract's struct orders it. */
export interface CaseOpeningArg {
  ref: string;
  modelId: string;
  s0: string;
  claimant: string;
  respondent: string;
  value: bigint;
  awards: string;
}

const OPEN_CASES_SELECTOR = Buffer.from('5819b6eb', 'hex'); // openCases((bytes32,bytes32,bytes32,address,address,uint256,bytes)[])
const OPEN_CASES_AND_SEAL_SELECTOR = Buffer.from('89d69e86', 'hex'); // openCasesAndSeal(the same)

function word(b: Buffer, what: string): Buffer {
  if (b.length !== 32) throw new TypeError(`${what}: expected 32 bytes, got ${b.length}`);
  return b;
}
function uintWord(v: bigint | number, what: string): Buffer {
  const n = BigInt(v);
  if (n < 0n || n >= 1n << 256n) throw new RangeError(`${what}: out of range for uint256`);
  return Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
}
function addressWord(a: string, what: string): Buffer {
  return Buffer.concat([Buffer.alloc(12), addressBytes(a, what)]);
}

/**
 * Calldata of openCases(cs), or of openCasesAndSeal(cs) when `seal`, as ethers' ABI coder encodes
 * it (head of offsets, then each tuple with its awards bytes).
 */
export function encodeOpenCases(cs: CaseOpeningArg[], seal = false): string {
  const tuples = cs.map((c, i) => {
    const awards = hexBytes(c.awards);
    const pad = (32 - (awards.length % 32)) % 32;
    return Buffer.concat([
      word(hexBytes(c.ref), `cs[${i}].ref`),
      word(hexBytes(c.modelId), `cs[${i}].modelId`),
      word(hexBytes(c.s0), `cs[${i}].s0`),
      addressWord(c.claimant, `cs[${i}].claimant`),
      addressWord(c.respondent, `cs[${i}].respondent`),
      uintWord(c.value, `cs[${i}].value`),
      uintWord(7 * 32, 'offset'), // the awards follow the tuple's seven head words
      uintWord(awards.length, 'length'),
      awards,
      Buffer.alloc(pad),
    ]);
  });
  const offsets: Buffer[] = [];
  let at = cs.length * 32;
  for (const t of tuples) {
    offsets.push(uintWord(at, 'offset'));
    at += t.length;
  }
  return `0x${Buffer.concat([seal ? OPEN_CASES_AND_SEAL_SELECTOR : OPEN_CASES_SELECTOR, uintWord(32, 'offset'), uintWord(cs.length, 'length'), ...offsets, ...tuples]).toString('hex')}`;
}
