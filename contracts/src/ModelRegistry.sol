// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import "./Errors.sol";

/// @title ModelRegistry
/// @notice Model creators publish each version of an integer model (PROTOCOL.md §1–§2): its model
///         root, the sha256 of its .onnx file, the featurizer version, its step count, the price per
///         use and the creator's royalty share. modelId = keccak256 of the UTF-8 model reference, name and version joined by an at sign.
contract ModelRegistry {
    /// @notice One registered model version.
    struct Model {
        address creator; // who registered it and receives the royalty
        uint32 steps; // n: the number of steps of the model's trace
        uint16 royaltyBps; // share of the price paid to the creator, in basis points
        bool deprecated; // no new cases once set
        uint128 price; // wei per case: the node fees plus the creator's royalty
        uint64 claimantClasses; // bit c set ⇔ output class c means the claimant prevails
        bytes32 modelRoot; // Merkle root over the step leaves
        bytes32 onnxSha256; // sha256 of the .onnx file bytes
        bytes32 featurizer; // keccak256(utf8 "<featurizerId>@<version>")
        bytes32 family; // keccak256(utf8 name): all versions of one model
    }

    /// @notice Registered versions by model id.
    mapping(bytes32 modelId => Model) public models;
    /// @notice Creator of each model family (the first registrant of the name).
    mapping(bytes32 family => address) public familyCreator;
    /// @notice Latest registered version of each family.
    mapping(bytes32 family => bytes32 modelId) public latest;

    /// @notice Emitted when a model version is registered.
    event ModelRegistered(
        bytes32 indexed modelId,
        bytes32 indexed family,
        address indexed creator,
        string name,
        string version,
        bytes32 modelRoot,
        bytes32 onnxSha256,
        bytes32 featurizer,
        uint32 steps,
        uint128 price,
        uint16 royaltyBps,
        uint64 claimantClasses
    );
    /// @notice Emitted when a model version is deprecated.
    event ModelDeprecated(bytes32 indexed modelId);

    /// @notice The id of `name@version`, as the claim commitment uses it.
    function modelIdOf(string calldata name, string calldata version) public pure returns (bytes32) {
        return keccak256(bytes(string.concat(name, "@", version)));
    }

    /// @notice Registers a version of model `name`; the caller becomes (or must be) its creator.
    function register(
        string calldata name,
        string calldata version,
        bytes32 modelRoot,
        bytes32 onnxSha256,
        bytes32 featurizer,
        uint32 steps,
        uint128 price,
        uint16 royaltyBps,
        uint64 claimantClasses
    ) external returns (bytes32 modelId) {
        modelId = modelIdOf(name, version);
        bytes32 family = keccak256(bytes(name));
        // INVARIANT: a version is registered once, and only by its family's creator.
        if (models[modelId].creator != address(0)) revert ModelExists(modelId);
        address owner = familyCreator[family];
        if (owner == address(0)) familyCreator[family] = msg.sender;
        else if (owner != msg.sender) revert NotModelCreator(modelId, msg.sender, owner);
        // INVARIANT: a model has at least one step and the royalty is a share of the price.
        if (steps == 0 || modelRoot == bytes32(0)) revert InvalidModel(modelId);
        if (royaltyBps > 10_000) revert InvalidShare(royaltyBps);
        models[modelId] = Model({
            creator: msg.sender,
            steps: steps,
            royaltyBps: royaltyBps,
            deprecated: false,
            price: price,
            claimantClasses: claimantClasses,
            modelRoot: modelRoot,
            onnxSha256: onnxSha256,
            featurizer: featurizer,
            family: family
        });
        latest[family] = modelId;
        emit ModelRegistered(
            modelId, family, msg.sender, name, version, modelRoot, onnxSha256, featurizer, steps, price, royaltyBps, claimantClasses
        );
    }

    /// @notice Stops new cases on a version; running cases finish.
    function deprecate(bytes32 modelId) external {
        Model storage m = models[modelId];
        // INVARIANT: only the creator deprecates, once.
        if (m.creator != msg.sender) revert NotModelCreator(modelId, msg.sender, m.creator);
        if (m.deprecated) revert ModelDeprecatedAlready(modelId);
        m.deprecated = true;
        emit ModelDeprecated(modelId);
    }

    /// @notice What opening a case needs: the price and whether the version is deprecated
    ///         (reverts when unknown). One storage slot pair instead of the whole record.
    function terms(bytes32 modelId) external view returns (uint128 price, bool deprecated) {
        Model storage m = models[modelId];
        if (m.creator == address(0)) revert UnknownModel(modelId);
        return (m.price, m.deprecated);
    }

    /// @notice Bit c set ⇔ output class c means the claimant prevails.
    function claimantClassesOf(bytes32 modelId) external view returns (uint64) {
        return models[modelId].claimantClasses;
    }

    /// @notice The full record of a model (reverts when unknown).
    function get(bytes32 modelId) external view returns (Model memory m) {
        m = models[modelId];
        if (m.creator == address(0)) revert UnknownModel(modelId);
    }
}
