"""Malformed and unusual requests over raw HTTP: geth's framing errors, batches, limits."""
import json

import requests


def post(node, body, headers=None):
    return requests.post(node.url, data=body, headers=headers or {"Content-Type": "application/json"}, timeout=30)


def test_parse_error(node):
    reply = post(node, b'{"jsonrpc":"2.0",')
    assert reply.status_code == 200
    assert reply.text == '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}\n'


def test_invalid_request_and_empty_batch(node):
    assert post(node, b'{"jsonrpc":"2.0","id":1}').json() == {
        "jsonrpc": "2.0", "id": 1, "error": {"code": -32600, "message": "invalid request"}}
    assert post(node, b"[]").json()["error"] == {"code": -32600, "message": "empty batch"}


def test_batch_order_and_notifications(node):
    batch = [{"jsonrpc": "2.0", "id": 3, "method": "net_version"},
             {"jsonrpc": "2.0", "method": "eth_chainId"},
             {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}]
    assert post(node, json.dumps(batch)).json() == [{"jsonrpc": "2.0", "id": 3, "result": "31337"},
                                                    {"jsonrpc": "2.0", "id": 1, "result": "0x7a69"}]
    notification = post(node, json.dumps({"jsonrpc": "2.0", "method": "eth_chainId"}))
    assert notification.status_code == 200 and notification.text == ""


def test_batch_too_large(node):
    batch = [{"jsonrpc": "2.0", "id": index, "method": "eth_chainId"} for index in range(1001)]
    assert post(node, json.dumps(batch)).json() == [
        {"jsonrpc": "2.0", "id": 0, "error": {"code": -32600, "message": "batch too large"}}]


def test_oversized_body_is_413(node):
    body = b'{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":["0x' + b"00" * (3 * 1024 * 1024) + b'"]}'
    reply = post(node, body)
    assert reply.status_code == 413
    assert reply.text.startswith("content length too large (")


def test_garbage_does_not_crash_the_node(node):
    for body in [b"\xff\xfe", b"[" * 200000, b'{"method":1}', b"null", b'{"jsonrpc":"2.0","id":{},"method":"eth_chainId"}']:
        assert post(node, body).status_code == 200
    assert post(node, b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}').json()["result"] == "0x7a69"


def test_cors_preflight_like_anvil(node):
    reply = requests.options(node.url, headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})
    assert reply.headers.get("Access-Control-Allow-Origin") == "*"
