#!/usr/bin/env python3
"""Seeded random test vectors for the Swift Marketplace module, computed by the reference Python
libraries in the venv (eth-abi, eth-account). Tests/MarketplaceTests runs it and compares.

    .venv/bin/python scripts/marketplace_vectors.py abi --seed 1 --count 400
    .venv/bin/python scripts/marketplace_vectors.py eip712 --seed 1 --count 50
    .venv/bin/python scripts/marketplace_vectors.py transactions --seed 1 --count 50
    .venv/bin/python scripts/marketplace_vectors.py gge1-open --key HEX --file HEX

Each prints one JSON array. Values are written so that the Swift side can rebuild them from the
type alone: integers as decimal strings (negative with "-"), addresses and bytes as 0x-hex,
strings as strings, arrays and tuples as arrays.
"""
import argparse
import json
import random

from eth_abi import decode, encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address

ELEMENTARY = ["uint", "int", "address", "bool", "bytesN", "bytes", "string"]
ALPHABET = "abcXYZ019 _-é€ß漢字🙂\u0000\n\"\\"


def random_type(rng, depth):
    """A random canonical ABI type string; arrays and tuples nest up to `depth` levels."""
    roll = rng.random()
    if depth > 0 and roll < 0.15:
        return random_type(rng, depth - 1) + "[]"
    if depth > 0 and roll < 0.25:
        return random_type(rng, depth - 1) + f"[{rng.randint(1, 3)}]"
    if depth > 0 and roll < 0.35:
        return "(" + ",".join(random_type(rng, depth - 1) for _ in range(rng.randint(1, 3))) + ")"
    kind = rng.choice(ELEMENTARY)
    if kind in ("uint", "int"):
        return f"{kind}{8 * rng.randint(1, 32)}"
    if kind == "bytesN":
        return f"bytes{rng.randint(1, 32)}"
    return kind


def split_tuple(inner):
    """Top-level comma split of a tuple's inside."""
    parts, depth, current = [], 0, ""
    for character in inner:
        if character == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += character == "("
        depth -= character == ")"
        current += character
    parts.append(current)
    return parts


def random_value(rng, abi_type):
    """A random Python value for eth-abi and its JSON form for Swift."""
    if abi_type.endswith("]"):
        base, _, dimension = abi_type[:-1].rpartition("[")
        count = rng.randint(0, 3) if dimension == "" else int(dimension)
        pairs = [random_value(rng, base) for _ in range(count)]
        return [p for p, _ in pairs], [j for _, j in pairs]
    if abi_type.startswith("("):
        pairs = [random_value(rng, t) for t in split_tuple(abi_type[1:-1])]
        return tuple(p for p, _ in pairs), [j for _, j in pairs]
    if abi_type.startswith("uint"):
        bits = int(abi_type[4:])
        value = rng.choice([0, 1, (1 << bits) - 1, rng.getrandbits(bits), rng.getrandbits(rng.randint(1, bits))])
        return value, str(value)
    if abi_type.startswith("int"):
        bits = int(abi_type[3:])
        low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        value = rng.choice([0, -1, 1, low, high, rng.randint(low, high)])
        return value, str(value)
    if abi_type == "address":
        raw = bytes(rng.getrandbits(8) for _ in range(20))
        return to_checksum_address(raw), "0x" + raw.hex()
    if abi_type == "bool":
        value = rng.random() < 0.5
        return value, value
    if abi_type.startswith("bytes") and abi_type != "bytes":
        raw = bytes(rng.getrandbits(8) for _ in range(int(abi_type[5:])))
        return raw, "0x" + raw.hex()
    if abi_type == "bytes":
        raw = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 31, 32, 33, rng.randint(0, 100)])))
        return raw, "0x" + raw.hex()
    if abi_type == "string":
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.choice([0, 1, 5, 32, rng.randint(0, 40)])))
        return text, text
    raise ValueError(abi_type)


def abi_vectors(rng, count):
    cases = []
    for _ in range(count):
        types = [random_type(rng, 3) for _ in range(rng.randint(1, 4))]
        pairs = [random_value(rng, t) for t in types]
        values = [p for p, _ in pairs]
        encoded = encode(types, values)
        assert normalise(decode(types, encoded)) == normalise(values)
        cases.append({"types": types, "values": [j for _, j in pairs], "encoding": "0x" + encoded.hex()})
    return cases


def normalise(value):
    """eth-abi decodes arrays as tuples and addresses in lower case; compare like with like."""
    if isinstance(value, (list, tuple)):
        return tuple(normalise(v) for v in value)
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return value.lower()
    return value


def random_bytes32(rng):
    return bytes(rng.getrandbits(8) for _ in range(32))


def eip712_vectors(rng, count):
    """BenchmarkResult digests and signatures by eth-account (encode_typed_data + sign_message)."""
    cases = []
    for _ in range(count):
        key = random_bytes32(rng)
        account = Account.from_key(key)
        domain = {"name": "GoldenGrain", "version": "1", "chainId": rng.choice([1, 31337, rng.getrandbits(64)]),
                  "verifyingContract": to_checksum_address(bytes(rng.getrandbits(8) for _ in range(20)))}
        message = {"taskId": rng.choice([1, rng.getrandbits(256)]), "modelId": rng.choice([1, rng.getrandbits(256)]),
                   "modelHash": random_bytes32(rng), "datasetHash": random_bytes32(rng),
                   "accuracyBps": rng.randint(0, 10000), "logitsHash": random_bytes32(rng),
                   "keyForBuyerHash": random_bytes32(rng)}
        types = {"BenchmarkResult": [
            {"name": "taskId", "type": "uint256"}, {"name": "modelId", "type": "uint256"},
            {"name": "modelHash", "type": "bytes32"}, {"name": "datasetHash", "type": "bytes32"},
            {"name": "accuracyBps", "type": "uint16"}, {"name": "logitsHash", "type": "bytes32"},
            {"name": "keyForBuyerHash", "type": "bytes32"}]}
        signable = encode_typed_data(domain_data=domain, message_types=types, message_data=message)
        signed = Account.sign_message(signable, key)
        digest = signed.message_hash
        cases.append({
            "key": "0x" + key.hex(), "address": account.address,
            "chainId": str(domain["chainId"]), "verifyingContract": domain["verifyingContract"],
            "taskId": str(message["taskId"]), "modelId": str(message["modelId"]),
            "modelHash": "0x" + message["modelHash"].hex(), "datasetHash": "0x" + message["datasetHash"].hex(),
            "accuracyBps": message["accuracyBps"], "logitsHash": "0x" + message["logitsHash"].hex(),
            "keyForBuyerHash": "0x" + message["keyForBuyerHash"].hex(),
            "domainSeparator": "0x" + signable.header.hex(), "structHash": "0x" + signable.body.hex(),
            "digest": "0x" + digest.hex(), "signature": "0x" + signed.signature.hex(),
        })
    return cases


def transaction_vectors(rng, count):
    """EIP-1559 transactions signed by eth-account's sign_transaction."""
    cases = []
    for index in range(count):
        key = random_bytes32(rng)
        access_list = []
        if index % 4 == 3:
            access_list = [{"address": to_checksum_address(bytes(rng.getrandbits(8) for _ in range(20))),
                            "storageKeys": ["0x" + random_bytes32(rng).hex() for _ in range(rng.randint(0, 2))]}
                           for _ in range(rng.randint(1, 2))]
        fields = {
            "type": 2, "chainId": rng.choice([1, 31337, rng.getrandbits(40)]),
            "nonce": rng.choice([0, 1, 127, 128, rng.getrandbits(40)]),
            "maxPriorityFeePerGas": rng.choice([0, 1, rng.getrandbits(40)]),
            "maxFeePerGas": rng.choice([1, 10**9, rng.getrandbits(70)]),
            "gas": rng.choice([21000, rng.randint(21000, 30_000_000)]),
            "value": rng.choice([0, 1, rng.getrandbits(100), rng.getrandbits(256)]),
            "data": "0x" + bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 55, 56, rng.randint(0, 300)]))).hex(),
            "accessList": access_list,
        }
        to = None if index % 5 == 4 else to_checksum_address(bytes(rng.getrandbits(8) for _ in range(20)))
        if to is not None:
            fields["to"] = to
        signed = Account.sign_transaction(fields, key)
        case = {k: (str(v) if isinstance(v, int) else v) for k, v in fields.items()}
        case.update({"key": "0x" + key.hex(), "to": to, "raw": "0x" + signed.raw_transaction.hex(),
                     "hash": "0x" + signed.hash.hex(), "sender": Account.from_key(key).address})
        cases.append(case)
    return cases


def gge1_open(key_hex, file_hex):
    """Opens a GGE1 file (docs/formats.md, "Encrypted model file") with pycryptodome's AES-GCM:
    magic ‖ 12-byte nonce ‖ ciphertext ‖ 16-byte tag, the magic as associated data."""
    from Crypto.Cipher import AES
    data = bytes.fromhex(file_hex.removeprefix("0x"))
    assert data[:4] == b"GGE1", "bad magic"
    cipher = AES.new(bytes.fromhex(key_hex.removeprefix("0x")), AES.MODE_GCM, nonce=data[4:16])
    cipher.update(b"GGE1")
    return {"plaintext": "0x" + cipher.decrypt_and_verify(data[16:-16], data[-16:]).hex()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["abi", "eip712", "transactions", "gge1-open"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--key")
    parser.add_argument("--file")
    arguments = parser.parse_args()
    if arguments.kind == "gge1-open":
        print(json.dumps(gge1_open(arguments.key, arguments.file)))
        return
    rng = random.Random(arguments.seed)
    make = {"abi": abi_vectors, "eip712": eip712_vectors, "transactions": transaction_vectors}[arguments.kind]
    print(json.dumps(make(rng, arguments.count), ensure_ascii=False))


if __name__ == "__main__":
    main()
