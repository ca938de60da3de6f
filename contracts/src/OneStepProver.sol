// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IOneStep} from "./interfaces/IOneStep.sol";
import {LibOneStep} from "./lib/LibOneStep.sol";
import {LibTensor, TensorView} from "./lib/LibTensor.sol";

/// @title OneStepProver
/// @notice Stateless IOneStep implementation wrapping LibOneStep and LibTensor.
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
        (bool sOk, TensorView memory s) = LibTensor.read(state);
        (bool cOk, TensorView memory c) = LibTensor.read(weights);
        // INVARIANT: both tensors are well-formed encodings, the constant canonical (as
        // server/inference/one-step.ts decodes it; the state is canonical through its hash).
        if (!sOk || !cOk || !LibTensor.isCanonical(c)) return (false, 0, 0, vals);
        return LibOneStep.run(op, attrs, s, c);
    }
}
