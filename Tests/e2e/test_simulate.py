"""eth_simulateV1 against the release binary: web3.py's `eth.simulate_v1` and raw JSON.

Expected values come from sources independent of the node:
- execution-apis `tests/eth_simulateV1/*.io` (geth against hive's chain) where the value does not
  depend on that chain: gas of calls between override-funded accounts and of contracts put in place by
  state override, the ERC-7528 transfer logs, error codes and geth's messages (named per test);
- go-ethereum `internal/ethapi/api_test.go` TestSimulateV1 (the GASPRICE/BASEFEE probe, validation);
- hand computation: 21000 for a plain transfer, the unsigned type-2 transaction's hash as keccak256 of
  its EIP-2718 encoding (RLP from the `rlp` package, keccak from pycryptodome), 12 s between blocks,
  the EIP-1559 base fee of the head's successor.
"""
import pytest
import rlp
from web3 import HTTPProvider, Web3

from conftest import NodeProcess, keccak256, rpc_error, rpc_result
from test_rpc_spec import result_schema, schema_errors

CHAIN_ID = 31337
C0 = "0xc000000000000000000000000000000000000000"
C1 = "0xc100000000000000000000000000000000000000"
C2 = "0xc200000000000000000000000000000000000000"
TRANSFER_ADDRESS = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
TRANSFER_TOPIC = "0x" + keccak256(b"Transfer(address,address,uint256)").hex()
assert TRANSFER_TOPIC == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"

# ethSimulate-eth-send-should-produce-more-logs-on-forward: forwards msg.value to the address argument.
FORWARDER = ("0x60806040526004361061001e5760003560e01c80634b64e49214610023575b600080fd5b61003d6004803603810190610038919061"
             "011f565b61003f565b005b60008173ffffffffffffffffffffffffffffffffffffffff166108fc349081150290604051600060405180"
             "830381858888f193505050509050806100b8576040517f08c379a00000000000000000000000000000000000000000000000000000000"
             "081526004016100af906101a9565b60405180910390fd5b5050565b600080fd5b600073ffffffffffffffffffffffffffffffffffffff"
             "ff82169050919050565b60006100ec826100c1565b9050919050565b6100fc816100e1565b811461010757600080fd5b50565b6000813590"
             "50610119816100f3565b92915050565b600060208284031215610135576101346100bc565b5b60006101438482850161010a565b915050"
             "92915050565b600082825260208201905092915050565b7f4661696c656420746f2073656e64204574686572000000000000000000000000"
             "600082015250565b600061019360148361014c565b915061019e8261015d565b602082019050919050565b600060208201905081810360"
             "008301526101c281610186565b905091905056fea2646970667358221220563acd6f5b8ad06a3faf5c27fddd0ecbc198408b99290ce50d15"
             "c2cf7043694964736f6c63430008120033")
FORWARD_TARGET = "0x" + "00" * 19 + "c2"  # the fixture forwards to 0x…c2 (the word 0xc2)
FORWARD_TO_TARGET = "0x4b64e492" + "00" * 31 + "c2"
# ethSimulate-logs: LOG1 with topic 0xff…ff, no data.
LOG_FF = "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80600080a1600080f3"
# TestSimulateV1 "basefee-non-validation": returns GASPRICE and BASEFEE.
FEE_PROBE = "0x3a489060005260205260406000f3"
ECRECOVER = "0x0000000000000000000000000000000000000001"
SHA256 = "0x0000000000000000000000000000000000000002"
MOVED = "0x0000000000000000000000000000000000123456"


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    process = NodeProcess(tmp_path_factory.mktemp("simulate")).start()
    yield process
    process.stop()


def simulate(url, payload, block="latest"):
    return rpc_result(url, "eth_simulateV1", [payload, block])


def simulate_error(url, payload, block="latest"):
    return rpc_error(url, "eth_simulateV1", [payload, block])


def head(url):
    return rpc_result(url, "eth_getBlockByNumber", ["latest", False])


def padded(address):
    return "0x" + "00" * 12 + address[2:].lower()


def word(value):
    return "0x" + value.to_bytes(32, "big").hex()


def unsigned_1559_hash(nonce, gas, to, value, data=b"", max_fee=0, tip=0):
    """keccak256(0x02 ‖ rlp([chainId, nonce, tip, maxFee, gas, to, value, data, accessList, 0, 0, 0])): geth's
    hash of the unsigned DynamicFeeTx it builds from each call (`ToTransaction(DynamicFeeTxType)`)."""
    payload = rlp.encode([CHAIN_ID, nonce, tip, max_fee, gas, bytes.fromhex(to[2:]), value, data, [], 0, 0, 0])
    return "0x" + keccak256(b"\x02" + payload).hex()


# ---------------------------------------------------------------------------------------------
# Blocks and calls


def test_transfers_between_override_funded_accounts(dev):
    """ethSimulate-simple: c0 gets 1000 wei by override and passes it on through c1 to c2."""
    before = head(dev.url)
    payload = {"blockStateCalls": [{
        "stateOverrides": {C0: {"balance": "0x3e8"}},
        "calls": [{"from": C0, "to": C1, "value": "0x3e8"}, {"from": C1, "to": C2, "value": "0x3e8"}]}]}
    [block] = simulate(dev.url, payload)
    assert [call for call in block["calls"]] == [
        {"returnData": "0x", "logs": [], "gasUsed": "0x5208", "maxUsedGas": "0x5208", "status": "0x1"}] * 2
    assert block["gasUsed"] == hex(2 * 21000)
    assert int(block["number"], 16) == int(before["number"], 16) + 1
    assert int(block["timestamp"], 16) == int(before["timestamp"], 16) + 12
    assert block["parentHash"] == before["hash"]
    assert block["baseFeePerGas"] == "0x0"  # no validation: zero unless overridden
    assert block["gasLimit"] == before["gasLimit"]
    gas_limit = int(before["gasLimit"], 16)
    # Each call's gas defaults to what the block has left.
    assert block["transactions"] == [unsigned_1559_hash(0, gas_limit, C1, 1000),
                                     unsigned_1559_hash(0, gas_limit - 21000, C2, 1000)]
    # Nothing reached the chain.
    assert head(dev.url)["hash"] == before["hash"]
    assert rpc_result(dev.url, "eth_getBalance", [C2, "latest"]) == "0x0"


def test_web3_simulate_v1(dev):
    """The same through web3.py's formatter."""
    w3 = Web3(HTTPProvider(dev.url))
    results = w3.eth.simulate_v1({"blockStateCalls": [{
        "stateOverrides": {C0: {"balance": 1000}},
        "calls": [{"from": Web3.to_checksum_address(C0), "to": Web3.to_checksum_address(C1), "value": 1000}]}]}, "latest")
    assert len(results) == 1
    [call] = results[0]["calls"]
    assert call["status"] == 1 and call["gasUsed"] == 21000 and call["returnData"] == b""


def test_trace_transfers_logs_the_transfer(dev):
    """ethSimulate-eth-send-should-produce-logs: one ERC-7528 log; none by default (…-not-produce-logs-by-default)."""
    payload = {"blockStateCalls": [{"stateOverrides": {C0: {"balance": "0x7d0"}},
                                    "calls": [{"from": C0, "to": C1, "value": "0x3e8"}]}], "traceTransfers": True}
    [block] = simulate(dev.url, payload)
    [call] = block["calls"]
    assert call["status"] == "0x1" and call["gasUsed"] == "0x5208"
    assert call["logs"] == [{
        "address": TRANSFER_ADDRESS, "topics": [TRANSFER_TOPIC, padded(C0), padded(C1)], "data": word(1000),
        "blockNumber": block["number"], "transactionHash": block["transactions"][0], "transactionIndex": "0x0",
        "blockHash": block["hash"], "blockTimestamp": block["timestamp"], "logIndex": "0x0", "removed": False}]
    # A pseudo-log is not a receipt log: the bloom stays empty.
    assert int(block["logsBloom"], 16) == 0
    payload["traceTransfers"] = False
    assert simulate(dev.url, payload)[0]["calls"][0]["logs"] == []


def test_trace_transfers_follows_forwarded_value(dev):
    """ethSimulate-eth-send-should-produce-more-logs-on-forward: 0xdad2 gas, c0→c1 then c1→0x…c2."""
    payload = {"blockStateCalls": [{
        "stateOverrides": {C0: {"balance": "0x7d0"}, C1: {"code": FORWARDER}},
        "calls": [{"from": C0, "to": C1, "value": "0x3e8", "input": FORWARD_TO_TARGET}]}], "traceTransfers": True}
    [block] = simulate(dev.url, payload)
    [call] = block["calls"]
    assert call["status"] == "0x1" and call["gasUsed"] == "0xdad2"
    assert [(log["address"], log["topics"], log["data"], log["logIndex"]) for log in call["logs"]] == [
        (TRANSFER_ADDRESS, [TRANSFER_TOPIC, padded(C0), padded(C1)], word(1000), "0x0"),
        (TRANSFER_ADDRESS, [TRANSFER_TOPIC, padded(C1), padded(FORWARD_TARGET)], word(1000), "0x1")]


def test_no_transfer_logs_when_the_call_reverts(dev):
    """ethSimulate-eth-send-should-produce-no-logs-on-forward-revert: forwarding to a reverting
    contract fails the call (code 3, "execution reverted", data 0x) and drops every log."""
    payload = {"blockStateCalls": [{
        "stateOverrides": {C0: {"balance": "0x7d0"}, C1: {"code": FORWARDER}, FORWARD_TARGET: {"code": "0x60006000fd"}},
        "calls": [{"from": C0, "to": C1, "value": "0x3e8", "input": FORWARD_TO_TARGET}]}], "traceTransfers": True}
    [call] = simulate(dev.url, payload)[0]["calls"]
    assert call["status"] == "0x0" and call["logs"] == []
    assert call["error"] == {"message": "execution reverted: Failed to send Ether", "code": 3,
                             "data": "0x08c379a0" + word(32)[2:] + word(20)[2:] + b"Failed to send Ether".hex() + "00" * 12}


def test_selfdestruct_is_a_transfer(dev):
    """ethSimulate-self-destructive-contract-produces-logs: SELFDESTRUCT(0) of a contract holding 0x1e8480 wei
    is a transfer log of its balance to 0x0; 0x664a gas, 0x0 existing (on hive's chain it has a balance; here an
    override gives it one, else SELFDESTRUCT would pay 25000 for a new account)."""
    destructor = ("0x6080604052348015600f57600080fd5b506004361060285760003560e01c806383197ef014602d575b600080fd5b60336035565b"
                  "005b600073ffffffffffffffffffffffffffffffffffffffff16fffea26469706673582212208e566fde20a17fff9658b9b1db37e2787"
                  "6fd8934ccf9b2aa308cabd37698681f64736f6c63430008120033")
    payload = {"blockStateCalls": [{"stateOverrides": {C2: {"code": destructor, "balance": "0x1e8480"},
                                                       "0x" + "00" * 20: {"balance": "0x1"}},
                                    "calls": [{"from": C0, "to": C2, "input": "0x83197ef0"}]}], "traceTransfers": True}
    [call] = simulate(dev.url, payload)[0]["calls"]
    assert call["status"] == "0x1" and call["gasUsed"] == "0x664a"
    assert [(log["address"], log["topics"], log["data"]) for log in call["logs"]] == [
        (TRANSFER_ADDRESS, [TRANSFER_TOPIC, padded(C2), "0x" + "00" * 32], word(0x1e8480))]


def test_logs_of_a_contract_put_in_place_by_override(dev):
    """ethSimulate-logs: gas 0x55d4, one log with topic 0xff…ff, and the block's bloom holds it."""
    payload = {"blockStateCalls": [{"stateOverrides": {C2: {"code": LOG_FF}}, "calls": [
        {"from": C0, "to": C2, "input": "0x6057361d0000000000000000000000000000000000000000000000000000000000000005"}]}]}
    [block] = simulate(dev.url, payload)
    [call] = block["calls"]
    assert call["gasUsed"] == "0x55d4" and call["status"] == "0x1" and call["returnData"] == "0x"
    [log] = call["logs"]
    assert (log["address"], log["topics"], log["data"]) == (C2, ["0x" + "ff" * 32], "0x")
    bloom = int(block["logsBloom"], 16)
    for item in (bytes.fromhex(C2[2:]), b"\xff" * 32):  # Yellow Paper §4.3.1: three bits per item
        digest = keccak256(item)
        for pair in range(3):
            bit = int.from_bytes(digest[2 * pair:2 * pair + 2], "big") & 2047
            assert bloom >> bit & 1, f"bloom lacks bit {bit} of {item.hex()}"


def test_revert_and_halt_are_call_results(dev):
    """A revert is `{message, code: 3, data}` and a halt `{message, code: -32015}` (the spec's CallResultFailure)."""
    payload = {"blockStateCalls": [{"stateOverrides": {C1: {"code": "0x60006000fd"}, C2: {"code": "0xfe"}},
                                    "calls": [{"from": C0, "to": C1}, {"from": C0, "to": C2, "gas": "0x7530"}]}]}
    [block] = simulate(dev.url, payload)
    reverted, halted = block["calls"]
    assert reverted["status"] == "0x0" and reverted["error"] == {"message": "execution reverted", "code": 3, "data": "0x"}
    # INVALID consumes all 30000 gas.
    assert halted == {"returnData": "0x", "logs": [], "gasUsed": "0x7530", "maxUsedGas": "0x7530", "status": "0x0",
                      "error": {"message": "invalid opcode: INVALID", "code": -32015}}


def test_gas_price_and_base_fee_without_validation(dev, accounts):
    """TestSimulateV1 "basefee-non-validation": without fees GASPRICE is 0; with tip 1 and cap 2 it is
    min(2, base + 1); a base fee override shows in BASEFEE and does not carry to the next block."""
    sender = accounts[0].address
    free = {"from": sender, "to": C2}
    paying = {"from": sender, "to": C2, "maxPriorityFeePerGas": "0x1", "maxFeePerGas": "0x2"}
    payload = {"blockStateCalls": [
        {"stateOverrides": {C2: {"code": FEE_PROBE}}, "calls": [free, paying]},
        {"blockOverrides": {"baseFeePerGas": "0x1"}, "calls": [free, paying]},
        {"calls": [free]}]}
    blocks = simulate(dev.url, payload)
    assert [block["baseFeePerGas"] for block in blocks] == ["0x0", "0x1", "0x0"]
    returned = [[call["returnData"] for call in block["calls"]] for block in blocks]
    assert returned == [[word(0) + word(0)[2:], word(1) + word(0)[2:]],
                        [word(0) + word(1)[2:], word(2) + word(1)[2:]],
                        [word(0) + word(0)[2:]]]
    assert {call["gasUsed"] for block in blocks for call in block["calls"]} == {"0x5227"}


def test_zero_fees_run_under_an_overridden_base_fee_without_validation(dev):
    """ethSimulate-basefee-too-low-without-validation-38012: explicit zero fees under a base fee of 10
    succeed without validation (geth's NoBaseFee), a nonzero cap below it does not (-38012)."""
    payload = {"blockStateCalls": [{"blockOverrides": {"baseFeePerGas": "0xa"},
                                    "calls": [{"from": C1, "to": C1, "maxFeePerGas": "0x0", "maxPriorityFeePerGas": "0x0"}]}]}
    [block] = simulate(dev.url, payload)
    assert block["baseFeePerGas"] == "0xa" and block["calls"][0]["status"] == "0x1" and block["calls"][0]["gasUsed"] == "0x5208"
    payload["blockStateCalls"][0]["calls"][0]["maxFeePerGas"] = "0x9"
    assert simulate_error(dev.url, payload)["code"] == -38012


def test_validation_uses_the_eip1559_base_fee(dev):
    """With validation the base fee is the head's EIP-1559 successor and a call must pay it; a sender
    with code may still send (TestSimulateV1 "validation-checks-from-contract")."""
    latest = head(dev.url)
    parent_fee, used, limit = (int(latest[key], 16) for key in ("baseFeePerGas", "gasUsed", "gasLimit"))
    target = limit // 2
    if used == target:
        expected = parent_fee
    elif used > target:
        expected = parent_fee + max(parent_fee * (used - target) // target // 8, 1)
    else:
        expected = parent_fee - parent_fee * (target - used) // target // 8
    payload = {"blockStateCalls": [{
        "stateOverrides": {C0: {"balance": hex(10**18), "code": "0x00", "nonce": "0x1"}},
        "calls": [{"from": C0, "to": C1, "nonce": "0x1", "value": "0x3e8",
                   "maxFeePerGas": hex(expected), "maxPriorityFeePerGas": "0x0"}]}], "validation": True}
    [block] = simulate(dev.url, payload)
    assert block["baseFeePerGas"] == hex(expected)
    assert block["calls"][0]["status"] == "0x1" and block["calls"][0]["gasUsed"] == "0x5208"


def test_gaps_are_filled_and_blockhash_sees_simulated_blocks(dev):
    """A number 3 past the head gives three blocks 12 s apart, linked by parentHash; BLOCKHASH in the
    last reads the hash the middle one was given."""
    latest = head(dev.url)
    number = int(latest["number"], 16)
    probe = "0x67" + (number + 2).to_bytes(8, "big").hex() + "4060005260206000f3"  # BLOCKHASH(n + 2), returned
    payload = {"blockStateCalls": [{"blockOverrides": {"number": hex(number + 3)},
                                    "stateOverrides": {C2: {"code": probe}}, "calls": [{"from": C0, "to": C2}]}]}
    blocks = simulate(dev.url, payload)
    assert [int(block["number"], 16) for block in blocks] == [number + 1, number + 2, number + 3]
    assert [int(block["timestamp"], 16) for block in blocks] == [int(latest["timestamp"], 16) + 12 * k for k in (1, 2, 3)]
    assert [block["parentHash"] for block in blocks] == [latest["hash"], blocks[0]["hash"], blocks[1]["hash"]]
    assert blocks[0]["transactions"] == [] and blocks[0]["calls"] == []
    assert blocks[2]["calls"][0]["returnData"] == blocks[1]["hash"]


def test_full_transactions(dev):
    """returnFullTransactions: transaction objects whose `from` is the call's sender."""
    payload = {"blockStateCalls": [{"stateOverrides": {C0: {"balance": "0x3e8"}},
                                    "calls": [{"from": C0, "to": C1, "value": "0x3e8"}]}],
               "returnFullTransactions": True}
    [block] = simulate(dev.url, payload)
    [transaction] = block["transactions"]
    gas = int(head(dev.url)["gasLimit"], 16)
    assert transaction["from"] == C0 and transaction["to"] == C1 and transaction["value"] == "0x3e8"
    assert transaction["hash"] == unsigned_1559_hash(0, gas, C1, 1000)
    assert transaction["type"] == "0x2" and transaction["blockHash"] == block["hash"]


def test_move_precompile(dev):
    """ethSimulate-move-ecrecover-and-call: ecrecover answers at its new address, and the old one
    (no code there) returns nothing."""
    recover_input = ("0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8" + "00" * 31 + "1c"
                     "b7cf302145348387b9e69fde82d8e634a0f8761e78da3bfa059efced97cbed0d"
                     "2a66b69167cafe0ccfc726aec6ee393fea3cf0e4f3f9c394705e0f56d9bfe1c9")
    moved = "0x0000000000000000000000000000000000123456"
    payload = {"blockStateCalls": [{
        "stateOverrides": {"0x0000000000000000000000000000000000000001": {"movePrecompileToAddress": moved}},
        "calls": [{"from": C1, "to": moved, "input": recover_input},
                  {"from": C1, "to": "0x0000000000000000000000000000000000000001", "input": recover_input}]}]}
    new, old = simulate(dev.url, payload)[0]["calls"]
    assert new["returnData"] == padded("0xb11cad98ad3f8114e0b3a1f6e7228bc8424df48a") and new["gasUsed"] == "0x644c"
    assert old["returnData"] == "0x" and old["status"] == "0x1"


# ---------------------------------------------------------------------------------------------
# Refusals: the spec's codes with geth's messages


def test_refusals(dev):
    latest = head(dev.url)
    number, time = int(latest["number"], 16), int(latest["timestamp"], 16)
    gas_limit = int(latest["gasLimit"], 16)
    cases = [
        ({"blockStateCalls": []}, -32602, "empty input"),
        ({"blockStateCalls": [{}] * 257}, -38026, "too many blocks"),
        ({"blockStateCalls": [{"blockOverrides": {"number": hex(number + 257)}}]}, -38026, "too many blocks"),
        ({"blockStateCalls": [{"blockOverrides": {"number": hex(number + 10)}}, {"blockOverrides": {"number": hex(number + 5)}}]},
         -38020, f"block numbers must be in order: {number + 5} <= {number + 10}"),
        ({"blockStateCalls": [{"blockOverrides": {"time": hex(time + 12)}}, {"blockOverrides": {"time": hex(time + 12)}}]},
         -38021, f"block timestamps must be in order: {time + 12} <= {time + 12}"),
        # ethSimulate-simple-no-funds (geth caps gas at 50M; this node offers the block's gas).
        ({"blockStateCalls": [{"calls": [{"from": C0, "to": C1, "value": "0x3e8"}]}]}, -38014,
         "err: insufficient funds for gas * price + value: address 0xC000000000000000000000000000000000000000 "
         f"have 0 want 1000 (supplied gas {gas_limit})"),
        # ethSimulate-instrict-gas-38013.
        ({"blockStateCalls": [{"calls": [{"from": C0, "to": C1, "gas": "0x0"}]}]}, -38013,
         "err: intrinsic gas too low: have 0, want 21000 (supplied gas 0)"),
        ({"blockStateCalls": [{"calls": [{"from": C0, "to": C1, "gas": hex(gas_limit + 1)}]}]}, -38015,
         f"block gas limit reached: remaining: {gas_limit}, required: {gas_limit + 1}"),
        # ethSimulate-basefee-too-low-with-validation-38012.
        ({"blockStateCalls": [{"blockOverrides": {"baseFeePerGas": "0xa"}, "calls": [{"from": C0, "to": C1}]}],
          "validation": True}, -38012,
         "err: max fee per gas less than block base fee: address 0xC000000000000000000000000000000000000000, "
         f"maxFeePerGas: 0, baseFee: 10 (supplied gas {gas_limit})"),
        # TestSimulateV1 "validation-checks".
        ({"blockStateCalls": [{"calls": [{"from": C0, "to": C1, "nonce": "0x2"}]}], "validation": True}, -38011,
         f"err: nonce too high: address 0xC000000000000000000000000000000000000000, tx: 2 state: 0 (supplied gas {gas_limit})"),
        ({"blockStateCalls": [{"stateOverrides": {C0: {"nonce": "0x3"}}, "calls": [{"from": C0, "to": C1, "nonce": "0x2"}]}],
          "validation": True}, -38010,
         f"err: nonce too low: address 0xC000000000000000000000000000000000000000, tx: 2 state: 3 (supplied gas {gas_limit})"),
        # ethSimulate-try-to-move-non-precompile.
        ({"blockStateCalls": [{"stateOverrides": {C0: {"movePrecompileToAddress": C1}}}]}, -32000,
         "account 0xC000000000000000000000000000000000000000 is not a precompile"),
        # The spec's -38022 and -38023 (geth answers -32000 "account … is already overridden" for the first
        # and lets the later move win for the second).
        ({"blockStateCalls": [{"stateOverrides": {ECRECOVER: {"movePrecompileToAddress": ECRECOVER}}}]}, -38022,
         f"MovePrecompileToAddress referenced itself in replacement: account {ECRECOVER}"),
        ({"blockStateCalls": [{"stateOverrides": {ECRECOVER: {"movePrecompileToAddress": MOVED},
                                                  SHA256: {"movePrecompileToAddress": MOVED}}}]}, -38023,
         f"Multiple MovePrecompileToAddress referencing the same address to replace: {MOVED} (from {ECRECOVER} and {SHA256})"),
        # ethSimulate-move-to-address-itself-reference-38022 with a non-precompile: geth's -32000.
        ({"blockStateCalls": [{"stateOverrides": {C1: {"movePrecompileToAddress": C1}}}]}, -32000,
         f"account {Web3.to_checksum_address(C1)} is not a precompile"),
    ]
    for payload, code, message in cases:
        error = simulate_error(dev.url, payload)
        assert (error["code"], error["message"]) == (code, message), f"{str(payload)[:120]}: {error}"
    # ethSimulate-make-call-with-future-block.
    assert simulate_error(dev.url, {"blockStateCalls": [{}]}, hex(number + 100)) == {"code": -32000, "message": "header not found"}


# ---------------------------------------------------------------------------------------------
# The specification's result schema


def test_results_fit_the_specification(dev):
    """EthSimulateResult (allOf Block and CallResults) for success, revert, transfer logs, a gap and full
    transactions."""
    payload = {"blockStateCalls": [
        {"stateOverrides": {C0: {"balance": "0x7d0"}, C1: {"code": "0x60006000fd"}, C2: {"code": LOG_FF}},
         "calls": [{"from": C0, "to": "0x" + "ab" * 20, "value": "0x3e8"}, {"from": C0, "to": C1}, {"from": C0, "to": C2}]},
        {"blockOverrides": {"number": hex(int(head(dev.url)["number"], 16) + 3)}}],
        "traceTransfers": True}
    for full in (False, True):
        payload["returnFullTransactions"] = full
        value = simulate(dev.url, payload)
        errors = schema_errors(result_schema("eth_simulateV1"), value)
        assert not errors, "\n".join(errors[:10])


def test_a_halt_keeps_geths_message(dev):
    """The one deliberate deviation (docs/rpc.md): a halt's error is geth's `{message: "out of gas", code:
    -32015}`, as the execution-apis fixtures themselves have it (ethSimulate-run-out-of-gas-in-block-38015),
    where CallResultFailure's pattern wants the message to start "vm execution error"."""
    payload = {"blockStateCalls": [{"stateOverrides": {C2: {"code": "0x5b600056"}},  # JUMPDEST PUSH1 0 JUMP: loops
                                    "calls": [{"from": C0, "to": C2, "gas": "0x7530"}]}]}
    value = simulate(dev.url, payload)
    assert value[0]["calls"][0]["error"] == {"message": "out of gas", "code": -32015}
    errors = schema_errors(result_schema("eth_simulateV1"), value)
    assert [error.split(":")[0] for error in errors] == ["0/calls/0"], errors
