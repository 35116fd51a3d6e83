"""anvil/Hardhat dev conveniences: snapshots, time travel, mining, setters, impersonation."""
from conftest import rpc
from web3 import Web3


def test_snapshot_and_revert(w3, node, accounts):
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": accounts[0].address, "to": accounts[1].address, "value": 5}))
    assert w3.eth.block_number == 1
    assert rpc(node.url, "evm_revert", [snapshot])["result"] is True
    assert w3.eth.block_number == 0
    assert w3.eth.get_balance(accounts[1].address) == Web3.to_wei(10_000, "ether")
    assert rpc(node.url, "evm_revert", [snapshot])["result"] is False


def test_time_travel_and_mining(w3, node):
    start = w3.eth.get_block("latest").timestamp
    assert rpc(node.url, "evm_increaseTime", [3600])["result"] == "0xe10"
    assert rpc(node.url, "evm_mine")["result"] == "0x0"
    assert w3.eth.get_block("latest").timestamp >= start + 3600
    target = w3.eth.get_block("latest").timestamp + 1000
    assert rpc(node.url, "evm_setNextBlockTimestamp", [target])["result"] is None
    assert rpc(node.url, "evm_mine")["result"] == "0x0"
    assert w3.eth.get_block("latest").timestamp == target
    before = w3.eth.block_number
    assert rpc(node.url, "anvil_mine", ["0x5"])["result"] is None
    assert w3.eth.block_number == before + 5
    assert rpc(node.url, "hardhat_mine", [2])["result"] is None
    assert w3.eth.block_number == before + 7


def test_setters(w3, node):
    target = Web3.to_checksum_address("0x00000000000000000000000000000000000000ab")
    assert rpc(node.url, "anvil_setBalance", [target, hex(10**18)])["result"] is None
    assert w3.eth.get_balance(target) == 10**18
    assert rpc(node.url, "hardhat_setNonce", [target, "0x7"])["result"] is None
    assert w3.eth.get_transaction_count(target) == 7
    assert rpc(node.url, "anvil_setCode", [target, "0x60016000f3"])["result"] is None
    assert w3.eth.get_code(target) == bytes.fromhex("60016000f3")
    assert rpc(node.url, "anvil_setStorageAt", [target, "0x0", "0x" + "00" * 31 + "2a"])["result"] is True
    assert w3.eth.get_storage_at(target, 0)[-1] == 42


def test_impersonation(w3, node, accounts):
    whale = "0x000000000000000000000000000000000000dEaD"
    rpc(node.url, "anvil_setBalance", [whale, hex(10**18)])
    assert rpc(node.url, "anvil_impersonateAccount", [whale])["result"] is None
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": whale, "to": accounts[9].address, "value": 1000}))
    assert receipt.status == 1 and receipt["from"] == whale
    assert rpc(node.url, "anvil_stopImpersonatingAccount", [whale])["result"] is None
    reply = rpc(node.url, "eth_sendTransaction", [{"from": whale, "to": accounts[9].address, "value": "0x1"}])
    assert reply["error"] == {"code": -32000, "message": "unknown account"}


def test_clique(node, accounts):
    assert rpc(node.url, "clique_getSigners")["result"] == [accounts[0].address.lower()]
    assert rpc(node.url, "clique_propose", [accounts[1].address, True])["result"] is None
    assert rpc(node.url, "clique_proposals")["result"] == {accounts[1].address.lower(): True}
    assert rpc(node.url, "clique_discard", [accounts[1].address])["result"] is None


# Hostile clock and mining requests found by Tests/e2e/test_rpc_spec.py's exploration (issue 14):
# each crashed the node (Int64/UInt64 overflow) or, for the last, held its lock mining 2^64 blocks.
# Now a timestamp past 2^62 - 1 or more than 10,000 blocks per call is -32602 naming the value,
# evm_increaseTime saturates, and the node keeps answering.
MAXIMUM_TIMESTAMP = (1 << 62) - 1


def test_clock_and_mining_requests_that_would_overflow_are_refused_or_saturate(node):
    def call(method, params):
        return rpc(node.url, method, params)

    first = call("evm_increaseTime", ["0xffffffffffffffff"])
    second = call("evm_increaseTime", ["0xffffffffffffffff"])
    assert first["result"] == hex(MAXIMUM_TIMESTAMP) and second["result"] == hex(MAXIMUM_TIMESTAMP)
    assert "error" not in call("evm_mine", [])
    assert rpc(node.url, "eth_blockNumber")["result"] == "0x1"

    refused = call("evm_setNextBlockTimestamp", ["0x8000000000000000"])
    assert refused["error"] == {"code": -32602, "message": f"timestamp {0x8000000000000000} is past the latest this node accepts ({MAXIMUM_TIMESTAMP})"}
    refused = call("evm_mine", ["0xffffffffffffffff"])
    assert refused["error"] == {"code": -32602, "message": f"timestamp {0xffffffffffffffff} is past the latest this node accepts ({MAXIMUM_TIMESTAMP})"}
    refused = call("anvil_mine", ["0xffffffffffffffff"])
    assert refused["error"] == {"code": -32602, "message": f"cannot mine {0xffffffffffffffff} blocks in one call, at most 10000"}
    refused = call("anvil_mine", ["0x2", "0xffffffffffffffff"])
    assert refused["error"]["code"] == -32602 and "is past the latest this node accepts" in refused["error"]["message"]
    assert "error" not in call("evm_mine", [])
    assert rpc(node.url, "eth_chainId")["result"] == "0x7a69"
