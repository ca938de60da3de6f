// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ReentrantReceiver
/// @notice Test-only: a payee that tries to re-enter the escrow (withdraw, or withdraw(amount)
///         from its escrow account when `reenterAmount` is set) when paid, and can refuse payments outright.
contract ReentrantReceiver {
    address public target;
    bool public refuse;
    uint256 public attempts;
    bool public reentered;
    uint256 public reenterAmount;

    /// @notice Re-enter with withdraw(amount) of this contract's escrow account instead of withdraw().
    function setReenterAmount(uint256 amount) external {
        reenterAmount = amount;
    }

    /// @notice Withdraws `amount` of this contract's escrow account at `escrow` (ArbiterEscrow.withdraw(uint256)).
    function withdrawAccount(address escrow, uint256 amount) external {
        (bool ok, bytes memory ret) = escrow.call(abi.encodeWithSignature("withdraw(uint256)", amount));
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

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
        uint256 again = reenterAmount;
        (bool ok,) = again > 0
            ? target.call(abi.encodeWithSignature("withdraw(uint256)", again))
            : target.call(abi.encodeWithSignature("withdraw()"));
        if (ok) reentered = true;
    }
}
