"""debug_traceBlockByNumber / debug_traceBlockByHash (geth's `[{txHash, result}]`): two
transactions in one block, the second reading what the first wrote, traced in order on the block's
pre-state with the struct logger and the callTracer; geth's refusals."""
import pytest
from web3 import HTTPProvider, Web3

from conftest import NodeProcess, rpc, rpc_result
from test_rpc_spec import component, schema_errors, result_schema

# COUNTER: slot 0 += 1, return the new value. PUSH1 0 SLOAD PUSH1 1 ADD DUP1 PUSH1 0 SSTORE PUSH1 0 MSTORE
# PUSH1 32 PUSH1 0 RETURN (18 bytes); the init code CODECOPYs it from behind its own 12 bytes.
COUNTER = "6000546001018060005560005260206000f3"
COUNTER_INIT = "0x" + "6012600c60003960126000f3" + COUNTER
assert len(bytes.fromhex(COUNTER)) == 0x12


def word(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    node = NodeProcess(tmp_path_factory.mktemp("traceblock"), arguments=["--dev", "--no-enclave"]).start()
    try:
        w3 = Web3(HTTPProvider(node.url))
        sender, other = w3.eth.accounts[0], w3.eth.accounts[1]
        receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": sender, "data": COUNTER_INIT}))
        counter = receipt.contractAddress
        assert w3.eth.get_code(counter).hex() == COUNTER
        assert rpc(node.url, "evm_setAutomine", [False])["result"] is None
        first = w3.eth.send_transaction({"from": sender, "to": counter, "gas": 100_000})
        second = w3.eth.send_transaction({"from": other, "to": counter, "gas": 100_000})
        assert rpc(node.url, "evm_mine", [])["result"] == "0x0"
        block = w3.eth.get_block("latest")
        assert sorted(block.transactions) == sorted([first, second])
        yield node, w3, counter, block
    finally:
        node.stop()


def test_struct_logs_of_every_transaction_in_order(chain):
    node, w3, counter, block = chain
    traces = rpc_result(node.url, "debug_traceBlockByNumber", [hex(block.number)])
    assert not schema_errors(result_schema("debug_traceBlockByNumber"), traces)
    assert not schema_errors({"type": "array", "items": component("OpcodeBlockTransactionTrace")}, traces)
    assert [trace["txHash"] for trace in traces] == [tx.to_0x_hex() for tx in block.transactions]
    # The second transaction sees the first one's write: the counter returns 1, then 2.
    assert [trace["result"]["returnValue"] for trace in traces] == [word(1), word(2)]
    for trace, tx in zip(traces, block.transactions):
        receipt = w3.eth.get_transaction_receipt(tx)
        assert trace["result"]["gas"] == receipt.gasUsed and trace["result"]["failed"] is False
        ops = [step["op"] for step in trace["result"]["structLogs"]]
        assert ops == ["PUSH1", "SLOAD", "PUSH1", "ADD", "DUP1", "PUSH1", "SSTORE", "PUSH1", "MSTORE", "PUSH1",
                       "PUSH1", "RETURN"]
    assert rpc_result(node.url, "debug_traceBlockByHash", [block.hash.to_0x_hex()]) == traces
    assert rpc_result(node.url, "debug_traceBlockByNumber", ["latest"]) == traces


def test_call_tracer_for_the_block(chain):
    node, w3, counter, block = chain
    traces = rpc_result(node.url, "debug_traceBlockByHash", [block.hash.to_0x_hex(), {"tracer": "callTracer"}])
    assert [trace["txHash"] for trace in traces] == [tx.to_0x_hex() for tx in block.transactions]
    for index, (trace, tx) in enumerate(zip(traces, block.transactions)):
        frame = trace["result"]
        transaction = w3.eth.get_transaction(tx)
        assert (frame["type"], frame["from"], frame["to"]) == ("CALL", transaction["from"].lower(), counter.lower())
        assert frame["output"] == word(index + 1)
        assert int(frame["gas"], 16) == 100_000
        assert int(frame["gasUsed"], 16) == w3.eth.get_transaction_receipt(tx).gasUsed


def test_empty_block_and_refusals(chain):
    node, w3, _, block = chain
    assert rpc_result(node.url, "evm_mine", []) == "0x0"
    assert rpc_result(node.url, "debug_traceBlockByNumber", ["latest"]) == []
    assert rpc(node.url, "debug_traceBlockByNumber", ["0x0"])["error"] == {"code": -32000,
                                                                          "message": "genesis is not traceable"}
    assert rpc(node.url, "debug_traceBlockByNumber", ["0x64"])["error"] == {"code": -32000,
                                                                           "message": "block #100 not found"}
    assert rpc(node.url, "debug_traceBlockByHash", ["0x" + "00" * 32])["error"] == {
        "code": -32000, "message": "block 0x" + "00" * 32 + " not found"}
