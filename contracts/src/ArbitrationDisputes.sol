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
