// The event indexer's decoding half: every state change of the contracts is an event
// (CONVENTIONS.md §4), and the server reads only these. Logs in, typed records out, in chain
// order; a cursor (the next block to read) makes reading resumable.
import { Interface, JsonRpcApiProvider, toQuantity, type EventFragment, type Provider } from 'ethers';
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

export function eventDecoder(d: Deployment): EventDecoder {
  // Each contract's events by topic, hashed once (ethers' parseLog hashes every fragment's
  // signature again for every log it looks up, which was most of the indexer's CPU).
  const byAddress = new Map<string, { source: keyof Deployment['addresses']; iface: Interface; byTopic: Map<string, EventFragment> }>();
  for (const [source, name] of SOURCES) {
    const iface = new Interface(abiOf(name));
    const byTopic = new Map<string, EventFragment>();
    iface.forEachEvent((f) => byTopic.set(f.topicHash, f));
    byAddress.set(d.addresses[source].toLowerCase(), { source, iface, byTopic });
  }
  return {
    addresses: [...byAddress.keys()],
    decode(log) {
      const entry = byAddress.get(log.address.toLowerCase());
      if (!entry) return undefined;
      const fragment = log.topics.length ? entry.byTopic.get(log.topics[0]) : undefined;
      if (!fragment) return undefined;
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
export async function readEvents(provider: Provider, d: Deployment, fromBlock: number, toBlock: number): Promise<ChainEvent[]> {
  let decoder = decoders.get(d);
  if (!decoder) decoders.set(d, (decoder = eventDecoder(d)));
  let logs: RawLog[];
  if (provider instanceof JsonRpcApiProvider) {
    // Raw eth_getLogs: ethers' getLogs builds a Log object and checksums its address for every
    // log, which the decoder does not need (a share of the indexer's CPU with thousands of cases).
    const raw = (await provider.send('eth_getLogs', [{ address: decoder.addresses, fromBlock: toQuantity(fromBlock), toBlock: toQuantity(toBlock) }])) as {
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
