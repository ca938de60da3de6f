// keccak256 as a WebAssembly function assembled here at module load (no binary artifact, no
// toolchain): `keccak(inPtr, len, outPtr)` over the module's own memory. It exists for the per-case
// hot path (trace-root.ts commitTrace): the caller writes its messages straight into `memory` and gets
// the digests there, so one hash costs one WASM call — no per-call copies, wrappers or
// allocations (hash-wasm's init/update/digest costs ~0.2 µs and an allocation per hash on top of
// the permutation). Keccak-f[1600] runs as a loop of 12 passes of two unrolled rounds: measured
// ~0.35 µs per block against ~0.47 µs fully unrolled (and hash-wasm's ~0.5 µs) — the 24-round
// body was too big for V8 and the instruction cache. keccak2 does the same on two messages at
// once in 128-bit SIMD (~0.42 µs for the pair). Rotation offsets and round constants are derived
// below from their definitions (FIPS 202 §3.2), not typed in. Bit-identity with hash-wasm (and so with Solidity's keccak256) is a unit test over
// every length 0..600 and random messages (test/unit/inference/keccak-wasm.test.ts).
//
// Memory layout: [0, SCRATCH) is the functions' own (padding blocks, lane arrays); callers use
// [SCRATCH, memory.buffer.byteLength) freely (`ensureScratch` grows it).

const RATE = 136; // bytes, keccak256: 1600 − 2·256 bits
const PAD = 0; // and PAD_B (keccak2's second message)
const PAD_B = 136;
const RC_TABLE = 272; // 24 round constants, little-endian i64 (the module's data segment)
const STATE = 512; // and STATE_E: the two 200-byte lane arrays of keccak
const STATE_E = 768;
const STATE2 = 1024; // and STATE2_E: keccak2's two 400-byte arrays of lane pairs
const STATE2_E = 1536;
export const SCRATCH = 2048;

/** ρ offsets r[x + 5y] and ι constants RC[i] (FIPS 202 Algorithms 2 and 5/6). */
function keccakConstants(): { rho: number[]; rc: bigint[] } {
  const rho = new Array<number>(25).fill(0);
  for (let t = 0, x = 1, y = 0; t < 24; t++) {
    rho[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  const rc: bigint[] = [];
  let r = 1; // LFSR x^8 + x^6 + x^5 + x^4 + 1
  for (let i = 0; i < 24; i++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) {
      if (r & 1) c |= 1n << BigInt((1 << j) - 1);
      r = r & 0x80 ? ((r << 1) ^ 0x171) & 0xff : r << 1;
    }
    rc.push(c);
  }
  return { rho, rc };
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (v: bigint): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) return out.push(b), out;
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

const I32 = 0x7f;
const I64 = 0x7e;
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(BigInt(v))],
  i64: (v: bigint) => [0x42, ...sleb(BigInt.asIntN(64, v))],
  i64load: (offset: number) => [0x29, 3, ...uleb(offset)],
  i64store: (offset: number) => [0x37, 3, ...uleb(offset)],
  i32load8u: (offset: number) => [0x2d, 0, ...uleb(offset)],
  i32store8: (offset: number) => [0x3a, 0, ...uleb(offset)],
  i64xor: [0x85],
  i64and: [0x83],
  i64rotl: [0x89],
  i32add: [0x6a],
  i32sub: [0x6b],
  i32mul: [0x6c],
  i32divu: [0x6e],
  i32eq: [0x46],
  i32ne: [0x47],
  i32or: [0x72],
  i32and: [0x71],
  i32shrU: [0x76],
  i32gtU: [0x4b],
  i32geU: [0x4f],
  i32load: (offset: number) => [0x28, 2, ...uleb(offset)],
  i32wrapI64: [0xa7],
  i64extendI32S: [0xac],
  i64ne: [0x52],
  block: [0x02, 0x40],
  else: [0x05],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  memoryFill: [0xfc, 0x0b, 0x00],
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
  // 128-bit SIMD (two i64 lanes)
  v128load: (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)],
  v128store: (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)],
  v128const2: (v: bigint) => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    new DataView(b.buffer).setBigUint64(8, BigInt.asUintN(64, v), true);
    return [0xfd, 0x0c, ...b];
  },
  v128load64splat: (offset: number) => [0xfd, 0x0a, 3, ...uleb(offset)],
  v128andnot: [0xfd, 0x4f],
  v128or: [0xfd, 0x50],
  v128xor: [0xfd, 0x51],
  i64x2shl: [0xfd, ...uleb(0xcb)],
  i64x2shrU: [0xfd, ...uleb(0xcd)],
};
const V128 = 0x7b;

/** keccak(in: i32, len: i32, out: i32): one message. */
function keccakBody(rho: number[], rc: bigint[]): number[] {
  // locals: params 0..2; b[6] 3..8 (b[5]: χ output), c[5] 9..13, d[5] 14..18 (i64); blocks 19, p 20, tail 21 (i32)
  const IN = 0, LEN = 1, OUT = 2;
  const b = (i: number) => 3 + i;
  const c = (i: number) => 9 + i;
  const d = (i: number) => 14 + i;
  const BLOCKS = 19, P = 20, TAIL = 21, R = 22;
  const code: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) code.push(...p); };

  // blocks = ⌊len / 136⌋ full blocks; tail = the rest, padded in PAD (pad10*1 with the keccak 0x01 domain byte)
  emit(op.get(LEN), op.i32(RATE), op.i32divu, op.set(BLOCKS));
  emit(op.get(LEN), op.get(BLOCKS), op.i32(RATE), op.i32mul, op.i32sub, op.set(TAIL));
  emit(op.i32(PAD), op.i32(0), op.i32(RATE), op.memoryFill);
  emit(op.i32(PAD), op.get(IN), op.get(BLOCKS), op.i32(RATE), op.i32mul, op.i32add, op.get(TAIL), op.memoryCopy);
  emit(op.i32(PAD), op.get(TAIL), op.i32add, op.i32(1), op.i32store8(0));
  emit(op.i32(PAD), op.i32(PAD), op.i32load8u(RATE - 1), op.i32(0x80), op.i32or, op.i32store8(RATE - 1));
  emit(op.get(BLOCKS), op.i32(1), op.i32add, op.set(BLOCKS));
  emit(op.get(IN), op.set(P));
  emit(op.i32(STATE), op.i32(0), op.i32(200), op.memoryFill);
  emit(op.loop);
  {
    // the last block is the padded one
    emit(op.get(BLOCKS), op.i32(1), op.i32eq, op.if, op.i32(PAD), op.set(P), op.end);
    for (let j = 0; j < RATE / 8; j++) emit(op.i32(0), op.i32(0), op.i64load(STATE + 8 * j), op.get(P), op.i64load(8 * j), op.i64xor, op.i64store(STATE + 8 * j));
    // Lanes live in memory, two 200-byte states used in turn (A → E → A …; 24 rounds, so the
    // state ends where it began); only C, D and one output plane's B are locals. Each output
    // plane is finished (ρ, π, χ, ι) as soon as its five inputs are known. Measured faster under
    // V8 than all 25 lanes in locals (register pressure: spills cost more than these loads).
    const lane = (base: number, i: number) => [...op.i32(0), ...op.i64load(base + 8 * i)];
    // θ's column parities C of the first round; each round's χ accumulates the next round's
    for (let x = 0; x < 5; x++) {
      emit(lane(STATE, x), lane(STATE, x + 5), op.i64xor, lane(STATE, x + 10), op.i64xor, lane(STATE, x + 15), op.i64xor, lane(STATE, x + 20), op.i64xor, op.set(c(x)));
    }
    const round = (from: number, to: number, rcOffset: number) => {
      // θ: D[x] = C[x − 1] ⊕ rotl(C[x + 1], 1)
      for (let x = 0; x < 5; x++) emit(op.get(c((x + 4) % 5)), op.get(c((x + 1) % 5)), op.i64(1n), op.i64rotl, op.i64xor, op.set(d(x)));
      for (let Y = 0; Y < 5; Y++) {
        // ρ and π: B[X, Y] = rotl(A[x, y] ⊕ D[x], r[x, y]) with X = y, Y = 2x + 3y, i.e. x = 3(Y − 3X) mod 5
        for (let X = 0; X < 5; X++) {
          const y = X;
          const x = (3 * (((Y - 3 * X) % 5) + 5)) % 5;
          const r = rho[x + 5 * y];
          emit(lane(from, x + 5 * y), op.get(d(x)), op.i64xor);
          if (r) emit(op.i64(BigInt(r)), op.i64rotl);
          emit(op.set(b(X)));
        }
        // χ and ι (RC from the table: the round loop is rolled, see below)
        for (let X = 0; X < 5; X++) {
          emit(op.i32(0), op.get(b(X)), op.get(b((X + 1) % 5)), op.i64(-1n), op.i64xor, op.get(b((X + 2) % 5)), op.i64and, op.i64xor);
          if (X === 0 && Y === 0) emit(op.get(R), op.i64load(RC_TABLE + rcOffset), op.i64xor);
          if (Y === 0) emit(op.tee(c(X)), op.i64store(to + 8 * (X + 5 * Y)));
          else emit(op.tee(b(5)), op.i64store(to + 8 * (X + 5 * Y)), op.get(c(X)), op.get(b(5)), op.i64xor, op.set(c(X)));
        }
      }
    };
    // 12 × two rounds (A → E → A): the loop keeps the code small (instruction cache, shared with
    // ONNX Runtime and the featurizers on the decide path), two rounds per pass keep the lane
    // arrays fixed per round.
    emit(op.i32(0), op.set(R), op.loop);
    round(STATE, STATE_E, 0);
    round(STATE_E, STATE, 8);
    emit(op.get(R), op.i32(16), op.i32add, op.tee(R), op.i32(8 * 24), op.i32ne, op.brIf(0), op.end);
    emit(op.get(P), op.i32(RATE), op.i32add, op.set(P));
    emit(op.get(BLOCKS), op.i32(1), op.i32sub, op.tee(BLOCKS), op.brIf(0));
  }
  emit(op.end);
  for (let j = 0; j < 4; j++) emit(op.get(OUT), op.i32(0), op.i64load(STATE + 8 * j), op.i64store(8 * j));
  emit(op.end);

  const locals = vec([[16, I64], [4, I32]].map(([n, t]) => [...uleb(n), t]));
  return [...locals, ...code];
}

/**
 * keccak2(inA, lenA, outA, inB, lenB, outB): two messages with the same number of blocks
 * (⌊lenA / 136⌋ = ⌊lenB / 136⌋, the caller's precondition) in one pass of 128-bit SIMD, lane j of
 * both states side by side. The same rounds as keccak, on lane pairs; ~2× the throughput where a
 * trace has pairs (its one-block states, every Merkle level).
 */
function keccak2Body(rho: number[], rc: bigint[]): number[] {
  // params: inA 0, lenA 1, outA 2, inB 3, lenB 4, outB 5; locals: b[5] 6..10, c[5] 11..15,
  // d[5] 16..20, t 21 (v128); blocks 22, pA 23, pB 24, tailA 25, tailB 26 (i32)
  const IN_A = 0, LEN_A = 1, OUT_A = 2, IN_B = 3, LEN_B = 4, OUT_B = 5;
  const b = (i: number) => 6 + i;
  const c = (i: number) => 11 + i;
  const d = (i: number) => 16 + i;
  const T = 21, BLOCKS = 22, PA = 23, PB = 24, TAIL_A = 25, TAIL_B = 26, R = 27;
  const code: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) code.push(...p); };
  const rotl = (r: number): number[] => [...op.tee(T), ...op.i32(r), ...op.i64x2shl, ...op.get(T), ...op.i32(64 - r), ...op.i64x2shrU, ...op.v128or];

  emit(op.get(LEN_A), op.i32(RATE), op.i32divu, op.set(BLOCKS));
  for (const [IN, LEN, TAIL, PADX] of [[IN_A, LEN_A, TAIL_A, PAD], [IN_B, LEN_B, TAIL_B, PAD_B]]) {
    emit(op.get(LEN), op.get(BLOCKS), op.i32(RATE), op.i32mul, op.i32sub, op.set(TAIL));
    emit(op.i32(PADX), op.i32(0), op.i32(RATE), op.memoryFill);
    emit(op.i32(PADX), op.get(IN), op.get(BLOCKS), op.i32(RATE), op.i32mul, op.i32add, op.get(TAIL), op.memoryCopy);
    emit(op.i32(PADX), op.get(TAIL), op.i32add, op.i32(1), op.i32store8(0));
    emit(op.i32(PADX), op.i32(PADX), op.i32load8u(RATE - 1), op.i32(0x80), op.i32or, op.i32store8(RATE - 1));
  }
  emit(op.get(BLOCKS), op.i32(1), op.i32add, op.set(BLOCKS));
  emit(op.get(IN_A), op.set(PA), op.get(IN_B), op.set(PB));
  emit(op.i32(STATE2), op.i32(0), op.i32(400), op.memoryFill);
  emit(op.loop);
  {
    emit(op.get(BLOCKS), op.i32(1), op.i32eq, op.if, op.i32(PAD), op.set(PA), op.i32(PAD_B), op.set(PB), op.end);
    for (let j = 0; j < RATE / 8; j++) {
      emit(op.i32(0), op.i32(0), op.i64load(STATE2 + 16 * j), op.get(PA), op.i64load(8 * j), op.i64xor, op.i64store(STATE2 + 16 * j));
      emit(op.i32(0), op.i32(0), op.i64load(STATE2 + 16 * j + 8), op.get(PB), op.i64load(8 * j), op.i64xor, op.i64store(STATE2 + 16 * j + 8));
    }
    const lane = (base: number, i: number) => [...op.i32(0), ...op.v128load(base + 16 * i)];
    for (let x = 0; x < 5; x++) {
      emit(lane(STATE2, x), lane(STATE2, x + 5), op.v128xor, lane(STATE2, x + 10), op.v128xor, lane(STATE2, x + 15), op.v128xor, lane(STATE2, x + 20), op.v128xor, op.set(c(x)));
    }
    const round = (from: number, to: number, rcOffset: number) => {
      for (let x = 0; x < 5; x++) emit(op.get(c((x + 4) % 5)), op.get(c((x + 1) % 5)), rotl(1), op.v128xor, op.set(d(x)));
      for (let Y = 0; Y < 5; Y++) {
        for (let X = 0; X < 5; X++) {
          const y = X;
          const x = (3 * (((Y - 3 * X) % 5) + 5)) % 5;
          const r = rho[x + 5 * y];
          emit(lane(from, x + 5 * y), op.get(d(x)), op.v128xor);
          if (r) emit(rotl(r));
          emit(op.set(b(X)));
        }
        for (let X = 0; X < 5; X++) {
          // b[X] ⊕ (¬b[X + 1] ∧ b[X + 2]); v128.andnot(p, q) = p ∧ ¬q
          emit(op.i32(0), op.get(b(X)), op.get(b((X + 2) % 5)), op.get(b((X + 1) % 5)), op.v128andnot, op.v128xor);
          if (X === 0 && Y === 0) emit(op.get(R), op.v128load64splat(RC_TABLE + rcOffset), op.v128xor);
          if (Y === 0) emit(op.tee(c(X)), op.v128store(to + 16 * (X + 5 * Y)));
          else emit(op.tee(T), op.v128store(to + 16 * (X + 5 * Y)), op.get(c(X)), op.get(T), op.v128xor, op.set(c(X)));
        }
      }
    };
    emit(op.i32(0), op.set(R), op.loop);
    round(STATE2, STATE2_E, 0);
    round(STATE2_E, STATE2, 8);
    emit(op.get(R), op.i32(16), op.i32add, op.tee(R), op.i32(8 * 24), op.i32ne, op.brIf(0), op.end);
    emit(op.get(PA), op.i32(RATE), op.i32add, op.set(PA), op.get(PB), op.i32(RATE), op.i32add, op.set(PB));
    emit(op.get(BLOCKS), op.i32(1), op.i32sub, op.tee(BLOCKS), op.brIf(0));
  }
  emit(op.end);
  for (let j = 0; j < 4; j++) {
    emit(op.get(OUT_A), op.i32(0), op.i64load(STATE2 + 16 * j), op.i64store(8 * j));
    emit(op.get(OUT_B), op.i32(0), op.i64load(STATE2 + 16 * j + 8), op.i64store(8 * j));
  }
  emit(op.end);
  const locals = vec([[16, V128], [6, I32]].map(([n, t]) => [...uleb(n), t]));
  return [...locals, ...code];
}

/**
 * encode(k, rows, cols, raw, n, msg) → length: writes uint32 k ‖ enc(t) (PROTOCOL.md §2,
 * tensor-encoding.ts: rows, cols as uint16, the width byte w ∈ {1, 2, 4, 8} — the least that holds
 * every value as a signed integer — then each value big-endian in w bytes) at `msg`, from the n
 * int64 values (little-endian) at `raw`; returns its length 9 + w·n. For trace-root.ts: the JS
 * loop it replaces (a DataView store per value) cost about a third of the trace commitment.
 */
function encodeBody(): number[] {
  // params: k 0, rows 1, cols 2, raw 3, n 4, msg 5; locals: w 6, i 7, end 8, p 9, lo 10 (i32), v 11 (i64)
  const K = 0, ROWS = 1, COLS = 2, RAW = 3, N = 4, MSG = 5;
  const W = 6, I = 7, END = 8, P = 9, LO = 10, V = 11;
  const code: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) code.push(...p); };
  /** store8 at p + offset of (x >>> shift) */
  const byte = (x: number[], shift: number, offset: number): number[] =>
    [...op.get(P), ...x, ...(shift ? [...op.i32(shift), ...op.i32shrU] : []), ...op.i32store8(offset)];

  emit(op.get(RAW), op.get(N), op.i32(8), op.i32mul, op.i32add, op.set(END));
  // w: 8 if some value is not a sign-extended int32, else 4 if some is outside int16, else 2 if
  // some is outside int8, else 1
  emit(op.i32(1), op.set(W), op.get(RAW), op.set(I));
  emit(op.block, op.loop);
  {
    emit(op.get(I), op.get(END), op.i32geU, op.brIf(1));
    emit(op.get(I), op.i64load(0), op.tee(V), op.get(V), op.i32wrapI64, op.tee(LO), op.i64extendI32S, op.i64ne);
    emit(op.if, op.i32(8), op.set(W), op.br(2), op.end);
    emit(op.get(LO), op.i32(32768), op.i32add, op.i32(65535), op.i32gtU);
    emit(op.if, op.i32(4), op.set(W));
    emit(op.else, op.get(W), op.i32(1), op.i32eq, op.get(LO), op.i32(128), op.i32add, op.i32(255), op.i32gtU, op.i32and);
    emit(op.if, op.i32(2), op.set(W), op.end);
    emit(op.end);
    emit(op.get(I), op.i32(8), op.i32add, op.set(I), op.br(0));
  }
  emit(op.end, op.end);
  // header: k (uint32), rows, cols (uint16), w, big-endian
  emit(op.get(MSG), op.set(P));
  emit(byte(op.get(K), 24, 0), byte(op.get(K), 16, 1), byte(op.get(K), 8, 2), byte(op.get(K), 0, 3));
  emit(byte(op.get(ROWS), 8, 4), byte(op.get(ROWS), 0, 5), byte(op.get(COLS), 8, 6), byte(op.get(COLS), 0, 7), byte(op.get(W), 0, 8));
  emit(op.get(MSG), op.i32(9), op.i32add, op.set(P), op.get(RAW), op.set(I));
  // values: one loop per width; each reads the low word (and for w = 8 the high word) of the int64
  const lo = [...op.get(I), ...op.i32load(0)];
  const hi = [...op.get(I), ...op.i32load(4)];
  const values = (w: number, body: number[][]) => {
    emit(op.get(W), op.i32(w), op.i32eq, op.if, op.block, op.loop);
    emit(op.get(I), op.get(END), op.i32geU, op.brIf(1));
    emit(...body);
    emit(op.get(P), op.i32(w), op.i32add, op.set(P), op.get(I), op.i32(8), op.i32add, op.set(I), op.br(0));
    emit(op.end, op.end, op.end);
  };
  values(1, [byte(lo, 0, 0)]);
  values(2, [byte(lo, 8, 0), byte(lo, 0, 1)]);
  values(4, [byte(lo, 24, 0), byte(lo, 16, 1), byte(lo, 8, 2), byte(lo, 0, 3)]);
  values(8, [byte(hi, 24, 0), byte(hi, 16, 1), byte(hi, 8, 2), byte(hi, 0, 3), byte(lo, 24, 4), byte(lo, 16, 5), byte(lo, 8, 6), byte(lo, 0, 7)]);
  emit(op.get(P), op.get(MSG), op.i32sub);
  emit(op.end);
  const locals = vec([[5, I32], [1, I64]].map(([n, t]) => [...uleb(n), t]));
  return [...locals, ...code];
}

/** The module: memory (exported), keccak (function 0), keccak2 (function 1, with SIMD) and encode. */
const rcBytes = (rc: bigint[]): number[] => {
  const b = new Uint8Array(8 * rc.length);
  rc.forEach((c, i) => new DataView(b.buffer).setBigUint64(8 * i, c, true));
  return [...b];
};

/** With `simd` false, keccak2 is left out (a host without WASM SIMD still gets keccak). Exported for tests. */
export function buildModule(simd: boolean): Uint8Array<ArrayBuffer> {
  const { rho, rc } = keccakConstants();
  const bodies = simd ? [keccakBody(rho, rc), keccak2Body(rho, rc), encodeBody()] : [keccakBody(rho, rc), encodeBody()];
  const six = Array.from({ length: 6 }, () => [I32]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // type 0: (i32 ×3) → (); type 1: (i32 ×6) → (); type 2: (i32 ×6) → i32
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([])], [0x60, ...vec(six), ...vec([])], [0x60, ...vec(six), ...vec([[I32]])]])),
    ...section(3, vec(simd ? [[0], [1], [2]] : [[0], [2]])),
    ...section(5, vec([[0x00, ...uleb(2)]])), // memory 0: min 2 pages, growable
    ...section(7, vec([
      [...name('memory'), 0x02, 0],
      [...name('keccak'), 0x00, 0],
      ...(simd ? [[...name('keccak2'), 0x00, 1], [...name('encode'), 0x00, 2]] : [[...name('encode'), 0x00, 1]]),
    ])),
    ...section(10, vec(bodies.map((body) => [...uleb(body.length), ...body]))),
    // data: the round constants at RC_TABLE, little-endian
    ...section(11, vec([[0x00, ...op.i32(RC_TABLE), ...op.end, ...vec(rcBytes(rc).map((b) => [b]))]])),
  ]);
}

function instantiate(): WebAssembly.Instance {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(buildModule(true)), {});
  } catch (e) {
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    return new WebAssembly.Instance(new WebAssembly.Module(buildModule(false)), {});
  }
}

const exports = instantiate().exports as {
  memory: WebAssembly.Memory;
  keccak: (inPtr: number, len: number, outPtr: number) => void;
  keccak2?: (inA: number, lenA: number, outA: number, inB: number, lenB: number, outB: number) => void;
  encode: (k: number, rows: number, cols: number, raw: number, n: number, msg: number) => number;
};

/** keccak256 of memory [inPtr, inPtr + len) into memory [outPtr, outPtr + 32). */
export const keccakAt: (inPtr: number, len: number, outPtr: number) => void = exports.keccak;
/**
 * keccak256 of two messages at once, into [outA, outA + 32) and [outB, outB + 32). Only for
 * messages with the same number of 136-byte blocks, ⌊lenA / 136⌋ = ⌊lenB / 136⌋ (not checked).
 * Without WASM SIMD on the host: two keccak calls.
 */
export const keccak2At: (inA: number, lenA: number, outA: number, inB: number, lenB: number, outB: number) => void =
  exports.keccak2 ??
  ((inA, lenA, outA, inB, lenB, outB) => {
    keccakAt(inA, lenA, outA);
    keccakAt(inB, lenB, outB);
  });
/**
 * Writes uint32 k ‖ enc(t) at `msg` for the tensor of `rows` × `cols` whose n int64 values lie at
 * `raw` (little-endian, as a BigInt64Array view writes them); returns its length. k must be a
 * uint32 and rows, cols uint16 (the caller checks: encodeStateAt in trace-root.ts).
 */
export const encodeAt: (k: number, rows: number, cols: number, raw: number, n: number, msg: number) => number = exports.encode;
/** Whether keccak2 runs as SIMD here (false: the two-call fallback). */
export const simdPairs = exports.keccak2 !== undefined;
export const memory = exports.memory;

/** Views over the whole memory; replaced when it grows (`ensureScratch`), so re-read after that. */
export let mem8 = new Uint8Array(memory.buffer);
export let mem32 = new Int32Array(memory.buffer);
export let mem64 = new BigInt64Array(memory.buffer);
export let memView = new DataView(memory.buffer);

/** Makes [SCRATCH, SCRATCH + bytes) addressable; returns true when the views were replaced. */
export function ensureScratch(bytes: number): boolean {
  const need = SCRATCH + bytes;
  if (need <= memory.buffer.byteLength) return false;
  memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  mem8 = new Uint8Array(memory.buffer);
  mem32 = new Int32Array(memory.buffer);
  mem64 = new BigInt64Array(memory.buffer);
  memView = new DataView(memory.buffer);
  return true;
}

/** keccak256 of the concatenation of `parts`, through the WASM function (a fresh 32-byte result). */
export function keccak256Wasm(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  ensureScratch(len + 32);
  let at = SCRATCH + 32;
  for (const p of parts) mem8.set(p, at), (at += p.length);
  keccakAt(SCRATCH + 32, len, SCRATCH);
  return mem8.slice(SCRATCH, SCRATCH + 32);
}
