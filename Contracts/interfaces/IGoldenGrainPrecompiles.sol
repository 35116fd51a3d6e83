// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title GoldenGrain precompiles for Solidity contracts
/// @notice Helpers that call GoldenGrain's two precompiles (DESIGN.md §6, docs/formats.md) and
/// decode their output; the Solidity twin of Contracts/interfaces/goldengrain_precompiles.vy.
/// A Solidity `interface` cannot describe them: a precompile takes raw calldata, with no function
/// selector and no ABI encoding of its input. So this is a library of internal functions that
/// `staticcall` the precompile with the raw bytes and `abi.decode` what comes back:
///
///     (uint256 correct, uint256 total, bytes32 logitsHash) =
///         GoldenGrainPrecompiles.inferenceEval(bytes.concat(model, testSet));
///     (bool ok, GoldenGrainPrecompiles.VerifiedQuote memory attested) =
///         GoldenGrainPrecompiles.attestationVerify(quote);
///
/// ATTESTATION_VERIFY, 0x0000000000000000000000000000000000001000
///   input:  a raw Intel SGX DCAP v3 quote (docs/formats.md, "SGX DCAP v3 quote"), at most
///           16,384 bytes.
///   output: 256 bytes, abi.encode(bytes32 mrEnclave, bytes32 mrSigner, uint16 isvProdId,
///           uint16 isvSvn, bytes32 reportData0, bytes32 reportData1, bytes32 rootKeyHash,
///           uint64 attributeFlags) for a verified quote; EMPTY output (and a successful call)
///           for a quote that fails any check, so the caller keeps its gas and reverts with its
///           own reason. attributeFlags are the ISV report's ATTRIBUTES flags; bit 1
///           (SGX_FLAG_DEBUG) marks a debug enclave, which verifies and which a contract that must
///           not trust one rejects itself.
///   gas:    66,000 + 2 per input byte.
///
/// INFERENCE_EVAL, 0x0000000000000000000000000000000000001001
///   input:  a GGM model file immediately followed by a GGD dataset file (docs/formats.md,
///           "Inference precompile input"): GGM ‖ "GGD1" ‖ u32 N ‖ u32 F ‖ N·F int8 features ‖
///           N u8 labels, little-endian, with no length prefix and no selector.
///   output: 96 bytes, abi.encode(uint256 correct, uint256 total, bytes32 logitsHash); logitsHash
///           is keccak-256 over every logit as 4 bytes little-endian two's complement, sample
///           after sample.
///   gas:    1000 + ceil(MACs / 64) + 6 * ceil(inputBytes / 32), MACs = samples × Σ inputs ×
///           outputs over the Dense layers.
///   failure: a malformed input makes the call fail and consume ALL the gas passed to it (a
///           plain staticcall passes 63/64 of what is left); inferenceEval then reverts.
/// Contracts/PlainEvaluator.vy answers the same calldata with the same output on any EVM chain
/// (a malformed input reverts there instead of consuming the gas): use inferenceEvalAt with its
/// address.
library GoldenGrainPrecompiles {
    address internal constant ATTESTATION_VERIFY = address(0x1000);
    address internal constant INFERENCE_EVAL = address(0x1001);

    uint256 internal constant ATTESTATION_OUTPUT_SIZE = 256;
    uint256 internal constant INFERENCE_OUTPUT_SIZE = 96;
    // The largest quote the verifier accepts.
    uint256 internal constant MAX_QUOTE_SIZE = 16384;
    // SGX ATTRIBUTES.FLAGS bit 1: a debug enclave, whose memory the host can read.
    uint64 internal constant SGX_FLAG_DEBUG = 2;

    // The fields of a verified quote, in ATTESTATION_VERIFY's output order.
    struct VerifiedQuote {
        bytes32 mrEnclave;
        bytes32 mrSigner;
        uint16 isvProdId;
        uint16 isvSvn;
        bytes32 reportData0;
        bytes32 reportData1;
        bytes32 rootKeyHash;
        uint64 attributeFlags;
    }

    /// The evaluator failed: malformed model or dataset, or too little gas.
    error InferenceEvalFailed(address evaluator);
    /// An evaluator or precompile answered with a length its output layout does not have.
    error UnexpectedOutputLength(uint256 length, uint256 expected);

    /// @notice Decodes INFERENCE_EVAL's output.
    /// @param output The 96 bytes the precompile (or PlainEvaluator) returned.
    /// @return correct Samples whose argmax equals their label.
    /// @return total Samples scored.
    /// @return logitsHash keccak-256 of all logits, 4 bytes little-endian each.
    function decodeInferenceEval(bytes memory output)
        internal
        pure
        returns (uint256 correct, uint256 total, bytes32 logitsHash)
    {
        if (output.length != INFERENCE_OUTPUT_SIZE) {
            revert UnexpectedOutputLength(output.length, INFERENCE_OUTPUT_SIZE);
        }
        (correct, total, logitsHash) = abi.decode(output, (uint256, uint256, bytes32));
    }

    /// @notice Scores a model on a dataset with INFERENCE_EVAL or a contract with its calling
    /// convention (Contracts/PlainEvaluator.vy). Reverts if the evaluator fails.
    /// @param evaluator INFERENCE_EVAL or a PlainEvaluator deployment.
    /// @param input GGM bytes ‖ GGD bytes.
    function inferenceEvalAt(address evaluator, bytes memory input)
        internal
        view
        returns (uint256 correct, uint256 total, bytes32 logitsHash)
    {
        (bool success, bytes memory output) = evaluator.staticcall(input);
        if (!success) revert InferenceEvalFailed(evaluator);
        return decodeInferenceEval(output);
    }

    /// @notice Scores a model on a dataset with the INFERENCE_EVAL precompile.
    /// @param input GGM bytes ‖ GGD bytes.
    function inferenceEval(bytes memory input)
        internal
        view
        returns (uint256 correct, uint256 total, bytes32 logitsHash)
    {
        return inferenceEvalAt(INFERENCE_EVAL, input);
    }

    /// @notice Decodes ATTESTATION_VERIFY's 256-byte output (abi.decode reverts if the uint16 or
    /// uint64 words are out of range).
    function decodeAttestation(bytes memory output) internal pure returns (VerifiedQuote memory attested) {
        if (output.length != ATTESTATION_OUTPUT_SIZE) {
            revert UnexpectedOutputLength(output.length, ATTESTATION_OUTPUT_SIZE);
        }
        attested = abi.decode(output, (VerifiedQuote));
    }

    /// @notice Verifies an SGX DCAP v3 quote with the ATTESTATION_VERIFY precompile.
    /// @param quote The raw quote.
    /// @return verified False if the quote failed any check (the fields are then all zero).
    /// @return attested The verified quote's fields.
    function attestationVerify(bytes memory quote)
        internal
        view
        returns (bool verified, VerifiedQuote memory attested)
    {
        (bool success, bytes memory output) = ATTESTATION_VERIFY.staticcall(quote);
        if (!success || output.length == 0) return (false, attested);
        return (true, decodeAttestation(output));
    }

    /// @notice Whether a verified quote came from a debug enclave (ATTRIBUTES.FLAGS bit 1).
    function isDebug(VerifiedQuote memory attested) internal pure returns (bool) {
        return (attested.attributeFlags & SGX_FLAG_DEBUG) != 0;
    }
}
