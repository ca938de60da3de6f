// The chain port's send() takes its nonce (read and incremented in one step) under a per-signer
// lock; the market's funder transfer sends with the same NonceManager outside that lock
// (NonceManager.sendTransaction, server/market/service.ts). Fired together many times on a real
// anvil, every transaction of both kinds must land, with distinct, consecutive nonces: a send that
// read its nonce and incremented only after the broadcast gave a transfer the same nonce, one of
// the two was refused, and the manager's count left a gap that stalled the signer's later sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet, type TransactionReceipt } from 'ethers';
import { createChainPort, type ChainPort } from '../../../server/pipeline/chain-port.js';
import { waitUntil } from '../../support/wait.js';
import { startChain, type ChainFixture } from '../contracts/chain-fixture.js';
import { mined } from '../../../server/chain/mined.js';

let fx: ChainFixture;
let port: ChainPort;
beforeAll(async () => {
  fx = await startChain({ deploy: true });
  port = createChainPort(fx.deployment!, fx.provider);
});
afterAll(async () => {
  await fx?.stop();
});

/** The outcome of one transaction, recorded as it settles (a refusal is never left unhandled). */
type Outcome = { kind: 'send' | 'transfer'; receipt?: TransactionReceipt; refused?: string };
function track(kind: Outcome['kind'], p: Promise<TransactionReceipt>): Outcome {
  const o: Outcome = { kind };
  p.then(
    (r) => (o.receipt = r),
    (e: Error) => (o.refused = e.message.slice(0, 200)),
  );
  return o;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chain port › nonces shared with sends outside its lock', { timeout: 120_000 }, () => {
  it('chain-port sends and NonceManager transfers of one signer all land with consecutive nonces', async () => {
    const signer = fx.wallets[1];
    const from = fx.addresses[1].toLowerCase();
    const payee = Wallet.createRandom().address;
    const first = await fx.provider.getTransactionCount(from, 'latest');

    const SENDS = 40;
    const TRANSFERS = 40;
    // The port's sends (stake(), any amount is accepted) all start at once; each estimates, then
    // queues for the signer's lock, so their nonces are taken one after another over the next
    // tens of milliseconds. The transfers start one every few milliseconds meanwhile, as a
    // funder transfer arrives while the registrar's sends are in flight.
    const outcomes: Outcome[] = [];
    for (let i = 0; i < SENDS; i++) outcomes.push(track('send', port.stake(signer, 1n)));
    for (let i = 0; i < TRANSFERS; i++) {
      outcomes.push(track('transfer', signer.sendTransaction({ to: payee, value: 1n }).then((tx) => mined(tx, fx.provider))));
      await tick(i % 3);
    }

    // Until all are mined, or one is refused (a nonce taken twice); a gap would leave the rest pending.
    await waitUntil(() => outcomes.every((o) => o.receipt) || outcomes.some((o) => o.refused), 'every transaction mined or one refused', 30_000).catch(() => {});
    expect(outcomes.flatMap((o, i) => (o.refused ? [`${o.kind} ${i}: ${o.refused}`] : []))).toEqual([]);
    expect(outcomes.filter((o) => !o.receipt).length).toBe(0);

    const receipts = outcomes.map((o) => o.receipt!);
    expect(receipts.every((r) => r.status === 1)).toBe(true);
    const nonces = await Promise.all(receipts.map(async (r) => (await fx.provider.getTransaction(r.hash))!.nonce));
    expect(new Set(nonces).size).toBe(SENDS + TRANSFERS);
    expect([...nonces].sort((a, b) => a - b)).toEqual(Array.from({ length: SENDS + TRANSFERS }, (_, i) => first + i));
    // Nothing else went out from the signer (no refused transaction took a nonce and left a gap).
    expect(await fx.provider.getTransactionCount(from, 'latest')).toBe(first + SENDS + TRANSFERS);
    expect(await port.stakeOf(from)).toBe(BigInt(SENDS));

    // The manager's count is still right: one more of each lands at the next nonces.
    const [a, b] = await Promise.all([port.stake(signer, 1n), signer.sendTransaction({ to: payee, value: 1n }).then((tx) => mined(tx, fx.provider))]);
    const after = await Promise.all([a, b].map(async (r) => (await fx.provider.getTransaction(r.hash))!.nonce));
    expect(after.sort((x, y) => x - y)).toEqual([first + SENDS + TRANSFERS, first + SENDS + TRANSFERS + 1]);
  });
});
