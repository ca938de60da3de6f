// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";
import {ArbitrationState, Claim, ClaimEvidence} from "./ArbitrationState.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {NodeStaking} from "./NodeStaking.sol";
import {IArbiterGame, IGameHost} from "./interfaces/IArbiterGame.sol";
import {LibMerkle} from "./lib/LibMerkle.sol";
import {LibTensor} from "./lib/LibTensor.sol";

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
        if (!_faceValid(batchId, index, b.modelId, registry.get(b.modelId).steps, e)) revert InvalidClaim(batchId, accuser);
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
        if (!_faceValid(batchId, index, b.modelId, model.steps, e)) {
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
}
