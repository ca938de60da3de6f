// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {LibMerkle} from "../lib/LibMerkle.sol";
import {LibTensor, TensorView} from "../lib/LibTensor.sol";

/// @title LibHarness
/// @notice Test-only: exposes the internal libraries so the shared vectors can check them on chain.
contract LibHarness {
    /// @notice LibMerkle.verify.
    function verify(bytes32 root, bytes32 leaf, uint256 index, uint256 leafCount, bytes32[] calldata proof)
        external
        pure
        returns (bool)
    {
        return LibMerkle.verify(root, leaf, index, leafCount, proof);
    }

    /// @notice LibMerkle.rootOf.
    function rootOf(bytes32[] calldata leaves) external pure returns (bytes32) {
        return LibMerkle.rootOf(leaves);
    }

    /// @notice Decodes enc(t) into its shape, width and values.
    function decode(bytes calldata enc)
        external
        pure
        returns (bool ok, uint256 rows, uint256 cols, uint256 width, int256[] memory values)
    {
        TensorView memory v;
        (ok, v) = LibTensor.read(enc);
        if (!ok) return (false, 0, 0, 0, values);
        values = new int256[](v.rows * v.cols);
        for (uint256 i; i < values.length; ++i) values[i] = LibTensor.at(v, i);
        return (true, v.rows, v.cols, v.width, values);
    }

    /// @notice LibTensor.encodeTensor: enc(t) of the given values (ok false outside int64).
    function encode(uint256 rows, uint256 cols, int256[] calldata values) external pure returns (bool ok, bytes memory enc) {
        return LibTensor.encodeTensor(rows, cols, values);
    }
}
