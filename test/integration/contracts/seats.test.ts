// Issue 8 #5, #10 and the Low item on silence. Listing as a server needs stake and a model lists
// at most MAX_SERVERS nodes, so a draw's gas is bounded; each committee seat locks its own stake
// while the seat is open (no unstaking it, no second seat on the same collateral); and the
// deployment refuses a missSlash below the game's slash (not revealing must not be cheaper than
// losing a game).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaxUint256, NonceManager, Wallet, id as utf8Id, parseEther } from 'ethers';
import { BatchStatus, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { deploySystem } from '../../../server/chain/deploy.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, commitReveal, partyTrace, sealBatch, sendTx, setupModel } from './arbiter-scenario.js';
import { honestTrace, testInput } from './test-model.js';

const SEAT = parseEther('1'); // minStake: what one seat locks
let fx: ChainFixture;
let c: ArbiterContracts;
let seq = 0;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { minStake: SEAT, committeeSize: 3, challengeWindow: 600 } });
  c = fx.c!;
  // Three nodes with exactly one seat's stake each.
  await setupModel(c, fx.wallets[4], [fx.wallets[1], fx.wallets[2], fx.wallets[3]], SEAT);
});
afterAll(async () => fx?.stop());

async function openCase(): Promise<{ batchId: bigint; claim: ReturnType<typeof partyTrace>['claim'] }> {
  const ref = utf8Id(`seat-case-${++seq}`);
  const caseId = caseIdOf(fx.addresses[5], ref);
  const input = testInput(4000 + seq);
  const s0 = bytesToHex(stateHash(0, input));
  await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
  return { batchId: (await c.arbitration.cases(caseId)).batchId, claim: partyTrace(caseId, s0, honestTrace(input)).claim };
}

/** The custom error a call reverts with. */
async function revertName(p: Promise<unknown>, iface = c.arbitration.interface): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    return data ? iface.parseError(data)?.name : undefined;
  }
  throw new Error('expected a revert');
}

describe('NodeStaking › a seat locks its own stake', () => {
  it('seal › a drawn node cannot unstake its seat, nor back a second batch with it, until the first batch ends', async () => {
    const a = await openCase();
    await sealBatch(c, fx.wallets[0], a.batchId);
    const committee: string[] = await c.arbitration.committeeOf(a.batchId);
    expect(committee.length).toBe(3);
    for (const node of committee) {
      expect((await c.staking.nodes(node)).locked).toBe(SEAT);
      expect(await c.staking.freeStake(node)).toBe(0n);
    }
    // No unstaking the locked collateral while the seat is open.
    expect(await revertName(sendTx(c.staking, fx.wallets[1], 'requestUnstake', [1n]), c.staking.interface)).toBe('InsufficientStake');
    // Every node's stake backs a seat already: a concurrent batch finds nobody to draw.
    const b = await openCase();
    expect(b.batchId).not.toBe(a.batchId);
    expect(await revertName(sealBatch(c, fx.wallets[0], b.batchId))).toBe('NoEligibleNodes');
    // Once the first batch is final its seats are released and the second batch draws them.
    const nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
    await commitReveal(c, a.batchId, nodes.map((node) => ({ node, claims: [a.claim] })));
    await increaseTime(fx.provider, 601);
    await sendTx(c.arbitration, fx.wallets[7], 'finalize', [a.batchId]);
    for (const node of committee) expect((await c.staking.nodes(node)).locked).toBe(0n);
    await sealBatch(c, fx.wallets[0], b.batchId);
    expect(Number((await c.arbitration.batches(b.batchId)).status)).toBe(BatchStatus.Executing);
  });

  it('closeReveals › a silent member is slashed from its own seat and its seat released', async () => {
    const { batchId } = await openCase(); // the previous test's second batch holds the seats; a new one waits
    const held: bigint = (await c.arbitration.batchCount()) - 1n; // that second batch
    expect(await revertName(sealBatch(c, fx.wallets[0], batchId))).toBe('NoEligibleNodes');
    await increaseTime(fx.provider, 1201);
    await sendTx(c.arbitration, fx.wallets[7], 'closeReveals', [held]); // nobody revealed: all three silent
    for (const a of fx.addresses.slice(1, 4)) {
      const n = await c.staking.nodes(a);
      expect(n.stake).toBe(SEAT - parseEther('0.5'));
      expect(n.locked).toBe(0n);
    }
  });
});

describe('NodeStaking › bounded server lists', () => {
  it('serve › a model lists at most MAX_SERVERS staked nodes; a full list admits only more stake; the draw reads at most that many', { timeout: 600_000 }, async () => {
    const max = Number(await c.staking.MAX_SERVERS());
    const model = utf8Id('crowded@1');
    const extra: NonceManager[] = [];
    for (let i = 0; i < max + 1; i++) {
      const w = new NonceManager(Wallet.createRandom().connect(fx.provider));
      await (await fx.wallets[9].sendTransaction({ to: await w.getAddress(), value: parseEther('3') })).wait();
      extra.push(w);
    }
    for (let i = 0; i < max; i++) {
      await sendTx(c.staking, extra[i], 'stake', [], SEAT + BigInt(i));
      await sendTx(c.staking, extra[i], 'serve', [[model], 1n]);
    }
    expect((await c.staking.serversOf(model)).length).toBe(max);
    const last = extra[max];
    await sendTx(c.staking, last, 'stake', [], SEAT);
    // As much stake as the least-staked server is not enough…
    expect(await revertName(sendTx(c.staking, last, 'serve', [[model], 1n]), c.staking.interface)).toBe('ServerListFull');
    // …more takes its place.
    await sendTx(c.staking, last, 'stake', [], parseEther('1'));
    await sendTx(c.staking, last, 'serve', [[model], 1n]);
    const listed: string[] = await c.staking.serversOf(model);
    expect(listed.length).toBe(max);
    expect(listed).toContain(await last.getAddress());
    expect(listed).not.toContain(await extra[0].getAddress());
    const gas: bigint = await c.staking.drawCommittee.estimateGas(model, utf8Id('seed'), 5, MaxUint256);
    console.log(JSON.stringify({ servers: max, draw_committee_5_gas: Number(gas) }));
    expect(gas).toBeLessThan(1_000_000n);
  });
});

describe('Arbitration › silence costs at least a lost game', () => {
  it('setGame › a deployment whose missSlash is below the game slash, or above a seat, is refused', { timeout: 180_000 }, async () => {
    const own = await startChain();
    try {
      await expect(deploySystem(own.wallets[0], { missSlash: parseEther('0.1'), gameSlash: parseEther('0.5') })).rejects.toThrow(/SilenceTooCheap|revert/);
      // (a fresh deployer: the refused setGame left a gap in the first one's nonce manager)
      await expect(deploySystem(own.wallets[1], { minStake: parseEther('1'), missSlash: parseEther('2'), gameSlash: parseEther('0.5') })).rejects.toThrow(/SlashExceedsSeat|revert/);
    } finally {
      await own.stop();
    }
  });
});
