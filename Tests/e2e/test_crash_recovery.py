"""kill -9 in the middle of a stream of transactions (LevelDB datadir), restart, and check that the
head block is whole, every receipted transaction is still there, and the state agrees with the
chain: the sender's nonce and the recipient's balance equal what the mined transfers add up to."""
import threading

import requests
from conftest import rpc
from web3 import HTTPProvider, Web3


def test_kill_9_during_transaction_stream(leveldb_node, accounts):
    sender, recipient = accounts[7], "0x00000000000000000000000000000000000c0ffe"
    receipted = []
    stop = threading.Event()

    def stream():
        nonce = 0
        while not stop.is_set():
            signed = sender.sign_transaction({"to": recipient, "value": 1000, "gas": 21000, "nonce": nonce, "chainId": 31337,
                                              "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
            try:
                reply = rpc(leveldb_node.url, "eth_sendRawTransaction", [signed.raw_transaction.to_0x_hex()])
                receipt = rpc(leveldb_node.url, "eth_getTransactionReceipt", [reply["result"]])["result"]
            except (requests.RequestException, KeyError, ValueError):
                return
            if receipt is not None:
                receipted.append(reply["result"])
            nonce += 1

    worker = threading.Thread(target=stream)
    worker.start()
    while len(receipted) < 40 and worker.is_alive():
        threading.Event().wait(0.02)
    leveldb_node.kill()
    stop.set()
    worker.join()
    assert len(receipted) >= 40

    leveldb_node.start()
    w3 = Web3(HTTPProvider(leveldb_node.url))
    head = w3.eth.get_block("latest", full_transactions=True)
    assert head.number >= len(receipted)
    for transaction in head.transactions:
        assert w3.eth.get_transaction_receipt(transaction.hash).blockHash == head.hash
    for transaction_hash in receipted:
        receipt = w3.eth.get_transaction_receipt(transaction_hash)
        assert receipt is not None and receipt.status == 1 and receipt.blockNumber <= head.number
    mined = w3.eth.get_transaction_count(sender.address, "latest")
    assert mined >= len(receipted)
    assert w3.eth.get_balance(recipient) == 1000 * mined
    parent = w3.eth.get_block(head.number - 1)
    assert head.parentHash == parent.hash
    # The head's state root is the one its header commits to: a state read at the head by hash works.
    assert w3.eth.get_balance(recipient, block_identifier=head.hash) == 1000 * mined


def test_clean_restart_keeps_chain_and_state(leveldb_node, accounts):
    w3 = Web3(HTTPProvider(leveldb_node.url))
    transaction_hash = w3.eth.send_transaction({"from": accounts[0].address, "to": accounts[1].address, "value": 77})
    receipt = w3.eth.wait_for_transaction_receipt(transaction_hash)
    leveldb_node.stop()
    leveldb_node.start()
    w3 = Web3(HTTPProvider(leveldb_node.url))
    assert w3.eth.block_number == receipt.blockNumber
    assert w3.eth.get_transaction_receipt(transaction_hash).blockHash == receipt.blockHash
    assert w3.eth.get_balance(accounts[1].address) == Web3.to_wei(10_000, "ether") + 77
