// Fault injection at EVERY state index, the liar once defender and once challenger, for every
// shipped model (arbitration-models/*, read from the folders so new versions are picked up) and
// a compiled model whose constants use 1-, 2-, 4- and 8-byte widths (PROTOCOL.md §3: with one
// honest party the honest output always wins). DisputeGame alone on one anvil (GameHarness as
// host and slasher); every game starts from the same evm_snapshot.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GameOutcome } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import type { ModelIR } from '../../../server/inference/ops.js';
import { runReference } from '../../../server/inference/reference.js';
import type { Tensor } from '../../../server/inference/tensor.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import { HARNESS_SLASH, openGame, partyOf, play, startGameBench, type GameBench } from './game-harness.js';
import { compiledWidthModel, constantWidths, faultyTrace, widthInputs } from './game-models.js';
import { loadShippedModel, shippedModelIds } from './shipped-model.js';

interface TableModel {
  name: string;
  ir: ModelIR;
  modelRoot: string;
  inputs: Tensor[];
}

const ids = shippedModelIds();
const shipped: TableModel[] = await Promise.all(
  ids.map(async (id) => {
    const m = await loadShippedModel(id, 3);
    return { name: `${m.card.id}@${m.card.version}`, ir: m.ir, modelRoot: m.card.modelRoot, inputs: m.inputs };
  }),
);
const width = compiledWidthModel();
const models: TableModel[] = [...shipped, { name: 'widths-1-2-4-8', ir: width.ir, modelRoot: width.modelRoot, inputs: widthInputs }];

let bench: GameBench;
beforeAll(async () => {
  bench = await startGameBench();
});
afterAll(async () => bench?.stop());
beforeEach(async () => bench.reset());

describe('the models under test', () => {
  it('are the five shipped models and the width model, whose constants use every width', () => {
    expect(ids).toEqual(expect.arrayContaining(['eu261', 'uk261', 'us-dot-refund', 'visa', 'mastercard']));
    expect([...constantWidths(width.ir.steps)].sort()).toEqual([1, 2, 4, 8]);
  });
});

const gas: Record<string, { moves: bigint; step: bigint; rounds: number }[]> = {};

for (const m of models) {
  describe(`DisputeGame › fault injection at every state index › ${m.name}`, () => {
    const n = m.ir.steps.length;
    const rows: [number, 'defender' | 'challenger'][] = [];
    for (let k = 0; k <= n; k++) rows.push([k, 'defender'], [k, 'challenger']);

    it.each(rows)('fault at state %i by the %s › the honest side wins, the liar alone is slashed', async (k, liarSide) => {
      const input = m.inputs[k % m.inputs.length];
      const s0 = bytesToHex(stateHash(0, input));
      const honest = partyOf(runReference(m.ir, input));
      const liar = partyOf(faultyTrace(m.ir, input, k));
      const H = { signer: bench.a, party: honest };
      const L = { signer: bench.b, party: liar };
      const [D, C] = liarSide === 'defender' ? [L, H] : [H, L];
      const { gameId } = await openGame(bench, D, C, s0, m.modelRoot, n);
      // A third party proves the step with the honest party's t_lo (anyone may).
      const run = await play(bench, gameId, D, C, m.ir.steps, { signer: bench.third, party: honest });
      expect(run.leafIndex).toBe(k);
      expect(run.outcome).toBe(liarSide === 'defender' ? GameOutcome.ChallengerWins : GameOutcome.DefenderWins);
      expect(await bench.harness.slashed(bench.addr.a)).toBe(0n);
      expect(await bench.harness.slashed(bench.addr.b)).toBe(HARNESS_SLASH);
      (gas[m.name] ??= []).push({ moves: run.gas.moves, step: run.gas.step, rounds: run.rounds });
    });

    it('gas › both parties’ moves and the step stay within the goals (≤ 1 M a step, ≤ 3 rounds)', () => {
      const g = gas[m.name] ?? [];
      expect(g.length).toBe(2 * (n + 1));
      const max = (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a), 0n);
      const summary = { model: m.name, steps: n, games: g.length, moves_and_step_max: Number(max(g.map((x) => x.moves + x.step))), one_step_max: Number(max(g.map((x) => x.step))), rounds_max: Math.max(...g.map((x) => x.rounds)) };
      console.log(JSON.stringify(summary));
      expect(summary.one_step_max).toBeLessThanOrEqual(1_000_000);
      expect(summary.rounds_max).toBeLessThanOrEqual(3);
    });
  });
}
