// 0x-hex ⇄ bytes, the textual form of hashes in JSON, the claim and the chain client.

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** The two ASCII codes of each byte's hex digits, at 2b and 2b + 1. */
const HEX_CODES = Uint8Array.from(HEX_BYTE.flatMap((h) => [h.charCodeAt(0), h.charCodeAt(1)]));
/** "0x" and the digits are written here and read back as one latin1 string (grown when needed). */
let hexOut = Buffer.alloc(2 + 2 * 64);
hexOut[0] = 0x30;
hexOut[1] = 0x78;

/**
 * `0x` and two lower-case hex digits per byte. Written as ASCII codes and read back as one flat
 * string: a hash is two per decided case (S_0, the trace root), and 33 string concatenations made
 * a rope of 33 pieces each time (~1 µs and ~1 KB of garbage per hash).
 */
export function bytesToHex(bytes: Uint8Array): string {
  const n = bytes.length;
  if (2 + 2 * n > hexOut.length) {
    hexOut = Buffer.alloc(2 + 4 * n);
    hexOut[0] = 0x30;
    hexOut[1] = 0x78;
  }
  const out = hexOut;
  for (let i = 0, p = 2; i < n; i++, p += 2) {
    const b = 2 * bytes[i];
    out[p] = HEX_CODES[b];
    out[p + 1] = HEX_CODES[b + 1];
  }
  return out.toString('latin1', 0, 2 + 2 * n);
}

export function hexToBytes(hex: string): Uint8Array {
  const h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new TypeError(`not a hex byte string: ${hex}`);
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}
