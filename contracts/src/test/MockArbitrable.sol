// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IArbitrable} from "../interfaces/IArbitrable.sol";
import {IArbitrator} from "../interfaces/IArbitrator.sol";

/// @title MockArbitrable
/// @notice Test-only ERC-792 arbitrable: opens disputes on an arbitrator and records the ruling.
contract MockArbitrable is IArbitrable {
    IArbitrator public immutable arbitrator;
    mapping(uint256 => uint256) public rulings;
    mapping(uint256 => bool) public ruled;
    /// @notice When set, rule() reverts (an arbitrable that cannot take its ruling yet).
    bool public refuse;

    function setRefuse(bool refuse_) external {
        refuse = refuse_;
    }

    constructor(IArbitrator arbitrator_) {
        arbitrator = arbitrator_;
    }

    /// @notice Takes refunds (e.g. the fee of a refused dispute).
    receive() external payable {}

    function open(bytes calldata extraData) external payable returns (uint256) {
        return arbitrator.createDispute{value: msg.value}(2, extraData);
    }

    function appeal(uint256 disputeId) external payable {
        arbitrator.appeal{value: msg.value}(disputeId, "");
    }

    /// @inheritdoc IArbitrable
    function rule(uint256 _disputeID, uint256 _ruling) external {
        require(msg.sender == address(arbitrator), "only arbitrator");
        require(!refuse, "refused");
        rulings[_disputeID] = _ruling;
        ruled[_disputeID] = true;
        emit Ruling(arbitrator, _disputeID, _ruling);
    }
}
