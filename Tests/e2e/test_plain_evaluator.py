"""Contracts/PlainEvaluator.vy against the INFERENCE_EVAL precompile (0x…1001) on a dev node: the
same raw input (GGM ‖ GGD, no selector) must give byte-for-byte the same 96-byte output.

The models and datasets are written here by a small encoder that follows docs/formats.md; the
node's Swift parser is the independent check that they are valid (the precompile fails on an
invalid file), so every case first asserts that the precompile answered 96 bytes. The random
cases are also scored by `reference_evaluate`, a direct Python transcription of the semantics in
docs/formats.md ("GGM model format"), as a third opinion. The digits model is checked against the
accuracy and logits hash that Examples/models/README.md publishes.

Gas figures for docs/gas.md ("Plain EVM evaluator"):
    .venv/bin/python -m pytest Tests/e2e/test_plain_evaluator.py -k gas -s
"""
import json
import random
import struct

import pytest
from Crypto.Hash import keccak
from eth_keys import keys
from web3 import HTTPProvider, Web3
from web3.logs import DISCARD

from conftest import ROOT, NodeProcess, rpc
from marketplace_support import Enclave, deploy_marketplace, expect_success, latest_timestamp, next_block_at, register

ARTIFACT = ROOT / "Contracts" / "build" / "PlainEvaluator.json"
MODEL = ROOT / "Examples" / "models" / "digits-h64.ggm"
TEST_SPLIT = ROOT / "Examples" / "digits" / "test.ggd"
INFERENCE_EVAL = "0x0000000000000000000000000000000000001001"
CHAIN_ID = 31337
BLOCK_GAS_LIMIT = 30_000_000  # Genesis/dev.json
# Examples/models/README.md: digits-h64.ggm on the 360-sample test split.
DIGITS_CORRECT, DIGITS_TOTAL = 350, 360
DIGITS_LOGITS_HASH = bytes.fromhex("1a865d0d82c3ee4a345a338667efe661664304f7aacdcb975e6c57512ac8b9c9")
SEED = 20250521
RANDOM_CASES = 40


# ---- The file formats (docs/formats.md).

def encode_ggm(input_size, layers):
    """layers: ("dense", weights[out][in], biases, multiplier, shift) | ("relu",) | ("argmax",)."""
    out = bytearray(b"GGM1") + struct.pack("<III", 1, input_size, len(layers))
    for layer in layers:
        if layer[0] == "dense":
            _, weights, biases, multiplier, shift = layer
            out += bytes([1]) + struct.pack("<II", len(weights), len(weights[0]))
            for row in weights:
                out += struct.pack(f"<{len(row)}b", *row)
            out += struct.pack(f"<{len(biases)}i", *biases) + struct.pack("<iB", multiplier, shift)
        else:
            out += bytes([2 if layer[0] == "relu" else 3])
    return bytes(out)


def encode_ggd(features, labels):
    out = bytearray(b"GGD1") + struct.pack("<II", len(features), len(features[0]))
    for row in features:
        out += struct.pack(f"<{len(row)}b", *row)
    return bytes(out + bytes(labels))


def split_ggd(data, start, stop):
    """Samples start..<stop of a GGD file, as a GGD file."""
    count, width = struct.unpack("<II", data[4:12])
    features = data[12 + start * width:12 + stop * width]
    labels = data[12 + count * width + start:12 + count * width + stop]
    return b"GGD1" + struct.pack("<II", stop - start, width) + features + labels


def keccak256(data):
    return keccak.new(digest_bits=256, data=bytes(data)).digest()


# ---- The semantics, transcribed from docs/formats.md and gemmlowp's output stage.

def wrap_int32(value):
    return (value + 2**31) % 2**32 - 2**31


def saturating_rounding_doubling_high_multiply(a, b):
    if a == b == -2**31:
        return 2**31 - 1
    product = a * b
    nudged = product + (2**30 if product >= 0 else 1 - 2**30)
    quotient = abs(nudged) // 2**31  # C division: truncate toward zero
    return wrap_int32(quotient if nudged >= 0 else -quotient)


def rounding_right_shift(value, exponent):
    """value / 2^exponent rounded half away from zero."""
    if exponent == 0:
        return value
    magnitude = (abs(value) + (1 << (exponent - 1))) >> exponent
    return magnitude if value >= 0 else -magnitude


def reference_evaluate(input_size, layers, features, labels):
    last_dense = max(index for index, layer in enumerate(layers) if layer[0] == "dense")
    correct, logits_bytes = 0, bytearray()
    for row, label in zip(features, labels):
        assert len(row) == input_size
        values = list(row)
        for index, layer in enumerate(layers):
            if layer[0] == "dense":
                _, weights, biases, multiplier, shift = layer
                accumulators = [wrap_int32(sum(w * v for w, v in zip(weights_row, values)) + bias)
                                for weights_row, bias in zip(weights, biases)]
                if index == last_dense:
                    logits = accumulators
                else:
                    values = [max(-128, min(127, rounding_right_shift(
                        saturating_rounding_doubling_high_multiply(acc, multiplier), shift))) for acc in accumulators]
            elif layer[0] == "relu":
                values = [max(0, v) for v in values]
        best = max(range(len(logits)), key=lambda i: (logits[i], -i))  # the first of the largest
        correct += best == label
        logits_bytes += struct.pack(f"<{len(logits)}i", *logits)
    return correct.to_bytes(32, "big") + len(labels).to_bytes(32, "big") + keccak256(logits_bytes)


def random_case(rng, max_size=16, dense_counts=(2, 3), max_samples=12):
    """A valid model of random Dense shapes with extreme values included, and a dataset for it."""
    dense_count = rng.choice(dense_counts)
    sizes = [rng.randint(1, max_size) for _ in range(dense_count + 1)]

    def int8():
        return rng.choice([-128, 127, 0, rng.randint(-128, 127), rng.randint(-128, 127)])

    def int32():
        return rng.choice([-2**31, 2**31 - 1, rng.randint(-2**31, 2**31 - 1), rng.randint(-2**20, 2**20),
                           rng.randint(-1000, 1000)])

    layers = []
    for d in range(dense_count):
        outputs, inputs = sizes[d + 1], sizes[d]
        final = d == dense_count - 1
        multiplier = 0 if final else rng.choice([2**30, 2**31 - 1, rng.randint(2**30, 2**31 - 1)])
        shift = 0 if final else rng.choice([0, 31, rng.randint(0, 31), rng.randint(0, 12)])
        layers.append(("dense", [[int8() for _ in range(inputs)] for _ in range(outputs)],
                       [int32() for _ in range(outputs)], multiplier, shift))
        if not final and rng.random() < 0.5:
            layers.append(("relu",))
    layers.append(("argmax",))
    samples = rng.randint(1, max_samples)
    features = [[int8() for _ in range(sizes[0])] for _ in range(samples)]
    labels = [rng.randrange(sizes[-1]) for _ in range(samples)]
    return sizes[0], layers, features, labels


# ---- The node and the contract.

@pytest.fixture(scope="module")
def chain(tmp_path_factory, accounts):
    node = NodeProcess(tmp_path_factory.mktemp("plain-evaluator")).start()
    w3 = Web3(HTTPProvider(node.url, request_kwargs={"timeout": 120}))
    deployer = accounts[0]
    artifact = json.loads(ARTIFACT.read_text())
    transaction = {"from": deployer.address, "nonce": w3.eth.get_transaction_count(deployer.address),
                   "chainId": CHAIN_ID, "data": artifact["bytecode"], "gas": 5_000_000,
                   "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    signed = deployer.sign_transaction(transaction)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))
    assert receipt.status == 1
    assert w3.eth.get_code(receipt.contractAddress).hex() == artifact["deployedBytecode"].removeprefix("0x")
    yield node, receipt.contractAddress, receipt.gasUsed
    node.stop()


def call(url, to, data, gas=BLOCK_GAS_LIMIT):
    """eth_call with raw calldata: (output bytes, None) or (None, the error object)."""
    reply = rpc(url, "eth_call", [{"to": to, "data": "0x" + data.hex(), "gas": hex(gas)}, "latest"])
    if "error" in reply:
        return None, reply["error"]
    return bytes.fromhex(reply["result"][2:]), None


def estimate(url, to, data):
    reply = rpc(url, "eth_estimateGas", [{"to": to, "data": "0x" + data.hex()}, "latest"])
    assert "error" not in reply, reply
    return int(reply["result"], 16)


def intrinsic_gas(data):
    """21,000 plus the calldata (EIP-2028: 4 per zero byte, 16 per other byte)."""
    return 21_000 + sum(4 if b == 0 else 16 for b in data)


def assert_same(url, contract, data):
    expected, error = call(url, INFERENCE_EVAL, data)
    assert error is None and len(expected) == 96, f"the precompile rejected the input: {error}"
    got, error = call(url, contract, data)
    assert error is None, f"PlainEvaluator reverted: {error}"
    assert got == expected
    return expected


# ---- Tests.

def test_random_models_match_the_precompile(chain):
    node, contract, _ = chain
    rng = random.Random(SEED)
    relu_seen = 0
    for case in range(RANDOM_CASES):
        input_size, layers, features, labels = random_case(rng)
        data = encode_ggm(input_size, layers) + encode_ggd(features, labels)
        expected = assert_same(node.url, contract, data)
        assert expected == reference_evaluate(input_size, layers, features, labels), f"case {case}"
        relu_seen += any(layer[0] == "relu" for layer in layers)
    assert 0 < relu_seen < RANDOM_CASES  # with and without ReLU


def dense_stack(rng, sizes, relu_after=()):
    """Random Dense layers of the given sizes (sizes[0] inputs), ReLU after the given layers."""
    layers = []
    for d in range(len(sizes) - 1):
        final = d == len(sizes) - 2
        layers.append(("dense", [[rng.randint(-128, 127) for _ in range(sizes[d])] for _ in range(sizes[d + 1])],
                       [rng.randint(-2**16, 2**16) for _ in range(sizes[d + 1])],
                       0 if final else rng.randint(2**30, 2**31 - 1), 0 if final else rng.randint(8, 14)))
        if d in relu_after:
            layers.append(("relu",))
    return layers + [("argmax",)]


def test_wide_models_match_the_precompile(chain):
    """Shapes up to the contract's limits: several 32-byte chunks per row, several packed groups
    per layer, a hidden layer feeding a wide one (the list path) and a narrow one (fused), 128
    classes, 4 Dense layers."""
    node, contract, _ = chain
    rng = random.Random(SEED + 1)
    cases = [random_case(rng, max_size=64, dense_counts=(2, 3, 4), max_samples=4) for _ in range(5)]
    for sizes, relu_after in [([128, 96, 64, 10], (0,)), ([16, 128], ()), ([33, 100, 128], (0,))]:
        features = [[rng.randint(-128, 127) for _ in range(sizes[0])] for _ in range(3)]
        labels = [rng.randrange(sizes[-1]) for _ in range(3)]
        cases.append((sizes[0], dense_stack(rng, sizes, relu_after), features, labels))
    for case, (input_size, layers, features, labels) in enumerate(cases):
        data = encode_ggm(input_size, layers) + encode_ggd(features, labels)
        expected = assert_same(node.url, contract, data)
        assert expected == reference_evaluate(input_size, layers, features, labels), f"case {case}"


def test_digits_full_split_in_one_call(chain):
    node, contract, _ = chain
    output = assert_same(node.url, contract, MODEL.read_bytes() + TEST_SPLIT.read_bytes())
    assert output == DIGITS_CORRECT.to_bytes(32, "big") + DIGITS_TOTAL.to_bytes(32, "big") + DIGITS_LOGITS_HASH


def test_digits_split_in_batches(chain):
    node, contract, _ = chain
    model, split = MODEL.read_bytes(), TEST_SPLIT.read_bytes()
    correct = total = 0
    for start in range(0, DIGITS_TOTAL, 100):
        output = assert_same(node.url, contract, model + split_ggd(split, start, min(start + 100, DIGITS_TOTAL)))
        correct += int.from_bytes(output[:32], "big")
        total += int.from_bytes(output[32:64], "big")
    assert (correct, total) == (DIGITS_CORRECT, DIGITS_TOTAL)


def malformed_inputs():
    """(name, input) pairs that docs/formats.md says the precompile rejects."""
    rng = random.Random(SEED + 4)
    weights = [[rng.randint(-128, 127) for _ in range(4)] for _ in range(3)]
    hidden = ("dense", weights, [1, -2, 3], 2**30 + 5, 3)
    logits = ("dense", [[1, 2, 3], [-4, 5, -6]], [7, 8], 0, 0)
    good_model = [hidden, ("relu",), logits, ("argmax",)]
    dataset = encode_ggd([[1, 2, 3, 4], [-5, 6, -7, 8]], [0, 1])
    model = encode_ggm(4, good_model)
    return [
        ("empty", b""),
        ("bad GGM magic", b"GGM2" + model[4:] + dataset),
        ("version 2", model[:4] + struct.pack("<I", 2) + model[8:] + dataset),
        ("layer count 1", encode_ggm(4, [hidden])[:12] + struct.pack("<I", 1) + encode_ggm(4, [hidden])[16:] + dataset),
        ("unknown kind", encode_ggm(4, [hidden, ("argmax",)])[:-1] + bytes([4]) + dataset),
        ("ReLU first", encode_ggm(4, [("relu",), hidden, ("argmax",)]) + dataset),
        ("ReLU before Argmax", encode_ggm(4, [hidden, ("relu",), logits, ("relu",), ("argmax",)]) + dataset),
        ("no Argmax", encode_ggm(4, [hidden, ("relu",), logits]) + dataset),
        ("Argmax in the middle", encode_ggm(4, [hidden, ("argmax",), logits, ("argmax",)]) + dataset),
        ("shapes do not chain", encode_ggm(4, [hidden, ("dense", [[1, 2]], [0], 0, 0), ("argmax",)]) + dataset),
        ("multiplier below 2^30", encode_ggm(4, [("dense", weights, [0, 0, 0], 2**30 - 1, 3), logits, ("argmax",)])
         + dataset),
        ("negative multiplier", encode_ggm(4, [("dense", weights, [0, 0, 0], -2**31, 3), logits, ("argmax",)])
         + dataset),
        ("shift 32", encode_ggm(4, [("dense", weights, [0, 0, 0], 2**30, 32), logits, ("argmax",)]) + dataset),
        ("final multiplier not 0", encode_ggm(4, [hidden, ("dense", [[1, 2, 3]], [0], 2**30, 0), ("argmax",)])
         + dataset),
        ("final shift not 0", encode_ggm(4, [hidden, ("dense", [[1, 2, 3]], [0], 0, 1), ("argmax",)]) + dataset),
        ("input size 0", model[:8] + struct.pack("<I", 0) + model[12:] + dataset),
        ("truncated weights", model[:40]),
        ("no dataset", model),
        ("bad GGD magic", model + b"GGX1" + dataset[4:]),
        ("zero samples", model + b"GGD1" + struct.pack("<II", 0, 4)),
        ("feature count differs", model + encode_ggd([[1, 2, 3], [4, 5, 6]], [0, 1])),
        ("label equals the class count", model + encode_ggd([[1, 2, 3, 4]], [2])),
        ("a byte short", model + dataset[:-1]),
        ("a trailing byte", model + dataset + b"\x00"),
    ]


def test_malformed_inputs_fail_in_both(chain):
    node, contract, _ = chain
    for name, data in malformed_inputs():
        expected, precompile_error = call(node.url, INFERENCE_EVAL, data)
        assert expected is None, f"{name}: the precompile accepted it"
        got, error = call(node.url, contract, data)
        assert got is None, f"{name}: PlainEvaluator returned {got.hex()}"
        assert error["code"] == 3 and "PlainEvaluator: " in error["message"], (name, error)


def test_beyond_the_contract_limits_it_reverts_with_a_reason(chain):
    """Valid inputs that the precompile scores but this contract does not: it says which limit."""
    node, contract, _ = chain
    rng = random.Random(SEED + 5)
    wide = ("dense", [[rng.randint(-128, 127) for _ in range(4)] for _ in range(129)], [0] * 129, 2**30, 7)
    logits = ("dense", [[rng.randint(-128, 127) for _ in range(129)] for _ in range(2)], [0, 0], 0, 0)
    data = encode_ggm(4, [wide, logits, ("argmax",)]) + encode_ggd([[1, 2, 3, 4]], [0])
    too_many = [("dense", [[1] * 4 for _ in range(4)], [0] * 4, 2**30, 1) for _ in range(4)]
    five_dense = encode_ggm(4, too_many + [("dense", [[1] * 4], [0], 0, 0), ("argmax",)]) \
        + encode_ggd([[1, 2, 3, 4]], [0])
    for limit, data in [("Dense layer outputs 129", data), ("Dense layer count 5", five_dense)]:
        expected, error = call(node.url, INFERENCE_EVAL, data)
        assert error is None and len(expected) == 96
        got, error = call(node.url, contract, data)
        assert got is None and error["code"] == 3
        assert f"{limit} exceeds the limit of this evaluator" in error["message"], error


def test_gas(chain):
    """eth_estimateGas of both evaluators on the digits model and test split, in one call and in
    batches. The precompile's figure is checked against its published formula; the table is
    printed for docs/gas.md."""
    node, contract, deploy_gas = chain
    model, split = MODEL.read_bytes(), TEST_SPLIT.read_bytes()
    macs_per_sample = 64 * 64 + 64 * 10
    rows = []
    for size, calls in ((1, 1), (10, 1), (100, 4), (DIGITS_TOTAL, 1)):
        batches = [split_ggd(split, start, min(start + size, DIGITS_TOTAL))
                   for start in range(0, DIGITS_TOTAL, size)][:calls]
        plain, precompile = [], []
        for batch in batches:
            data = model + batch
            samples = struct.unpack("<I", batch[4:8])[0]
            plain.append(estimate(node.url, contract, data) - intrinsic_gas(data))
            precompile.append(estimate(node.url, INFERENCE_EVAL, data) - intrinsic_gas(data))
            assert precompile[-1] == 1000 + -(-samples * macs_per_sample // 64) + 6 * -(-len(data) // 32)
            assert plain[-1] + intrinsic_gas(data) < BLOCK_GAS_LIMIT
        rows.append((size, len(batches), len(model) + len(batches[0]), plain, precompile,
                     intrinsic_gas(model + batches[0])))
    per_sample = (rows[3][3][0] - rows[2][3][0]) / (DIGITS_TOTAL - 100)
    fixed = rows[2][3][0] - 100 * per_sample
    print(f"\nPlainEvaluator deployment: {deploy_gas:,} gas")
    print("| samples per call | calls | input bytes | PlainEvaluator | INFERENCE_EVAL | ratio | intrinsic |")
    print("|---|---|---|---|---|---|---|")
    for size, calls, length, plain, precompile, intrinsic in rows:
        print(f"| {size} | {calls} | {length:,} | {plain[0]:,} | {precompile[0]:,} | {plain[0] / precompile[0]:,.0f}× "
              f"| {intrinsic:,} |")
    print(f"the split in 4 calls of ≤ 100 samples: PlainEvaluator {sum(rows[2][3]):,}, INFERENCE_EVAL "
          f"{sum(rows[2][4]):,} (execution only)")
    print(f"fit: {fixed:,.0f} per call + {per_sample:,.0f} per sample")


def test_a_marketplace_with_the_plain_evaluator_scores_the_whole_split_in_one_transaction(chain, accounts):
    """Contracts/Marketplace.vy deployed with PlainEvaluator as its evaluator: evaluateOnChain on
    the digits model and the full test split is one transaction under the block gas limit, and
    scores what INFERENCE_EVAL scores (350/360 = 9722 bps)."""
    node, contract, _ = chain
    w3 = Web3(HTTPProvider(node.url, request_kwargs={"timeout": 120}))
    owner, provider, developer, anyone = (account.address for account in accounts[:4])
    market, _ = deploy_marketplace(w3, owner, evaluator=contract)
    assert market.functions.evaluator().call() == contract
    enclave = Enclave("GoldenGrain plain evaluator test enclave")
    register(w3, market, enclave, owner)
    model, split = MODEL.read_bytes(), TEST_SPLIT.read_bytes()
    deadline = latest_timestamp(w3) + 1000
    buyer = keys.PrivateKey(keccak256(b"GoldenGrain plain evaluator test buyer")).public_key.to_bytes()
    receipt = expect_success(w3, market.functions.createTask(
        enclave.address, keccak256(split), "file://digits-test", bytes(125), 5000, 10**18, deadline, buyer),
        provider, value=10**18, gas=3_000_000)
    (task,) = market.events.TaskCreated().process_receipt(receipt, errors=DISCARD)
    receipt = expect_success(w3, market.functions.submitModel(task.args.taskId, keccak256(model), "file://model",
                                                              bytes(125)), developer, gas=3_000_000)
    (submitted,) = market.events.ModelSubmitted().process_receipt(receipt, errors=DISCARD)
    next_block_at(w3, deadline + 1)
    receipt = expect_success(w3, market.functions.evaluateOnChain(submitted.args.modelId, model, split), anyone,
                             gas=BLOCK_GAS_LIMIT)
    (sold,) = market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
    assert sold.args.accuracyBps == 10_000 * DIGITS_CORRECT // DIGITS_TOTAL
    assert receipt.gasUsed < BLOCK_GAS_LIMIT
    print(f"\nMarketplace.evaluateOnChain with PlainEvaluator, 360 samples: {receipt.gasUsed:,} gas")
