// Issue 8 #7: nodes can refuse a bad input. Before the fix the opener supplied S_0 and nothing
// else: a drawn node given an input outside the model's declared ranges (or none at all) could
// only stay silent, and was slashed for it on every redraw. Now the input's bytes prove it
// invalid (refuseInput), and an input nobody makes available ends the case refused after a
// deadline (claimUnavailable → publishInput or refuseUnavailable); a lying node cannot use the
// latter to dodge a case whose input someone has. Out-of-range inputs are refused alike by the
// runner (checkInputRange) and the chain (inputValid), on the test model and every shipped one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeroHash, keccak256, solidityPackedKeccak256, id as utf8Id, type NonceManager } from 'ethers';
import { batchCommitment, claimsRoot } from '../../../server/chain/batch-claims.js';
import { BatchStatus, CaseStatus, MemberState, caseIdOf, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { REFUSED, encodeInputRanges, refusedClaim } from '../../../server/chain/input-ranges.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { checkInputRange, InputRangeError } from '../../../server/inference/execution.js';
import type { FeatureSpec } from '../../../server/inference/featurizer.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { encodeTensor } from '../../../server/inference/tensor-encoding.js';
import type { Tensor } from '../../../server/inference/tensor.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { loadCatalogue } from '../../../server/pipeline/models.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, MODEL_ID, TEST_AWARD_MAX, TEST_AWARD_TABLE, claimTuple, commitReveal, evidence, partyTrace, sealBatch, sendTx, setupModel } from './arbiter-scenario.js';
import { TEST_FEATURES, honestTrace, testInput } from './test-model.js';

const DISPUTE_WINDOW = 1000;
const COMMIT_WINDOW = 600;
let fx: ChainFixture;
let c: ArbiterContracts;
let nodes: NonceManager[];
let addr: string[];
let seq = 0;
const RANGES = encodeInputRanges(TEST_FEATURES);

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, challengeWindow: 600, commitWindow: COMMIT_WINDOW, disputeWindow: DISPUTE_WINDOW } });
  c = fx.c!;
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  addr = fx.addresses.slice(1, 4);
  await setupModel(c, fx.wallets[4], nodes);
});
afterAll(async () => fx?.stop());

async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    if (!data) return undefined;
    for (const k of ['arbitration', 'registry'] as const) {
      try {
        const parsed = c[k].interface.parseError(data);
        if (parsed) return parsed.name;
      } catch {
        /* not this contract's */
      }
    }
    return undefined;
  }
  throw new Error('expected a revert');
}

/** S_0 of any input bytes: keccak256(uint32 0 ‖ bytes). */
const s0Of = (bytes: string) => solidityPackedKeccak256(['uint32', 'bytes'], [0, bytes]);
const row = (values: bigint[]): Tensor => ({ rows: 1, cols: values.length, data: BigInt64Array.from(values) });

/** Opens one case per input (raw encoded bytes), in one batch, and draws its committee. */
async function openCases(inputs: string[]): Promise<{ batchId: bigint; caseIds: string[] }> {
  const caseIds: string[] = [];
  let batchId = 0n;
  for (const bytes of inputs) {
    const ref = utf8Id(`input-refusal-${++seq}`);
    caseIds.push(caseIdOf(fx.addresses[5], ref));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [ref, MODEL_ID, s0Of(bytes), fx.addresses[6], fx.addresses[5], TEST_AWARD_TABLE], CASE_FEE + TEST_AWARD_MAX);
    batchId = (await c.arbitration.cases(caseIds.at(-1)!)).batchId;
  }
  await sealBatch(c, fx.wallets[0], batchId);
  return { batchId, caseIds };
}

const enc = (t: Tensor) => bytesToHex(encodeTensor(t));
const statusOf = async (caseId: string) => Number((await c.arbitration.cases(caseId)).status);

describe('ModelRegistry › input ranges', () => {
  it('setInputRanges › only the creator declares them, once, as min ≤ max pairs', async () => {
    expect(await revertName(sendTx(c.registry, fx.wallets[7], 'setInputRanges', [MODEL_ID, RANGES]))).toBe('NotModelCreator');
    const backwards = encodeInputRanges([{ name: 'x', min: 5n, max: 4n }]);
    expect(await revertName(sendTx(c.registry, fx.wallets[4], 'setInputRanges', [MODEL_ID, backwards]))).toBe('InvalidModel');
    await sendTx(c.registry, fx.wallets[4], 'setInputRanges', [MODEL_ID, RANGES]);
    expect(await c.registry.inputRanges(MODEL_ID)).toBe(keccak256(RANGES));
    expect(await revertName(sendTx(c.registry, fx.wallets[4], 'setInputRanges', [MODEL_ID, RANGES]))).toBe('InvalidModel');
  });
});

describe('Arbitration › a node refuses an invalid input (issue 8 #7)', () => {
  it('refuseInput › an input outside its declared range is refused with its bytes: the deposit goes back, the refused claim is the only valid one, the rest of the batch settles', async () => {
    const good = testInput(31);
    const bad = testInput(32);
    bad.data[5] = 1001n; // the declared range is [-1000, 1000]
    const { batchId, caseIds } = await openCases([enc(bad), enc(good)]);
    // A valid input cannot be refused; bytes that are not the case's input prove nothing; ranges
    // other than the declared ones are refused.
    expect(await revertName(sendTx(c.arbitration, nodes[0], 'refuseInput', [caseIds[1], enc(good), RANGES]))).toBe('InputValid');
    expect(await revertName(sendTx(c.arbitration, nodes[0], 'refuseInput', [caseIds[0], enc(good), RANGES]))).toBe('BadProof');
    const wide = encodeInputRanges(TEST_FEATURES.map((f) => ({ ...f, max: 5000n })));
    expect(await revertName(sendTx(c.arbitration, nodes[0], 'refuseInput', [caseIds[0], enc(bad), wide]))).toBe('BadProof');
    const respondentBefore = await fx.provider.getBalance(fx.addresses[5]);
    const r = await sendTx(c.arbitration, nodes[0], 'refuseInput', [caseIds[0], enc(bad), RANGES]);
    expect(await statusOf(caseIds[0])).toBe(CaseStatus.Refused);
    const ev = r.logs.map((l) => c.arbitration.interface.parseLog(l as never)).find((p) => p?.name === 'InputRefused');
    expect(ev?.args.depositRefund).toBe(TEST_AWARD_MAX);
    expect(await fx.provider.getBalance(fx.addresses[5])).toBe(respondentBefore + TEST_AWARD_MAX);
    expect(await revertName(sendTx(c.arbitration, nodes[0], 'refuseInput', [caseIds[0], enc(bad), RANGES]))).toBe('WrongCaseStatus');
    // Two honest members claim REFUSED for it; a third ran it anyway (an ordinary claim).
    const honestGood = partyTrace(caseIds[1], s0Of(enc(good)), honestTrace(good));
    const ran = partyTrace(caseIds[0], s0Of(enc(bad)), honestTrace(bad));
    const refused = refusedClaim(caseIds[0], MODEL_ID, s0Of(enc(bad)));
    const honestClaims: Claim[] = [refused, honestGood.claim];
    const ranClaims: Claim[] = [ran.claim, honestGood.claim];
    await commitReveal(c, batchId, [
      { node: nodes[0], claims: honestClaims },
      { node: nodes[1], claims: honestClaims },
      { node: nodes[2], claims: ranClaims },
    ]);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Disputed);
    const refusedEv = [claimTuple(refused), evidence(ran, honestClaims, 0)[1], []];
    await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, addr[0], refusedEv, addr[2], evidence(ran, ranClaims, 0)]);
    // The member that ran an invalid input holds a claim invalid on its face: evicted outright.
    expect(Number((await c.arbitration.members(batchId, addr[2])).state)).toBe(MemberState.Evicted);
    expect(Number((await c.arbitration.members(batchId, addr[0])).state)).toBe(MemberState.Revealed);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
    await increaseTime(fx.provider, 601);
    await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, honestClaims.map(claimTuple), [TEST_AWARD_TABLE, TEST_AWARD_TABLE]]);
    expect(await statusOf(caseIds[1])).toBe(CaseStatus.Settled);
    expect(await statusOf(caseIds[0])).toBe(CaseStatus.Refused);
    expect(REFUSED).toBe((1n << 256n) - 1n);
  }, 120_000);

  it('refuseInput › an input that is not a canonical 1 × 64 encoding is refused (too wide a width, wrong shape)', async () => {
    // Width 8 for values that fit 2 bytes: not the canonical encoding, so no honest S_0.
    const t = testInput(33);
    const wide = new Uint8Array(5 + 64 * 8);
    wide[1] = 1;
    wide[3] = 64;
    wide[4] = 8;
    const view = new DataView(wide.buffer);
    t.data.forEach((v, i) => view.setBigInt64(5 + i * 8, v));
    const short = enc(row(Array.from(t.data.slice(0, 63))));
    const { caseIds } = await openCases([bytesToHex(wide), short]);
    await sendTx(c.arbitration, nodes[1], 'refuseInput', [caseIds[0], bytesToHex(wide), RANGES]);
    await sendTx(c.arbitration, nodes[1], 'refuseInput', [caseIds[1], short, RANGES]);
    expect(await statusOf(caseIds[0])).toBe(CaseStatus.Refused);
    expect(await statusOf(caseIds[1])).toBe(CaseStatus.Refused);
  }, 60_000);
});

describe('Arbitration › an input nobody makes available (issue 8 #7)', () => {
  it('claimUnavailable › unanswered until the deadline, the case is refused and the deposit returned; the committee keeps its windows', async () => {
    const input = testInput(41);
    const { batchId, caseIds } = await openCases([enc(input)]);
    const before = await c.arbitration.batches(batchId);
    // Only a drawn member that has not committed may claim.
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'claimUnavailable', [caseIds[0]]))).toBe('NotCommitteeMember');
    const r = await sendTx(c.arbitration, nodes[0], 'claimUnavailable', [caseIds[0]]);
    const claimed = r.logs.map((l) => c.arbitration.interface.parseLog(l as never)).find((p) => p?.name === 'InputClaimed');
    const deadline = Number(claimed!.args.deadline);
    const after = await c.arbitration.batches(batchId);
    // The committee gets its commit window again after the input deadline.
    expect(Number(after.commitDeadline)).toBe(deadline + COMMIT_WINDOW);
    expect(Number(after.commitDeadline)).toBeGreaterThan(Number(before.commitDeadline));
    expect(await revertName(sendTx(c.arbitration, nodes[1], 'claimUnavailable', [caseIds[0]]))).toBe('InputClaimedAlready');
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'refuseUnavailable', [caseIds[0]]))).toBe('InputNotOverdue');
    await increaseTime(fx.provider, DISPUTE_WINDOW + 1);
    const respondentBefore = await fx.provider.getBalance(fx.addresses[5]);
    await sendTx(c.arbitration, fx.wallets[7], 'refuseUnavailable', [caseIds[0]]);
    expect(await statusOf(caseIds[0])).toBe(CaseStatus.Refused);
    expect(await fx.provider.getBalance(fx.addresses[5])).toBe(respondentBefore + TEST_AWARD_MAX);
    // Too late to publish it now.
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'publishInput', [caseIds[0], enc(input)]))).toBe('WrongCaseStatus');
  }, 60_000);

  it('claimUnavailable › a liar cannot dodge a case: whoever has the input publishes it and the case goes on; the liar must still commit or be slashed', async () => {
    const input = testInput(42);
    const { batchId, caseIds } = await openCases([enc(input)]);
    await sendTx(c.arbitration, nodes[2], 'claimUnavailable', [caseIds[0]]);
    // Bytes that are not the input answer nothing.
    expect(await revertName(sendTx(c.arbitration, fx.wallets[5], 'publishInput', [caseIds[0], enc(testInput(43))]))).toBe('BadProof');
    const r = await sendTx(c.arbitration, fx.wallets[5], 'publishInput', [caseIds[0], enc(input)]);
    const pub = r.logs.map((l) => c.arbitration.interface.parseLog(l as never)).find((p) => p?.name === 'InputPublished');
    expect(pub?.args.input).toBe(enc(input));
    await increaseTime(fx.provider, DISPUTE_WINDOW + 1);
    expect(await revertName(sendTx(c.arbitration, fx.wallets[7], 'refuseUnavailable', [caseIds[0]]))).toBe('InputNotOverdue');
    expect(await statusOf(caseIds[0])).toBe(CaseStatus.Open);
    // The two honest members run it; the liar stays silent and is evicted when the reveals close.
    const claims = [partyTrace(caseIds[0], s0Of(enc(input)), honestTrace(input)).claim];
    const root = claimsRoot(claims);
    for (const i of [0, 1]) await sendTx(c.arbitration, nodes[i], 'commit', [batchId, batchCommitment(batchId, root, utf8Id(`s${i}`), addr[i])]);
    const now = async () => Number((await fx.provider.getBlock('latest'))!.timestamp);
    const b = await c.arbitration.batches(batchId);
    await increaseTime(fx.provider, Number(b.commitDeadline) - (await now()) + 1);
    for (const i of [0, 1]) await sendTx(c.arbitration, nodes[i], 'reveal', [batchId, root, utf8Id(`s${i}`)]);
    await increaseTime(fx.provider, Number(b.revealDeadline) - (await now()) + 1);
    const stake = (await c.staking.nodes(addr[2])).stake;
    await sendTx(c.arbitration, fx.wallets[7], 'closeReveals', [batchId]);
    expect(Number((await c.arbitration.members(batchId, addr[2])).state)).toBe(MemberState.Evicted);
    expect((await c.staking.nodes(addr[2])).stake).toBeLessThan(stake);
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
  }, 60_000);
});

describe('the runner and the referee refuse the same inputs (issue 8 #7)', () => {
  const runnerRefuses = (t: Tensor, features: readonly FeatureSpec[]) => {
    try {
      checkInputRange(t, features);
      return false;
    } catch (e) {
      if (e instanceof InputRangeError) return true;
      throw e;
    }
  };

  /** Inputs at every feature's bounds and one past them (the rest at their minimum), and a wrong width. */
  function probes(features: readonly FeatureSpec[]): Tensor[] {
    const base = features.map((f) => f.min);
    const out: Tensor[] = [row(base)];
    const step = Math.max(1, Math.floor(features.length / 12));
    for (let i = 0; i < features.length; i += step) {
      for (const v of [features[i].max, features[i].min - 1n, features[i].max + 1n]) {
        const x = base.slice();
        x[i] = v;
        out.push(row(x));
      }
    }
    out.push(row(base.slice(1)));
    return out;
  }

  it('inputValid › agrees with checkInputRange at and past every bound, for the test model and all five shipped models', async () => {
    const catalogue = await loadCatalogue();
    const models: { id: string; features: readonly FeatureSpec[] }[] = [{ id: MODEL_ID, features: TEST_FEATURES }];
    for (const m of catalogue.all) {
      // A registry entry per shipped featurizer, with its declared ranges (the entries only hold ranges here).
      const name = `ranges-${m.card.id}`;
      await sendTx(c.registry, fx.wallets[4], 'register', [name, '1.0.0', utf8Id(name), ZeroHash, ZeroHash, 1, CASE_FEE, 0, []]);
      const id = utf8Id(`${name}@1.0.0`);
      await sendTx(c.registry, fx.wallets[4], 'setInputRanges', [id, encodeInputRanges(m.definition.featurizer.features)]);
      models.push({ id, features: m.definition.featurizer.features });
    }
    expect(models.length).toBe(6);
    let checked = 0;
    for (const m of models) {
      const ranges = encodeInputRanges(m.features);
      for (const t of probes(m.features)) {
        const chainValid: boolean = await c.arbitration.inputValid(m.id, enc(t), ranges);
        expect(chainValid).toBe(!runnerRefuses(t, m.features));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  }, 180_000);
});
