// Multi-round dissection: a 100-step model (101 states, tree depth 7) is decided in two rounds
// of 16 and 8 nodes; the honest side wins wherever the fault sits (first state, round
// boundaries, the last state), the liar as defender and as challenger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, parseEther, id as utf8Id, type NonceManager } from 'ethers';
import { caseIdOf, GameOutcome, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { roundsFor } from '../../../server/chain/dissection.js';
import { compileModel } from '../../../server/inference/compile.js';
import type { ModelIR } from '../../../server/inference/ops.js';
import { runReference } from '../../../server/inference/reference.js';
import { rowVector, type Tensor } from '../../../server/inference/tensor.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { startChain, type ChainFixture } from './chain-fixture.js';
import { commitReveal, evidence, partyTrace, playGame, sendTx, sealBatch } from './arbiter-scenario.js';

const STEPS = 100;
const IR: ModelIR = {
  inputWidth: 4,
  steps: [
    ...Array.from({ length: STEPS - 1 }, (_, i) => ({ op: 'ADD' as const, constant: rowVector([(i % 5) - 2, i % 3, -(i % 7), 1]) })),
    { op: 'ARGMAX' as const },
  ],
};
const model = compileModel(IR, Array.from({ length: 4 }, (_, i) => ({ name: `x${i}`, min: -100n, max: 100n })));
const MODEL_ID = utf8Id('arbiter-long@1.0.0');

let fx: ChainFixture;
let c: ArbiterContracts;
let nodes: NonceManager[];

beforeAll(async () => {
  fx = await startChain({ deploy: true, config: { committeeSize: 2 } });
  c = fx.c!;
  nodes = [fx.wallets[1], fx.wallets[2]];
  await sendTx(c.registry, fx.wallets[4], 'register', ['arbiter-long', '1.0.0', model.modelRoot, `0x${model.sha256}`, utf8Id('f'), STEPS, parseEther('0.001'), 0, [1n]]);
  for (const n of nodes) {
    await sendTx(c.staking, n, 'stake', [], parseEther('50'));
    await sendTx(c.staking, n, 'serve', [[MODEL_ID], 1n]);
  }
});
afterAll(async () => fx?.stop());

function faulty(input: Tensor, k: number): Tensor[] {
  const honest = runReference(model.ir, input);
  const bad = { ...honest[k], data: honest[k].data.slice() };
  bad.data[bad.data.length - 1] += 3n;
  const rest = runReference({ inputWidth: bad.data.length, steps: model.ir.steps.slice(k) }, bad);
  return [...honest.slice(0, k), ...rest];
}

describe('DisputeGame › a 100-step trace', () => {
  it('has two rounds', () => {
    expect(model.steps).toBe(STEPS);
    expect(roundsFor(STEPS)).toBe(2);
  });

  const faults = [0, 1, 15, 16, 17, 63, 64, 99, 100];
  const rows = faults.flatMap((k) => [[k, 'defender'], [k, 'challenger']] as [number, string][]);
  let seq = 0;
  it.each(rows)('fault at state %i by the %s › the honest side wins in two rounds', async (k, liarSide) => {
    const caseRef = utf8Id(`long-${++seq}`);
    const caseId = caseIdOf(fx.addresses[5], caseRef);
    const input = rowVector([seq, -seq, 2 * seq, 7]);
    const s0 = bytesToHex(stateHash(0, input));
    await sendTx(c.arbitration, fx.wallets[5], 'openCase', [caseRef, MODEL_ID, s0, fx.addresses[6], fx.addresses[5], '0x'], parseEther('0.001'));
    const batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
    await sealBatch(c, fx.wallets[0], batchId);
    const honest = partyTrace(caseId, s0, runReference(model.ir, input), MODEL_ID);
    const liar = partyTrace(caseId, s0, faulty(input, k), MODEL_ID);
    const committee: string[] = await c.arbitration.committeeOf(batchId);
    const H = { node: nodes[0], party: honest, address: fx.addresses[1] };
    const L = { node: nodes[1], party: liar, address: fx.addresses[2] };
    expect([...committee].sort()).toEqual([H.address, L.address].sort());
    await commitReveal(c, batchId, [
      { node: H.node, claims: [honest.claim] },
      { node: L.node, claims: [liar.claim] },
    ]);
    const [D, C] = liarSide === 'defender' ? [L, H] : [H, L];
    const r = await sendTx(c.arbitration, fx.wallets[7], 'challenge', [batchId, 0, D.address, evidence(D.party, [D.party.claim], 0), C.address, evidence(C.party, [C.party.claim], 0)]);
    const iface = new Interface(c.arbitration.interface.fragments);
    const gameId = r.logs.map((l) => { try { return iface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'Challenged')!.args.gameId as bigint;
    const run = await playGame(c, gameId, D, C, H, r.gasUsed, model.ir.steps);
    expect(run.rounds).toBe(2);
    expect(run.leafIndex).toBe(k);
    expect(run.outcome).toBe(liarSide === 'defender' ? GameOutcome.ChallengerWins : GameOutcome.DefenderWins);
    expect(run.gas.total).toBeLessThan(1_500_000n);
  });
});
