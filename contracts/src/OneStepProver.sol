// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IOneStep} from "./interfaces/IOneStep.sol";
import {LibOneStep} from "./lib/LibOneStep.sol";
import {LibTensor, TensorView} from "./lib/LibTensor.sol";

/// @title OneStepProver
/// @notice Stateless IOneStep implementation wrapping LibOneStep and LibTensor. A malformed step
///         encoding (LibOneStep.checkEncoding) reverts; an invalid step returns `valid = false`.
contract OneStepProver is IOneStep {
    /// @inheritdoc IOneStep
    function stepLeaf(uint32 k, uint8 op, bytes calldata attrs, bytes calldata weights) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(k, op, attrs, weights));
    }

    /// @inheritdoc IOneStep
    function stateHashOf(uint32 k, bytes calldata state) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(k, state));
    }

    /// @inheritdoc IOneStep
    function execute(uint8 op, bytes calldata attrs, bytes calldata weights, bytes calldata state)
        external
        pure
        returns (bool valid, bytes memory output)
    {
        (bool ok, uint256 rows, uint256 cols, int256[] memory vals) = _run(op, attrs, weights, state);
        if (!ok) return (false, output);
        return LibTensor.encodeTensor(rows, cols, vals);
    }

    /// @inheritdoc IOneStep
    function step(uint32 k, uint8 op, bytes calldata attrs, bytes calldata weights, bytes calldata state)
        external
        pure
        returns (bool valid, bytes32 postState)
    {
        (bool ok, uint256 rows, uint256 cols, int256[] memory vals) = _run(op, attrs, weights, state);
        if (!ok) return (false, bytes32(0));
        return LibTensor.stateHash(k, rows, cols, vals);
    }

    function _run(uint8 op, bytes calldata attrs, bytes calldata weights, bytes calldata state)
        private
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory vals)
    {
        // A malformed step encoding reverts (LibOneStep.checkEncoding), before anything runs.
        TensorView memory c = LibOneStep.checkEncoding(op, attrs, weights);
        (bool sOk, TensorView memory s) = LibTensor.read(state);
        // INVARIANT: the state is a well-formed encoding. Its bytes are fixed by the agreed S_lo
        // (the game checks its hash), so a malformed one is a fact of the trace: an invalid step.
        if (!sOk) return (false, 0, 0, vals);
        return LibOneStep.run(op, attrs, s, c);
    }
}
