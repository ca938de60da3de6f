// enc(t), PROTOCOL.md §2: rows uint16 BE ‖ cols uint16 BE ‖ w uint8 ‖ values row-major, each w
// bytes big-endian two's complement, w the narrowest of 1, 2, 4, 8 holding every value (an empty
// tensor has w = 1). The width is a function of the values, so the encoding is canonical.
import { MAX_DIM, TensorRangeError, type Tensor } from './tensor.js';

export const HEADER_BYTES = 5;

const I8 = 1n << 7n;
const I16 = 1n << 15n;
const I32 = 1n << 31n;

/** Narrowest two's-complement width (1, 2, 4 or 8 bytes) holding every value. */
export function valueWidth(data: BigInt64Array): 1 | 2 | 4 | 8 {
  let lo = 0n;
  let hi = 0n;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  if (lo >= -I8 && hi < I8) return 1;
  if (lo >= -I16 && hi < I16) return 2;
  if (lo >= -I32 && hi < I32) return 4;
  return 8;
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
  const d = t.data;
  if (w === 8) for (let i = 0; i < d.length; i++, p += 8) view.setBigInt64(p, d[i]);
  else if (w === 4) for (let i = 0; i < d.length; i++, p += 4) view.setInt32(p, Number(d[i]));
  else if (w === 2) for (let i = 0; i < d.length; i++, p += 2) view.setInt16(p, Number(d[i]));
  else for (let i = 0; i < d.length; i++, p += 1) view.setInt8(p, Number(d[i]));
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
