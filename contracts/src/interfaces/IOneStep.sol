// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IOneStep
/// @notice The referee's virtual machine: executes one model step exactly (PROTOCOL.md §1–§2).
///         The dispute game calls the interpreter only through this interface.
interface IOneStep {
    /// @notice The step leaf of model step `k`: keccak256(uint32 k ‖ uint8 op ‖ attrs ‖ enc(weights)).
    function stepLeaf(uint32 k, uint8 op, bytes calldata attrs, bytes calldata weights) external pure returns (bytes32);

    /// @notice The state hash S_k = keccak256(uint32 k ‖ enc(t)) of an encoded tensor as given.
    function stateHashOf(uint32 k, bytes calldata state) external pure returns (bytes32);

    /// @notice Executes step `k` on the encoded state t_{k-1}. Reverts when the step's own bytes are
    ///         malformed (unknown opcode, attrs not of the opcode's length, a constant that is not a
    ///         canonical tensor encoding, a constant on an op that takes none): such bytes are no
    ///         step, and a caller must not be able to make them count as an invalid one.
    /// @return valid False when the step is invalid (a malformed state, a shape that does not fit,
    ///         CLIP bounds out of order, a non-positive divisor, or a value outside int64).
    /// @return output enc(t_k) when valid.
    function execute(uint8 op, bytes calldata attrs, bytes calldata weights, bytes calldata state)
        external
        pure
        returns (bool valid, bytes memory output);

    /// @notice Executes step `k` on t_{k-1} and returns S_k (zero when the step is invalid); reverts
    ///         on a malformed step encoding, as `execute`.
    function step(uint32 k, uint8 op, bytes calldata attrs, bytes calldata weights, bytes calldata state)
        external
        pure
        returns (bool valid, bytes32 postState);
}
