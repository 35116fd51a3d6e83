# pragma version 0.4.3
# pragma evm-version cancun
# pragma optimize gas
"""
@title PlainEvaluator
@notice INFERENCE_EVAL (the precompile at 0x…1001) in plain EVM code, so that a Marketplace
        deployed with this contract as its evaluator runs on any EVM chain.
@dev    Calling convention, exactly the precompile's (docs/formats.md, "## Inference precompile
        input"): the raw calldata, with no selector and no ABI wrapping, is a GGM model file
        immediately followed by a GGD dataset file; the fallback returns the ABI encoding of
        (uint256 correct, uint256 total, bytes32 logitsHash), 96 bytes. The computation is the
        precompile's, bit for bit (Sources/Inference/QuantizedModel+Evaluation.swift,
        Requantization.swift): int8 Dense layers with int32 accumulators (wrapping bias add),
        gemmlowp requantization (SRDHM with ties toward +inf, then a right shift rounding half
        away from zero, then a clamp to int8), ReLU, int32 logits from the last Dense, argmax =
        the first index of the largest logit, logitsHash = keccak-256 over every logit as 4 bytes
        little-endian two's complement, sample after sample.

        Malformed input: every input the precompile rejects makes this contract revert, with a
        reason string naming the bad value (the precompile instead fails and consumes the gas
        passed to it; either way the caller sees a failed call and no partial result).

        Limits of this contract (the format allows more; an input beyond them reverts with a
        reason that says "exceeds the limit of this evaluator"):
        - every Dense layer has at most MAX_SIZE (128) inputs and outputs, so at most 128
          features and 128 classes;
        - at most MAX_DENSE (4) Dense layers;
        - at most MAX_PACKED (2048) packed weight words in all (inputs × ⌈outputs / lanes⌉ per
          layer, 10 to 16 lanes: a 64 → 64 → 10 model needs 448, 64 → 128 → 10 needs 896);
        - 4 · samples · classes ≤ 32 · MAX_LOGIT_WORDS (16,384 bytes of logits: 409 samples of
          10 classes, so the 360-sample digits split fits in one call). For the digits model the
          30 M block gas limit would allow about 465 samples: docs/gas.md, "Plain EVM
          evaluator", has the gas per call and per sample.

        How it is made cheap in plain EVM code:
        - Packed columns. The weights are transposed once per call into 256-bit words of
          L lanes of k bits: lane l of word (g, i) holds W[g·L + l][i]. One MUL and one ADD then
          do L multiply-accumulates: acc[g] += column(g, i) · x[i] (mod 2^256). k is the least
          width with 2^k > 32640 · inputs and every lane starts at 16256 · inputs, so a lane stays
          in [0, 2^k) (a product of two int8 values lies in [-16256, 16384]) and never carries
          into its neighbour; L · k ≤ 240.
        - Tagged lists. A layer's non-zero inputs are listed as x[i] + (index of column (0, i)) ·
          2^240: the index rides above the lanes, where multiplying it in only disturbs bits
          ≥ 240, which no lane uses. Zero inputs (blank pixels, ReLU outputs) cost nothing.
          The products are summed eight list entries at a time.
        - Requantization four lanes at a time (SWAR, 64-bit lanes), on offset values that are
          never negative. When the next layer has one packed group (10 classes fit one), the
          requantized outputs are multiplied into it directly.
        - The logits go into a word buffer that is hashed once at the end.
"""

MAX_SIZE: constant(uint256) = 128
MAX_DENSE: constant(uint256) = 4
MAX_LAYERS: constant(uint256) = 32  # the format's limit on the layer count
# k ≤ 22 bits for up to 128 inputs, so at least 10 lanes and at most ⌈128 / 10⌉ = 13 words.
MAX_GROUPS: constant(uint256) = 13
MAX_LANES: constant(uint256) = 16  # k ≥ 15
MAX_PACKED: constant(uint256) = 2048
MAX_CONSTS: constant(uint256) = MAX_DENSE * MAX_SIZE
MAX_LIST: constant(uint256) = MAX_SIZE + 8  # a layer's non-zero inputs, padded to a multiple of 8
MAX_LOGIT_WORDS: constant(uint256) = 512
MAX_SAMPLES: constant(uint256) = 8 * MAX_LOGIT_WORDS  # 4 · samples · classes ≤ 32 · MAX_LOGIT_WORDS

FORMAT_SIZE_LIMIT: constant(uint256) = 4096
FORMAT_SAMPLE_LIMIT: constant(uint256) = 1048576
GGM_MAGIC: constant(uint256) = 1195855153  # "GGM1" as a big-endian integer
GGD_MAGIC: constant(uint256) = 1195852849  # "GGD1"
TWO_30: constant(uint256) = 1 << 30
TWO_31: constant(uint256) = 1 << 31
TWO_40: constant(uint256) = 1 << 40
MASK_32: constant(uint256) = (1 << 32) - 1
MASK_64: constant(uint256) = (1 << 64) - 1
TAG_ONE: constant(uint256) = 1 << 240
# Four 64-bit lanes: a 1 in each, 2^32 - 1 in each, 2^63 in each.
REP: constant(uint256) = 1 + (1 << 64) + (1 << 128) + (1 << 192)
REP_32: constant(uint256) = MASK_32 * REP
REP_63: constant(uint256) = (1 << 63) * REP
# 0x7f.. and 0x80.. (in every byte); BYTE_INDEX = 0x000102…1f, 31 - t in byte t (byte 0 the lowest).
LOW_7_BITS: constant(uint256) = 57669001306428065956053000376875938421040345304064124051023973211784186134399
HIGH_BITS: constant(uint256) = 58123087930888129467517984631811969432229639361576439988433610796128943505536
BYTE_INDEX: constant(uint256) = 1780731860627700044960722568376592200742329637303199754547598369979440671
# A product of two int8 values lies in [-16256, 16384].
PRODUCT_LOW: constant(uint256) = 16256
PRODUCT_SPAN: constant(uint256) = 32640


@internal
@view
def _byte(offset: uint256) -> uint256:
    return convert(slice(msg.data, offset, 1), uint256)


@internal
@view
def _u32be(offset: uint256) -> uint256:
    return convert(slice(msg.data, offset, 4), uint256)


@internal
@view
def _u32(offset: uint256) -> uint256:
    # A little-endian u32 at offset.
    b: uint256 = convert(slice(msg.data, offset, 4), uint256)
    return ((b & 255) << 24) | ((b & 65280) << 8) | ((b >> 8) & 65280) | (b >> 24)


@internal
@view
def _word(offset: uint256) -> uint256:
    # The 32 bytes at offset as a big-endian integer, zero-padded past the end of the calldata
    # (callers guarantee offset < len(msg.data), and a valid input is at least 50 bytes long).
    n: uint256 = len(msg.data)
    if offset + 32 <= n:
        return convert(slice(msg.data, offset, 32), uint256)
    return convert(slice(msg.data, n - 32, 32), uint256) << (8 * (offset + 32 - n))


# Failures. Each message names the bad value and what was expected; they are built only when
# the check fails.
@internal
@pure
def _fail(prefix: String[64], amount: uint256, suffix: String[112]):
    raise concat("PlainEvaluator: ", prefix, uint2str(amount), suffix)


@internal
@pure
def _fail2(prefix: String[64], first: uint256, middle: String[64], second: uint256, suffix: String[80]):
    raise concat("PlainEvaluator: ", prefix, uint2str(first), middle, uint2str(second), suffix)


@internal
@pure
def _check_range(field: String[40], amount: uint256, minimum: uint256, maximum: uint256):
    if amount < minimum or amount > maximum:
        raise concat("PlainEvaluator: ", field, " ", uint2str(amount), ", expected ", uint2str(minimum), "...",
                     uint2str(maximum))


@internal
@pure
def _check_limit(field: String[40], amount: uint256, limit: uint256):
    if amount > limit:
        raise concat("PlainEvaluator: ", field, " ", uint2str(amount), " exceeds the limit of this evaluator, ",
                     uint2str(limit))


@internal
@pure
def _check_layer_size(layer: uint256, field: String[8], amount: uint256):
    if amount < 1 or amount > FORMAT_SIZE_LIMIT:
        raise concat("PlainEvaluator: layer ", uint2str(layer), " ", field, " ", uint2str(amount),
                     ", expected 1...4096")


@external
@view
def __default__() -> (uint256, uint256, bytes32):
    """
    @notice Scores a GGM model on a GGD dataset exactly as INFERENCE_EVAL does.
    @dev    Calldata: GGM bytes ‖ GGD bytes (no selector). Returns (correct, total, logitsHash).
    """
    # Every scalar is declared here, before the arrays, so that the arrays (the packed weights
    # last) lie at the top of this function's memory.
    n: uint256 = len(msg.data)
    version: uint256 = 0
    input_size: uint256 = 0
    layer_count: uint256 = 0
    dense_count: uint256 = 0
    previous: uint256 = 0
    produced: uint256 = 0
    off: uint256 = 16
    kind: uint256 = 0
    outputs: uint256 = 0
    inputs: uint256 = 0
    fields: uint256 = 0
    last: uint256 = 0
    classes: uint256 = 0
    samples: uint256 = 0
    features: uint256 = 0
    feature_base: uint256 = 0
    label_base: uint256 = 0
    k: uint256 = 0
    lanes: uint256 = 0
    groups: uint256 = 0
    low: uint256 = 0
    start: uint256 = 0
    ones: uint256 = 0
    first: uint256 = 0
    chunks: uint256 = 0
    in_chunk: uint256 = 0
    left: uint256 = 0
    row: uint256 = 0
    word: uint256 = 0
    byte_shift: uint256 = 0
    multiplier: uint256 = 0
    e: uint256 = 0
    correct: uint256 = 0
    logit_word: uint256 = 0
    logit_shift: uint256 = 224
    feature_at: uint256 = 0
    feature_first: uint256 = 0
    listed: uint256 = 0
    tag: uint256 = 0
    a: uint256 = 0
    s: uint256 = 0
    y: uint256 = 0
    y4: uint256 = 0
    mask: uint256 = 0
    flags: uint256 = 0
    lowest: uint256 = 0
    gi: uint256 = 0
    packed_count: uint256 = 0
    v: uint256 = 0
    c_at: uint256 = 0
    lane_mask: uint256 = 0
    best: uint256 = 0
    best_value: uint256 = 0
    label: uint256 = 0
    c0: uint256 = 0
    c1: uint256 = 0
    negative: uint256 = 0
    y_mask: uint256 = 0
    base: uint256 = 0
    clamp_low: uint256 = 0
    high: uint256 = 0
    above: uint256 = 0
    fused: bool = False
    fused_sum: uint256 = 0
    o: uint256 = 0
    q: uint256 = 0
    e0: uint256 = 0
    e1: uint256 = 0
    e2: uint256 = 0
    e3: uint256 = 0
    e4: uint256 = 0
    e5: uint256 = 0
    e6: uint256 = 0
    e7: uint256 = 0
    i0: uint256 = 0
    i1: uint256 = 0
    i2: uint256 = 0
    i3: uint256 = 0
    i4: uint256 = 0
    i5: uint256 = 0
    i6: uint256 = 0
    i7: uint256 = 0
    k2: uint256 = 0
    k3: uint256 = 0
    k4: uint256 = 0
    k5: uint256 = 0
    k6: uint256 = 0
    k7: uint256 = 0
    k8: uint256 = 0
    k9: uint256 = 0
    k10: uint256 = 0
    k11: uint256 = 0
    k12: uint256 = 0
    k13: uint256 = 0
    k14: uint256 = 0
    k15: uint256 = 0
    m1: uint256 = 0
    m2: uint256 = 0
    m3: uint256 = 0
    sh1: uint256 = 0
    sh2: uint256 = 0
    sh3: uint256 = 0
    r0: uint256 = 0
    r1: uint256 = 0
    r2: uint256 = 0
    r3: uint256 = 0
    r4: uint256 = 0
    r5: uint256 = 0
    r6: uint256 = 0
    r7: uint256 = 0
    r8: uint256 = 0
    r9: uint256 = 0
    r10: uint256 = 0
    r11: uint256 = 0
    r12: uint256 = 0
    r13: uint256 = 0
    r14: uint256 = 0
    r15: uint256 = 0
    # Per Dense layer.
    d_out: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])
    d_in: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])
    d_weights: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])  # calldata offset of the weights
    d_multiplier: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])
    d_shift: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])
    d_relu: bool[MAX_DENSE] = empty(bool[MAX_DENSE])
    d_lane_bits: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])
    d_lanes: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])
    d_groups: uint256[MAX_DENSE + 1] = empty(uint256[MAX_DENSE + 1])
    d_packed: uint256[MAX_DENSE + 1] = empty(uint256[MAX_DENSE + 1])  # first packed word of each layer
    d_consts: uint256[MAX_DENSE] = empty(uint256[MAX_DENSE])  # first bias constant of each layer
    d_start: uint256[MAX_DENSE + 1] = empty(uint256[MAX_DENSE + 1])  # every lane at 16256 · inputs
    acc: uint256[MAX_GROUPS] = empty(uint256[MAX_GROUPS])
    nonzero: uint256[MAX_LIST] = empty(uint256[MAX_LIST])
    consts: DynArray[uint256, MAX_CONSTS] = []
    logit_words: DynArray[uint256, MAX_LOGIT_WORDS] = []
    packed: uint256[MAX_PACKED] = empty(uint256[MAX_PACKED])

    # ---- GGM header.
    if n < 16:
        self._fail("truncated at offset ", n, " while reading the GGM header")
    if self._u32be(0) != GGM_MAGIC:
        raise "PlainEvaluator: bad magic at offset 0, expected GGM1"
    version = self._u32(4)
    if version != 1:
        self._fail("GGM version ", version, ", expected 1")
    input_size = self._u32(8)
    self._check_range("input size", input_size, 1, FORMAT_SIZE_LIMIT)
    self._check_limit("input size", input_size, MAX_SIZE)
    layer_count = self._u32(12)
    self._check_range("layer count", layer_count, 2, MAX_LAYERS)

    # ---- Layers: kinds, order, shapes (the grammar is (Dense ReLU?)+ Argmax).
    produced = input_size
    for layer: uint256 in range(layer_count, bound=MAX_LAYERS):
        if off >= n:
            self._fail("truncated at offset ", off, " while reading a layer kind")
        kind = self._byte(off)
        off += 1
        if kind == 1:
            if off + 8 > n:
                self._fail("truncated at offset ", off, " while reading a Dense layer's sizes")
            outputs = self._u32(off)
            inputs = self._u32(off + 4)
            self._check_layer_size(layer, "outputs", outputs)
            self._check_layer_size(layer, "inputs", inputs)
            if inputs != produced:
                self._fail2("a Dense layer expects ", inputs, " inputs, the layer before produces ", produced, "")
            self._check_limit("Dense layer outputs", outputs, MAX_SIZE)
            self._check_limit("Dense layer count", dense_count + 1, MAX_DENSE)
            fields = off + 8 + outputs * inputs + 4 * outputs
            if fields + 5 > n:
                self._fail2("truncated: a Dense layer's parameters end at offset ", fields + 5, ", the input at ", n,
                            "")
            d_out[dense_count] = outputs
            d_in[dense_count] = inputs
            d_weights[dense_count] = off + 8
            d_multiplier[dense_count] = self._u32(fields)
            d_shift[dense_count] = self._byte(fields + 4)
            dense_count += 1
            produced = outputs
            off = fields + 5
        elif kind == 2:
            if previous != 1:
                self._fail("layer ", layer, ": ReLU must follow a Dense layer")
            d_relu[dense_count - 1] = True
        elif kind == 3:
            if previous != 1:
                self._fail("layer ", layer, ": Argmax must follow a Dense layer")
            if layer != layer_count - 1:
                self._fail("layer ", layer, ": Argmax must be the last layer")
        else:
            self._fail2("layer ", layer, " kind ", kind, ", expected 1 (Dense), 2 (ReLU) or 3 (Argmax)")
        previous = kind
    if previous != 3:
        raise "PlainEvaluator: the last layer must be Argmax"
    last = dense_count - 1
    for d: uint256 in range(last, bound=MAX_DENSE):
        if d_multiplier[d] < TWO_30 or d_multiplier[d] >= TWO_31 or d_shift[d] > 31:
            self._fail2("a Dense layer has multiplier ", d_multiplier[d], " and shift ", d_shift[d],
                        ", expected 1073741824...2147483647 and 0...31")
    if d_multiplier[last] != 0 or d_shift[last] != 0:
        self._fail2("the last Dense layer has multiplier ", d_multiplier[last], " and shift ", d_shift[last],
                    ", expected 0 and 0 (it outputs the int32 logits)")
    classes = d_out[last]

    # ---- Dataset header and the exact length of the input.
    if off + 12 > n:
        self._fail("truncated at offset ", off, " while reading the GGD header")
    if self._u32be(off) != GGD_MAGIC:
        self._fail("bad magic at offset ", off, ", expected GGD1")
    samples = self._u32(off + 4)
    features = self._u32(off + 8)
    self._check_range("sample count", samples, 1, FORMAT_SAMPLE_LIMIT)
    self._check_range("feature count", features, 1, FORMAT_SIZE_LIMIT)
    feature_base = off + 12
    label_base = feature_base + samples * features
    if label_base + samples != n:
        self._fail2("the input has ", n, " bytes, its GGM and GGD headers describe ", label_base + samples, "")
    if features != input_size:
        self._fail2("the dataset has ", features, " features, the model expects ", input_size, "")
    self._check_limit("logit bytes (4 x samples x classes)", 4 * samples * classes, 32 * MAX_LOGIT_WORDS)

    # ---- Per layer: lane geometry, packed columns, constants.
    for d: uint256 in range(dense_count, bound=MAX_DENSE):
        inputs = d_in[d]
        outputs = d_out[d]
        k = 15  # 32640 · 1 < 2^15
        for _: uint256 in range(8):
            if (1 << k) > PRODUCT_SPAN * inputs:
                break
            k += 1
        lanes = 240 // k
        groups = (outputs + lanes - 1) // lanes
        low = PRODUCT_LOW * inputs
        start = 0
        ones = 0
        for lane: uint256 in range(lanes, bound=MAX_LANES):
            start |= low << (k * lane)
            ones |= 1 << (k * lane)
        d_lane_bits[d] = k
        d_lanes[d] = lanes
        d_groups[d] = groups
        d_start[d] = start
        first = packed_count
        d_packed[d] = first
        self._check_limit("packed weight words", first + inputs * groups, MAX_PACKED)
        # Transpose: W[o][i] (row-major in the calldata) goes to lane o % lanes of packed word
        # first + (o // lanes) · inputs + i, first as its unsigned byte; then every lane's byte
        # becomes its signed value by subtracting 256 where bit 7 is set (mod 2^256, so a negative
        # lane borrows from the lane above: that is what a signed packed sum is).
        k2 = 2 * k
        k3 = 3 * k
        k4 = 4 * k
        k5 = 5 * k
        k6 = 6 * k
        k7 = 7 * k
        k8 = 8 * k
        k9 = 9 * k
        k10 = 10 * k
        k11 = 11 * k
        k12 = 12 * k
        k13 = 13 * k
        k14 = 14 * k
        k15 = 15 * k
        chunks = (inputs + 31) // 32
        for g: uint256 in range(groups, bound=MAX_GROUPS):
            left = min(lanes, outputs - g * lanes)
            for chunk: uint256 in range(chunks, bound=MAX_SIZE // 32):
                # Up to 32 weights of each row of the group (rows past the group read as 0).
                row = d_weights[d] + g * lanes * inputs + 32 * chunk
                r0 = self._word(row)
                r1 = self._word(row + inputs) if left > 1 else 0
                r2 = self._word(row + 2 * inputs) if left > 2 else 0
                r3 = self._word(row + 3 * inputs) if left > 3 else 0
                r4 = self._word(row + 4 * inputs) if left > 4 else 0
                r5 = self._word(row + 5 * inputs) if left > 5 else 0
                r6 = self._word(row + 6 * inputs) if left > 6 else 0
                r7 = self._word(row + 7 * inputs) if left > 7 else 0
                r8 = self._word(row + 8 * inputs) if left > 8 else 0
                r9 = self._word(row + 9 * inputs) if left > 9 else 0
                r10 = self._word(row + 10 * inputs) if left > 10 else 0
                r11 = self._word(row + 11 * inputs) if left > 11 else 0
                r12 = self._word(row + 12 * inputs) if left > 12 else 0
                r13 = self._word(row + 13 * inputs) if left > 13 else 0
                r14 = self._word(row + 14 * inputs) if left > 14 else 0
                r15 = self._word(row + 15 * inputs) if left > 15 else 0
                byte_shift = 248
                for _: uint256 in range(min(32, inputs - 32 * chunk), bound=32):
                    word = (((r0 >> byte_shift) & 255) | (((r1 >> byte_shift) & 255) << k)
                            | (((r2 >> byte_shift) & 255) << k2) | (((r3 >> byte_shift) & 255) << k3))
                    if left > 4:
                        word |= ((((r4 >> byte_shift) & 255) << k4) | (((r5 >> byte_shift) & 255) << k5)
                                 | (((r6 >> byte_shift) & 255) << k6) | (((r7 >> byte_shift) & 255) << k7))
                        if left > 8:
                            word |= ((((r8 >> byte_shift) & 255) << k8) | (((r9 >> byte_shift) & 255) << k9)
                                     | (((r10 >> byte_shift) & 255) << k10) | (((r11 >> byte_shift) & 255) << k11))
                            if left > 12:
                                word |= ((((r12 >> byte_shift) & 255) << k12) | (((r13 >> byte_shift) & 255) << k13)
                                         | (((r14 >> byte_shift) & 255) << k14)
                                         | (((r15 >> byte_shift) & 255) << k15))
                    packed[packed_count] = unsafe_sub(word, ((word >> 7) & ones) << 8)
                    packed_count = unsafe_add(packed_count, 1)
                    byte_shift = unsafe_sub(byte_shift, 8)
        d_packed[d + 1] = packed_count
        # Bias constants: a lane holds sum + low, and (lane + c) mod 2^32, c = bias + 2^31 - low,
        # is the wrapped int32 sum + bias, plus 2^31 ("offset binary": unsigned, ordered like the
        # signed value). The last layer keeps one constant per output; the others keep four per
        # word, one per 64-bit lane, for the requantization four outputs at a time.
        d_consts[d] = len(consts)
        row = d_weights[d] + outputs * inputs
        if d == last:
            for _: uint256 in range(outputs, bound=MAX_SIZE):
                consts.append(unsafe_sub(self._u32(row) + TWO_31, low) & MASK_32)
                row += 4
        else:
            for g: uint256 in range(groups, bound=MAX_GROUPS):
                left = min(lanes, outputs - g * lanes)
                for _: uint256 in range((left + 3) // 4, bound=MAX_LANES // 4):
                    word = 0
                    for j: uint256 in range(min(4, left), bound=4):
                        word |= (unsafe_sub(self._u32(row) + TWO_31, low) & MASK_32) << (64 * j)
                        row += 4
                    consts.append(word)
                    left = unsafe_sub(left, min(4, left))

    # ---- The samples.
    chunks = (features + 31) // 32
    feature_at = feature_base
    feature_first = d_packed[0]
    for sample: uint256 in range(samples, bound=MAX_SAMPLES):
        # List the non-zero int8 features as value (two's complement mod 2^256) + tag, where the
        # tag is the index of the feature's packed column (group 0) times 2^240. Bit 7 of each
        # byte of `flags` says whether that feature byte is non-zero ((b & 127) + 127 carries into
        # bit 7 unless the low bits are 0); the loop visits the non-zero bytes only, the lowest
        # first: for the lowest flag 2^(8j + 7), byte j (from the low end) is feature 32 · chunk +
        # 31 - j, and j = (2^(8j) · BYTE_INDEX) >> 248 (BYTE_INDEX has 31 - t in byte t).
        listed = 0
        for chunk: uint256 in range(chunks, bound=MAX_SIZE // 32):
            word = self._word(unsafe_add(feature_at, 32 * chunk))
            in_chunk = min(32, unsafe_sub(features, 32 * chunk))
            if in_chunk < 32:
                word = (word >> (256 - 8 * in_chunk)) << (256 - 8 * in_chunk)
            flags = (unsafe_add(word & LOW_7_BITS, LOW_7_BITS) | word) & HIGH_BITS
            tag = (feature_first + 32 * chunk + 31) << 240
            for _: uint256 in range(32):
                if flags == 0:
                    break
                lowest = flags & unsafe_sub(0, flags)
                flags = flags ^ lowest
                lowest = lowest >> 7
                v = unsafe_div(word, lowest) & 255
                nonzero[listed] = unsafe_sub(unsafe_add(unsafe_sub(v, (v & 128) << 1), tag),
                                             (unsafe_mul(lowest, BYTE_INDEX) >> 248) << 240)
                listed = unsafe_add(listed, 1)
        feature_at = unsafe_add(feature_at, features)

        fused = False
        for d: uint256 in range(dense_count, bound=MAX_DENSE):
            inputs = d_in[d]
            groups = d_groups[d]
            if fused:
                # The layer before accumulated this one's single group already.
                acc[0] = fused_sum
            else:
                start = d_start[d]
                for g: uint256 in range(groups, bound=MAX_GROUPS):
                    acc[g] = start
                # Pad the list to a multiple of 8 with zero values (tagged with a valid index).
                first = d_packed[d]
                for _: uint256 in range(7):
                    if listed % 8 == 0:
                        break
                    nonzero[listed] = first << 240
                    listed = unsafe_add(listed, 1)
                # acc[g] += Σ packed[i + g · inputs] · x[i] over the listed inputs, 8 at a time.
                q = 0
                for _: uint256 in range(MAX_LIST // 8):
                    if q == listed:
                        break
                    e0 = nonzero[q]
                    e1 = nonzero[unsafe_add(q, 1)]
                    e2 = nonzero[unsafe_add(q, 2)]
                    e3 = nonzero[unsafe_add(q, 3)]
                    e4 = nonzero[unsafe_add(q, 4)]
                    e5 = nonzero[unsafe_add(q, 5)]
                    e6 = nonzero[unsafe_add(q, 6)]
                    e7 = nonzero[unsafe_add(q, 7)]
                    i0 = unsafe_add(e0, 128) >> 240
                    i1 = unsafe_add(e1, 128) >> 240
                    i2 = unsafe_add(e2, 128) >> 240
                    i3 = unsafe_add(e3, 128) >> 240
                    i4 = unsafe_add(e4, 128) >> 240
                    i5 = unsafe_add(e5, 128) >> 240
                    i6 = unsafe_add(e6, 128) >> 240
                    i7 = unsafe_add(e7, 128) >> 240
                    gi = 0
                    for g: uint256 in range(groups, bound=MAX_GROUPS):
                        acc[g] = unsafe_add(acc[g], unsafe_add(
                            unsafe_add(
                                unsafe_add(unsafe_mul(packed[unsafe_add(i0, gi)], e0),
                                           unsafe_mul(packed[unsafe_add(i1, gi)], e1)),
                                unsafe_add(unsafe_mul(packed[unsafe_add(i2, gi)], e2),
                                           unsafe_mul(packed[unsafe_add(i3, gi)], e3))),
                            unsafe_add(
                                unsafe_add(unsafe_mul(packed[unsafe_add(i4, gi)], e4),
                                           unsafe_mul(packed[unsafe_add(i5, gi)], e5)),
                                unsafe_add(unsafe_mul(packed[unsafe_add(i6, gi)], e6),
                                           unsafe_mul(packed[unsafe_add(i7, gi)], e7)))))
                        gi = unsafe_add(gi, inputs)
                    q = unsafe_add(q, 8)

            # Decode the lanes: output o is lane o % lanes of acc[o // lanes].
            outputs = d_out[d]
            k = d_lane_bits[d]
            lanes = d_lanes[d]
            lane_mask = (1 << k) - 1
            c_at = d_consts[d]
            if d == last:
                best = 0
                best_value = 0
                o = 0
                for g: uint256 in range(groups, bound=MAX_GROUPS):
                    a = acc[g]
                    for _: uint256 in range(min(lanes, unsafe_sub(outputs, unsafe_mul(g, lanes))), bound=MAX_LANES):
                        s = unsafe_add(a & lane_mask, consts[c_at]) & MASK_32
                        c_at = unsafe_add(c_at, 1)
                        if s > best_value:
                            best_value = s
                            best = o
                        # The logit's 4 bytes little-endian: offset binary back to two's complement.
                        v = s ^ TWO_31
                        logit_word |= (((v & 255) << 24) | ((v & 65280) << 8) | ((v >> 8) & 65280)
                                       | (v >> 24)) << logit_shift
                        if logit_shift == 0:
                            logit_words.append(logit_word)
                            logit_word = 0
                            logit_shift = 224
                        else:
                            logit_shift = unsafe_sub(logit_shift, 32)
                        a = a >> k
                        o = unsafe_add(o, 1)
                label = self._byte(label_base + sample)
                if label >= classes:
                    self._fail2("sample ", sample, " has label ", label,
                                ", expected a label below the class count of the model")
                if best == label:
                    correct += 1
            else:
                # Requantization of an offset-binary accumulator s = acc + 2^31 with multiplier M
                # and shift e, in four 64-bit lanes at once. SRDHM (ties toward +inf) is
                # h = floor((acc·M + 2^30) / 2^31), computed as h' = h + 2^31 =
                # floor((s·M + c0) / 2^31), c0 = (2^31 - M) · 2^31 + 2^30, so h' is in [0, 2^32)
                # (s·M + c0 < 2^64) and h < 0 exactly when bit 31 of h' is 0. The rounding shift
                # is y = floor((h + r - [h < 0 and e > 0]) / 2^e), r = 2^e / 2 rounded down,
                # computed on h + 2^40 ≥ 0 (a multiple of 2^e), which adds base = 2^(40 - e) ≥ 512:
                # y + base = (h' + c1 + (bit 31 of h' if e > 0)) >> e, c1 = 2^40 - 2^31 + r - [e > 0],
                # which is below 2^(41 - e). Then a clamp to [base - 128, base + 127] (ReLU:
                # [base, base + 127]), with lane-wise comparisons read off bit 63.
                multiplier = d_multiplier[d]
                e = d_shift[d]
                c0 = (((TWO_31 - multiplier) << 31) + TWO_30) * REP
                negative = 1 if e > 0 else 0
                c1 = (TWO_40 - TWO_31 + ((1 << e) >> 1) - negative) * REP
                negative = negative * REP
                y_mask = ((1 << (41 - e)) - 1) * REP
                base = TWO_40 >> e
                high = (base + 127) * REP
                above = (base + 128) * REP
                clamp_low = (base if d_relu[d] else base - 128) * REP
                k4 = 4 * k
                sh1 = 64 - k
                sh2 = 128 - 2 * k
                sh3 = 192 - 3 * k
                m1 = lane_mask << 64
                m2 = lane_mask << 128
                m3 = lane_mask << 192
                fused = d_groups[d + 1] == 1
                if fused:
                    # The next layer has a single group: multiply into it here, skipping the list.
                    fused_sum = d_start[d + 1]
                else:
                    listed = 0
                for g: uint256 in range(groups, bound=MAX_GROUPS):
                    a = acc[g]
                    left = min(lanes, unsafe_sub(outputs, unsafe_mul(g, lanes)))
                    first = unsafe_add(d_packed[d + 1], unsafe_mul(g, lanes))
                    tag = first << 240
                    for _: uint256 in range((left + 3) // 4, bound=MAX_LANES // 4):
                        # Lanes 0..3 of a, each widened to 64 bits.
                        y4 = (a & lane_mask) | ((a << sh1) & m1) | ((a << sh2) & m2) | ((a << sh3) & m3)
                        a = a >> k4
                        y4 = unsafe_add(y4, consts[c_at]) & REP_32
                        c_at = unsafe_add(c_at, 1)
                        y4 = (unsafe_add(unsafe_mul(y4, multiplier), c0) >> 31) & REP_32
                        y4 = (unsafe_add(unsafe_add(y4, c1), (y4 >> 31) & negative) >> e) & y_mask
                        mask = unsafe_mul((unsafe_sub(y4 | REP_63, above) >> 63) & REP, MASK_64)
                        y4 = y4 ^ ((y4 ^ high) & mask)
                        mask = unsafe_mul(((unsafe_sub(y4 | REP_63, clamp_low) >> 63) & REP) ^ REP, MASK_64)
                        y4 = y4 ^ ((y4 ^ clamp_low) & mask)
                        if fused:
                            y = y4 & MASK_64
                            if y != base:
                                fused_sum = unsafe_add(fused_sum, unsafe_mul(packed[first], unsafe_sub(y, base)))
                            if left > 1:
                                y = (y4 >> 64) & MASK_64
                                if y != base:
                                    fused_sum = unsafe_add(fused_sum, unsafe_mul(packed[unsafe_add(first, 1)],
                                                                                 unsafe_sub(y, base)))
                                if left > 2:
                                    y = (y4 >> 128) & MASK_64
                                    if y != base:
                                        fused_sum = unsafe_add(fused_sum, unsafe_mul(packed[unsafe_add(first, 2)],
                                                                                     unsafe_sub(y, base)))
                                    if left > 3:
                                        y = y4 >> 192
                                        if y != base:
                                            fused_sum = unsafe_add(fused_sum, unsafe_mul(packed[unsafe_add(first, 3)],
                                                                                         unsafe_sub(y, base)))
                            first = unsafe_add(first, 4)
                        else:
                            y = y4 & MASK_64
                            if y != base:
                                nonzero[listed] = unsafe_add(unsafe_sub(y, base), tag)
                                listed = unsafe_add(listed, 1)
                            if left > 1:
                                y = (y4 >> 64) & MASK_64
                                if y != base:
                                    nonzero[listed] = unsafe_add(unsafe_sub(y, base), unsafe_add(tag, TAG_ONE))
                                    listed = unsafe_add(listed, 1)
                                if left > 2:
                                    y = (y4 >> 128) & MASK_64
                                    if y != base:
                                        nonzero[listed] = unsafe_add(unsafe_sub(y, base), unsafe_add(tag, 2 * TAG_ONE))
                                        listed = unsafe_add(listed, 1)
                                    if left > 3:
                                        y = y4 >> 192
                                        if y != base:
                                            nonzero[listed] = unsafe_add(unsafe_sub(y, base),
                                                                         unsafe_add(tag, 3 * TAG_ONE))
                                            listed = unsafe_add(listed, 1)
                            tag = unsafe_add(tag, 4 * TAG_ONE)
                        left = unsafe_sub(left, 4)

    if logit_shift != 224:
        logit_words.append(logit_word)
    # keccak-256 of the logits: the words' first 4 · samples · classes bytes, big-endian.
    return correct, samples, keccak256(slice(abi_encode(logit_words, ensure_tuple=False), 32, 4 * samples * classes))
