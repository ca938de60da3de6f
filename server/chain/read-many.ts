// Reads asked for in the same tick, sent as ONE eth_call: ReadMany (contracts/src/ReadMany.sol),
// whose creation code makes each static call and returns the answers with the block's number
// and timestamp. Nothing is deployed: the call has no `to`, the EVM node runs the creation code
// and hands back what it returned, which every EVM node does.
//
// Why: under load most of the embedded chain's work was reads, and most of a read's cost on the
// node is setting up the call, not the call (measured on anvil: 0.27 ms of CPU an eth_call, a
// block's timestamp 0.1 ms, a ReadMany of ten reads 0.37 ms). A node operator's job reads every
// case of its batch, its seat, the batch and the chain's time before committing, and the seat,
// the batch and the time again at each look while it waits: one eth_call each, about fourteen a
// batch per operator (docs/pipeline-bench.md). Callers keep asking for one thing at a time
// (Promise.all of them goes out as one).
//
// A node that answers a ReadMany with an error (an older EVM, without the opcodes of the fork
// the code is compiled for) gets that tick's reads one by one, as before; after three such
// answers in a row, every read for the life of the process.
import { type JsonRpcApiProvider } from 'ethers';
import { loadArtifact } from './artifacts.js';

/** ReadMany's creation code (0x-prefixed), arguments appended. */
let creationCode: string | undefined;
const code = () => (creationCode ??= loadArtifact('ReadMany').bytecode);

/**
 * Reads per eth_call at most. ReadMany's answer is returned as the code of the contract it would
 * create, so it must fit EIP-170's 24,576 bytes: each read's answer takes its ok word, offset,
 * length and data, so 32 reads of up to 20 words (the largest read here, `batches`, is 16) come to
 * at most ~23.8 KB. A larger call fails, and three failures in a row turned ReadMany off for good.
 */
export const READS_PER_CALL = 32;

export interface Read {
  /** The contract called (0x address). */
  to: string;
  /** Its calldata (0x hex). */
  data: string;
}

export interface ReadManyAnswer {
  blockNumber: number;
  timestamp: number;
  /** Each read's answer (0x hex), or undefined when it reverted. */
  answers: (string | undefined)[];
}

const word = (v: number): string => v.toString(16).padStart(64, '0');

/** ReadMany's creation code with `reads` ABI-encoded as its constructor's (address[], bytes[]). */
export function encodeReadMany(reads: readonly Read[]): string {
  const n = reads.length;
  const out: string[] = [code(), word(64), word(64 + 32 + 32 * n), word(n)];
  for (const r of reads) out.push(r.to.slice(2).toLowerCase().padStart(64, '0'));
  out.push(word(n));
  const bodies: string[] = [];
  let offset = 32 * n;
  for (const r of reads) {
    const hex = r.data.slice(2);
    const len = hex.length / 2;
    const padded = Math.ceil(len / 32) * 32;
    out.push(word(offset));
    bodies.push(word(len) + hex.padEnd(padded * 2, '0'));
    offset += 32 + padded;
  }
  return out.join('') + bodies.join('');
}

/** ReadMany's answer: abi.encode(uint256 blockNumber, uint256 timestamp, bool[] ok, bytes[] answers). */
export function decodeReadMany(hex0x: string): ReadManyAnswer {
  const hex = hex0x.slice(2);
  const w = (i: number) => hex.slice(i * 64, i * 64 + 64);
  const n = (i: number) => Number.parseInt(w(i), 16);
  const okAt = n(2) / 32;
  const answersAt = n(3) / 32;
  const count = n(okAt);
  if (n(answersAt) !== count || !Number.isSafeInteger(count)) throw new Error('ReadMany: malformed answer');
  const answers: (string | undefined)[] = [];
  const base = answersAt + 1;
  for (let i = 0; i < count; i++) {
    const at = base + n(base + i) / 32;
    const len = n(at);
    answers.push(n(okAt + 1 + i) === 1 ? `0x${hex.slice((at + 1) * 64, (at + 1) * 64 + len * 2)}` : undefined);
  }
  return { blockNumber: n(0), timestamp: n(1), answers };
}

interface Waiting {
  read?: Read;
  /** For no read: 'head' wants the block number, else the timestamp. */
  head?: boolean;
  resolve(answer: { data?: string; timestamp: number; blockNumber: number }): void;
  reject(e: Error): void;
}

export interface ReadMany {
  /** `read`'s answer (0x hex); rejects when it reverts. Sent with the other reads of the same tick. */
  call(read: Read): Promise<string>;
  /** The latest block's timestamp, seconds (with the reads of the same tick, or alone). */
  now(): Promise<number>;
  /** The latest block's number (with the reads of the same tick, or alone). */
  head(): Promise<number>;
}

export function createReadMany(provider: JsonRpcApiProvider): ReadMany {
  let waiting: Waiting[] = [];
  let works = true;
  let refusals = 0; // ReadMany calls answered with an error, in a row
  /** The latest block's number and timestamp, without a read (one block header, or only its number when no time is wanted). */
  const latest = async (withTime: boolean): Promise<{ blockNumber: number; timestamp: number }> => {
    if (!withTime) return { blockNumber: Number(await provider.send('eth_blockNumber', [])), timestamp: 0 };
    const b = (await provider.send('eth_getBlockByNumber', ['latest', false])) as { number: string; timestamp: string };
    return { blockNumber: Number(b.number), timestamp: Number(b.timestamp) };
  };

  async function one(w: Waiting): Promise<void> {
    try {
      if (!w.read) {
        w.resolve(await latest(!w.head));
        return;
      }
      w.resolve({ data: (await provider.send('eth_call', [{ to: w.read.to, data: w.read.data }, 'latest'])) as string, timestamp: 0, blockNumber: 0 });
    } catch (e) {
      w.reject(e as Error);
    }
  }

  async function send(ws: Waiting[]): Promise<void> {
    const reads = ws.filter((w) => w.read).map((w) => w.read!);
    if (reads.length === 0) {
      // Only the time or the head: the latest block's, one request for all who asked.
      const t = latest(ws.some((w) => !w.head));
      t.catch(() => {});
      for (const w of ws) t.then((a) => w.resolve(a), (e: Error) => w.reject(e));
      return;
    }
    // A lone read as it always went (cheaper than a ReadMany of one).
    if (!works || ws.length === 1) {
      await Promise.all(ws.map(one));
      return;
    }
    let answer: ReadManyAnswer;
    try {
      answer = decodeReadMany((await provider.send('eth_call', [{ data: encodeReadMany(reads) }, 'latest'])) as string);
    } catch (e) {
      const err = e as { error?: unknown; code?: string };
      if (err.code === 'CALL_EXCEPTION' || err.error !== undefined) {
        // The node answered, with an error: these reads one by one. Three times in a row, and
        // it is taken to be unable to run ReadMany (an older EVM): one by one from then on.
        if (++refusals >= 3) works = false;
        await Promise.all(ws.map(one));
        return;
      }
      for (const w of ws) w.reject(e as Error); // no answer: each read would fail alike
      return;
    }
    refusals = 0;
    let i = 0;
    for (const w of ws) {
      if (!w.read) {
        w.resolve(answer);
        continue;
      }
      const data = answer.answers[i++];
      if (data === undefined) w.reject(Object.assign(new Error(`eth_call to ${w.read.to} reverted`), { code: 'CALL_EXCEPTION' }));
      else w.resolve({ data, timestamp: answer.timestamp, blockNumber: answer.blockNumber });
    }
  }

  function flush(): void {
    const ws = waiting;
    waiting = [];
    // Up to READS_PER_CALL reads a call; the times ride with the first.
    const times = ws.filter((w) => !w.read); // the time and the head
    const reads = ws.filter((w) => w.read);
    for (let i = 0; i < Math.max(1, reads.length); i += READS_PER_CALL) {
      void send([...(i === 0 ? times : []), ...reads.slice(i, i + READS_PER_CALL)]);
    }
  }

  function enqueue(w: Waiting): void {
    if (waiting.length === 0) queueMicrotask(flush);
    waiting.push(w);
  }

  return {
    call(read) {
      return new Promise<string>((resolve, reject) => enqueue({ read, resolve: (a) => resolve(a.data!), reject }));
    },
    now() {
      return new Promise<number>((resolve, reject) => enqueue({ resolve: (a) => resolve(a.timestamp), reject }));
    },
    head() {
      return new Promise<number>((resolve, reject) => enqueue({ head: true, resolve: (a) => resolve(a.blockNumber), reject }));
    },
  };
}
