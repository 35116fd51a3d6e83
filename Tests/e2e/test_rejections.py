"""geth's rejection messages (-32000) for transactions signed by eth-account."""
from conftest import rpc


def raw(account, **fields):
    transaction = {"to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "value": 1, "gas": 21000, "nonce": 0,
                   "chainId": 31337, "maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9}
    transaction.update(fields)
    if "gasPrice" in fields:
        transaction.pop("maxFeePerGas"); transaction.pop("maxPriorityFeePerGas")
    return account.sign_transaction(transaction).raw_transaction.to_0x_hex()


def error_of(node, raw_transaction):
    reply = rpc(node.url, "eth_sendRawTransaction", [raw_transaction])
    assert "error" in reply, reply
    assert reply["error"]["code"] == -32000
    return reply["error"]["message"]


def test_nonce_too_low(node, accounts):
    assert "result" in rpc(node.url, "eth_sendRawTransaction", [raw(accounts[0], nonce=0)])
    assert error_of(node, raw(accounts[0], nonce=0, value=2)).startswith("nonce too low")


def test_insufficient_funds(node, accounts):
    message = error_of(node, raw(accounts[0], value=10**23))
    assert message.startswith("insufficient funds for gas * price + value")


def test_intrinsic_gas_too_low(node, accounts):
    assert error_of(node, raw(accounts[0], gas=20000)).startswith("intrinsic gas too low")


def test_max_fee_below_base_fee(node, accounts):
    message = error_of(node, raw(accounts[0], maxFeePerGas=1, maxPriorityFeePerGas=1))
    assert message.startswith("max fee per gas less than block base fee")


def test_already_known_and_replacement_underpriced(node, accounts):
    assert rpc(node.url, "evm_setAutomine", [False])["result"] is None
    first = raw(accounts[0], nonce=0)
    assert "result" in rpc(node.url, "eth_sendRawTransaction", [first])
    assert error_of(node, first).startswith("already known")
    assert error_of(node, raw(accounts[0], nonce=0, value=2)).startswith("replacement transaction underpriced")
    assert rpc(node.url, "evm_mine")["result"] == "0x0"
    assert rpc(node.url, "eth_getTransactionCount", [accounts[0].address, "latest"])["result"] == "0x1"


def test_unknown_method_and_bad_params(node):
    assert rpc(node.url, "eth_foo")["error"] == {"code": -32601, "message": "the method eth_foo does not exist/is not available"}
    assert rpc(node.url, "eth_getBalance", ["0x1234"])["error"] == {
        "code": -32602, "message": "invalid argument 0: hex string has length 4, want 40 for common.Address"}
    assert rpc(node.url, "eth_getBlockByNumber", ["0x01", False])["error"] == {
        "code": -32602, "message": "invalid argument 0: hex number with leading zero digits"}
