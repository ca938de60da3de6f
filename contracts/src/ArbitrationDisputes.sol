// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {ArbitrationState, Claim, ClaimEvidence} from "./ArbitrationState.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {NodeStaking} from "./NodeStaking.sol";
import {IArbiterGame, IGameHost} from "./interfaces/IArbiterGame.sol";
import {LibMerkle} from "./lib/LibMerkle.sol";
import {LibTensor, TensorView} from "./lib/LibTensor.sol";
import {ArbiterEscrow} from "./ArbiterEscrow.sol";

/// @notice Arbitration's escrow (an immutable of Arbitration, read through its getter).
interface IEscrowHolder {
    function escrow() external view returns (ArbiterEscrow);
}

/// @title ArbitrationDisputes
/// @notice What happens to a batch whose revealed roots differ (PROTOCOL.md §3): challenges
///         between two members' claims, claims invalid on their face, dispute games and their
///         outcome. Arbitration forwards every call it does not know here by delegatecall, so
///         these functions run in Arbitration's storage, at Arbitration's address, with its
///         events; call them on Arbitration (server/chain/contracts.ts merges the two ABIs).
/// @dev A module rather than part of Arbitration so that each stays under EIP-170's code limit.
contract ArbitrationDisputes is ArbitrationState, IGameHost {
    constructor(ModelRegistry registry_, NodeStaking staking_, address registrar_) ArbitrationState(registry_, staking_, registrar_) {}

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
        bytes32 leafA = _claimLeaf(ea.claim);
        bytes32 leafB = _claimLeaf(eb.claim);
        // INVARIANT: each claim is the member's revealed leaf at `index`, and they differ.
        if (!LibMerkle.verify(ma.value, leafA, index, batch.count, ea.proof)) revert BadProof(ma.value, leafA);
        if (!LibMerkle.verify(mb.value, leafB, index, batch.count, eb.proof)) revert BadProof(mb.value, leafB);
        if (leafA == leafB) revert NoDisagreement(leafA);
        ModelRegistry.Model memory model = registry.get(batch.modelId);
        (bool validA, bool validB) = _facePair(batchId, index, batch.modelId, model.steps, ea, eb);
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

    // ───────────────────────────── a way out of a disputed batch ─────────────────────────────
    //
    // A challenge needs both members' claims with their proofs. A member that reveals a root it
    // never opens, or one that differs from the honest root only in a padding leaf (which no proof
    // reaches), would leave nothing to challenge and freeze the batch (issue 8 #2). So once the
    // batch is disputed every revealed member must open its root leaf by leaf within
    // disputeWindow (the padding is then zero by construction: rootOf pads with zeros, so a root
    // with a non-zero padding leaf cannot be opened); and a member whose opened leaf differs from
    // another member's face-valid claim must show the claim behind it (answer) within
    // disputeWindow. closeDispute evicts and slashes whoever did neither; the batch is then
    // re-evaluated (proposed, still disputed between opened members, or failed and redrawn).

    /// @notice Opens `node`'s revealed root: `leaves` are its claim leaves in case order (exactly
    ///         the batch's count; the padding is zero). Anyone may call it with the right leaves.
    function openRoot(uint64 batchId, address node, bytes32[] calldata leaves) external {
        Batch storage b = batches[batchId];
        Member storage m = members[batchId][node];
        // INVARIANT: roots are opened while the batch is disputed, once, by members that revealed.
        if (b.status != BatchStatus.Disputed) revert WrongBatchStatus(batchId, uint8(b.status));
        if ((m.state != MemberState.Revealed && m.state != MemberState.InGame) || m.opened) revert NotCommitteeMember(batchId, node);
        bytes32 root = LibMerkle.rootOf(leaves);
        // INVARIANT: the leaves are all of the batch's and rebuild the revealed root, zero padding included.
        if (leaves.length != b.count || root != m.value) revert BadProof(m.value, root);
        m.opened = true;
        emit RootOpened(batchId, node, leaves);
    }

    /// @notice `accuser` shows its face-valid claim for the case at `index` and `accused`'s leaf
    ///         there (e.g. from its opened root), which differs: the accused must answer with the
    ///         claim behind its leaf within disputeWindow, or be evicted by closeDispute.
    function accuse(
        uint64 batchId,
        uint256 index,
        address accuser,
        ClaimEvidence calldata e,
        address accused,
        bytes32 accusedLeaf,
        bytes32[] calldata accusedProof
    ) external {
        Batch storage b = batches[batchId];
        Member storage ma = members[batchId][accuser];
        Member storage mb = members[batchId][accused];
        // INVARIANT: accusations run in a disputed batch, between two revealed members, one at a time per accused.
        if (b.status != BatchStatus.Disputed) revert WrongBatchStatus(batchId, uint8(b.status));
        if (ma.state != MemberState.Revealed) revert NotCommitteeMember(batchId, accuser);
        if (mb.state != MemberState.Revealed || accuser == accused) revert NotCommitteeMember(batchId, accused);
        if (accusations[batchId][accused].accuser != address(0)) revert AlreadyAccused(batchId, accused);
        bytes32 leaf = _claimLeaf(e.claim);
        // INVARIANT: both leaves sit at `index` under their member's root, differ, and the accuser's claim is valid.
        if (!LibMerkle.verify(ma.value, leaf, index, b.count, e.proof)) revert BadProof(ma.value, leaf);
        if (!LibMerkle.verify(mb.value, accusedLeaf, index, b.count, accusedProof)) revert BadProof(mb.value, accusedLeaf);
        if (leaf == accusedLeaf) revert NoDisagreement(leaf);
        if (!_faceProven(batchId, index, b.modelId, registry.get(b.modelId).steps, e)) revert InvalidClaim(batchId, accuser);
        uint64 deadline = uint64(block.timestamp + config.disputeWindow);
        accusations[batchId][accused] = Accusation(accuser, uint32(index), deadline, e.claim.traceRoot);
        emit Accused(batchId, accused, accuser, index, deadline);
    }

    /// @notice `accused` shows the claim behind its accused leaf. Invalid on its face: it is
    ///         evicted and slashed (the reward to the accuser). Valid: the accuser's and its claim
    ///         go to a DisputeGame (the accuser defends). While the accuser plays another game the
    ///         answer is checked and the deadline extended by disputeWindow instead.
    function answer(uint64 batchId, address accused, ClaimEvidence calldata e) external returns (uint256 gameId) {
        Batch storage b = batches[batchId];
        Accusation storage acc = accusations[batchId][accused];
        Member storage m = members[batchId][accused];
        address accuser = acc.accuser;
        // INVARIANT: an open accusation is answered with the accused's own leaf at the accused index.
        if (accuser == address(0) || b.status != BatchStatus.Disputed) revert NotAccused(batchId, accused);
        uint256 index = acc.index;
        bytes32 leaf = _claimLeaf(e.claim);
        if (!LibMerkle.verify(m.value, leaf, index, b.count, e.proof)) revert BadProof(m.value, leaf);
        ModelRegistry.Model memory model = registry.get(b.modelId);
        if (!_faceProven(batchId, index, b.modelId, model.steps, e)) {
            delete accusations[batchId][accused];
            _evict(batchId, accused, accuser, "invalid claim");
            _evaluate(batchId, b);
            return 0;
        }
        Member storage ma = members[batchId][accuser];
        if (ma.state == MemberState.InGame) {
            acc.deadline = uint64(block.timestamp + config.disputeWindow);
            emit Accused(batchId, accused, accuser, index, acc.deadline);
            return 0;
        }
        bytes32 accuserRoot = acc.accuserTraceRoot;
        delete accusations[batchId][accused];
        // An accuser evicted meanwhile (lost another game) leaves nothing to play against.
        if (ma.state != MemberState.Revealed || m.state != MemberState.Revealed) return 0;
        bytes32 caseId = e.claim.caseId;
        ma.state = MemberState.InGame;
        m.state = MemberState.InGame;
        b.games++;
        gameId = game.create(batchId, caseId, accuser, accused, accuserRoot, e.claim.traceRoot, cases[caseId].s0, model.modelRoot, model.steps);
        gameCase[gameId] = caseId;
        emit Challenged(batchId, caseId, gameId, accuser, accused);
    }

    /// @notice With no game running: after the open deadline, evicts and slashes every revealed
    ///         member that did not open its root; after an accusation's deadline, evicts the
    ///         accused (reward to the accuser, if it still stands). Then re-evaluates the batch.
    function closeDispute(uint64 batchId) external {
        Batch storage b = batches[batchId];
        // INVARIANT: a disputed batch closes between games, only when someone is overdue.
        if (b.status != BatchStatus.Disputed) revert WrongBatchStatus(batchId, uint8(b.status));
        if (b.games > 0) revert GamesRunning(batchId, b.games);
        bool openOver = block.timestamp > b.openDeadline;
        address[] storage list = committees[batchId];
        bool evicted;
        for (uint256 i; i < list.length; ++i) {
            address node = list[i];
            Member storage m = members[batchId][node];
            if (m.state != MemberState.Revealed) continue;
            if (openOver && !m.opened) {
                _evict(batchId, node, address(0), "unopened");
                evicted = true;
                continue;
            }
            Accusation storage acc = accusations[batchId][node];
            address accuser = acc.accuser;
            if (accuser == address(0) || block.timestamp <= acc.deadline) continue;
            delete accusations[batchId][node];
            if (members[batchId][accuser].state != MemberState.Revealed) continue;
            _evict(batchId, node, accuser, "unanswered");
            evicted = true;
        }
        if (!evicted) revert NothingToClose(batchId);
        _evaluate(batchId, b);
    }

    /// @dev A claim is valid on its face when it names the case at `index` of this batch, its
    ///      model, input and step count, and its output is a class (≤ int64 max). `proven`: its
    ///      final-state proof shows the output is the trace's last state S_n = 1×1 tensor. A proof
    ///      that fails proves nothing against the claim (anyone may send evidence, and a wrong
    ///      proof must not evict an honest member): it counts against it only next to a proven
    ///      claim over the same trace (_facePair), or where the claim's owner must show it (_faceProven).
    function _face(uint64 batchId, uint256 index, bytes32 modelId, uint32 steps, ClaimEvidence calldata e)
        private
        view
        returns (bool valid, bool proven)
    {
        Claim calldata c = e.claim;
        Case storage cs = cases[c.caseId];
        if (cs.status == CaseStatus.None) return (false, false);
        // The case sits at `index` of this batch, or sat there before a level-1 appeal moved it.
        if (cs.batchId != batchId || cs.index != index) {
            Appeal storage ap = appeals[c.caseId];
            if (ap.fromBatch != batchId || ap.fromIndex != index) return (false, false);
        }
        if (c.modelId != modelId || c.s0 != cs.s0) return (false, false);
        // A refused case has one valid claim: output REFUSED, no steps, no trace (issue 8 #7).
        if (cs.status == CaseStatus.Refused) return (c.output == REFUSED && c.steps == 0 && c.traceRoot == bytes32(0), true);
        if (c.steps != steps) return (false, false);
        if (c.output > uint256(LibTensor.INT64_MAX)) return (false, false);
        int256[] memory out = new int256[](1);
        out[0] = int256(c.output);
        (, bytes32 last) = LibTensor.stateHash(steps, 1, 1, out);
        return (true, LibMerkle.verify(c.traceRoot, last, steps, uint256(steps) + 1, e.finalProof));
    }

    /// @dev Two differing claims judged together: over the same trace (one S_n), a proven output
    ///      shows that an unproven, different one is not its last state; over different traces the
    ///      game decides.
    function _facePair(uint64 batchId, uint256 index, bytes32 modelId, uint32 steps, ClaimEvidence calldata a, ClaimEvidence calldata b)
        private
        view
        returns (bool validA, bool validB)
    {
        bool pa;
        bool pb;
        (validA, pa) = _face(batchId, index, modelId, steps, a);
        (validB, pb) = _face(batchId, index, modelId, steps, b);
        if (validA && validB && a.claim.traceRoot == b.claim.traceRoot) {
            if (pa && !pb) validB = false;
            else if (pb && !pa) validA = false;
        }
    }

    /// @dev A claim its owner shows (an accuser's, an answer): invalid on its face → false; a
    ///      final-state proof that fails reverts (whoever sent it must send the right one).
    function _faceProven(uint64 batchId, uint256 index, bytes32 modelId, uint32 steps, ClaimEvidence calldata e) private view returns (bool) {
        (bool valid, bool proven) = _face(batchId, index, modelId, steps, e);
        if (valid && !proven) revert BadProof(e.claim.traceRoot, bytes32(e.claim.output));
        return valid;
    }

    /// @inheritdoc IGameHost
    function onGameResolved(uint256 gameId, IArbiterGame.Outcome outcome) external {
        // INVARIANT: only the game reports outcomes.
        if (msg.sender != address(game)) revert Unauthorized(msg.sender);
        (address defender, address challenger) = game.parties(gameId);
        GameSides memory sides = gameSides[gameId];
        if (sides.defenderBatch != 0) return _sidesResolved(sides, defender, challenger, outcome);
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

    // ───────────────────────────── proposed roots and appeals (issue 8 #6) ─────────────────────────────
    //
    // A proposed root is not beyond reach: within its window (or while a level-1 appeal of one of
    // its cases waits), any staked node outside the committee may challenge it with its own claim
    // for one case (challengeRoot): a game against a member that revealed the root, the outsider's
    // seat locked meanwhile. A level-1 appeal's re-execution is compared with the first
    // committee's claim (compareAppeal): equal, the appeal is upheld (the bond pays the
    // re-execution); different, a game between a member of each committee decides; once the first
    // root has fallen, the bond goes back to the appellant. Neither batch finalizes before.

    /// @notice A staked node outside the committee challenges batch `batchId`'s proposed root at
    ///         `index`: `agreed` is the root's claim there (proven against it), `mine` the caller's
    ///         differing, face-valid claim. An agreed claim invalid on its face evicts every member
    ///         that revealed the root (reward to the caller); otherwise a game against `defender`.
    function challengeRoot(uint64 batchId, uint256 index, address defender, ClaimEvidence calldata agreed, ClaimEvidence calldata mine)
        external
        returns (uint256 gameId)
    {
        Batch storage b = batches[batchId];
        // INVARIANT: a proposed root is challenged within its window (or while an appeal of one of its
        // cases waits), by a node outside its committee, against a member that revealed it.
        if (b.status != BatchStatus.Proposed) revert WrongBatchStatus(batchId, uint8(b.status));
        if (block.timestamp > b.windowEnd && pendingAppeals[batchId] == 0) revert TooLate(block.timestamp, b.windowEnd);
        if (members[batchId][msg.sender].state != MemberState.None) revert NotCommitteeMember(batchId, msg.sender);
        if (members[batchId][defender].state != MemberState.Revealed) revert NotCommitteeMember(batchId, defender);
        bytes32 leaf = _claimLeaf(agreed.claim);
        bytes32 own = _claimLeaf(mine.claim);
        if (!LibMerkle.verify(b.claimsRoot, leaf, index, b.count, agreed.proof)) revert BadProof(b.claimsRoot, leaf);
        if (leaf == own) revert NoDisagreement(leaf);
        ModelRegistry.Model memory model = registry.get(b.modelId);
        (bool validAgreed, bool validMine) = _facePair(batchId, index, b.modelId, model.steps, agreed, mine);
        if (!validMine) revert InvalidClaim(batchId, msg.sender);
        emit RootChallenged(batchId, msg.sender, defender, index);
        if (!validAgreed) {
            _evictRoot(batchId, b, msg.sender);
            return 0;
        }
        // The challenger's seat backs its game slash, as a member's does.
        staking.lock(msg.sender, seatStake);
        members[batchId][msg.sender] = Member(MemberState.Challenger, false, true, own);
        gameId = _sidesGame(batchId, defender, agreed.claim.traceRoot, 0, msg.sender, mine.claim, model);
    }

    /// @notice Compares a level-1 appeal's re-execution with the first committee's result, once the
    ///         re-execution's root is proposed: `first` is the first root's claim for the case (at
    ///         the index it had), `second` the re-execution's. Equal: upheld. Different: a game
    ///         between a member of each committee (a claim invalid on its face evicts its whole
    ///         committee instead). The first root fallen (its members evicted): changed, the bond
    ///         back to the appellant. Anyone may call it; both batches may finalize once it closed.
    function compareAppeal(bytes32 caseId, ClaimEvidence calldata first, ClaimEvidence calldata second) external returns (uint256 gameId) {
        Appeal storage ap = appeals[caseId];
        if (!ap.pending) revert NoAppeal(caseId);
        uint64 fb = ap.fromBatch;
        uint64 nb = cases[caseId].batchId;
        Batch storage b1 = batches[fb];
        Batch storage b2 = batches[nb];
        // INVARIANT: the re-execution's root is agreed, and no game of either batch runs.
        if (b1.games > 0) revert GamesRunning(fb, b1.games);
        if (b2.status != BatchStatus.Proposed) revert WrongBatchStatus(nb, uint8(b2.status));
        if (b1.status != BatchStatus.Proposed || b1.claimsRoot != ap.root) return _closeAppeal(caseId, ap, nb, true);
        bytes32 l1 = _claimLeaf(first.claim);
        bytes32 l2 = _claimLeaf(second.claim);
        if (!LibMerkle.verify(ap.root, l1, ap.fromIndex, b1.count, first.proof)) revert BadProof(ap.root, l1);
        if (!LibMerkle.verify(b2.claimsRoot, l2, 0, 1, second.proof)) revert BadProof(b2.claimsRoot, l2);
        if (l1 == l2) return _closeAppeal(caseId, ap, nb, false);
        ModelRegistry.Model memory model = registry.get(b2.modelId);
        (bool v1, bool v2) = _facePair(nb, 0, b2.modelId, model.steps, first, second);
        if (!v1) _evictRoot(fb, b1, address(0));
        if (!v2) _evictRoot(nb, b2, address(0));
        if (!v1 || !v2) return 0;
        (address d, address ch) = _pair(fb, nb);
        if (d == ch) {
            // The one member left on each side is one node that revealed both results: it contradicted itself.
            _evict(fb, d, address(0), "invalid claim");
            _evict(nb, d, address(0), "invalid claim");
            _evaluate(fb, b1);
            _evaluate(nb, b2);
            return 0;
        }
        gameId = _sidesGame(fb, d, first.claim.traceRoot, nb, ch, second.claim, model);
    }

    /// @dev A revealed member of each batch, two different nodes when there are (a node may sit on both committees).
    function _pair(uint64 fb, uint64 nb) private view returns (address d, address ch) {
        address[] storage l1 = committees[fb];
        address[] storage l2 = committees[nb];
        for (uint256 i; i < l1.length; ++i) {
            if (members[fb][l1[i]].state != MemberState.Revealed) continue;
            for (uint256 j; j < l2.length; ++j) {
                if (members[nb][l2[j]].state != MemberState.Revealed) continue;
                (d, ch) = (l1[i], l2[j]);
                if (d != ch) return (d, ch);
            }
        }
    }

    /// @dev Ends the appeal's wait: upheld, the bond pays the re-execution's committee; changed, it
    ///      goes back to the appellant.
    function _closeAppeal(bytes32 caseId, Appeal storage ap, uint64 nb, bool changed) private returns (uint256) {
        ap.pending = false;
        pendingAppeals[ap.fromBatch]--;
        pendingAppeals[nb]--;
        ArbiterEscrow escrow = IEscrowHolder(address(this)).escrow();
        bytes32 pot = _appealPot(caseId);
        uint256 bond = escrow.held(pot);
        emit AppealClosed(caseId, ap.fromBatch, nb, changed, changed ? bond : 0);
        if (bond > 0) {
            if (changed) escrow.pay(pot, ap.appellant, bond);
            else escrow.move(pot, _batchPot(nb), bond);
        }
        return 0;
    }

    /// @dev Every member that revealed the batch's root holds the same claim, invalid on its face: all are evicted.
    function _evictRoot(uint64 batchId, Batch storage b, address beneficiary) private {
        address[] storage list = committees[batchId];
        for (uint256 i; i < list.length; ++i) {
            if (members[batchId][list[i]].state == MemberState.Revealed) _evict(batchId, list[i], beneficiary, "invalid claim");
        }
        _evaluate(batchId, b);
    }

    /// @dev Opens a game between `defender` of batch `db` and `challenger` of batch `cb` (0: an
    ///      outsider); both batches are disputed while it runs, so neither finalizes.
    function _sidesGame(uint64 db, address defender, bytes32 defenderRoot, uint64 cb, address challenger, Claim calldata c, ModelRegistry.Model memory model)
        private
        returns (uint256 gameId)
    {
        _enterGame(db, defender);
        if (cb != 0) _enterGame(cb, challenger);
        gameId = game.create(db, c.caseId, defender, challenger, defenderRoot, c.traceRoot, cases[c.caseId].s0, model.modelRoot, model.steps);
        gameCase[gameId] = c.caseId;
        gameSides[gameId] = GameSides(db, cb);
        emit Challenged(db, c.caseId, gameId, defender, challenger);
        if (cb != 0) emit Challenged(cb, c.caseId, gameId, defender, challenger);
    }

    function _enterGame(uint64 batchId, address node) private {
        Batch storage b = batches[batchId];
        b.status = BatchStatus.Disputed;
        b.games++;
        members[batchId][node].state = MemberState.InGame;
    }

    /// @dev A root-challenge or appeal game ended: the loser leaves its batch, each batch is
    ///      re-evaluated (proposed again with a new window while a member still stands by its root,
    ///      failed and redrawn once none does); an outsider's seat is released.
    function _sidesResolved(GameSides memory s, address defender, address challenger, IArbiterGame.Outcome outcome) private {
        _leaveGame(s.defenderBatch, defender, outcome == IArbiterGame.Outcome.DefenderWins);
        if (s.challengerBatch != 0) {
            _leaveGame(s.challengerBatch, challenger, outcome == IArbiterGame.Outcome.ChallengerWins);
        } else {
            _release(s.defenderBatch, challenger);
            delete members[s.defenderBatch][challenger];
        }
    }

    function _leaveGame(uint64 batchId, address node, bool won) private {
        Batch storage b = batches[batchId];
        b.games--;
        if (won) {
            members[batchId][node].state = MemberState.Revealed;
        } else {
            members[batchId][node].state = MemberState.Evicted;
            _release(batchId, node);
            emit Evicted(batchId, node, "lost game");
        }
        _evaluate(batchId, b);
    }

    // ───────────────────────────── refusing a bad input (issue 8 #7) ─────────────────────────────
    //
    // The opener supplies S_0 only. A node shown an input that is no valid input of the model (not
    // a canonical 1 × n tensor encoding, n the model's feature count, or a value outside the
    // feature's declared range) proves it with the bytes (refuseInput); a drawn node that was
    // not given the input claims it unavailable (claimUnavailable), and anyone who has it answers
    // by publishing it (publishInput) before the deadline, or the case is refused
    // (refuseUnavailable). A refused case ends with no award, the deposit back to the respondent.

    /// @notice Whether `input` (enc(t_0)) is a valid input of `modelId` given its declared ranges
    ///         (`ranges`, checked against the registry; ignored while none are declared, when only
    ///         the encoding is checked). The runner refuses exactly these inputs (server/inference/execution.ts).
    function inputValid(bytes32 modelId, bytes calldata input, bytes calldata ranges) public view returns (bool) {
        bytes32 declared = registry.inputRanges(modelId);
        // INVARIANT: the ranges are the ones the model's creator declared.
        if (declared != bytes32(0) && keccak256(ranges) != declared) revert BadProof(declared, keccak256(ranges));
        (bool ok, TensorView memory v) = LibTensor.read(input);
        if (!ok || !LibTensor.isCanonical(v)) return false;
        if (declared == bytes32(0)) return true;
        if (v.rows != 1 || v.cols != ranges.length / 16) return false;
        for (uint256 i; i < v.cols; ++i) {
            int256 x = LibTensor.at(v, i);
            uint256 off = i * 16;
            if (x < int64(uint64(bytes8(ranges[off:off + 8]))) || x > int64(uint64(bytes8(ranges[off + 8:off + 16])))) return false;
        }
        return true;
    }

    /// @notice Anyone shows an open case's input (hashing to its S_0) that is not a valid input of
    ///         its model: the case is refused.
    function refuseInput(bytes32 caseId, bytes calldata input, bytes calldata ranges) external {
        Case storage c = _openCase(caseId);
        _checkInput(c, input);
        if (inputValid(batches[c.batchId].modelId, input, ranges)) revert InputValid(caseId);
        _refuse(caseId, c, "invalid input");
    }

    /// @notice A drawn member that has not committed yet claims it was not given an open case's
    ///         input: it must be published by the round's input deadline (the first claim of a
    ///         round sets it to disputeWindow ahead and moves the commit and reveal deadlines after
    ///         it), or anyone refuses the case. Once per case.
    function claimUnavailable(bytes32 caseId) external {
        Case storage c = _openCase(caseId);
        uint64 batchId = c.batchId;
        Batch storage b = batches[batchId];
        // INVARIANT: only a drawn member of the case's batch, before committing, claims once per case.
        if (b.status != BatchStatus.Executing) revert WrongBatchStatus(batchId, uint8(b.status));
        if (members[batchId][msg.sender].state != MemberState.Drawn) revert NotCommitteeMember(batchId, msg.sender);
        if (inputDeadline[caseId] != 0) revert InputClaimedAlready(caseId);
        InputWindow storage w = inputWindows[batchId];
        if (w.seedBlock != b.seedBlock) {
            // The round's first claim: before the commit deadline; the committee gets its commit
            // and reveal windows again after the input deadline.
            if (block.timestamp > b.commitDeadline) revert TooLate(block.timestamp, b.commitDeadline);
            w.seedBlock = b.seedBlock;
            w.deadline = uint64(block.timestamp + config.disputeWindow);
            if (b.commitDeadline < w.deadline + config.commitWindow) {
                b.commitDeadline = w.deadline + config.commitWindow;
                b.revealDeadline = b.commitDeadline + config.revealWindow;
            }
        } else if (block.timestamp + config.disputeWindow / 2 > w.deadline) {
            // Later claims leave whoever has the input at least half the window to publish it.
            revert TooLate(block.timestamp, w.deadline - config.disputeWindow / 2);
        }
        inputDeadline[caseId] = w.deadline;
        emit InputClaimed(caseId, batchId, msg.sender, w.deadline);
    }

    /// @notice Anyone publishes an open case's input (hashing to its S_0), answering a claim that
    ///         it is unavailable; the nodes read it from `InputPublished`.
    function publishInput(bytes32 caseId, bytes calldata input) external {
        Case storage c = _openCase(caseId);
        if (inputDeadline[caseId] == PUBLISHED) revert InputClaimedAlready(caseId);
        _checkInput(c, input);
        inputDeadline[caseId] = PUBLISHED;
        emit InputPublished(caseId, input);
    }

    /// @notice After an unavailability claim's deadline with the input still unpublished, anyone
    ///         refuses the case.
    function refuseUnavailable(bytes32 caseId) external {
        Case storage c = _openCase(caseId);
        uint64 d = inputDeadline[caseId];
        // INVARIANT: only a claimed, unanswered input past its deadline refuses a case.
        if (d == 0 || d == PUBLISHED || block.timestamp <= d) revert InputNotOverdue(caseId);
        _refuse(caseId, c, "input unavailable");
    }

    function _openCase(bytes32 caseId) private view returns (Case storage c) {
        c = cases[caseId];
        if (c.status != CaseStatus.Open) revert WrongCaseStatus(caseId, uint8(c.status));
    }

    /// @dev INVARIANT: the bytes shown are the case's input: S_0 = keccak256(uint32 0 ‖ enc(t_0)).
    function _checkInput(Case storage c, bytes calldata input) private view {
        bytes32 h = keccak256(abi.encodePacked(uint32(0), input));
        if (h != c.s0) revert BadProof(c.s0, h);
    }

    /// @dev Ends a case refused: no award, the deposit back to the respondent, a level-1 appeal's
    ///      bond back to its appellant (the appeal closes), an ERC-792 dispute ruled 0.
    function _refuse(bytes32 caseId, Case storage c, bytes32 reason) private {
        c.status = CaseStatus.Refused;
        if (c.awards != bytes32(0)) c.awards = bytes32(0);
        ArbiterEscrow escrow = IEscrowHolder(address(this)).escrow();
        Funding funding = c.funding;
        // An owed deposit was never escrowed: nothing returns.
        uint256 deposit = funding == Funding.Owed ? 0 : c.amount;
        uint256 bond;
        Appeal storage ap = appeals[caseId];
        if (ap.pending) {
            ap.pending = false;
            pendingAppeals[ap.fromBatch]--;
            pendingAppeals[c.batchId]--;
            bond = escrow.held(_appealPot(caseId));
        }
        emit InputRefused(caseId, reason, deposit, bond);
        if (bond > 0) escrow.pay(_appealPot(caseId), ap.appellant, bond);
        // A reserved deposit is released in the respondent's account; a paid one is sent back.
        if (funding == Funding.Reserved) escrow.release(c.respondent, deposit, bytes32(0), 0);
        else if (deposit > 0) escrow.pay(_casePot(caseId), c.respondent, deposit);
        if (c.respondent == address(front)) front.onRefused(caseId, ap.appellant == address(front) ? bond : 0);
    }
}
