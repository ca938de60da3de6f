// The referee under attack (issue 8): DisputeGame alone on anvil (GameHarness as host and
// slasher), attacked by a hostile third-party prover, by parties with odd trees, and through
// every revert path of proveStep, move, claimTimeout and create. The honest side must win
// whatever a third party sends; a malformed step must revert, never decide a game.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { concat, getBytes, keccak256 as ethKeccak, toBeHex, zeroPadValue, type Contract } from 'ethers';
import { GameOutcome, GamePhase } from '../../../server/chain/contracts.js';
import { moveNodes } from '../../../server/chain/dissection.js';
import { MOVE_SEARCH_WINDOW, takeTurn } from '../../../server/chain/game-player.js';
import { bytesToHex, hexToBytes } from '../../../server/inference/hex.js';
import { merkleProof, merkleRoot } from '../../../server/inference/merkle.js';
import { stepProof } from '../../../server/inference/model-root.js';
import { Opcode, stepAttrs, stepConstant, type Step } from '../../../server/inference/ops.js';
import { runReference } from '../../../server/inference/reference.js';
import { EMPTY_TENSOR, rowVector, type Tensor } from '../../../server/inference/tensor.js';
import { encodeTensor } from '../../../server/inference/tensor-encoding.js';
import { stateHash, stateHashes } from '../../../server/inference/trace-root.js';
import { increaseTime } from './chain-fixture.js';
import { HARNESS_CLOCK, HARNESS_SLASH, expectRevert, openGame, partyFromLeaves, partyOf, play, send, startGameBench, type GameBench, type Party } from './game-harness.js';
import { faultyTrace, smallModel } from './game-models.js';

let bench: GameBench;
let game: Contract;
beforeAll(async () => {
  bench = await startGameBench();
  game = bench.game;
});
afterAll(async () => bench?.stop());
beforeEach(async () => bench.reset());

const model = smallModel();
const steps = model.ir.steps;
const n = steps.length; // 8: the 9-state tree pads to 16
const input = rowVector([7, -3, 12]);
const s0 = bytesToHex(stateHash(0, input));
const honest = partyOf(runReference(model.ir, input));
const liarAt = (k: number, delta = 1n): Party => partyOf(faultyTrace(model.ir, input, k, delta));

type Side = 'defender' | 'challenger';
/** Opens a game between the honest party and `liar`, the liar on `liarSide`; plays it to its leaf. */
async function toLeaf(liar: Party, liarSide: Side, gameSteps = n) {
  const H = { signer: bench.a, party: honest };
  const L = { signer: bench.b, party: liar };
  const [D, C] = liarSide === 'defender' ? [L, H] : [H, L];
  const { gameId } = await openGame(bench, D, C, s0, model.modelRoot, gameSteps);
  const run = await play(bench, gameId, D, C, steps, undefined);
  return { gameId, D, C, run, honestWins: liarSide === 'defender' ? GameOutcome.ChallengerWins : GameOutcome.DefenderWins };
}

/** proveStep's arguments for step `hi` from `party`'s own view, with `patch` applied. */
function stepArgs(gameId: bigint, party: Party, hi: number, patch: Partial<{ state: Uint8Array; stateProof: string[]; op: number; attrs: Uint8Array; weights: Uint8Array; modelProof: string[] }> = {}) {
  const s = steps[hi - 1];
  const a = {
    state: encodeTensor(party.trace[hi - 1]),
    stateProof: hi - 1 === 0 ? [] : merkleProof(party.hashes, hi - 1).map(bytesToHex),
    op: Opcode[s.op] as number,
    attrs: stepAttrs(s),
    weights: encodeTensor(stepConstant(s)),
    modelProof: stepProof(steps, hi).map(bytesToHex),
    ...patch,
  };
  return [gameId, a.state, a.stateProof, a.op, a.attrs, a.weights, a.modelProof];
}

const outcomeOf = async (gameId: bigint) => Number((await game.games(gameId)).outcome);
const phaseOf = async (gameId: bigint) => Number((await game.games(gameId)).phase);

/** The split attacks of finding 1 on step `k`'s leaf bytes op ‖ attrs ‖ enc(C). */
function shiftedSplits(s: Step): { attrs: Uint8Array; weights: Uint8Array }[] {
  const bytes = new Uint8Array([...stepAttrs(s), ...encodeTensor(stepConstant(s))]);
  const at = stepAttrs(s).length;
  const out = [];
  for (const cut of [at - 1, at + 1, at + 2, 0, bytes.length]) {
    if (cut < 0 || cut > bytes.length || cut === at) continue;
    out.push({ attrs: bytes.slice(0, cut), weights: bytes.slice(cut) });
  }
  return out;
}

describe('DisputeGame › a hostile third-party prover (finding 1: the attrs/constant split)', () => {
  const rows: [number, string, Side][] = [];
  for (let k = 1; k <= n; k++) for (const side of ['challenger', 'defender'] as Side[]) rows.push([k, steps[k - 1].op, side]);

  it.each(rows)('proveStep › step %i (%s), the liar the %s: every shifted split reverts; the honest proof then wins', async (k, _op, liarSide) => {
    const { gameId, run, honestWins } = await toLeaf(liarAt(k), liarSide);
    expect(run.leafIndex).toBe(k);
    const splits = shiftedSplits(steps[k - 1]);
    expect(splits.length).toBeGreaterThan(0);
    for (const split of splits) {
      // The leaf still verifies against the model root (same bytes): only the split differs.
      expect(ethKeccak(concat([toBeHex(k, 4), toBeHex(Opcode[steps[k - 1].op], 1), split.attrs, split.weights]))).toBe(
        ethKeccak(concat([toBeHex(k, 4), toBeHex(Opcode[steps[k - 1].op], 1), stepAttrs(steps[k - 1]), encodeTensor(stepConstant(steps[k - 1]))])),
      );
      await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, k, split), 3_000_000n), 'AttrsLength');
    }
    expect(await phaseOf(gameId)).toBe(GamePhase.Step);
    await send(game, bench.third, 'proveStep', stepArgs(gameId, honest, k));
    expect(await outcomeOf(gameId)).toBe(honestWins);
    expect(Number(await bench.harness.outcomes(gameId))).toBe(honestWins);
    expect(await bench.harness.slashed(bench.addr.a)).toBe(0n); // the honest party (a) is never slashed
    expect(await bench.harness.slashed(bench.addr.b)).toBe(HARNESS_SLASH);
    expect(await bench.harness.rewarded(bench.addr.a)).toBe(HARNESS_SLASH);
  });

  it('proveStep › an unknown opcode reverts (UnknownOpcode), whatever its bytes', async () => {
    const { gameId } = await toLeaf(liarAt(2), 'challenger');
    for (const op of [0, 8, 255]) await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 2, { op }), 3_000_000n), 'UnknownOpcode');
    expect(await phaseOf(gameId)).toBe(GamePhase.Step);
  });

  it("proveStep › t_lo proven against the liar's root decides exactly as against the honest one", async () => {
    for (const liarSide of ['defender', 'challenger'] as Side[]) {
      await bench.reset();
      const liar = liarAt(5);
      const { gameId, honestWins } = await toLeaf(liar, liarSide);
      // The liar's tree agrees up to lo = 4; its proof of leaf 4 has different siblings.
      expect(merkleProof(liar.hashes, 4).map(bytesToHex)).not.toEqual(merkleProof(honest.hashes, 4).map(bytesToHex));
      await send(game, bench.third, 'proveStep', stepArgs(gameId, liar, 5));
      expect(await outcomeOf(gameId)).toBe(honestWins);
    }
  });

  it('proveStep › reverts when t_lo is not the agreed state (PrestateMismatch), also at lo = 0 against the case input', async () => {
    const liar = liarAt(4);
    const { gameId } = await toLeaf(liar, 'challenger');
    // The liar's wrong t_4 with its valid proof is not S_3; nor is t_3 given with the wrong k.
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, liar, 4, { state: encodeTensor(liar.trace[4]) }), 3_000_000n), 'PrestateMismatch');
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 4, { stateProof: merkleProof(honest.hashes, 2).map(bytesToHex) }), 3_000_000n), 'PrestateMismatch');
    await bench.reset();
    const first = await toLeaf(liarAt(1), 'defender');
    expect(first.run.leafIndex).toBe(1);
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(first.gameId, honest, 1, { state: encodeTensor(rowVector([7, -3, 13])) }), 3_000_000n), 'PrestateMismatch');
    // A proof given for lo = 0 changes nothing: S_0 is the case input.
    await send(game, bench.third, 'proveStep', stepArgs(first.gameId, honest, 1, { stateProof: merkleProof(honest.hashes, 0).map(bytesToHex) }));
    expect(await outcomeOf(first.gameId)).toBe(GameOutcome.ChallengerWins);
  });

  it('proveStep › reverts when the step is not step hi of the model (StepNotInModel): another step, another op byte, extra bytes', async () => {
    const { gameId } = await toLeaf(liarAt(5), 'challenger');
    const other = steps[5]; // step 6 (DIV), with its own valid proof
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 5, { op: Opcode[other.op], weights: encodeTensor(stepConstant(other)), modelProof: stepProof(steps, 6).map(bytesToHex) }), 3_000_000n), 'StepNotInModel');
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 5, { op: Opcode.ADD }), 3_000_000n), 'StepNotInModel');
    const w = encodeTensor(stepConstant(steps[4]));
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 5, { weights: new Uint8Array([...w, 0]) }), 3_000_000n), 'StepNotInModel');
    expect(await phaseOf(gameId)).toBe(GamePhase.Step);
  });

  it('proveStep › a prover giving too little gas cannot make the step invalid: its transaction fails and the game waits', async () => {
    const { gameId, honestWins } = await toLeaf(liarAt(1), 'challenger');
    const args = stepArgs(gameId, honest, 1);
    const needed: bigint = await (game.connect(bench.third) as Contract).getFunction('proveStep').estimateGas(...args);
    for (const limit of [needed / 2n, needed - 20_000n]) {
      await expect(send(game, bench.third, 'proveStep', args, limit)).rejects.toThrow();
    }
    expect(await phaseOf(gameId)).toBe(GamePhase.Step);
    await send(game, bench.third, 'proveStep', args);
    expect(await outcomeOf(gameId)).toBe(honestWins);
  });

  it('proveStep › reverts in the dissection, once resolved (WrongPhase) and after the defender’s clock ran out (ClockExpired)', async () => {
    const H = { signer: bench.a, party: honest };
    const L = { signer: bench.b, party: liarAt(3) };
    const { gameId } = await openGame(bench, H, L, s0, model.modelRoot, n);
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 3), 3_000_000n), 'WrongPhase');
    await play(bench, gameId, H, L, steps, undefined);
    await increaseTime(bench.fx.provider, HARNESS_CLOCK + 1);
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 3), 3_000_000n), 'ClockExpired');
    // In the step phase the defender's clock runs: its timeout lets the challenger win.
    await send(game, bench.third, 'claimTimeout', [gameId]);
    expect(await outcomeOf(gameId)).toBe(GameOutcome.ChallengerWins);
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 3), 3_000_000n), 'WrongPhase');
    await expectRevert(send(game, bench.third, 'claimTimeout', [gameId]), 'WrongPhase');
    expect(Number(await bench.harness.reports(gameId))).toBe(1);
  });
});

describe('DisputeGame › malformed steps a model root commits to revert; they never decide a game', () => {
  // A two-step "model" whose step 1 is malformed, and two parties that differ at state 1.
  const t0 = rowVector([1, 2]);
  const leafOf = (k: number, op: number, attrs: Uint8Array, weights: Uint8Array) =>
    hexToBytes(ethKeccak(concat([toBeHex(k, 4), toBeHex(op, 1), attrs, weights])));
  const argmax = leafOf(2, Opcode.ARGMAX, new Uint8Array(0), encodeTensor(EMPTY_TENSOR));
  const cases: [string, number, Uint8Array, Uint8Array, string][] = [
    ['a non-canonical constant (ADD 1×2 in width 2 for values that fit one byte)', Opcode.ADD, new Uint8Array(0), getBytes('0x000100020200010002'), 'NonCanonicalConstant'],
    ['a constant with a bad width byte', Opcode.ADD, new Uint8Array(0), getBytes('0x00010002030102'), 'MalformedConstant'],
    ['a constant shorter than its header says', Opcode.MATMUL, new Uint8Array(0), getBytes('0x0002000201010203'), 'MalformedConstant'],
    ['a non-empty constant on RELU', Opcode.RELU, new Uint8Array(0), encodeTensor(rowVector([0, 0])), 'ConstantShape'],
    ['an empty constant of width 2 on ARGMAX', Opcode.ARGMAX, new Uint8Array(0), getBytes('0x0000000002'), 'NonCanonicalConstant'],
    ['opcode 9', 9, new Uint8Array(0), encodeTensor(EMPTY_TENSOR), 'UnknownOpcode'],
    ['CLIP with 8 attr bytes', Opcode.CLIP, new Uint8Array(8), encodeTensor(EMPTY_TENSOR), 'AttrsLength'],
  ];
  it.each(cases)('proveStep › %s reverts (%s); the game then ends on the clock', async (_name, op, attrs, weights, error) => {
    const leaves = [leafOf(1, op, attrs, weights), argmax];
    const root = bytesToHex(merkleRoot(leaves));
    const a = partyOf([t0, rowVector([2, 3]), rowVector([1])]);
    const b = partyOf([t0, rowVector([5, 5]), rowVector([0])]);
    const { gameId } = await openGame(bench, { signer: bench.a, party: a }, { signer: bench.b, party: b }, bytesToHex(stateHash(0, t0)), root, 2);
    const run = await play(bench, gameId, { signer: bench.a, party: a }, { signer: bench.b, party: b }, [], undefined);
    expect(run.leafIndex).toBe(1);
    const args = [gameId, encodeTensor(t0), [], op, attrs, weights, merkleProof(leaves, 0).map(bytesToHex)];
    await expectRevert(send(game, bench.third, 'proveStep', args, 3_000_000n), error);
    expect(await phaseOf(gameId)).toBe(GamePhase.Step);
    await increaseTime(bench.fx.provider, HARNESS_CLOCK + 1);
    await send(game, bench.third, 'claimTimeout', [gameId]);
    expect(await outcomeOf(gameId)).toBe(GameOutcome.ChallengerWins);
  });

  it('proveStep › an invalid step (a shape that does not fit the agreed state) decides: neither post-state matches, both lose', async () => {
    const weights = encodeTensor(rowVector([1, 2, 3])); // ADD 1×3 on a 1×2 state
    const leaves = [leafOf(1, Opcode.ADD, new Uint8Array(0), weights), argmax];
    const a = partyOf([t0, rowVector([2, 3]), rowVector([1])]);
    const b = partyOf([t0, rowVector([5, 5]), rowVector([0])]);
    const { gameId } = await openGame(bench, { signer: bench.a, party: a }, { signer: bench.b, party: b }, bytesToHex(stateHash(0, t0)), bytesToHex(merkleRoot(leaves)), 2);
    await play(bench, gameId, { signer: bench.a, party: a }, { signer: bench.b, party: b }, [], undefined);
    await send(game, bench.third, 'proveStep', [gameId, encodeTensor(t0), [], Opcode.ADD, new Uint8Array(0), weights, merkleProof(leaves, 0).map(bytesToHex)]);
    expect(await outcomeOf(gameId)).toBe(GameOutcome.BothLose);
  });
});

describe('DisputeGame › index 0, padding and trees of the wrong size', () => {
  const junk = (i: number) => hexToBytes(ethKeccak(toBeHex(0xbad0 + i, 32)));
  const padded = (p: Party, at: number, value: Uint8Array): Party => {
    const leaves = [...p.hashes];
    while (leaves.length < 16) leaves.push(new Uint8Array(32));
    leaves[at] = value;
    return partyFromLeaves(p.trace, leaves);
  };

  it.each(['defender', 'challenger'] as Side[])('a non-zero padding leaf loses to the zero-padded tree without a step (liar the %s)', async (side) => {
    const { gameId, run, honestWins } = await toLeaf(padded(honest, 12, junk(1)), side);
    expect(run.leafIndex).toBe(12);
    expect(await outcomeOf(gameId)).toBe(honestWins);
  });

  it('two trees with different junk in the same padding leaf both lose', async () => {
    const A = { signer: bench.a, party: padded(honest, 9, junk(1)) };
    const B = { signer: bench.b, party: padded(honest, 9, junk(2)) };
    const { gameId } = await openGame(bench, A, B, s0, model.modelRoot, n);
    const run = await play(bench, gameId, A, B, steps, undefined);
    expect(run.leafIndex).toBe(9);
    expect(run.outcome).toBe(GameOutcome.BothLose);
  });

  it.each(['defender', 'challenger'] as Side[])('a wrong S_0 loses at index 0 against the case input (liar the %s)', async (side) => {
    const { gameId, run, honestWins } = await toLeaf(liarAt(0), side);
    expect(run.leafIndex).toBe(0);
    expect(await outcomeOf(gameId)).toBe(honestWins);
  });

  it('two different wrong S_0 both lose', async () => {
    const A = { signer: bench.a, party: liarAt(0, 1n) };
    const B = { signer: bench.b, party: liarAt(0, 2n) };
    const { gameId } = await openGame(bench, A, B, s0, model.modelRoot, n);
    expect((await play(bench, gameId, A, B, steps, undefined)).outcome).toBe(GameOutcome.BothLose);
  });

  it.each(['defender', 'challenger'] as Side[])('a trace one step short (zero where S_n belongs) loses the step n proof (liar the %s)', async (side) => {
    const short = partyFromLeaves(honest.trace, [...stateHashes(honest.trace.slice(0, n)), new Uint8Array(32)]);
    const { gameId, run, honestWins } = await toLeaf(short, side);
    expect(run.leafIndex).toBe(n);
    await send(game, bench.third, 'proveStep', stepArgs(gameId, honest, n));
    expect(await outcomeOf(gameId)).toBe(honestWins);
  });

  it.each(['defender', 'challenger'] as Side[])('a trace one step long (a state in padding index n + 1) loses at the padding (liar the %s)', async (side) => {
    const long = partyFromLeaves(honest.trace, [...honest.hashes, stateHash(n + 1, rowVector([0]))]);
    const { gameId, run, honestWins } = await toLeaf(long, side);
    expect(run.leafIndex).toBe(n + 1);
    expect(await outcomeOf(gameId)).toBe(honestWins);
  });

  it('a tree deeper than the game’s steps cannot be opened by moves: its owner loses on its clock', async () => {
    // 17 leaves: depth 5, while the game (n = 8, 9 states) descends depth 4.
    const deep = partyFromLeaves(honest.trace, [...honest.hashes, ...Array.from({ length: 8 }, (_, i) => junk(i))]);
    const D = { signer: bench.b, party: deep };
    const { gameId } = await openGame(bench, D, { signer: bench.a, party: honest }, s0, model.modelRoot, n);
    const g = await game.games(gameId);
    const pos = { height: Number(g.height), index: 0, levelsPerMove: Number(g.levelsPerMove) };
    await expectRevert(send(game, bench.b, 'move', [gameId, moveNodes(deep.levels, pos).map(bytesToHex), []], 3_000_000n), 'NodesMismatch');
    await increaseTime(bench.fx.provider, HARNESS_CLOCK + 1);
    await send(game, bench.third, 'claimTimeout', [gameId]);
    expect(await outcomeOf(gameId)).toBe(GameOutcome.ChallengerWins);
  });

  it('proveStep › a game opened with a step count other than the model tree’s cannot prove a step (the host passes the registered count)', async () => {
    // Same depth (9 and 10 trace leaves → 16), but the model tree has 8 leaves, not 9.
    const { gameId, run } = await toLeaf(liarAt(3), 'challenger', n + 1);
    expect(run.leafIndex).toBe(3);
    await expectRevert(send(game, bench.third, 'proveStep', stepArgs(gameId, honest, 3), 3_000_000n), 'StepNotInModel');
  });
});

describe('DisputeGame › every revert path of create, move and claimTimeout', () => {
  it('create › only the host opens games (Unauthorized), over two different roots (NoDisagreement)', async () => {
    const z = zeroPadValue('0x01', 32);
    await expectRevert(send(game, bench.third, 'create', [1, z, bench.addr.a, bench.addr.b, z, honest.root, s0, model.modelRoot, n], 3_000_000n), 'Unauthorized');
    await expect(send(bench.harness, bench.fx.wallets[0], 'open', [z, bench.addr.a, bench.addr.b, honest.root, honest.root, s0, model.modelRoot, n], 3_000_000n)).rejects.toThrow();
    await expectRevert(bench.harness.open.staticCall(z, bench.addr.a, bench.addr.b, honest.root, honest.root, s0, model.modelRoot, n), 'NoDisagreement');
  });

  it('GameHarness › only the game reports outcomes and slashes, so the suite reads what the game did', async () => {
    await expect(send(bench.harness, bench.third, 'onGameResolved', [1n, GameOutcome.DefenderWins], 3_000_000n)).rejects.toThrow(/Unauthorized|revert/);
    await expect(send(bench.harness, bench.third, 'slash', [bench.addr.a, 1n, bench.addr.third], 3_000_000n)).rejects.toThrow(/Unauthorized|revert/);
    await expect(send(bench.harness, bench.third, 'setGame', [bench.addr.third], 3_000_000n)).rejects.toThrow(/Unauthorized|revert/);
  });

  it('move › NotYourTurn, WrongNodeCount, NodesMismatch (own nodes, repeated defender nodes), ClockExpired, WrongPhase', async () => {
    const liar = liarAt(6);
    const H = { signer: bench.a, party: honest };
    const L = { signer: bench.b, party: liar };
    const { gameId } = await openGame(bench, H, L, s0, model.modelRoot, n);
    const g = await game.games(gameId);
    const pos = { height: Number(g.height), index: 0, levelsPerMove: Number(g.levelsPerMove) };
    const hNodes = moveNodes(honest.levels, pos).map(bytesToHex);
    const lNodes = moveNodes(liar.levels, pos).map(bytesToHex);
    await expectRevert(send(game, bench.b, 'move', [gameId, lNodes, hNodes], 3_000_000n), 'NotYourTurn');
    await expectRevert(send(game, bench.third, 'move', [gameId, hNodes, []], 3_000_000n), 'NotYourTurn');
    await expectRevert(send(game, bench.a, 'move', [gameId, hNodes.slice(1), []], 3_000_000n), 'WrongNodeCount');
    await expectRevert(send(game, bench.a, 'move', [gameId, lNodes, []], 3_000_000n), 'NodesMismatch');
    await send(game, bench.a, 'move', [gameId, hNodes, []]);
    await expectRevert(send(game, bench.a, 'move', [gameId, hNodes, []], 3_000_000n), 'NotYourTurn');
    const wrongRepeat = [...hNodes];
    wrongRepeat[0] = lNodes[lNodes.length - 1];
    await expectRevert(send(game, bench.b, 'move', [gameId, lNodes, wrongRepeat], 3_000_000n), 'NodesMismatch');
    await expectRevert(send(game, bench.b, 'move', [gameId, hNodes, hNodes], 3_000_000n), 'NodesMismatch'); // not its own nodes
    await increaseTime(bench.fx.provider, HARNESS_CLOCK + 1);
    await expectRevert(send(game, bench.b, 'move', [gameId, lNodes, hNodes], 3_000_000n), 'ClockExpired');
    await send(game, bench.third, 'claimTimeout', [gameId]);
    expect(await outcomeOf(gameId)).toBe(GameOutcome.DefenderWins);
    await expectRevert(send(game, bench.a, 'move', [gameId, hNodes, []], 3_000_000n), 'WrongPhase');
  });

  it('move › reverts in the step phase (WrongPhase); claimTimeout reverts while the clock runs (ClockNotExpired)', async () => {
    const { gameId } = await toLeaf(liarAt(2), 'challenger');
    await expectRevert(send(game, bench.a, 'move', [gameId, [], []], 3_000_000n), 'WrongPhase');
    await expectRevert(send(game, bench.third, 'claimTimeout', [gameId], 3_000_000n), 'ClockNotExpired');
    await expectRevert(send(game, bench.third, 'claimTimeout', [999n], 3_000_000n), 'WrongPhase');
  });
});

describe('game-player › reading the defender’s move', () => {
  it('takeTurn › never reads events from genesis: windows back from the latest block, or from a given cursor', async () => {
    await bench.fx.provider.send('anvil_mine', ['0x28']); // 40 blocks of history before the game
    const H = { signer: bench.a, party: honest };
    const L = { signer: bench.b, party: liarAt(4) };
    const ranges: [number, number][] = [];
    const spy = (info: { action: string; payload?: unknown }) => {
      if (info.action !== 'sendRpcPayload') return;
      for (const p of [info.payload].flat() as { method: string; params: { fromBlock: string; toBlock: string }[] }[]) {
        if (p?.method === 'eth_getLogs') ranges.push([Number(p.params[0].fromBlock), Number(p.params[0].toBlock)]);
      }
    };
    const provider = bench.b.provider as unknown as { on(e: string, f: unknown): void; off(e: string, f: unknown): void };
    provider.on('debug', spy);
    try {
      const { gameId } = await openGame(bench, H, L, s0, model.modelRoot, n);
      const created = await bench.fx.provider.getBlockNumber();
      expect(created).toBeGreaterThan(40);
      await takeTurn(game.connect(bench.a) as Contract, gameId, bench.addr.a, honest, steps);
      // Without a cursor: a window of 4 blocks back from the latest holds the defender's move.
      expect((await takeTurn(game.connect(bench.b) as Contract, gameId, bench.addr.b, L.party, steps, { searchWindow: 4 })).action).toBe('moved');
      expect(ranges.length).toBeGreaterThan(0);
      for (const [f, t] of ranges) {
        expect(f).toBeGreaterThan(created - 4);
        expect(t - f + 1).toBeLessThanOrEqual(4);
      }
      // With a cursor (e.g. the GameCreated block a worker saw): read from there on.
      await bench.reset();
      const again = await openGame(bench, H, L, s0, model.modelRoot, n);
      const from = await bench.fx.provider.getBlockNumber();
      await takeTurn(game.connect(bench.a) as Contract, again.gameId, bench.addr.a, honest, steps);
      ranges.length = 0;
      expect((await takeTurn(game.connect(bench.b) as Contract, again.gameId, bench.addr.b, L.party, steps, { fromBlock: from })).action).toBe('moved');
      expect(ranges.map(([f]) => f)).toEqual([from]);
      expect(MOVE_SEARCH_WINDOW).toBe(1024);
    } finally {
      provider.off('debug', spy);
    }
  });
});

describe('DisputeGame › lo = 0: both traces from another input', () => {
  it('two trees that agree on a wrong S_0 and differ at S_1 both lose at index 1, without a step', async () => {
    const other = rowVector([8, -3, 12]);
    const A = { signer: bench.a, party: partyOf(runReference(model.ir, other)) };
    const B = { signer: bench.b, party: partyOf(faultyTrace(model.ir, other, 1)) };
    const { gameId } = await openGame(bench, A, B, s0, model.modelRoot, n);
    const run = await play(bench, gameId, A, B, steps, undefined);
    expect(run.leafIndex).toBe(1);
    expect(run.outcome).toBe(GameOutcome.BothLose);
    expect(await bench.harness.slashed(bench.addr.a)).toBe(HARNESS_SLASH);
    expect(await bench.harness.slashed(bench.addr.b)).toBe(HARNESS_SLASH);
  });
});
