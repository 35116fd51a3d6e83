"""Cases made from the official GeneralStateTests (read in place from ../shared/fixtures): one
test's pre-state and one of its Cancun transactions, then a few mutations of the transaction
(gas limit near its intrinsic cost, value, call data, recipient), the code (byte damage, PUSH
constants replaced by edge values), storage and balances.

Each case is then fitted to what the harness can run on both engines (see revm_side.py): base fee
0, at most one nonzero storage slot per account, every account with storage in the access list,
the sender rich enough for the gas purchase to be simulated, no blob transactions and no values
written as "0x:bigint", and at most 100 million gas.
"""

import json
import os
import pathlib
import random

from eth_keys import keys

import generator
from assembler import opcode_names

ROOT = pathlib.Path(__file__).resolve().parents[2]
STATE_TESTS = pathlib.Path(os.environ.get("DIFFTEST_STATE_TESTS",
                                          ROOT.parent / "shared" / "fixtures" / "ethereum-tests" / "GeneralStateTests"))
SKIPPED_FOLDERS = ("stEIP4844-blobtransactions", "eip4844_blobs")

GAS_CAP = 100_000_000

_files = None
_loaded = {}
_senders = {}


def files():
    global _files
    if _files is None:
        _files = sorted(str(path) for path in STATE_TESTS.rglob("*.json")
                        if not any(folder in str(path) for folder in SKIPPED_FOLDERS))
    return _files


def tests_in(path):
    """(name, test, Cancun post entries) of one file; cached (the smoke and the soak revisit files)."""
    if path not in _loaded:
        if len(_loaded) > 400:
            _loaded.clear()
        try:
            content = json.loads(pathlib.Path(path).read_text())
        except (OSError, ValueError):
            content = {}
        usable = []
        for name, test in sorted(content.items()):
            posts = test.get("post", {}).get("Cancun")
            transaction = test.get("transaction", {})
            if not posts or "blobVersionedHashes" in transaction or "0x:bigint" in json.dumps(test):
                continue
            usable.append((name, test, posts))
        _loaded[path] = usable
    return _loaded[path]


def sender_of(transaction):
    if "sender" in transaction:
        return transaction["sender"].lower()
    secret = transaction["secretKey"]
    if secret not in _senders:
        _senders[secret] = keys.PrivateKey(bytes.fromhex(secret[2:].rjust(64, "0"))).public_key.to_checksum_address().lower()
    return _senders[secret]


def mutated_case(seed):
    """The case for one seed, or None if the test drawn cannot be run by the harness."""
    rng = random.Random(seed)
    available = files()
    if not available:
        return None
    for _ in range(5):
        tests = tests_in(rng.choice(available))
        if tests:
            break
    else:
        return None
    name, test, posts = rng.choice(tests)
    indexes = rng.choice(posts)["indexes"]
    source = test["transaction"]
    transaction = {
        "nonce": source["nonce"], "to": source.get("to", ""), "sender": sender_of(source),
        "secretKey": source.get("secretKey", "0x" + "00" * 32),
        "data": [source["data"][indexes["data"]]], "gasLimit": [source["gasLimit"][indexes["gas"]]],
        "value": [source["value"][indexes["value"]]],
    }
    for field in ("gasPrice", "maxFeePerGas", "maxPriorityFeePerGas"):
        if field in source:
            transaction[field] = source[field]
    if source.get("accessLists") and indexes["data"] < len(source["accessLists"]):
        transaction["accessLists"] = [source["accessLists"][indexes["data"]] or []]
    env = {key: test["env"][key] for key in ("currentCoinbase", "currentNumber", "currentTimestamp",
                                              "currentGasLimit") if key in test["env"]}
    env["currentRandom"] = test["env"].get("currentRandom", test["env"].get("currentDifficulty", "0x0"))
    env["currentExcessBlobGas"] = test["env"].get("currentExcessBlobGas", "0x0")
    env["currentBaseFee"] = "0x0"
    pre = {address.lower(): {"balance": account["balance"], "nonce": account["nonce"], "code": account["code"],
                             "storage": dict(account.get("storage", {}))}
           for address, account in test["pre"].items()}
    case = {"name": f"mutated-{seed}", "source": name, "env": env, "pre": pre, "transaction": transaction}
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        mutate(rng, case)
    return fit(rng, case)


def mutate(rng, case):
    transaction, pre = case["transaction"], case["pre"]
    roll = rng.random()
    data = bytes.fromhex(transaction["data"][0][2:])
    if roll < 0.2:
        to = transaction["to"]
        access_list = [(e["address"], e["storageKeys"]) for e in (transaction.get("accessLists") or [[]])[0]]
        intrinsic = generator.intrinsic_gas(data, not to, access_list)
        transaction["gasLimit"] = [hex(intrinsic + rng.choice([0, 1, 100, 2000, 5000, 21000, 60000,
                                                                rng.randrange(0, 400000)]))]
    elif roll < 0.3:
        transaction["value"] = [hex(rng.choice([0, 1, int(transaction["value"][0], 16) + 1, 10**18]))]
    elif roll < 0.45:
        data = generator.mutate_bytes(rng, data) if data else bytes([rng.getrandbits(8)])
        transaction["data"] = ["0x" + data.hex()]
    elif roll < 0.8:
        with_code = [address for address in sorted(pre) if len(pre[address]["code"]) > 2]
        if with_code:
            address = rng.choice(with_code)
            code = bytes.fromhex(pre[address]["code"][2:])
            pre[address]["code"] = "0x" + (tweak_constant(rng, code) if rng.random() < 0.5
                                           else generator.mutate_bytes(rng, code)).hex()
    elif roll < 0.9:
        address = rng.choice(sorted(pre))
        pre[address]["storage"] = {hex(rng.randrange(0, 4)): hex(rng.choice([1, 2, 2**255, 2**256 - 1]))}
    elif roll < 0.95:
        address = rng.choice(sorted(pre))
        pre[address]["balance"] = hex(rng.choice([0, 1, 10**18]))
    else:
        transaction["to"] = rng.choice(sorted(pre) + ["", "0x0000000000000000000000000000000000000004"])


def tweak_constant(rng, code):
    """Replaces one PUSH's immediate by an edge value of the same width."""
    pushes = [(pc, byte - 0x5F) for pc, byte in opcode_names(code) if 0x60 <= byte <= 0x7F and pc + byte - 0x5F < len(code)]
    if not pushes:
        return code
    pc, width = rng.choice(pushes)
    value = rng.choice([0, 1, 2, 31, 32, (1 << (8 * width)) - 1, 1 << (8 * width - 1), rng.getrandbits(8 * width)])
    value %= 1 << (8 * width)
    return code[:pc + 1] + value.to_bytes(width, "big") + code[pc + 1 + width:]


def fit(rng, case):
    """Makes the case runnable on both engines (module docstring); None if it cannot be."""
    transaction, pre = case["transaction"], case["pre"]
    for address, account in pre.items():
        storage = {k: v for k, v in account["storage"].items() if int(v, 16)}
        if len(storage) > 1:
            key = rng.choice(sorted(storage))
            storage = {key: storage[key]}
        account["storage"] = storage
    access_list = list((transaction.get("accessLists") or [[]])[0])
    listed = {entry["address"].lower() for entry in access_list}
    for address in sorted(pre):
        if pre[address]["storage"] and address not in listed:
            access_list.append({"address": address, "storageKeys": []})
    if access_list:
        transaction["accessLists"] = [access_list]
    # A few official tests buy billions of gas (CALLBlake2f_MaxRounds: 2^32 - 1 rounds, two minutes
    # on either engine); 100 million is plenty for everything else they do.
    transaction["gasLimit"] = [hex(min(int(transaction["gasLimit"][0], 16), GAS_CAP))]
    sender = transaction["sender"]
    price = int(transaction.get("maxFeePerGas", transaction.get("gasPrice", "0x0")), 16)
    needed = 2 * int(transaction["gasLimit"][0], 16) * price + int(transaction["value"][0], 16) + 10**18
    account = pre.setdefault(sender, {"balance": "0x0", "nonce": "0x0", "code": "0x", "storage": {}})
    if needed >= 2**256:
        return None
    if int(account["balance"], 16) < needed:
        account["balance"] = hex(needed)
    return case
