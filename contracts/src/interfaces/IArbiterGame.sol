// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IArbiterGame
/// @notice The refereed dispute game of PROTOCOL.md §3 between two trace roots of one case:
///         dissection down the two trace trees to the first differing state, then one step
///         re-executed by the IOneStep referee; a chess clock per party.
interface IArbiterGame {
    /// @notice How a game ended.
    enum Outcome {
        None,
        DefenderWins,
        ChallengerWins,
        BothLose
    }

    /// @notice Emitted when a game opens.
    event GameCreated(
        uint256 indexed gameId,
        uint64 indexed batchId,
        bytes32 indexed caseId,
        address defender,
        address challenger,
        bytes32 defenderRoot,
        bytes32 challengerRoot,
        uint256 levelsPerMove
    );
    /// @notice Emitted for every dissection move: `nodes` are the mover's nodes `levels` below
    ///         the current node (`height` above the leaves, position `index` in its level).
    event Moved(uint256 indexed gameId, address indexed mover, uint256 height, uint256 index, bytes32[] nodes);
    /// @notice Emitted when the dissection reaches the first differing state.
    event LeafFound(uint256 indexed gameId, uint256 index, bytes32 defenderState, bytes32 challengerState);
    /// @notice Emitted when the referee re-executes step `step`.
    event StepProven(uint256 indexed gameId, uint256 step, bool valid, bytes32 postState, address prover);
    /// @notice Emitted when a game ends.
    event Resolved(uint256 indexed gameId, Outcome outcome);

    /// @notice Opens a game; only the arbitration contract.
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
    ) external returns (uint256 gameId);

    /// @notice A dissection move by the party whose turn it is. The defender posts its nodes; the
    ///         challenger posts its nodes and repeats the defender's (checked against their hash).
    function move(uint256 gameId, bytes32[] calldata nodes, bytes32[] calldata defenderNodes) external;

    /// @notice Anyone re-executes the disputed step `hi` from t_{hi-1} (`state`) and step hi's
    ///         op, attributes and constant, each proven against the agreed roots. The opcode fixes
    ///         the attrs length (UnknownOpcode, AttrsLength) and a malformed step reverts in the
    ///         referee, so whoever calls can only decide the game as the honest bytes do.
    function proveStep(
        uint256 gameId,
        bytes calldata state,
        bytes32[] calldata stateProof,
        uint8 op,
        bytes calldata attrs,
        bytes calldata weights,
        bytes32[] calldata modelProof
    ) external;

    /// @notice The two parties of a game.
    function parties(uint256 gameId) external view returns (address defender, address challenger);

    /// @notice Ends the game against the party whose clock ran out.
    function claimTimeout(uint256 gameId) external;
}

/// @notice The arbitration contract, told when a game it opened ends.
interface IGameHost {
    function onGameResolved(uint256 gameId, IArbiterGame.Outcome outcome) external;
}
