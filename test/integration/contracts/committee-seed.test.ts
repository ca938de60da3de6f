// Issue 8 #4: the committee seed is committed at sealing to a block not mined yet (the one the
// sealing transaction is in), and the draw runs only from a later block; nobody who seals, files the last case, redraws or appeals can know or
// choose the committee when acting. When the seed block's hash is gone (256 blocks) the draw is
// committed to a new block instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbiCoder, keccak256, id as utf8Id } from 'ethers';
import { BatchStatus, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, sendTx, setupModel } from './arbiter-scenario.js';
import { seatFeeCap } from '../../../server/market/split.js';
import { testInput } from './test-model.js';

let fx: ChainFixture;
let c: ArbiterContracts;
let seq = 0;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 2 } });
  c = fx.c!;
  await setupModel(c, fx.wallets[4], [fx.wallets[1], fx.wallets[2], fx.wallets[3]]);
});
afterAll(async () => fx?.stop());

async function openAndSeal(): Promise<bigint> {
  const ref = utf8Id(`seed-case-${++seq}`);
  const s0 = bytesToHex(stateHash(0, testInput(6000 + seq)));
  await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
  const batchId: bigint = (await c.arbitration.cases(caseIdOf(fx.addresses[5], ref))).batchId;
  await sendTx(c.arbitration, fx.wallets[0], 'seal', [batchId]);
  return batchId;
}

async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    return data ? c.arbitration.interface.parseError(data)?.name : undefined;
  }
  throw new Error('expected a revert');
}

describe('Arbitration › a committee seed nobody can choose', () => {
  it('draw › the committee comes from the hash of the sealing block, read from a later block, and not before it exists', async () => {
    const batchId = await openAndSeal();
    const sealedAt = await fx.provider.getBlockNumber();
    const b = await c.arbitration.batches(batchId);
    expect(Number(b.status)).toBe(BatchStatus.Sealed);
    // The seed block is the one the seal was mined in: its hash did not exist when the seal was sent.
    expect(b.seedBlock).toBe(BigInt(sealedAt));
    await sendTx(c.arbitration, fx.wallets[7], 'draw', [batchId]);
    const seedHash = (await fx.provider.getBlock(Number(b.seedBlock)))!.hash!;
    const seed = keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32', 'uint64', 'bytes32'], [seedHash, batchId, b.casesHash]));
    // The same draw, recomputed from the seed block's hash (read before the seats were locked).
    const expected: string[] = await c.staking.drawCommittee(MODEL_ID, seed, 2, await c.arbitration.seatFeeCap(MODEL_ID, 2), { blockTag: Number(b.seedBlock) });
    expect(await c.arbitration.committeeOf(batchId)).toEqual(expected);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Executing);
  });

  it('draw › in the sealing block itself (the seed block, still being built: its hash does not exist) is TooEarly', async () => {
    const ref = utf8Id(`seed-case-${++seq}`);
    const s0 = bytesToHex(stateHash(0, testInput(6000 + seq)));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
    const batchId: bigint = (await c.arbitration.cases(caseIdOf(fx.addresses[5], ref))).batchId;
    await fx.provider.send('evm_setAutomine', [false]);
    try {
      // A caller who seals and draws in one block (one sender, consecutive nonces).
      const sealer = fx.wallets[0];
      const seal = await sealer.sendTransaction({ to: await c.arbitration.getAddress(), data: c.arbitration.interface.encodeFunctionData('seal', [batchId]), gasLimit: 500_000n });
      const draw = await sealer.sendTransaction({ to: await c.arbitration.getAddress(), data: c.arbitration.interface.encodeFunctionData('draw', [batchId]), gasLimit: 3_000_000n });
      await fx.provider.send('evm_mine', []);
      const [rs, rd] = await Promise.all([fx.provider.getTransactionReceipt(seal.hash), fx.provider.getTransactionReceipt(draw.hash)]);
      expect(rs!.blockNumber).toBe(rd!.blockNumber);
      expect(rs!.status).toBe(1);
      expect(rd!.status).toBe(0);
      expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Sealed);
      expect((await c.arbitration.batches(batchId)).seedBlock).toBe(BigInt(rs!.blockNumber));
    } finally {
      await fx.provider.send('evm_setAutomine', [true]);
    }
    // From the next block on, the draw runs.
    await sendTx(c.arbitration, fx.wallets[7], 'draw', [batchId]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Executing);
  });

  it('draw › after the seed block hash is gone (256 blocks), the draw is committed to a new block, then runs', async () => {
    const batchId = await openAndSeal();
    await fx.provider.send('anvil_mine', ['0x110']);
    const r = await sendTx(c.arbitration, fx.wallets[7], 'draw', [batchId]);
    const b = await c.arbitration.batches(batchId);
    expect(Number(b.status)).toBe(BatchStatus.Sealed);
    expect(b.seedBlock).toBe(BigInt(r.blockNumber));
    await sendTx(c.arbitration, fx.wallets[7], 'draw', [batchId]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Executing);
    expect((await c.arbitration.committeeOf(batchId)).length).toBe(2);
  });
});

describe('Arbitration › a node sits only where its seat pays its declared fee', () => {
  const drawn = async (): Promise<string[]> => {
    const batchId = await openAndSeal();
    await fx.provider.send('evm_mine', []);
    await sendTx(c.arbitration, fx.wallets[7], 'draw', [batchId]);
    return c.arbitration.committeeOf(batchId);
  };

  it('draw › seatFeeCap is server/market/split.ts\'s; a node declaring more is never drawn, one declaring exactly the cap is; nobody within it is NoEligibleNodes', async () => {
    const cap: bigint = await c.arbitration.seatFeeCap(MODEL_ID, 2);
    const m = await c.registry.get(MODEL_ID);
    expect(cap).toBe(seatFeeCap(m.price, Number(m.royaltyBps), 2));
    expect(cap).toBe(seatFeeCap(CASE_FEE, 1000, 2));
    const [n1, n2, n3] = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
    await sendTx(c.staking, n1, 'serve', [[MODEL_ID], cap + 1n]);
    for (let i = 0; i < 4; i++) {
      const committee = await drawn();
      expect(committee.length).toBe(2);
      expect(committee).not.toContain(fx.addresses[1]);
    }
    await sendTx(c.staking, n2, 'serve', [[MODEL_ID], cap + 1n]);
    expect(await drawn()).toEqual([fx.addresses[3]]);
    await sendTx(c.staking, n3, 'serve', [[MODEL_ID], cap + 1n]);
    const batchId = await openAndSeal();
    await fx.provider.send('evm_mine', []);
    await expect(sendTx(c.arbitration, fx.wallets[7], 'draw', [batchId])).rejects.toThrow(/NoEligibleNodes|revert/);
    // At exactly the cap a node sits again.
    await sendTx(c.staking, n1, 'serve', [[MODEL_ID], cap]);
    await sendTx(c.arbitration, fx.wallets[7], 'draw', [batchId]);
    expect(await c.arbitration.committeeOf(batchId)).toEqual([fx.addresses[1]]);
  });
});
