"""eth_createAccessList on a contract that reads another contract's storage: the exact list, and the
gas it reports is what a type-1 transaction carrying that list then uses."""
from conftest import rpc
from web3 import Web3

STORE = "0x00000000000000000000000000000000000000bb"
READER = "0x00000000000000000000000000000000000000aa"
# SLOAD(1) and return it: PUSH1 1 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
STORE_CODE = "0x60015460005260206000f3"
# SLOAD(0) POP; STATICCALL STORE (return buffer 0..32); return the word.
READER_CODE = "0x600054506020600060006000" + "73" + STORE[2:] + "5afa5060206000f3"


def result(node, method, params):
    reply = rpc(node.url, method, params)
    assert "result" in reply, reply
    return reply["result"]


def test_create_access_list_for_a_cross_contract_read(node, w3, accounts):
    assert result(node, "anvil_setCode", [STORE, STORE_CODE]) is None
    assert result(node, "anvil_setStorageAt", [STORE, "0x1", "0x" + "00" * 31 + "2a"]) is True
    assert result(node, "anvil_setCode", [READER, READER_CODE]) is None
    sender = accounts[0]
    created = result(node, "eth_createAccessList", [{"from": sender.address, "to": READER}])
    # The reader's own slot 0 (geth lists the recipient once its storage is read) and the store's slot 1.
    assert created["accessList"] == [
        {"address": READER, "storageKeys": ["0x" + "00" * 32]},
        {"address": STORE, "storageKeys": ["0x" + "00" * 31 + "01"]},
    ]
    assert "error" not in created
    # 21000 + 2 × 2400 + 2 × 1900 for the list, then 351 for the two frames with everything warm.
    assert int(created["gasUsed"], 16) == 29951
    transaction = sender.sign_transaction({"to": Web3.to_checksum_address(READER), "value": 0, "gas": 100000,
                                           "nonce": 0, "chainId": 31337, "gasPrice": 2 * 10**9,
                                           "accessList": created["accessList"]})
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(transaction.raw_transaction))
    assert receipt.status == 1 and receipt.type == 1
    assert receipt.gasUsed == int(created["gasUsed"], 16)
    estimate = int(result(node, "eth_estimateGas", [{"from": sender.address, "to": READER,
                                                     "accessList": created["accessList"]}]), 16)
    assert estimate >= receipt.gasUsed


def test_create_access_list_reports_a_revert(node):
    assert result(node, "anvil_setCode", ["0x00000000000000000000000000000000000000ab", "0x60006000fd"]) is None
    created = result(node, "eth_createAccessList", [{"to": "0x00000000000000000000000000000000000000ab"}, "latest"])
    assert created == {"accessList": [], "error": "execution reverted", "gasUsed": hex(21006)}
