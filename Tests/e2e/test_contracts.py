"""A Vyper 0.4 contract compiled in the test, deployed and called with web3.py: state, events,
logs and filters, eth_call revert data (code 3), tracing."""
import json
import pathlib
import subprocess
import sys

import pytest
from conftest import rpc
from web3.exceptions import ContractLogicError

SOURCE = '''# pragma version ^0.4.0
event Ping:
    sender: indexed(address)
    value: uint256

stored: public(uint256)

@external
def ping(amount: uint256):
    self.stored = amount
    log Ping(sender=msg.sender, value=amount)

@external
def fail():
    raise "nope"
'''


@pytest.fixture(scope="session")
def compiled(tmp_path_factory):
    path = tmp_path_factory.mktemp("vyper") / "Pinger.vy"
    path.write_text(SOURCE)
    vyper = pathlib.Path(sys.executable).parent / "vyper"
    output = subprocess.run([str(vyper), "-f", "abi,bytecode", str(path)], check=True, capture_output=True, text=True).stdout
    abi_line, bytecode_line = output.strip().splitlines()[:2]
    return json.loads(abi_line), bytecode_line.strip()


@pytest.fixture
def pinger(w3, accounts, compiled):
    abi, bytecode = compiled
    deployer = accounts[0]
    factory = w3.eth.contract(abi=abi, bytecode=bytecode)
    transaction = factory.constructor().build_transaction({"from": deployer.address, "nonce": 0, "chainId": 31337})
    signed = deployer.sign_transaction(transaction)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))
    assert receipt.status == 1 and receipt.contractAddress is not None
    return w3.eth.contract(address=receipt.contractAddress, abi=abi)


def test_deploy_call_and_state(w3, accounts, pinger):
    assert w3.eth.get_code(pinger.address) != b""
    transaction_hash = pinger.functions.ping(42).transact({"from": accounts[0].address})
    receipt = w3.eth.wait_for_transaction_receipt(transaction_hash)
    assert receipt.status == 1
    assert pinger.functions.stored().call() == 42
    assert w3.eth.get_storage_at(pinger.address, 0) == (42).to_bytes(32, "big")


def test_events_logs_and_filters(w3, accounts, pinger):
    event_filter = pinger.events.Ping.create_filter(from_block="latest")
    block_filter = w3.eth.filter("latest")
    receipt = w3.eth.wait_for_transaction_receipt(pinger.functions.ping(7).transact({"from": accounts[0].address}))
    events = pinger.events.Ping().process_receipt(receipt)
    assert events[0].args.value == 7 and events[0].args.sender == accounts[0].address
    logs = w3.eth.get_logs({"fromBlock": 0, "address": pinger.address})
    assert len(logs) == 1 and logs[0].transactionHash == receipt.transactionHash and logs[0].logIndex == 0
    changes = event_filter.get_new_entries()
    assert [entry.args.value for entry in changes] == [7]
    assert event_filter.get_new_entries() == []
    assert receipt.blockHash in block_filter.get_new_entries()
    assert w3.eth.uninstall_filter(block_filter.filter_id)


def test_revert_is_code_3_with_data(w3, node, pinger):
    with pytest.raises(ContractLogicError) as raised:
        pinger.functions.fail().call()
    assert "nope" in str(raised.value)
    selector = pinger.functions.fail()._encode_transaction_data()
    reply = rpc(node.url, "eth_call", [{"to": pinger.address, "data": selector}, "latest"])
    assert reply["error"]["code"] == 3
    assert reply["error"]["message"] == "execution reverted: nope"
    assert reply["error"]["data"].startswith("0x08c379a0")
    estimate = rpc(node.url, "eth_estimateGas", [{"to": pinger.address, "data": selector}])
    assert estimate["error"]["code"] == 3 and estimate["error"]["message"] == "execution reverted: nope"


def test_trace_transaction_call_tracer(w3, node, accounts, pinger):
    receipt = w3.eth.wait_for_transaction_receipt(pinger.functions.ping(5).transact({"from": accounts[0].address}))
    trace = rpc(node.url, "debug_traceTransaction", [receipt.transactionHash.to_0x_hex(), {"tracer": "callTracer"}])["result"]
    assert trace["type"] == "CALL" and trace["to"] == pinger.address.lower() and int(trace["gasUsed"], 16) == receipt.gasUsed
    struct_logs = rpc(node.url, "debug_traceTransaction", [receipt.transactionHash.to_0x_hex()])["result"]
    assert struct_logs["failed"] is False and struct_logs["gas"] == receipt.gasUsed
    assert any(entry["op"] == "SSTORE" for entry in struct_logs["structLogs"])
