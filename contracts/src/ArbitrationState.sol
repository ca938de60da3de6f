// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {NodeStaking} from "./NodeStaking.sol";
import {IArbiterGame} from "./interfaces/IArbiterGame.sol";
import {ICaseOpener} from "./interfaces/ICaseOpener.sol";

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

/// @title ArbitrationState
/// @notice The storage, events and shared internals of Arbitration and of its disputes module
///         (ArbitrationDisputes), which runs by delegatecall in Arbitration's storage. Both inherit
///         this contract and declare no state of their own, so their storage layouts are the same.
abstract contract ArbitrationState {
    enum CaseStatus {
        None,
        Open, // queued or running in a batch
        AwaitingArbitrator, // appealed to level 2
        Settled,
        Refused // its input was shown invalid, or was not made available in time (issue 8 #7)
    }

    enum BatchStatus {
        None,
        Filling,
        Executing, // committee drawn: commit, then reveal
        Disputed, // revealed roots differ
        Proposed, // roots agree: challenge window running
        Final,
        Failed, // nobody revealed: redraw
        Sealed // no more cases; the committee is drawn (draw) once the seed block is mined
    }

    enum MemberState {
        None,
        Drawn,
        Committed,
        Revealed,
        InGame,
        Evicted,
        Challenger // a staked node outside the committee challenging its proposed root (challengeRoot)
    }

    /// @notice One case; four storage slots (the fourth, the award commitment, is written only
    ///         when some class awards something).
    struct Case {
        address claimant; // 0: the award waits for a payout address
        uint96 amount; // escrowed deposit, wei: covers the largest award of the table
        address respondent;
        uint48 batchId; // 48 bits, so that claimantWon and funding share this slot
        uint16 index; // position in the batch
        CaseStatus status;
        uint8 appealLevel;
        bool claimantWon;
        Funding funding; // where the deposit is: the case's pot, the respondent's account, or nowhere
        bytes32 s0;
        bytes32 awards; // awardsCommitment(table) of the per-class award table (0: empty table); cleared at settlement
    }

    /// @notice Where a case's deposit (`amount`) is held.
    enum Funding {
        Paid, // the opener paid it into the case's pot
        Reserved, // reserved in the respondent's escrow account (ArbiterEscrow.reservedOf)
        Owed // the respondent's free escrow did not cover it: decided, but the award is owed, not escrowed
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
        bool frontCases; // holds a case of the ERC-792 front, told when the verdict is proposed
        uint64 windowEnd;
        uint64 openDeadline; // once disputed: every revealed member must have opened its root by then
        uint64 seedBlock; // once sealed: the block whose hash seeds the committee draw
        bytes32 casesHash; // rolling keccak over the case ids, in order
        bytes32 claimsRoot; // the agreed root once proposed
    }

    /// @notice A committee member's progress in a batch.
    struct Member {
        MemberState state;
        bool opened; // its revealed root was opened leaf by leaf (openRoot)
        bool seat; // its seat still locks `seatStake` of its stake (released on eviction or at the batch's end)
        bytes32 value; // commitment, then revealed root
    }

    /// @notice A demand that `accused` show its claim at `index` of a disputed batch, where its
    ///         opened leaf differs from the accuser's face-valid claim (whose trace root is kept).
    struct Accusation {
        address accuser;
        uint32 index;
        uint64 deadline;
        bytes32 accuserTraceRoot;
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
        uint32 disputeWindow; // seconds to open a root once disputed, and to answer an accusation
        uint32 arbitratorWindow; // seconds a level-2 appeal waits for an arbitrator before the case is refused
    }

    /// @notice A case appealed to level 2: who appealed (its bond returns if nobody rules) and until when.
    struct Referral {
        address appellant;
        uint64 deadline;
    }

    /// @notice A level-1 appeal's link to the batch and root the case left (issue 8 #6): the
    ///         re-execution is compared with that root's claim (compareAppeal) before either batch
    ///         may finalize.
    struct Appeal {
        address appellant;
        uint64 fromBatch;
        uint16 fromIndex;
        bool pending; // not compared yet: both batches wait (finalize reverts AppealPending)
        bytes32 root; // the first committee's agreed root when the case was appealed
    }

    /// @notice The batches of a game that is not between two members of one batch (issue 8 #6):
    ///         a staked outsider against a proposed root (challengerBatch 0), or an appeal's
    ///         re-execution against the first committee.
    struct GameSides {
        uint64 defenderBatch;
        uint64 challengerBatch;
    }

    /// @notice A batch round's window for claims that an input is unavailable (issue 8 #7).
    struct InputWindow {
        uint64 seedBlock; // the round it belongs to
        uint64 deadline; // the input must be published by then, or the case is refused
    }

    /// @notice The output of the one claim that is valid for a refused case (steps 0, trace root 0).
    uint256 public constant REFUSED = type(uint256).max;
    /// @notice `inputDeadline` of a case whose input was published on chain.
    uint64 internal constant PUBLISHED = type(uint64).max;

    /// @notice Where models, their roots and prices are registered.
    ModelRegistry public immutable registry;
    /// @notice Node collateral and committee draws.
    NodeStaking public immutable staking;
    /// @notice Stake each committee seat locks while open: NodeStaking's minStake (issue 8 #10).
    uint256 public immutable seatStake;
    /// @notice The operator: seals batches early, binds ERC-792 inputs, relays walletless claimants' appeals; its
    ///         other powers go through governance (Arbitration.governance, a Timelock; issue 8 #11).
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
    /// @notice The ERC-792 front (ArbitratorFront, set once): the one opener told when its
    ///         cases' verdicts are proposed and settled (ICaseOpener).
    ICaseOpener public front;
    /// @notice The open accusation against each member of a disputed batch (accuser 0: none).
    mapping(uint64 batchId => mapping(address accused => Accusation)) public accusations;
    /// @notice Cases waiting for a level-2 arbitrator.
    mapping(bytes32 caseId => Referral) public referrals;

    // ── issue 8 #6 and #7 (appended: the layout above is unchanged) ──

    /// @notice Level-1 appeals by case.
    mapping(bytes32 caseId => Appeal) public appeals;
    /// @notice Level-1 appeals not compared yet that involve the batch (as the one left or the re-execution).
    mapping(uint64 batchId => uint16) public pendingAppeals;
    /// @notice The batches of root-challenge and appeal games (zero for a game inside one batch).
    mapping(uint256 gameId => GameSides) public gameSides;
    /// @notice Per case: 0, the deadline of an unavailability claim, or PUBLISHED.
    mapping(bytes32 caseId => uint64) public inputDeadline;
    /// @notice Per batch: the current round's unavailability window.
    mapping(uint64 batchId => InputWindow) public inputWindows;

    /// @notice Emitted when a case joins batch `batchId` at `index` (also when an appeal moves it to a new batch).
    ///         `amount` is the escrowed deposit, `awards` the commitment to the per-class award table.
    event CaseOpened(bytes32 indexed caseId, bytes32 indexed modelId, uint64 indexed batchId, uint256 index, bytes32 s0, address claimant, address respondent, uint256 amount, bytes32 awards);
    /// @notice Emitted when a batch is sealed (or must draw again): its committee will be drawn
    ///         from the hash of block `seedBlock`, which nobody knows yet.
    event SeedCommitted(uint64 indexed batchId, uint256 seedBlock);
    /// @notice Emitted when a batch's committee is drawn (after sealing, a redraw or an appeal).
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
    /// @notice Emitted when the revealed roots differ: every revealed member must open its root by
    ///         `openDeadline` (openRoot) or be evicted.
    event BatchDisputed(uint64 indexed batchId, uint256 openDeadline);
    /// @notice Emitted when `node`'s revealed root is opened: `leaves` are its claim leaves, in case order.
    event RootOpened(uint64 indexed batchId, address indexed node, bytes32[] leaves);
    /// @notice Emitted when `accused` must show its claim at `index` by `deadline` (answer) or be evicted.
    event Accused(uint64 indexed batchId, address indexed accused, address indexed accuser, uint256 index, uint256 deadline);
    /// @notice Emitted when nobody revealed: the batch needs a new committee.
    event BatchFailed(uint64 indexed batchId);
    /// @notice Emitted when the window closed: the root is final and fees are paid.
    event BatchFinalized(uint64 indexed batchId, bytes32 claimsRoot);
    /// @notice Emitted when a party appeals (level 1: `newBatchId` re-runs the case; level 2: an arbitrator rules).
    event Appealed(bytes32 indexed caseId, uint8 level, address indexed appellant, uint64 newBatchId);
    /// @notice Emitted when a registered arbitrator rules at level 2, with the hash of its written reason.
    event ArbitratorRuled(bytes32 indexed caseId, address indexed arbitrator, uint256 output, bytes32 reasonHash);
    /// @notice Emitted when no arbitrator ruled on a level-2 appeal in time: the case ends with no
    ///         award, the bond back to the appellant and the deposit to the respondent.
    event CaseRefused(bytes32 indexed caseId, address indexed appellant, uint256 bondRefund, uint256 depositRefund);
    /// @notice Emitted when a case is settled: its output, who prevailed, the award paid to the
    ///         claimant (award table entry of the output class; 0 for a respondent class) and the
    ///         rest of the deposit refunded to the respondent.
    event Resolved(bytes32 indexed caseId, uint256 output, bool claimantWon, uint256 award, uint256 refund);
    /// @notice Emitted when a case the registrar opens takes its deposit `amount` (the largest
    ///         award) from `respondent`'s escrow account: reserved (`escrowed`), or, when the
    ///         account's free balance did not cover it, owed but not escrowed.
    event DepositReserved(bytes32 indexed caseId, address indexed respondent, uint256 amount, bool escrowed);
    /// @notice Emitted when a case whose deposit was not escrowed is decided for the claimant:
    ///         `respondent` owes `claimant` the `award`, which Arbiter does not hold and did not pay.
    event AwardOwed(bytes32 indexed caseId, address indexed respondent, address claimant, uint256 award);
    /// @notice Emitted when a staked node outside a batch's committee challenges its proposed root
    ///         at `index` (a game against `defender` follows, `Challenged`).
    event RootChallenged(uint64 indexed batchId, address indexed challenger, address indexed defender, uint256 index);
    /// @notice Emitted when a level-1 appeal is compared with the first committee's root:
    ///         `changed` (the first root fell: the bond is refunded) or upheld (the bond pays the re-execution).
    event AppealClosed(bytes32 indexed caseId, uint64 indexed fromBatch, uint64 indexed batchId, bool changed, uint256 bondRefund);
    /// @notice Emitted when a drawn member claims case `caseId`'s input is not available: it must be
    ///         published (publishInput) by `deadline`, or the case is refused.
    event InputClaimed(bytes32 indexed caseId, uint64 indexed batchId, address indexed node, uint256 deadline);
    /// @notice Emitted when a case's input t_0 is published on chain (its hash is the case's S_0).
    event InputPublished(bytes32 indexed caseId, bytes input);
    /// @notice Emitted when a case ends refused: its input was shown invalid ("invalid input") or was
    ///         not published in time ("input unavailable"); the deposit goes back to the respondent.
    event InputRefused(bytes32 indexed caseId, bytes32 reason, uint256 depositRefund, uint256 bondRefund);
    /// @notice Emitted once, when the ERC-792 front is named.
    event FrontSet(address front);
    /// @notice Emitted once, when the dispute game is named.
    event GameSet(address game);
    /// @notice Emitted when a waiting award is sent to the payout address the claimant named.
    event AwardClaimed(bytes32 indexed caseId, address indexed payee, uint256 amount);
    /// @notice Emitted when a level-2 arbitrator is registered or removed.
    event ArbitratorSet(address indexed arbitrator, bool registered);

    constructor(ModelRegistry registry_, NodeStaking staking_, address registrar_) {
        registry = registry_;
        staking = staking_;
        registrar = registrar_;
        seatStake = staking_.minStake();
    }

    /// @dev The leaf of one claim in a batch's claims tree (claim commitment with a zero salt).
    function _claimLeaf(Claim calldata c) internal pure returns (bytes32) {
        return keccak256(abi.encode(c.caseId, c.modelId, c.s0, c.output, c.steps, c.traceRoot, bytes32(0)));
    }

    /// @dev Releases the stake a member's seat locks (once).
    function _release(uint64 batchId, address node) internal {
        Member storage m = members[batchId][node];
        if (!m.seat) return;
        m.seat = false;
        staking.unlock(node, seatStake);
    }

    /// @dev Proposes when every remaining member revealed the same root; disputes otherwise.
    function _evaluate(uint64 batchId, Batch storage b) internal {
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
            if (b.status != BatchStatus.Disputed) {
                b.status = BatchStatus.Disputed;
                b.openDeadline = uint64(block.timestamp + config.disputeWindow);
                emit BatchDisputed(batchId, b.openDeadline);
            }
        } else {
            b.status = BatchStatus.Proposed;
            b.claimsRoot = root;
            b.windowEnd = uint64(block.timestamp + config.challengeWindow);
            emit VerdictProposed(batchId, root, b.windowEnd);
            if (b.frontCases) front.onProposed(batchId);
        }
    }

    function _evict(uint64 batchId, address node, address beneficiary, bytes32 reason) internal {
        members[batchId][node].state = MemberState.Evicted;
        staking.slash(node, config.missSlash, beneficiary);
        _release(batchId, node);
        emit Evicted(batchId, node, reason);
    }


    // ───────────────────────────── pots ─────────────────────────────

    function _casePot(bytes32 caseId) internal pure returns (bytes32) {
        return keccak256(abi.encode("case", caseId));
    }

    function _unclaimedPot(bytes32 caseId) internal pure returns (bytes32) {
        return keccak256(abi.encode("unclaimed", caseId));
    }

    function _bondPot(bytes32 caseId) internal pure returns (bytes32) {
        return keccak256(abi.encode("bond", caseId));
    }

    function _appealPot(bytes32 caseId) internal pure returns (bytes32) {
        return keccak256(abi.encode("appeal", caseId));
    }

    function _batchPot(uint64 batchId) internal pure returns (bytes32) {
        return keccak256(abi.encode("batch", batchId));
    }
}
