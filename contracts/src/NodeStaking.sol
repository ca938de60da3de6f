// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";

/// @title NodeStaking
/// @notice Node operators stake ETH as collateral, declare the models they serve and their fee,
///         and leave after a delay. Committees are drawn stake-weighted from a model's servers.
///         Only the arbitration and dispute-game contracts may slash (PROTOCOL.md §3).
///
/// Bounded draws (issue 8 #5): listing as a server needs at least `minStake`, and a model lists at
/// most MAX_SERVERS nodes; when its list is full a node with more stake than the least-staked
/// server takes that server's place. A draw reads each listed server once, so its gas is bounded
/// whatever the number of accounts. Seats lock stake (issue 8 #10): each committee seat locks
/// `minStake` until the arbitration contract releases it; a draw counts only unlocked stake
/// (a node with n·minStake free can hold n seats at once), and locked stake cannot be unstaked,
/// so every seat is backed by its own collateral, which covers the largest slash of one seat.
contract NodeStaking {
    /// @notice One node operator.
    struct Node {
        uint128 stake; // active collateral
        uint128 locked; // part of `stake` backing open committee seats (may exceed stake after a slash)
        uint128 unstaking; // collateral on its way out (still slashable)
        uint64 unstakeAt; // when `unstaking` may be withdrawn
        uint128 fee; // declared fee per case and seat: drawn only into committees whose seat pays it
    }

    /// @notice The most nodes a model lists (bounds a committee draw's gas).
    uint256 public constant MAX_SERVERS = 64;

    /// @notice Minimum active stake to be drawn into a committee.
    uint256 public immutable minStake;
    /// @notice Seconds between an unstake request and its withdrawal.
    uint256 public immutable unstakeDelay;
    /// @notice Share of a slashed amount credited to the honest party, in basis points; the rest
    ///         goes to the treasury.
    uint256 public constant REWARD_BPS = 5_000;
    /// @notice Who set the slashers at deployment.
    address public immutable deployer;
    /// @notice Receives the non-reward share of slashed collateral.
    address public immutable treasury;

    /// @notice The contracts allowed to slash (arbitration and the dispute game).
    mapping(address => bool) public isSlasher;
    bool private slashersSet;

    mapping(address => Node) public nodes;
    /// @notice Withdrawable balances (slash rewards, treasury share, matured unstakes).
    mapping(address => uint256) public credit;
    /// @notice Nodes serving each model.
    mapping(bytes32 modelId => address[]) internal servers;
    mapping(bytes32 modelId => mapping(address => uint256)) internal serverSlot; // index + 1

    /// @notice Emitted when a node adds stake.
    event Staked(address indexed node, uint256 amount, uint256 stake);
    /// @notice Emitted when a node declares that it serves a model at a fee.
    event Serving(address indexed node, bytes32 indexed modelId, uint256 fee);
    /// @notice Emitted when a node stops serving a model.
    event StoppedServing(address indexed node, bytes32 indexed modelId);
    /// @notice Emitted when a node asks to unstake.
    event UnstakeRequested(address indexed node, uint256 amount, uint256 availableAt);
    /// @notice Emitted when collateral is slashed.
    event Slashed(address indexed node, uint256 amount, address indexed beneficiary, uint256 reward, address slasher);
    /// @notice Emitted when a balance is withdrawn.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice Emitted when a seat locks `amount` of `node`'s stake, or releases it (`locked` false).
    event StakeLocked(address indexed node, uint256 amount, bool locked, uint256 totalLocked);
    /// @notice Emitted once, when the slashers are named.
    event SlashersSet(address arbitration, address game);

    constructor(uint256 minStake_, uint256 unstakeDelay_, address treasury_) {
        minStake = minStake_;
        unstakeDelay = unstakeDelay_;
        treasury = treasury_;
        deployer = msg.sender;
    }

    /// @notice Names the two contracts that may slash; callable once, by the deployer.
    function setSlashers(address arbitration, address game) external {
        // INVARIANT: the slashers are fixed once, by the deployer.
        if (msg.sender != deployer || slashersSet) revert Unauthorized(msg.sender);
        slashersSet = true;
        isSlasher[arbitration] = true;
        isSlasher[game] = true;
        emit SlashersSet(arbitration, game);
    }

    /// @notice Adds msg.value to the caller's stake.
    function stake() external payable {
        Node storage n = nodes[msg.sender];
        n.stake += uint128(msg.value);
        emit Staked(msg.sender, msg.value, n.stake);
    }

    /// @notice Declares that the caller serves `modelIds` at `fee` wei per case. Needs at least
    ///         `minStake`; on a full list the caller must have more stake than the least-staked
    ///         server, whose place it takes.
    function serve(bytes32[] calldata modelIds, uint128 fee) external {
        Node storage n = nodes[msg.sender];
        // INVARIANT: only staked nodes are listed.
        if (n.stake < minStake) revert InsufficientStake(msg.sender, n.stake, minStake);
        n.fee = fee;
        for (uint256 i; i < modelIds.length; ++i) {
            bytes32 id = modelIds[i];
            if (serverSlot[id][msg.sender] == 0) {
                address[] storage list = servers[id];
                if (list.length >= MAX_SERVERS) {
                    // INVARIANT: a full list admits only a node with more stake than its least-staked server.
                    (uint256 low, uint256 lowest) = (0, type(uint256).max);
                    for (uint256 j; j < list.length; ++j) {
                        uint256 s = nodes[list[j]].stake;
                        if (s < lowest) (low, lowest) = (j, s);
                    }
                    if (n.stake <= lowest) revert ServerListFull(id, lowest);
                    _unlist(id, list[low]);
                }
                list.push(msg.sender);
                serverSlot[id][msg.sender] = list.length;
            }
            emit Serving(msg.sender, id, fee);
        }
    }

    /// @notice Stops serving `modelId`.
    function stopServing(bytes32 modelId) external {
        if (serverSlot[modelId][msg.sender] == 0) revert NotServing(msg.sender, modelId);
        _unlist(modelId, msg.sender);
    }

    function _unlist(bytes32 modelId, address node) private {
        uint256 slot = serverSlot[modelId][node];
        address[] storage list = servers[modelId];
        address last = list[list.length - 1];
        list[slot - 1] = last;
        serverSlot[modelId][last] = slot;
        list.pop();
        delete serverSlot[modelId][node];
        emit StoppedServing(node, modelId);
    }

    /// @notice Stake of `node` not backing a seat.
    function freeStake(address node) public view returns (uint256) {
        Node storage n = nodes[node];
        return n.stake > n.locked ? n.stake - n.locked : 0;
    }

    /// @notice Locks `amount` of `node`'s stake for a committee seat; the arbitration contract only.
    function lock(address node, uint256 amount) external {
        // INVARIANT: only the referee contracts lock, and only free stake.
        if (!isSlasher[msg.sender]) revert Unauthorized(msg.sender);
        uint256 free = freeStake(node);
        if (amount > free) revert InsufficientStake(node, free, amount);
        Node storage n = nodes[node];
        n.locked += uint128(amount);
        emit StakeLocked(node, amount, true, n.locked);
    }

    /// @notice Releases `amount` locked for a seat (what a slash already took stays gone).
    function unlock(address node, uint256 amount) external {
        // INVARIANT: only the referee contracts release seats.
        if (!isSlasher[msg.sender]) revert Unauthorized(msg.sender);
        Node storage n = nodes[node];
        n.locked = amount < n.locked ? n.locked - uint128(amount) : 0;
        emit StakeLocked(node, amount, false, n.locked);
    }

    /// @notice Moves `amount` of stake to the unstaking queue (withdrawable after the delay).
    function requestUnstake(uint128 amount) external {
        Node storage n = nodes[msg.sender];
        // INVARIANT: a node unstakes at most its stake not backing an open seat.
        uint256 free = freeStake(msg.sender);
        if (amount > free) revert InsufficientStake(msg.sender, free, amount);
        n.stake -= amount;
        n.unstaking += amount;
        n.unstakeAt = uint64(block.timestamp + unstakeDelay);
        emit UnstakeRequested(msg.sender, amount, n.unstakeAt);
    }

    /// @notice Withdraws matured unstaked collateral plus any credit.
    function withdraw() external {
        Node storage n = nodes[msg.sender];
        uint256 amount = credit[msg.sender];
        if (n.unstaking > 0 && block.timestamp >= n.unstakeAt) {
            amount += n.unstaking;
            n.unstaking = 0;
        }
        // INVARIANT: something is due.
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        credit[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @notice Slashes up to `amount` of `node`'s collateral: REWARD_BPS to `beneficiary` (when
    ///         not zero), the rest to the treasury. Only the arbitration and game contracts.
    function slash(address node, uint256 amount, address beneficiary) external returns (uint256 taken) {
        // INVARIANT: only the referee contracts slash.
        if (!isSlasher[msg.sender]) revert Unauthorized(msg.sender);
        Node storage n = nodes[node];
        uint256 fromStake = amount <= n.stake ? amount : n.stake;
        n.stake -= uint128(fromStake);
        uint256 rest = amount - fromStake;
        uint256 fromQueue = rest <= n.unstaking ? rest : n.unstaking;
        n.unstaking -= uint128(fromQueue);
        taken = fromStake + fromQueue;
        uint256 reward = beneficiary == address(0) ? 0 : (taken * REWARD_BPS) / 10_000;
        if (reward > 0) credit[beneficiary] += reward;
        credit[treasury] += taken - reward;
        emit Slashed(node, taken, beneficiary, reward, msg.sender);
    }

    /// @notice The nodes serving `modelId`.
    function serversOf(bytes32 modelId) external view returns (address[] memory) {
        return servers[modelId];
    }

    /// @notice Draws up to `k` distinct servers of `modelId` with free (unlocked) stake ≥
    ///         minStake and a declared fee ≤ `maxFee` (what one seat earns per case), each draw
    ///         weighted by free stake, from `seed`. At most MAX_SERVERS reads.
    function drawCommittee(bytes32 modelId, bytes32 seed, uint256 k, uint256 maxFee) external view returns (address[] memory committee) {
        address[] storage list = servers[modelId];
        uint256 len = list.length;
        address[] memory pool = new address[](len);
        uint256[] memory weight = new uint256[](len);
        uint256 total;
        uint256 m;
        for (uint256 i; i < len; ++i) {
            uint256 s = freeStake(list[i]);
            // INVARIANT: a node is drawn only into a seat that pays at least the fee it declared.
            if (s >= minStake && nodes[list[i]].fee <= maxFee) {
                pool[m] = list[i];
                weight[m] = s;
                total += s;
                m++;
            }
        }
        if (k > m) k = m;
        committee = new address[](k);
        for (uint256 d; d < k; ++d) {
            uint256 r = uint256(keccak256(abi.encode(seed, d))) % total;
            uint256 i;
            while (r >= weight[i]) {
                r -= weight[i];
                i++;
            }
            committee[d] = pool[i];
            total -= weight[i];
            weight[i] = 0; // without replacement
        }
    }
}
