// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {ArbiterEscrow} from "./ArbiterEscrow.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {NodeStaking} from "./NodeStaking.sol";
import {ArbitrationState, Claim} from "./ArbitrationState.sol";
import {IArbiterGame} from "./interfaces/IArbiterGame.sol";
import {ICaseOpener} from "./interfaces/ICaseOpener.sol";
import {LibMerkle} from "./lib/LibMerkle.sol";

/// @notice The loser's slash of a dispute game (DisputeGame.slashAmount).
interface ISlashAmount {
    function slashAmount() external view returns (uint256);
}

/// @title Arbitration
/// @notice Cases, committees, batched commit–reveal, verdicts, settlement and appeals. Disputed
///         batches run in the ArbitrationDisputes module (delegatecall, same storage); ERC-792
///         disputes arrive through the ArbitratorFront, which opens cases here like any opener.
///
/// Batching (so that a verdict costs a few thousand gas): cases of a model queue into a batch; a
/// committee is drawn per batch; each member commits once to the Merkle root over its claims for
/// the whole batch (leaf i = keccak256(abi.encode(claim_i, bytes32(0))), the claim commitment of
/// PROTOCOL.md §2 with a zero salt; the hiding salt is batch-level), then reveals that root.
/// Equal roots prove agreement on every case at once; no per-case storage is written until a
/// dispute or settlement. Differing roots: anyone shows a case where two members' leaves differ
/// and a DisputeGame decides (or a claim invalid on its face is slashed outright). Losers leave the
/// committee; when the remaining roots agree, the root is proposed and a challenge window opens.
contract Arbitration is ArbitrationState {
    /// @notice Holds awards, fees and bonds; created by this contract, which owns it.
    ArbiterEscrow public immutable escrow;
    /// @notice The module that runs disputed batches (ArbitrationDisputes), by delegatecall.
    address public immutable disputes;
    /// @notice Appoints level-2 arbitrators and pays out awards waiting for a payout address
    ///         (issue 8 #11): a Timelock, so each such act is public for its delay before it runs.
    address public immutable governance;

    /// @param disputes_ the ArbitrationDisputes module, deployed with the same registry, staking and registrar.
    /// @param governance_ the governance address (a Timelock in every deployment of server/chain/deploy.ts).
    constructor(ModelRegistry registry_, NodeStaking staking_, address registrar_, Config memory config_, address disputes_, address governance_)
        ArbitrationState(registry_, staking_, registrar_)
    {
        config = config_;
        disputes = disputes_;
        governance = governance_;
        escrow = new ArbiterEscrow(address(this));
    }

    /// @notice Every function of the disputes module (ArbitrationDisputes: challenge,
    ///         onGameResolved, …) runs here, in this contract's storage, by delegatecall.
    fallback() external {
        address module = disputes;
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), module, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    /// @notice Names the dispute game; once, by the registrar (the deployer).
    ///         Refuses a game whose loser's slash exceeds a seat's locked stake (a slash must not
    ///         reach collateral backing other seats), or exceeds missSlash (staying silent must
    ///         not cost less than losing a game, or a liar about to lose would just not reveal).
    function setGame(IArbiterGame game_) external {
        // INVARIANT: the game is fixed once, by the registrar.
        if (msg.sender != registrar || address(game) != address(0)) revert Unauthorized(msg.sender);
        uint256 gameSlash = ISlashAmount(address(game_)).slashAmount();
        // INVARIANT: every slash of one seat is covered by that seat's lock; silence costs at least a lost game.
        if (config.missSlash > seatStake) revert SlashExceedsSeat(config.missSlash, seatStake);
        if (gameSlash > seatStake) revert SlashExceedsSeat(gameSlash, seatStake);
        if (config.missSlash < gameSlash) revert SilenceTooCheap(config.missSlash, gameSlash);
        game = game_;
        emit GameSet(address(game_));
    }

    /// @notice Names the ERC-792 front; once, by the registrar (the deployer).
    function setFront(ICaseOpener front_) external {
        // INVARIANT: the front is fixed once, by the registrar.
        if (msg.sender != registrar || address(front) != address(0)) revert Unauthorized(msg.sender);
        front = front_;
        emit FrontSet(address(front_));
    }

    /// @notice Registers (governance only: the timelock) or removes (governance or the registrar,
    ///         so a bad arbitrator can be stopped at once) a level-2 arbitrator.
    function setArbitrator(address arbitrator, bool registered) external {
        // INVARIANT: only governance appoints; the registrar may only remove.
        if (msg.sender != governance && (registered || msg.sender != registrar)) revert Unauthorized(msg.sender);
        isArbitrator[arbitrator] = registered;
        emit ArbitratorSet(arbitrator, registered);
    }

    // ───────────────────────────── cases ─────────────────────────────

    /// @notice The fee of a case under `modelId` (the model's price: node fees and royalty).
    function caseFee(bytes32 modelId) public view returns (uint256 fee) {
        (fee,) = registry.terms(modelId);
    }

    /// @notice Opens a case: msg.value = deposit + caseFee(modelId). `awards` is the case's award
    ///         table: the award in wei of every output class, packed as 12-byte big-endian uint96
    ///         at offset 12·class (classes past its end award 0; 0 for respondent classes), as the
    ///         card's award rule gives it for this record (server/chain/awards.ts). The deposit
    ///         must cover the largest award; at settlement the claimant gets award[class] and the
    ///         respondent the rest. `claimant` 0 means the award waits for a payout address.
    ///         The registrar alone may send no deposit (msg.value = the fee): the largest award
    ///         is then reserved from the respondent's escrow account (ArbiterEscrow.depositFor)
    ///         when its free balance covers it, or else the case opens owed but not escrowed
    ///         (DepositReserved): it is decided all the same, and its award is owed (AwardOwed).
    ///         The case id is `caseIdOf(msg.sender, ref)`: namespaced by the opener, so nobody can
    ///         take (front-run) another opener's case id.
    function openCase(bytes32 ref, bytes32 modelId, bytes32 s0, address claimant, address respondent, bytes calldata awards)
        external
        payable
        returns (bytes32 caseId)
    {
        return _openCase(ref, modelId, s0, claimant, respondent, awards, msg.value);
    }

    /// @notice One case of `openCases`: openCase's arguments, and `value`, what openCase's
    ///         msg.value would be for it (its deposit + caseFee(modelId)).
    struct CaseOpening {
        bytes32 ref;
        bytes32 modelId;
        bytes32 s0;
        address claimant;
        address respondent;
        uint256 value;
        bytes awards;
    }

    /// @notice Opens many cases in one transaction (the pipeline's opener drains its queue in
    ///         batches): each exactly as `openCase` with msg.value = its `value` (same checks,
    ///         same CaseOpened event, same escrow split, a full batch seals itself). msg.value
    ///         must equal the sum of the values. All or nothing: one refused case reverts all.
    function openCases(CaseOpening[] calldata cs) external payable returns (bytes32[] memory caseIds) {
        return _openCases(cs);
    }

    /// @notice `openCases`, then seals every batch the cases went into that is still filling, as
    ///         `seal` would (the registrar at any time, anyone else once the batch window has
    ///         passed): the pipeline's opener sends its last cases and closes their batches in one
    ///         transaction, so a batch's committee is drawn a block after its cases are opened.
    function openCasesAndSeal(CaseOpening[] calldata cs) external payable returns (bytes32[] memory caseIds) {
        caseIds = _openCases(cs);
        for (uint256 i; i < caseIds.length; ++i) {
            uint64 batchId = uint64(cases[caseIds[i]].batchId);
            if (batches[batchId].status == BatchStatus.Filling) _sealBy(batchId);
        }
    }

    function _openCases(CaseOpening[] calldata cs) private returns (bytes32[] memory caseIds) {
        uint256 total;
        for (uint256 i; i < cs.length; ++i) total += cs[i].value;
        // INVARIANT: every wei sent is some case's payment, and no case is paid from another's.
        if (msg.value != total) revert InsufficientPayment(msg.value, total);
        caseIds = new bytes32[](cs.length);
        for (uint256 i; i < cs.length; ++i) {
            CaseOpening calldata o = cs[i];
            caseIds[i] = _openCase(o.ref, o.modelId, o.s0, o.claimant, o.respondent, o.awards, o.value);
        }
    }

    /// @dev openCase's body, for one case paid `paid` (its share of msg.value).
    function _openCase(bytes32 ref, bytes32 modelId, bytes32 s0, address claimant, address respondent, bytes calldata awards, uint256 paid)
        private
        returns (bytes32 caseId)
    {
        caseId = caseIdOf(msg.sender, ref);
        (uint256 fee, bool deprecated) = registry.terms(modelId);
        // INVARIANT: the model takes cases and the payment covers the fee.
        if (deprecated) revert ModelIsDeprecated(modelId);
        if (paid < fee) revert InsufficientPayment(paid, fee);
        // INVARIANT: the table is well formed (its largest award is checked in _createCase).
        if (awards.length % AWARD_BYTES != 0) revert BadAwardTable(awards.length);
        uint256 largest;
        for (uint256 off; off < awards.length; off += AWARD_BYTES) {
            uint256 a = uint96(bytes12(awards[off:off + AWARD_BYTES]));
            if (a > largest) largest = a;
        }
        _createCase(caseId, modelId, s0, claimant, respondent, paid - fee, largest, fee, awardsCommitment(awards));
    }

    /// @notice Bytes per class in an award table (a big-endian uint96, wei).
    uint256 public constant AWARD_BYTES = 12;

    /// @notice The commitment stored for an award table: keccak256 of its bytes, 0 for an empty one.
    function awardsCommitment(bytes calldata awards) public pure returns (bytes32) {
        return awards.length == 0 ? bytes32(0) : keccak256(awards);
    }

    /// @notice The award of class `output` in table `awards` (0 past its end).
    function awardOf(bytes calldata awards, uint256 output) public pure returns (uint256) {
        if (output >= awards.length / AWARD_BYTES) return 0;
        uint256 off = output * AWARD_BYTES;
        return uint96(bytes12(awards[off:off + AWARD_BYTES]));
    }

    /// @notice The id of the case that `opener` opens under its own reference `ref`.
    function caseIdOf(address opener, bytes32 ref) public pure returns (bytes32) {
        return keccak256(abi.encode(opener, ref));
    }

    function _createCase(
        bytes32 caseId,
        bytes32 modelId,
        bytes32 s0,
        address claimant,
        address respondent,
        uint256 amount,
        uint256 largest,
        uint256 fee,
        bytes32 awards
    ) private {
        Case storage c = cases[caseId];
        // INVARIANT: a case id is used once, it has an input, and unawarded escrow has somewhere to go.
        if (c.status != CaseStatus.None) revert CaseExists(caseId);
        if (respondent == address(0)) revert Unauthorized(respondent);
        if (s0 == bytes32(0)) revert WrongCaseStatus(caseId, uint8(CaseStatus.None));
        if (amount < largest) {
            // INVARIANT: the deposit covers the largest award, paid by the opener or, for the
            // registrar's cases only, reserved in the respondent's account (or owed, flagged):
            // nobody else can lock or draw a respondent's escrow by opening cases against it.
            if (amount != 0 || msg.sender != registrar) revert DepositBelowAward(amount, largest);
            bool escrowed = escrow.reserve(respondent, largest);
            c.funding = escrowed ? Funding.Reserved : Funding.Owed;
            amount = largest;
            emit DepositReserved(caseId, respondent, largest, escrowed);
        }
        if (amount > type(uint96).max) revert AmountTooLarge(amount);
        c.claimant = claimant;
        c.amount = uint96(amount);
        c.respondent = respondent;
        c.s0 = s0;
        if (awards != bytes32(0)) c.awards = awards;
        c.status = CaseStatus.Open;
        uint64 b = _enqueue(caseId, c, modelId);
        uint256 paid = c.funding == Funding.Paid ? amount : 0;
        if (paid + fee > 0) escrow.depositSplit{value: paid + fee}(_casePot(caseId), paid, _batchPot(b), msg.sender);
        if (batches[b].count >= config.maxBatch) _seal(b);
    }

    /// @dev Appends the case to its model's filling batch (opening one when none fills); returns it.
    function _enqueue(bytes32 caseId, Case storage c, bytes32 modelId) private returns (uint64) {
        uint64 b = fillingBatch[modelId];
        if (b == 0) {
            b = ++batchCount;
            fillingBatch[modelId] = b;
            Batch storage nb = batches[b];
            nb.modelId = modelId;
            nb.openedAt = uint64(block.timestamp);
            nb.status = BatchStatus.Filling;
            nb.size = config.committeeSize;
        }
        Batch storage batch = batches[b];
        uint16 index = batch.count;
        c.batchId = uint48(b);
        c.index = index;
        batch.count = index + 1;
        batch.casesHash = keccak256(abi.encode(batch.casesHash, caseId));
        if (c.respondent == address(front)) batch.frontCases = true;
        emit CaseOpened(caseId, modelId, b, index, c.s0, c.claimant, c.respondent, c.amount, c.awards);
        return b;
    }

    /// @notice Seals a filling batch: anyone once the batch window has passed, the registrar at
    ///         any time (a full batch seals itself). Sealing commits the committee draw to the
    ///         hash of the block the sealing transaction is in; `draw` runs it from the next block.
    function seal(uint64 batchId) external {
        Batch storage b = batches[batchId];
        if (b.status != BatchStatus.Filling) revert WrongBatchStatus(batchId, uint8(b.status));
        _sealBy(batchId);
    }

    /// @dev Seals a filling batch for msg.sender: the registrar at any time, anyone else once the batch window has passed.
    function _sealBy(uint64 batchId) private {
        Batch storage b = batches[batchId];
        if (msg.sender != registrar && block.timestamp < b.openedAt + config.batchWindow) {
            revert TooEarly(block.timestamp, b.openedAt + config.batchWindow);
        }
        _seal(batchId);
    }

    function _seal(uint64 batchId) private {
        Batch storage b = batches[batchId];
        if (fillingBatch[b.modelId] == batchId) fillingBatch[b.modelId] = 0;
        _commitSeed(batchId, b);
    }

    /// @dev Commits the draw to a block not mined yet (issue 8 #4): the one this transaction is in,
    ///      whose hash exists only once the block is complete and is readable from the next one.
    ///      Whoever seals, files the last case, redraws or appeals cannot know, let alone choose,
    ///      the seed when acting (only that block's producer could grind it, as it could the next
    ///      block's: contracts/README.md, "The committee seed").
    function _commitSeed(uint64 batchId, Batch storage b) private {
        b.status = BatchStatus.Sealed;
        b.seedBlock = uint64(block.number);
        emit SeedCommitted(batchId, b.seedBlock);
    }

    /// @notice Draws a sealed batch's committee, seeded by the hash of its seed block and the
    ///         batch's case ids; anyone, once the seed block is mined. When that hash is no longer
    ///         available (more than 256 blocks ago) the draw is committed to the current block
    ///         instead (SeedCommitted again) and nobody is drawn.
    function draw(uint64 batchId) external {
        Batch storage b = batches[batchId];
        // INVARIANT: a sealed batch draws only from a block hash nobody could know when it was committed.
        if (b.status != BatchStatus.Sealed) revert WrongBatchStatus(batchId, uint8(b.status));
        if (block.number <= b.seedBlock) revert TooEarly(block.number, uint256(b.seedBlock) + 1);
        bytes32 hash = blockhash(b.seedBlock);
        if (hash == bytes32(0)) return _commitSeed(batchId, b);
        _draw(batchId, b, keccak256(abi.encode(hash, batchId, b.casesHash)));
    }

    /// @dev Draws the committee from `seed`, locking one seat of stake per member. Only nodes whose
    ///      declared fee is at most seatFeeCap (one seat's part of the model's price) are drawn:
    ///      finalize shares a batch's node part among at most `b.size` members, so each member of
    ///      a committee whose root stood earns at least its fee for every case of the batch.
    function _draw(uint64 batchId, Batch storage b, bytes32 seed) private {
        address[] memory committee = staking.drawCommittee(b.modelId, seed, b.size, seatFeeCap(b.modelId, b.size));
        // INVARIANT: a committee has at least one member.
        if (committee.length == 0) revert NoEligibleNodes(b.modelId);
        delete committees[batchId];
        for (uint256 i; i < committee.length; ++i) {
            committees[batchId].push(committee[i]);
            members[batchId][committee[i]] = Member(MemberState.Drawn, false, true, bytes32(0));
            staking.lock(committee[i], seatStake);
        }
        b.size = uint8(committee.length);
        b.committed = 0;
        b.revealed = 0;
        b.status = BatchStatus.Executing;
        b.commitDeadline = uint64(block.timestamp + config.commitWindow);
        b.revealDeadline = uint64(block.timestamp + config.commitWindow + config.revealWindow);
        emit BatchSealed(batchId, b.modelId, b.count, b.casesHash, committee, b.commitDeadline, b.revealDeadline);
    }

    /// @notice A failed batch (nobody revealed) is sealed again for a fresh committee (`draw`).
    function redraw(uint64 batchId) external {
        Batch storage b = batches[batchId];
        if (b.status != BatchStatus.Failed) revert WrongBatchStatus(batchId, uint8(b.status));
        address[] storage old = committees[batchId];
        for (uint256 i; i < old.length; ++i) {
            _release(batchId, old[i]);
            delete members[batchId][old[i]];
            delete accusations[batchId][old[i]];
        }
        b.size = b.count == 1 && old.length > config.committeeSize ? uint8(old.length) : config.committeeSize;
        _commitSeed(batchId, b);
    }

    /// @notice The committee drawn for a batch.
    function committeeOf(uint64 batchId) external view returns (address[] memory) {
        return committees[batchId];
    }

    // ───────────────────────────── commit–reveal ─────────────────────────────

    /// @notice The commitment a member posts: keccak256(abi.encode(batchId, claimsRoot, salt, node)).
    function commitmentOf(uint64 batchId, bytes32 claimsRoot, bytes32 salt, address node) public pure returns (bytes32) {
        return keccak256(abi.encode(batchId, claimsRoot, salt, node));
    }

    /// @notice The leaf of one claim in a batch's claims tree (claim commitment with a zero salt).
    function claimLeaf(Claim calldata c) public pure returns (bytes32) {
        return _claimLeaf(c);
    }

    /// @notice A committee member commits to its claims root for the batch.
    function commit(uint64 batchId, bytes32 commitment) external {
        Batch storage b = batches[batchId];
        Member storage m = members[batchId][msg.sender];
        // INVARIANT: drawn members commit once, before the commit deadline.
        if (b.status != BatchStatus.Executing) revert WrongBatchStatus(batchId, uint8(b.status));
        if (m.state != MemberState.Drawn) revert NotCommitteeMember(batchId, msg.sender);
        if (block.timestamp > b.commitDeadline) revert TooLate(block.timestamp, b.commitDeadline);
        m.state = MemberState.Committed;
        m.value = commitment;
        b.committed++;
        emit Committed(batchId, msg.sender, commitment);
    }

    /// @notice Reveals the claims root; once every member has revealed, the batch is proposed
    ///         (equal roots) or disputed (differing roots).
    function reveal(uint64 batchId, bytes32 claimsRoot, bytes32 salt) external {
        Batch storage b = batches[batchId];
        Member storage m = members[batchId][msg.sender];
        // INVARIANT: reveals follow all commits (or the commit deadline) and precede the reveal deadline.
        if (b.status != BatchStatus.Executing) revert WrongBatchStatus(batchId, uint8(b.status));
        if (m.state != MemberState.Committed) revert NotCommitteeMember(batchId, msg.sender);
        if (b.committed < b.size && block.timestamp <= b.commitDeadline) revert TooEarly(block.timestamp, b.commitDeadline);
        if (block.timestamp > b.revealDeadline) revert TooLate(block.timestamp, b.revealDeadline);
        bytes32 expected = commitmentOf(batchId, claimsRoot, salt, msg.sender);
        // INVARIANT: the reveal opens the commitment.
        if (expected != m.value) revert CommitmentMismatch(batchId, msg.sender, m.value, expected);
        m.state = MemberState.Revealed;
        m.value = claimsRoot;
        b.revealed++;
        emit Revealed(batchId, msg.sender, claimsRoot);
        if (b.revealed == b.size) _evaluate(batchId, b);
    }

    /// @notice After the reveal deadline: members that did not commit or reveal are slashed and
    ///         leave; the rest is evaluated.
    function closeReveals(uint64 batchId) external {
        Batch storage b = batches[batchId];
        if (b.status != BatchStatus.Executing) revert WrongBatchStatus(batchId, uint8(b.status));
        if (block.timestamp <= b.revealDeadline) revert TooEarly(block.timestamp, b.revealDeadline);
        address[] storage list = committees[batchId];
        for (uint256 i; i < list.length; ++i) {
            Member storage m = members[batchId][list[i]];
            if (m.state == MemberState.Drawn || m.state == MemberState.Committed) _evict(batchId, list[i], address(0), "silent");
        }
        _evaluate(batchId, b);
    }

    // ───────────────────────────── finality and payment ─────────────────────────────

    /// @notice The protocol's share of a batch's fee pool, in basis points (to the treasury).
    uint256 public constant PROTOCOL_BPS = 500;

    /// @notice After the challenge window: the batch is final and the fees are paid (royalty to
    ///         the model's creator, PROTOCOL_BPS to the treasury, the rest shared equally by the
    ///         members whose root stood; the division's dust to the treasury).
    function finalize(uint64 batchId) public {
        Batch storage b = batches[batchId];
        // INVARIANT: a proposed batch becomes final once its window has closed.
        if (b.status != BatchStatus.Proposed) revert WrongBatchStatus(batchId, uint8(b.status));
        if (block.timestamp <= b.windowEnd) revert TooEarly(block.timestamp, b.windowEnd);
        // INVARIANT: a batch a level-1 appeal left, or that re-executes one, waits for the
        // comparison of the two results (compareAppeal, issue 8 #6): a committee that lost is never paid.
        if (pendingAppeals[batchId] != 0) revert AppealPending(batchId);
        b.status = BatchStatus.Final;
        emit BatchFinalized(batchId, b.claimsRoot);
        address[] storage list = committees[batchId];
        uint256 winners;
        for (uint256 i; i < list.length; ++i) {
            if (members[batchId][list[i]].state == MemberState.Revealed) winners++;
            _release(batchId, list[i]);
        }
        bytes32 pot = _batchPot(batchId);
        uint256 pool = escrow.held(pot);
        if (pool == 0) return;
        ModelRegistry.Model memory model = registry.get(b.modelId);
        (uint256 royalty, uint256 nodeShare) = _split(pool, model.royaltyBps);
        if (royalty > 0) escrow.creditTo(pot, model.creator, royalty);
        uint256 share = nodeShare / winners;
        for (uint256 i; i < list.length; ++i) {
            if (members[batchId][list[i]].state == MemberState.Revealed) escrow.creditTo(pot, list[i], share);
        }
        uint256 rest = escrow.held(pot);
        if (rest > 0) escrow.creditTo(pot, staking.treasury(), rest);
    }

    /// @notice The most a node may declare (NodeStaking.serve) to be drawn into a committee of
    ///         `size` for `modelId`: the nodes' part of one case's fee over `size` seats, less 2 wei
    ///         (a batch rounds its royalty and protocol share down once, not per case, so its
    ///         nodes' part may be up to 2 wei per case short of the cases' parts added up).
    function seatFeeCap(bytes32 modelId, uint256 size) public view returns (uint256) {
        ModelRegistry.Model memory model = registry.get(modelId);
        (, uint256 nodeShare) = _split(model.price, model.royaltyBps);
        return nodeShare > 2 ? (nodeShare - 2) / size : 0;
    }

    /// @dev A fee pool's royalty and the nodes' part. The protocol's share (PROTOCOL_BPS, never more
    ///      than what the royalty leaves) goes to the treasury with the division's dust;
    ///      server/market/split.ts computes the same split.
    function _split(uint256 pool, uint16 royaltyBps) private pure returns (uint256 royalty, uint256 nodeShare) {
        royalty = (pool * royaltyBps) / 10_000;
        uint256 protocol = (pool * PROTOCOL_BPS) / 10_000;
        if (protocol > pool - royalty) protocol = pool - royalty;
        nodeShare = pool - royalty - protocol;
    }

    /// @notice Settles every case of a final batch from the full list of agreed claims (their
    ///         root must equal the agreed root) and each case's award table (`awards[i]` for
    ///         claims[i], checked against the commitment made at opening): pays each award and
    ///         refund. Cases appealed elsewhere or already settled are skipped (their table unread).
    function settle(uint64 batchId, Claim[] calldata claims, bytes[] calldata awards) external {
        Batch storage b = batches[batchId];
        if (b.status == BatchStatus.Proposed && block.timestamp > b.windowEnd) finalize(batchId);
        if (b.status != BatchStatus.Final) revert WrongBatchStatus(batchId, uint8(b.status));
        bytes32[] memory leaves = new bytes32[](claims.length);
        for (uint256 i; i < claims.length; ++i) leaves[i] = _claimLeaf(claims[i]);
        bytes32 root = LibMerkle.rootOf(leaves);
        // INVARIANT: the claims are exactly the batch's agreed claims.
        if (claims.length != b.count || root != b.claimsRoot) revert BadProof(b.claimsRoot, root);
        if (awards.length != claims.length) revert BadAwardTable(awards.length);
        for (uint256 i; i < claims.length; ++i) {
            Case storage c = cases[claims[i].caseId];
            if (c.batchId == batchId && c.status == CaseStatus.Open) _settleCase(claims[i].caseId, c, claims[i].output, b.modelId, awards[i]);
        }
    }

    /// @notice Settles one case of a final batch from its claim and proof, and its award table.
    function settleOne(bytes32 caseId, Claim calldata claim, bytes32[] calldata proof, bytes calldata awards) external {
        Case storage c = cases[caseId];
        Batch storage b = batches[c.batchId];
        if (b.status == BatchStatus.Proposed && block.timestamp > b.windowEnd) finalize(c.batchId);
        if (b.status != BatchStatus.Final) revert WrongBatchStatus(c.batchId, uint8(b.status));
        if (c.status != CaseStatus.Open) revert WrongCaseStatus(caseId, uint8(c.status));
        bytes32 leaf = _claimLeaf(claim);
        // INVARIANT: the claim is the agreed claim for this case.
        if (claim.caseId != caseId || !LibMerkle.verify(b.claimsRoot, leaf, c.index, b.count, proof)) revert BadProof(b.claimsRoot, leaf);
        _settleCase(caseId, c, claim.output, b.modelId, awards);
    }

    /// @dev Checks the award table against the case's commitment; effects first (status), then
    ///      the escrow pays award[class] to the claimant (a claimant class only) and the rest of
    ///      the deposit to the respondent (a reserved deposit: the award moves from the
    ///      respondent's account into the case's pot, the rest is released; an owed one pays
    ///      nothing and records AwardOwed); the ERC-792 arbitrable hears the ruling.
    function _settleCase(bytes32 caseId, Case storage c, uint256 output, bytes32 modelId, bytes calldata awards) private {
        bytes32 committed = c.awards;
        bytes32 given = awardsCommitment(awards);
        // INVARIANT: the award table is the one committed to when the case was opened.
        if (given != committed) revert AwardsMismatch(caseId, committed, given);
        bool won = registry.isClaimantClass(modelId, output);
        uint256 deposit = c.amount;
        // award <= deposit: openCase checked the deposit against the table's largest award.
        uint256 award = won ? awardOf(awards, output) : 0;
        Funding funding = c.funding;
        uint256 refund = funding == Funding.Owed ? 0 : deposit - award;
        c.status = CaseStatus.Settled;
        c.claimantWon = won;
        // The commitment has served (CaseOpened keeps it, Resolved records the amounts): clearing
        // the slot refunds more gas than the write costs.
        if (committed != bytes32(0)) c.awards = bytes32(0);
        emit Resolved(caseId, output, won, award, refund);
        bytes32 pot = _casePot(caseId);
        if (funding == Funding.Owed) {
            if (award > 0) emit AwardOwed(caseId, c.respondent, c.claimant, award);
        } else {
            if (funding == Funding.Reserved) {
                escrow.release(c.respondent, deposit, pot, award);
                refund = 0; // released in the respondent's account, not sent
            }
            if (award > 0) {
                address claimant = c.claimant;
                if (claimant == address(0)) escrow.move(pot, _unclaimedPot(caseId), award);
                else escrow.pay(pot, claimant, award);
            }
            if (refund > 0) escrow.pay(pot, c.respondent, refund);
        }
        if (c.respondent == address(front)) front.onSettled(caseId, output, won);
    }

    /// @notice Sends an award held for a claimant without a wallet to the address they named.
    ///         Governance only: the registrar relays the claimant's choice from the case page by
    ///         scheduling this call on the timelock, so the payee is public for the timelock's
    ///         delay before it is paid and the guardian can cancel a payee the claimant disowns.
    function claimAward(bytes32 caseId, address payee) external {
        if (msg.sender != governance) revert Unauthorized(msg.sender);
        Case storage c = cases[caseId];
        // INVARIANT: only a settled, won award without a claimant address is claimed this way.
        if (c.status != CaseStatus.Settled || !c.claimantWon || c.claimant != address(0)) revert WrongCaseStatus(caseId, uint8(c.status));
        c.claimant = payee;
        bytes32 pot = _unclaimedPot(caseId);
        uint256 amount = escrow.held(pot);
        emit AwardClaimed(caseId, payee, amount);
        escrow.pay(pot, payee, amount);
    }

    // ───────────────────────────── appeals ─────────────────────────────

    /// @notice The bond for the next appeal of a case (level 1: fresh larger committee; level 2:
    ///         a registered arbitrator).
    function appealBond(bytes32 caseId) public view returns (uint256) {
        return cases[caseId].appealLevel == 0 ? config.appealBond1 : config.appealBond2;
    }

    /// @notice A party appeals its case's proposed verdict within the challenge window.
    function appealCase(bytes32 caseId) public payable {
        Case storage c = cases[caseId];
        // INVARIANT: only the case's parties appeal (for an ERC-792 dispute the front, its respondent).
        if (msg.sender != c.claimant && msg.sender != c.respondent && msg.sender != registrar) revert Unauthorized(msg.sender);
        Batch storage b = batches[c.batchId];
        // INVARIANT: appeals target a proposed verdict within its window, at most twice, bonded.
        if (c.status != CaseStatus.Open) revert WrongCaseStatus(caseId, uint8(c.status));
        if (b.status != BatchStatus.Proposed || block.timestamp > b.windowEnd) revert WrongBatchStatus(c.batchId, uint8(b.status));
        if (c.appealLevel >= 2) revert AppealLimit(caseId);
        uint256 bond = appealBond(caseId);
        if (msg.value != bond) revert InsufficientPayment(msg.value, bond);
        c.appealLevel++;
        uint64 nb;
        if (c.appealLevel == 1) {
            // The bond waits for the comparison (compareAppeal): back to the appellant when the
            // first committee's result falls, else it pays the re-execution (issue 8 #6).
            if (bond > 0) escrow.deposit{value: bond}(_appealPot(caseId), msg.sender);
            nb = ++batchCount;
            appeals[caseId] = Appeal(msg.sender, uint64(c.batchId), c.index, true, b.claimsRoot);
            pendingAppeals[uint64(c.batchId)]++;
            pendingAppeals[nb] = 1;
            Batch storage ab = batches[nb];
            ab.modelId = b.modelId;
            ab.openedAt = uint64(block.timestamp);
            ab.count = 1;
            ab.size = config.appealCommitteeSize;
            ab.casesHash = keccak256(abi.encode(bytes32(0), caseId));
            ab.frontCases = c.respondent == address(front);
            c.batchId = uint48(nb);
            c.index = 0;
            emit CaseOpened(caseId, b.modelId, nb, 0, c.s0, c.claimant, c.respondent, c.amount, c.awards);
            _commitSeed(nb, ab);
        } else {
            if (bond > 0) escrow.deposit{value: bond}(_bondPot(caseId), msg.sender);
            c.status = CaseStatus.AwaitingArbitrator;
            referrals[caseId] = Referral(msg.sender, uint64(block.timestamp + config.arbitratorWindow));
        }
        emit Appealed(caseId, c.appealLevel, msg.sender, nb);
    }

    /// @notice After `arbitratorWindow` with no level-2 ruling, anyone ends the case as refused
    ///         (issue 8 #9): no award, the bond back to the appellant, the deposit to the
    ///         respondent; an ERC-792 dispute is ruled 0 (refused) by the front.
    function refuseCase(bytes32 caseId) external {
        Case storage c = cases[caseId];
        Referral memory r = referrals[caseId];
        // INVARIANT: only a level-2 appeal past its deadline is refused.
        if (c.status != CaseStatus.AwaitingArbitrator) revert WrongCaseStatus(caseId, uint8(c.status));
        if (block.timestamp <= r.deadline) revert TooEarly(block.timestamp, r.deadline);
        c.status = CaseStatus.Settled;
        if (c.awards != bytes32(0)) c.awards = bytes32(0);
        delete referrals[caseId];
        bytes32 bondPot = _bondPot(caseId);
        uint256 bond = escrow.held(bondPot);
        Funding funding = c.funding;
        // An owed deposit was never escrowed: nothing returns.
        uint256 deposit = funding == Funding.Owed ? 0 : c.amount;
        emit CaseRefused(caseId, r.appellant, bond, deposit);
        if (bond > 0) escrow.pay(bondPot, r.appellant, bond);
        // A reserved deposit is released in the respondent's account; a paid one is sent back.
        if (funding == Funding.Reserved) escrow.release(c.respondent, deposit, bytes32(0), 0);
        else if (deposit > 0) escrow.pay(_casePot(caseId), c.respondent, deposit);
        if (c.respondent == address(front)) front.onRefused(caseId, r.appellant == address(front) ? bond : 0);
    }

    /// @notice Level 2: a registered arbitrator decides the output class, with the hash of a
    ///         written reason; the case settles at once (with its award table `awards`, checked
    ///         against the commitment) and the bond pays the arbitrator.
    function arbitratorRule(bytes32 caseId, uint256 output, bytes32 reasonHash, bytes calldata awards) external {
        // INVARIANT: only a registered arbitrator rules, on a case appealed to level 2.
        if (!isArbitrator[msg.sender]) revert NotArbitrator(msg.sender);
        // INVARIANT: the ruling is a class an ARGMAX can output (ModelRegistry.MAX_CLASSES).
        if (output >= 0xffff) revert OutputOutOfRange(output);
        Case storage c = cases[caseId];
        if (c.status != CaseStatus.AwaitingArbitrator) revert WrongCaseStatus(caseId, uint8(c.status));
        delete referrals[caseId];
        emit ArbitratorRuled(caseId, msg.sender, output, reasonHash);
        bytes32 bondPot = _bondPot(caseId);
        uint256 bond = escrow.held(bondPot);
        if (bond > 0) escrow.creditTo(bondPot, msg.sender, bond);
        c.status = CaseStatus.Open;
        _settleCase(caseId, c, output, batches[c.batchId].modelId, awards);
    }

}
