// The one value type of the verifiable runtime (PROTOCOL.md §1): an int64 matrix, rank ≤ 2,
// batch 1 (state tensors are 1 × F; ArgMax gives 1 × 1).

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
/** rows and cols are uint16 in the encoding (PROTOCOL.md §2). */
export const MAX_DIM = 0xffff;

export interface Tensor {
  rows: number;
  cols: number;
  /** row-major, length rows × cols */
  data: BigInt64Array;
}

/** Thrown when a value or shape cannot be represented (a BigInt64Array would silently wrap). */
export class TensorRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'TensorRangeError';
  }
}

export const fitsInt64 = (v: bigint): boolean => v >= INT64_MIN && v <= INT64_MAX;

/** Builds a tensor, refusing out-of-int64 values and bad shapes instead of wrapping. */
export function tensor(rows: number, cols: number, values: Iterable<bigint | number>): Tensor {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || rows > MAX_DIM || cols > MAX_DIM) {
    throw new TensorRangeError(`shape ${rows}×${cols} is outside 0..${MAX_DIM}`);
  }
  const list = Array.from(values, (v) => BigInt(v));
  if (list.length !== rows * cols) {
    throw new TensorRangeError(`shape ${rows}×${cols} needs ${rows * cols} values, got ${list.length}`);
  }
  const data = new BigInt64Array(list.length);
  list.forEach((v, i) => {
    if (!fitsInt64(v)) throw new TensorRangeError(`value ${v} at ${i} is outside int64`);
    data[i] = v;
  });
  return { rows, cols, data };
}

/** 1 × n row vector, the shape of every state tensor. */
export const rowVector = (values: Iterable<bigint | number>): Tensor => {
  const list = Array.from(values);
  return tensor(1, list.length, list);
};

/** A featurizer's output (Featurizer.featurize) as the 1 × F input tensor t_0, without copying. */
export const rowTensor = (data: BigInt64Array): Tensor => {
  if (data.length > MAX_DIM) throw new TensorRangeError(`a row of ${data.length} values is wider than ${MAX_DIM}`);
  return { rows: 1, cols: data.length, data };
};

/** The 0 × 0 tensor: the constant of RELU, CLIP and ARGMAX steps (PROTOCOL.md §2). */
export const EMPTY_TENSOR: Tensor = Object.freeze({ rows: 0, cols: 0, data: new BigInt64Array(0) }) as Tensor;

export function tensorEquals(a: Tensor, b: Tensor): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

export const shapeOf = (t: Tensor): string => `${t.rows}×${t.cols}`;
