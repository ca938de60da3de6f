// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";

/// @title ArbiterEscrow
/// @notice Holds the money of open cases in pots (a case's award, a batch's fees) for its owner,
///         the arbitration contract, and pays out: push with a pull fallback (credit first, then
///         send; a failed send leaves a withdrawable balance), checks-effects-interactions and a
///         transient reentrancy lock, as OpenZeppelin's Escrow and PullPayment.
///         Respondents' escrow accounts: anyone funds a respondent's account (depositFor); the
///         owner reserves a case's largest award from its free balance when a case opens and, at
///         settlement, moves the award into the case's pot and releases the rest; the respondent
///         withdraws only its free balance (balance − reserved), never a reservation.
/// @dev INVARIANT (tested under random call sequences):
///      address(this).balance == totalHeld + totalCredit + totalAccounts, and
///      reservedOf[a] <= balanceOf[a] for every account.
contract ArbiterEscrow {
    /// @notice The arbitration contract: the only depositor and payer.
    address public immutable owner;
    /// @notice Gas forwarded to a push payment; enough for a plain account or a small receive hook.
    uint256 public constant PUSH_GAS = 30_000;

    /// @notice Money held per pot (e.g. keccak256("case", caseId)).
    mapping(bytes32 pot => uint256) public held;
    /// @notice Withdrawable balance per account.
    mapping(address => uint256) public credit;
    /// @notice Sum of `held`.
    uint256 public totalHeld;
    /// @notice Sum of `credit`.
    uint256 public totalCredit;
    /// @notice A respondent's escrow account: what it holds (reserved included).
    mapping(address account => uint256) public balanceOf;
    /// @notice The part of an account reserved by open cases (their largest awards).
    mapping(address account => uint256) public reservedOf;
    /// @notice Sum of `balanceOf`.
    uint256 public totalAccounts;

    /// @notice Emitted when money enters a pot.
    event Deposited(bytes32 indexed pot, address indexed from, uint256 amount);
    /// @notice Emitted when money leaves a pot for `payee` (sent, or left as credit when `sent` is false).
    event Paid(bytes32 indexed pot, address indexed payee, uint256 amount, bool sent);
    /// @notice Emitted when a credit is withdrawn.
    event Withdrawn(address indexed payee, uint256 amount);
    /// @notice Emitted when `from` adds `amount` to `account`'s escrow account.
    event AccountFunded(address indexed account, address indexed from, uint256 amount);
    /// @notice Emitted when an account's owner withdraws `amount` of its free balance.
    event AccountWithdrawn(address indexed account, uint256 amount);
    /// @notice Emitted when an open case reserves `amount` of `account`.
    event Reserved(address indexed account, uint256 amount);
    /// @notice Emitted when a reservation of `released` ends: `drawn` of it went into `pot`, the rest is free again.
    event Released(address indexed account, bytes32 indexed pot, uint256 released, uint256 drawn);

    bytes32 private constant LOCK = keccak256("arbiter.escrow.lock");

    modifier onlyOwner() {
        // INVARIANT: only the arbitration contract moves pot money.
        if (msg.sender != owner) revert Unauthorized(msg.sender);
        _;
    }

    modifier nonReentrant() {
        bytes32 slot = LOCK;
        uint256 locked;
        assembly ("memory-safe") {
            locked := tload(slot)
        }
        // INVARIANT: no payout function runs inside another.
        if (locked != 0) revert Reentrancy();
        assembly ("memory-safe") {
            tstore(slot, 1)
        }
        _;
        assembly ("memory-safe") {
            tstore(slot, 0)
        }
    }

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Adds msg.value to `pot`.
    function deposit(bytes32 pot, address from) external payable onlyOwner {
        held[pot] += msg.value;
        totalHeld += msg.value;
        emit Deposited(pot, from, msg.value);
    }

    /// @notice Adds `amountA` of msg.value to `potA` and the rest to `potB` (a case's award and
    ///         its batch's fee in one call).
    function depositSplit(bytes32 potA, uint256 amountA, bytes32 potB, address from) external payable onlyOwner {
        // INVARIANT: the split does not exceed what was sent.
        if (amountA > msg.value) revert InsufficientPayment(msg.value, amountA);
        uint256 amountB = msg.value - amountA;
        if (amountA > 0) {
            held[potA] += amountA;
            emit Deposited(potA, from, amountA);
        }
        if (amountB > 0) {
            held[potB] += amountB;
            emit Deposited(potB, from, amountB);
        }
        totalHeld += msg.value;
    }

    /// @notice Pays `amount` from `pot` to `payee`: credit, then try to send it with PUSH_GAS;
    ///         when the send fails the credit stays for `withdraw`.
    function pay(bytes32 pot, address payee, uint256 amount) external onlyOwner nonReentrant returns (bool sent) {
        _debit(pot, amount);
        if (amount == 0) return true;
        // Effects (the pot debit) precede the interaction; a failed send becomes a credit.
        (sent,) = payee.call{value: amount, gas: PUSH_GAS}("");
        if (!sent) {
            credit[payee] += amount;
            totalCredit += amount;
        }
        emit Paid(pot, payee, amount, sent);
    }

    /// @notice Moves `amount` from `pot` to `payee`'s withdrawable credit (pull payment).
    function creditTo(bytes32 pot, address payee, uint256 amount) external onlyOwner {
        _debit(pot, amount);
        credit[payee] += amount;
        totalCredit += amount;
        emit Paid(pot, payee, amount, false);
    }

    /// @notice Moves `amount` from pot `from` to pot `to` (e.g. an award held for a claimant who
    ///         has not named a payout address yet).
    function move(bytes32 from, bytes32 to, uint256 amount) external onlyOwner {
        _debit(from, amount);
        held[to] += amount;
        totalHeld += amount;
        emit Deposited(to, address(this), amount);
    }

    /// @notice Withdraws the caller's whole credit.
    function withdraw() external nonReentrant {
        uint256 amount = credit[msg.sender];
        // INVARIANT: something is owed.
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        credit[msg.sender] = 0;
        totalCredit -= amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @notice What the escrow owes in total; equals its balance.
    function owed() external view returns (uint256) {
        return totalHeld + totalCredit + totalAccounts;
    }

    // ───────────────────────────── respondents' escrow accounts ─────────────────────────────

    /// @notice Adds msg.value to `account`'s escrow account. Anyone may fund any account (a
    ///         merchant from its own wallet, or someone on its behalf); only `account` withdraws.
    function depositFor(address account) external payable {
        // INVARIANT: money enters an account somebody owns, and some money enters.
        if (account == address(0) || msg.value == 0) revert InsufficientPayment(msg.value, 1);
        balanceOf[account] += msg.value;
        totalAccounts += msg.value;
        emit AccountFunded(account, msg.sender, msg.value);
    }

    /// @notice What `account` may withdraw or have reserved by a new case: balance − reserved.
    function freeOf(address account) public view returns (uint256) {
        return balanceOf[account] - reservedOf[account];
    }

    /// @notice The caller withdraws `amount` of its account's free balance (never a reservation).
    function withdraw(uint256 amount) external nonReentrant {
        uint256 free = freeOf(msg.sender);
        // INVARIANT: a withdrawal never touches what open cases reserve.
        if (amount == 0 || amount > free) revert InsufficientFree(msg.sender, free, amount);
        balanceOf[msg.sender] -= amount;
        totalAccounts -= amount;
        emit AccountWithdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @notice Reserves `amount` of `account` for an opening case when its free balance covers
    ///         it; returns false (nothing reserved) when it does not.
    function reserve(address account, uint256 amount) external onlyOwner returns (bool) {
        uint256 r = reservedOf[account];
        if (balanceOf[account] - r < amount) return false;
        reservedOf[account] = r + amount;
        emit Reserved(account, amount);
        return true;
    }

    /// @notice Ends a reservation of `released`: `drawn` (at most `released`) of `account`'s
    ///         balance moves into `pot`, the rest is free again.
    function release(address account, uint256 released, bytes32 pot, uint256 drawn) external onlyOwner {
        // INVARIANT: a case draws at most what it reserved, and only a reservation it holds.
        if (drawn > released) revert InsufficientPot(pot, released, drawn);
        reservedOf[account] -= released;
        if (drawn > 0) {
            balanceOf[account] -= drawn;
            totalAccounts -= drawn;
            held[pot] += drawn;
            totalHeld += drawn;
            emit Deposited(pot, account, drawn);
        }
        emit Released(account, pot, released, drawn);
    }

    function _debit(bytes32 pot, uint256 amount) private {
        uint256 h = held[pot];
        // INVARIANT: a pot never pays more than it holds.
        if (amount > h) revert InsufficientPot(pot, h, amount);
        held[pot] = h - amount;
        totalHeld -= amount;
    }
}
