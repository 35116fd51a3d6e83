"""web3.py against the dev node, as an anvil script would run: chain id, accounts, the three
transaction types signed by eth-account, receipts and balances."""
from conftest import rpc
from web3 import Web3


def test_chain_id_and_accounts_match_anvil(w3, accounts):
    assert w3.eth.chain_id == 31337
    assert w3.is_connected()
    assert w3.eth.accounts[:10] == [account.address for account in accounts]
    assert accounts[0].address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    for account in accounts:
        assert w3.eth.get_balance(account.address) == Web3.to_wei(10_000, "ether")
    assert w3.eth.block_number == 0
    assert w3.client_version == "GoldenGrain/v0.1.0/linux-x86_64/swift6.3"
    assert w3.net.version == "31337"


def send(w3, account, transaction):
    signed = account.sign_transaction(transaction)
    transaction_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    return w3.eth.wait_for_transaction_receipt(transaction_hash, timeout=10)


def test_legacy_transfer(w3, accounts):
    sender, recipient = accounts[0], accounts[1]
    before = w3.eth.get_balance(recipient.address)
    receipt = send(w3, sender, {"to": recipient.address, "value": 12345, "gas": 21000, "gasPrice": w3.eth.gas_price,
                                "nonce": 0, "chainId": 31337})
    assert receipt.status == 1 and receipt.type == 0 and receipt.gasUsed == 21000
    assert w3.eth.get_balance(recipient.address) == before + 12345
    transaction = w3.eth.get_transaction(receipt.transactionHash)
    assert transaction["from"] == sender.address and transaction.value == 12345 and transaction.type == 0
    assert transaction.v in (31337 * 2 + 35, 31337 * 2 + 36)


def test_access_list_transfer(w3, accounts):
    sender, recipient = accounts[2], accounts[3]
    receipt = send(w3, sender, {"to": recipient.address, "value": 7, "gas": 30000, "gasPrice": w3.eth.gas_price, "nonce": 0,
                                "chainId": 31337, "type": 1,
                                "accessList": [{"address": recipient.address, "storageKeys": ["0x" + "00" * 32]}]})
    assert receipt.status == 1 and receipt.type == 1
    transaction = w3.eth.get_transaction(receipt.transactionHash)
    assert transaction.accessList[0]["address"] == recipient.address
    assert transaction.yParity in (0, 1)


def test_dynamic_fee_transfer_pays_base_fee_plus_tip(w3, accounts):
    sender, recipient = accounts[4], accounts[5]
    base_fee = w3.eth.get_block("latest").baseFeePerGas
    sender_before = w3.eth.get_balance(sender.address)
    receipt = send(w3, sender, {"to": recipient.address, "value": 10**18, "gas": 21000, "maxFeePerGas": base_fee * 2 + 10**9,
                                "maxPriorityFeePerGas": 10**9, "nonce": 0, "chainId": 31337, "type": 2})
    assert receipt.status == 1 and receipt.type == 2
    block = w3.eth.get_block(receipt.blockNumber)
    assert receipt.effectiveGasPrice == block.baseFeePerGas + 10**9
    assert w3.eth.get_balance(sender.address) == sender_before - 10**18 - 21000 * receipt.effectiveGasPrice
    full = w3.eth.get_block(receipt.blockNumber, full_transactions=True)
    assert full.transactions[0].hash == receipt.transactionHash
    assert full.totalDifficulty >= 1 and full.size > 0 and full.uncles == []


def test_send_transaction_from_unlocked_account(w3, accounts):
    transaction_hash = w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": accounts[6].address, "value": 99})
    receipt = w3.eth.wait_for_transaction_receipt(transaction_hash)
    assert receipt.status == 1
    assert w3.eth.get_balance(accounts[6].address) == Web3.to_wei(10_000, "ether") + 99


def test_fee_history_and_gas_price(w3, node):
    assert w3.eth.gas_price > 0
    assert w3.eth.max_priority_fee == 10**9
    history = w3.eth.fee_history(1, "latest", [25, 75])
    assert history.oldestBlock == 0 and len(history.baseFeePerGas) == 2 and history.reward == [[0, 0]]
    assert rpc(node.url, "eth_syncing")["result"] is False


def test_eth_sign_matches_eth_account(node, accounts):
    from eth_account.messages import encode_defunct
    message = b"hello GoldenGrain"
    expected = accounts[0].sign_message(encode_defunct(primitive=message)).signature.to_0x_hex()
    assert rpc(node.url, "eth_sign", [accounts[0].address, "0x" + message.hex()])["result"] == expected
    assert rpc(node.url, "personal_sign", ["0x" + message.hex(), accounts[0].address])["result"] == expected


def test_concurrent_senders_each_find_their_receipt_when_the_send_returns(node, w3, accounts):
    """Automine's group commit over HTTP: eight clients send at once; every eth_sendRawTransaction
    answers only after its block is stored (the receipt is there at once, no waiting), and every
    transfer lands exactly once, in nonce order."""
    import threading

    base_fee = w3.eth.get_block("latest").baseFeePerGas
    per_sender = 25
    signed = [[account.sign_transaction({"to": accounts[9].address, "value": 1, "gas": 21000, "nonce": nonce,
                                         "maxFeePerGas": base_fee * 4 + 10**9, "maxPriorityFeePerGas": 10**9,
                                         "chainId": 31337, "type": 2}).raw_transaction
               for nonce in range(per_sender)] for account in accounts[:8]]
    problems = []

    def client(transactions):
        session = Web3(Web3.HTTPProvider(node.url))
        for raw in transactions:
            transaction_hash = session.eth.send_raw_transaction(raw)
            if session.eth.get_transaction_receipt(transaction_hash) is None:
                problems.append(transaction_hash.hex())

    threads = [threading.Thread(target=client, args=(transactions,)) for transactions in signed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    head = w3.eth.block_number
    mined = [transaction for number in range(1, head + 1)
             for transaction in w3.eth.get_block(number, full_transactions=True).transactions]
    assert len(mined) == 8 * per_sender
    for account in accounts[:8]:
        nonces = [transaction.nonce for transaction in mined if transaction["from"] == account.address]
        assert nonces == list(range(per_sender))
        assert w3.eth.get_transaction_count(account.address) == per_sender
    assert w3.eth.get_balance(accounts[9].address) == Web3.to_wei(10_000, "ether") + 8 * per_sender
