"""geth's prestateTracer (default mode and diffMode) on debug_traceCall, debug_traceTransaction and
debug_traceBlockByNumber: a hand-assembled contract placed by state overrides, whose touched
accounts and slots follow from its code; balances from eth_getBalance at the parent block; code hash
from keccak in Python."""
import pytest
from web3 import HTTPProvider, Web3

from conftest import NodeProcess, keccak256, rpc, rpc_result

CONTRACT = "0x" + "00" * 18 + "c0de"
SENDER = "0x" + "00" * 19 + "5e"


def slot(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    process = NodeProcess(tmp_path_factory.mktemp("prestate"), arguments=["--dev", "--no-enclave"]).start()
    yield process
    process.stop()


def contract_code(watched: str) -> str:
    # SLOAD(0) POP; SSTORE(1, 7); BALANCE(watched) POP; STOP.
    return "0x" + "60005450" + "6007600155" + "73" + watched[2:] + "3150" + "00"


def test_trace_call_default_and_diff_mode(node, accounts):
    w3 = Web3(HTTPProvider(node.url))
    watched = accounts[9].address.lower()
    code = contract_code(watched)
    code_hash = "0x" + keccak256(bytes.fromhex(code[2:])).hex()
    overrides = {CONTRACT: {"code": code, "stateDiff": {slot(0): slot(5)}}, SENDER: {"balance": hex(10**18)}}
    head = w3.eth.get_block("latest")
    expected = {
        CONTRACT: {"balance": "0x0", "code": code, "codeHash": code_hash,
                   "storage": {slot(0): slot(5), slot(1): slot(0)}},
        SENDER: {"balance": hex(10**18)},
        watched: {"balance": hex(w3.eth.get_balance(accounts[9].address))},
    }
    coinbase_balance = w3.eth.get_balance(head.miner)
    if coinbase_balance:
        expected[head.miner.lower()] = {"balance": hex(coinbase_balance)}
    call = {"from": SENDER, "to": CONTRACT}
    result = rpc_result(node.url, "debug_traceCall", [call, "latest", {"tracer": "prestateTracer", "stateOverrides": overrides}])
    assert result == expected
    assert list(result) == sorted(result), "addresses sorted, as Go writes a map"
    # diffMode: slot 1 goes 0 -> 7 and the sender's nonce 0 -> 1; unchanged accounts and slots drop out.
    result = rpc_result(node.url, "debug_traceCall", [call, "latest", {"tracer": "prestateTracer", "tracerConfig": {"diffMode": True},
                                                           "stateOverrides": overrides}])
    assert result == {
        "post": {CONTRACT: {"storage": {slot(1): slot(7)}}, SENDER: {"nonce": 1}},
        "pre": {CONTRACT: {"balance": "0x0", "code": code, "codeHash": code_hash}, SENDER: {"balance": hex(10**18)}},
    }
    # disableCode / disableStorage.
    result = rpc_result(node.url, "debug_traceCall", [call, "latest", {"tracer": "prestateTracer", "stateOverrides": overrides,
                                                           "tracerConfig": {"disableCode": True, "disableStorage": True}}])
    assert result[CONTRACT] == {"balance": "0x0", "codeHash": code_hash}
    reply = rpc(node.url, "debug_traceCall", [call, "latest", {"tracer": "prestateTracer", "stateOverrides": overrides,
                                                               "tracerConfig": {"diffMode": True, "includeEmpty": True}}])
    assert reply["error"] == {"code": -32000, "message": "cannot use diffMode with includeEmpty"}


def test_trace_transaction_of_a_transfer(node, accounts):
    w3 = Web3(HTTPProvider(node.url))
    sender, recipient = accounts[3], accounts[4]
    tx = w3.eth.send_transaction({"from": sender.address, "to": recipient.address, "value": 12345, "gas": 21000,
                                  "maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9})
    receipt = w3.eth.wait_for_transaction_receipt(tx)
    parent = receipt.blockNumber - 1
    block = w3.eth.get_block(receipt.blockNumber)
    before = {a.address.lower(): w3.eth.get_balance(a.address, parent) for a in (sender, recipient)}
    nonce = w3.eth.get_transaction_count(sender.address, parent)
    expected = {sender.address.lower(): {"balance": hex(before[sender.address.lower()])},
                recipient.address.lower(): {"balance": hex(before[recipient.address.lower()])}}
    if nonce:
        expected[sender.address.lower()]["nonce"] = nonce
    miner_before = w3.eth.get_balance(block.miner, parent)
    if miner_before:
        expected[block.miner.lower()] = {"balance": hex(miner_before)}
    result = rpc_result(node.url, "debug_traceTransaction", [tx.to_0x_hex(), {"tracer": "prestateTracer"}])
    assert result == expected
    # diffMode: the sender pays value + gas × effective price and its nonce rises, the recipient gains the value,
    # the coinbase the tips.
    tip = 21000 * (receipt.effectiveGasPrice - block.baseFeePerGas)
    diff = rpc_result(node.url, "debug_traceTransaction", [tx.to_0x_hex(), {"tracer": "prestateTracer",
                                                                "tracerConfig": {"diffMode": True}}])
    post = diff["post"]
    assert post[sender.address.lower()] == {
        "balance": hex(before[sender.address.lower()] - 12345 - 21000 * receipt.effectiveGasPrice), "nonce": nonce + 1}
    assert post[recipient.address.lower()] == {"balance": hex(before[recipient.address.lower()] + 12345)}
    if tip:
        assert post[block.miner.lower()] == {"balance": hex(miner_before + tip)}
    block_traces = rpc_result(node.url, "debug_traceBlockByNumber", [hex(receipt.blockNumber), {"tracer": "prestateTracer"}])
    assert block_traces == [{"txHash": tx.to_0x_hex(), "result": expected}]
