// ModelRegistry (versions, creator-only changes, deprecation) and NodeStaking (unstake delay,
// stake-weighted committee draws without replacement) on anvil; deployment kept across an anvil
// restart through its --state file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, MaxUint256, NonceManager, Wallet, parseEther, id as utf8Id } from 'ethers';
import { ANVIL_KEYS, startAnvil } from '../../../server/chain/anvil.js';
import { ensureDeployment } from '../../../server/chain/deploy.js';
import { BatchStatus, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { sealBatch, sendTx } from './arbiter-scenario.js';

let fx: ChainFixture;
let c: ArbiterContracts;
const ROOT = utf8Id('model root');

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { minStake: parseEther('1'), unstakeDelay: 3600 } });
  c = fx.c!;
});
afterAll(async () => fx?.stop());

describe('ModelRegistry', () => {
  it('register › publishes a version under keccak256("name@version") with its record', async () => {
    await sendTx(c.registry, fx.wallets[4], 'register', ['eu261', '1.0.0', ROOT, utf8Id('onnx'), utf8Id('eu261-features@1.0.0'), 15, 1000n, 500, [0b110n]]);
    const id = utf8Id('eu261@1.0.0');
    expect(await c.registry.modelIdOf('eu261', '1.0.0')).toBe(id);
    const m = await c.registry.get(id);
    expect([m.creator, Number(m.steps), m.modelRoot, m.price, Number(m.royaltyBps), await c.registry.claimantClassesOf(id)]).toEqual([fx.addresses[4], 15, ROOT, 1000n, 500, [6n]]);
    expect(await c.registry.latest(utf8Id('eu261'))).toBe(id);
  });

  it('register › a new version by the creator becomes the latest; another account cannot add one', async () => {
    await sendTx(c.registry, fx.wallets[4], 'register', ['eu261', '1.1.0', ROOT, utf8Id('onnx2'), utf8Id('f'), 16, 1000n, 500, [6n]]);
    expect(await c.registry.latest(utf8Id('eu261'))).toBe(utf8Id('eu261@1.1.0'));
    await expect(sendTx(c.registry, fx.wallets[5], 'register', ['eu261', '2.0.0', ROOT, utf8Id('x'), utf8Id('f'), 1, 0n, 0, [0n]])).rejects.toThrow(/NotModelCreator|revert/);
    await expect(sendTx(c.registry, fx.wallets[4], 'register', ['eu261', '1.1.0', ROOT, utf8Id('x'), utf8Id('f'), 1, 0n, 0, [0n]])).rejects.toThrow(/ModelExists|revert/);
    await expect(sendTx(c.registry, fx.wallets[4], 'register', ['uk261', '1.0.0', ROOT, utf8Id('x'), utf8Id('f'), 1, 0n, 10_001, [0n]])).rejects.toThrow(/InvalidShare|revert/);
  });

  it('deprecate › only by the creator; deprecated models take no new cases', async () => {
    const id = utf8Id('eu261@1.0.0');
    await expect(sendTx(c.registry, fx.wallets[5], 'deprecate', [id])).rejects.toThrow();
    await sendTx(c.registry, fx.wallets[4], 'deprecate', [id]);
    expect((await c.registry.get(id)).deprecated).toBe(true);
    await expect(sendTx(c.arbitration, fx.wallets[5], 'openCase', [utf8Id('x'), id, utf8Id('s0'), fx.addresses[6], fx.addresses[5], '0x'], 1000n)).rejects.toThrow();
  });
});

describe('NodeStaking', () => {
  const model = utf8Id('eu261@1.1.0');

  it('serve › an account below the minimum stake cannot list itself', async () => {
    await sendTx(c.staking, fx.wallets[8], 'stake', [], parseEther('0.5'));
    await expect(sendTx(c.staking, fx.wallets[8], 'serve', [[model], 1n])).rejects.toThrow(/InsufficientStake|revert/);
    await expect(sendTx(c.staking, fx.wallets[9], 'serve', [[model], 1n])).rejects.toThrow(/InsufficientStake|revert/);
    expect(await c.staking.serversOf(model)).toEqual([]);
  });

  it('drawCommittee › draws distinct nodes with at least the minimum stake, weighted by stake', async () => {
    const stakes = [parseEther('1'), parseEther('9'), parseEther('1.5')];
    for (const [i, s] of stakes.entries()) {
      await sendTx(c.staking, fx.wallets[1 + i], 'stake', [], s);
      await sendTx(c.staking, fx.wallets[1 + i], 'serve', [[model], 1n]);
    }
    // A listed node that unstakes below the minimum stays listed but is never drawn.
    await sendTx(c.staking, fx.wallets[3], 'requestUnstake', [parseEther('1')]);
    const first: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const committee: string[] = await c.staking.drawCommittee(model, utf8Id(`seed-${i}`), 3, MaxUint256);
      expect(committee.length).toBe(2); // the 0.5 ETH node is below the minimum
      expect(new Set(committee).size).toBe(2);
      expect(committee).not.toContain(fx.addresses[3]);
      first[committee[0]] = (first[committee[0]] ?? 0) + 1;
    }
    // 9 ETH against 1 ETH: the heavy node is drawn first about 90 % of the time.
    expect(first[fx.addresses[2]]).toBeGreaterThan(160);
  });

  it('requestUnstake › collateral leaves only after the delay', async () => {
    await sendTx(c.staking, fx.wallets[2], 'requestUnstake', [parseEther('4')]);
    await expect(sendTx(c.staking, fx.wallets[2], 'withdraw', [])).rejects.toThrow(/NothingToWithdraw|revert/);
    await increaseTime(fx.provider, 3601);
    const before = await fx.provider.getBalance(fx.addresses[2]);
    const r = await sendTx(c.staking, fx.wallets[2], 'withdraw', []);
    const after = await fx.provider.getBalance(fx.addresses[2]);
    expect(after - before + r.gasUsed * r.gasPrice).toBe(parseEther('4'));
    expect((await c.staking.nodes(fx.addresses[2])).stake).toBe(parseEther('5'));
  });

  it('stopServing › removes the node from later draws', async () => {
    await sendTx(c.staking, fx.wallets[1], 'stopServing', [model]);
    const committee: string[] = await c.staking.drawCommittee(model, utf8Id('after'), 3, MaxUint256);
    expect(committee).toEqual([fx.addresses[2]]);
  });

  it('drawCommittee › a node whose declared fee is above maxFee (what one seat pays per case) is not drawn', async () => {
    // Node 2 declared 1 wei: drawn when a seat pays 1 wei, not when it pays nothing; declaring 0 it is.
    expect(await c.staking.drawCommittee(model, utf8Id('fee'), 3, 1n)).toEqual([fx.addresses[2]]);
    expect(await c.staking.drawCommittee(model, utf8Id('fee'), 3, 0n)).toEqual([]);
    await sendTx(c.staking, fx.wallets[2], 'serve', [[model], 0n]);
    expect(await c.staking.drawCommittee(model, utf8Id('fee'), 3, 0n)).toEqual([fx.addresses[2]]);
  });
});

describe('deployment', () => {
  it('ensureDeployment › keeps the addresses across an anvil restart on the same --state file', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-chain-'));
    try {
      const stateFile = join(dir, 'chain', 'anvil-state.json');
      const record = join(dir, 'chain', 'deployment.json');
      const run = async () => {
        const node = await startAnvil({ stateFile });
        const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 50 });
        const signer = new NonceManager(new Wallet(ANVIL_KEYS[0], provider));
        const startBlock = await provider.getBlockNumber();
        const d = await ensureDeployment(signer, record);
        const code = await provider.getCode(d.addresses.arbitration);
        provider.destroy();
        await node.stop();
        return { d, code, startBlock };
      };
      const first = await run();
      const second = await run();
      expect(first.startBlock).toBe(0);
      // The second node started from the saved chain (not block 0) and nothing was redeployed.
      expect(second.startBlock).toBeGreaterThanOrEqual(first.d.block);
      expect(second.d).toEqual(first.d);
      expect(second.code).not.toBe('0x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Arbitration › sealing without nodes', () => {
  it('draw › a full batch with no eligible node stays sealed, and draws once a node stakes', { timeout: 120_000 }, async () => {
    const own = await startChain({ deploy: true, config: { maxBatch: 2 } });
    try {
      const k = own.c!;
      await sendTx(k.registry, own.wallets[4], 'register', ['solo', '1.0.0', ROOT, utf8Id('onnx'), utf8Id('f'), 3, 0n, 0, [1n]]);
      const model = utf8Id('solo@1.0.0');
      const open = (i: number) => sendTx(k.arbitration, own.wallets[5], 'openCase', [utf8Id(`solo-${i}`), model, utf8Id(`s0-${i}`), own.addresses[6], own.addresses[5], '0x'], 0n);
      await open(1);
      await open(2); // full: sealed, but nobody to draw
      const batchId: bigint = (await k.arbitration.cases(caseIdOf(own.addresses[5], utf8Id('solo-1')))).batchId;
      expect(Number((await k.arbitration.batches(batchId)).status)).toBe(BatchStatus.Sealed);
      await expect(sealBatch(k, own.wallets[0], batchId)).rejects.toThrow(/NoEligibleNodes|revert/);
      await open(3); // a new batch takes it
      expect((await k.arbitration.cases(caseIdOf(own.addresses[5], utf8Id('solo-3')))).batchId).not.toBe(batchId);
      await sendTx(k.staking, own.wallets[1], 'stake', [], parseEther('2'));
      // A model of price 0 pays its seats nothing: a node asking 1 wei is not drawn, one asking nothing is.
      await sendTx(k.staking, own.wallets[1], 'serve', [[model], 1n]);
      await expect(sealBatch(k, own.wallets[0], batchId)).rejects.toThrow(/NoEligibleNodes|revert/);
      await sendTx(k.staking, own.wallets[1], 'serve', [[model], 0n]);
      await sealBatch(k, own.wallets[0], batchId);
      const b = await k.arbitration.batches(batchId);
      expect(Number(b.status)).toBe(BatchStatus.Executing);
      expect(Number(b.count)).toBe(2);
      expect(await k.arbitration.committeeOf(batchId)).toEqual([own.addresses[1]]);
    } finally {
      await own.stop();
    }
  });
});
