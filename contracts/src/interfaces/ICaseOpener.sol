// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ICaseOpener
/// @notice What Arbitration tells its ERC-792 front (ArbitratorFront) about the cases the front
///         opened as their respondent. Only Arbitration calls these.
interface ICaseOpener {
    /// @notice The verdict of batch `batchId`, which holds cases of this opener, is proposed: its
    ///         challenge (appeal) window is open.
    function onProposed(uint64 batchId) external;

    /// @notice Case `caseId` settled with output class `output`; `claimantWon` says whether that
    ///         class means the claimant prevails. Must not revert (it runs inside batch settlement).
    function onSettled(bytes32 caseId, uint256 output, bool claimantWon) external;

    /// @notice Case `caseId` ended refused: a level-2 appeal no arbitrator ruled on in time.
    ///         `bondRefund` is the appeal bond just paid back to this opener (it appealed), 0 otherwise.
    function onRefused(bytes32 caseId, uint256 bondRefund) external;
}
