// The event indexer's decoding half: every state change of the contracts is an event
// (CONVENTIONS.md §4), and the server reads only these. Logs in, typed records out, in chain
// order; a cursor (the next block to read) makes reading resumable.
import { getAddress, Interface, JsonRpcApiProvider, toQuantity, type EventFragment, type ParamType, type Provider } from 'ethers';
import { abiOf } from './contracts.js';
import type { Deployment } from './deploy.js';

export interface ChainEvent {
  /** Which contract emitted it: arbitration (its disputes module included), front, game, staking, registry, escrow. */
  source: keyof Deployment['addresses'];
  name: string;
  /** Named arguments; bigint for integers, 0x-hex strings for bytes and addresses. */
  args: Record<string, unknown>;
  blockNumber: number;
  transactionHash: string;
  logIndex: number;
}

const SOURCES: [keyof Deployment['addresses'], string][] = [
  ['arbitration', 'Arbitration'],
  ['front', 'ArbitratorFront'],
  ['game', 'DisputeGame'],
  ['staking', 'NodeStaking'],
  ['registry', 'ModelRegistry'],
  ['escrow', 'ArbiterEscrow'],
];

/** The fields of a log the decoder reads (an ethers Log has them). */
export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber: number;
  transactionHash: string;
  index: number;
}

export interface EventDecoder {
  addresses: string[];
  decode(log: RawLog): ChainEvent | undefined;
}

/** One static ABI value from a 64-hex-digit word, as ethers' coder returns it (bigint, checksummed address, lowercase hex, boolean). */
type WordReader = (word: string) => unknown;
const ZERO_HEAD = /^0{24}/;
function wordReader(p: ParamType): WordReader | undefined {
  const t = p.type;
  if (t === 'address')
    return (w) => {
      // Dirty upper bytes: no Solidity log has them; ethers refuses the word, so the slow path decides.
      if (!ZERO_HEAD.test(w)) throw new Error('address word with upper bytes set');
      return getAddress(`0x${w.slice(24)}`);
    };
  if (t === 'bool') return (w) => BigInt(`0x${w}`) !== 0n;
  let m = /^bytes([0-9]+)$/.exec(t);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 32) {
    const n = Number(m[1]) * 2;
    return (w) => `0x${w.slice(0, n).toLowerCase()}`;
  }
  m = /^(u?)int([0-9]*)$/.exec(t);
  if (m) {
    const bits = BigInt(m[2] || 256);
    return m[1] ? (w) => BigInt.asUintN(Number(bits), BigInt(`0x${w}`)) : (w) => BigInt.asIntN(Number(bits), BigInt(`0x${w}`));
  }
  return undefined; // dynamic or composite: ethers decodes it
}

/**
 * A decoder for an event whose every input is a static elementary type (most of ours): indexed
 * inputs from the topics, the rest word by word from the data. The same values as ethers'
 * decodeEventLog, without its coder objects (a fifth of the indexer's CPU); undefined otherwise.
 */
export function staticEventDecoder(f: EventFragment): ((topics: readonly string[], data: string) => Record<string, unknown> | undefined) | undefined {
  const readers = f.inputs.map(wordReader);
  if (readers.some((r) => !r) || f.anonymous) return undefined;
  const indexed = f.inputs.filter((i) => i.indexed).length;
  const words = f.inputs.length - indexed;
  return (topics, data) => {
    if (topics.length !== indexed + 1 || data.length < 2 + words * 64) return undefined; // malformed: ethers says why
    const args: Record<string, unknown> = {};
    let topic = 1;
    let at = 2;
    try {
      f.inputs.forEach((input, i) => {
        let w: string;
        if (input.indexed) w = topics[topic++].slice(2);
        else {
          w = data.slice(at, at + 64);
          at += 64;
        }
        args[input.name || String(i)] = readers[i]!(w);
      });
    } catch {
      return undefined; // a word ethers would refuse: it says why
    }
    return args;
  };
}

export function eventDecoder(d: Deployment): EventDecoder {
  // Each contract's events by topic, hashed once (ethers' parseLog hashes every fragment's
  // signature again for every log it looks up, which was most of the indexer's CPU).
  const byAddress = new Map<string, { source: keyof Deployment['addresses']; iface: Interface; byTopic: Map<string, EventFragment>; fast: Map<string, ReturnType<typeof staticEventDecoder>> }>();
  for (const [source, name] of SOURCES) {
    const iface = new Interface(abiOf(name));
    const byTopic = new Map<string, EventFragment>();
    const fast = new Map<string, ReturnType<typeof staticEventDecoder>>();
    iface.forEachEvent((f) => {
      byTopic.set(f.topicHash, f);
      fast.set(f.topicHash, staticEventDecoder(f));
    });
    byAddress.set(d.addresses[source].toLowerCase(), { source, iface, byTopic, fast });
  }
  return {
    addresses: [...byAddress.keys()],
    decode(log) {
      const entry = byAddress.get(log.address.toLowerCase());
      if (!entry) return undefined;
      const fragment = log.topics.length ? entry.byTopic.get(log.topics[0]) : undefined;
      if (!fragment) return undefined;
      const quick = entry.fast.get(log.topics[0])?.(log.topics, log.data);
      if (quick) return { source: entry.source, name: fragment.name, args: quick, blockNumber: log.blockNumber, transactionHash: log.transactionHash, logIndex: log.index };
      const values = entry.iface.decodeEventLog(fragment, log.data, [...log.topics]);
      const args: Record<string, unknown> = {};
      fragment.inputs.forEach((input, i) => {
        const v = values[i];
        args[input.name || String(i)] = Array.isArray(v) ? [...v] : v;
      });
      return { source: entry.source, name: fragment.name, args, blockNumber: log.blockNumber, transactionHash: log.transactionHash, logIndex: log.index };
    },
  };
}

/** One decoder per deployment: building six ABI interfaces on every indexer poll cost more CPU than decoding. */
const decoders = new WeakMap<Deployment, EventDecoder>();

/** Events of the deployment in blocks [fromBlock, toBlock], in chain order. */
export async function readEvents(provider: Provider, d: Deployment, fromBlock: number, toBlock: number | 'latest'): Promise<ChainEvent[]> {
  let decoder = decoders.get(d);
  if (!decoder) decoders.set(d, (decoder = eventDecoder(d)));
  let logs: RawLog[];
  if (provider instanceof JsonRpcApiProvider) {
    // Raw eth_getLogs: ethers' getLogs builds a Log object and checksums its address for every
    // log, which the decoder does not need (a share of the indexer's CPU with thousands of cases).
    const raw = (await provider.send('eth_getLogs', [{ address: decoder.addresses, fromBlock: toQuantity(fromBlock), toBlock: toBlock === 'latest' ? toBlock : toQuantity(toBlock) }])) as {
      address: string;
      topics: string[];
      data: string;
      blockNumber: string;
      transactionHash: string;
      logIndex: string;
      removed?: boolean;
    }[];
    logs = raw.filter((l) => !l.removed).map((l) => ({ address: l.address, topics: l.topics, data: l.data, blockNumber: Number(l.blockNumber), transactionHash: l.transactionHash, index: Number(l.logIndex) }));
  } else logs = await provider.getLogs({ address: decoder.addresses, fromBlock, toBlock });
  return logs
    .map((l) => decoder.decode(l))
    .filter((e): e is ChainEvent => e !== undefined)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** Reads from `cursor` up to the latest block; returns the events and the next cursor. */
export async function pollEvents(provider: Provider, d: Deployment, cursor: number): Promise<{ events: ChainEvent[]; next: number }> {
  const latest = await provider.getBlockNumber();
  if (latest < cursor) return { events: [], next: cursor };
  return { events: await readEvents(provider, d, cursor, latest), next: latest + 1 };
}
