// Arbitration.openCases: many cases in one transaction (the pipeline's opener), each exactly as
// openCase would open it (same checks, CaseOpened, escrow split, a full batch seals itself);
// all or nothing; the value must be exactly the sum of the cases' payments. Attacks: a case paid
// from another case's share, an over- or under-paid call, a case id already taken, someone
// else's reference. And the chain port's openCases, which drops cases already on chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonceManager, Wallet, id as utf8Id } from 'ethers';
import { ANVIL_KEYS } from '../../../server/chain/anvil.js';
import { connectRpc } from '../../../server/chain/provider.js';
import { awardsCommitment } from '../../../server/chain/awards.js';
import { BatchStatus, CaseStatus, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { createChainPort } from '../../../server/pipeline/chain-port.js';
import { waitUntil } from '../../support/wait.js';
import { startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, CLAIMANT_CLASSES, MODEL_ID, TEST_AWARD_MAX, TEST_AWARD_TABLE, sendTx, setupModel } from './arbiter-scenario.js';
import { testInput, testModel } from './test-model.js';

const MAX_BATCH = 4;
let fx: ChainFixture;
let c: ArbiterContracts;
let opener: NonceManager;
let seq = 0;

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, maxBatch: MAX_BATCH } });
  c = fx.c!;
  opener = fx.wallets[5];
  await setupModel(c, fx.wallets[4], [fx.wallets[1], fx.wallets[2], fx.wallets[3]]);
}, 120_000);
afterAll(async () => fx?.stop());

/** One openCases item (value = fee + deposit unless given) and the id its opener gets. */
function item(over: Partial<{ value: bigint; awards: string; ref: string }> = {}) {
  const ref = over.ref ?? utf8Id(`open-cases-${++seq}`);
  const s0 = bytesToHex(stateHash(0, testInput(5000 + seq)));
  return {
    ref,
    modelId: MODEL_ID,
    s0,
    claimant: fx.addresses[6],
    respondent: fx.addresses[5],
    value: over.value ?? CASE_FEE + TEST_AWARD_MAX,
    awards: over.awards ?? TEST_AWARD_TABLE,
  };
}
const total = (xs: { value: bigint }[]) => xs.reduce((a, x) => a + x.value, 0n);
const idOf = (ref: string, who = fx.addresses[5]) => caseIdOf(who, ref);

async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data ?? (e as { info?: { error?: { data?: string } } }).info?.error?.data;
    return data ? c.arbitration.interface.parseError(data)?.name : undefined;
  }
  throw new Error('expected a revert');
}

describe('Arbitration.openCases', () => {
  it('opens every case as openCase would: stored fields, one CaseOpened each in order, the escrow split, a full batch sealed by itself', async () => {
    const xs = Array.from({ length: MAX_BATCH + 2 }, () => item());
    const escrowAddr = await c.escrow.getAddress();
    const before = await fx.provider.getBalance(escrowAddr);
    const r = await sendTx(c.arbitration, opener, 'openCases', [xs], total(xs));
    const opened = r.logs.map((l) => { try { return c.arbitration.interface.parseLog(l); } catch { return null; } }).filter((p) => p?.name === 'CaseOpened');
    expect(opened.map((p) => String(p!.args.caseId))).toEqual(xs.map((x) => idOf(x.ref)));
    const batchIds = new Set<bigint>();
    for (const [i, x] of xs.entries()) {
      const cs = await c.arbitration.cases(idOf(x.ref));
      expect(Number(cs.status)).toBe(CaseStatus.Open);
      expect(cs.s0).toBe(x.s0);
      expect(cs.amount).toBe(TEST_AWARD_MAX);
      expect(cs.awards).toBe(awardsCommitment(TEST_AWARD_TABLE));
      expect(String(cs.respondent)).toBe(fx.addresses[5]);
      expect(Number(cs.index)).toBe(i % MAX_BATCH);
      batchIds.add(cs.batchId);
    }
    // The first MAX_BATCH cases filled a batch, which sealed itself; the rest fill the next one.
    const [first, second] = [...batchIds];
    expect(Number((await c.arbitration.batches(first)).status)).toBe(BatchStatus.Sealed);
    expect(Number((await c.arbitration.batches(second)).status)).toBe(BatchStatus.Filling);
    expect(Number((await c.arbitration.batches(second)).count)).toBe(2);
    // Every wei went to the escrow, and it holds exactly what it owes.
    expect((await fx.provider.getBalance(escrowAddr)) - before).toBe(total(xs));
    expect(await fx.provider.getBalance(escrowAddr)).toBe(await c.escrow.owed());
    await sendTx(c.arbitration, fx.wallets[0], 'seal', [second]); // later tests start their own batch
  });

  it('refuses a call whose value is not exactly the sum of the cases\' payments (over or under), opening nothing', async () => {
    const xs = [item(), item()];
    expect(await revertName(sendTx(c.arbitration, opener, 'openCases', [xs], total(xs) + 1n))).toBe('InsufficientPayment');
    expect(await revertName(sendTx(c.arbitration, opener, 'openCases', [xs], total(xs) - 1n))).toBe('InsufficientPayment');
    for (const x of xs) expect(Number((await c.arbitration.cases(idOf(x.ref))).status)).toBe(CaseStatus.None);
  });

  it('attack: one case\'s deposit cannot be paid from another\'s overpayment (each case is checked on its own value)', async () => {
    const rich = item({ value: CASE_FEE + TEST_AWARD_MAX * 2n });
    const poor = item({ value: CASE_FEE + TEST_AWARD_MAX - 1n });
    expect(await revertName(sendTx(c.arbitration, opener, 'openCases', [[rich, poor]], total([rich, poor])))).toBe('DepositBelowAward');
    expect(await revertName(sendTx(c.arbitration, opener, 'openCases', [[item({ value: CASE_FEE - 1n, awards: '0x' })]], CASE_FEE - 1n))).toBe('InsufficientPayment');
    expect(Number((await c.arbitration.cases(idOf(rich.ref))).status)).toBe(CaseStatus.None);
  });

  it('all or nothing: a case id already taken reverts the whole call (CaseExists), the others stay unopened', async () => {
    const taken = item();
    await sendTx(c.arbitration, opener, 'openCases', [[taken]], taken.value);
    const fresh = item();
    expect(await revertName(sendTx(c.arbitration, opener, 'openCases', [[fresh, taken]], fresh.value + taken.value))).toBe('CaseExists');
    expect(Number((await c.arbitration.cases(idOf(fresh.ref))).status)).toBe(CaseStatus.None);
  });

  it('attack: an opener batching another opener\'s references gets its own case ids, never theirs', async () => {
    const victim = item();
    const attacker = fx.wallets[7];
    await sendTx(c.arbitration, attacker, 'openCases', [[victim]], victim.value);
    expect(Number((await c.arbitration.cases(idOf(victim.ref, fx.addresses[7]))).status)).toBe(CaseStatus.Open);
    expect(Number((await c.arbitration.cases(idOf(victim.ref))).status)).toBe(CaseStatus.None);
    await sendTx(c.arbitration, opener, 'openCases', [[victim]], victim.value);
    expect(Number((await c.arbitration.cases(idOf(victim.ref))).status)).toBe(CaseStatus.Open);
  });

  it('an empty list with no value opens nothing and does not revert', async () => {
    const r = await sendTx(c.arbitration, opener, 'openCases', [[]], 0n);
    expect(r.status).toBe(1);
  });
});

describe('Arbitration.openCasesAndSeal', () => {
  const seedsOf = (r: { logs: readonly { topics: readonly string[]; data: string }[] }) =>
    r.logs.map((l) => { try { return c.arbitration.interface.parseLog(l); } catch { return null; } }).filter((p) => p?.name === 'SeedCommitted').map((p) => ({ batchId: p!.args.batchId as bigint, seedBlock: p!.args.seedBlock as bigint }));

  it('opens as openCases and seals every batch its cases went into, once each, seeded by its own block; the draw runs from the next block', async () => {
    const registrar = fx.wallets[0];
    // Start from an empty filling batch (earlier tests leave one filling).
    const filling = (await c.arbitration.fillingBatch(MODEL_ID)) as bigint;
    if (filling !== 0n) await sendTx(c.arbitration, registrar, 'seal', [filling]);
    const xs = Array.from({ length: MAX_BATCH + 1 }, () => item());
    const r = await sendTx(c.arbitration, registrar, 'openCasesAndSeal', [xs], total(xs));
    const batchIds = [...new Set(await Promise.all(xs.map(async (x) => (await c.arbitration.cases(idOf(x.ref, fx.addresses[0]))).batchId as bigint)))];
    expect(batchIds.length).toBe(2); // a full one (sealed by itself) and the rest
    for (const b of batchIds) {
      const batch = await c.arbitration.batches(b);
      expect(Number(batch.status)).toBe(BatchStatus.Sealed);
      expect(batch.seedBlock).toBe(BigInt(r.blockNumber));
    }
    expect(seedsOf(r)).toEqual(batchIds.map((batchId) => ({ batchId, seedBlock: BigInt(r.blockNumber) })));
    // The keeper's draw, in the block after the seal.
    const d = await sendTx(c.arbitration, fx.wallets[7], 'draw', [batchIds[1]]);
    expect(d.blockNumber).toBe(r.blockNumber + 1);
    expect(Number((await c.arbitration.batches(batchIds[1])).status)).toBe(BatchStatus.Executing);
    // The next case starts a new batch (nothing is filling for the model any more).
    const next = item();
    await sendTx(c.arbitration, opener, 'openCases', [[next]], next.value);
    const nb = (await c.arbitration.cases(idOf(next.ref))).batchId as bigint;
    expect(nb).toBeGreaterThan(batchIds[1]);
    expect(Number((await c.arbitration.batches(nb)).status)).toBe(BatchStatus.Filling);
    await sendTx(c.arbitration, registrar, 'seal', [nb]); // later tests start their own batch
  });

  it('attack: anyone but the registrar seals only as seal() lets them, after the batch window: before it the whole call reverts (TooEarly), opening nothing', async () => {
    const early = item();
    expect(await revertName(sendTx(c.arbitration, opener, 'openCasesAndSeal', [[early]], early.value))).toBe('TooEarly');
    expect(Number((await c.arbitration.cases(idOf(early.ref))).status)).toBe(CaseStatus.None);
    // A batch that has filled past its window may be sealed by anyone, with its last cases.
    const first = item();
    await sendTx(c.arbitration, opener, 'openCases', [[first]], first.value);
    const b = (await c.arbitration.cases(idOf(first.ref))).batchId as bigint;
    await fx.provider.send('evm_increaseTime', [3600]);
    await fx.provider.send('evm_mine', []);
    const last = item();
    const r = await sendTx(c.arbitration, opener, 'openCasesAndSeal', [[last]], last.value);
    expect((await c.arbitration.cases(idOf(last.ref))).batchId).toBe(b);
    expect(Number((await c.arbitration.batches(b)).status)).toBe(BatchStatus.Sealed);
    expect(seedsOf(r)).toEqual([{ batchId: b, seedBlock: BigInt(r.blockNumber) }]);
  });
});

describe('chain port › openCases', () => {
  it('drops the cases already on chain (a retry after a crash) and opens the rest in one transaction, returning each one\'s batch', async () => {
    const port = createChainPort(fx.deployment!, fx.provider);
    const xs = [item(), item(), item()];
    const asPort = (x: ReturnType<typeof item>) => ({
      ref: x.ref, chainCaseId: idOf(x.ref), modelId: x.modelId, s0: x.s0, claimant: x.claimant, respondent: x.respondent, awardTable: x.awards, deposit: TEST_AWARD_MAX,
    });
    await sendTx(c.arbitration, opener, 'openCases', [[xs[1]]], xs[1].value);
    const r = await port.openCases(opener, xs.map(asPort));
    expect(r.existing).toEqual([idOf(xs[1].ref).toLowerCase()]);
    expect([...r.opened.keys()].sort()).toEqual([idOf(xs[0].ref), idOf(xs[2].ref)].map((s) => s.toLowerCase()).sort());
    for (const x of [xs[0], xs[2]]) expect(r.opened.get(idOf(x.ref).toLowerCase())).toBe((await c.arbitration.cases(idOf(x.ref))).batchId);
    expect(r.sealed).toEqual([]);
    // Everything already open: nothing is sent.
    const again = await port.openCases(opener, xs.map(asPort));
    expect(again.opened.size).toBe(0);
    expect(again.receipt).toBeUndefined();
    expect(again.existing.length).toBe(3);
  });

  it.each([
    ['openCases', false, 'estimated (a chain without synchronous sends)'],
    ['openCasesAndSeal', true, 'estimated (a chain without synchronous sends)'],
    ['openCases', false, 'unestimated (the embedded anvil)'],
    ['openCasesAndSeal', true, 'unestimated (the embedded anvil)'],
  ])('%s, %s: cases meant for their models\' filling batches and mined after those were sealed open new batches, not out of gas', async (_fn, seal, how) => {
    // The pipeline's race: the opener estimates while its models' batches fill; the seal jobs'
    // transactions land first; each case then opens a new batch (its storage, the filling pointer,
    // the batch's pot), ~70–90k gas the estimate did not count, per model. With the plain margin
    // (30 % + 30k) a transaction of four models ran out of gas, and its cases waited out a retry.
    // On the embedded anvil openCases goes unestimated, with a limit by its size: the same race.
    // The estimated path is another chain's: a provider of its own that does not say it is anvil,
    // with signers of its own.
    const estimated = how.startsWith('estimated');
    const portProvider = estimated ? connectRpc(fx.anvil.url, 50) : fx.provider;
    if (estimated) {
      const plain = portProvider.send.bind(portProvider);
      portProvider.send = (method, params) => (method === 'web3_clientVersion' ? Promise.resolve('Geth/v1.14.0') : plain(method, params));
    }
    const port = createChainPort(fx.deployment!, portProvider);
    const m = testModel();
    const models = [MODEL_ID];
    // Start from an empty filling batch (earlier tests leave one filling).
    const left = (await c.arbitration.fillingBatch(MODEL_ID)) as bigint;
    if (left !== 0n) await sendTx(c.arbitration, fx.wallets[0], 'seal', [left]);
    for (const name of ['gas-race-a', 'gas-race-b', 'gas-race-c'].map((n) => `${n}${seal ? '-sealed' : ''}-${estimated ? 'estimated' : 'unestimated'}`)) {
      await sendTx(c.registry, fx.wallets[4], 'register', [name, '1.0.0', m.modelRoot, `0x${m.sha256}`, utf8Id('test-features@1.0.0'), m.steps, CASE_FEE, 1000, [CLAIMANT_CLASSES]]);
      models.push(utf8Id(`${name}@1.0.0`));
    }
    // openCasesAndSeal seals the new batches too: only the registrar may, before their window.
    const ours = seal ? fx.wallets[0] : opener;
    const who = estimated ? new NonceManager(new Wallet(ANVIL_KEYS[seal ? 0 : 5], portProvider)) : ours;
    const whoAddress = await who.getAddress();
    const asPort = (x: ReturnType<typeof item>) => ({
      ref: x.ref, chainCaseId: idOf(x.ref, whoAddress), modelId: x.modelId, s0: x.s0, claimant: x.claimant, respondent: x.respondent, awardTable: x.awards, deposit: TEST_AWARD_MAX,
    });
    const firsts = models.map((modelId) => ({ ...item(), modelId }));
    await sendTx(c.arbitration, opener, 'openCases', [firsts], total(firsts));
    const filling = await Promise.all(firsts.map(async (x) => (await c.arbitration.cases(idOf(x.ref))).batchId as bigint));
    for (const b of filling) expect(Number((await c.arbitration.batches(b)).status)).toBe(BatchStatus.Filling);
    // Past the batch window, anyone may seal.
    await fx.provider.send('evm_increaseTime', [3600]);
    await fx.provider.send('evm_mine', []);

    const provider = portProvider;
    const send = provider.send.bind(provider);
    const sealHashes: string[] = [];
    let sealing = false;
    await send('evm_setAutomine', [false]);
    try {
      // The seals reach the pool just after the opener's estimate, before its broadcast (whichever
      // way it is sent: on anvil it goes as eth_sendRawTransactionSync, beside this provider's
      // send), with a higher tip: mined first, in the same block.
      const sealFirst = async () => {
        sealing = true;
        const sealer = c.arbitration.connect(fx.wallets[7]) as typeof c.arbitration;
        for (const b of filling) {
          const tx = await sealer.getFunction('seal')(b, { gasLimit: 500_000n, maxPriorityFeePerGas: 10n ** 11n, maxFeePerGas: 10n ** 12n });
          sealHashes.push(tx.hash);
        }
      };
      if (estimated) {
        provider.send = async (method: string, params: unknown[] | Record<string, unknown>) => {
          const answer = await send(method, params);
          if (method === 'eth_estimateGas' && !sealing) await sealFirst();
          return answer;
        };
      } else await sealFirst(); // no estimate to follow: the seals wait in the pool first
      const late = models.map((modelId) => ({ ...item(), modelId }));
      const opening = port.openCases(who, late.map(asPort), { seal });
      opening.catch(() => {});
      await waitUntil(async () => Number(((await send('txpool_status', [])) as { pending: string }).pending) >= models.length + 1, 'the seals and the opening pending', 30_000);
      await send('evm_mine', []);
      const r = await opening;
      for (const h of sealHashes) {
        const sealed = (await provider.getTransactionReceipt(h))!;
        expect(sealed.blockNumber).toBe(r.receipt!.blockNumber);
        expect(sealed.index).toBeLessThan(r.receipt!.index);
      }
      for (const [i, x] of late.entries()) {
        const id = idOf(x.ref, whoAddress);
        expect(r.opened.get(id.toLowerCase())).toBeGreaterThan(filling[i]);
        expect(Number((await c.arbitration.cases(id)).status)).toBe(CaseStatus.Open);
        const nb = (await c.arbitration.cases(id)).batchId as bigint;
        expect(Number((await c.arbitration.batches(nb)).status)).toBe(seal ? BatchStatus.Sealed : BatchStatus.Filling);
      }
      expect(r.sealed.length).toBe(seal ? models.length : 0);
      for (const b of filling) expect(Number((await c.arbitration.batches(b)).status)).not.toBe(BatchStatus.Filling);
    } finally {
      provider.send = send;
      await send('evm_setAutomine', [true]);
      if (estimated) {
        ours.reset(); // its nonces moved under the other signer
        portProvider.destroy();
      }
    }
  });
});
