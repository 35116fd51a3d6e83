"""callTracer with tracerConfig withLog / onlyTopCall on Vyper contracts: each frame's logs with their
position among the frame's sub-calls, as geth reports them."""
import json
import pathlib
import subprocess
import sys

from Crypto.Hash import keccak
from conftest import rpc


def keccak256(data):
    return keccak.new(digest_bits=256, data=data).digest()


def result(node, method, params):
    reply = rpc(node.url, method, params)
    assert "result" in reply, reply
    return reply["result"]


VYPER_CHILD = '''# pragma version ^0.4.0
event Ping:
    sender: indexed(address)
    value: uint256

@external
def ping(amount: uint256):
    log Ping(sender=msg.sender, value=amount)
'''


VYPER_PARENT = '''# pragma version ^0.4.0
interface Child:
    def ping(amount: uint256): nonpayable

event Before:
    amount: uint256

event After:
    amount: uint256

@external
def relay(child: address, amount: uint256):
    log Before(amount=amount)
    extcall Child(child).ping(amount)
    log After(amount=amount)
'''


def compile_vyper(tmp_path, name, source):
    path = tmp_path / f"{name}.vy"
    path.write_text(source)
    vyper = pathlib.Path(sys.executable).parent / "vyper"
    output = subprocess.run([str(vyper), "-f", "abi,bytecode", str(path)], check=True, capture_output=True,
                            text=True).stdout
    abi_line, bytecode_line = output.strip().splitlines()[:2]
    return json.loads(abi_line), bytecode_line.strip()


def deploy(w3, account, abi, bytecode, nonce):
    factory = w3.eth.contract(abi=abi, bytecode=bytecode)
    transaction = factory.constructor().build_transaction({"from": account.address, "nonce": nonce, "chainId": 31337})
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(account.sign_transaction(transaction).raw_transaction))
    assert receipt.status == 1
    return w3.eth.contract(address=receipt.contractAddress, abi=abi)


def test_call_tracer_with_log_positions(node, w3, accounts, tmp_path):
    account = accounts[0]
    child = deploy(w3, account, *compile_vyper(tmp_path, "Child", VYPER_CHILD), nonce=0)
    parent = deploy(w3, account, *compile_vyper(tmp_path, "Parent", VYPER_PARENT), nonce=1)
    transaction = parent.functions.relay(child.address, 7).build_transaction(
        {"from": account.address, "nonce": 2, "chainId": 31337})
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(account.sign_transaction(transaction).raw_transaction))
    assert receipt.status == 1 and len(receipt.logs) == 3
    trace = result(node, "debug_traceTransaction", [receipt.transactionHash.to_0x_hex(),
                                                     {"tracer": "callTracer", "tracerConfig": {"withLog": True}}])
    seven = "0x" + "00" * 31 + "07"
    before_topic = "0x" + keccak256(b"Before(uint256)").hex()
    after_topic = "0x" + keccak256(b"After(uint256)").hex()
    ping_topic = "0x" + keccak256(b"Ping(address,uint256)").hex()
    parent_address = parent.address.lower()
    assert trace["logs"] == [
        {"address": parent_address, "topics": [before_topic], "data": seven, "position": "0x0"},
        {"address": parent_address, "topics": [after_topic], "data": seven, "position": "0x1"},
    ]
    assert len(trace["calls"]) == 1
    assert trace["calls"][0]["logs"] == [
        {"address": child.address.lower(), "topics": [ping_topic, "0x" + "00" * 12 + parent_address[2:]],
         "data": seven, "position": "0x0"},
    ]
    # The receipt's logs are the same three, in execution order.
    assert [log.topics[0].to_0x_hex() for log in receipt.logs] == [before_topic, ping_topic, after_topic]
    plain = result(node, "debug_traceTransaction", [receipt.transactionHash.to_0x_hex(), {"tracer": "callTracer"}])
    assert "logs" not in plain and "logs" not in plain["calls"][0]
    top = result(node, "debug_traceTransaction", [receipt.transactionHash.to_0x_hex(),
                                                   {"tracer": "callTracer",
                                                    "tracerConfig": {"onlyTopCall": True, "withLog": True}}])
    assert "calls" not in top and [log["position"] for log in top["logs"]] == ["0x0", "0x0"]
