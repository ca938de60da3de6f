// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "../Errors.sol";
import {IArbiterGame, IGameHost} from "../interfaces/IArbiterGame.sol";

/// @title GameHarness
/// @notice Test-only: stands in for both contracts a DisputeGame talks to, the host that opens
///         games and hears their outcome (Arbitration) and the slasher (NodeStaking), so the
///         game's adversarial suite drives DisputeGame alone, exactly through `create` and
///         `onGameResolved`, and reads who was slashed for whom.
contract GameHarness is IGameHost {
    /// @notice The game under test (set once, after it is deployed with this harness as host).
    IArbiterGame public game;
    /// @notice The outcome reported for each game.
    mapping(uint256 gameId => IArbiterGame.Outcome) public outcomes;
    /// @notice How many times each game reported (must be once).
    mapping(uint256 gameId => uint256) public reports;
    /// @notice Total slashed from each node.
    mapping(address node => uint256) public slashed;
    /// @notice Total slashed in favour of each beneficiary (address(0): nobody).
    mapping(address beneficiary => uint256) public rewarded;

    /// @notice Emitted on every slash the game asks for.
    event Slash(address indexed node, uint256 amount, address indexed beneficiary);

    /// @notice Binds the game; once.
    function setGame(IArbiterGame game_) external {
        // INVARIANT: the game is bound once.
        if (address(game) != address(0)) revert Unauthorized(msg.sender);
        game = game_;
    }

    /// @notice Opens a game as the host would.
    function open(
        bytes32 caseId,
        address defender,
        address challenger,
        bytes32 defenderRoot,
        bytes32 challengerRoot,
        bytes32 s0,
        bytes32 modelRoot,
        uint32 steps
    ) external returns (uint256 gameId) {
        gameId = game.create(1, caseId, defender, challenger, defenderRoot, challengerRoot, s0, modelRoot, steps);
    }

    /// @inheritdoc IGameHost
    function onGameResolved(uint256 gameId, IArbiterGame.Outcome outcome) external {
        // INVARIANT: only the game reports outcomes.
        if (msg.sender != address(game)) revert Unauthorized(msg.sender);
        outcomes[gameId] = outcome;
        reports[gameId]++;
    }

    /// @notice NodeStaking.slash as the game calls it; records instead of moving stake.
    function slash(address node, uint256 amount, address beneficiary) external returns (uint256) {
        // INVARIANT: only the game slashes.
        if (msg.sender != address(game)) revert Unauthorized(msg.sender);
        slashed[node] += amount;
        rewarded[beneficiary] += amount;
        emit Slash(node, amount, beneficiary);
        return amount;
    }
}
