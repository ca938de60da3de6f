// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";

/// @title NodeStaking
/// @notice Node operators stake ETH as collateral, declare the models they serve and their fee,
///         and leave after a delay. Committees are drawn stake-weighted from a model's servers.
///         Only the arbitration and dispute-game contracts may slash (PROTOCOL.md §3).
contract NodeStaking {
    /// @notice One node operator.
    struct Node {
        uint128 stake; // active collateral
        uint128 unstaking; // collateral on its way out (still slashable)
        uint64 unstakeAt; // when `unstaking` may be withdrawn
        uint128 fee; // declared fee per case, informational for the marketplace
    }

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

    /// @notice Declares that the caller serves `modelIds` at `fee` wei per case.
    function serve(bytes32[] calldata modelIds, uint128 fee) external {
        nodes[msg.sender].fee = fee;
        for (uint256 i; i < modelIds.length; ++i) {
            bytes32 id = modelIds[i];
            if (serverSlot[id][msg.sender] == 0) {
                servers[id].push(msg.sender);
                serverSlot[id][msg.sender] = servers[id].length;
            }
            emit Serving(msg.sender, id, fee);
        }
    }

    /// @notice Stops serving `modelId`.
    function stopServing(bytes32 modelId) external {
        uint256 slot = serverSlot[modelId][msg.sender];
        if (slot == 0) revert NotServing(msg.sender, modelId);
        address[] storage list = servers[modelId];
        address last = list[list.length - 1];
        list[slot - 1] = last;
        serverSlot[modelId][last] = slot;
        list.pop();
        delete serverSlot[modelId][msg.sender];
        emit StoppedServing(msg.sender, modelId);
    }

    /// @notice Moves `amount` of stake to the unstaking queue (withdrawable after the delay).
    function requestUnstake(uint128 amount) external {
        Node storage n = nodes[msg.sender];
        // INVARIANT: a node unstakes at most its active stake.
        if (amount > n.stake) revert InsufficientStake(msg.sender, n.stake, amount);
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

    /// @notice Draws up to `k` distinct servers of `modelId` with stake ≥ minStake, each draw
    ///         weighted by stake, from `seed` (chain randomness and the case or batch id).
    function drawCommittee(bytes32 modelId, bytes32 seed, uint256 k) external view returns (address[] memory committee) {
        address[] storage list = servers[modelId];
        uint256 len = list.length;
        address[] memory pool = new address[](len);
        uint256[] memory weight = new uint256[](len);
        uint256 total;
        uint256 m;
        for (uint256 i; i < len; ++i) {
            uint256 s = nodes[list[i]].stake;
            if (s >= minStake) {
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
