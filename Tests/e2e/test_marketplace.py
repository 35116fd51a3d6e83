"""Contracts/Marketplace.vy against a real `goldengrain node --dev`, with web3.py: every rule of issue 11,
each rejection by its exact reason, the attacks the issue lists, the price formula against values
computed by hand, exact balances, evaluateOnChain with the example digits model, and contract
recipients (costly fallback, re-entry).

One node and one deployment per module; every test starts from an evm_snapshot of that state and
is reverted afterwards. The transactions under test carry explicit gas (no eth_estimateGas), so
each one is mined and its outcome is read from its receipt; revert reasons come from debug_traceTransaction's output,
decoded here as Error(string). Times are exact: `next_block_at` fixes the next block's timestamp.
"""
import json
import pathlib
import subprocess
import sys
from types import SimpleNamespace

import pytest
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_typed_data
from eth_keys import keys
from eth_utils import keccak, to_checksum_address
from web3 import HTTPProvider, Web3
from web3.logs import DISCARD

from conftest import BINARY, ROOT, NodeProcess
from marketplace_support import (
    BPS, CHAIN_ID, DIGITS_MODEL, DIGITS_TEST, INFERENCE_EVAL, QUOTE_ATTRIBUTES, QUOTE_REPORT_DATA, RESULT_WINDOW,
    REVERT_GAS, SIMULATED_MRENCLAVE, ZERO_ADDRESS, Enclave, artifact, binding, cli_registration_quote, decode_reason,
    deploy_marketplace, expect_revert, expect_success, gas_cost, high_s, latest_timestamp, next_block_at,
    quote_for_report_data, raw_calldata, register, registration_quote, revert_data, revert_to, rpc, send_raw_call,
    sign_result, snapshot, transact, typed_result,
)

GAS = REVERT_GAS
EVAL_GAS = 8_000_000
ETHER = 10**18

ENCLAVE = Enclave("GoldenGrain e2e enclave A")
OTHER_ENCLAVE = Enclave("GoldenGrain e2e enclave B")
UNREGISTERED = Enclave("GoldenGrain e2e enclave never registered")
BUYER_PUBLIC_KEY = keys.PrivateKey(keccak(text="GoldenGrain e2e buyer")).public_key.to_bytes()

DIGITS_MODEL_BYTES = DIGITS_MODEL.read_bytes()
DIGITS_TEST_BYTES = DIGITS_TEST.read_bytes()
DATASET_HASH = keccak(DIGITS_TEST_BYTES)
DIGITS_MODEL_HASH = keccak(DIGITS_MODEL_BYTES)
# Opaque to the contract: ECIES envelopes of 32-byte keys are 32 + 93 = 125 bytes (docs/formats.md).
SEALED_DATASET_KEY = bytes(range(125))
SEALED_MODEL_KEY = bytes(range(3, 128))
KEY_FOR_BUYER = bytes(range(7, 132))
LOGITS_HASH = keccak(b"logits")


def model_hash(n):
    return keccak(b"model %d" % n)


# ---------------------------------------------------------------------------------------------
# Fixtures: one node, one marketplace with ENCLAVE registered; a snapshot per test.

@pytest.fixture(scope="module")
def market_node(tmp_path_factory):
    process = NodeProcess(tmp_path_factory.mktemp("marketplace")).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def w3(market_node):
    return Web3(HTTPProvider(market_node.url, request_kwargs={"timeout": 60}))


@pytest.fixture(scope="module")
def deployed(w3, accounts):
    market, deploy_receipt = deploy_marketplace(w3, accounts[0].address)
    # Anyone may register: account 9 sends it, not the owner.
    register_receipt = register(w3, market, ENCLAVE, accounts[9].address)
    return SimpleNamespace(market=market, deploy_receipt=deploy_receipt, register_receipt=register_receipt)


@pytest.fixture
def m(w3, deployed, accounts):
    snapshot_id = snapshot(w3)
    context = SimpleNamespace(
        w3=w3, market=deployed.market, owner=accounts[0].address, provider=accounts[1].address,
        dev=accounts[2].address, dev2=accounts[3].address, relayer=accounts[4].address,
        provider2=accounts[5].address, stranger=accounts[6].address, accounts=accounts)
    yield context
    revert_to(w3, snapshot_id)


def create_task(m, *, market=None, provider=None, budget=ETHER, minimum=5000, max_price=ETHER // 10, deadline=None,
                enclave=None, dataset_hash=DATASET_HASH, uri="ipfs://digits-test", sealed=SEALED_DATASET_KEY,
                buyer=BUYER_PUBLIC_KEY):
    market = market or m.market
    deadline = deadline if deadline is not None else latest_timestamp(m.w3) + 1000
    receipt = expect_success(m.w3, market.functions.createTask(
        enclave or ENCLAVE.address, dataset_hash, uri, sealed, minimum, max_price, deadline, buyer),
        provider or m.provider, value=budget, gas=GAS)
    (event,) = market.events.TaskCreated().process_receipt(receipt, errors=DISCARD)
    return event.args.taskId, deadline


def submit_model(m, task_id, hash_, *, market=None, developer=None, uri="ipfs://model", sealed=SEALED_MODEL_KEY):
    market = market or m.market
    receipt = expect_success(m.w3, market.functions.submitModel(task_id, hash_, uri, sealed), developer or m.dev,
                             gas=GAS)
    (event,) = market.events.ModelSubmitted().process_receipt(receipt, errors=DISCARD)
    return event.args.modelId


def signed(m, task_id, model_id, hash_, accuracy, *, market=None, enclave=ENCLAVE, key=KEY_FOR_BUYER,
           logits=LOGITS_HASH, dataset_hash=DATASET_HASH, chain_id=CHAIN_ID, verifying=None):
    market = market or m.market
    return sign_result(enclave, marketplace=verifying or market.address, task_id=task_id, model_id=model_id,
                       model_hash=hash_, dataset_hash=dataset_hash, accuracy=accuracy, logits_hash=logits,
                       key_for_buyer=key, chain_id=chain_id)


def submit_result(m, model_id, accuracy, signature, *, market=None, key=KEY_FOR_BUYER, logits=LOGITS_HASH,
                  sender=None):
    market = market or m.market
    return expect_success(m.w3, market.functions.submitResult(model_id, accuracy, logits, key, signature),
                          sender or m.relayer, gas=GAS)


def reject_result(m, model_id, accuracy, signature, reason, *, market=None, key=KEY_FOR_BUYER, logits=LOGITS_HASH):
    market = market or m.market
    return expect_revert(m.w3, market.functions.submitResult(model_id, accuracy, logits, key, signature), m.relayer,
                         reason)


def balance(m, address):
    return m.w3.eth.get_balance(address)


# ---------------------------------------------------------------------------------------------
# Deployment

def test_deployment_state(m, deployed):
    market = m.market
    assert market.functions.owner().call() == m.owner
    assert market.functions.evaluator().call() == Web3.to_checksum_address(INFERENCE_EVAL)
    assert market.functions.resultWindow().call() == RESULT_WINDOW
    assert market.functions.isMeasurementTrusted(SIMULATED_MRENCLAVE).call() is True
    assert market.functions.isMeasurementTrusted(keccak(b"another enclave")).call() is False
    # The committed runtime code is what the creation transaction left (Vyper appends the immutables).
    code = bytes(m.w3.eth.get_code(market.address))
    runtime = bytes.fromhex(artifact()["deployedBytecode"][2:])
    assert len(code) > len(runtime) and code[:len(runtime)] == runtime


def test_domain_separator_is_eip712_of_the_issue_domain(m):
    message = encode_typed_data(full_message=typed_result(CHAIN_ID, m.market.address, 1, 1, bytes(32), bytes(32), 0,
                                                          bytes(32), b""))
    assert m.market.functions.domainSeparator().call() == message.header
    # The same by hand: keccak256(typeHash ‖ keccak(name) ‖ keccak(version) ‖ chainId ‖ verifyingContract).
    type_hash = keccak(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    by_hand = keccak(abi_encode(["bytes32", "bytes32", "bytes32", "uint256", "address"],
                                [type_hash, keccak(b"GoldenGrain"), keccak(b"1"), CHAIN_ID, m.market.address]))
    assert message.header == by_hand


@pytest.mark.parametrize("owner,evaluator,window,reason", [
    (ZERO_ADDRESS, INFERENCE_EVAL, RESULT_WINDOW, "owner is the zero address"),
    (None, ZERO_ADDRESS, RESULT_WINDOW, "evaluator is the zero address"),
    (None, INFERENCE_EVAL, 0, "result window must be positive"),
])
def test_constructor_rejections(m, owner, evaluator, window, reason):
    factory = m.w3.eth.contract(abi=artifact()["abi"], bytecode=artifact()["bytecode"])
    receipt = m.w3.eth.wait_for_transaction_receipt(factory.constructor(
        owner or m.owner, [SIMULATED_MRENCLAVE], evaluator, window).transact({"from": m.owner, "gas": GAS}))
    assert receipt.status == 0
    assert decode_reason(revert_data(m.w3, receipt.transactionHash)) == reason


# ---------------------------------------------------------------------------------------------
# Rule 1: registerEnclave

def test_register_enclave_by_anyone(m, deployed):
    # The module fixture registered ENCLAVE from account 9.
    (event,) = m.market.events.EnclaveRegistered().process_receipt(deployed.register_receipt, errors=DISCARD)
    assert event.args.enclave == ENCLAVE.address
    assert event.args.mrEnclave == SIMULATED_MRENCLAVE
    assert event.args.isvSvn == 1  # docs/formats.md: the SIMULATED enclave's ISVSVN
    assert m.market.functions.isEnclave(ENCLAVE.address).call() is True
    assert m.market.functions.enclavePublicKey(ENCLAVE.address).call() == ENCLAVE.public_key

    quote = registration_quote(OTHER_ENCLAVE, CHAIN_ID, m.market.address)
    call = m.market.functions.registerEnclave(quote, OTHER_ENCLAVE.public_key)
    assert call.call({"from": m.stranger}) == OTHER_ENCLAVE.address  # the return value: keccak(key)[12:]
    assert m.market.functions.isEnclave(OTHER_ENCLAVE.address).call() is False
    receipt = expect_success(m.w3, call, m.stranger, gas=GAS)
    (event,) = m.market.events.EnclaveRegistered().process_receipt(receipt, errors=DISCARD)
    assert event.args.enclave == OTHER_ENCLAVE.address
    assert m.market.functions.isEnclave(OTHER_ENCLAVE.address).call() is True


def test_register_with_the_cli_binding(m):
    """`goldengrain enclave quote --chain-id --marketplace` binds what issue 11 says, byte for byte."""
    quote = cli_registration_quote(OTHER_ENCLAVE.private_key, CHAIN_ID, m.market.address)
    report_data0 = quote[QUOTE_REPORT_DATA:QUOTE_REPORT_DATA + 32]
    assert report_data0 == binding(OTHER_ENCLAVE.public_key, CHAIN_ID, m.market.address)
    register(m.w3, m.market, OTHER_ENCLAVE, m.stranger, quote=quote)
    assert m.market.functions.isEnclave(OTHER_ENCLAVE.address).call() is True


def test_report_data1_is_the_enclaves_own(m):
    quote = registration_quote(OTHER_ENCLAVE, CHAIN_ID, m.market.address, report_data1=b"\xff" * 32)
    register(m.w3, m.market, OTHER_ENCLAVE, m.stranger, quote=quote)


@pytest.mark.parametrize("length", [0, 1, 63])
def test_register_rejects_a_short_public_key(m, length):
    quote = registration_quote(OTHER_ENCLAVE, CHAIN_ID, m.market.address)
    expect_revert(m.w3, m.market.functions.registerEnclave(quote, OTHER_ENCLAVE.public_key[:length]), m.stranger,
                  "enclave public key must be 64 bytes")


def test_register_rejects_a_prefixed_public_key(m):
    """65 bytes (0x04 ‖ x ‖ y) exceeds Bytes[64]: the ABI decoder refuses it before any rule."""
    quote = registration_quote(OTHER_ENCLAVE, CHAIN_ID, m.market.address)
    data = raw_calldata("registerEnclave(bytes,bytes)", ["bytes", "bytes"], [quote, b"\x04" + OTHER_ENCLAVE.public_key])
    receipt = send_raw_call(m.w3, m.stranger, m.market.address, data)
    assert receipt.status == 0 and revert_data(m.w3, receipt.transactionHash) == b""


def test_register_twice_is_refused(m):
    quote = registration_quote(ENCLAVE, CHAIN_ID, m.market.address)
    expect_revert(m.w3, m.market.functions.registerEnclave(quote, ENCLAVE.public_key), m.stranger,
                  "enclave already registered")


def test_quote_rejected(m):
    good = registration_quote(OTHER_ENCLAVE, CHAIN_ID, m.market.address)
    tampered_signature = bytearray(good)
    tampered_signature[440] ^= 1  # inside the ISV report signature (offset 436)
    tampered_report = bytearray(good)
    tampered_report[QUOTE_REPORT_DATA + 40] ^= 1  # reportData1 changed after signing
    for quote in [b"", b"\x00" * 64, bytes(good[:-1]), bytes(tampered_signature), bytes(tampered_report)]:
        expect_revert(m.w3, m.market.functions.registerEnclave(quote, OTHER_ENCLAVE.public_key), m.stranger,
                      "quote rejected")
    assert m.market.functions.isEnclave(OTHER_ENCLAVE.address).call() is False


def test_untrusted_measurement(m, accounts):
    quote = registration_quote(OTHER_ENCLAVE, CHAIN_ID, m.market.address)
    expect_success(m.w3, m.market.functions.setMeasurementTrusted(SIMULATED_MRENCLAVE, False), m.owner, gas=GAS)
    assert m.market.functions.isMeasurementTrusted(SIMULATED_MRENCLAVE).call() is False
    expect_revert(m.w3, m.market.functions.registerEnclave(quote, OTHER_ENCLAVE.public_key), m.stranger,
                  "untrusted measurement")
    # A marketplace that trusts nothing refuses the same enclave.
    empty, _ = deploy_marketplace(m.w3, m.owner, trusted=[])
    expect_revert(m.w3, empty.functions.registerEnclave(registration_quote(OTHER_ENCLAVE, CHAIN_ID, empty.address),
                                                        OTHER_ENCLAVE.public_key), m.stranger, "untrusted measurement")


def test_debug_enclave(m):
    quote = cli_registration_quote(OTHER_ENCLAVE.private_key, CHAIN_ID, m.market.address, debug=True)
    flags = int.from_bytes(quote[QUOTE_ATTRIBUTES:QUOTE_ATTRIBUTES + 8], "little")
    assert flags & 2, f"--debug quote has ATTRIBUTES flags {flags:#x}, expected the DEBUG bit (0x2)"
    assert quote[QUOTE_REPORT_DATA:QUOTE_REPORT_DATA + 32] == binding(OTHER_ENCLAVE.public_key, CHAIN_ID,
                                                                       m.market.address)
    expect_revert(m.w3, m.market.functions.registerEnclave(quote, OTHER_ENCLAVE.public_key), m.stranger,
                  "debug enclave")
    # The same key with a production quote registers.
    production = cli_registration_quote(OTHER_ENCLAVE.private_key, CHAIN_ID, m.market.address)
    assert int.from_bytes(production[QUOTE_ATTRIBUTES:QUOTE_ATTRIBUTES + 8], "little") & 2 == 0
    register(m.w3, m.market, OTHER_ENCLAVE, m.stranger, quote=production)


def test_report_data_mismatch(m):
    """The quote names the key, the chain and the marketplace: a quote bound to anything else fails."""
    market = m.market.address
    other_market, _ = deploy_marketplace(m.w3, m.owner)
    key = OTHER_ENCLAVE
    wrong = {
        "another chain id": binding(key.public_key, 1, market),
        "another contract": binding(key.public_key, CHAIN_ID, other_market.address),
        "another key": binding(UNREGISTERED.public_key, CHAIN_ID, market),
        "the address-only layout": bytes.fromhex(key.address[2:]) + bytes(12),
        "chain id and address swapped": keccak(key.public_key + bytes(12) + bytes.fromhex(market[2:])
                                               + CHAIN_ID.to_bytes(32, "big")),
    }
    for name, report_data0 in wrong.items():
        quote = quote_for_report_data(key.private_key, report_data0 + bytes(32))
        receipt = transact(m.w3, m.market.functions.registerEnclave(quote, key.public_key), m.stranger, gas=GAS)
        assert receipt.status == 0, f"a quote bound to {name} registered"
        assert decode_reason(revert_data(m.w3, receipt.transactionHash)) == "report data mismatch", name
    # The quote bound to the other contract is good there, and only there.
    register(m.w3, other_market, key, m.stranger,
             quote=registration_quote(key, CHAIN_ID, other_market.address))
    assert m.market.functions.isEnclave(key.address).call() is False


def test_set_measurement_trusted_is_owner_only(m):
    expect_revert(m.w3, m.market.functions.setMeasurementTrusted(SIMULATED_MRENCLAVE, False), m.stranger,
                  "only the owner")
    measurement = keccak(b"a new enclave build")
    expect_success(m.w3, m.market.functions.setMeasurementTrusted(measurement, True), m.owner, gas=GAS)
    assert m.market.functions.isMeasurementTrusted(measurement).call() is True


def test_untrusting_a_measurement_stops_its_enclaves(m):
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    expect_success(m.w3, m.market.functions.setMeasurementTrusted(SIMULATED_MRENCLAVE, False), m.owner, gas=GAS)
    assert m.market.functions.isEnclave(ENCLAVE.address).call() is False
    expect_revert(m.w3, m.market.functions.createTask(ENCLAVE.address, DATASET_HASH, "u", SEALED_DATASET_KEY, 0, 1,
                                                      latest_timestamp(m.w3) + 100, BUYER_PUBLIC_KEY),
                  m.provider, "unknown enclave", value=1)
    signature = signed(m, task_id, model_id, model_hash(1), 9000)
    reject_result(m, model_id, 9000, signature, "enclave measurement no longer trusted")
    expect_success(m.w3, m.market.functions.setMeasurementTrusted(SIMULATED_MRENCLAVE, True), m.owner, gas=GAS)
    submit_result(m, model_id, 9000, signature)
    assert m.market.functions.modelStatus(model_id).call() == 2


# ---------------------------------------------------------------------------------------------
# Rule 2: createTask

def test_create_task(m):
    deadline = latest_timestamp(m.w3) + 500
    call = m.market.functions.createTask(ENCLAVE.address, DATASET_HASH, "ipfs://digits", SEALED_DATASET_KEY, 6000,
                                         5 * ETHER, deadline, BUYER_PUBLIC_KEY)
    assert call.call({"from": m.provider, "value": ETHER}) == 1
    receipt = expect_success(m.w3, call, m.provider, value=ETHER, gas=GAS)
    (event,) = m.market.events.TaskCreated().process_receipt(receipt, errors=DISCARD)
    assert dict(event.args) == {"taskId": 1, "provider": m.provider, "enclave": ENCLAVE.address, "budget": ETHER,
                                "deadline": deadline}
    # maxPricePerModel (5 ether) may exceed the budget (1 ether).
    assert m.market.functions.taskInfo(1).call() == [m.provider, ENCLAVE.address, DATASET_HASH, 6000, 5 * ETHER,
                                                     deadline, ETHER, 0]
    assert m.market.functions.taskData(1).call() == ["ipfs://digits", SEALED_DATASET_KEY, BUYER_PUBLIC_KEY]
    assert m.market.functions.budgetLeft(1).call() == ETHER
    assert balance(m, m.market.address) == ETHER
    second, _ = create_task(m, provider=m.provider2, budget=7)
    assert second == 2
    assert balance(m, m.market.address) == ETHER + 7


def test_create_task_rejections(m):
    now = latest_timestamp(m.w3)

    def attempt(reason, value=ETHER, enclave=ENCLAVE.address, minimum=5000, max_price=ETHER, deadline=now + 1000,
                buyer=BUYER_PUBLIC_KEY, sealed=SEALED_DATASET_KEY):
        expect_revert(m.w3, m.market.functions.createTask(enclave, DATASET_HASH, "u", sealed, minimum, max_price,
                                                          deadline, buyer), m.provider, reason, value=value)

    attempt("budget must be positive", value=0)
    attempt("unknown enclave", enclave=UNREGISTERED.address)
    attempt("unknown enclave", enclave=ZERO_ADDRESS)
    attempt("minimum accuracy above 10000 bps", minimum=10001)
    attempt("minimum accuracy above 10000 bps", minimum=65535)
    attempt("max price per model must be positive", max_price=0)
    # Beyond issue 11: the contract bounds the price so that max × 10000 cannot overflow.
    attempt("max price per model too large", max_price=(2**256 - 1) // BPS + 1)
    attempt("buyer public key must be 64 bytes", buyer=BUYER_PUBLIC_KEY[:63])
    attempt("buyer public key must be 64 bytes", buyer=b"")
    attempt("sealed dataset key is empty", sealed=b"")
    attempt("deadline must be in the future", deadline=now - 1)
    # deadline > now: equal is refused, one second later is accepted.
    start = latest_timestamp(m.w3) + 10
    next_block_at(m.w3, start)
    attempt("deadline must be in the future", deadline=start)
    next_block_at(m.w3, start + 1)
    create_task(m, deadline=start + 2, minimum=10000, max_price=(2**256 - 1) // BPS)
    assert balance(m, m.market.address) == ETHER


def test_create_task_buyer_key_longer_than_64_bytes_fails_abi_bounds(m):
    data = raw_calldata("createTask(address,bytes32,string,bytes,uint16,uint256,uint256,bytes)",
                        ["address", "bytes32", "string", "bytes", "uint16", "uint256", "uint256", "bytes"],
                        [ENCLAVE.address, DATASET_HASH, "u", SEALED_DATASET_KEY, 0, 1,
                         latest_timestamp(m.w3) + 100, b"\x04" + BUYER_PUBLIC_KEY])
    receipt = send_raw_call(m.w3, m.provider, m.market.address, data, value=1)
    assert receipt.status == 0 and revert_data(m.w3, receipt.transactionHash) == b""
    assert balance(m, m.market.address) == 0


# ---------------------------------------------------------------------------------------------
# Rule 3: submitModel

def test_submit_model(m):
    task_id, _ = create_task(m)
    other_task, _ = create_task(m, provider=m.provider2)
    call = m.market.functions.submitModel(task_id, model_hash(1), "ipfs://m1", SEALED_MODEL_KEY)
    assert call.call({"from": m.dev}) == 1
    receipt = expect_success(m.w3, call, m.dev, gas=GAS)
    (event,) = m.market.events.ModelSubmitted().process_receipt(receipt, errors=DISCARD)
    assert dict(event.args) == {"taskId": task_id, "modelId": 1, "developer": m.dev, "modelHash": model_hash(1)}
    assert m.market.functions.modelInfo(1).call() == [task_id, m.dev, model_hash(1), 1, 0]
    assert m.market.functions.modelData(1).call() == ["ipfs://m1", SEALED_MODEL_KEY]
    assert m.market.functions.modelStatus(1).call() == 1
    # Model ids are global: the next model, in another task, is 2; the same hash is fine in another task.
    assert submit_model(m, other_task, model_hash(1), developer=m.dev2) == 2
    assert submit_model(m, task_id, model_hash(2), developer=m.dev2) == 3
    assert m.market.functions.taskInfo(task_id).call()[7] == 2
    assert m.market.functions.taskInfo(other_task).call()[7] == 1


def test_submit_model_rejections(m):
    task_id, deadline = create_task(m)
    submit_model(m, task_id, model_hash(1))

    def attempt(reason, task=task_id, hash_=model_hash(2), sealed=SEALED_MODEL_KEY, developer=m.dev):
        expect_revert(m.w3, m.market.functions.submitModel(task, hash_, "u", sealed), developer, reason)

    attempt("unknown task", task=0)
    attempt("unknown task", task=99)
    attempt("sealed model key is empty", sealed=b"")
    attempt("model already submitted to this task", hash_=model_hash(1))
    attempt("model already submitted to this task", hash_=model_hash(1), developer=m.dev2)
    # While now < deadline: one second before is accepted, at the deadline it is refused.
    next_block_at(m.w3, deadline - 1)
    submit_model(m, task_id, model_hash(2))
    next_block_at(m.w3, deadline)
    attempt("task deadline passed", hash_=model_hash(3))


# ---------------------------------------------------------------------------------------------
# Rule 4: submitResult, the price and the budget

def test_sale_releases_key_and_pays_in_one_transaction(m):
    task_id, _ = create_task(m, budget=ETHER, minimum=5000, max_price=ETHER // 10)
    model_id = submit_model(m, task_id, model_hash(1))
    signature = signed(m, task_id, model_id, model_hash(1), 9722)
    # Anyone may relay, before the deadline too.
    receipt = submit_result(m, model_id, 9722, signature, sender=m.relayer)
    (sold,) = m.market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
    expected_price = 94_440_000_000_000_000  # 10**17 × (9722 − 5000) / 5000 = 10**17 × 4722 / 5000, exact
    assert dict(sold.args) == {"taskId": task_id, "modelId": model_id, "developer": m.dev, "accuracyBps": 9722,
                               "price": expected_price, "keyForBuyer": KEY_FOR_BUYER}
    assert m.market.events.ModelScored().process_receipt(receipt, errors=DISCARD) == ()
    assert m.market.functions.modelStatus(model_id).call() == 2
    assert m.market.functions.modelAccuracy(model_id).call() == 9722
    assert m.market.functions.modelInfo(model_id).call() == [task_id, m.dev, model_hash(1), 2, 9722]
    assert m.market.functions.budgetLeft(task_id).call() == ETHER - expected_price
    assert m.market.functions.credit(m.dev).call() == expected_price
    assert m.market.functions.credit(m.relayer).call() == 0
    assert balance(m, m.market.address) == ETHER


# (budget, minAccuracyBps, maxPricePerModel, accuracyBps) → price if sold, None if only scored.
# Each price worked out by hand: ⌊max × (acc − min) / (10000 − min)⌋, multiplying first.
PRICE_CASES = [
    pytest.param(10**7, 5000, 1_000_000, 9722, 944_400, id="1e6*4722/5000=944400"),
    pytest.param(10**7, 3333, 999, 7777, 665, id="999*4444/6667=665.9->665"),
    pytest.param(10**7, 0, 3, 5000, 1, id="multiply-first 3*5000/10000=1 (divide-first gives 0)"),
    pytest.param(10**7, 0, 7, 9999, 6, id="7*9999/10000=6.9993->6"),
    pytest.param(10**18, 2500, 10**18 + 1, 2501, 133_333_333_333_333, id="(1e18+1)*1/7500->133333333333333"),
    pytest.param(10**20, 9000, 10**18, 10000, 10**18, id="acc 10000 is the full price"),
    pytest.param(10**7, 10000, 12_345, 10000, 12_345, id="min=acc=10000 full price"),
    pytest.param(10**7, 10000, 12_345, 9999, None, id="min 10000, acc 9999 below minimum"),
    pytest.param(10**7, 6000, 10**6, 5999, None, id="below minimum"),
    pytest.param(10**7, 4000, 10**6, 4000, None, id="acc=min: price 0, scored"),
    pytest.param(10**7, 0, 1, 9999, None, id="1*9999/10000=0: price 0, scored"),
    pytest.param(10**7, 0, 10**6, 0, None, id="acc 0 min 0: price 0, scored"),
    pytest.param(100, 0, 1000, 10000, None, id="price 1000 above budget 100: scored, nothing paid"),
    pytest.param(500, 0, 1000, 5000, 500, id="price equal to the budget left: sold"),
    pytest.param(ETHER, 0, (2**256 - 1) // BPS, 10000, None, id="largest max price: no overflow, above budget"),
]


@pytest.mark.parametrize("budget,minimum,max_price,accuracy,expected", PRICE_CASES)
def test_price(m, budget, minimum, max_price, accuracy, expected):
    task_id, _ = create_task(m, budget=budget, minimum=minimum, max_price=max_price)
    model_id = submit_model(m, task_id, model_hash(1))
    receipt = submit_result(m, model_id, accuracy, signed(m, task_id, model_id, model_hash(1), accuracy))
    sold = m.market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
    scored = m.market.events.ModelScored().process_receipt(receipt, errors=DISCARD)
    assert m.market.functions.modelAccuracy(model_id).call() == accuracy
    if expected is None:
        assert sold == () and len(scored) == 1
        assert dict(scored[0].args) == {"taskId": task_id, "modelId": model_id, "accuracyBps": accuracy}
        assert m.market.functions.modelStatus(model_id).call() == 3
        assert m.market.functions.budgetLeft(task_id).call() == budget
        assert m.market.functions.credit(m.dev).call() == 0
    else:
        assert scored == () and len(sold) == 1
        assert sold[0].args.price == expected and sold[0].args.keyForBuyer == KEY_FOR_BUYER
        assert m.market.functions.modelStatus(model_id).call() == 2
        assert m.market.functions.budgetLeft(task_id).call() == budget - expected
        assert m.market.functions.credit(m.dev).call() == expected
    assert balance(m, m.market.address) == budget


def test_budget_accounting_all_or_nothing(m):
    """Budget 1000, min 0, max 600: each sale takes its full price from what is left, or nothing."""
    task_id, _ = create_task(m, budget=1000, minimum=0, max_price=600)
    story = [  # (developer, accuracy, price if sold, budget left after)
        (m.dev, 10000, 600, 400),
        (m.dev2, 10000, None, 400),  # 600 > 400: scored, no key
        (m.dev, 5000, 300, 100),
        (m.dev2, 2000, None, 100),  # 120 > 100
        (m.dev2, 1000, 60, 40),
        (m.dev, 6667, None, 40),  # 600 × 6667 / 10000 = 400.02 → 400 > 40
    ]
    for index, (developer, accuracy, price, left) in enumerate(story):
        model_id = submit_model(m, task_id, model_hash(index), developer=developer)
        receipt = submit_result(m, model_id, accuracy, signed(m, task_id, model_id, model_hash(index), accuracy))
        sold = m.market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
        if price is None:
            assert sold == () and m.market.functions.modelStatus(model_id).call() == 3
        else:
            assert sold[0].args.price == price and m.market.functions.modelStatus(model_id).call() == 2
        assert m.market.functions.budgetLeft(task_id).call() == left
    assert m.market.functions.credit(m.dev).call() == 900
    assert m.market.functions.credit(m.dev2).call() == 60
    assert balance(m, m.market.address) == 1000  # 40 left + 960 credited


def test_result_window(m):
    """Results are accepted while now ≤ deadline + resultWindow."""
    task_id, deadline = create_task(m)
    first = submit_model(m, task_id, model_hash(1))
    second = submit_model(m, task_id, model_hash(2))
    next_block_at(m.w3, deadline + RESULT_WINDOW)
    submit_result(m, first, 9000, signed(m, task_id, first, model_hash(1), 9000))
    next_block_at(m.w3, deadline + RESULT_WINDOW + 1)
    reject_result(m, second, 9000, signed(m, task_id, second, model_hash(2), 9000), "result window closed")
    assert m.market.functions.modelStatus(second).call() == 1


def test_submit_result_rejections(m):
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    good = signed(m, task_id, model_id, model_hash(1), 8000)
    reject_result(m, 0, 8000, good, "unknown model")
    reject_result(m, 99, 8000, good, "unknown model")
    reject_result(m, model_id, 10001, signed(m, task_id, model_id, model_hash(1), 10001), "accuracy above 10000 bps")
    # Signature shape: exactly 65 bytes, v ∈ {27, 28}, s ≤ n/2, a nonzero signer.
    reject_result(m, model_id, 8000, good[:64], "signature must be 65 bytes")
    reject_result(m, model_id, 8000, b"", "signature must be 65 bytes")
    for v in (0, 1, 29, 255):
        reject_result(m, model_id, 8000, good[:64] + bytes([v]), "signature v must be 27 or 28")
    reject_result(m, model_id, 8000, high_s(good), "ecdsa: invalid signature `s` value")
    reject_result(m, model_id, 8000, bytes(64) + bytes([27]), "ecdsa: invalid signature")
    reject_result(m, model_id, 8000, bytes(32) + (1).to_bytes(32, "big") + bytes([28]), "ecdsa: invalid signature")
    assert m.market.functions.modelStatus(model_id).call() == 1
    submit_result(m, model_id, 8000, good)


def test_signature_longer_than_65_bytes_fails_abi_bounds(m):
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    good = signed(m, task_id, model_id, model_hash(1), 8000)
    data = raw_calldata("submitResult(uint256,uint16,bytes32,bytes,bytes)",
                        ["uint256", "uint16", "bytes32", "bytes", "bytes"],
                        [model_id, 8000, LOGITS_HASH, KEY_FOR_BUYER, good + b"\x00"])
    receipt = send_raw_call(m.w3, m.relayer, m.market.address, data)
    assert receipt.status == 0 and revert_data(m.w3, receipt.transactionHash) == b""
    assert m.market.functions.modelStatus(model_id).call() == 1


def test_high_s_twin_recovers_the_enclave(m):
    """The high-s signature is refused although ecrecover would accept it (checked off chain here)."""
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    good = signed(m, task_id, model_id, model_hash(1), 8000)
    digest = _hash_eip191_message(encode_typed_data(full_message=typed_result(
        CHAIN_ID, m.market.address, task_id, model_id, model_hash(1), DATASET_HASH, 8000, LOGITS_HASH, KEY_FOR_BUYER)))
    twin = high_s(good)
    vrs = (twin[64], int.from_bytes(twin[:32], "big"), int.from_bytes(twin[32:64], "big"))
    assert Account._recover_hash(digest, vrs=vrs) == ENCLAVE.address
    reject_result(m, model_id, 8000, twin, "ecdsa: invalid signature `s` value")


def test_result_signed_by_an_unregistered_key(m):
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    reject_result(m, model_id, 9000, signed(m, task_id, model_id, model_hash(1), 9000, enclave=UNREGISTERED),
                  "signer is not the task's enclave")


def test_result_signed_by_another_registered_enclave(m):
    register(m.w3, m.market, OTHER_ENCLAVE, m.stranger)
    task_id, _ = create_task(m)  # the task names ENCLAVE
    model_id = submit_model(m, task_id, model_hash(1))
    reject_result(m, model_id, 9000, signed(m, task_id, model_id, model_hash(1), 9000, enclave=OTHER_ENCLAVE),
                  "signer is not the task's enclave")


def test_relayer_cannot_alter_the_result(m):
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    signature = signed(m, task_id, model_id, model_hash(1), 6000)
    reject_result(m, model_id, 9000, signature, "signer is not the task's enclave")  # accuracy raised
    reject_result(m, model_id, 5999, signature, "signer is not the task's enclave")  # accuracy lowered
    reject_result(m, model_id, 6000, signature, "signer is not the task's enclave", key=KEY_FOR_BUYER[:-1] + b"\x00")
    reject_result(m, model_id, 6000, signature, "signer is not the task's enclave", key=b"")
    reject_result(m, model_id, 6000, signature, "signer is not the task's enclave", logits=keccak(b"other logits"))
    receipt = submit_result(m, model_id, 6000, signature)
    (sold,) = m.market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
    assert sold.args.keyForBuyer == KEY_FOR_BUYER and sold.args.accuracyBps == 6000


def test_result_replayed_for_another_model_or_task(m):
    task_a, _ = create_task(m)
    task_b, _ = create_task(m, provider=m.provider2)  # the same dataset and enclave
    model_1 = submit_model(m, task_a, model_hash(1))
    model_2 = submit_model(m, task_a, model_hash(2))
    model_3 = submit_model(m, task_b, model_hash(1), developer=m.dev2)  # the same model hash, another task
    signature = signed(m, task_a, model_1, model_hash(1), 9000)
    reject_result(m, model_2, 9000, signature, "signer is not the task's enclave")
    reject_result(m, model_3, 9000, signature, "signer is not the task's enclave")
    submit_result(m, model_1, 9000, signature)
    # A result for model 3 signed with task A's id (everything else right) is refused as well.
    reject_result(m, model_3, 9000, signed(m, task_a, model_3, model_hash(1), 9000), "signer is not the task's enclave")
    submit_result(m, model_3, 9000, signed(m, task_b, model_3, model_hash(1), 9000))


@pytest.mark.parametrize("field", ["taskId", "modelId", "modelHash", "datasetHash", "chainId", "verifyingContract",
                                   "name", "version", "primaryType"])
def test_every_signed_field_is_bound(m, field):
    """A signature over a BenchmarkResult that differs in any one field (or domain field) is refused."""
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    message = typed_result(CHAIN_ID, m.market.address, task_id, model_id, model_hash(1), DATASET_HASH, 9000,
                           LOGITS_HASH, KEY_FOR_BUYER)
    if field in ("taskId", "modelId"):
        message["message"][field] += 1
    elif field in ("modelHash", "datasetHash"):
        message["message"][field] = keccak(b"something else")
    elif field == "chainId":
        message["domain"]["chainId"] = 1
    elif field == "verifyingContract":
        message["domain"]["verifyingContract"] = to_checksum_address("0x" + "20" * 20)
    elif field == "name":
        message["domain"]["name"] = "GoldenGrain2"
    elif field == "version":
        message["domain"]["version"] = "2"
    else:  # the same fields under another type name
        message["types"]["Result"] = message["types"].pop("BenchmarkResult")
        message["primaryType"] = "Result"
    signature = bytes(Account.sign_message(encode_typed_data(full_message=message), ENCLAVE.private_key).signature)
    reject_result(m, model_id, 9000, signature, "signer is not the task's enclave")


def test_result_replayed_on_another_chain(m):
    task_id, _ = create_task(m)
    model_id = submit_model(m, task_id, model_hash(1))
    reject_result(m, model_id, 9000, signed(m, task_id, model_id, model_hash(1), 9000, chain_id=1),
                  "signer is not the task's enclave")


def test_result_replayed_on_another_marketplace(m):
    """Two marketplaces in the same state (task 1, model 1, same hashes, same enclave): a result signed
    for one is refused by the other."""
    other, _ = deploy_marketplace(m.w3, m.owner)
    register(m.w3, other, ENCLAVE, m.stranger)
    for market in (m.market, other):
        task_id, _ = create_task(m, market=market)
        assert task_id == 1
        assert submit_model(m, 1, model_hash(1), market=market) == 1
    for_main = signed(m, 1, 1, model_hash(1), 9000, market=m.market)
    for_other = signed(m, 1, 1, model_hash(1), 9000, market=other)
    reject_result(m, 1, 9000, for_main, "signer is not the task's enclave", market=other)
    reject_result(m, 1, 9000, for_other, "signer is not the task's enclave", market=m.market)
    submit_result(m, 1, 9000, for_main, market=m.market)
    submit_result(m, 1, 9000, for_other, market=other)


def test_second_submit_result(m):
    task_id, _ = create_task(m, minimum=5000)
    sold_model = submit_model(m, task_id, model_hash(1))
    scored_model = submit_model(m, task_id, model_hash(2))
    submit_result(m, sold_model, 9000, signed(m, task_id, sold_model, model_hash(1), 9000))
    submit_result(m, scored_model, 1000, signed(m, task_id, scored_model, model_hash(2), 1000))
    credit = m.market.functions.credit(m.dev).call()
    for model_id, hash_ in ((sold_model, model_hash(1)), (scored_model, model_hash(2))):
        for accuracy in (9000, 10000, 1000):
            reject_result(m, model_id, accuracy, signed(m, task_id, model_id, hash_, accuracy), "model already scored")
    assert m.market.functions.credit(m.dev).call() == credit
    assert m.market.functions.modelAccuracy(scored_model).call() == 1000


# ---------------------------------------------------------------------------------------------
# Rule 5: evaluateOnChain

def cli_eval():
    """`goldengrain model eval --json` (the Swift kernel, off chain) on Examples/digits' test split."""
    output = subprocess.run([str(BINARY), "model", "eval", str(DIGITS_MODEL), "--dataset", str(DIGITS_TEST.parent),
                             "--split", "test", "--json"], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(output.stdout)


def test_evaluate_on_chain_with_the_digits_model(m):
    evaluation = cli_eval()
    cli_bps = evaluation["accuracyBps"]
    # The committed example's known score (Examples/models/README.md): 350/360 = 9722 bps.
    assert (evaluation["correct"], evaluation["total"], cli_bps) == (350, 360, 9722)
    assert cli_bps == 10000 * evaluation["correct"] // evaluation["total"]
    task_id, deadline = create_task(m, budget=2 * ETHER, minimum=5000, max_price=ETHER)
    model_id = submit_model(m, task_id, DIGITS_MODEL_HASH)
    call = m.market.functions.evaluateOnChain(model_id, DIGITS_MODEL_BYTES, DIGITS_TEST_BYTES)
    next_block_at(m.w3, deadline)
    expect_revert(m.w3, call, m.stranger, "task deadline not passed", gas=EVAL_GAS)
    next_block_at(m.w3, deadline + 1)
    receipt = expect_success(m.w3, call, m.stranger, gas=EVAL_GAS)
    (sold,) = m.market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
    # 10**18 × (9722 − 5000) / 5000 = 944,400,000,000,000,000 exactly; no key: the model is public now.
    assert dict(sold.args) == {"taskId": task_id, "modelId": model_id, "developer": m.dev, "accuracyBps": cli_bps,
                               "price": 944_400_000_000_000_000, "keyForBuyer": b""}
    assert m.market.functions.modelAccuracy(model_id).call() == cli_bps
    assert m.market.functions.modelStatus(model_id).call() == 2
    assert m.market.functions.budgetLeft(task_id).call() == 2 * ETHER - 944_400_000_000_000_000
    assert m.market.functions.credit(m.dev).call() == 944_400_000_000_000_000
    expect_revert(m.w3, call, m.stranger, "model already scored", gas=EVAL_GAS)
    reject_result(m, model_id, 9722, signed(m, task_id, model_id, DIGITS_MODEL_HASH, 9722), "model already scored")


def test_evaluate_on_chain_scores_below_the_minimum(m):
    task_id, deadline = create_task(m, minimum=9800)
    model_id = submit_model(m, task_id, DIGITS_MODEL_HASH)
    next_block_at(m.w3, deadline + RESULT_WINDOW)  # the last second of the window
    receipt = expect_success(m.w3, m.market.functions.evaluateOnChain(model_id, DIGITS_MODEL_BYTES, DIGITS_TEST_BYTES),
                             m.stranger, gas=EVAL_GAS)
    (scored,) = m.market.events.ModelScored().process_receipt(receipt, errors=DISCARD)
    assert dict(scored.args) == {"taskId": task_id, "modelId": model_id, "accuracyBps": 9722}
    assert m.market.functions.modelStatus(model_id).call() == 3
    assert m.market.functions.budgetLeft(task_id).call() == ETHER


def test_evaluate_on_chain_rejections(m):
    task_id, deadline = create_task(m)
    model_id = submit_model(m, task_id, DIGITS_MODEL_HASH)
    scored = submit_model(m, task_id, model_hash(7))
    submit_result(m, scored, 9000, signed(m, task_id, scored, model_hash(7), 9000))
    broken = submit_model(m, task_id, keccak(b"not a model"))
    altered_model = bytearray(DIGITS_MODEL_BYTES)
    altered_model[100] ^= 1
    altered_test = bytearray(DIGITS_TEST_BYTES)
    altered_test[-1] = (altered_test[-1] + 1) % 10  # one label changed

    def attempt(reason, model_id=model_id, model=DIGITS_MODEL_BYTES, test_set=DIGITS_TEST_BYTES):
        expect_revert(m.w3, m.market.functions.evaluateOnChain(model_id, model, test_set), m.stranger, reason,
                      gas=EVAL_GAS)

    attempt("task deadline not passed")
    next_block_at(m.w3, deadline + 1)
    attempt("unknown model", model_id=0)
    attempt("unknown model", model_id=99)
    attempt("model already scored", model_id=scored)
    attempt("model hash mismatch", model=bytes(altered_model))
    attempt("test set hash mismatch", test_set=bytes(altered_test))
    attempt("evaluator failed", model_id=broken, model=b"not a model")
    next_block_at(m.w3, deadline + RESULT_WINDOW + 1)
    attempt("result window closed")
    assert m.market.functions.modelStatus(model_id).call() == 1


def fixed_evaluator_code(correct: int, total: int, output_bytes: int = 96) -> bytes:
    """EVM code that answers any call with (correct, total, logitsHash) ABI words (output_bytes long)."""
    code = b""
    for offset, word in ((0, correct), (32, total), (64, int.from_bytes(keccak(b"fake logits"), "big"))):
        code += b"\x7f" + word.to_bytes(32, "big") + b"\x60" + bytes([offset]) + b"\x52"  # PUSH32 w PUSH1 o MSTORE
    return code + b"\x60" + bytes([output_bytes]) + b"\x60\x00\xf3"  # RETURN(0, output_bytes)


def test_evaluator_contract_with_the_same_abi(m):
    """evaluator may be any contract with INFERENCE_EVAL's calldata/return ABI; its score is checked."""
    evaluator = to_checksum_address("0x" + "e7" * 20)
    market, _ = deploy_marketplace(m.w3, m.owner, evaluator=evaluator)
    register(m.w3, market, ENCLAVE, m.stranger)
    task_id, deadline = create_task(m, market=market, minimum=0, max_price=3000, budget=10**6)
    models = [submit_model(m, task_id, keccak(b"model bytes %d" % n), market=market) for n in range(6)]
    next_block_at(m.w3, deadline + 1)
    cases = [  # (code, model index, expected accuracy or revert reason)
        (fixed_evaluator_code(2, 3), 0, 6666),  # ⌊10000 × 2 / 3⌋
        (fixed_evaluator_code(3, 4), 1, 7500),
        (fixed_evaluator_code(5, 4), 2, "evaluator returned an impossible score"),
        (fixed_evaluator_code(0, 0), 2, "evaluator returned an impossible score"),
        (fixed_evaluator_code(1, 1, output_bytes=64), 2, "evaluator failed"),
        (bytes.fromhex("60006000fd"), 2, "evaluator failed"),  # REVERT(0, 0)
        # JUMPDEST PUSH1 0 JUMP: loops until its gas is gone — what a caller who starves the
        # evaluator of gas causes; the model must not be scored 0 for it.
        (bytes.fromhex("5b600056"), 2, "evaluator failed"),
    ]
    for code, index, expected in cases:
        rpc(m.w3, "anvil_setCode", [evaluator, Web3.to_hex(code)])
        call = market.functions.evaluateOnChain(models[index], b"model bytes %d" % index, DIGITS_TEST_BYTES)
        if isinstance(expected, str):
            expect_revert(m.w3, call, m.stranger, expected, gas=EVAL_GAS)
        else:
            receipt = expect_success(m.w3, call, m.stranger, gas=EVAL_GAS)
            (sold,) = market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
            assert sold.args.accuracyBps == expected
            assert sold.args.price == 3000 * expected // 10000  # min 0: ⌊max × acc / 10000⌋
    assert market.functions.credit(m.dev).call() == 1999 + 2250  # ⌊3000 × 6666 / 10000⌋ + 3000 × 7500 / 10000
    assert market.functions.modelStatus(models[2]).call() == 1  # every failure left it unscored


# ---------------------------------------------------------------------------------------------
# Rule 6: refund and withdraw, exact balances

def test_refund_after_the_window(m):
    task_id, deadline = create_task(m, budget=ETHER, minimum=0, max_price=ETHER // 4)
    model_id = submit_model(m, task_id, model_hash(1))
    submit_result(m, model_id, 10000, signed(m, task_id, model_id, model_hash(1), 10000))
    left = ETHER - ETHER // 4
    refund = m.market.functions.refund(task_id)
    expect_revert(m.w3, refund, m.stranger, "only the provider")
    expect_revert(m.w3, m.market.functions.refund(99), m.provider, "unknown task")
    next_block_at(m.w3, deadline + RESULT_WINDOW)
    expect_revert(m.w3, refund, m.provider, "result window still open")
    before = balance(m, m.provider)
    market_before = balance(m, m.market.address)
    next_block_at(m.w3, deadline + RESULT_WINDOW + 1)
    receipt = expect_success(m.w3, refund, m.provider, gas=GAS)
    assert balance(m, m.provider) == before + left - gas_cost(receipt)
    assert balance(m, m.market.address) == market_before - left
    (event,) = m.market.events.Refunded().process_receipt(receipt, errors=DISCARD)
    assert dict(event.args) == {"taskId": task_id, "amount": left}
    assert m.market.functions.budgetLeft(task_id).call() == 0
    assert m.market.functions.taskInfo(task_id).call()[6] == 0
    expect_revert(m.w3, refund, m.provider, "nothing to refund")
    # The developer's credit is untouched by the refund.
    assert m.market.functions.credit(m.dev).call() == ETHER // 4


def test_refund_before_the_window_closes(m):
    task_id, deadline = create_task(m)
    for moment in (deadline - 1, deadline, deadline + 1, deadline + RESULT_WINDOW - 1):
        next_block_at(m.w3, moment)
        expect_revert(m.w3, m.market.functions.refund(task_id), m.provider, "result window still open")
    assert m.market.functions.budgetLeft(task_id).call() == ETHER


def test_nothing_to_refund_when_the_budget_was_spent(m):
    task_id, deadline = create_task(m, budget=500, minimum=0, max_price=500)
    model_id = submit_model(m, task_id, model_hash(1))
    submit_result(m, model_id, 10000, signed(m, task_id, model_id, model_hash(1), 10000))
    # Time moved the anvil way: evm_increaseTime (added to the wall clock, which the head may be
    # ahead of by a second per block), then evm_mine.
    rpc(m.w3, "evm_increaseTime", [deadline - latest_timestamp(m.w3) + 2 * RESULT_WINDOW])
    rpc(m.w3, "evm_mine")
    assert latest_timestamp(m.w3) > deadline + RESULT_WINDOW
    expect_revert(m.w3, m.market.functions.refund(task_id), m.provider, "nothing to refund")


def test_withdraw(m):
    expect_revert(m.w3, m.market.functions.withdraw(), m.dev, "nothing to withdraw")
    task_id, _ = create_task(m, budget=ETHER, minimum=0, max_price=ETHER // 2)
    first = submit_model(m, task_id, model_hash(1))
    second = submit_model(m, task_id, model_hash(2))
    submit_result(m, first, 5000, signed(m, task_id, first, model_hash(1), 5000))  # ETHER / 4
    submit_result(m, second, 2000, signed(m, task_id, second, model_hash(2), 2000))  # ETHER / 10
    credit = ETHER // 4 + ETHER // 10
    assert m.market.functions.credit(m.dev).call() == credit
    before = balance(m, m.dev)
    receipt = expect_success(m.w3, m.market.functions.withdraw(), m.dev, gas=GAS)  # before the deadline: any time
    assert balance(m, m.dev) == before + credit - gas_cost(receipt)
    (event,) = m.market.events.Withdrawn().process_receipt(receipt, errors=DISCARD)
    assert dict(event.args) == {"account": m.dev, "amount": credit}
    assert m.market.functions.credit(m.dev).call() == 0
    assert balance(m, m.market.address) == ETHER - credit
    expect_revert(m.w3, m.market.functions.withdraw(), m.dev, "nothing to withdraw")
    expect_revert(m.w3, m.market.functions.withdraw(), m.provider, "nothing to withdraw")


def test_views_of_unknown_ids_return_zeros(m):
    market = m.market
    for task_id in (0, 1, 2**256 - 1):
        assert market.functions.budgetLeft(task_id).call() == 0
        assert market.functions.taskInfo(task_id).call() == [ZERO_ADDRESS, ZERO_ADDRESS, bytes(32), 0, 0, 0, 0, 0]
        assert market.functions.taskData(task_id).call() == ["", b"", b""]
    for model_id in (0, 1, 2**256 - 1):
        assert market.functions.modelStatus(model_id).call() == 0
        assert market.functions.modelAccuracy(model_id).call() == 0
        assert market.functions.modelInfo(model_id).call() == [0, ZERO_ADDRESS, bytes(32), 0, 0]
        assert market.functions.modelData(model_id).call() == ["", b""]
    assert market.functions.credit(m.stranger).call() == 0
    assert market.functions.isEnclave(UNREGISTERED.address).call() is False
    assert market.functions.enclavePublicKey(UNREGISTERED.address).call() == b""
    assert market.functions.isMeasurementTrusted(bytes(32)).call() is False


# ---------------------------------------------------------------------------------------------
# Contract recipients: all gas forwarded, no re-entry

WALLET_SOURCE = '''# pragma version 0.4.3
"""A test wallet: forwards calls to the marketplace, and its fallback is costly (fresh storage slots,
far above the 2300-gas stipend); it can try to re-enter the marketplace from the fallback."""
market: public(address)
received: public(uint256)
payments: public(uint256)
reenterWith: public(Bytes[68])
reentered: public(bool)
reentrySucceeded: public(bool)
refuse: public(bool)
scratch: HashMap[uint256, uint256]

@deploy
def __init__(market: address):
    self.market = market

@external
@payable
def forward(data: Bytes[2048]):
    raw_call(self.market, data, value=msg.value)

@external
def setReentry(data: Bytes[68]):
    self.reenterWith = data
    self.reentered = False

@external
def setRefuse(refuse: bool):
    self.refuse = refuse

@external
@payable
def __default__():
    assert not self.refuse, "wallet refuses payments"
    self.received += msg.value
    self.payments += 1
    for i: uint256 in range(10):
        self.scratch[self.payments * 100 + i] = block.number + i + 1
    if len(self.reenterWith) > 0 and not self.reentered:
        self.reentered = True
        self.reentrySucceeded = raw_call(self.market, self.reenterWith, revert_on_failure=False)
'''


@pytest.fixture(scope="module")
def wallet_artifact(tmp_path_factory):
    path = tmp_path_factory.mktemp("wallet") / "Wallet.vy"
    path.write_text(WALLET_SOURCE)
    vyper = pathlib.Path(sys.executable).parent / "vyper"
    output = subprocess.run([str(vyper), "-f", "abi,bytecode", str(path)], check=True, capture_output=True,
                            text=True).stdout
    abi_line, bytecode_line = output.strip().splitlines()[:2]
    return json.loads(abi_line), bytecode_line.strip()


def deploy_wallet(m, wallet_artifact):
    abi, bytecode = wallet_artifact
    receipt = m.w3.eth.wait_for_transaction_receipt(
        m.w3.eth.contract(abi=abi, bytecode=bytecode).constructor(m.market.address).transact({"from": m.stranger}))
    return m.w3.eth.contract(address=receipt.contractAddress, abi=abi)


def encoded(m, name, *arguments):
    return bytes.fromhex(m.market.encode_abi(name, args=list(arguments))[2:])


def wallet_story(m, wallet):
    """The wallet is provider of task 1 (budget 1000) and developer of a model sold there for 600."""
    deadline = latest_timestamp(m.w3) + 1000
    expect_success(m.w3, wallet.functions.forward(encoded(m, "createTask", ENCLAVE.address, DATASET_HASH, "u",
                                                          SEALED_DATASET_KEY, 0, 600, deadline, BUYER_PUBLIC_KEY)),
                   m.stranger, value=1000, gas=GAS)
    expect_success(m.w3, wallet.functions.forward(encoded(m, "submitModel", 1, model_hash(1), "u",
                                                          SEALED_MODEL_KEY)), m.stranger, gas=GAS)
    submit_result(m, 1, 10000, signed(m, 1, 1, model_hash(1), 10000))
    assert m.market.functions.credit(wallet.address).call() == 600
    assert m.market.functions.budgetLeft(1).call() == 400
    return deadline


def test_contract_recipient_with_a_costly_fallback(m, wallet_artifact):
    wallet = deploy_wallet(m, wallet_artifact)
    deadline = wallet_story(m, wallet)
    receipt = expect_success(m.w3, wallet.functions.forward(encoded(m, "withdraw")), m.stranger, gas=GAS)
    assert receipt.gasUsed > 200_000  # ten fresh slots in the fallback: far beyond a 2300 stipend
    assert wallet.functions.received().call() == 600 and wallet.functions.payments().call() == 1
    assert balance(m, wallet.address) == 600
    next_block_at(m.w3, deadline + RESULT_WINDOW + 1)
    expect_success(m.w3, wallet.functions.forward(encoded(m, "refund", 1)), m.stranger, gas=GAS)
    assert wallet.functions.received().call() == 1000 and wallet.functions.payments().call() == 2
    assert balance(m, wallet.address) == 1000 and balance(m, m.market.address) == 0


def test_refused_payment_reverts_and_keeps_the_credit(m, wallet_artifact):
    wallet = deploy_wallet(m, wallet_artifact)
    wallet_story(m, wallet)
    expect_success(m.w3, wallet.functions.setRefuse(True), m.stranger, gas=GAS)
    receipt = transact(m.w3, wallet.functions.forward(encoded(m, "withdraw")), m.stranger, gas=GAS)
    assert receipt.status == 0
    trace = rpc(m.w3, "debug_traceTransaction", [Web3.to_hex(receipt.transactionHash), {"tracer": "callTracer"}])
    (market_frame,) = trace["calls"]
    assert decode_reason(bytes.fromhex(market_frame["output"][2:])) == "transfer failed"
    assert m.market.functions.credit(wallet.address).call() == 600
    assert balance(m, m.market.address) == 1000


@pytest.mark.parametrize("reentry", ["withdraw", "refund"])
def test_reentrant_recipient_cannot_take_twice(m, wallet_artifact, reentry):
    """During withdraw's transfer the wallet re-enters withdraw (credit already zero) or refund (which
    would pay on its own: the window is closed and 400 is left): both fail, and only the lock stops
    the refund, which succeeds when called afterwards."""
    wallet = deploy_wallet(m, wallet_artifact)
    deadline = wallet_story(m, wallet)
    next_block_at(m.w3, deadline + RESULT_WINDOW + 1)
    reentry_data = encoded(m, "withdraw") if reentry == "withdraw" else encoded(m, "refund", 1)
    expect_success(m.w3, wallet.functions.setReentry(reentry_data), m.stranger, gas=GAS)
    expect_success(m.w3, wallet.functions.forward(encoded(m, "withdraw")), m.stranger, gas=GAS)
    assert wallet.functions.reentered().call() is True
    assert wallet.functions.reentrySucceeded().call() is False
    assert wallet.functions.received().call() == 600 and wallet.functions.payments().call() == 1
    assert m.market.functions.credit(wallet.address).call() == 0
    assert m.market.functions.budgetLeft(1).call() == 400
    assert balance(m, m.market.address) == 400
    expect_success(m.w3, wallet.functions.setReentry(b""), m.stranger, gas=GAS)
    expect_success(m.w3, wallet.functions.forward(encoded(m, "refund", 1)), m.stranger, gas=GAS)
    assert balance(m, wallet.address) == 1000 and balance(m, m.market.address) == 0
