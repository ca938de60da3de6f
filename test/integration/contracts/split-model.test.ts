// A MATMUL over the per-step bound (128×128 on a 1 × 128 state, ~1.34 M gas as one step) compiled
// into column chunks (server/inference/step-split.ts) and refereed: every split step re-executes
// on chain as the reference computes it, and the one-step proof of the costliest chunk, played
// through a whole game with the fault at that step, is within the 1 M gas goal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, parseEther, id as utf8Id, type NonceManager } from 'ethers';
import { caseIdOf, GameOutcome, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { compileModel } from '../../../server/inference/compile.js';
import type { FeatureSpec } from '../../../server/inference/featurizer.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { Opcode, type ModelIR } from '../../../server/inference/ops.js';
import { runReference } from '../../../server/inference/reference.js';
import { STEP_BOUND, stepCost } from '../../../server/inference/step-split.js';
import { encodeTensor } from '../../../server/inference/tensor-encoding.js';
import { rowVector, tensor, type Tensor } from '../../../server/inference/tensor.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { startChain, type ChainFixture } from './chain-fixture.js';
import { commitReveal, evidence, partyTrace, playGame, sendTx, sealBatch } from './arbiter-scenario.js';

const n = 128;
const m = 128;
const big: ModelIR = {
  inputWidth: n,
  steps: [
    { op: 'MATMUL', constant: tensor(n, m, Array.from({ length: n * m }, (_, i) => BigInt(((i * 2654435761) % 201) - 100))) },
    { op: 'DIV', constant: rowVector(Array(m).fill(7n)) },
    { op: 'ARGMAX' },
  ],
};
const features: FeatureSpec[] = Array.from({ length: n }, (_, i) => ({ name: `f${i}`, min: -1000n, max: 1000n }));
const compiled = compileModel(big, features);
const steps = compiled.ir.steps;
// worst case for the referee: no state value is zero
const input = rowVector(Array.from({ length: n }, (_, i) => BigInt((i % 2 ? -1 : 1) * (997 - i))));
const MODEL_ID = utf8Id('split-test@1.0.0');

let fx: ChainFixture;
let c: ArbiterContracts;
let nodes: NonceManager[];

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 2 } });
  c = fx.c!;
  nodes = [fx.wallets[1], fx.wallets[2]];
  await sendTx(c.registry, fx.wallets[4], 'register', ['split-test', '1.0.0', compiled.modelRoot, `0x${compiled.sha256}`, utf8Id('split-test-featurizer@1'), compiled.steps, parseEther('0.001'), 1000, [1n]]);
  for (const node of nodes) {
    await sendTx(c.staking, node, 'stake', [], parseEther('50'));
    await sendTx(c.staking, node, 'serve', [[MODEL_ID], 1n]);
  }
});
afterAll(async () => fx?.stop());

describe('a split over-bound MATMUL on chain', () => {
  const trace = runReference(compiled.ir, input);
  const stepGas: bigint[] = [];

  it('compiles into several steps, each estimated under the bound', () => {
    expect(stepCost(big.steps[0], 1, n).gas).toBeGreaterThan(STEP_BOUND.gas);
    expect(compiled.steps).toBeGreaterThan(big.steps.length);
    expect(trace[trace.length - 1].data).toEqual(runReference(big, input)[big.steps.length].data);
  });

  it('every split step re-executes on chain to the reference state, within the estimate', async () => {
    for (let k = 1; k <= steps.length; k++) {
      const s = steps[k - 1];
      const args = [k, Opcode[s.op], '0x', bytesToHex(encodeTensor('constant' in s ? s.constant : tensor(0, 0, []))), bytesToHex(encodeTensor(trace[k - 1]))];
      const [valid, post] = await c.oneStep.step.staticCall(...args);
      expect(valid).toBe(true);
      expect(post).toBe(bytesToHex(stateHash(k, trace[k])));
      const gas: bigint = await c.oneStep.step.estimateGas(...args);
      stepGas.push(gas);
      // the model is fitted within a few per cent; the step stays under the bound either way
      expect(Number(gas)).toBeLessThanOrEqual(STEP_BOUND.gas);
      expect(Math.abs(stepCost(s, 1, trace[k - 1].cols).gas / Number(gas) - 1)).toBeLessThan(0.08);
    }
  });

  it('the game at the costliest split step: the honest side wins, the one-step proof ≤ 1 M gas', async () => {
    const k = stepGas.indexOf(stepGas.reduce((a, b) => (b > a ? b : a))) + 1;
    expect(steps[k - 1].op).toBe('MATMUL');
    const caseRef = utf8Id('split-costliest');
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], parseEther('0.001'));
    const batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[0], batchId);
    // the liar's t_k is off by one in its last value, every later state computed from it
    const bad: Tensor = { ...trace[k], data: trace[k].data.slice() };
    bad.data[bad.data.length - 1] += 1n;
    const liarTrace = [...trace.slice(0, k), ...runReference({ inputWidth: bad.cols, steps: steps.slice(k) }, bad)];
    const honest = partyTrace(caseId, s0, trace, MODEL_ID);
    const liar = partyTrace(caseId, s0, liarTrace, MODEL_ID);
    const H = { node: nodes[0], party: honest, address: fx.addresses[1] };
    const L = { node: nodes[1], party: liar, address: fx.addresses[2] };
    await commitReveal(c, batchId, [
      { node: H.node, claims: [honest.claim] },
      { node: L.node, claims: [liar.claim] },
    ]);
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, H.address, evidence(honest, [honest.claim], 0), L.address, evidence(liar, [liar.claim], 0)]);
    const iface = new Interface(c.arbitration.interface.fragments);
    const gameId = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
    const run = await playGame(c, gameId, H, L, H, r.gasUsed, steps);
    console.log(JSON.stringify({ model: '128×128 split', steps: compiled.steps, step_estimates: stepGas.map(Number), costliest_step: k, prove_step: Number(run.gas.step), game_total: Number(run.gas.total), rounds: run.rounds }));
    expect(run.leafIndex).toBe(k);
    expect(run.outcome).toBe(GameOutcome.DefenderWins);
    expect(run.gas.step).toBeLessThanOrEqual(1_000_000n);
    expect(run.gas.total).toBeLessThanOrEqual(1_500_000n);
  });
});
