// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ReentrantReceiver
/// @notice Test-only: a payee that tries to re-enter the escrow (withdraw) when paid, and can
///         refuse payments outright.
contract ReentrantReceiver {
    address public target;
    bool public refuse;
    uint256 public attempts;
    bool public reentered;

    function configure(address target_, bool refuse_) external {
        target = target_;
        refuse = refuse_;
    }

    /// @notice Withdraws this contract's credit from `target`.
    function withdrawFrom(address escrow) external {
        (bool ok, bytes memory ret) = escrow.call(abi.encodeWithSignature("withdraw()"));
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    receive() external payable {
        if (refuse) revert("refused");
        attempts++;
        (bool ok,) = target.call(abi.encodeWithSignature("withdraw()"));
        if (ok) reentered = true;
    }
}
