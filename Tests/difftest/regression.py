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


def state_root(case, post):
    """The root of the pre-state with `post` (a normalized result's post-state) applied."""
    accounts = compare.pre_state(case)
    accounts.update(post)
    codes = {}
    for account in case["pre"].values():
        code = bytes.fromhex(account["code"][2:])
        codes["0x" + keccak(code).hex()] = code
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
