"""eth_getProof checked without the node's trie code: the RLP nodes are walked with pyrlp and
pycryptodome's keccak from the block's stateRoot down to the account leaf (which must decode to the
nonce, balance, storage root and code hash the other eth_ methods report) and the storage leaves."""
import rlp
from Crypto.Hash import keccak
from conftest import rpc

STORE = "0x00000000000000000000000000000000000000bb"
# SLOAD(1) and return it: PUSH1 1 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
STORE_CODE = "0x60015460005260206000f3"


def keccak256(data):
    return keccak.new(digest_bits=256, data=data).digest()


def result(node, method, params):
    reply = rpc(node.url, method, params)
    assert "result" in reply, reply
    return reply["result"]


def nibbles(data):
    return [n for byte in data for n in (byte >> 4, byte & 0x0F)]


def walk_proof(root, key, proof):
    """The value under `key` in the trie with root hash `root`, or None for a proven absence.

    Every node is looked up by its keccak256, so a node that does not belong on the path cannot be
    used; nodes shorter than 32 bytes are embedded in their parent, as the Yellow Paper (appendix D)
    requires."""
    by_hash = {keccak256(bytes.fromhex(node[2:])): bytes.fromhex(node[2:]) for node in proof}
    assert keccak256(bytes.fromhex(proof[0][2:])) == root, "the first node must be the root"
    path = nibbles(keccak256(key))
    node = rlp.decode(by_hash[root])
    while True:
        if len(node) == 17:
            if not path:
                return node[16] or None
            child, path = node[path[0]], path[1:]
        else:
            encoded = nibbles(node[0])
            flag = encoded[0]
            partial = encoded[2:] if flag % 2 == 0 else encoded[1:]
            if path[:len(partial)] != partial:
                return None
            path = path[len(partial):]
            if flag >= 2:  # leaf
                return node[1] if not path else None
            child = node[1]
        if child == b"":
            return None
        node = rlp.decode(by_hash[child]) if isinstance(child, bytes) and len(child) == 32 else child


def test_get_proof_walks_to_the_block_state_root(node, w3, accounts):
    sender = accounts[0]
    transfer = sender.sign_transaction({"to": accounts[1].address, "value": 12345, "gas": 21000, "nonce": 0,
                                        "chainId": 31337, "maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9})
    w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(transfer.raw_transaction))
    assert result(node, "anvil_setCode", [STORE, STORE_CODE]) is None
    assert result(node, "anvil_setStorageAt", [STORE, "0x1", "0x" + "00" * 31 + "2a"]) is True
    assert result(node, "anvil_setStorageAt", [STORE, "0x7", "0x" + "01" * 32]) is True
    result(node, "evm_mine", [])
    block = w3.eth.get_block("latest")
    state_root = bytes(block.stateRoot)

    for address in [sender.address, accounts[1].address, STORE]:
        proof = result(node, "eth_getProof", [address, ["0x1", "0x7", "0x2"], hex(block.number)])
        leaf = walk_proof(state_root, bytes.fromhex(address[2:]), proof["accountProof"])
        nonce, balance, storage_root, code_hash = rlp.decode(leaf)
        assert int.from_bytes(nonce, "big") == w3.eth.get_transaction_count(address, block.number)
        assert int.from_bytes(balance, "big") == w3.eth.get_balance(address, block.number)
        assert "0x" + storage_root.hex() == proof["storageHash"]
        assert "0x" + code_hash.hex() == proof["codeHash"]
        assert code_hash == keccak256(bytes(w3.eth.get_code(address, block.number)))
        assert int(proof["nonce"], 16) == int.from_bytes(nonce, "big")
        assert int(proof["balance"], 16) == int.from_bytes(balance, "big")
        for slot in proof["storageProof"]:
            expected = int.from_bytes(w3.eth.get_storage_at(address, int(slot["key"], 16), block.number), "big")
            assert int(slot["value"], 16) == expected
            if storage_root == keccak256(rlp.encode(b"")):
                assert slot["proof"] == []
                continue
            stored = walk_proof(storage_root, int(slot["key"], 16).to_bytes(32, "big"), slot["proof"])
            assert (int.from_bytes(rlp.decode(stored), "big") if stored is not None else 0) == expected
    store = result(node, "eth_getProof", [STORE, ["0x1", "0x7"], "latest"])
    # Values are quantities: no leading zero digit.
    assert [slot["value"] for slot in store["storageProof"]] == ["0x2a", hex(int("01" * 32, 16))]


def test_get_proof_of_an_absent_account(node, w3):
    nobody = "0x00000000000000000000000000000000000b0d1e"
    proof = result(node, "eth_getProof", [nobody, ["0x" + "00" * 32], "latest"])
    root = bytes(w3.eth.get_block("latest").stateRoot)
    assert walk_proof(root, bytes.fromhex(nobody[2:]), proof["accountProof"]) is None
    assert proof["balance"] == "0x0" and proof["nonce"] == "0x0"
    assert proof["codeHash"] == "0x" + "00" * 32 and proof["storageHash"] == "0x" + "00" * 32
    assert proof["storageProof"] == [{"key": "0x" + "00" * 32, "value": "0x0", "proof": []}]
