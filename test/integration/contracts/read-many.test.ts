// Reads of the same tick as one eth_call (server/chain/read-many.ts) on a real anvil: the answers
// are those of one eth_call per read, a reverted read fails alone, the chain's time and head ride
// along, a lone read goes as it always did, and a node that cannot run ReadMany (an EVM without
// the opcodes its code is compiled for) gets the reads one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet, type JsonRpcProvider } from 'ethers';
import { READS_PER_CALL, createReadMany } from '../../../server/chain/read-many.js';
import { startAnvil, type AnvilNode } from '../../../server/chain/anvil.js';
import { countingProvider } from '../../support/counting-provider.js';
import { startChain, type ChainFixture } from './chain-fixture.js';

let fx: ChainFixture;
const providers: JsonRpcProvider[] = [];
beforeAll(async () => {
  fx = await startChain({ deploy: true });
}, 120_000);
afterAll(async () => {
  for (const p of providers) p.destroy();
  await fx?.stop();
});

function counting(url: string) {
  const c = countingProvider(url);
  providers.push(c.provider);
  return c;
}

describe('ReadMany on anvil', { timeout: 120_000 }, () => {
  it('a tick of reads is one eth_call, each answer equal to its own eth_call, with the latest block’s time and number', async () => {
    const { provider, count } = counting(fx.anvil.url);
    const many = createReadMany(provider);
    const arbitration = await fx.c!.arbitration.getAddress();
    const registry = await fx.c!.registry.getAddress();
    const iface = fx.c!.arbitration.interface;
    const reads = [
      { to: arbitration, data: iface.encodeFunctionData('batches', [0n]) },
      { to: arbitration, data: iface.encodeFunctionData('batches', [7n]) },
      { to: arbitration, data: iface.encodeFunctionData('members', [1n, fx.addresses[3]]) },
      { to: arbitration, data: iface.encodeFunctionData('cases', ['0x' + 'ab'.repeat(32)]) },
      { to: registry, data: fx.c!.registry.interface.encodeFunctionData('models', ['0x' + '00'.repeat(32)]) },
    ];
    const before = count('eth_call');
    const [answers, now, head] = await Promise.all([Promise.all(reads.map((r) => many.call(r))), many.now(), many.head()]);
    expect(count('eth_call') - before).toBe(1);
    expect(count('eth_getBlockByNumber') + count('eth_blockNumber')).toBe(0);
    for (const [i, r] of reads.entries()) expect(answers[i]).toBe(await fx.provider.send('eth_call', [r, 'latest']));
    const latest = (await fx.provider.getBlock('latest'))!;
    expect(now).toBe(latest.timestamp);
    expect(head).toBe(latest.number);
  });

  it('a tick of many reads goes as a few calls of READS_PER_CALL, each answer within the code-size limit, none one by one', async () => {
    const { provider, count } = counting(fx.anvil.url);
    const many = createReadMany(provider);
    const arbitration = await fx.c!.arbitration.getAddress();
    const iface = fx.c!.arbitration.interface;
    // batches() is the largest read here (16 words): 100 of them would not fit one answer.
    const reads = Array.from({ length: 100 }, (_, i) => ({ to: arbitration, data: iface.encodeFunctionData('batches', [BigInt(i)]) }));
    const before = count('eth_call');
    const answers = await Promise.all(reads.map((r) => many.call(r)));
    expect(count('eth_call') - before).toBe(Math.ceil(100 / READS_PER_CALL));
    for (const i of [0, 1, 50, 99]) expect(answers[i]).toBe(await fx.provider.send('eth_call', [reads[i], 'latest']));
    // Still in use afterwards (no fallback to one read per call).
    const again = count('eth_call');
    await Promise.all(reads.slice(0, 10).map((r) => many.call(r)));
    expect(count('eth_call') - again).toBe(1);
  });

  it('a read that reverts fails alone; the others of its tick are answered', async () => {
    const many = createReadMany(fx.provider);
    const arbitration = await fx.c!.arbitration.getAddress();
    const good = many.call({ to: arbitration, data: fx.c!.arbitration.interface.encodeFunctionData('batches', [0n]) });
    const bad = many.call({ to: arbitration, data: '0xdeadbeef' }); // no such function: Arbitration reverts
    await expect(bad).rejects.toMatchObject({ code: 'CALL_EXCEPTION' });
    expect(await good).toMatch(/^0x[0-9a-f]+$/);
  });

  it('a lone read is a plain eth_call; the time alone one block header, the head alone eth_blockNumber', async () => {
    const { provider, count, calls } = counting(fx.anvil.url);
    const many = createReadMany(provider);
    const arbitration = await fx.c!.arbitration.getAddress();
    const data = fx.c!.arbitration.interface.encodeFunctionData('batches', [0n]);
    expect(await many.call({ to: arbitration, data })).toBe(await fx.provider.send('eth_call', [{ to: arbitration, data }, 'latest']));
    expect(calls.filter((c) => c.method === 'eth_call')).toEqual([{ method: 'eth_call', params: [{ to: arbitration, data }, 'latest'] }]);
    const [t1, t2] = await Promise.all([many.now(), many.now()]);
    expect(t1).toBe(t2);
    expect(count('eth_getBlockByNumber')).toBe(1);
    await many.head();
    expect(count('eth_blockNumber')).toBe(1);
  });
});

describe('ReadMany on a node that cannot run it', { timeout: 120_000 }, () => {
  let old: AnvilNode;
  let counted: ReturnType<typeof counting>;
  beforeAll(async () => {
    old = await startAnvil({ hardfork: 'london' }); // no PUSH0: ReadMany's code cannot run
    counted = counting(old.url);
  }, 120_000);
  afterAll(async () => {
    await old?.stop();
  });

  it('answers each tick one read at a time, and after three refusals stops trying', async () => {
    const many = createReadMany(counted.provider);
    const eoa = Wallet.createRandom().address;
    for (let tick = 0; tick < 4; tick++) {
      const answers = await Promise.all([many.call({ to: eoa, data: '0x01' }), many.call({ to: eoa, data: '0x02' })]);
      expect(answers).toEqual(['0x', '0x']);
    }
    // Three ticks tried ReadMany first, then each read alone; the fourth went one by one at once.
    const calls = counted.calls.filter((c) => c.method === 'eth_call').map((c) => ((c.params as [{ to?: string }])[0].to ? 'read' : 'readmany'));
    expect(calls).toEqual(['readmany', 'read', 'read', 'readmany', 'read', 'read', 'readmany', 'read', 'read', 'read', 'read']);
  });
});
