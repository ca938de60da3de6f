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
        uint16 claimantWords; // length of the claimant-class bitmap in 256-bit words (claimantClassesOf)
        uint128 price; // wei per case: the node fees plus the creator's royalty
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
    /// @dev The claimant-class bitmap of each version: bit c % 256 of word c / 256 set ⇔ output
    ///      class c means the claimant prevails. Zero words are not written.
    mapping(bytes32 modelId => mapping(uint256 word => uint256 bits)) internal claimantBits;

    /// @notice The most output classes a model can have: its output is an ARGMAX over one row of
    ///         at most 0xffff columns (tensor dimensions are uint16 in enc(t), PROTOCOL.md §2;
    ///         LibTensor, server/inference/tensor.ts MAX_DIM), so classes are 0 … 65534.
    uint256 public constant MAX_CLASSES = 0xffff;
    /// @notice Words of a bitmap covering MAX_CLASSES classes.
    uint256 public constant MAX_CLASS_WORDS = (MAX_CLASSES + 255) / 256;

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
        uint256[] claimantClasses
    );
    /// @notice Emitted when a model version is deprecated.
    event ModelDeprecated(bytes32 indexed modelId);

    /// @notice The id of `name@version`, as the claim commitment uses it.
    function modelIdOf(string calldata name, string calldata version) public pure returns (bytes32) {
        return keccak256(bytes(string.concat(name, "@", version)));
    }

    /// @notice Registers a version of model `name`; the caller becomes (or must be) its creator.
    ///         `claimantClasses` is the bitmap of the output classes that mean "claimant prevails":
    ///         bit c % 256 of word c / 256 (server/chain/awards.ts `claimantClassWords(card)` builds it
    ///         from a card). Any class an ARGMAX can output is representable; a bitmap naming a class
    ///         ≥ MAX_CLASSES is refused (`ClassOutOfRange`), never truncated.
    function register(
        string calldata name,
        string calldata version,
        bytes32 modelRoot,
        bytes32 onnxSha256,
        bytes32 featurizer,
        uint32 steps,
        uint128 price,
        uint16 royaltyBps,
        uint256[] calldata claimantClasses
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
        // INVARIANT: every marked class is one an ARGMAX can output (< MAX_CLASSES).
        uint256 words = claimantClasses.length;
        if (words > MAX_CLASS_WORDS) revert ClassOutOfRange(modelId, MAX_CLASS_WORDS * 256);
        if (words == MAX_CLASS_WORDS && claimantClasses[words - 1] >> (MAX_CLASSES % 256) != 0) {
            revert ClassOutOfRange(modelId, MAX_CLASSES);
        }
        for (uint256 w; w < words; ++w) {
            uint256 bits = claimantClasses[w];
            if (bits != 0) claimantBits[modelId][w] = bits;
        }
        models[modelId] = Model({
            creator: msg.sender,
            steps: steps,
            royaltyBps: royaltyBps,
            deprecated: false,
            claimantWords: uint16(words),
            price: price,
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
    /// @notice keccak256 of each model's declared input ranges (issue 8 #7): per feature, int64 min
    ///         ‖ int64 max, big-endian (16 bytes); 0 until its creator sets them (setInputRanges).
    mapping(bytes32 modelId => bytes32) public inputRanges;

    /// @notice Emitted once per model, when its creator declares its input ranges.
    event InputRangesSet(bytes32 indexed modelId, bytes ranges);

    /// @notice Declares the model's input ranges (the featurizer's, which its overflow proof starts
    ///         from), once, by its creator: a case whose input lies outside them, or is not a 1 × n
    ///         tensor with n = ranges.length / 16, can be refused (Arbitration.refuseInput).
    function setInputRanges(bytes32 modelId, bytes calldata ranges) external {
        Model storage m = models[modelId];
        // INVARIANT: only the creator declares a model's ranges, once, as well-formed min ≤ max pairs.
        if (m.creator != msg.sender) revert NotModelCreator(modelId, msg.sender, m.creator);
        if (inputRanges[modelId] != bytes32(0) || ranges.length == 0 || ranges.length % 16 != 0) revert InvalidModel(modelId);
        for (uint256 off; off < ranges.length; off += 16) {
            if (int64(uint64(bytes8(ranges[off:off + 8]))) > int64(uint64(bytes8(ranges[off + 8:off + 16])))) revert InvalidModel(modelId);
        }
        inputRanges[modelId] = keccak256(ranges);
        emit InputRangesSet(modelId, ranges);
    }

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

    /// @notice Whether output class `output` of `modelId` means the claimant prevails (one storage read).
    function isClaimantClass(bytes32 modelId, uint256 output) external view returns (bool) {
        return (claimantBits[modelId][output >> 8] >> (output & 255)) & 1 == 1;
    }

    /// @notice The claimant-class bitmap as registered: bit c % 256 of word c / 256 set ⇔ output
    ///         class c means the claimant prevails.
    function claimantClassesOf(bytes32 modelId) external view returns (uint256[] memory bits) {
        uint256 words = models[modelId].claimantWords;
        bits = new uint256[](words);
        for (uint256 w; w < words; ++w) bits[w] = claimantBits[modelId][w];
    }

    /// @notice The full record of a model (reverts when unknown).
    function get(bytes32 modelId) external view returns (Model memory m) {
        m = models[modelId];
        if (m.creator == address(0)) revert UnknownModel(modelId);
    }
}
