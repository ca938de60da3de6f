// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice A tensor read in place from calldata: enc(t) of PROTOCOL.md §2.
/// @param rows Number of rows (uint16 in the encoding).
/// @param cols Number of columns (uint16 in the encoding).
/// @param width Bytes per value: 1, 2, 4 or 8.
/// @param data Absolute calldata offset of the first value.
struct TensorView {
    uint256 rows;
    uint256 cols;
    uint256 width;
    uint256 data;
}

/// @title LibTensor
/// @notice Reads enc(t) = rows uint16 ‖ cols uint16 ‖ w uint8 ‖ values (w bytes each, big-endian
///         two's complement, row-major) straight from calldata, and writes the state hash
///         S_k = keccak256(uint32 k ‖ enc(t)) of a computed tensor (PROTOCOL.md §2).
library LibTensor {
    /// @notice Bytes before the values: rows (2) + cols (2) + width (1).
    uint256 internal constant HEADER = 5;
    int256 internal constant INT64_MIN = -(int256(1) << 63);
    int256 internal constant INT64_MAX = (int256(1) << 63) - 1;

    /// @notice Parses the header of `t`; `ok` is false when the width byte or the length is wrong.
    function read(bytes calldata t) internal pure returns (bool ok, TensorView memory v) {
        uint256 rows;
        uint256 cols;
        uint256 w;
        uint256 data;
        assembly ("memory-safe") {
            let word := calldataload(t.offset)
            rows := shr(240, word)
            cols := and(shr(224, word), 0xffff)
            w := byte(4, word)
            data := add(t.offset, 5)
        }
        v = TensorView(rows, cols, w, data);
        // INVARIANT: the width is one of 1, 2, 4, 8 and the values fill the bytes exactly.
        ok = t.length >= HEADER && (w == 1 || w == 2 || w == 4 || w == 8) && t.length == HEADER + rows * cols * w;
    }

    /// @notice Whether the width is the narrowest holding every value (PROTOCOL.md §2: the
    ///         encoding is canonical). Stops at the first value that needs the full width.
    function isCanonical(TensorView memory v) internal pure returns (bool) {
        if (v.width == 1) return true;
        int256 bound = int256(1) << (4 * v.width - 1); // half the width, in bits, minus the sign
        uint256 n = v.rows * v.cols;
        for (uint256 i; i < n; ++i) {
            int256 x = at(v, i);
            if (x < -bound || x >= bound) return true;
        }
        return false;
    }

    /// @notice Value `i` (row-major) of a tensor view, sign-extended to int256.
    function at(TensorView memory v, uint256 i) internal pure returns (int256 x) {
        uint256 w = v.width;
        uint256 p = v.data + i * w;
        assembly ("memory-safe") {
            x := signextend(sub(w, 1), shr(sub(256, shl(3, w)), calldataload(p)))
        }
    }

    /// @notice S_k of the tensor `rows`×`cols` with values `vals`; `ok` false when a value leaves int64.
    /// @dev The width is the narrowest of 1, 2, 4, 8 holding every value, so the hash is canonical.
    function stateHash(uint256 k, uint256 rows, uint256 cols, int256[] memory vals)
        internal
        pure
        returns (bool ok, bytes32 h)
    {
        bytes memory buf;
        (ok, buf) = encode(k, rows, cols, vals, true);
        if (ok) h = keccak256(buf);
    }

    /// @notice enc(t) of a computed tensor (without the step prefix); `ok` false outside int64.
    function encodeTensor(uint256 rows, uint256 cols, int256[] memory vals)
        internal
        pure
        returns (bool ok, bytes memory enc)
    {
        return encode(0, rows, cols, vals, false);
    }

    /// @notice The encoding, optionally prefixed with uint32 k; `ok` false when a value leaves int64.
    function encode(uint256 k, uint256 rows, uint256 cols, int256[] memory vals, bool withStep)
        internal
        pure
        returns (bool ok, bytes memory buf)
    {
        int256 lo;
        int256 hi;
        uint256 n = vals.length;
        for (uint256 i; i < n; ++i) {
            int256 x = vals[i];
            if (x < lo) lo = x;
            else if (x > hi) hi = x;
        }
        // INVARIANT: every exactly computed value lies in int64 (PROTOCOL.md §1); else the step is invalid.
        if (lo < INT64_MIN || hi > INT64_MAX) return (false, buf);
        uint256 w = 8;
        if (lo >= -128 && hi <= 127) w = 1;
        else if (lo >= -32768 && hi <= 32767) w = 2;
        else if (lo >= -2147483648 && hi <= 2147483647) w = 4;
        uint256 prefix = withStep ? 4 : 0;
        buf = new bytes(prefix + HEADER + n * w);
        assembly ("memory-safe") {
            let p := add(buf, 32)
            if withStep {
                mstore(p, shl(224, k))
                p := add(p, 4)
            }
            // rows uint16 ‖ cols uint16 ‖ w uint8, then the values; each mstore spills into bytes
            // overwritten next (or past the end, into unallocated memory).
            mstore(p, or(or(shl(240, rows), shl(224, cols)), shl(216, w)))
            p := add(p, 5)
            let shift := sub(256, shl(3, w))
            let mask := sub(shl(shl(3, w), 1), 1)
            let src := add(vals, 32)
            for { let end := add(src, shl(5, n)) } lt(src, end) { src := add(src, 32) } {
                mstore(p, shl(shift, and(mload(src), mask)))
                p := add(p, w)
            }
        }
        ok = true;
    }
}
