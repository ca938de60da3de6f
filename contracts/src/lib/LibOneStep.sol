// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "../Errors.sol";
import {LibTensor, TensorView} from "./LibTensor.sol";

/// @title LibOneStep
/// @notice The one-step interpreter of the referee: computes t_k from t_{k-1} and step k's op,
///         attributes and constant, exactly (int256 intermediates), as PROTOCOL.md §1 defines and
///         server/inference/reference.ts implements. One function per opcode, in opcode order.
/// @dev Two kinds of failure. A malformed step encoding (unknown opcode, attrs of the wrong length,
///      a constant that is not a canonical tensor encoding, a constant on an op that takes none)
///      is no step at all: `checkEncoding` REVERTS, so no caller can turn bytes that a model
///      root commits to into an "invalid step" by splitting them differently. An invalid step
///      (a shape that does not fit the state, CLIP bounds out of order, a non-positive divisor,
///      a value outside int64) is a fact about executing the step: every opcode function
///      returns `ok = false` for it; LibTensor.encode then rejects any value outside int64.
library LibOneStep {
    uint8 internal constant MATMUL = 1;
    uint8 internal constant ADD = 2;
    uint8 internal constant MUL = 3;
    uint8 internal constant DIV = 4;
    uint8 internal constant RELU = 5;
    uint8 internal constant CLIP = 6;
    uint8 internal constant ARGMAX = 7;

    /// @notice Length of the attribute bytes opcode `op` takes (CLIP: int64 min ‖ int64 max; none
    ///         for the others); `known` is false for an opcode the referee does not have.
    /// @dev The step leaf hashes `op ‖ attrs ‖ enc(constant)` as one byte string: this length is
    ///      what fixes the split between attrs and constant (finding: a shifted split must revert).
    function attrsLength(uint8 op) internal pure returns (bool known, uint256 length) {
        known = op >= MATMUL && op <= ARGMAX;
        length = op == CLIP ? 16 : 0;
    }

    /// @notice Reverts unless `op`, `attrs` and `weights` are a well-formed step: a known opcode,
    ///         exactly its attrs length, a canonical tensor encoding as constant, and the empty
    ///         constant for the ops that take none (RELU, CLIP, ARGMAX). Returns the constant.
    /// @dev Mirrors server/inference/one-step.ts decodeStep (MalformedStepError). Checked before
    ///      anything is executed; what depends on the state (shapes, overflow) is left to `run`.
    function checkEncoding(uint8 op, bytes calldata attrs, bytes calldata weights) internal pure returns (TensorView memory c) {
        (bool known, uint256 want) = attrsLength(op);
        // INVARIANT: the opcode is known and fixes the attrs length, hence the leaf's split.
        if (!known) revert UnknownOpcode(op);
        if (attrs.length != want) revert AttrsLength(op, attrs.length, want);
        bool ok;
        (ok, c) = LibTensor.read(weights);
        // INVARIANT: the constant is a well-formed, canonical encoding (PROTOCOL.md §2).
        if (!ok) revert MalformedConstant(op, weights.length);
        if (!LibTensor.isCanonical(c)) revert NonCanonicalConstant(op, c.width);
        // INVARIANT: RELU, CLIP and ARGMAX take the empty constant 0x0000000001.
        if (op >= RELU && !isEmpty(c)) revert ConstantShape(op, c.rows, c.cols);
    }

    /// @notice Whether `c` is the empty constant 0×0 of width 1 (enc 0x0000000001).
    function isEmpty(TensorView memory c) internal pure returns (bool) {
        return c.rows == 0 && c.cols == 0 && c.width == 1;
    }

    /// @notice Dispatches to the opcode's function; the encoding passed `checkEncoding` first.
    function run(uint8 op, bytes calldata attrs, TensorView memory s, TensorView memory c)
        internal
        pure
        returns (bool ok, uint256 rows, uint256 cols, int256[] memory out)
    {
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
        for (uint256 i; i < rows; ++i) _matmulRow(out, i * cols, s.data + i * n * s.width, n, s.width, c.data, cols, c.width);
        ok = true;
    }

    /// @dev out[o..o+m) += t[i][·] · C for one state row at calldata `sp` (n values of width sw).
    ///      Row-major over the constant: each state value a (skipped when zero, as after ReLU)
    ///      adds a·C[p][·]; C's row p is contiguous, so one calldataload yields 32 / w values.
    ///      Zero entries cost (almost) only their read: a word of zeros is skipped, a word with a
    ///      single non-zero value (found with CLZ, EIP-7939) takes one multiply-accumulate, so the
    ///      identity carries of a split MATMUL (step-split.ts) cost little beyond their calldata.
    ///      Skipping adds nothing that the dense sum would not: results are identical.
    ///      Exact: |a·b| < 2^126 and n < 2^16, so the int256 sums cannot wrap.
    function _matmulRow(int256[] memory out, uint256 o, uint256 sp, uint256 n, uint256 sw, uint256 cp, uint256 m, uint256 cw)
        private
        pure
    {
        assembly ("memory-safe") {
            // Adds a·C[p][j] for one contiguous constant row [q, end) into out words from op;
            // whole 32-byte words take the unrolled path for their width, the tail the loop.
            function macRow(op, q, end, a, width) {
                let full := add(q, mul(div(sub(end, q), 32), 32))
                if eq(width, 1) {
                    for {} lt(q, full) { q := add(q, 32) } {
                        let word := calldataload(q)
                        // a zero word adds nothing; one non-zero value (an identity carry's 1)
                        // takes one multiply-accumulate; any other word all its values
                        if word {
                            let idx := shr(3, clz(word))
                            switch shl(shl(3, add(idx, 1)), word)
                            case 0 {
                                let p := add(op, shl(5, idx))
                                mstore(p, add(mload(p), mul(a, signextend(0, shr(248, shl(shl(3, idx), word))))))
                            }
                            default {
                                mstore(add(op, 0), add(mload(add(op, 0)), mul(a, signextend(0, shr(248, word)))))
                                mstore(add(op, 32), add(mload(add(op, 32)), mul(a, signextend(0, shr(240, word)))))
                                mstore(add(op, 64), add(mload(add(op, 64)), mul(a, signextend(0, shr(232, word)))))
                                mstore(add(op, 96), add(mload(add(op, 96)), mul(a, signextend(0, shr(224, word)))))
                                mstore(add(op, 128), add(mload(add(op, 128)), mul(a, signextend(0, shr(216, word)))))
                                mstore(add(op, 160), add(mload(add(op, 160)), mul(a, signextend(0, shr(208, word)))))
                                mstore(add(op, 192), add(mload(add(op, 192)), mul(a, signextend(0, shr(200, word)))))
                                mstore(add(op, 224), add(mload(add(op, 224)), mul(a, signextend(0, shr(192, word)))))
                                mstore(add(op, 256), add(mload(add(op, 256)), mul(a, signextend(0, shr(184, word)))))
                                mstore(add(op, 288), add(mload(add(op, 288)), mul(a, signextend(0, shr(176, word)))))
                                mstore(add(op, 320), add(mload(add(op, 320)), mul(a, signextend(0, shr(168, word)))))
                                mstore(add(op, 352), add(mload(add(op, 352)), mul(a, signextend(0, shr(160, word)))))
                                mstore(add(op, 384), add(mload(add(op, 384)), mul(a, signextend(0, shr(152, word)))))
                                mstore(add(op, 416), add(mload(add(op, 416)), mul(a, signextend(0, shr(144, word)))))
                                mstore(add(op, 448), add(mload(add(op, 448)), mul(a, signextend(0, shr(136, word)))))
                                mstore(add(op, 480), add(mload(add(op, 480)), mul(a, signextend(0, shr(128, word)))))
                                mstore(add(op, 512), add(mload(add(op, 512)), mul(a, signextend(0, shr(120, word)))))
                                mstore(add(op, 544), add(mload(add(op, 544)), mul(a, signextend(0, shr(112, word)))))
                                mstore(add(op, 576), add(mload(add(op, 576)), mul(a, signextend(0, shr(104, word)))))
                                mstore(add(op, 608), add(mload(add(op, 608)), mul(a, signextend(0, shr(96, word)))))
                                mstore(add(op, 640), add(mload(add(op, 640)), mul(a, signextend(0, shr(88, word)))))
                                mstore(add(op, 672), add(mload(add(op, 672)), mul(a, signextend(0, shr(80, word)))))
                                mstore(add(op, 704), add(mload(add(op, 704)), mul(a, signextend(0, shr(72, word)))))
                                mstore(add(op, 736), add(mload(add(op, 736)), mul(a, signextend(0, shr(64, word)))))
                                mstore(add(op, 768), add(mload(add(op, 768)), mul(a, signextend(0, shr(56, word)))))
                                mstore(add(op, 800), add(mload(add(op, 800)), mul(a, signextend(0, shr(48, word)))))
                                mstore(add(op, 832), add(mload(add(op, 832)), mul(a, signextend(0, shr(40, word)))))
                                mstore(add(op, 864), add(mload(add(op, 864)), mul(a, signextend(0, shr(32, word)))))
                                mstore(add(op, 896), add(mload(add(op, 896)), mul(a, signextend(0, shr(24, word)))))
                                mstore(add(op, 928), add(mload(add(op, 928)), mul(a, signextend(0, shr(16, word)))))
                                mstore(add(op, 960), add(mload(add(op, 960)), mul(a, signextend(0, shr(8, word)))))
                                mstore(add(op, 992), add(mload(add(op, 992)), mul(a, signextend(0, word))))
                            }
                        }
                        op := add(op, 1024)
                    }
                }
                if eq(width, 2) {
                    for {} lt(q, full) { q := add(q, 32) } {
                        let word := calldataload(q)
                        // a zero word adds nothing; one non-zero value (an identity carry's 1)
                        // takes one multiply-accumulate; any other word all its values
                        if word {
                            let idx := shr(4, clz(word))
                            switch shl(shl(4, add(idx, 1)), word)
                            case 0 {
                                let p := add(op, shl(5, idx))
                                mstore(p, add(mload(p), mul(a, signextend(1, shr(240, shl(shl(4, idx), word))))))
                            }
                            default {
                                mstore(add(op, 0), add(mload(add(op, 0)), mul(a, signextend(1, shr(240, word)))))
                                mstore(add(op, 32), add(mload(add(op, 32)), mul(a, signextend(1, shr(224, word)))))
                                mstore(add(op, 64), add(mload(add(op, 64)), mul(a, signextend(1, shr(208, word)))))
                                mstore(add(op, 96), add(mload(add(op, 96)), mul(a, signextend(1, shr(192, word)))))
                                mstore(add(op, 128), add(mload(add(op, 128)), mul(a, signextend(1, shr(176, word)))))
                                mstore(add(op, 160), add(mload(add(op, 160)), mul(a, signextend(1, shr(160, word)))))
                                mstore(add(op, 192), add(mload(add(op, 192)), mul(a, signextend(1, shr(144, word)))))
                                mstore(add(op, 224), add(mload(add(op, 224)), mul(a, signextend(1, shr(128, word)))))
                                mstore(add(op, 256), add(mload(add(op, 256)), mul(a, signextend(1, shr(112, word)))))
                                mstore(add(op, 288), add(mload(add(op, 288)), mul(a, signextend(1, shr(96, word)))))
                                mstore(add(op, 320), add(mload(add(op, 320)), mul(a, signextend(1, shr(80, word)))))
                                mstore(add(op, 352), add(mload(add(op, 352)), mul(a, signextend(1, shr(64, word)))))
                                mstore(add(op, 384), add(mload(add(op, 384)), mul(a, signextend(1, shr(48, word)))))
                                mstore(add(op, 416), add(mload(add(op, 416)), mul(a, signextend(1, shr(32, word)))))
                                mstore(add(op, 448), add(mload(add(op, 448)), mul(a, signextend(1, shr(16, word)))))
                                mstore(add(op, 480), add(mload(add(op, 480)), mul(a, signextend(1, word))))
                            }
                        }
                        op := add(op, 512)
                    }
                }
                if eq(width, 4) {
                    for {} lt(q, full) { q := add(q, 32) } {
                        let word := calldataload(q)
                        // a zero word adds nothing; one non-zero value (an identity carry's 1)
                        // takes one multiply-accumulate; any other word all its values
                        if word {
                            let idx := shr(5, clz(word))
                            switch shl(shl(5, add(idx, 1)), word)
                            case 0 {
                                let p := add(op, shl(5, idx))
                                mstore(p, add(mload(p), mul(a, signextend(3, shr(224, shl(shl(5, idx), word))))))
                            }
                            default {
                                mstore(add(op, 0), add(mload(add(op, 0)), mul(a, signextend(3, shr(224, word)))))
                                mstore(add(op, 32), add(mload(add(op, 32)), mul(a, signextend(3, shr(192, word)))))
                                mstore(add(op, 64), add(mload(add(op, 64)), mul(a, signextend(3, shr(160, word)))))
                                mstore(add(op, 96), add(mload(add(op, 96)), mul(a, signextend(3, shr(128, word)))))
                                mstore(add(op, 128), add(mload(add(op, 128)), mul(a, signextend(3, shr(96, word)))))
                                mstore(add(op, 160), add(mload(add(op, 160)), mul(a, signextend(3, shr(64, word)))))
                                mstore(add(op, 192), add(mload(add(op, 192)), mul(a, signextend(3, shr(32, word)))))
                                mstore(add(op, 224), add(mload(add(op, 224)), mul(a, signextend(3, word))))
                            }
                        }
                        op := add(op, 256)
                    }
                }
                if eq(width, 8) {
                    for {} lt(q, full) { q := add(q, 32) } {
                        let word := calldataload(q)
                        // a zero word adds nothing; one non-zero value (an identity carry's 1)
                        // takes one multiply-accumulate; any other word all its values
                        if word {
                            let idx := shr(6, clz(word))
                            switch shl(shl(6, add(idx, 1)), word)
                            case 0 {
                                let p := add(op, shl(5, idx))
                                mstore(p, add(mload(p), mul(a, signextend(7, shr(192, shl(shl(6, idx), word))))))
                            }
                            default {
                                mstore(add(op, 0), add(mload(add(op, 0)), mul(a, signextend(7, shr(192, word)))))
                                mstore(add(op, 32), add(mload(add(op, 32)), mul(a, signextend(7, shr(128, word)))))
                                mstore(add(op, 64), add(mload(add(op, 64)), mul(a, signextend(7, shr(64, word)))))
                                mstore(add(op, 96), add(mload(add(op, 96)), mul(a, signextend(7, word))))
                            }
                        }
                        op := add(op, 128)
                    }
                }
                let cBits := shl(3, width)
                let cShift := sub(256, cBits)
                let cExt := sub(width, 1)
                for { let word := calldataload(q) } lt(q, end) { q := add(q, width) } {
                    mstore(op, add(mload(op), mul(a, signextend(cExt, shr(cShift, word)))))
                    word := shl(cBits, word)
                    op := add(op, 32)
                }
            }
            let sShift := sub(256, shl(3, sw))
            let sExt := sub(sw, 1)
            let rowBytes := mul(m, cw)
            let ob := add(add(out, 32), shl(5, o))
            for { let end := add(sp, mul(n, sw)) } lt(sp, end) { sp := add(sp, sw) } {
                let a := signextend(sExt, shr(sShift, calldataload(sp)))
                if a { macRow(ob, cp, add(cp, rowBytes), a, cw) }
                cp := add(cp, rowBytes)
            }
        }
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
