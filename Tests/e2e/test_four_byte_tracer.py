"""geth's 4byteTracer on debug_traceCall, debug_traceTransaction and debug_traceBlockByNumber: the
selectors of CALL, DELEGATECALL (and the transaction's own call) counted by selector and size,
calls into precompiles left out; a hand-assembled caller placed by a state override."""
import pytest
from web3 import HTTPProvider, Web3

from conftest import NodeProcess, rpc_result

CALLER = "0x" + "00" * 18 + "ca11"
CALLEE = "0x" + "00" * 18 + "beef"
# mem[0..4] = 0xaabbccdd; CALL CALLEE with 36 bytes, CALL the identity precompile (0x04) with 36 bytes,
# DELEGATECALL CALLEE with 4 bytes; STOP.
CALLER_CODE = "0x" + "".join([
    "63aabbccdd", "60e0", "1b", "6000", "52",
    "6000", "6000", "6024", "6000", "6000", "73" + CALLEE[2:], "5a", "f1", "50",
    "6000", "6000", "6024", "6000", "6000", "6004", "5a", "f1", "50",
    "6000", "6000", "6004", "6000", "73" + CALLEE[2:], "5a", "f4", "50",
    "00"])


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    process = NodeProcess(tmp_path_factory.mktemp("fourbyte"), arguments=["--dev", "--no-enclave"]).start()
    yield process
    process.stop()


def test_trace_call_counts_selectors_by_size(node):
    result = rpc_result(node.url, "debug_traceCall", [{"to": CALLER, "input": "0x12345678abcd"}, "latest",
                                          {"tracer": "4byteTracer", "stateOverrides": {CALLER: {"code": CALLER_CODE}}}])
    assert result == {"0x12345678-2": 1, "0xaabbccdd-0": 1, "0xaabbccdd-32": 1}
    assert list(result) == sorted(result), "keys sorted, as Go writes a map"
    # Input shorter than a selector is not counted.
    assert rpc_result(node.url, "debug_traceCall", [{"to": CALLEE, "input": "0x123456"}, "latest", {"tracer": "4byteTracer"}]) == {}


def test_trace_transaction_and_block(node):
    w3 = Web3(HTTPProvider(node.url))
    sender = w3.eth.accounts[0]
    tx = w3.eth.send_transaction({"from": sender, "to": Web3.to_checksum_address(CALLEE), "data": "0xdeadbeef00"})
    receipt = w3.eth.wait_for_transaction_receipt(tx)
    assert receipt.status == 1
    assert rpc_result(node.url, "debug_traceTransaction", [tx.to_0x_hex(), {"tracer": "4byteTracer"}]) == {"0xdeadbeef-1": 1}
    assert rpc_result(node.url, "debug_traceBlockByNumber", [hex(receipt.blockNumber), {"tracer": "4byteTracer"}]) == \
        [{"txHash": tx.to_0x_hex(), "result": {"0xdeadbeef-1": 1}}]
