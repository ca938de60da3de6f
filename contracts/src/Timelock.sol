// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";

/// @title Timelock
/// @notice Arbiter's governance address (issue 8 #11): the operator's powers that could change
///         who wins a case (appointing level-2 arbitrators, choosing the ERC-792 default model,
///         paying an award waiting for a payout address) run only as calls this contract makes.
///         The `proposer` schedules a call; it becomes executable by anyone after `delay`
///         seconds, during which it is public (Scheduled) and the `guardian` (or the proposer)
///         can cancel it. The delay changes only through a scheduled call of this contract to itself.
contract Timelock {
    /// @dev readyAt of an executed operation (timestamps are far above it).
    uint256 internal constant DONE = 1;

    /// @notice Schedules calls (the registrar).
    address public immutable proposer;
    /// @notice Cancels scheduled calls (an independent key or multisig; the deployer on a dev chain).
    address public immutable guardian;
    /// @notice Seconds between scheduling a call and its earliest execution.
    uint256 public delay;
    /// @notice When each operation may run: 0 unknown (or cancelled), 1 done, else a timestamp.
    mapping(bytes32 id => uint256) public readyAt;

    /// @notice Emitted when a call is scheduled: anyone may run it from `readyAt` on.
    event Scheduled(bytes32 indexed id, address indexed target, bytes data, bytes32 salt, uint256 readyAt);
    /// @notice Emitted when a scheduled call ran.
    event Executed(bytes32 indexed id, address indexed target, bytes data);
    /// @notice Emitted when a scheduled call is cancelled before it ran.
    event Cancelled(bytes32 indexed id, address indexed by);
    /// @notice Emitted when the delay changes (through a scheduled call).
    event DelayChanged(uint256 oldDelay, uint256 newDelay);

    constructor(address proposer_, address guardian_, uint256 delay_) {
        proposer = proposer_;
        guardian = guardian_;
        delay = delay_;
        emit DelayChanged(0, delay_);
    }

    /// @notice The id of the call of `target` with `data` under `salt` (the salt tells repeats apart).
    function operationId(address target, bytes calldata data, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(target, data, salt));
    }

    /// @notice Schedules a call; the proposer only, once per id.
    function schedule(address target, bytes calldata data, bytes32 salt) external returns (bytes32 id) {
        if (msg.sender != proposer) revert Unauthorized(msg.sender);
        id = operationId(target, data, salt);
        // INVARIANT: an id is scheduled once (a cancelled one may be scheduled again).
        if (readyAt[id] != 0) revert OperationState(id, readyAt[id]);
        uint256 at = block.timestamp + delay;
        readyAt[id] = at;
        emit Scheduled(id, target, data, salt, at);
    }

    /// @notice Runs a scheduled call once its delay has passed; anyone. A call that reverts
    ///         reverts this transaction (the operation stays pending).
    function execute(address target, bytes calldata data, bytes32 salt) external returns (bytes memory result) {
        bytes32 id = operationId(target, data, salt);
        uint256 at = readyAt[id];
        // INVARIANT: only a pending operation past its delay runs, once.
        if (at <= DONE) revert OperationState(id, at);
        if (block.timestamp < at) revert TooEarly(block.timestamp, at);
        readyAt[id] = DONE;
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        emit Executed(id, target, data);
    }

    /// @notice Cancels a pending call; the guardian or the proposer.
    function cancel(bytes32 id) external {
        if (msg.sender != guardian && msg.sender != proposer) revert Unauthorized(msg.sender);
        // INVARIANT: only a pending operation is cancelled.
        if (readyAt[id] <= DONE) revert OperationState(id, readyAt[id]);
        delete readyAt[id];
        emit Cancelled(id, msg.sender);
    }

    /// @notice Changes the delay; only as a scheduled call of this contract to itself.
    function setDelay(uint256 newDelay) external {
        if (msg.sender != address(this)) revert Unauthorized(msg.sender);
        emit DelayChanged(delay, newDelay);
        delay = newDelay;
    }
}
