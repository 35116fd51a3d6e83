"""Cancun's blob-era header and receipt fields on a chain without blobs (issue 17).

GoldenGrain runs the Cancun EVM on Clique, but its headers keep the London shape: 16 RLP fields
ending in baseFeePerGas, with no withdrawalsRoot, blobGasUsed, excessBlobGas or
parentBeaconBlockRoot. That is the shape geth's Clique insists on: its verifyHeader refuses a
Shanghai or Cancun header and requires those fields to be absent ("invalid excessBlobGas: have …,
expected nil"). So the JSON leaves them out, as geth leaves out fields a header does not have; the
execution-apis Block schema lists them as optional, and viem's formatBlock maps a missing
blobGasUsed / excessBlobGas to undefined (viem src/utils/formatters/block.ts).

The expected values here come from outside the node: the header's field count and hash from the
raw RLP (keccak in Python), BLOBBASEFEE from EIP-4844's formula with excess blob gas 0
(fake_exponential(1, 0, 3338477) = 1, MIN_BASE_FEE_PER_BLOB_GAS), BLOBHASH from EIP-4844 (zero for an
index past the transaction's blob hashes, here none).
"""
import rlp
from eth_utils import keccak

from conftest import rpc

CANCUN_BLOCK_FIELDS = ("withdrawalsRoot", "withdrawals", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot",
                       "requestsHash")
CANCUN_RECEIPT_FIELDS = ("blobGasUsed", "blobGasPrice")


def send_transfer(w3, account):
    signed = account.sign_transaction({
        "to": "0x" + "11" * 20, "value": 1, "gas": 21_000, "nonce": w3.eth.get_transaction_count(account.address),
        "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 1, "chainId": w3.eth.chain_id, "type": 2,
    })
    return w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))


def test_blocks_and_receipts_carry_no_blob_era_fields(w3, accounts):
    receipt = send_transfer(w3, accounts[1])
    for number in (0, receipt["blockNumber"]):
        for full in (False, True):
            block = rpc(w3.provider.endpoint_uri, "eth_getBlockByNumber", [hex(number), full])["result"]
            assert block["number"] == hex(number)
            assert [field for field in CANCUN_BLOCK_FIELDS if field in block] == []
            assert "baseFeePerGas" in block
    raw_receipt = rpc(w3.provider.endpoint_uri, "eth_getTransactionReceipt", [receipt["transactionHash"].to_0x_hex()])["result"]
    assert raw_receipt["type"] == "0x2"
    assert [field for field in CANCUN_RECEIPT_FIELDS if field in raw_receipt] == []


def test_the_header_is_london_shaped_and_hashes_to_the_block_hash(w3, accounts):
    receipt = send_transfer(w3, accounts[2])
    number = receipt["blockNumber"]
    raw = bytes.fromhex(rpc(w3.provider.endpoint_uri, "debug_getRawHeader", [hex(number)])["result"][2:])
    fields = rlp.decode(raw)
    # parentHash … nonce (15, as before London) + baseFeePerGas = 16; Shanghai would add a 17th.
    assert len(fields) == 16
    assert int.from_bytes(fields[15], "big") == w3.eth.get_block(number)["baseFeePerGas"]
    assert keccak(raw) == bytes(receipt["blockHash"])


def test_blob_opcodes_answer_as_eip_4844_says_for_a_chain_without_blobs(w3):
    # eth_call without "to" runs the data as init code and answers with what it returns (geth's
    # ExecutionResult.ReturnData of a creation), so each program returns one word.
    # BLOBBASEFEE (0x4a); PUSH0 MSTORE; PUSH1 32 PUSH0 RETURN
    blob_base_fee = w3.eth.call({"data": "0x4a5f5260205ff3"})
    assert int.from_bytes(blob_base_fee, "big") == 1
    # PUSH0 BLOBHASH (0x49); PUSH0 MSTORE; PUSH1 32 PUSH0 RETURN
    blob_hash = w3.eth.call({"data": "0x5f495f5260205ff3"})
    assert blob_hash == bytes(32)
