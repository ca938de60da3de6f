// enc(t), PROTOCOL.md §2: rows uint16 BE ‖ cols uint16 BE ‖ w uint8 ‖ values row-major, each w
// bytes big-endian two's complement, w the narrowest of 1, 2, 4, 8 holding every value (an empty
// tensor has w = 1). The width is a function of the values, so the encoding is canonical.
import { MAX_DIM, TensorRangeError, type Tensor } from './tensor.js';

export const HEADER_BYTES = 5;

// Hot path (every state of every case is encoded and hashed): read each int64 as two int32
// words of the same buffer, so widths and values need no BigInt arithmetic. Little-endian
// hosts only (x86-64, arm64), checked once.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('tensor-encoding assumes a little-endian host');

const words = (data: BigInt64Array): Int32Array => new Int32Array(data.buffer, data.byteOffset, data.length * 2);

/** Narrowest two's-complement width (1, 2, 4 or 8 bytes) holding every value. */
export function valueWidth(data: BigInt64Array): 1 | 2 | 4 | 8 {
  const w = words(data);
  let width: 1 | 2 | 4 = 1;
  for (let i = 0; i < w.length; i += 2) {
    const lo = w[i];
    if (w[i + 1] !== lo >> 31) return 8; // high word is not the sign extension of the low one
    if (lo < -32768 || lo > 32767) width = 4;
    else if (width === 1 && (lo < -128 || lo > 127)) width = 2;
  }
  return width;
}

export function encodedLength(t: Tensor): number {
  return HEADER_BYTES + t.data.length * valueWidth(t.data);
}

/** Writes enc(t) into `out` at `offset`; returns the number of bytes written. */
export function encodeTensorInto(t: Tensor, out: Uint8Array, offset: number): number {
  if (t.rows > MAX_DIM || t.cols > MAX_DIM || t.rows * t.cols !== t.data.length) {
    throw new TensorRangeError(`cannot encode a ${t.rows}×${t.cols} tensor of ${t.data.length} values`);
  }
  const w = valueWidth(t.data);
  const view = new DataView(out.buffer, out.byteOffset + offset);
  view.setUint16(0, t.rows);
  view.setUint16(2, t.cols);
  view.setUint8(4, w);
  let p = HEADER_BYTES;
  const v = words(t.data);
  if (w === 8) for (let i = 0; i < v.length; i += 2, p += 8) view.setInt32(p, v[i + 1]), view.setInt32(p + 4, v[i]);
  else if (w === 4) for (let i = 0; i < v.length; i += 2, p += 4) view.setInt32(p, v[i]);
  else if (w === 2) for (let i = 0; i < v.length; i += 2, p += 2) view.setInt16(p, v[i]);
  else for (let i = 0; i < v.length; i += 2, p += 1) out[offset + p] = v[i] & 0xff;
  return p;
}

export function encodeTensor(t: Tensor): Uint8Array {
  const out = new Uint8Array(encodedLength(t));
  encodeTensorInto(t, out, 0);
  return out;
}

/**
 * Strict inverse of encodeTensor: rejects a bad width byte, a wrong length and a non-canonical
 * (wider than needed) width, as the referee must (PROTOCOL.md §2).
 */
export function decodeTensor(bytes: Uint8Array): Tensor {
  if (bytes.length < HEADER_BYTES) throw new TensorRangeError(`tensor encoding shorter than its ${HEADER_BYTES}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = view.getUint16(0);
  const cols = view.getUint16(2);
  const w = view.getUint8(4);
  if (w !== 1 && w !== 2 && w !== 4 && w !== 8) throw new TensorRangeError(`width byte ${w} is not 1, 2, 4 or 8`);
  const n = rows * cols;
  if (bytes.length !== HEADER_BYTES + n * w) {
    throw new TensorRangeError(`a ${rows}×${cols} tensor of width ${w} takes ${HEADER_BYTES + n * w} bytes, got ${bytes.length}`);
  }
  const data = new BigInt64Array(n);
  for (let i = 0, p = HEADER_BYTES; i < n; i++, p += w) {
    data[i] = w === 8 ? view.getBigInt64(p) : BigInt(w === 4 ? view.getInt32(p) : w === 2 ? view.getInt16(p) : view.getInt8(p));
  }
  if (valueWidth(data) !== w) throw new TensorRangeError(`width ${w} is not the narrowest for these values`);
  return { rows, cols, data };
}
