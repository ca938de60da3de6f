// `npm run bench -- gas`: Arbiter's on-chain costs measured on a fresh anvil (default hardfork),
// printed as one JSON line. Goals (issue 4): ≤ 5,000 gas per verdict at batch 256, ≤ 1.5 M gas
// and ≤ 3 rounds for a whole dispute game, ≤ 1 M gas for one step.
//   per_verdict_batch256: (every commit + every reveal + finalize of a 256-case batch, committee
//     of 3) / 256 — the verdict itself; opening a case (escrow deposit) and paying it out are
//     per-case money movements, reported apart as open_case_avg and settle_per_case (the test
//     model's 8-class award table, deposit = its largest award, claimant paid award[class] and the
//     respondent the rest); per_verdict_batch256_with_draw adds the committee draw (draw_committee_3:
//     the seed-block draw and its three seat locks, issue 8 #4/#10); settle_per_case_76_classes settles 32 cases whose award tables have 76
//     non-zero entries (uk261's class count: 912 bytes of calldata per case).
//   open_case_reserved_avg / settle_per_case_reserved: the same for 32 cases the registrar opens
//     fee-only, their deposit reserved from the respondent's escrow account (issue 11 #3).
//   game_max_total: challenge + all dissection moves + the one-step proof, the maximum over a
//     fault injected at every state index, the liar once defender, once challenger, of the
//     15-step 64-wide test model and every shipped model.
//   game_max_shipped: the same maximum (both parties' gas: challenge, moves, step) over every
//     shipped model of arbitration-models/ (eu261, uk261, us-dot-refund, visa, mastercard) and
//     every fault index; per model under `shipped`.
import { Interface, id as utf8Id, parseEther } from 'ethers';
import { bytesToHex } from '../../server/inference/hex.js';
import { stateHash } from '../../server/inference/trace-root.js';
import type { Claim } from '../../server/inference/claim-commitment.js';
import { startChain, increaseTime } from '../integration/contracts/chain-fixture.js';
import { encodeAwardTable } from '../../server/chain/awards.js';
import { CASE_FEE, MODEL_ID, TEST_AWARDS, TEST_AWARD_MAX, TEST_AWARD_TABLE, claimTuple, commitReveal, evidence, partyTrace, playGame, sendTx, setupModel, sealBatch } from '../integration/contracts/arbiter-scenario.js';
import { faultyTrace, honestTrace, testInput, testModel } from '../integration/contracts/test-model.js';
import { loadShippedModel, shippedModelIds } from '../integration/contracts/shipped-model.js';
import { runReference } from '../../server/inference/reference.js';
import { caseIdOf } from '../../server/chain/contracts.js';

const BATCH = 256;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const fx = await startChain({ deploy: true, config: { committeeSize: 3, maxBatch: BATCH, challengeWindow: 600 } });
try {
  const c = fx.c!;
  const nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  await setupModel(c, fx.wallets[4], nodes);

  // ── a full batch through the happy path ──
  const claims: Claim[] = [];
  let openGas = 0n;
  let batchId = 0n;
  for (let i = 0; i < BATCH; i++) {
    const caseRef = utf8Id(`bench-case-${i}`);
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const input = testInput(10_000 + i);
    const s0 = bytesToHex(stateHash(0, input));
    const claimant = utf8Id(`bench-claimant-${i}`).slice(0, 42);
    const r = await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, claimant, fx.addresses[5], TEST_AWARD_TABLE], CASE_FEE + TEST_AWARD_MAX);
    openGas += r.gasUsed;
    if (i === 0) batchId = (await c.arbitration.cases(caseId)).batchId;
    claims.push(partyTrace(caseId, s0, honestTrace(input)).claim);
  }
  log(`opened ${BATCH} cases (the last one sealed the batch)`);
  // The committee is drawn once the seed block committed at sealing is mined (issue 8 #4); the
  // draw locks one seat of stake per member (issue 8 #10).
  const drawGas = (await sealBatch(c, fx.wallets[0], batchId)).gasUsed;
  const commitRevealGas = await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
  await increaseTime(fx.provider, 601);
  const finalizeGas = (await sendTx(c.arbitration, fx.wallets[7], 'finalize', [batchId])).gasUsed;
  const settleGas = (await sendTx(c.arbitration, fx.wallets[7], 'settle', [batchId, claims.map(claimTuple), claims.map(() => TEST_AWARD_TABLE)])).gasUsed;
  const perVerdict = Number(commitRevealGas + finalizeGas) / BATCH;
  const perVerdictWithDraw = Number(commitRevealGas + finalizeGas + drawGas) / BATCH;
  log(`commit+reveal ${commitRevealGas}, finalize ${finalizeGas}, settle ${settleGas}`);

  // ── settling with a 76-class award table (uk261's size), 32 cases ──
  const WIDE = 32;
  const wideTable = encodeAwardTable(Array.from({ length: 76 }, (_, i) => TEST_AWARDS[i] ?? parseEther('0.002')));
  const wideClaims: Claim[] = [];
  let wideBatch = 0n;
  for (let i = 0; i < WIDE; i++) {
    const caseRef = utf8Id(`bench-wide-${i}`);
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const input = testInput(30_000 + i);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, utf8Id(`bench-wide-claimant-${i}`).slice(0, 42), fx.addresses[5], wideTable], CASE_FEE + TEST_AWARD_MAX);
    if (i === 0) wideBatch = (await c.arbitration.cases(caseId)).batchId;
    wideClaims.push(partyTrace(caseId, s0, honestTrace(input)).claim);
  }
  await sealBatch(c, fx.wallets[0], wideBatch);
  await commitReveal(c, wideBatch, nodes.map((node) => ({ node, claims: wideClaims })));
  await increaseTime(fx.provider, 601);
  await sendTx(c.arbitration, fx.wallets[7], 'finalize', [wideBatch]);
  const wideSettleGas = (await sendTx(c.arbitration, fx.wallets[7], 'settle', [wideBatch, wideClaims.map(claimTuple), wideClaims.map(() => wideTable)])).gasUsed;
  log(`settle of ${WIDE} cases with 76-class tables: ${wideSettleGas}`);

  // ── the registrar's cases: the deposit reserved from the respondent's escrow account ──
  // (issue 11 #3: the registrar pays the fee only; the case reserves its largest award from the
  // respondent's account at opening, and settlement draws the award and frees the rest).
  const RESERVED = 32;
  await sendTx(c.escrow, fx.wallets[5], 'depositFor', [fx.addresses[5]], TEST_AWARD_MAX * BigInt(RESERVED));
  const reservedClaims: Claim[] = [];
  let reservedBatch = 0n;
  let reservedOpenGas = 0n;
  for (let i = 0; i < RESERVED; i++) {
    const caseRef = utf8Id(`bench-reserved-${i}`);
    const caseId = caseIdOf(fx.addresses[0], caseRef);
    const input = testInput(40_000 + i);
    const s0 = bytesToHex(stateHash(0, input));
    const r = await sendTx(c.arbitration, fx.wallets[0], 'openCase', [caseRef, MODEL_ID, s0, utf8Id(`bench-reserved-claimant-${i}`).slice(0, 42), fx.addresses[5], TEST_AWARD_TABLE], CASE_FEE);
    reservedOpenGas += r.gasUsed;
    if (i === 0) reservedBatch = (await c.arbitration.cases(caseId)).batchId;
    reservedClaims.push(partyTrace(caseId, s0, honestTrace(input)).claim);
  }
  await sealBatch(c, fx.wallets[0], reservedBatch);
  await commitReveal(c, reservedBatch, nodes.map((node) => ({ node, claims: reservedClaims })));
  await increaseTime(fx.provider, 601);
  await sendTx(c.arbitration, fx.wallets[7], 'finalize', [reservedBatch]);
  const reservedSettleGas = (await sendTx(c.arbitration, fx.wallets[7], 'settle', [reservedBatch, reservedClaims.map(claimTuple), reservedClaims.map(() => TEST_AWARD_TABLE)])).gasUsed;
  log(`${RESERVED} cases reserved from an escrow account: open ${reservedOpenGas}, settle ${reservedSettleGas}`);

  // ── the dispute game, a fault at every state index, the liar in either role ──
  const iface = new Interface(c.arbitration.interface.fragments);
  let gameMax = 0n;
  let stepMax = 0n;
  let roundsMax = 0;
  const n = testModel().steps;
  for (let k = 0; k <= n; k++) {
    for (const liarDefends of [true, false]) {
      const caseRef = utf8Id(`bench-game-${k}-${liarDefends}`);
      const caseId = caseIdOf(fx.addresses[5], caseRef);
      const input = testInput(20_000 + k);
      const s0 = bytesToHex(stateHash(0, input));
      await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
      const bId: bigint = (await c.arbitration.cases(caseId)).batchId;
      await sealBatch(c, fx.wallets[0], bId);
      const honest = partyTrace(caseId, s0, honestTrace(input));
      const liar = partyTrace(caseId, s0, faultyTrace(input, k));
      await commitReveal(c, bId, [
        { node: nodes[0], claims: [honest.claim] },
        { node: nodes[1], claims: [liar.claim] },
        { node: nodes[2], claims: [honest.claim] },
      ]);
      const H = { node: nodes[0], party: honest, address: fx.addresses[1] };
      const L = { node: nodes[1], party: liar, address: fx.addresses[2] };
      const [D, C] = liarDefends ? [L, H] : [H, L];
      const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [
        bId, 0, D.address, evidence(D.party, [D.party.claim], 0), C.address, evidence(C.party, [C.party.claim], 0),
      ]);
      const gameId = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
      const run = await playGame(c, gameId, D, C, H, r.gasUsed);
      const expected = liarDefends ? 2 : 1;
      if (run.outcome !== expected) throw new Error(`fault at ${k}: outcome ${run.outcome}, expected ${expected}`);
      if (run.gas.total > gameMax) gameMax = run.gas.total;
      if (run.gas.step > stepMax) stepMax = run.gas.step;
      if (run.rounds > roundsMax) roundsMax = run.rounds;
    }
  }
  log(`played ${2 * (n + 1)} games over a ${n}-step model`);

  // ── the same over every shipped model (arbitration-models/*), every fault index ──
  const shippedMax: Record<string, { steps: number; game_max_total: number; one_step_max: number }> = {};
  let shippedGameMax = 0n;
  let shippedStepMax = 0n;
  // Every game's batch keeps its seats locked (issue 8 #10: minStake a seat until the batch ends),
  // and this loop opens about a hundred: stake enough that every node stays drawable.
  for (const node of nodes) await sendTx(c.staking, node, 'stake', [], parseEther('500'));
  for (const id of shippedModelIds()) {
    const m = await loadShippedModel(id, 2);
    await sendTx(c.registry, fx.wallets[4], 'register', [
      m.card.id, m.card.version, m.card.modelRoot, `0x${m.card.sha256}`, utf8Id(`${m.card.featurizer.id}@${m.card.featurizer.version}`),
      m.card.steps, CASE_FEE, 1000, m.claimantClasses,
    ]);
    for (const node of nodes) await sendTx(c.staking, node, 'serve', [[m.modelId], 1n]);
    let mMax = 0n;
    let mStepMax = 0n;
    for (let k = 0; k <= m.card.steps; k++) {
      for (const liarDefends of [true, false]) {
        const caseRef = utf8Id(`bench-${id}-${k}-${liarDefends}`);
        const caseId = caseIdOf(fx.addresses[5], caseRef);
        const input = m.inputs[k % m.inputs.length];
        const s0 = bytesToHex(stateHash(0, input));
        await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, m.modelId, s0, fx.addresses[6], fx.addresses[5], '0x'], CASE_FEE);
        const bId: bigint = (await c.arbitration.cases(caseId)).batchId;
        await sealBatch(c, fx.wallets[0], bId);
        const honestT = runReference(m.ir, input);
        const bad = { ...honestT[k], data: honestT[k].data.slice() };
        bad.data[bad.data.length - 1] += 1n;
        const liarT = [...honestT.slice(0, k), ...runReference({ inputWidth: bad.data.length, steps: m.ir.steps.slice(k) }, bad)];
        const honest = partyTrace(caseId, s0, honestT, m.modelId);
        const liar = partyTrace(caseId, s0, liarT, m.modelId);
        // Who sits on the committee varies with the draw: vote with the members drawn.
        const committee = (await c.arbitration.committeeOf(bId)).map((a: string) => a.toLowerCase());
        const members = nodes.filter((_, i) => committee.includes(fx.addresses[i + 1].toLowerCase()));
        if (members.length < 2) throw new Error(`${id} fault at ${k}: only ${members.length} of the bench's nodes drawn (committee ${committee.join(', ')})`);
        const H = { node: members[0], party: honest, address: await members[0].getAddress() };
        const L = { node: members[1], party: liar, address: await members[1].getAddress() };
        await commitReveal(c, bId, members.map((node, i) => ({ node, claims: [i === 1 ? liar.claim : honest.claim] })));
        const [D, C] = liarDefends ? [L, H] : [H, L];
        const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [
          bId, 0, D.address, evidence(D.party, [D.party.claim], 0), C.address, evidence(C.party, [C.party.claim], 0),
        ]);
        const gameId = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
        const run = await playGame(c, gameId, D, C, H, r.gasUsed, m.ir.steps);
        if (run.outcome !== (liarDefends ? 2 : 1)) throw new Error(`${id} fault at ${k}: outcome ${run.outcome}`);
        if (run.gas.total > mMax) mMax = run.gas.total;
        if (run.gas.step > mStepMax) mStepMax = run.gas.step;
        if (run.rounds > roundsMax) roundsMax = run.rounds;
      }
    }
    shippedMax[id] = { steps: m.card.steps, game_max_total: Number(mMax), one_step_max: Number(mStepMax) };
    if (mMax > shippedGameMax) shippedGameMax = mMax;
    if (mStepMax > shippedStepMax) shippedStepMax = mStepMax;
    log(`played ${2 * (m.card.steps + 1)} games over the shipped ${id} model`);
  }
  const eu = shippedMax.eu261;

  console.log(
    JSON.stringify({
      bench: 'gas',
      per_verdict_batch256: Math.round(perVerdict),
      per_verdict_batch256_with_draw: Math.round(perVerdictWithDraw),
      draw_committee_3: Number(drawGas),
      game_max_total: Number(gameMax > shippedGameMax ? gameMax : shippedGameMax),
      game_max_rounds: roundsMax,
      one_step_max: Number(stepMax > shippedStepMax ? stepMax : shippedStepMax),
      game_max_shipped: Number(shippedGameMax),
      test_model: { steps: n, game_max_total: Number(gameMax), one_step_max: Number(stepMax) },
      eu261: eu,
      shipped: shippedMax,
      open_case_avg: Math.round(Number(openGas) / BATCH),
      settle_per_case: Math.round(Number(settleGas) / BATCH),
      settle_per_case_76_classes: Math.round(Number(wideSettleGas) / WIDE),
      open_case_reserved_avg: Math.round(Number(reservedOpenGas) / RESERVED),
      settle_per_case_reserved: Math.round(Number(reservedSettleGas) / RESERVED),
      committee: 3,
    }),
  );
} finally {
  await fx.stop();
}
