// Claimant classes beyond 64 on anvil: the shipped uk261 card has more than 64 classes (118 in 2.0.0), some claimant
// classes ≥ 64. The registry holds the card's claimant-class bitmap (256-bit words, every class an
// ARGMAX can output), refuses a bitmap naming a class no model can output, and a case whose output
// is such a class pays the claimant award[class].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { id as utf8Id, parseEther, type NonceManager } from 'ethers';
import { readFileSync } from 'node:fs';
import { claimProof } from '../../../server/chain/batch-claims.js';
import { MAX_CLASSES, buildAwardTable, claimantClassWords } from '../../../server/chain/awards.js';
import { caseIdOf, BatchStatus, CaseStatus, type ArbiterContracts } from '../../../server/chain/contracts.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import type { ModelCard } from '../../../server/models/card.js';
import { MODEL_ID, claimTuple, commitReveal, sendTx, setupModel, sealBatch } from './arbiter-scenario.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';

const WINDOW = 600;
const GBP = parseEther('0.0005'); // wei per pound, for the test
const uk = JSON.parse(readFileSync(new URL('../../../arbitration-models/uk261/card.json', import.meta.url), 'utf8')) as ModelCard;
const UK_ID = utf8Id(`${uk.id}@${uk.version}`);
const FEE = parseEther('0.001');
let fx: ChainFixture;
let c: ArbiterContracts;
let nodes: NonceManager[];

/** The custom error a transaction reverts with, decoded from the registry ABI. */
async function revertName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    return data ? c.registry.interface.parseError(data)?.name : undefined;
  }
  throw new Error('expected a revert');
}

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 3, challengeWindow: WINDOW } });
  c = fx.c!;
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  await setupModel(c, fx.wallets[4], nodes);
  await sendTx(c.registry, fx.wallets[4], 'register', [
    uk.id, uk.version, uk.modelRoot, `0x${uk.sha256}`, utf8Id(`${uk.featurizer.id}@${uk.featurizer.version}`),
    uk.steps, FEE, 1000, claimantClassWords(uk),
  ]);
  for (const n of nodes) await sendTx(c.staking, n, 'serve', [[MODEL_ID, UK_ID], 1n]);
});
afterAll(async () => fx?.stop());

describe('ModelRegistry › claimant classes', () => {
  it('register › keeps every claimant class of the uk261 card, those ≥ 64 included', async () => {
    // uk261 2.0.0 has 118 classes (the kind-naming classes come after the 1.0.0 ones).
    expect(uk.classes.length).toBeGreaterThan(64);
    const high = uk.classes.filter((k) => k.index >= 64 && k.outcome === 'claimant').map((k) => k.index);
    expect(high).toContain(64);
    expect(await c.registry.claimantClassesOf(UK_ID)).toEqual(claimantClassWords(uk));
    for (const k of uk.classes) expect(await c.registry.isClaimantClass(UK_ID, k.index), `class ${k.index}`).toBe(k.outcome === 'claimant');
    expect(await c.registry.isClaimantClass(UK_ID, uk.classes.length)).toBe(false);
    expect(await c.registry.isClaimantClass(UK_ID, 2n ** 255n)).toBe(false);
  });

  it('register › refuses a class no ARGMAX can output instead of truncating it', async () => {
    const reg = (version: string, words: bigint[]) =>
      sendTx(c.registry, fx.wallets[4], 'register', ['wide', version, uk.modelRoot, utf8Id('x'), utf8Id('f'), 1, 0n, 0, words]);
    expect(await c.registry.MAX_CLASSES()).toBe(BigInt(MAX_CLASSES));
    // Class 65534 (the last an ARGMAX over 0xffff columns gives) is representable; 65535 is not.
    const last = Array.from({ length: 256 }, () => 0n);
    last[255] = 1n << 254n;
    await reg('1.0.0', last);
    expect(await c.registry.isClaimantClass(utf8Id('wide@1.0.0'), 65534)).toBe(true);
    last[255] = 1n << 255n;
    expect(await revertName(reg('1.0.1', last))).toBe('ClassOutOfRange');
    expect(await revertName(reg('1.0.2', Array.from({ length: 257 }, () => 0n)))).toBe('ClassOutOfRange');
    expect(() => claimantClassWords({ classes: [{ ...uk.classes[0], index: MAX_CLASSES }] })).toThrow(/outside/);
  });
});

describe('Arbitration › a claimant class ≥ 64 pays', () => {
  it('settleOne › output 64 of uk261 pays the claimant award[64]; output 67 (respondent) pays nothing', async () => {
    const table = buildAwardTable(uk, { weiPerUnit: { GBP } });
    expect(table.awards[64]).toBe(520n * GBP);
    const claimant = utf8Id('uk261 claimant').slice(0, 42);
    const respondent = utf8Id('uk261 respondent').slice(0, 42);
    const outputs = [64n, 67n, 74n];
    const claims: Claim[] = [];
    let batchId = 0n;
    for (const [i, output] of outputs.entries()) {
      const caseRef = utf8Id(`uk261-case-${i}`);
      const caseId = caseIdOf(fx.addresses[5], caseRef);
      const s0 = utf8Id(`uk261-s0-${i}`);
      await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, UK_ID, s0, claimant, respondent, table.table], FEE + table.max);
      batchId = (await c.arbitration.cases(caseId)).batchId;
      // The committee's agreed claim: the output class is all settlement reads.
      claims.push({ caseId, modelId: UK_ID, s0, output, steps: BigInt(uk.steps), traceRoot: utf8Id(`uk261-trace-${i}`) });
    }
    await sealBatch(c, fx.wallets[0], batchId);
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
    await increaseTime(fx.provider, WINDOW + 1);

    let paid = 0n;
    for (const [i, cl] of claims.entries()) {
      const respondentBefore = await fx.provider.getBalance(respondent);
      const receipt = await sendTx(c.arbitration, fx.wallets[7], 'settleOne', [cl.caseId, claimTuple(cl), claimProof(claims, i), table.table]);
      const won = uk.classes[Number(cl.output)].outcome === 'claimant';
      const award = won ? table.awards[Number(cl.output)] : 0n;
      paid += award;
      const cs = await c.arbitration.cases(cl.caseId);
      expect(Number(cs.status)).toBe(CaseStatus.Settled);
      expect(cs.claimantWon, `class ${cl.output}`).toBe(won);
      expect(await fx.provider.getBalance(claimant)).toBe(paid);
      expect(await fx.provider.getBalance(respondent)).toBe(respondentBefore + table.max - award);
      const ev = receipt.logs.map((l) => c.arbitration.interface.parseLog(l)).find((e) => e?.name === 'Resolved');
      expect([ev!.args.output, ev!.args.claimantWon, ev!.args.award, ev!.args.refund]).toEqual([cl.output, won, award, table.max - award]);
    }
    expect(paid).toBe(520n * GBP + 350n * GBP);
  });
});
