// The indexer's word-by-word decoder (server/chain/events.ts staticEventDecoder) against ethers'
// decodeEventLog, on random values of every event of the six contracts it handles.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Interface, hexlify, type EventFragment, type ParamType } from 'ethers';
import { abiOf } from '../../../server/chain/contracts.js';
import { staticEventDecoder } from '../../../server/chain/events.js';

function valueOf(p: ParamType): fc.Arbitrary<unknown> {
  if (p.type === 'address') return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => hexlify(b));
  if (p.type === 'bool') return fc.boolean();
  let m = /^bytes([0-9]+)$/.exec(p.type);
  if (m) return fc.uint8Array({ minLength: Number(m[1]), maxLength: Number(m[1]) }).map((b) => hexlify(b));
  m = /^(u?)int([0-9]*)$/.exec(p.type);
  if (m) {
    const bits = BigInt(m[2] || 256);
    return m[1] ? fc.bigInt({ min: 0n, max: (1n << bits) - 1n }) : fc.bigInt({ min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n });
  }
  throw new Error(`no generator for ${p.type}`);
}

describe('event decoding', () => {
  const contracts = ['Arbitration', 'ArbitratorFront', 'DisputeGame', 'NodeStaking', 'ModelRegistry', 'ArbiterEscrow'];
  const fragments: { contract: string; iface: Interface; f: EventFragment }[] = [];
  for (const contract of contracts) {
    const iface = new Interface(abiOf(contract));
    iface.forEachEvent((f) => fragments.push({ contract, iface, f }));
  }
  const handled = fragments.filter((x) => staticEventDecoder(x.f));

  it('staticEventDecoder › handles most events (every one with only static inputs)', () => {
    expect(handled.length).toBeGreaterThan(fragments.length / 2);
    for (const x of fragments) {
      const allStatic = x.f.inputs.every((i) => /^(address|bool|bytes([1-9]|[12][0-9]|3[0-2])|u?int[0-9]*)$/.test(i.type));
      expect(Boolean(staticEventDecoder(x.f)), `${x.contract}.${x.f.name}`).toBe(allStatic);
    }
  });

  it('staticEventDecoder › decodes the same values as ethers, event by event', () => {
    for (const { contract, iface, f } of handled) {
      const decode = staticEventDecoder(f)!;
      fc.assert(
        fc.property(fc.tuple(...f.inputs.map(valueOf)), (values) => {
          const { data, topics } = iface.encodeEventLog(f, values);
          const theirs = iface.decodeEventLog(f, data, topics);
          const ours = decode(topics, data);
          expect(ours, `${contract}.${f.name}`).toBeDefined();
          f.inputs.forEach((input, i) => expect(ours![input.name || String(i)], `${contract}.${f.name}.${input.name}`).toEqual(theirs[i]));
        }),
        { numRuns: 40 },
      );
    }
  });

  it('staticEventDecoder › leaves a malformed log (short data, missing topic) to ethers, which names the fault', () => {
    const { iface, f } = handled.find((x) => x.f.inputs.some((i) => !i.indexed) && x.f.inputs.some((i) => i.indexed))!;
    const values = f.inputs.map((i) => (i.type === 'address' ? '0x' + '11'.repeat(20) : i.type === 'bool' ? true : i.type.startsWith('bytes') ? '0x' + '22'.repeat(Number(i.type.slice(5))) : 1n));
    const { data, topics } = iface.encodeEventLog(f, values);
    const decode = staticEventDecoder(f)!;
    expect(decode(topics, data.slice(0, data.length - 2))).toBeUndefined();
    expect(decode(topics.slice(0, -1), data)).toBeUndefined();
  });

  it('staticEventDecoder › leaves an address word with upper bytes set (a forged or foreign log) to ethers', () => {
    const sample = (f: EventFragment) => f.inputs.map((i) => (i.type === 'address' ? '0x' + '11'.repeat(20) : i.type === 'bool' ? true : i.type.startsWith('bytes') ? '0x' + '22'.repeat(Number(i.type.slice(5))) : 1n));
    // In the data: deferred; ethers' coder decides what the word is.
    const inData = handled.find((x) => x.f.inputs.some((i) => i.type === 'address' && !i.indexed))!;
    {
      const { data, topics } = inData.iface.encodeEventLog(inData.f, sample(inData.f));
      const decode = staticEventDecoder(inData.f)!;
      expect(decode(topics, data)).toBeDefined();
      const w = inData.f.inputs.filter((i) => !i.indexed).findIndex((i) => i.type === 'address');
      const at = 2 + w * 64;
      const dirty = `${data.slice(0, at)}ff${data.slice(at + 2)}`;
      expect(decode(topics, dirty)).toBeUndefined();
    }
    // In a topic: the same.
    const inTopic = handled.find((x) => x.f.inputs.some((i) => i.type === 'address' && i.indexed))!;
    {
      const { data, topics } = inTopic.iface.encodeEventLog(inTopic.f, sample(inTopic.f));
      const k = 1 + inTopic.f.inputs.filter((i) => i.indexed).findIndex((i) => i.type === 'address');
      const dirty = [...topics];
      dirty[k] = `0xff${dirty[k].slice(4)}`;
      expect(staticEventDecoder(inTopic.f)!(dirty, data)).toBeUndefined();
    }
  });
});
