// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title LibMerkle
/// @notice The binary Merkle tree of PROTOCOL.md §2: leaves index-ordered, padded with bytes32(0)
///         to a power of two, parent = keccak256(left ‖ right), one leaf → root = leaf.
/// @dev Unlike OpenZeppelin's MerkleProof (sorted pairs) the position decides the order, and the
///      proof length must equal the tree depth, so an inner node never passes as a leaf.
library LibMerkle {
    /// @notice ceil(log2(leafCount)); 0 for a single leaf (and for none).
    function depth(uint256 leafCount) internal pure returns (uint256 d) {
        while ((uint256(1) << d) < leafCount) d++;
    }

    /// @notice Whether `leaf` sits at `index` of the tree of `leafCount` leaves with root `root`.
    function verify(bytes32 root, bytes32 leaf, uint256 index, uint256 leafCount, bytes32[] calldata proof)
        internal
        pure
        returns (bool)
    {
        // INVARIANT: the leaf lies inside the tree and the proof climbs exactly to the root level.
        if (index >= leafCount || proof.length != depth(leafCount)) return false;
        return rootFrom(leaf, index, proof) == root;
    }

    /// @notice The root implied by `leaf` at `index` and its siblings (leaf level first).
    function rootFrom(bytes32 leaf, uint256 index, bytes32[] calldata proof) internal pure returns (bytes32 node) {
        node = leaf;
        assembly ("memory-safe") {
            let p := proof.offset
            for { let end := add(p, shl(5, proof.length)) } lt(p, end) { p := add(p, 32) } {
                // bit j of the index: 0 → node is the left child, 1 → the right child.
                switch and(index, 1)
                case 0 {
                    mstore(0x00, node)
                    mstore(0x20, calldataload(p))
                }
                default {
                    mstore(0x00, calldataload(p))
                    mstore(0x20, node)
                }
                node := keccak256(0x00, 0x40)
                index := shr(1, index)
            }
        }
    }

    /// @notice Root over `nodes` taken as one complete level (length a power of two; 1 → itself).
    /// @dev Used by the dissection, where a party posts a whole level of its subtree at once.
    function rootOfLevel(bytes32[] calldata nodes) internal pure returns (bytes32) {
        uint256 n = nodes.length;
        bytes32[] memory level = new bytes32[](n);
        for (uint256 i; i < n; ++i) level[i] = nodes[i];
        return foldLevels(level, n);
    }

    /// @notice Root over `leaves` padded with zero leaves to a power of two (PROTOCOL.md §2).
    function rootOf(bytes32[] memory leaves) internal pure returns (bytes32) {
        uint256 n = leaves.length;
        if (n == 0) return bytes32(0);
        uint256 width = uint256(1) << depth(n);
        bytes32[] memory level = new bytes32[](width);
        for (uint256 i; i < n; ++i) level[i] = leaves[i];
        return foldLevels(level, width);
    }

    /// @dev Hashes `level[0..width)` (width a power of two) pairwise, in place, up to its root.
    function foldLevels(bytes32[] memory level, uint256 width) private pure returns (bytes32) {
        while (width > 1) {
            width >>= 1;
            for (uint256 i; i < width; ++i) {
                bytes32 l = level[2 * i];
                bytes32 r = level[2 * i + 1];
                bytes32 h;
                assembly ("memory-safe") {
                    mstore(0x00, l)
                    mstore(0x20, r)
                    h := keccak256(0x00, 0x40)
                }
                level[i] = h;
            }
        }
        return level[0];
    }
}
