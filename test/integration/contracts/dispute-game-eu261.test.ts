// The shipped EU261 model (arbitration-models/eu261/model.onnx, read back into the IR) in the
// refereed game: a fault injected at every state index, the liar once defender, once challenger;
// the honest side wins every time, within the gas goals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, parseEther, id as utf8Id, type NonceManager } from 'ethers';
import { caseIdOf, GameOutcome, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { runReference } from '../../../server/inference/reference.js';
import type { Tensor } from '../../../server/inference/tensor.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { hexToBytes } from '../../../server/inference/hex.js';
import { treeLevels } from '../../../server/chain/dissection.js';
import { startChain, type ChainFixture } from './chain-fixture.js';
import { commitReveal, evidence, partyTrace, playGame, sendTx, sealBatch } from './arbiter-scenario.js';
import { loadEu261 } from './shipped-model.js';

const eu = await loadEu261(2);
let fx: ChainFixture;
let c: ArbiterContracts;
let nodes: NonceManager[];

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 2 } });
  c = fx.c!;
  nodes = [fx.wallets[1], fx.wallets[2]];
  await sendTx(c.registry, fx.wallets[4], 'register', [
    eu.card.id, eu.card.version, eu.card.modelRoot, `0x${eu.card.sha256}`, utf8Id(`${eu.card.featurizer.id}@${eu.card.featurizer.version}`),
    eu.card.steps, parseEther('0.001'), 1000, eu.claimantClasses,
  ]);
  for (const n of nodes) {
    await sendTx(c.staking, n, 'stake', [], parseEther('50'));
    await sendTx(c.staking, n, 'serve', [[eu.modelId], 1n]);
  }
});
afterAll(async () => fx?.stop());

/** t_k's last value off by one, every later step computed faithfully from it. */
function faulty(input: Tensor, k: number): Tensor[] {
  const honest = runReference(eu.ir, input);
  const bad = { ...honest[k], data: honest[k].data.slice() };
  bad.data[bad.data.length - 1] += 1n;
  const rest = runReference({ inputWidth: bad.data.length, steps: eu.ir.steps.slice(k) }, bad);
  return [...honest.slice(0, k), ...rest];
}

describe('DisputeGame › the shipped eu261 model', () => {
  const n = eu.card.steps;
  const rows: [number, string][] = [];
  for (let k = 0; k <= n; k++) rows.push([k, 'defender'], [k, 'challenger']);
  const gas: bigint[] = [];
  const stepGas: bigint[] = [];
  let seq = 0;

  it.each(rows)('fault at state %i by the %s › the honest side wins', async (k, liarSide) => {
    const caseRef = utf8Id(`eu261-${++seq}`);
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const input = eu.inputs[seq % eu.inputs.length];
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, eu.modelId, s0, fx.addresses[6], fx.addresses[5], '0x'], parseEther('0.001'));
    const batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[0], batchId);
    const honest = partyTrace(caseId, s0, runReference(eu.ir, input), eu.modelId);
    const liar = partyTrace(caseId, s0, faulty(input, k), eu.modelId);
    const H = { node: nodes[0], party: honest, address: fx.addresses[1] };
    const L = { node: nodes[1], party: liar, address: fx.addresses[2] };
    await commitReveal(c, batchId, [
      { node: H.node, claims: [honest.claim] },
      { node: L.node, claims: [liar.claim] },
    ]);
    const [D, C] = liarSide === 'defender' ? [L, H] : [H, L];
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, D.address, evidence(D.party, [D.party.claim], 0), C.address, evidence(C.party, [C.party.claim], 0)]);
    const iface = new Interface(c.arbitration.interface.fragments);
    const gameId = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
    const run = await playGame(c, gameId, D, C, H, r.gasUsed, eu.ir.steps);
    expect(run.leafIndex).toBe(k);
    expect(run.outcome).toBe(liarSide === 'defender' ? GameOutcome.ChallengerWins : GameOutcome.DefenderWins);
    gas.push(run.gas.total);
    stepGas.push(run.gas.step);
  });

  it('padding › a trace tree with a non-zero padding leaf loses to the zero-padded one', async () => {
    const caseRef = utf8Id('eu261-padding');
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const input = eu.inputs[0];
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, eu.modelId, s0, fx.addresses[6], fx.addresses[5], '0x'], parseEther('0.001'));
    const batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[0], batchId);
    const trace = runReference(eu.ir, input);
    const honest = partyTrace(caseId, s0, trace, eu.modelId);
    // Same states, same output, but leaf 12 of the padded tree (n = 9) is not zero.
    const leaves = [...honest.hashes];
    while (leaves.length < 16) leaves.push(new Uint8Array(32));
    leaves[12] = hexToBytes(utf8Id('junk in the padding'));
    const levels = treeLevels(leaves);
    const liar = { ...honest, hashes: leaves, levels, claim: { ...honest.claim, traceRoot: bytesToHex(levels[levels.length - 1][0]) } };
    await commitReveal(c, batchId, [
      { node: nodes[0], claims: [honest.claim] },
      { node: nodes[1], claims: [liar.claim] },
    ]);
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, fx.addresses[2], evidence(liar, [liar.claim], 0), fx.addresses[1], evidence(honest, [honest.claim], 0)]);
    const iface = new Interface(c.arbitration.interface.fragments);
    const gameId = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
    const run = await playGame(c, gameId, { node: nodes[1], party: liar }, { node: nodes[0], party: honest }, { node: nodes[0], party: honest }, r.gasUsed, eu.ir.steps);
    expect(run.leafIndex).toBe(12);
    expect(run.outcome).toBe(GameOutcome.ChallengerWins);
  });

  it('gas › every game within 1.5 M gas, every step within 1 M', () => {
    const max = (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a), 0n);
    console.log(JSON.stringify({ model: `${eu.card.id}@${eu.card.version}`, games: gas.length, game_max_total: Number(max(gas)), one_step_max: Number(max(stepGas)) }));
    expect(gas.length).toBe(2 * (n + 1));
    expect(max(gas)).toBeLessThanOrEqual(1_500_000n);
    expect(max(stepGas)).toBeLessThanOrEqual(1_000_000n);
  });
});
