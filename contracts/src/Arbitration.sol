// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {ArbiterEscrow} from "./ArbiterEscrow.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {NodeStaking} from "./NodeStaking.sol";
import {IArbiterGame, IGameHost} from "./interfaces/IArbiterGame.sol";
import {IArbitrator} from "./interfaces/IArbitrator.sol";
import {IArbitrable} from "./interfaces/IArbitrable.sol";
import {LibMerkle} from "./lib/LibMerkle.sol";
import {LibTensor} from "./lib/LibTensor.sol";

/// @notice A node's claim for one case (PROTOCOL.md §2).
struct Claim {
    bytes32 caseId;
    bytes32 modelId;
    bytes32 s0;
    uint256 output;
    uint256 steps;
    bytes32 traceRoot;
}

/// @notice A claim with its proof against a node's revealed batch root, and the proof that the
///         claim's last state S_n (the 1×1 output tensor) is leaf n of its trace root.
struct ClaimEvidence {
    Claim claim;
    bytes32[] proof;
    bytes32[] finalProof;
}

/// @title Arbitration
/// @notice Cases, committees, batched commit–reveal, verdicts, appeals and ERC-792.
///
/// Batching (so that a verdict costs a few thousand gas): cases of a model queue into a batch; a
/// committee is drawn per batch; each member commits once to the Merkle root over its claims for
/// the whole batch (leaf i = keccak256(abi.encode(claim_i, bytes32(0))), the claim commitment of
/// PROTOCOL.md §2 with a zero salt; the hiding salt is batch-level), then reveals that root.
/// Equal roots prove agreement on every case at once; no per-case storage is written until a
/// dispute or settlement. Differing roots: anyone shows a case where two members' leaves differ
/// and a DisputeGame decides (or a claim invalid on its face is slashed outright). Losers leave the
/// committee; when the remaining roots agree, the root is proposed and a challenge window opens.
contract Arbitration is IArbitrator, IGameHost {
    enum CaseStatus {
        None,
        AwaitingInput, // ERC-792 dispute without its case record yet
        Open, // queued or running in a batch
        AwaitingArbitrator, // appealed to level 2
        Settled
    }

    enum BatchStatus {
        None,
        Filling,
        Executing, // committee drawn: commit, then reveal
        Disputed, // revealed roots differ
        Proposed, // roots agree: challenge window running
        Final,
        Failed // nobody revealed: redraw
    }

    enum MemberState {
        None,
        Drawn,
        Committed,
        Revealed,
        InGame,
        Evicted
    }

    /// @notice One case; four storage slots (the fourth, the award commitment, is written only
    ///         when some class awards something).
    struct Case {
        address claimant; // 0: the award waits for a payout address
        uint96 amount; // escrowed deposit, wei: covers the largest award of the table
        address respondent;
        uint56 batchId; // 56 bits, so that claimantWon shares this slot
        uint16 index; // position in the batch
        CaseStatus status;
        uint8 appealLevel;
        bool claimantWon;
        bytes32 s0;
        bytes32 awards; // awardsCommitment(table) of the per-class award table (0: empty table); cleared at settlement
    }

    /// @notice Cases of one model run together by one committee.
    struct Batch {
        bytes32 modelId;
        uint64 openedAt;
        uint16 count;
        BatchStatus status;
        uint8 size; // committee size
        uint8 committed;
        uint8 revealed;
        uint8 games; // running games
        uint64 commitDeadline;
        uint64 revealDeadline;
        uint64 windowEnd;
        bytes32 casesHash; // rolling keccak over the case ids, in order
        bytes32 claimsRoot; // the agreed root once proposed
    }

    /// @notice A committee member's progress in a batch.
    struct Member {
        MemberState state;
        bytes32 value; // commitment, then revealed root
    }

    /// @notice Deployment parameters (see server/chain/deploy.ts for the defaults).
    struct Config {
        uint8 committeeSize;
        uint8 appealCommitteeSize;
        uint16 maxBatch;
        uint32 batchWindow; // seconds a batch fills before anyone may seal it
        uint32 commitWindow;
        uint32 revealWindow;
        uint32 challengeWindow;
        uint128 missSlash; // slashed from a member that does not commit/reveal or claims invalidly
        uint128 appealBond1;
        uint128 appealBond2;
        bytes32 defaultModel; // for ERC-792 disputes without a model in extraData
    }

    /// @notice Where models, their roots and prices are registered.
    ModelRegistry public immutable registry;
    /// @notice Node collateral and committee draws.
    NodeStaking public immutable staking;
    /// @notice Holds awards, fees and bonds; created by this contract, which owns it.
    ArbiterEscrow public immutable escrow;
    /// @notice The operator that binds case records to ERC-792 disputes and payout addresses.
    address public immutable registrar;
    /// @notice The dispute game contract (set once).
    IArbiterGame public game;
    /// @notice Deployment parameters.
    Config public config;

    /// @notice Every case by id.
    mapping(bytes32 caseId => Case) public cases;
    /// @notice Every batch by id (ids start at 1).
    mapping(uint64 batchId => Batch) public batches;
    mapping(uint64 batchId => address[]) internal committees;
    /// @notice Committee members' state and commitment / revealed root per batch.
    mapping(uint64 batchId => mapping(address => Member)) public members;
    /// @notice The batch of each model currently taking cases (0: none).
    mapping(bytes32 modelId => uint64) public fillingBatch;
    /// @notice Number of batches created.
    uint64 public batchCount;
    /// @notice The case each dispute game is about.
    mapping(uint256 gameId => bytes32 caseId) public gameCase;
    /// @notice Registered level-2 arbitrators.
    mapping(address => bool) public isArbitrator;
    /// @notice ERC-792 disputes: arbitrable contract and the case id behind each dispute id.
    mapping(uint256 disputeId => address) public disputeArbitrable;
    mapping(bytes32 caseId => uint256) public caseDispute; // disputeId + 1
    /// @notice ERC-792 disputes whose final ruling could not be delivered yet.
    mapping(uint256 disputeId => bool) public rulingPending;
    /// @notice ERC-792 disputes in each batch, told when their verdict becomes appealable.
    mapping(uint64 batchId => uint256[]) internal batchDisputes;
    uint256 public disputeCount;

    /// @notice Emitted when a case joins batch `batchId` at `index` (also when an appeal moves it to a new batch).
    ///         `amount` is the escrowed deposit, `awards` the commitment to the per-class award table.
    event CaseOpened(bytes32 indexed caseId, bytes32 indexed modelId, uint64 indexed batchId, uint256 index, bytes32 s0, address claimant, address respondent, uint256 amount, bytes32 awards);
    /// @notice Emitted when a batch stops filling and its committee is drawn.
    event BatchSealed(uint64 indexed batchId, bytes32 indexed modelId, uint256 count, bytes32 casesHash, address[] committee, uint256 commitDeadline, uint256 revealDeadline);
    /// @notice Emitted when a member commits to its claims root.
    event Committed(uint64 indexed batchId, address indexed node, bytes32 commitment);
    /// @notice Emitted when a member reveals its claims root.
    event Revealed(uint64 indexed batchId, address indexed node, bytes32 claimsRoot);
    /// @notice Emitted when a member leaves a batch (silent, invalid claim, lost game).
    event Evicted(uint64 indexed batchId, address indexed node, bytes32 reason);
    /// @notice Emitted when two members' differing claims for a case go to a dispute game.
    event Challenged(uint64 indexed batchId, bytes32 indexed caseId, uint256 indexed gameId, address defender, address challenger);
    /// @notice Emitted when every remaining member revealed the same root: the challenge window opens.
    event VerdictProposed(uint64 indexed batchId, bytes32 claimsRoot, uint256 windowEnd);
    /// @notice Emitted when the revealed roots differ.
    event BatchDisputed(uint64 indexed batchId);
    /// @notice Emitted when nobody revealed: the batch needs a new committee.
    event BatchFailed(uint64 indexed batchId);
    /// @notice Emitted when the window closed: the root is final and fees are paid.
    event BatchFinalized(uint64 indexed batchId, bytes32 claimsRoot);
    /// @notice Emitted when a party appeals (level 1: `newBatchId` re-runs the case; level 2: an arbitrator rules).
    event Appealed(bytes32 indexed caseId, uint8 level, address indexed appellant, uint64 newBatchId);
    /// @notice Emitted when a registered arbitrator rules at level 2, with the hash of its written reason.
    event ArbitratorRuled(bytes32 indexed caseId, address indexed arbitrator, uint256 output, bytes32 reasonHash);
    /// @notice Emitted when a case is settled: its output, who prevailed, the award paid to the
    ///         claimant (award table entry of the output class; 0 for a respondent class) and the
    ///         rest of the deposit refunded to the respondent.
    event Resolved(bytes32 indexed caseId, uint256 output, bool claimantWon, uint256 award, uint256 refund);
    /// @notice Emitted when the ruling was sent to an ERC-792 arbitrable (`ok` false if it reverted).
    event RulingDelivered(uint256 indexed disputeId, address indexed arbitrable, uint256 ruling, bool ok);
    /// @notice Emitted once, when the dispute game is named.
    event GameSet(address game);
    /// @notice Emitted when a waiting award is sent to the payout address the claimant named.
    event AwardClaimed(bytes32 indexed caseId, address indexed payee, uint256 amount);
    /// @notice Emitted when a level-2 arbitrator is registered or removed.
    event ArbitratorSet(address indexed arbitrator, bool registered);

    constructor(ModelRegistry registry_, NodeStaking staking_, address registrar_, Config memory config_) {
        registry = registry_;
        staking = staking_;
        registrar = registrar_;
        config = config_;
        escrow = new ArbiterEscrow(address(this));
    }

    /// @notice Names the dispute game; once, by the registrar (the deployer).
    function setGame(IArbiterGame game_) external {
        // INVARIANT: the game is fixed once, by the registrar.
        if (msg.sender != registrar || address(game) != address(0)) revert Unauthorized(msg.sender);
        game = game_;
        emit GameSet(address(game_));
    }

    /// @notice Registers or removes a level-2 arbitrator; the registrar only.
    function setArbitrator(address arbitrator, bool registered) external {
        if (msg.sender != registrar) revert Unauthorized(msg.sender);
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
    function openCase(bytes32 caseId, bytes32 modelId, bytes32 s0, address claimant, address respondent, bytes calldata awards)
        external
        payable
    {
        (uint256 fee, bool deprecated) = registry.terms(modelId);
        // INVARIANT: the model takes cases and the payment covers the fee.
        if (deprecated) revert ModelIsDeprecated(modelId);
        if (msg.value < fee) revert InsufficientPayment(msg.value, fee);
        uint256 deposit = msg.value - fee;
        // INVARIANT: the table is well formed and the deposit covers its largest award.
        if (awards.length % AWARD_BYTES != 0) revert BadAwardTable(awards.length);
        uint256 largest;
        for (uint256 off; off < awards.length; off += AWARD_BYTES) {
            uint256 a = uint96(bytes12(awards[off:off + AWARD_BYTES]));
            if (a > largest) largest = a;
        }
        if (deposit < largest) revert DepositBelowAward(deposit, largest);
        _createCase(caseId, modelId, s0, claimant, respondent, deposit, fee, awardsCommitment(awards));
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

    function _createCase(
        bytes32 caseId,
        bytes32 modelId,
        bytes32 s0,
        address claimant,
        address respondent,
        uint256 amount,
        uint256 fee,
        bytes32 awards
    ) private {
        Case storage c = cases[caseId];
        // INVARIANT: a case id is used once, and unawarded escrow has somewhere to go.
        if (c.status != CaseStatus.None) revert CaseExists(caseId);
        if (respondent == address(0)) revert Unauthorized(respondent);
        if (amount > type(uint96).max) revert AmountTooLarge(amount);
        c.claimant = claimant;
        c.amount = uint96(amount);
        c.respondent = respondent;
        c.s0 = s0;
        if (awards != bytes32(0)) c.awards = awards;
        if (s0 == bytes32(0)) {
            // An ERC-792 dispute: the fee waits in its own pot until the input is bound.
            c.status = CaseStatus.AwaitingInput;
            if (amount + fee > 0) escrow.depositSplit{value: amount + fee}(_casePot(caseId), amount, _feePot(caseId), msg.sender);
            return;
        }
        c.status = CaseStatus.Open;
        uint64 b = _enqueue(caseId, c, modelId);
        if (amount + fee > 0) escrow.depositSplit{value: amount + fee}(_casePot(caseId), amount, _batchPot(b), msg.sender);
        if (batches[b].count >= config.maxBatch) _seal(b, false);
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
        c.batchId = uint56(b);
        c.index = index;
        batch.count = index + 1;
        batch.casesHash = keccak256(abi.encode(batch.casesHash, caseId));
        emit CaseOpened(caseId, modelId, b, index, c.s0, c.claimant, c.respondent, c.amount, c.awards);
        return b;
    }

    /// @notice Seals a filling batch and draws its committee: anyone once the batch window has
    ///         passed, the registrar at any time. (A full batch seals itself.)
    function seal(uint64 batchId) external {
        Batch storage b = batches[batchId];
        if (b.status != BatchStatus.Filling) revert WrongBatchStatus(batchId, uint8(b.status));
        if (msg.sender != registrar && block.timestamp < b.openedAt + config.batchWindow) {
            revert TooEarly(block.timestamp, b.openedAt + config.batchWindow);
        }
        _seal(batchId, true);
    }

    /// @dev Seals and draws; a full batch sealing itself (`strict` false) keeps filling instead
    ///      of reverting the case's opening when no node is eligible yet.
    function _seal(uint64 batchId, bool strict) private {
        Batch storage b = batches[batchId];
        if (!_draw(batchId, b, strict)) return;
        if (fillingBatch[b.modelId] == batchId) fillingBatch[b.modelId] = 0;
    }

    /// @dev Draws the committee, seeded by chain randomness and the batch's case ids.
    function _draw(uint64 batchId, Batch storage b, bool strict) private returns (bool) {
        bytes32 seed = keccak256(abi.encode(block.prevrandao, batchId, b.casesHash, block.number));
        address[] memory committee = staking.drawCommittee(b.modelId, seed, b.size);
        // INVARIANT: a committee has at least one member.
        if (committee.length == 0) {
            if (strict) revert NoEligibleNodes(b.modelId);
            return false;
        }
        delete committees[batchId];
        for (uint256 i; i < committee.length; ++i) {
            committees[batchId].push(committee[i]);
            members[batchId][committee[i]] = Member(MemberState.Drawn, bytes32(0));
        }
        b.size = uint8(committee.length);
        b.committed = 0;
        b.revealed = 0;
        b.status = BatchStatus.Executing;
        b.commitDeadline = uint64(block.timestamp + config.commitWindow);
        b.revealDeadline = uint64(block.timestamp + config.commitWindow + config.revealWindow);
        emit BatchSealed(batchId, b.modelId, b.count, b.casesHash, committee, b.commitDeadline, b.revealDeadline);
        return true;
    }

    /// @notice A failed batch (nobody revealed) draws a fresh committee.
    function redraw(uint64 batchId) external {
        Batch storage b = batches[batchId];
        if (b.status != BatchStatus.Failed) revert WrongBatchStatus(batchId, uint8(b.status));
        address[] storage old = committees[batchId];
        for (uint256 i; i < old.length; ++i) delete members[batchId][old[i]];
        b.size = b.count == 1 && old.length > config.committeeSize ? uint8(old.length) : config.committeeSize;
        _draw(batchId, b, true);
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
        return keccak256(abi.encode(c.caseId, c.modelId, c.s0, c.output, c.steps, c.traceRoot, bytes32(0)));
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
            if (m.state == MemberState.Drawn || m.state == MemberState.Committed) {
                m.state = MemberState.Evicted;
                staking.slash(list[i], config.missSlash, address(0));
                emit Evicted(batchId, list[i], "silent");
            }
        }
        _evaluate(batchId, b);
    }

    /// @dev Proposes when every remaining member revealed the same root; disputes otherwise.
    function _evaluate(uint64 batchId, Batch storage b) private {
        if (b.games > 0) return;
        address[] storage list = committees[batchId];
        bytes32 root;
        bool any;
        bool differ;
        for (uint256 i; i < list.length; ++i) {
            Member storage m = members[batchId][list[i]];
            if (m.state != MemberState.Revealed) continue;
            if (!any) (root, any) = (m.value, true);
            else if (m.value != root) differ = true;
        }
        if (!any) {
            b.status = BatchStatus.Failed;
            emit BatchFailed(batchId);
        } else if (differ) {
            b.status = BatchStatus.Disputed;
            emit BatchDisputed(batchId);
        } else {
            b.status = BatchStatus.Proposed;
            b.claimsRoot = root;
            b.windowEnd = uint64(block.timestamp + config.challengeWindow);
            emit VerdictProposed(batchId, root, b.windowEnd);
            uint256[] storage ds = batchDisputes[batchId];
            for (uint256 i; i < ds.length; ++i) emit AppealPossible(ds[i], IArbitrable(disputeArbitrable[ds[i]]));
        }
    }

    // ───────────────────────────── disputes ─────────────────────────────

    /// @notice Shows the claims of members `a` and `b` for the case at `index`, which differ. A claim
    ///         invalid on its face (wrong case, model, S_0, step count, or an output that is not its
    ///         trace's last state) is slashed outright; two valid claims go to a DisputeGame.
    function challenge(uint64 batchId, uint256 index, address a, ClaimEvidence calldata ea, address b, ClaimEvidence calldata eb)
        external
        returns (uint256 gameId)
    {
        Batch storage batch = batches[batchId];
        // INVARIANT: challenges run while the revealed roots disagree, between two revealed members.
        if (batch.status != BatchStatus.Disputed) revert WrongBatchStatus(batchId, uint8(batch.status));
        Member storage ma = members[batchId][a];
        Member storage mb = members[batchId][b];
        if (ma.state != MemberState.Revealed) revert NotCommitteeMember(batchId, a);
        if (mb.state != MemberState.Revealed || a == b) revert NotCommitteeMember(batchId, b);
        bytes32 leafA = claimLeaf(ea.claim);
        bytes32 leafB = claimLeaf(eb.claim);
        // INVARIANT: each claim is the member's revealed leaf at `index`, and they differ.
        if (!LibMerkle.verify(ma.value, leafA, index, batch.count, ea.proof)) revert BadProof(ma.value, leafA);
        if (!LibMerkle.verify(mb.value, leafB, index, batch.count, eb.proof)) revert BadProof(mb.value, leafB);
        if (leafA == leafB) revert NoDisagreement(leafA);
        ModelRegistry.Model memory model = registry.get(batch.modelId);
        bool validA = _faceValid(batchId, index, batch.modelId, model.steps, ea);
        bool validB = _faceValid(batchId, index, batch.modelId, model.steps, eb);
        if (!validA || !validB) {
            if (!validA) _evict(batchId, a, validB ? b : address(0), "invalid claim");
            if (!validB) _evict(batchId, b, validA ? a : address(0), "invalid claim");
            _evaluate(batchId, batch);
            return 0;
        }
        bytes32 caseId = ea.claim.caseId;
        ma.state = MemberState.InGame;
        mb.state = MemberState.InGame;
        batch.games++;
        gameId = game.create(batchId, caseId, a, b, ea.claim.traceRoot, eb.claim.traceRoot, cases[caseId].s0, model.modelRoot, model.steps);
        gameCase[gameId] = caseId;
        emit Challenged(batchId, caseId, gameId, a, b);
    }

    /// @dev A claim is valid on its face when it names the case at `index` of this batch, its
    ///      model, input and step count, and its output is the trace's last state S_n = 1×1 tensor.
    function _faceValid(uint64 batchId, uint256 index, bytes32 modelId, uint32 steps, ClaimEvidence calldata e)
        private
        view
        returns (bool)
    {
        Claim calldata c = e.claim;
        Case storage cs = cases[c.caseId];
        if (cs.batchId != batchId || cs.index != index || cs.status == CaseStatus.None) return false;
        if (c.modelId != modelId || c.s0 != cs.s0 || c.steps != steps) return false;
        if (c.output > uint256(LibTensor.INT64_MAX)) return false;
        int256[] memory out = new int256[](1);
        out[0] = int256(c.output);
        (, bytes32 last) = LibTensor.stateHash(steps, 1, 1, out);
        return LibMerkle.verify(c.traceRoot, last, steps, uint256(steps) + 1, e.finalProof);
    }

    function _evict(uint64 batchId, address node, address beneficiary, bytes32 reason) private {
        members[batchId][node].state = MemberState.Evicted;
        staking.slash(node, config.missSlash, beneficiary);
        emit Evicted(batchId, node, reason);
    }

    /// @inheritdoc IGameHost
    function onGameResolved(uint256 gameId, IArbiterGame.Outcome outcome) external {
        // INVARIANT: only the game reports outcomes.
        if (msg.sender != address(game)) revert Unauthorized(msg.sender);
        (address defender, address challenger) = game.parties(gameId);
        uint64 batchId = cases[gameCase[gameId]].batchId;
        Batch storage b = batches[batchId];
        b.games--;
        members[batchId][defender].state =
            outcome == IArbiterGame.Outcome.DefenderWins ? MemberState.Revealed : MemberState.Evicted;
        members[batchId][challenger].state =
            outcome == IArbiterGame.Outcome.ChallengerWins ? MemberState.Revealed : MemberState.Evicted;
        if (outcome != IArbiterGame.Outcome.DefenderWins) emit Evicted(batchId, defender, "lost game");
        if (outcome != IArbiterGame.Outcome.ChallengerWins) emit Evicted(batchId, challenger, "lost game");
        _evaluate(batchId, b);
    }

    // ───────────────────────────── finality and payment ─────────────────────────────

    /// @notice After the challenge window: the batch is final and the fees are paid (royalty to
    ///         the model's creator, the rest shared by the members whose root stood).
    function finalize(uint64 batchId) public {
        Batch storage b = batches[batchId];
        // INVARIANT: a proposed batch becomes final once its window has closed.
        if (b.status != BatchStatus.Proposed) revert WrongBatchStatus(batchId, uint8(b.status));
        if (block.timestamp <= b.windowEnd) revert TooEarly(block.timestamp, b.windowEnd);
        b.status = BatchStatus.Final;
        emit BatchFinalized(batchId, b.claimsRoot);
        bytes32 pot = _batchPot(batchId);
        uint256 pool = escrow.held(pot);
        if (pool == 0) return;
        ModelRegistry.Model memory model = registry.get(b.modelId);
        uint256 royalty = (pool * model.royaltyBps) / 10_000;
        if (royalty > 0) escrow.creditTo(pot, model.creator, royalty);
        address[] storage list = committees[batchId];
        uint256 winners;
        for (uint256 i; i < list.length; ++i) if (members[batchId][list[i]].state == MemberState.Revealed) winners++;
        uint256 share = (pool - royalty) / winners;
        for (uint256 i; i < list.length; ++i) {
            if (members[batchId][list[i]].state == MemberState.Revealed) escrow.creditTo(pot, list[i], share);
        }
        uint256 dust = escrow.held(pot);
        if (dust > 0) escrow.creditTo(pot, staking.treasury(), dust);
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
        for (uint256 i; i < claims.length; ++i) leaves[i] = claimLeaf(claims[i]);
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
        bytes32 leaf = claimLeaf(claim);
        // INVARIANT: the claim is the agreed claim for this case.
        if (claim.caseId != caseId || !LibMerkle.verify(b.claimsRoot, leaf, c.index, b.count, proof)) revert BadProof(b.claimsRoot, leaf);
        _settleCase(caseId, c, claim.output, b.modelId, awards);
    }

    /// @dev Checks the award table against the case's commitment; effects first (status), then
    ///      the escrow pays award[class] to the claimant (a claimant class only) and the rest of
    ///      the deposit to the respondent; the ERC-792 arbitrable hears the ruling.
    function _settleCase(bytes32 caseId, Case storage c, uint256 output, bytes32 modelId, bytes calldata awards) private {
        bytes32 committed = c.awards;
        bytes32 given = awardsCommitment(awards);
        // INVARIANT: the award table is the one committed to when the case was opened.
        if (given != committed) revert AwardsMismatch(caseId, committed, given);
        bool won = registry.isClaimantClass(modelId, output);
        uint256 deposit = c.amount;
        // award <= deposit: openCase checked the deposit against the table's largest award.
        uint256 award = won ? awardOf(awards, output) : 0;
        uint256 refund = deposit - award;
        c.status = CaseStatus.Settled;
        c.claimantWon = won;
        // The commitment has served (CaseOpened keeps it, Resolved records the amounts): clearing
        // the slot refunds more gas than the write costs.
        if (committed != bytes32(0)) c.awards = bytes32(0);
        emit Resolved(caseId, output, won, award, refund);
        bytes32 pot = _casePot(caseId);
        if (award > 0) {
            address claimant = c.claimant;
            if (claimant == address(0)) escrow.move(pot, _unclaimedPot(caseId), award);
            else escrow.pay(pot, claimant, award);
        }
        if (refund > 0) escrow.pay(pot, c.respondent, refund);
        uint256 d = caseDispute[caseId];
        if (d != 0) _deliverRuling(d - 1, won ? 1 : 2);
    }

    /// @dev Gas for an arbitrable's rule() inside a batch settlement, so one contract cannot
    ///      starve the rest of the batch; a ruling that fails is retried with `retryRuling`.
    uint256 internal constant RULE_GAS = 300_000;

    function _deliverRuling(uint256 disputeId, uint256 ruling) private {
        address arbitrable = disputeArbitrable[disputeId];
        bool ok;
        try IArbitrable(arbitrable).rule{gas: RULE_GAS}(disputeId, ruling) {
            ok = true;
        } catch {
            rulingPending[disputeId] = true;
        }
        emit RulingDelivered(disputeId, arbitrable, ruling, ok);
    }

    /// @notice Delivers again, with all the gas given, a final ruling whose delivery failed.
    function retryRuling(uint256 disputeId) external {
        // INVARIANT: only a failed delivery is retried, once it succeeds never again.
        if (!rulingPending[disputeId]) revert WrongCaseStatus(disputeCase(disputeId), uint8(cases[disputeCase(disputeId)].status));
        rulingPending[disputeId] = false;
        uint256 ruling = cases[disputeCase(disputeId)].claimantWon ? 1 : 2;
        address arbitrable = disputeArbitrable[disputeId];
        IArbitrable(arbitrable).rule(disputeId, ruling);
        emit RulingDelivered(disputeId, arbitrable, ruling, true);
    }

    /// @notice Sends an award held for a claimant without a wallet to the address they named
    ///         (the registrar relays the claimant's choice from the case page).
    function claimAward(bytes32 caseId, address payee) external {
        if (msg.sender != registrar) revert Unauthorized(msg.sender);
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
        uint256 d = caseDispute[caseId];
        // INVARIANT: only the case's parties (or its arbitrable contract) appeal.
        if (msg.sender != c.claimant && msg.sender != c.respondent && msg.sender != registrar && (d == 0 || msg.sender != disputeArbitrable[d - 1])) {
            revert Unauthorized(msg.sender);
        }
        _appeal(caseId, c);
    }

    function _appeal(bytes32 caseId, Case storage c) private {
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
            if (bond > 0) escrow.deposit{value: bond}(_batchPot(batchCount + 1), msg.sender);
            nb = ++batchCount;
            Batch storage ab = batches[nb];
            ab.modelId = b.modelId;
            ab.openedAt = uint64(block.timestamp);
            ab.count = 1;
            ab.size = config.appealCommitteeSize;
            ab.casesHash = keccak256(abi.encode(bytes32(0), caseId));
            c.batchId = uint56(nb);
            c.index = 0;
            emit CaseOpened(caseId, b.modelId, nb, 0, c.s0, c.claimant, c.respondent, c.amount, c.awards);
            uint256 dispute = caseDispute[caseId];
            if (dispute != 0) batchDisputes[nb].push(dispute - 1);
            _draw(nb, ab, true);
        } else {
            if (bond > 0) escrow.deposit{value: bond}(_bondPot(caseId), msg.sender);
            c.status = CaseStatus.AwaitingArbitrator;
        }
        emit Appealed(caseId, c.appealLevel, msg.sender, nb);
        uint256 d = caseDispute[caseId];
        if (d != 0) emit AppealDecision(d - 1, IArbitrable(disputeArbitrable[d - 1]));
    }

    /// @notice Level 2: a registered arbitrator decides the output class, with the hash of a
    ///         written reason; the case settles at once (with its award table `awards`, checked
    ///         against the commitment) and the bond pays the arbitrator.
    function arbitratorRule(bytes32 caseId, uint256 output, bytes32 reasonHash, bytes calldata awards) external {
        // INVARIANT: only a registered arbitrator rules, on a case appealed to level 2.
        if (!isArbitrator[msg.sender]) revert NotArbitrator(msg.sender);
        Case storage c = cases[caseId];
        if (c.status != CaseStatus.AwaitingArbitrator) revert WrongCaseStatus(caseId, uint8(c.status));
        emit ArbitratorRuled(caseId, msg.sender, output, reasonHash);
        bytes32 bondPot = _bondPot(caseId);
        uint256 bond = escrow.held(bondPot);
        if (bond > 0) escrow.creditTo(bondPot, msg.sender, bond);
        c.status = CaseStatus.Open;
        _settleCase(caseId, c, output, batches[c.batchId].modelId, awards);
    }

    // ───────────────────────────── ERC-792 ─────────────────────────────

    function _modelFromExtraData(bytes calldata extraData) private view returns (bytes32) {
        return extraData.length >= 32 ? abi.decode(extraData, (bytes32)) : config.defaultModel;
    }

    /// @inheritdoc IArbitrator
    function arbitrationCost(bytes calldata _extraData) external view returns (uint256) {
        return caseFee(_modelFromExtraData(_extraData));
    }

    /// @inheritdoc IArbitrator
    function createDispute(uint256, bytes calldata _extraData) external payable returns (uint256 disputeID) {
        bytes32 modelId = _modelFromExtraData(_extraData);
        (uint256 fee, bool deprecated) = registry.terms(modelId);
        // INVARIANT: the model takes cases and the payment covers the fee.
        if (deprecated) revert ModelIsDeprecated(modelId);
        if (msg.value < fee) revert InsufficientPayment(msg.value, fee);
        disputeID = disputeCount++;
        bytes32 caseId = keccak256(abi.encode(address(this), disputeID));
        disputeArbitrable[disputeID] = msg.sender;
        caseDispute[caseId] = disputeID + 1;
        // No award table: the arbitrable holds the money and acts on the ruling itself.
        _createCase(caseId, modelId, bytes32(0), address(0), msg.sender, 0, msg.value, bytes32(0));
        _disputeModel[caseId] = modelId;
        emit DisputeCreation(disputeID, IArbitrable(msg.sender));
    }

    mapping(bytes32 caseId => bytes32) private _disputeModel;

    /// @notice Binds the hash of the filed case record's input (S_0) to an ERC-792 dispute and
    ///         queues it for execution; the registrar only.
    function bindInput(uint256 disputeId, bytes32 s0) external {
        if (msg.sender != registrar) revert Unauthorized(msg.sender);
        bytes32 caseId = keccak256(abi.encode(address(this), disputeId));
        Case storage c = cases[caseId];
        if (c.status != CaseStatus.AwaitingInput || s0 == bytes32(0)) revert WrongCaseStatus(caseId, uint8(c.status));
        c.s0 = s0;
        c.status = CaseStatus.Open;
        bytes32 feePot = _feePot(caseId);
        uint256 fee = escrow.held(feePot);
        uint64 b = _enqueue(caseId, c, _disputeModel[caseId]);
        batchDisputes[b].push(disputeId);
        if (fee > 0) escrow.move(feePot, _batchPot(b), fee);
        if (batches[b].count >= config.maxBatch) _seal(b, false);
    }

    /// @notice The case id behind an ERC-792 dispute.
    function disputeCase(uint256 disputeId) public view returns (bytes32) {
        return keccak256(abi.encode(address(this), disputeId));
    }

    /// @inheritdoc IArbitrator
    function appeal(uint256 _disputeID, bytes calldata) external payable {
        bytes32 caseId = disputeCase(_disputeID);
        if (msg.sender != disputeArbitrable[_disputeID]) revert Unauthorized(msg.sender);
        _appeal(caseId, cases[caseId]);
    }

    /// @inheritdoc IArbitrator
    function appealCost(uint256 _disputeID, bytes calldata) external view returns (uint256) {
        return appealBond(disputeCase(_disputeID));
    }

    /// @inheritdoc IArbitrator
    function appealPeriod(uint256 _disputeID) external view returns (uint256 start, uint256 end) {
        Batch storage b = batches[cases[disputeCase(_disputeID)].batchId];
        if (b.status == BatchStatus.Proposed) return (b.windowEnd - config.challengeWindow, b.windowEnd);
    }

    /// @inheritdoc IArbitrator
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus) {
        Case storage c = cases[disputeCase(_disputeID)];
        if (c.status == CaseStatus.Settled) return DisputeStatus.Solved;
        Batch storage b = batches[c.batchId];
        if (c.status == CaseStatus.Open && b.status == BatchStatus.Proposed && block.timestamp <= b.windowEnd) {
            return DisputeStatus.Appealable;
        }
        return DisputeStatus.Waiting;
    }

    /// @inheritdoc IArbitrator
    function currentRuling(uint256 _disputeID) external view returns (uint256) {
        Case storage c = cases[disputeCase(_disputeID)];
        if (c.status != CaseStatus.Settled) return 0;
        return c.claimantWon ? 1 : 2;
    }

    // ───────────────────────────── pots ─────────────────────────────

    function _casePot(bytes32 caseId) private pure returns (bytes32) {
        return keccak256(abi.encode("case", caseId));
    }

    function _unclaimedPot(bytes32 caseId) private pure returns (bytes32) {
        return keccak256(abi.encode("unclaimed", caseId));
    }

    function _feePot(bytes32 caseId) private pure returns (bytes32) {
        return keccak256(abi.encode("fee", caseId));
    }

    function _bondPot(bytes32 caseId) private pure returns (bytes32) {
        return keccak256(abi.encode("bond", caseId));
    }

    function _batchPot(uint64 batchId) private pure returns (bytes32) {
        return keccak256(abi.encode("batch", batchId));
    }
}
