// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {IArbiterGame, IGameHost} from "./interfaces/IArbiterGame.sol";
import {IOneStep} from "./interfaces/IOneStep.sol";
import {LibMerkle} from "./lib/LibMerkle.sol";
import {LibOneStep} from "./lib/LibOneStep.sol";
import {NodeStaking} from "./NodeStaking.sol";

/// @title DisputeGame
/// @notice Refereed delegation over two trace roots (PROTOCOL.md §3). Both trace trees are
///         descended together, `levelsPerMove` levels a round: the defender posts its nodes that
///         many levels below the current node, the challenger posts its own (and repeats the
///         defender's); the leftmost differing node becomes current. At the leaves this is the
///         first differing state S_hi, and S_lo (hi - 1) is agreed. The IOneStep referee then
///         recomputes t_hi from t_lo and the model's step hi, and compares S_hi with both claims.
///         The party whose turn it is runs its own chess clock; when it runs out, it loses.
contract DisputeGame is IArbiterGame {
    enum Phase {
        None,
        Dissection,
        Step,
        Resolved
    }

    /// @notice One game; fields packed into few slots (storage is most of a game's fixed gas).
    struct Game {
        address defender;
        uint64 batchId;
        Phase phase;
        uint8 turn; // 0: defender, 1: challenger
        uint8 height; // of the current node above the leaves
        uint8 levelsPerMove;
        address challenger;
        uint32 steps; // n: the trace has n + 1 states
        uint32 index; // position of the current node in its level
        uint32 clockDefender; // seconds left
        uint64 turnStart;
        uint32 clockChallenger;
        Outcome outcome;
        bytes32 caseId;
        bytes32 s0;
        bytes32 modelRoot;
        bytes32 defenderRoot;
        bytes32 challengerRoot;
        bytes32 defenderNode; // current node of each tree (the roots at the start)
        bytes32 challengerNode;
        bytes32 pending; // keccak256 of the defender's nodes of the current round
    }

    /// @notice At most 2^MAX_LEVELS_PER_MOVE nodes in one move (64 hashes, 2 KiB of calldata).
    uint256 public constant MAX_LEVELS_PER_MOVE = 6;

    /// @notice The arbitration contract that opens games and is told their outcome.
    address public immutable host;
    /// @notice The one-step referee.
    IOneStep public immutable referee;
    /// @notice Where losers are slashed.
    NodeStaking public immutable staking;
    /// @notice Collateral slashed from each loser.
    uint256 public immutable slashAmount;
    /// @notice Seconds on each party's clock at the start.
    uint32 public immutable clockSeconds;

    /// @notice All games by id (ids start at 1).
    mapping(uint256 gameId => Game) public games;
    /// @notice Number of games opened.
    uint256 public gameCount;

    constructor(address host_, IOneStep referee_, NodeStaking staking_, uint256 slashAmount_, uint32 clockSeconds_) {
        host = host_;
        referee = referee_;
        staking = staking_;
        slashAmount = slashAmount_;
        clockSeconds = clockSeconds_;
    }

    /// @notice Levels descended per round for a tree of `depth`: the fewest rounds, each posting
    ///         at most 2^MAX_LEVELS_PER_MOVE nodes, spread evenly (depth 5 → one round of 32).
    function levelsPerMoveFor(uint256 depth) public pure returns (uint256) {
        if (depth == 0) return 0;
        uint256 rounds = (depth + MAX_LEVELS_PER_MOVE - 1) / MAX_LEVELS_PER_MOVE;
        return (depth + rounds - 1) / rounds;
    }

    /// @inheritdoc IArbiterGame
    function create(
        uint64 batchId,
        bytes32 caseId,
        address defender,
        address challenger,
        bytes32 defenderRoot,
        bytes32 challengerRoot,
        bytes32 s0,
        bytes32 modelRoot,
        uint32 steps
    ) external returns (uint256 gameId) {
        // INVARIANT: only the arbitration contract opens games, over two different trace roots.
        if (msg.sender != host) revert Unauthorized(msg.sender);
        if (defenderRoot == challengerRoot) revert NoDisagreement(defenderRoot);
        gameId = ++gameCount;
        uint256 depth = LibMerkle.depth(uint256(steps) + 1);
        uint8 lpm = uint8(levelsPerMoveFor(depth));
        Game storage g = games[gameId];
        g.defender = defender;
        g.batchId = batchId;
        g.phase = Phase.Dissection;
        g.height = uint8(depth);
        g.levelsPerMove = lpm;
        g.challenger = challenger;
        g.steps = steps;
        g.clockDefender = clockSeconds;
        g.clockChallenger = clockSeconds;
        g.turnStart = uint64(block.timestamp);
        g.caseId = caseId;
        g.s0 = s0;
        g.modelRoot = modelRoot;
        g.defenderRoot = defenderRoot;
        g.challengerRoot = challengerRoot;
        g.defenderNode = defenderRoot;
        g.challengerNode = challengerRoot;
        emit GameCreated(gameId, batchId, caseId, defender, challenger, defenderRoot, challengerRoot, lpm);
    }

    /// @inheritdoc IArbiterGame
    function move(uint256 gameId, bytes32[] calldata nodes, bytes32[] calldata defenderNodes) external {
        Game storage g = games[gameId];
        // INVARIANT: moves happen in the dissection, by the party whose turn it is, in time.
        if (g.phase != Phase.Dissection) revert WrongPhase(gameId, uint8(g.phase));
        address mover = g.turn == 0 ? g.defender : g.challenger;
        if (msg.sender != mover) revert NotYourTurn(gameId, msg.sender, mover);
        _tick(g);
        uint256 levels = g.levelsPerMove < g.height ? g.levelsPerMove : g.height;
        uint256 width = uint256(1) << levels;
        // INVARIANT: the mover posts a whole level below its current node, which it hashes to.
        if (nodes.length != width) revert WrongNodeCount(nodes.length, width);
        bytes32 own = g.turn == 0 ? g.defenderNode : g.challengerNode;
        bytes32 got = LibMerkle.rootOfLevel(nodes);
        if (got != own) revert NodesMismatch(gameId, own, got);
        emit Moved(gameId, msg.sender, g.height, g.index, nodes);
        if (g.turn == 0) {
            g.pending = keccak256(abi.encodePacked(nodes));
            g.turn = 1;
            return;
        }
        // INVARIANT: the challenger repeats exactly the nodes the defender posted this round.
        if (keccak256(abi.encodePacked(defenderNodes)) != g.pending) revert NodesMismatch(gameId, g.pending, keccak256(abi.encodePacked(defenderNodes)));
        uint256 i;
        while (i < width && defenderNodes[i] == nodes[i]) i++;
        // (The current nodes differ, so some child differs: i < width.)
        g.index = uint32(uint256(g.index) * width + i);
        g.height -= uint8(levels);
        g.defenderNode = defenderNodes[i];
        g.challengerNode = nodes[i];
        g.turn = 0;
        // At the leaves, index i - 1 of this round's nodes is leaf hi - 1 = lo, agreed by both
        // (for hi = 1 it is S_0: i = 1, as leaves 0 and 1 are always posted together).
        if (g.height == 0) _leafFound(gameId, g, i > 0 ? nodes[i - 1] : bytes32(0));
    }

    /// @inheritdoc IArbiterGame
    function proveStep(
        uint256 gameId,
        bytes calldata state,
        bytes32[] calldata stateProof,
        uint8 op,
        bytes calldata attrs,
        bytes calldata weights,
        bytes32[] calldata modelProof
    ) external {
        Game storage g = games[gameId];
        // INVARIANT: a step is proven once the dissection found the first differing state, in time.
        if (g.phase != Phase.Step) revert WrongPhase(gameId, uint8(g.phase));
        // INVARIANT: the opcode is known and fixes the attrs length. The step leaf hashes
        // op ‖ attrs ‖ enc(constant) as one byte string; this fixes where attrs end, so no caller
        // can move bytes between attrs and constant and have a committed step judged invalid.
        // (The referee reverts on any other malformed encoding: it never decides an outcome.)
        (bool known, uint256 attrsLen) = LibOneStep.attrsLength(op);
        if (!known) revert UnknownOpcode(op);
        if (attrs.length != attrsLen) revert AttrsLength(op, attrs.length, attrsLen);
        _tick(g);
        uint32 hi = g.index;
        uint32 lo = hi - 1;
        bytes32 pre = keccak256(abi.encodePacked(lo, state));
        // INVARIANT: t_lo is the agreed state: the case input for lo = 0, else leaf lo, which is
        // the same in both trace trees (proven against either; the siblings differ).
        if (lo == 0) {
            if (pre != g.s0) revert PrestateMismatch(gameId, g.s0, pre);
        } else if (
            !LibMerkle.verify(g.defenderRoot, pre, lo, uint256(g.steps) + 1, stateProof)
                && !LibMerkle.verify(g.challengerRoot, pre, lo, uint256(g.steps) + 1, stateProof)
        ) {
            revert PrestateMismatch(gameId, g.defenderRoot, pre);
        }
        // INVARIANT: the step is model step hi, proven against the registered model root.
        bytes32 leaf = keccak256(abi.encodePacked(hi, op, attrs, weights));
        if (!LibMerkle.verify(g.modelRoot, leaf, hi - 1, g.steps, modelProof)) revert StepNotInModel(gameId, hi, leaf);
        (bool valid, bytes32 post) = referee.step(hi, op, attrs, weights, state);
        emit StepProven(gameId, hi, valid, post, msg.sender);
        if (valid && post == g.defenderNode) _resolve(gameId, g, Outcome.DefenderWins);
        else if (valid && post == g.challengerNode) _resolve(gameId, g, Outcome.ChallengerWins);
        else _resolve(gameId, g, Outcome.BothLose);
    }

    /// @inheritdoc IArbiterGame
    function claimTimeout(uint256 gameId) external {
        Game storage g = games[gameId];
        // INVARIANT: only a running game times out, and only once the mover's clock is spent.
        if (g.phase != Phase.Dissection && g.phase != Phase.Step) revert WrongPhase(gameId, uint8(g.phase));
        uint256 left = g.turn == 0 ? g.clockDefender : g.clockChallenger;
        uint256 elapsed = block.timestamp - g.turnStart;
        if (elapsed <= left) revert ClockNotExpired(gameId, left - elapsed);
        _resolve(gameId, g, g.turn == 0 ? Outcome.ChallengerWins : Outcome.DefenderWins);
    }

    /// @inheritdoc IArbiterGame
    function parties(uint256 gameId) external view returns (address defender, address challenger) {
        Game storage g = games[gameId];
        return (g.defender, g.challenger);
    }

    /// @notice Seconds left on the clock of the party to move.
    function clockLeft(uint256 gameId) external view returns (address mover, uint256 left) {
        Game storage g = games[gameId];
        mover = g.turn == 0 ? g.defender : g.challenger;
        uint256 clock = g.turn == 0 ? g.clockDefender : g.clockChallenger;
        uint256 elapsed = block.timestamp - g.turnStart;
        left = elapsed >= clock ? 0 : clock - elapsed;
    }

    /// @dev Charges the elapsed time to the mover's clock; a spent clock must be claimed instead.
    function _tick(Game storage g) private {
        uint256 elapsed = block.timestamp - g.turnStart;
        if (g.turn == 0) {
            if (elapsed > g.clockDefender) revert ClockExpired(g.defender);
            g.clockDefender -= uint32(elapsed);
        } else {
            if (elapsed > g.clockChallenger) revert ClockExpired(g.challenger);
            g.clockChallenger -= uint32(elapsed);
        }
        g.turnStart = uint64(block.timestamp);
    }

    /// @dev The first differing state is found: index 0 and padding are decided on their face,
    ///      so is index 1 when the agreed S_0 (`agreedLo`, posted in this round) is not the case's
    ///      input (both traces start from another input: t_0 could never be proven, both lose);
    ///      any other index goes to the one-step referee (the defender's clock runs meanwhile).
    function _leafFound(uint256 gameId, Game storage g, bytes32 agreedLo) private {
        uint256 idx = g.index;
        bytes32 d = g.defenderNode;
        bytes32 c = g.challengerNode;
        emit LeafFound(gameId, idx, d, c);
        if (idx == 1 && agreedLo != g.s0) {
            _resolve(gameId, g, Outcome.BothLose);
        } else if (idx == 0) {
            // S_0 is the case's input commitment.
            _resolve(gameId, g, d == g.s0 ? Outcome.DefenderWins : c == g.s0 ? Outcome.ChallengerWins : Outcome.BothLose);
        } else if (idx > g.steps) {
            // Padding leaves are bytes32(0).
            _resolve(gameId, g, d == bytes32(0) ? Outcome.DefenderWins : c == bytes32(0) ? Outcome.ChallengerWins : Outcome.BothLose);
        } else {
            g.phase = Phase.Step;
        }
    }

    /// @dev Slashes the loser(s), rewarding the winner, and tells the host.
    function _resolve(uint256 gameId, Game storage g, Outcome outcome) private {
        g.phase = Phase.Resolved;
        g.outcome = outcome;
        emit Resolved(gameId, outcome);
        if (outcome == Outcome.DefenderWins) {
            staking.slash(g.challenger, slashAmount, g.defender);
        } else if (outcome == Outcome.ChallengerWins) {
            staking.slash(g.defender, slashAmount, g.challenger);
        } else {
            staking.slash(g.defender, slashAmount, address(0));
            staking.slash(g.challenger, slashAmount, address(0));
        }
        IGameHost(host).onGameResolved(gameId, outcome);
    }
}
