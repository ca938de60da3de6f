// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

// Every custom error of Arbiter's contracts, in one file (as Optimism's dispute/lib/Errors.sol).
// Each carries the failing values.

// ── access ──
/// @notice Thrown when `caller` may not call this function.
error Unauthorized(address caller);
/// @notice Thrown when `caller` is not a registered level-2 arbitrator.
error NotArbitrator(address caller);
/// @notice Thrown when a payout function is entered again during a payout.
error Reentrancy();

// ── models ──
/// @notice Thrown when model `modelId` is already registered.
error ModelExists(bytes32 modelId);
/// @notice Thrown when `caller` is not `creator`, the creator of model `modelId`'s family.
error NotModelCreator(bytes32 modelId, address caller, address creator);
/// @notice Thrown when a model has no steps or no model root.
error InvalidModel(bytes32 modelId);
/// @notice Thrown when a share exceeds 10,000 basis points.
error InvalidShare(uint256 bps);
/// @notice Thrown when a claimant-class bitmap reaches class `classIndex`, which no model output can take (≥ ModelRegistry.MAX_CLASSES).
error ClassOutOfRange(bytes32 modelId, uint256 classIndex);
/// @notice Thrown when deprecating model `modelId` a second time.
error ModelDeprecatedAlready(bytes32 modelId);
/// @notice Thrown when model `modelId` is not registered.
error UnknownModel(bytes32 modelId);
/// @notice Thrown when opening a case on deprecated model `modelId`.
error ModelIsDeprecated(bytes32 modelId);

// ── stakes and money ──
/// @notice Thrown when `node` does not serve `modelId`.
error NotServing(address node, bytes32 modelId);
/// @notice Thrown when `node` has `stake` but `needed` was asked.
error InsufficientStake(address node, uint256 stake, uint256 needed);
/// @notice Thrown when `account` has nothing to withdraw.
error NothingToWithdraw(address account);
/// @notice Thrown when sending `amount` to `to` failed.
error TransferFailed(address to, uint256 amount);
/// @notice Thrown when pot `pot` holds `held` but `needed` was asked.
error InsufficientPot(bytes32 pot, uint256 held, uint256 needed);
/// @notice Thrown when `paid` wei were sent but `needed` are due.
error InsufficientPayment(uint256 paid, uint256 needed);
/// @notice Thrown when `account` withdraws `amount` but only `free` of its escrow account is not reserved.
error InsufficientFree(address account, uint256 free, uint256 amount);
/// @notice Thrown when an award does not fit the packed 96-bit amount.
error AmountTooLarge(uint256 amount);
/// @notice Thrown when a case's deposit `deposit` is below the largest award `award` of its table.
error DepositBelowAward(uint256 deposit, uint256 award);
/// @notice Thrown when an award table is malformed (`length` not a multiple of 12 bytes, or
///         not one table per claim).
error BadAwardTable(uint256 length);
/// @notice Thrown when the award table given at settlement hashes to `given`, not the
///         commitment `committed` made when case `caseId` was opened.
error AwardsMismatch(bytes32 caseId, bytes32 committed, bytes32 given);
/// @notice Thrown when no staked node serves `modelId`.
error NoEligibleNodes(bytes32 modelId);

// ── cases and batches ──
/// @notice Thrown when case `caseId` already exists.
error CaseExists(bytes32 caseId);
/// @notice Thrown when case `caseId` is in `status`, not the one this call needs.
error WrongCaseStatus(bytes32 caseId, uint8 status);
/// @notice Thrown when batch `batchId` is in `status`, not the one this call needs.
error WrongBatchStatus(uint64 batchId, uint8 status);
/// @notice Thrown when called at `now`, before `notBefore`.
error TooEarly(uint256 now_, uint256 notBefore);
/// @notice Thrown when called at `now`, after `deadline`.
error TooLate(uint256 now_, uint256 deadline);
/// @notice Thrown when `node` is not a committee member of batch `batchId` in the needed state.
error NotCommitteeMember(uint64 batchId, address node);
/// @notice Thrown when `node`'s reveal gives `got`, not its commitment `committed`.
error CommitmentMismatch(uint64 batchId, address node, bytes32 committed, bytes32 got);
/// @notice Thrown when `leaf` (or a computed root) is not proven against `root`.
error BadProof(bytes32 root, bytes32 leaf);
/// @notice Thrown when a case was already appealed twice.
error AppealLimit(bytes32 caseId);

// ── the game ──
/// @notice Thrown when two claims that should differ are equal (`value`).
error NoDisagreement(bytes32 value);
/// @notice Thrown when game `gameId` is in `phase`, not the one this call needs.
error WrongPhase(uint256 gameId, uint8 phase);
/// @notice Thrown when `caller` moves in game `gameId` but it is `mover`'s turn.
error NotYourTurn(uint256 gameId, address caller, address mover);
/// @notice Thrown when a move posts `got` nodes instead of `expected`.
error WrongNodeCount(uint256 got, uint256 expected);
/// @notice Thrown when posted nodes hash to `got` instead of `expected`.
error NodesMismatch(uint256 gameId, bytes32 expected, bytes32 got);
/// @notice Thrown when the given t_lo hashes to `got`, which is not the agreed S_lo under `expected`.
error PrestateMismatch(uint256 gameId, bytes32 expected, bytes32 got);
/// @notice Thrown when step `step`'s leaf `leaf` is not proven against the model root.
error StepNotInModel(uint256 gameId, uint256 step, bytes32 leaf);
/// @notice Thrown when a timeout is claimed with `left` seconds still on the mover's clock.
error ClockNotExpired(uint256 gameId, uint256 left);
/// @notice Thrown when `mover`'s clock ran out: the timeout must be claimed instead.
error ClockExpired(address mover);

// ── the one-step referee: malformed step encodings (they revert; they are never an invalid step) ──
/// @notice Thrown when a step names opcode `op`, which the referee does not have.
error UnknownOpcode(uint8 op);
/// @notice Thrown when opcode `op` takes `expected` attribute bytes but `got` were given: the
///         opcode fixes where a step leaf's attrs end and its constant begins.
error AttrsLength(uint8 op, uint256 got, uint256 expected);
/// @notice Thrown when the constant of a step with opcode `op` (`length` bytes) is not a
///         well-formed tensor encoding (width byte not 1, 2, 4 or 8, or a wrong length).
error MalformedConstant(uint8 op, uint256 length);
/// @notice Thrown when the constant of a step with opcode `op` uses width `width`, wider than its
///         values need (the encoding is canonical, PROTOCOL.md §2).
error NonCanonicalConstant(uint8 op, uint256 width);
/// @notice Thrown when opcode `op` takes the empty constant but was given a `rows`×`cols` one.
error ConstantShape(uint8 op, uint256 rows, uint256 cols);

// ── ERC-792 ──
/// @notice Thrown when ERC-792 dispute `disputeId` was never created.
error UnknownDispute(uint256 disputeId);
/// @notice Thrown when a dispute offers `choices` rulings: Arbiter's two outcomes need at least two.
error BadChoices(uint256 choices);
/// @notice Thrown when a ruling mapping is not two distinct rulings in 1 … choices, or differs from the one the arbitrable pinned.
error BadRulings(uint256 claimantRuling, uint256 respondentRuling, uint256 choices);

// ── governance ──
/// @notice Thrown when timelocked operation `id` is not in the state the call needs (`readyAt` 0: unknown, 1: done).
error OperationState(bytes32 id, uint256 readyAt);
/// @notice Thrown when a level-2 ruling names a class no model can output.
error OutputOutOfRange(uint256 output);

// ── disputed batches ──
/// @notice Thrown when `node` has no open accusation in batch `batchId`.
error NotAccused(uint64 batchId, address node);
/// @notice Thrown when `node` already has an open accusation in batch `batchId`.
error AlreadyAccused(uint64 batchId, address node);
/// @notice Thrown when `node`'s claim in batch `batchId` is invalid on its face where a valid one is needed.
error InvalidClaim(uint64 batchId, address node);
/// @notice Thrown when batch `batchId` still runs `games` dispute games.
error GamesRunning(uint64 batchId, uint256 games);
/// @notice Thrown when closing a disputed batch `batchId` finds nobody to evict yet.
error NothingToClose(uint64 batchId);

// ── staking ──
/// @notice Thrown when `modelId` lists MAX_SERVERS nodes and the caller's stake is not above the least, `lowest`.
error ServerListFull(bytes32 modelId, uint256 lowest);
/// @notice Thrown when a slash of `slash` exceeds the `seat` stake a committee seat locks.
error SlashExceedsSeat(uint256 slash, uint256 seat);
/// @notice Thrown when missing a commit or reveal (`missSlash`) would cost less than losing a game (`gameSlash`).
error SilenceTooCheap(uint256 missSlash, uint256 gameSlash);

// ── appeals and refused inputs (issue 8 #6, #7) ──
/// @notice Thrown when batch `batchId` waits for a level-1 appeal to be compared (compareAppeal).
error AppealPending(uint64 batchId);
/// @notice Thrown when case `caseId` has no level-1 appeal waiting to be compared.
error NoAppeal(bytes32 caseId);
/// @notice Thrown when the input shown for case `caseId` is a valid input of its model (nothing to refuse).
error InputValid(bytes32 caseId);
/// @notice Thrown when case `caseId`'s input was already claimed unavailable or published.
error InputClaimedAlready(bytes32 caseId);
/// @notice Thrown when case `caseId` has no unavailability claim past its deadline.
error InputNotOverdue(bytes32 caseId);
