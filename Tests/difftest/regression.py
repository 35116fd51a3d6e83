"""Saves a (minimized) case as a state-test regression file under Tests/Vectors/difftest/, with
the expected post-state root and logs hash computed here from the reference engine's result
(revm, or py-evm where revm is the one that is wrong): the Merkle Patricia root of the pre-state
updated by that engine's post-state (py-trie's HexaryTrie, RLP per the Yellow Paper §4.1), and
keccak256(RLP(logs)). `Tests/ExecutionTests/DiffTestRegressionTests.swift` runs every file in the
folder with the state-test runner.

    .venv/bin/python Tests/difftest/regression.py CASE.json NAME "note: what differed, who was right and why"
"""

import json
import pathlib
import sys

import rlp
from eth_hash.auto import keccak
from trie import HexaryTrie

import compare
import revm_side

FOLDER = pathlib.Path(__file__).resolve().parents[1] / "Vectors" / "difftest"
BLANK_ROOT = keccak(rlp.encode(b""))


def encode(item):
    """RLP (Yellow Paper appendix B) of bytes and nested lists of bytes."""
    if isinstance(item, (bytes, bytearray)):
        if len(item) == 1 and item[0] < 0x80:
            return bytes(item)
        return _length_prefix(len(item), 0x80) + bytes(item)
    payload = b"".join(encode(x) for x in item)
    return _length_prefix(len(payload), 0xC0) + payload


def _length_prefix(length, offset):
    if length < 56:
        return bytes([offset + length])
    digits = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(digits)]) + digits


def _compact(nibbles, is_leaf):
    """Hex-prefix encoding of a nibble path (Yellow Paper appendix C)."""
    flag = 2 if is_leaf else 0
    if len(nibbles) % 2:
        nibbles = [flag + 1] + nibbles
    else:
        nibbles = [flag, 0] + nibbles
    return bytes(16 * nibbles[i] + nibbles[i + 1] for i in range(0, len(nibbles), 2))


def _node(items, depth):
    """The trie node over items [(nibbles, value)] (sorted, all keys the same length) below depth."""
    if len(items) == 1:
        path, value = items[0]
        return [_compact(path[depth:], True), value]
    first, last = items[0][0], items[-1][0]
    shared = 0
    while first[depth + shared] == last[depth + shared]:
        shared += 1
    if shared:
        return [_compact(first[depth:depth + shared], False), _reference(_node(items, depth + shared))]
    branch = [b""] * 17
    start = 0
    while start < len(items):
        nibble = items[start][0][depth]
        end = start
        while end < len(items) and items[end][0][depth] == nibble:
            end += 1
        branch[nibble] = _reference(_node(items[start:end], depth + 1))
        start = end
    return branch


def _reference(node):
    encoded = encode(node)
    return node if len(encoded) < 32 else keccak(encoded)


def trie_root(mapping):
    """The Merkle Patricia root of {key bytes: value bytes} (Yellow Paper appendix D), built in one
    pass over the sorted keys (all keys here are 32-byte hashes)."""
    if not mapping:
        return BLANK_ROOT
    items = sorted(([b >> 4 if i % 2 == 0 else b & 15 for b in key for i in (0, 1)], value)
                   for key, value in mapping.items())
    return keccak(encode(_node(items, 0)))


def _integer(value):
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def state_root(case, post):
    """The root of the pre-state with `post` (a normalized result's post-state) applied."""
    accounts = compare.pre_state(case)
    accounts.update(post)
    leaves = {}
    for address, account in accounts.items():
        if account is None:
            continue
        nonce, balance, code_hash, storage = account
        storage_root = trie_root({keccak(key.to_bytes(32, "big")): encode(_integer(value))
                                  for key, value in storage.items() if value})
        leaves[keccak(bytes.fromhex(address[2:]))] = encode(
            [_integer(nonce), _integer(balance), storage_root, bytes.fromhex(code_hash[2:])])
    return "0x" + trie_root(leaves).hex()


def state_root_reference(case, post):
    """state_root through py-trie's HexaryTrie, to check the one-pass builder."""
    accounts = compare.pre_state(case)
    accounts.update(post)
    state = HexaryTrie({})
    for address, account in accounts.items():
        if account is None:
            continue
        nonce, balance, code_hash, storage = account
        storage_trie = HexaryTrie({})
        for key, value in storage.items():
            if value:
                storage_trie[keccak(key.to_bytes(32, "big"))] = rlp.encode(value)
        state[keccak(bytes.fromhex(address[2:]))] = rlp.encode(
            [nonce, balance, storage_trie.root_hash, bytes.fromhex(code_hash[2:])])
    return "0x" + state.root_hash.hex()


def logs_hash(logs):
    return "0x" + keccak(rlp.encode([[bytes.fromhex(address[2:]), [bytes.fromhex(t[2:]) for t in topics],
                                      bytes.fromhex(data[2:])] for address, topics, data in logs])).hex()


def save(case, name, note, reference="revm", result=None):
    """Writes Tests/Vectors/difftest/<name>.json; returns its path."""
    if result is None:
        result = revm_side.run(case)
    test = {key: case[key] for key in ("env", "pre", "transaction")}
    test["_info"] = {"comment": note, "source": f"goldengrain differential fuzzer, case {case['name']}",
                     "expected": f"post-state root and logs hash computed from {reference}'s result "
                                 "by Tests/difftest/regression.py"}
    post = {"indexes": {"data": 0, "gas": 0, "value": 0}, "hash": state_root(case, result["post"]),
            "logs": logs_hash(result["logs"])}
    test["post"] = {"Cancun": [post]}
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{name}.json"
    path.write_text(json.dumps({name: test}, indent=1) + "\n")
    return path


if __name__ == "__main__":
    source = json.loads(pathlib.Path(sys.argv[1]).read_text())
    print(save(source.get("case", source), sys.argv[2], sys.argv[3]))
