"""Standard block methods geth serves (issue 17): eth_getBlockReceipts, eth_getHeaderByNumber and
eth_getHeaderByHash, eth_getUncleCountBy*, web3_sha3.

Values come from independent sources: transaction hashes and senders from eth-account (the
transactions are signed here), gas from the intrinsic cost of a transfer (21,000), the effective
gas price from EIP-1559 over the block's base fee, header hashes as keccak256 of the header's RLP
(assembled here with the `rlp` package from the JSON fields; the dev chain's JSON trims extraData
to its 32-byte vanity, so the full field comes from debug_getRawHeader and the JSON must be its
prefix), and web3_sha3 against pycryptodome's Keccak-256.
"""
import rlp
from web3 import Web3

from conftest import keccak256
from conftest import rpc_error as error, rpc_result as result

CHAIN_ID = 31337
GWEI = 10**9
ZERO_HASH = "0x" + "00" * 32
# geth's header JSON is its block JSON without these (internal/ethapi RPCMarshalHeader).
BODY_MEMBERS = ("size", "transactions", "uncles")
# The header's RLP fields in order (London: the 15 legacy fields and the base fee; no blob fields).
HEADER_FIELDS = ("parentHash", "sha3Uncles", "miner", "stateRoot", "transactionsRoot", "receiptsRoot", "logsBloom",
                 "difficulty", "number", "gasLimit", "gasUsed", "timestamp", "extraData", "mixHash", "nonce",
                 "baseFeePerGas")
QUANTITIES = {"difficulty", "number", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas"}


def send_signed(node, account, nonce, to, value, tip=GWEI, fee_cap=100 * GWEI):
    """Signs an EIP-1559 transfer here and sends it raw; returns the hash eth-account computed."""
    signed = account.sign_transaction({"type": 2, "chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": value,
                                       "gas": 21_000, "maxFeePerGas": fee_cap, "maxPriorityFeePerGas": tip})
    assert result(node.url, "eth_sendRawTransaction", ["0x" + signed.raw_transaction.hex()]) == "0x" + signed.hash.hex()
    return "0x" + signed.hash.hex()


def test_block_receipts_are_each_transaction_receipt_in_order(w3, node, accounts):
    assert result(node.url, "evm_setAutomine", [False]) is None
    senders = accounts[1:4]
    tips = [GWEI, 3 * GWEI, 2 * GWEI]
    sent = [send_signed(node, sender, 0, accounts[9].address, 1000 + index, tip=tip)
            for index, (sender, tip) in enumerate(zip(senders, tips))]
    assert result(node.url, "evm_mine") == "0x0"
    block = result(node.url, "eth_getBlockByNumber", ["latest", False])
    assert block["number"] == "0x1" and sorted(block["transactions"]) == sorted(sent)
    base_fee = int(block["baseFeePerGas"], 16)

    receipts = result(node.url, "eth_getBlockReceipts", ["latest"])
    # The same receipts whichever way the block is named.
    assert result(node.url, "eth_getBlockReceipts", ["0x1"]) == receipts
    assert result(node.url, "eth_getBlockReceipts", [block["hash"]]) == receipts
    assert result(node.url, "eth_getBlockReceipts", [{"blockHash": block["hash"], "requireCanonical": True}]) == receipts
    assert result(node.url, "eth_getBlockReceipts", [{"blockNumber": "0x1"}]) == receipts
    # Each one is what eth_getTransactionReceipt answers for that transaction, in block order.
    assert receipts == [result(node.url, "eth_getTransactionReceipt", [h]) for h in block["transactions"]]
    # And the values follow from the transactions signed above: block order is by tip (highest
    # first), each transfer uses 21,000 gas, pays min(fee cap, base fee + tip) per gas.
    by_hash = {h: (sender, tip, 1000 + index) for index, (h, sender, tip) in enumerate(zip(sent, senders, tips))}
    expected_order = [sent[1], sent[2], sent[0]]
    assert [receipt["transactionHash"] for receipt in receipts] == expected_order
    for index, receipt in enumerate(receipts):
        sender, tip, _ = by_hash[receipt["transactionHash"]]
        assert receipt["from"] == sender.address.lower() and receipt["to"] == accounts[9].address.lower()
        assert receipt["transactionIndex"] == hex(index) and receipt["blockHash"] == block["hash"]
        assert receipt["gasUsed"] == hex(21_000) and receipt["cumulativeGasUsed"] == hex(21_000 * (index + 1))
        assert receipt["effectiveGasPrice"] == hex(min(100 * GWEI, base_fee + tip))
        assert receipt["status"] == "0x1" and receipt["type"] == "0x2" and receipt["logs"] == []
        assert receipt["contractAddress"] is None

    # web3.py's wrapper reads the same list.
    wrapped = w3.eth.get_block_receipts(1)
    assert [Web3.to_hex(receipt["transactionHash"]) for receipt in wrapped] == expected_order
    assert [receipt["gasUsed"] for receipt in wrapped] == [21_000] * 3


def test_block_receipts_of_empty_and_unknown_blocks(node):
    assert result(node.url, "eth_getBlockReceipts", ["earliest"]) == []
    assert result(node.url, "evm_mine") == "0x0"
    assert result(node.url, "eth_getBlockReceipts", ["0x1"]) == []
    # geth: null for a block it does not have, by number or by hash.
    assert result(node.url, "eth_getBlockReceipts", ["0x64"]) is None
    assert result(node.url, "eth_getBlockReceipts", [ZERO_HASH]) is None
    assert result(node.url, "eth_getBlockReceipts", [{"blockHash": ZERO_HASH}]) is None


def test_block_receipts_bad_arguments(node):
    assert error(node.url, "eth_getBlockReceipts", []) == {"code": -32602, "message": "missing value for required argument 0"}
    assert error(node.url, "eth_getBlockReceipts", ["0x01"]) == {
        "code": -32602, "message": "invalid argument 0: hex number with leading zero digits"}
    assert error(node.url, "eth_getBlockReceipts", [7]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal number into Go value of type string"}
    assert error(node.url, "eth_getBlockReceipts", ["latest", True])["code"] == -32602


def header_rlp(header, full_extra_data: bytes):
    """The header's RLP from its JSON fields, with the full extraData (the JSON shows its prefix)."""
    assert full_extra_data.startswith(bytes.fromhex(header["extraData"][2:]))
    items = []
    for name in HEADER_FIELDS:
        if name == "extraData":
            items.append(full_extra_data)
        elif name in QUANTITIES:
            items.append(int(header[name], 16))
        else:
            items.append(bytes.fromhex(header[name][2:]))
    return rlp.encode(items)


def test_headers_are_blocks_without_their_bodies_and_hash_to_their_rlp(node, accounts):
    # Blocks 1-3: a transfer each (automine), then an empty one.
    for index in range(3):
        send_signed(node, accounts[index + 1], 0, accounts[9].address, 1)
    assert result(node.url, "evm_mine") == "0x0"
    head = int(result(node.url, "eth_blockNumber"), 16)
    assert head == 4
    for number in range(head + 1):
        block = result(node.url, "eth_getBlockByNumber", [hex(number), False])
        header = result(node.url, "eth_getHeaderByNumber", [hex(number)])
        assert header == {key: value for key, value in block.items() if key not in BODY_MEMBERS}
        assert list(header) == sorted(header), "members sorted as Go writes a map"
        assert result(node.url, "eth_getHeaderByHash", [block["hash"]]) == header
        raw = bytes.fromhex(result(node.url, "debug_getRawHeader", [hex(number)])[2:])
        full_extra_data = rlp.decode(raw)[HEADER_FIELDS.index("extraData")]
        assert header_rlp(header, full_extra_data) == raw
        assert "0x" + keccak256(raw).hex() == header["hash"]
    assert result(node.url, "eth_getHeaderByNumber", ["latest"])["number"] == hex(head)
    assert result(node.url, "eth_getHeaderByNumber", ["earliest"])["number"] == "0x0"
    assert result(node.url, "eth_getHeaderByNumber", ["pending"])["number"] == hex(head)
    # Unknown blocks are null, as in geth.
    assert result(node.url, "eth_getHeaderByNumber", [hex(head + 1)]) is None
    assert result(node.url, "eth_getHeaderByHash", [ZERO_HASH]) is None


def test_header_bad_arguments(node):
    assert error(node.url, "eth_getHeaderByNumber", ["0x"]) == {
        "code": -32602, "message": "invalid argument 0: hex string \"0x\""}
    assert error(node.url, "eth_getHeaderByHash", ["0x1234"]) == {
        "code": -32602, "message": "invalid argument 0: hex string has length 4, want 64 for common.Hash"}
    assert error(node.url, "eth_getHeaderByNumber", ["latest", "latest"]) == {
        "code": -32602, "message": "too many arguments, want at most 1"}


def test_uncle_counts_are_zero_for_known_blocks_and_null_for_unknown(node):
    assert result(node.url, "evm_mine") == "0x0"
    genesis = result(node.url, "eth_getBlockByNumber", ["0x0", False])
    for block in ("0x0", "0x1", "latest", "earliest"):
        assert result(node.url, "eth_getUncleCountByBlockNumber", [block]) == "0x0"
    assert result(node.url, "eth_getUncleCountByBlockHash", [genesis["hash"]]) == "0x0"
    assert genesis["uncles"] == [] and genesis["sha3Uncles"] == "0x" + keccak256(rlp.encode([])).hex()
    assert result(node.url, "eth_getUncleCountByBlockNumber", ["0x2"]) is None
    assert result(node.url, "eth_getUncleCountByBlockHash", [ZERO_HASH]) is None


def test_web3_sha3_is_keccak256(w3, node):
    for data in (b"", b"GoldenGrain", bytes(range(256))):
        assert result(node.url, "web3_sha3", ["0x" + data.hex()]) == "0x" + keccak256(data).hex()
    assert w3.provider.make_request("web3_sha3", ["0x68656c6c6f"])["result"] == \
        "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8"  # keccak256("hello")
    assert error(node.url, "web3_sha3", ["0x123"]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal hex string of odd length into Go value of type hexutil.Bytes"}
    assert error(node.url, "web3_sha3", ["abcd"]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type hexutil.Bytes"}
