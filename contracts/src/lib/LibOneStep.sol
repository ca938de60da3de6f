// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {LibTensor, TensorView} from "./LibTensor.sol";

/// @title LibOneStep
/// @notice The one-step interpreter of the referee: computes t_k from t_{k-1} and step k's op,
///         attributes and constant, exactly (int256 intermediates), as PROTOCOL.md §1 defines and
///         server/inference/reference.ts implements. One function per opcode, in opcode order.
/// @dev Every function returns `ok = false` for an invalid step (shape mismatch, bad attributes,
///      a non-positive divisor); LibTensor.encode then rejects any value outside int64.
library LibOneStep {
    uint8 internal constant MATMUL = 1;
    uint8 internal constant ADD = 2;
    uint8 internal constant MUL = 3;
    uint8 internal constant DIV = 4;
    uint8 internal constant RELU = 5;
    uint8 internal constant CLIP = 6;
    uint8 internal constant ARGMAX = 7;

    /// @notice Length of the attribute bytes each opcode takes (CLIP: int64 min ‖ int64 max).
    function attrsLength(uint8 op) internal pure returns (uint256) {
        return op == CLIP ? 16 : 0;
    }

    /// @notice Whether `c` is the empty constant 0×0 of width 1 (enc 0x0000000001).
    function isEmpty(TensorView memory c) internal pure returns (bool) {
        return c.rows == 0 && c.cols == 0 && c.width == 1;
    }

    /// @notice Dispatches to the opcode's function; unknown opcodes are invalid.
    function run(uint8 op, bytes calldata attrs, TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: the attribute bytes have exactly the opcode's length.
        if (attrs.length != attrsLength(op)) return (false, 0, 0, out);
        if (op == MATMUL) return matmul(s, c);
        if (op == ADD) return add(s, c);
        if (op == MUL) return mul(s, c);
        if (op == DIV) return div(s, c);
        if (op == RELU) return relu(s, c);
        if (op == CLIP) return clip(s, c, attrs);
        if (op == ARGMAX) return argmax(s, c);
        return (false, 0, 0, out);
    }

    /// @notice MATMUL: state r×n · constant n×m → r×m.
    function matmul(TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: the inner dimensions agree.
        if (s.cols != c.rows) return (false, 0, 0, out);
        rows = s.rows;
        cols = c.cols;
        uint256 n = s.cols;
        out = new int256[](rows * cols);
        uint256 sw = s.width;
        uint256 cw = c.width;
        uint256 sData = s.data;
        uint256 cData = c.data;
        assembly ("memory-safe") {
            let sShift := sub(256, shl(3, sw))
            let cShift := sub(256, shl(3, cw))
            let sExt := sub(sw, 1)
            let cExt := sub(cw, 1)
            let cStride := mul(cols, cw)
            let o := add(out, 32)
            for { let i := 0 } lt(i, rows) { i := add(i, 1) } {
                let sRow := add(sData, mul(mul(i, n), sw))
                for { let j := 0 } lt(j, cols) { j := add(j, 1) } {
                    let acc := 0
                    let sp := sRow
                    let cp := add(cData, mul(j, cw))
                    for { let p := 0 } lt(p, n) { p := add(p, 1) } {
                        let a := signextend(sExt, shr(sShift, calldataload(sp)))
                        let b := signextend(cExt, shr(cShift, calldataload(cp)))
                        // |a·b| < 2^126 and n < 2^16: the exact sum fits int256.
                        acc := add(acc, mul(a, b))
                        sp := add(sp, sw)
                        cp := add(cp, cStride)
                    }
                    mstore(o, acc)
                    o := add(o, 32)
                }
            }
        }
        ok = true;
    }

    /// @notice ADD: elementwise state + constant, same shape.
    function add(TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: both operands have the same shape.
        if (s.rows != c.rows || s.cols != c.cols) return (false, 0, 0, out);
        (rows, cols) = (s.rows, s.cols);
        uint256 n = rows * cols;
        out = new int256[](n);
        for (uint256 i; i < n; ++i) out[i] = LibTensor.at(s, i) + LibTensor.at(c, i);
        ok = true;
    }

    /// @notice MUL: elementwise state · constant, same shape.
    function mul(TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: both operands have the same shape.
        if (s.rows != c.rows || s.cols != c.cols) return (false, 0, 0, out);
        (rows, cols) = (s.rows, s.cols);
        uint256 n = rows * cols;
        out = new int256[](n);
        for (uint256 i; i < n; ++i) out[i] = LibTensor.at(s, i) * LibTensor.at(c, i);
        ok = true;
    }

    /// @notice DIV: elementwise state / constant, same shape, every divisor > 0, truncating toward
    ///         zero (as C, ONNX Runtime and Solidity's signed division do).
    function div(TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: both operands have the same shape.
        if (s.rows != c.rows || s.cols != c.cols) return (false, 0, 0, out);
        (rows, cols) = (s.rows, s.cols);
        uint256 n = rows * cols;
        out = new int256[](n);
        for (uint256 i; i < n; ++i) {
            int256 d = LibTensor.at(c, i);
            // INVARIANT: divisors are positive (PROTOCOL.md §1).
            if (d <= 0) return (false, 0, 0, out);
            out[i] = LibTensor.at(s, i) / d;
        }
        ok = true;
    }

    /// @notice RELU: max(x, 0); the constant is the empty tensor.
    function relu(TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: the constant is empty.
        if (!isEmpty(c)) return (false, 0, 0, out);
        (rows, cols) = (s.rows, s.cols);
        uint256 n = rows * cols;
        out = new int256[](n);
        for (uint256 i; i < n; ++i) {
            int256 x = LibTensor.at(s, i);
            out[i] = x > 0 ? x : int256(0);
        }
        ok = true;
    }

    /// @notice CLIP: min(max(x, lo), hi) with attrs = int64 lo ‖ int64 hi; the constant is empty.
    function clip(TensorView memory s, TensorView memory c, bytes calldata attrs)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: the constant is empty.
        if (!isEmpty(c)) return (false, 0, 0, out);
        int256 lo = int256(int64(uint64(bytes8(attrs[0:8]))));
        int256 hi = int256(int64(uint64(bytes8(attrs[8:16]))));
        // INVARIANT: the bounds are ordered.
        if (lo > hi) return (false, 0, 0, out);
        (rows, cols) = (s.rows, s.cols);
        uint256 n = rows * cols;
        out = new int256[](n);
        for (uint256 i; i < n; ++i) {
            int256 x = LibTensor.at(s, i);
            if (x < lo) x = lo;
            else if (x > hi) x = hi;
            out[i] = x;
        }
        ok = true;
    }

    /// @notice ARGMAX over axis 1, the first maximum winning: r×n → r×1; the constant is empty.
    function argmax(TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
        // INVARIANT: the constant is empty and every row has at least one value.
        if (!isEmpty(c) || s.cols == 0) return (false, 0, 0, out);
        rows = s.rows;
        cols = 1;
        out = new int256[](rows);
        uint256 n = s.cols;
        for (uint256 i; i < rows; ++i) {
            uint256 best;
            int256 bestValue = LibTensor.at(s, i * n);
            for (uint256 j = 1; j < n; ++j) {
                int256 x = LibTensor.at(s, i * n + j);
                if (x > bestValue) (best, bestValue) = (j, x);
            }
            out[i] = int256(best);
        }
        ok = true;
    }
}
