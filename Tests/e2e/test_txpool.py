"""txpool_status/content/contentFrom/inspect with pending and queued transactions (automine off), and
the pool's check of a sender's balance against its pending transactions, with geth's message."""
from conftest import rpc


def result(node, method, params):
    reply = rpc(node.url, method, params)
    assert "result" in reply, reply
    return reply["result"]


def signed_transfer(account, nonce, max_fee=2 * 10**9, value=1):
    return account.sign_transaction({"to": "0x000000000000000000000000000000000000dEaD", "value": value, "gas": 21000,
                                     "nonce": nonce, "chainId": 31337, "maxFeePerGas": max_fee,
                                     "maxPriorityFeePerGas": 10**9}).raw_transaction.to_0x_hex()


def test_txpool_pending_and_queued(node, accounts):
    assert result(node, "evm_setAutomine", [False]) is None
    hashes = {}
    for name, account, nonce in [("a0", accounts[0], 0), ("a1", accounts[0], 1), ("b3", accounts[1], 3),
                                 ("b10", accounts[1], 10)]:
        hashes[name] = result(node, "eth_sendRawTransaction", [signed_transfer(account, nonce)])
    assert result(node, "txpool_status", []) == {"pending": "0x2", "queued": "0x2"}
    line = "0x000000000000000000000000000000000000dEaD: 1 wei + 21000 gas × 2000000000 wei"
    inspect = rpc(node.url, "txpool_inspect")["result"]
    assert inspect == {"pending": {accounts[0].address: {"0": line, "1": line}},
                       "queued": {accounts[1].address: {"10": line, "3": line}}}
    content = result(node, "txpool_content", [])
    assert list(content) == ["pending", "queued"]
    assert list(content["queued"][accounts[1].address]) == ["10", "3"]
    pending = content["pending"][accounts[0].address]
    assert [pending[nonce]["hash"] for nonce in ["0", "1"]] == [hashes["a0"], hashes["a1"]]
    assert pending["0"]["blockHash"] is None and pending["0"]["from"] == accounts[0].address.lower()
    assert content["queued"][accounts[1].address]["3"]["hash"] == hashes["b3"]
    only_b = result(node, "txpool_contentFrom", [accounts[1].address])
    assert only_b["pending"] == {} and list(only_b["queued"]) == ["10", "3"]
    result(node, "evm_mine", [])
    assert result(node, "txpool_status", []) == {"pending": "0x0", "queued": "0x2"}


def test_pool_counts_pending_costs_against_the_balance(node, accounts):
    payer = accounts[5]
    assert result(node, "anvil_setBalance", [payer.address, hex(10**14)]) is None
    assert result(node, "evm_setAutomine", [False]) is None
    for nonce in [0, 1]:
        result(node, "eth_sendRawTransaction", [signed_transfer(payer, nonce)])
    reply = rpc(node.url, "eth_sendRawTransaction", [signed_transfer(payer, 2)])
    assert reply["error"] == {"code": -32000, "message": "insufficient funds for gas * price + value: "
                              "balance 100000000000000, queued cost 84000000000002, tx cost 42000000000001, "
                              "overshot 26000000000003"}
    assert result(node, "txpool_status", []) == {"pending": "0x2", "queued": "0x0"}
