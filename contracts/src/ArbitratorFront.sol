// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {Arbitration} from "./Arbitration.sol";
import {ArbitrationState} from "./ArbitrationState.sol";
import {ICaseOpener} from "./interfaces/ICaseOpener.sol";
import {IArbitrator} from "./interfaces/IArbitrator.sol";
import {IArbitrable} from "./interfaces/IArbitrable.sol";

/// @title ArbitratorFront
/// @notice Arbiter's ERC-792 IArbitrator (DESIGN.md, "Any arbitrable contract can use Arbiter").
///         An arbitrable contract names this contract as its arbitrator. A dispute waits here,
///         with its fee, until the registrar binds the filed case record's input S_0; the front
///         then opens the case in Arbitration like any other opener (respondent: this contract,
///         no award table: the arbitrable holds the money and acts on the ruling), under the case
///         id `Arbitration.caseIdOf(front, bytes32(disputeId))`. Arbitration tells the front when
///         the verdict is proposed (AppealPossible) and settled (the ruling is delivered).
/// @dev Kept apart from Arbitration so that each stays under EIP-170's 24,576-byte code limit.
contract ArbitratorFront is IArbitrator, ICaseOpener {
    enum State {
        None, // no such dispute
        AwaitingInput, // created, the case record's input not bound yet
        Bound, // a case runs in Arbitration
        Ruled // the ruling is final (delivered, or pending a retry)
    }

    /// @notice One ERC-792 dispute (two storage slots).
    struct Dispute {
        address arbitrable;
        uint96 fee; // paid at creation, forwarded to Arbitration when the input is bound
        State state;
        uint8 ruling; // once Ruled: 1 the claimant prevails, 2 the respondent
        uint64 createdAt;
        bytes32 modelId;
    }

    /// @notice Gas for an arbitrable's rule() inside a batch settlement, so one contract cannot
    ///         starve the rest of the batch; a ruling that fails is retried with `retryRuling`.
    uint256 public constant RULE_GAS = 300_000;

    /// @notice The arbitration contract the cases run in.
    Arbitration public immutable arbitration;
    /// @notice Binds case records' inputs to disputes (Arbitration's registrar).
    address public immutable registrar;
    /// @notice The model of disputes whose extraData names none: a registered version the registrar
    ///         approved together with its creator (issue 8 #12), 0 until then.
    bytes32 public defaultModel;
    /// @notice Seconds a dispute waits for its input before anyone may refuse it (issue 8 #9).
    uint256 public immutable inputWindow;

    /// @notice Every dispute by id (ids start at 0).
    mapping(uint256 disputeId => Dispute) public disputes;
    /// @notice Number of disputes created.
    uint256 public disputeCount;
    /// @notice Fees of refused disputes whose refund could not be pushed to the arbitrable (withdrawRefund).
    mapping(address arbitrable => uint256) public refunds;
    /// @notice Disputes whose final ruling could not be delivered yet.
    mapping(uint256 disputeId => bool) public rulingPending;
    /// @notice The dispute behind each case the front opened, plus one.
    mapping(bytes32 caseId => uint256) public caseDispute;
    /// @dev The disputes running in each batch, told when its verdict becomes appealable.
    mapping(uint64 batchId => uint256[]) internal batchDisputes;

    /// @notice Emitted when a dispute's case record input is bound and its case opened.
    event InputBound(uint256 indexed disputeId, bytes32 indexed caseId, bytes32 s0);
    /// @notice Emitted when the registrar approves model `modelId` by `creator` as the default.
    event DefaultModelSet(bytes32 indexed modelId, address indexed creator);
    /// @notice Emitted when a dispute is refused (ruling 0) because its input was never bound; its fee is refunded.
    event DisputeRefused(uint256 indexed disputeId, uint256 feeRefund, bool sent);
    /// @notice Emitted when the ruling was sent to the arbitrable (`ok` false if it reverted).
    event RulingDelivered(uint256 indexed disputeId, address indexed arbitrable, uint256 ruling, bool ok);

    constructor(Arbitration arbitration_, uint256 inputWindow_) {
        arbitration = arbitration_;
        registrar = arbitration_.registrar();
        inputWindow = inputWindow_;
    }

    /// @notice Approves registered model `modelId` as the default, only if `creator` registered it:
    ///         a model name goes to whoever registers it first, so the registrar binds the default
    ///         to the (creator, version) entry it checked, never to a name. The registrar only.
    function setDefaultModel(bytes32 modelId, address creator) external {
        if (msg.sender != registrar) revert Unauthorized(msg.sender);
        address registered = arbitration.registry().get(modelId).creator;
        // INVARIANT: the default is the entry the registrar approved, by the creator it expects.
        if (registered != creator) revert NotModelCreator(modelId, creator, registered);
        defaultModel = modelId;
        emit DefaultModelSet(modelId, creator);
    }

    modifier onlyArbitration() {
        // INVARIANT: only Arbitration reports on the front's cases.
        if (msg.sender != address(arbitration)) revert Unauthorized(msg.sender);
        _;
    }

    /// @notice The case id behind dispute `disputeId` (reverts for a dispute that never existed).
    function disputeCase(uint256 disputeId) public view returns (bytes32) {
        _dispute(disputeId);
        return arbitration.caseIdOf(address(this), bytes32(disputeId));
    }

    /// @inheritdoc IArbitrator
    function arbitrationCost(bytes calldata _extraData) public view returns (uint256) {
        return arbitration.caseFee(_modelOf(_extraData));
    }

    /// @inheritdoc IArbitrator
    /// @dev Pays at least arbitrationCost(extraData); the excess goes back to the caller.
    function createDispute(uint256, bytes calldata _extraData) external payable returns (uint256 disputeID) {
        bytes32 modelId = _modelOf(_extraData);
        uint256 fee = arbitration.caseFee(modelId);
        // INVARIANT: the payment covers the fee.
        if (msg.value < fee) revert InsufficientPayment(msg.value, fee);
        disputeID = disputeCount++;
        disputes[disputeID] = Dispute({
            arbitrable: msg.sender,
            fee: uint96(fee),
            state: State.AwaitingInput,
            ruling: 0,
            createdAt: uint64(block.timestamp),
            modelId: modelId
        });
        emit DisputeCreation(disputeID, IArbitrable(msg.sender));
        _refund(msg.value - fee);
    }

    /// @notice Binds the hash of the filed case record's input (S_0) to dispute `disputeId` and
    ///         opens its case in Arbitration; the registrar only.
    function bindInput(uint256 disputeId, bytes32 s0) external {
        if (msg.sender != registrar) revert Unauthorized(msg.sender);
        Dispute storage d = disputes[disputeId];
        // INVARIANT: an input is bound once, to a dispute waiting for it.
        if (d.state != State.AwaitingInput) revert WrongCaseStatus(bytes32(disputeId), uint8(d.state));
        d.state = State.Bound;
        bytes32 caseId = arbitration.openCase{value: d.fee}(bytes32(disputeId), d.modelId, s0, address(0), address(this), "");
        caseDispute[caseId] = disputeId + 1;
        batchDisputes[_batchOf(caseId)].push(disputeId);
        emit InputBound(disputeId, caseId, s0);
    }

    /// @inheritdoc ICaseOpener
    function onProposed(uint64 batchId) external onlyArbitration {
        uint256[] storage ds = batchDisputes[batchId];
        for (uint256 i; i < ds.length; ++i) emit AppealPossible(ds[i], IArbitrable(disputes[ds[i]].arbitrable));
    }

    /// @inheritdoc ICaseOpener
    function onSettled(bytes32 caseId, uint256, bool claimantWon) external onlyArbitration {
        uint256 disputeId = caseDispute[caseId] - 1;
        _rule(disputeId, disputes[disputeId], claimantWon ? 1 : 2);
    }

    /// @inheritdoc ICaseOpener
    function onRefused(bytes32 caseId) external onlyArbitration {
        uint256 disputeId = caseDispute[caseId] - 1;
        _rule(disputeId, disputes[disputeId], 0);
    }

    /// @notice Refuses (ruling 0) a dispute whose input was not bound within `inputWindow`, and
    ///         refunds its fee to the arbitrable (as a withdrawable refund if it takes no ether).
    function refuseUnbound(uint256 disputeId) external {
        Dispute storage d = _dispute(disputeId);
        // INVARIANT: only a dispute still waiting for its input, past its window, is refused.
        if (d.state != State.AwaitingInput) revert WrongCaseStatus(bytes32(disputeId), uint8(d.state));
        if (block.timestamp <= d.createdAt + inputWindow) revert TooEarly(block.timestamp, d.createdAt + inputWindow);
        uint256 fee = d.fee;
        d.fee = 0;
        _rule(disputeId, d, 0);
        bool sent = fee == 0;
        if (!sent) {
            (sent,) = d.arbitrable.call{value: fee, gas: RULE_GAS}("");
            if (!sent) refunds[d.arbitrable] += fee;
        }
        emit DisputeRefused(disputeId, fee, sent);
    }

    /// @notice Withdraws the caller's refunds of refused disputes.
    function withdrawRefund() external {
        uint256 amount = refunds[msg.sender];
        // INVARIANT: something is owed; the balance is cleared before the transfer.
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        refunds[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @dev Records the final ruling and delivers it as a plain call: an arbitrable without code,
    ///      or one that reverts, cannot make a batch's settlement revert; a failed delivery waits
    ///      for retryRuling.
    function _rule(uint256 disputeId, Dispute storage d, uint8 ruling) private {
        d.state = State.Ruled;
        d.ruling = ruling;
        (bool ok,) = d.arbitrable.call{gas: RULE_GAS}(abi.encodeCall(IArbitrable.rule, (disputeId, ruling)));
        if (!ok) rulingPending[disputeId] = true;
        emit RulingDelivered(disputeId, d.arbitrable, ruling, ok);
    }

    /// @notice Delivers again, with all the gas given, a final ruling whose delivery failed.
    function retryRuling(uint256 disputeId) external {
        // INVARIANT: only a failed delivery is retried; once it succeeds never again.
        if (!rulingPending[disputeId]) revert WrongCaseStatus(bytes32(disputeId), uint8(disputes[disputeId].state));
        rulingPending[disputeId] = false;
        Dispute storage d = disputes[disputeId];
        IArbitrable(d.arbitrable).rule(disputeId, d.ruling);
        emit RulingDelivered(disputeId, d.arbitrable, d.ruling, true);
    }

    /// @inheritdoc IArbitrator
    /// @dev Pays at least appealCost; the excess goes back to the caller.
    function appeal(uint256 _disputeID, bytes calldata) external payable {
        Dispute storage d = _dispute(_disputeID);
        // INVARIANT: only the dispute's arbitrable appeals, on a running case.
        if (msg.sender != d.arbitrable) revert Unauthorized(msg.sender);
        if (d.state != State.Bound) revert WrongCaseStatus(bytes32(_disputeID), uint8(d.state));
        bytes32 caseId = arbitration.caseIdOf(address(this), bytes32(_disputeID));
        uint256 cost = arbitration.appealBond(caseId);
        if (msg.value < cost) revert InsufficientPayment(msg.value, cost);
        uint64 before = _batchOf(caseId);
        arbitration.appealCase{value: cost}(caseId);
        uint64 batchId = _batchOf(caseId);
        if (batchId != before) batchDisputes[batchId].push(_disputeID);
        emit AppealDecision(_disputeID, IArbitrable(msg.sender));
        _refund(msg.value - cost);
    }

    /// @inheritdoc IArbitrator
    /// @dev After the last appeal level (or once ruled) no appeal is possible: the cost is
    ///      type(uint256).max, as ERC-792 arbitrators quote an appeal that cannot be paid.
    function appealCost(uint256 _disputeID, bytes calldata) external view returns (uint256) {
        Dispute storage d = _dispute(_disputeID);
        bytes32 caseId = arbitration.caseIdOf(address(this), bytes32(_disputeID));
        if (d.state == State.Ruled || _appealLevel(caseId) >= 2) return type(uint256).max;
        return arbitration.appealBond(caseId);
    }

    /// @inheritdoc IArbitrator
    function appealPeriod(uint256 _disputeID) external view returns (uint256 start, uint256 end) {
        Dispute storage d = _dispute(_disputeID);
        bytes32 caseId = arbitration.caseIdOf(address(this), bytes32(_disputeID));
        // No window once ruled or after the last appeal level (the case waits for an arbitrator).
        if (d.state != State.Bound || _appealLevel(caseId) >= 2) return (0, 0);
        (uint8 status, uint64 windowEnd) = _verdictWindow(caseId);
        if (status == uint8(ArbitrationState.BatchStatus.Proposed)) {
            (,,,,,, uint32 challengeWindow,,,,,) = arbitration.config();
            return (windowEnd - challengeWindow, windowEnd);
        }
    }

    /// @inheritdoc IArbitrator
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus) {
        Dispute storage d = _dispute(_disputeID);
        if (d.state == State.Ruled) return DisputeStatus.Solved;
        if (d.state != State.Bound) return DisputeStatus.Waiting;
        (uint8 status, uint64 windowEnd) = _verdictWindow(arbitration.caseIdOf(address(this), bytes32(_disputeID)));
        if (status == uint8(ArbitrationState.BatchStatus.Proposed) && block.timestamp <= windowEnd) return DisputeStatus.Appealable;
        return DisputeStatus.Waiting;
    }

    /// @inheritdoc IArbitrator
    function currentRuling(uint256 _disputeID) external view returns (uint256) {
        return _dispute(_disputeID).ruling;
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _modelOf(bytes calldata extraData) private view returns (bytes32 modelId) {
        modelId = extraData.length >= 32 ? abi.decode(extraData, (bytes32)) : defaultModel;
        // INVARIANT: empty extraData needs an approved default.
        if (modelId == bytes32(0)) revert UnknownModel(modelId);
    }

    /// @dev The dispute; reverts for an id never created (ERC-792 views must not answer for it).
    function _dispute(uint256 disputeId) private view returns (Dispute storage d) {
        d = disputes[disputeId];
        if (d.state == State.None) revert UnknownDispute(disputeId);
    }

    function _appealLevel(bytes32 caseId) private view returns (uint8 level) {
        (,,,,,, level,,,,) = arbitration.cases(caseId);
    }

    function _batchOf(bytes32 caseId) private view returns (uint64) {
        (,,, uint48 batchId,,,,,,,) = arbitration.cases(caseId);
        return uint64(batchId);
    }

    /// @dev The status and window end of the batch a case currently runs in.
    function _verdictWindow(bytes32 caseId) private view returns (uint8 status, uint64 windowEnd) {
        ArbitrationState.BatchStatus s;
        (,,, s,,,,,,,, windowEnd,,,,) = arbitration.batches(_batchOf(caseId));
        status = uint8(s);
    }

    function _refund(uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }
}
