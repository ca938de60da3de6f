// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ReadMany: many view calls in one eth_call, never deployed.
/// @notice Sent as the data of an eth_call without a `to` (a "deployless" call): its constructor
/// makes each static call and returns their answers instead of any code, with the block's number
/// and timestamp. Every EVM node runs it; nothing is written, nothing is deployed. The service and
/// the node operators read a batch, a seat and a batch's cases this way: one call for the EVM
/// node to set up instead of one per read (and per head's timestamp), which was most of the
/// embedded chain's work under load.
/// @dev Returns abi.encode(uint256 blockNumber, uint256 timestamp, bool[] ok, bytes[] answers).
/// A call that reverts has ok false and its revert data as answer.
contract ReadMany {
    constructor(address[] memory targets, bytes[] memory calls) {
        uint256 n = calls.length;
        require(targets.length == n);
        bool[] memory ok = new bool[](n);
        bytes[] memory answers = new bytes[](n);
        for (uint256 i = 0; i < n; i++) {
            (ok[i], answers[i]) = targets[i].staticcall(calls[i]);
        }
        bytes memory out = abi.encode(block.number, block.timestamp, ok, answers);
        assembly ("memory-safe") {
            return(add(out, 32), mload(out))
        }
    }
}
