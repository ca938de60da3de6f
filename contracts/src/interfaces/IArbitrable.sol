// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IArbitrator} from "./IArbitrator.sol";

/// @title IArbitrable (ERC-792)
/// @notice A contract that delegates its disputes to an IArbitrator.
interface IArbitrable {
    /// @notice Emitted when the arbitrator gives a final ruling.
    event Ruling(IArbitrator indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling);

    /// @notice Called by the arbitrator with the final ruling (0: refused, 1..choices).
    function rule(uint256 _disputeID, uint256 _ruling) external;
}
