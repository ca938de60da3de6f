// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {Arbitration} from "./Arbitration.sol";
import {ArbitrationState, Claim} from "./ArbitrationState.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {LibMerkle} from "./lib/LibMerkle.sol";
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
///         Rulings follow the dispute's mapping (issue 8 #8): `claimantRuling` when the claimant
///         class wins, `respondentRuling` otherwise, both in 1 … `_choices`; 0 is "refused".
/// @dev Kept apart from Arbitration so that each stays under EIP-170's 24,576-byte code limit.
contract ArbitratorFront is IArbitrator, ICaseOpener {
    enum State {
        None, // no such dispute
        AwaitingInput, // created, the case record's input not bound yet
        Bound, // a case runs in Arbitration
        Ruled // the ruling is final (delivered, or pending a retry)
    }

    /// @notice One ERC-792 dispute (four storage slots).
    struct Dispute {
        address arbitrable;
        uint96 fee; // paid at creation, forwarded to Arbitration when the input is bound
        State state;
        uint64 createdAt;
        uint64 shownBatch; // the batch whose agreed claim for this case was shown (showRuling), 0 none
        uint64 choices; // the arbitrable's number of choices; rulings are 0 … choices
        uint64 ruling; // once Ruled: the final ruling (0: refused)
        uint64 proposed; // the ruling of the agreed claim shown for shownBatch
        uint64 claimantRuling; // ruling when the claimant prevails (pinned by extraData, or bound with the input)
        uint64 respondentRuling; // ruling when the respondent prevails
        bytes32 modelId;
    }

    /// @notice Gas for an arbitrable's rule() inside a batch settlement, so one contract cannot
    ///         starve the rest of the batch; a ruling that fails is retried with `retryRuling`.
    uint256 public constant RULE_GAS = 300_000;

    /// @notice The arbitration contract the cases run in.
    Arbitration public immutable arbitration;
    /// @notice Binds case records' inputs to disputes (Arbitration's registrar).
    address public immutable registrar;
    /// @notice Approves the default model (Arbitration's governance: a timelock, issue 8 #11).
    address public immutable governance;
    /// @notice Where models and their claimant classes are registered.
    ModelRegistry public immutable registry;
    /// @dev Arbiter's escrow: the only sender of ether to the front (bonds paid back).
    address internal immutable escrow;
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
    /// @notice Emitted when the agreed claim of batch `batchId` for the dispute's case is shown: `ruling` is what it rules.
    event RulingProposed(uint256 indexed disputeId, uint64 indexed batchId, uint256 ruling);

    constructor(Arbitration arbitration_, uint256 inputWindow_) {
        arbitration = arbitration_;
        registrar = arbitration_.registrar();
        governance = arbitration_.governance();
        registry = arbitration_.registry();
        escrow = address(arbitration_.escrow());
        inputWindow = inputWindow_;
    }

    /// @notice Approves registered model `modelId` as the default, only if `creator` registered it:
    ///         a model name goes to whoever registers it first, so the registrar binds the default
    ///         to the (creator, version) entry it checked, never to a name. Governance only (the
    ///         timelock: the default decides which model rules disputes that name none, issue 8 #11).
    function setDefaultModel(bytes32 modelId, address creator) external {
        if (msg.sender != governance) revert Unauthorized(msg.sender);
        address registered = registry.get(modelId).creator;
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
    /// @dev Never reverts: extraData naming no usable model (no default approved yet, an unknown
    ///      or deprecated model) is quoted type(uint256).max, a cost nobody can pay, as
    ///      createDispute would refuse it.
    function arbitrationCost(bytes calldata _extraData) public view returns (uint256) {
        (bytes32 modelId,,) = _terms(_extraData);
        if (modelId == bytes32(0)) return type(uint256).max;
        try registry.terms(modelId) returns (uint128 price, bool deprecated) {
            return deprecated ? type(uint256).max : price;
        } catch {
            return type(uint256).max;
        }
    }

    /// @inheritdoc IArbitrator
    /// @dev Pays at least arbitrationCost(extraData); the excess goes back to the caller.
    ///      extraData: empty (the default model), abi.encode(modelId), or abi.encode(modelId,
    ///      claimantRuling, respondentRuling) to pin the ruling of each outcome. `_choices` ≥ 2:
    ///      the two outcomes need two distinct rulings in 1 … _choices (0 is "refused").
    function createDispute(uint256 _choices, bytes calldata _extraData) external payable returns (uint256 disputeID) {
        (bytes32 modelId, uint256 forClaimant, uint256 forRespondent) = _terms(_extraData);
        // INVARIANT: the model is usable, the choices hold both outcomes, a pinned mapping fits them.
        if (modelId == bytes32(0)) revert UnknownModel(modelId);
        (uint128 fee, bool deprecated) = registry.terms(modelId);
        if (deprecated) revert ModelIsDeprecated(modelId);
        if (_choices < 2 || _choices > type(uint64).max) revert BadChoices(_choices);
        if (forClaimant != 0 || forRespondent != 0) _checkRulings(forClaimant, forRespondent, _choices);
        // INVARIANT: the payment covers the fee.
        if (msg.value < fee) revert InsufficientPayment(msg.value, fee);
        disputeID = disputeCount++;
        disputes[disputeID] = Dispute({
            arbitrable: msg.sender,
            fee: uint96(fee),
            state: State.AwaitingInput,
            createdAt: uint64(block.timestamp),
            shownBatch: 0,
            choices: uint64(_choices),
            ruling: 0,
            proposed: 0,
            claimantRuling: uint64(forClaimant),
            respondentRuling: uint64(forRespondent),
            modelId: modelId
        });
        emit DisputeCreation(disputeID, IArbitrable(msg.sender));
        _refund(msg.value - fee);
    }

    /// @notice Binds the hash of the filed case record's input (S_0) to dispute `disputeId` and
    ///         opens its case in Arbitration, with the rulings the arbitrable pinned, else the
    ///         defaults (1 the claimant prevails, 2 the respondent); the registrar only.
    function bindInput(uint256 disputeId, bytes32 s0) external {
        Dispute storage d = disputes[disputeId];
        if (d.claimantRuling == 0) _bind(disputeId, d, s0, 1, 2);
        else _bind(disputeId, d, s0, d.claimantRuling, d.respondentRuling);
    }

    /// @notice bindInput with the case record's ruling mapping (`onchainDispute.rulings`, CASES.md):
    ///         the ruling delivered when the claimant, resp. the respondent, prevails. Distinct, in
    ///         1 … choices, and equal to the mapping the arbitrable pinned in extraData if it did.
    function bindInputRulings(uint256 disputeId, bytes32 s0, uint256 claimantRuling, uint256 respondentRuling) external {
        _bind(disputeId, disputes[disputeId], s0, claimantRuling, respondentRuling);
    }

    function _bind(uint256 disputeId, Dispute storage d, bytes32 s0, uint256 forClaimant, uint256 forRespondent) private {
        if (msg.sender != registrar) revert Unauthorized(msg.sender);
        // INVARIANT: an input is bound once, to a dispute waiting for it.
        if (d.state != State.AwaitingInput) revert WrongCaseStatus(bytes32(disputeId), uint8(d.state));
        // INVARIANT: the mapping fits the choices and never overrides one the arbitrable pinned.
        _checkRulings(forClaimant, forRespondent, d.choices);
        if (d.claimantRuling != 0 && (d.claimantRuling != forClaimant || d.respondentRuling != forRespondent)) {
            revert BadRulings(forClaimant, forRespondent, d.choices);
        }
        d.claimantRuling = uint64(forClaimant);
        d.respondentRuling = uint64(forRespondent);
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
        Dispute storage d = disputes[disputeId];
        // Delivered already (deliverRuling, from the same agreed claim): once only.
        if (d.state == State.Ruled) return;
        _rule(disputeId, d, claimantWon ? d.claimantRuling : d.respondentRuling);
    }

    /// @notice Shows the agreed claim of the batch the dispute's case runs in (its leaf and proof
    ///         against the batch's agreed root), so that `currentRuling` reports the proposed
    ///         ruling during the appeal window and anyone can deliver it once no appeal is
    ///         possible. Anyone may call it (the keeper does on VerdictProposed); only the agreed
    ///         claim verifies, so nobody can show another ruling.
    function showRuling(uint256 disputeId, Claim calldata claim, bytes32[] calldata proof) external {
        Dispute storage d = _dispute(disputeId);
        bytes32 caseId = arbitration.caseIdOf(address(this), bytes32(disputeId));
        (uint64 batchId, uint16 index, uint8 caseStatus) = _caseOf(caseId);
        (ArbitrationState.BatchStatus status, uint16 count, bytes32 root,) = _batch(batchId);
        // INVARIANT: only the claim in the agreed root of the case's current batch is shown.
        if (d.state != State.Bound || caseStatus != uint8(ArbitrationState.CaseStatus.Open)) {
            revert WrongCaseStatus(bytes32(disputeId), uint8(d.state));
        }
        if (status != ArbitrationState.BatchStatus.Proposed && status != ArbitrationState.BatchStatus.Final) {
            revert WrongBatchStatus(batchId, uint8(status));
        }
        bytes32 leaf = arbitration.claimLeaf(claim);
        if (claim.caseId != caseId || !LibMerkle.verify(root, leaf, index, count, proof)) revert BadProof(root, leaf);
        uint64 ruling = registry.isClaimantClass(d.modelId, claim.output) ? d.claimantRuling : d.respondentRuling;
        d.shownBatch = batchId;
        d.proposed = ruling;
        emit RulingProposed(disputeId, batchId, ruling);
    }

    /// @notice Delivers the shown ruling once no appeal is possible (the window of the case's
    ///         batch has closed), without waiting for the batch's settlement: an arbitrable can
    ///         have its dispute executed from the dispute id alone once the claim was shown.
    ///         Anyone may call it; Arbitration's later settlement of the case delivers nothing more.
    function deliverRuling(uint256 disputeId) external {
        Dispute storage d = _dispute(disputeId);
        // INVARIANT: only a shown ruling that can no longer be appealed is delivered.
        if (d.state != State.Bound || !_final(disputeId, d)) revert WrongCaseStatus(bytes32(disputeId), uint8(d.state));
        _rule(disputeId, d, d.proposed);
    }

    /// @inheritdoc ICaseOpener
    /// @dev The appeal bond the escrow just paid back to the front goes on to the arbitrable that
    ///      paid it (a withdrawable refund if it takes no ether).
    function onRefused(bytes32 caseId, uint256 bondRefund) external onlyArbitration {
        uint256 disputeId = caseDispute[caseId] - 1;
        Dispute storage d = disputes[disputeId];
        _rule(disputeId, d, 0);
        if (bondRefund == 0) return;
        (bool sent,) = d.arbitrable.call{value: bondRefund, gas: RULE_GAS}("");
        if (!sent) refunds[d.arbitrable] += bondRefund;
    }

    /// @notice Takes appeal bonds the escrow pays back (a refused level-2 appeal); from the escrow only.
    receive() external payable {
        // INVARIANT: ether arrives only as a refund from Arbiter's escrow.
        if (msg.sender != escrow) revert Unauthorized(msg.sender);
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
    function _rule(uint256 disputeId, Dispute storage d, uint64 ruling) private {
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
        (ArbitrationState.BatchStatus status,,, uint64 windowEnd) = _batch(_batchOf(caseId));
        if (status == ArbitrationState.BatchStatus.Proposed) {
            (,,,,,, uint32 challengeWindow,,,,,) = arbitration.config();
            return (windowEnd - challengeWindow, windowEnd);
        }
    }

    /// @inheritdoc IArbitrator
    /// @dev Solved once no appeal is possible: ruled, or the case's batch is final or past its
    ///      window (even before anyone settles); Appealable within the window; Waiting otherwise
    ///      (input, execution, or a level-2 appeal waiting for an arbitrator).
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus) {
        Dispute storage d = _dispute(_disputeID);
        if (d.state == State.Ruled) return DisputeStatus.Solved;
        if (d.state != State.Bound) return DisputeStatus.Waiting;
        (uint64 batchId,, uint8 caseStatus) = _caseOf(arbitration.caseIdOf(address(this), bytes32(_disputeID)));
        if (caseStatus != uint8(ArbitrationState.CaseStatus.Open)) return DisputeStatus.Waiting;
        (ArbitrationState.BatchStatus status,,, uint64 windowEnd) = _batch(batchId);
        if (status == ArbitrationState.BatchStatus.Final) return DisputeStatus.Solved;
        if (status != ArbitrationState.BatchStatus.Proposed) return DisputeStatus.Waiting;
        return block.timestamp <= windowEnd ? DisputeStatus.Appealable : DisputeStatus.Solved;
    }

    /// @inheritdoc IArbitrator
    /// @dev The final ruling once ruled; before, the proposed ruling of the case's current batch
    ///      once its agreed claim was shown (showRuling): during the appeal window it is what an
    ///      appeal would contest. 0 while nothing is proposed (or nothing was shown yet).
    function currentRuling(uint256 _disputeID) external view returns (uint256) {
        Dispute storage d = _dispute(_disputeID);
        if (d.state == State.Ruled) return d.ruling;
        if (d.state != State.Bound || d.shownBatch == 0) return 0;
        (uint64 batchId,,) = _caseOf(arbitration.caseIdOf(address(this), bytes32(_disputeID)));
        return batchId == d.shownBatch ? d.proposed : 0;
    }

    // ───────────────────────────── internals ─────────────────────────────

    /// @dev The model (0: none usable) and the pinned rulings (0, 0: none) that extraData names.
    function _terms(bytes calldata extraData) private view returns (bytes32 modelId, uint256 forClaimant, uint256 forRespondent) {
        if (extraData.length >= 96) return abi.decode(extraData, (bytes32, uint256, uint256));
        modelId = extraData.length >= 32 ? abi.decode(extraData, (bytes32)) : defaultModel;
    }

    function _checkRulings(uint256 forClaimant, uint256 forRespondent, uint256 choices) private pure {
        if (forClaimant == 0 || forRespondent == 0 || forClaimant == forRespondent || forClaimant > choices || forRespondent > choices) {
            revert BadRulings(forClaimant, forRespondent, choices);
        }
    }

    /// @dev Whether the shown ruling is the case's final one: shown for its current batch, the
    ///      case still open there, and the batch final or past its window.
    function _final(uint256 disputeId, Dispute storage d) private view returns (bool) {
        (uint64 batchId,, uint8 caseStatus) = _caseOf(arbitration.caseIdOf(address(this), bytes32(disputeId)));
        if (d.shownBatch == 0 || batchId != d.shownBatch || caseStatus != uint8(ArbitrationState.CaseStatus.Open)) return false;
        (ArbitrationState.BatchStatus status,,, uint64 windowEnd) = _batch(batchId);
        return status == ArbitrationState.BatchStatus.Final || (status == ArbitrationState.BatchStatus.Proposed && block.timestamp > windowEnd);
    }

    function _caseOf(bytes32 caseId) private view returns (uint64 batchId, uint16 index, uint8 status) {
        uint48 b;
        ArbitrationState.CaseStatus s;
        (,,, b, index, s,,,,,) = arbitration.cases(caseId);
        return (uint64(b), index, uint8(s));
    }

    function _batch(uint64 batchId) private view returns (ArbitrationState.BatchStatus status, uint16 count, bytes32 root, uint64 windowEnd) {
        (,, count, status,,,,,,,, windowEnd,,,, root) = arbitration.batches(batchId);
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

    function _refund(uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }
}
