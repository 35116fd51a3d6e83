# pragma version ~=0.4.3
"""
@title GoldenGrain precompiles for Vyper contracts
@notice Helpers that call GoldenGrain's two precompiles (DESIGN.md §6, docs/formats.md) and decode
        their output. A .vyi interface cannot describe them: a precompile takes raw calldata with
        no function selector and no ABI encoding of its input, and Vyper interfaces may not
        declare a default function (the compiler refuses "Default functions cannot appear in
        interfaces"). So this is a stateless module of internal functions:

            import goldengrain_precompiles as gg       # compile with -p Contracts/interfaces

            correct, total, logits_hash = gg._inference_eval(concat(model, test_set))
            ok, attested = gg._attestation_verify(quote)

        ATTESTATION_VERIFY, 0x0000000000000000000000000000000000001000
          input:  a raw Intel SGX DCAP v3 quote (docs/formats.md, "SGX DCAP v3 quote"),
                  at most 16,384 bytes.
          output: 256 bytes, the ABI encoding of (bytes32 mrEnclave, bytes32 mrSigner,
                  uint16 isvProdId, uint16 isvSvn, bytes32 reportData0, bytes32 reportData1,
                  bytes32 rootKeyHash, uint64 attributeFlags) for a verified quote, or EMPTY output
                  (and a successful call) for a quote that fails any check, so the caller keeps its
                  gas and reverts with its own reason. attributeFlags are the ISV report's
                  ATTRIBUTES flags; bit 1 (SGX_FLAG_DEBUG) marks a debug enclave, which verifies
                  and which a contract that must not trust one rejects itself.
          gas:    66,000 + 2 per input byte.

        INFERENCE_EVAL, 0x0000000000000000000000000000000000001001
          input:  a GGM model file immediately followed by a GGD dataset file (docs/formats.md,
                  "Inference precompile input"): GGM ‖ "GGD1" ‖ u32 N ‖ u32 F ‖ N·F int8 features
                  ‖ N u8 labels, with no length prefix and no selector.
          output: 96 bytes, the ABI encoding of (uint256 correct, uint256 total, bytes32 logitsHash).
          gas:    1000 + ⌈MACs / 64⌉ + 6 · ⌈input bytes / 32⌉, MACs = samples × Σ inputs × outputs
                  over the Dense layers.
          failure: malformed input makes the call fail and consume ALL the gas passed to it
                  (raw_call passes 63/64 of what is left); _inference_eval then reverts.
        Contracts/PlainEvaluator.vy answers the same calldata with the same output on any EVM
        chain (a malformed input reverts there instead of consuming the gas): use
        _inference_eval_at(evaluator, input) with its address.
"""

ATTESTATION_VERIFY: constant(address) = 0x0000000000000000000000000000000000001000
INFERENCE_EVAL: constant(address) = 0x0000000000000000000000000000000000001001

ATTESTATION_OUTPUT_SIZE: constant(uint256) = 256
INFERENCE_OUTPUT_SIZE: constant(uint256) = 96
# The largest quote the verifier accepts (docs/formats.md, structure check).
MAX_QUOTE_SIZE: constant(uint256) = 16384
# The largest GGM ‖ GGD input these helpers take. It bounds memory, which Vyper sizes statically:
# the digits model with its 360-sample test split is 28,490 bytes. For larger inputs, call
# raw_call yourself and decode with _decode_inference_eval.
MAX_INFERENCE_INPUT: constant(uint256) = 65536
# SGX ATTRIBUTES.FLAGS bit 1: a debug enclave, whose memory the host can read.
SGX_FLAG_DEBUG: constant(uint64) = 2


struct VerifiedQuote:
    mrEnclave: bytes32
    mrSigner: bytes32
    isvProdId: uint16
    isvSvn: uint16
    reportData0: bytes32
    reportData1: bytes32
    rootKeyHash: bytes32
    attributeFlags: uint64


@internal
@pure
def _decode_inference_eval(output: Bytes[INFERENCE_OUTPUT_SIZE]) -> (uint256, uint256, bytes32):
    """
    @notice Decodes INFERENCE_EVAL's output.
    @param output The 96 bytes the precompile (or PlainEvaluator) returned.
    @return correct Samples whose argmax equals their label.
    @return total Samples scored.
    @return logitsHash keccak-256 of all logits, 4 bytes little-endian each, sample after sample.
    """
    assert len(output) == INFERENCE_OUTPUT_SIZE, "INFERENCE_EVAL output is not 96 bytes"
    return extract32(output, 0, output_type=uint256), extract32(output, 32, output_type=uint256), \
        extract32(output, 64)


@internal
@view
def _inference_eval_at(evaluator: address, input: Bytes[MAX_INFERENCE_INPUT]) -> (uint256, uint256, bytes32):
    """
    @notice Scores a model on a dataset with INFERENCE_EVAL or a contract with its calling
            convention (Contracts/PlainEvaluator.vy). Reverts if the evaluator fails.
    @param evaluator INFERENCE_EVAL or a PlainEvaluator deployment.
    @param input GGM bytes ‖ GGD bytes.
    @return correct, total, logitsHash as _decode_inference_eval returns them.
    """
    success: bool = False
    output: Bytes[INFERENCE_OUTPUT_SIZE] = b""
    success, output = raw_call(evaluator, input, max_outsize=INFERENCE_OUTPUT_SIZE, is_static_call=True,
                               revert_on_failure=False)
    assert success, "INFERENCE_EVAL failed: malformed model or dataset, or too little gas"
    return self._decode_inference_eval(output)


@internal
@view
def _inference_eval(input: Bytes[MAX_INFERENCE_INPUT]) -> (uint256, uint256, bytes32):
    """
    @notice Scores a model on a dataset with the INFERENCE_EVAL precompile.
    @param input GGM bytes ‖ GGD bytes.
    @return correct, total, logitsHash as _decode_inference_eval returns them.
    """
    return self._inference_eval_at(INFERENCE_EVAL, input)


@internal
@pure
def _decode_attestation(output: Bytes[ATTESTATION_OUTPUT_SIZE]) -> VerifiedQuote:
    """
    @notice Decodes ATTESTATION_VERIFY's 256-byte output (abi_decode checks that the uint16 and
            uint64 words are in range).
    """
    assert len(output) == ATTESTATION_OUTPUT_SIZE, "ATTESTATION_VERIFY output is not 256 bytes"
    return abi_decode(output, VerifiedQuote)


@internal
@view
def _attestation_verify(quote: Bytes[MAX_QUOTE_SIZE]) -> (bool, VerifiedQuote):
    """
    @notice Verifies an SGX DCAP v3 quote with the ATTESTATION_VERIFY precompile.
    @param quote The raw quote.
    @return verified False if the quote failed any check (the fields are then all zero).
    @return attested The verified quote's fields.
    """
    output: Bytes[ATTESTATION_OUTPUT_SIZE] = raw_call(ATTESTATION_VERIFY, quote,
                                                      max_outsize=ATTESTATION_OUTPUT_SIZE, is_static_call=True)
    if len(output) == 0:
        return False, empty(VerifiedQuote)
    return True, self._decode_attestation(output)


@internal
@pure
def _is_debug(attested: VerifiedQuote) -> bool:
    """
    @notice Whether the quote came from a debug enclave (ATTRIBUTES.FLAGS bit 1).
    """
    return attested.attributeFlags & SGX_FLAG_DEBUG != 0
