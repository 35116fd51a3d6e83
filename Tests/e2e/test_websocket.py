"""eth_subscribe over WebSocket on the HTTP port: newHeads and logs notifications in geth's shape."""
import json

from conftest import rpc
from websockets.sync.client import connect


def test_new_heads_and_unsubscribe(node):
    with connect(node.url.replace("http", "ws")) as socket:
        socket.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}))
        reply = json.loads(socket.recv(timeout=10))
        subscription = reply["result"]
        assert reply["id"] == 1 and subscription.startswith("0x")
        assert rpc(node.url, "evm_mine")["result"] == "0x0"
        notification = json.loads(socket.recv(timeout=10))
        assert notification["method"] == "eth_subscription"
        assert notification["params"]["subscription"] == subscription
        head = notification["params"]["result"]
        assert head["number"] == "0x1" and head["hash"] == rpc(node.url, "eth_getBlockByNumber", ["0x1", False])["result"]["hash"]
        socket.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "eth_unsubscribe", "params": [subscription]}))
        assert json.loads(socket.recv(timeout=10)) == {"jsonrpc": "2.0", "id": 2, "result": True}
        socket.send(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "eth_chainId"}))
        assert json.loads(socket.recv(timeout=10)) == {"jsonrpc": "2.0", "id": 3, "result": "0x7a69"}


def test_logs_subscription(node):
    emitter = "0x00000000000000000000000000000000000000bb"
    topic = "0x" + "11" * 32
    code = "0x60076000527f" + "11" * 32 + "60206000a100"
    assert rpc(node.url, "anvil_setCode", [emitter, code])["result"] is None
    with connect(node.url.replace("http", "ws")) as socket:
        socket.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe",
                                "params": ["logs", {"address": emitter, "topics": [topic]}]}))
        subscription = json.loads(socket.recv(timeout=10))["result"]
        sent = rpc(node.url, "eth_sendTransaction", [{"from": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "to": emitter,
                                                      "gas": "0x186a0"}])["result"]
        notification = json.loads(socket.recv(timeout=10))
        log = notification["params"]["result"]
        assert notification["params"]["subscription"] == subscription
        assert log["address"] == emitter and log["topics"] == [topic] and log["transactionHash"] == sent
        assert log["removed"] is False
