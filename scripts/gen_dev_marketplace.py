#!/usr/bin/env python3
"""Generates the marketplace's entry in Genesis/dev.json: code and storage at 0x…2000.

    .venv/bin/python scripts/gen_dev_marketplace.py            # rewrite the entry in Genesis/dev.json
    .venv/bin/python scripts/gen_dev_marketplace.py --check    # exit 1 if the committed entry differs

How: a scratch dev node (ephemeral, genesis without the entry, block time fixed at 2026-01-01 so the
simulated certificates are valid) runs the real constructor and the real registration, and the
script reads back what they left behind. To run the constructor *at* 0x…2000 (so `self`, the EIP-712
domain and the REPORTDATA binding name the genesis address), the init code is put there with
anvil_setCode and called: a constructor run by CALL behaves as under CREATE (CODECOPY reads the
arguments appended to the init code, SSTORE writes the account's storage) and returns the runtime
code with its immutables, which then replaces the init code. The dev enclave (SIMULATED, its key
derived from a public label) registers with a quote bound to chain 31337 and 0x…2000, by an
ordinary transaction. The storage slots are those the two transactions' SSTOREs touched
(debug_traceTransaction), read back with eth_getStorageAt.

Tests/e2e/test_dev_marketplace.py runs --check, so the committed genesis always equals what the
committed artifact and the simulated enclave produce.
"""
import argparse
import copy
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from eth_abi import encode

ROOT = Path(__file__).resolve().parent.parent
GENESIS = ROOT / "Genesis" / "dev.json"
ARTIFACT = ROOT / "Contracts" / "build" / "Marketplace.json"
BINARY = Path(os.environ.get("GOLDENGRAIN_BIN", ROOT / ".build" / "release" / "goldengrain"))

MARKETPLACE = "0x0000000000000000000000000000000000002000"
INFERENCE_EVAL = "0x0000000000000000000000000000000000001001"
OWNER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # dev account 0
RESULT_WINDOW = 3600
SCRATCH_TIMESTAMP = 1767225600  # 2026-01-01T00:00:00Z, inside the simulated PCK chain's validity
CHAIN_ID = 31337


class Node:
    """A scratch `goldengrain node --dev --ephemeral` on a free port, without the node's own enclave
    worker (it would register the dev enclave by itself as soon as the marketplace has code)."""

    def __init__(self, genesis_path: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(BINARY), "node", "--dev", "--no-enclave", "--ephemeral", "--genesis", str(genesis_path),
             "--timestamp", str(SCRATCH_TIMESTAMP), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.time() + 30
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"scratch node exited: {self.log.read().decode(errors='replace')}")
            try:
                self.rpc("eth_chainId")
                return
            except requests.RequestException:
                if time.time() > deadline:
                    raise SystemExit("scratch node did not answer within 30 s")
                time.sleep(0.05)

    def rpc(self, method, *params):
        reply = requests.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)},
                              timeout=60).json()
        if "error" in reply:
            raise SystemExit(f"{method} failed: {reply['error']}")
        return reply["result"]

    def transact(self, data: str, what: str) -> str:
        """Sends a transaction from dev account 0 to the marketplace; returns its hash once mined."""
        tx_hash = self.rpc("eth_sendTransaction", {"from": OWNER, "to": MARKETPLACE, "data": data,
                                                   "gas": hex(10_000_000)})
        receipt = self.rpc("eth_getTransactionReceipt", tx_hash)
        if receipt is None or receipt["status"] != "0x1":
            raise SystemExit(f"{what} failed: {receipt}")
        return tx_hash

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def selector(signature: str) -> bytes:
    from eth_utils import keccak
    return keccak(text=signature)[:4]


def dev_enclave() -> tuple[str, bytes, bytes]:
    """The dev enclave's address and public key, and its registration quote bound to 0x…2000."""
    key_info = subprocess.run([str(BINARY), "enclave", "key", "--dev"], capture_output=True, text=True, check=True)
    text = key_info.stdout + key_info.stderr
    public_key = re.search(r"0x([0-9a-fA-F]{128})\b", text)
    address = re.search(r"0x[0-9a-fA-F]{40}\b", text)
    if not public_key or not address:
        raise SystemExit(f"`goldengrain enclave key --dev` printed no address and public key: {text}")
    with tempfile.TemporaryDirectory() as folder:
        quote_path = Path(folder) / "quote.bin"
        subprocess.run([str(BINARY), "enclave", "quote", "--dev-key", "--chain-id", str(CHAIN_ID),
                        "--marketplace", MARKETPLACE, "--out", str(quote_path)],
                       capture_output=True, check=True)
        quote = quote_path.read_bytes()
    return address.group(0), bytes.fromhex(public_key.group(1)), quote


def touched_slots(node: Node, tx_hash: str) -> set[str]:
    """The storage keys the transaction's SSTOREs wrote at the marketplace (top-level frame only)."""
    trace = node.rpc("debug_traceTransaction", tx_hash, {"enableMemory": False, "disableStack": False})
    slots = set()
    for step in trace["structLogs"]:
        if step["op"] == "SSTORE" and step["depth"] == 1:
            slots.add("0x" + step["stack"][-1][2:].rjust(64, "0"))
    return slots


def generate(genesis: dict) -> dict:
    """The alloc entry for 0x…2000, made by the real constructor and registration in a scratch chain."""
    artifact = json.loads(ARTIFACT.read_text())
    mr_enclave = bytes.fromhex(genesis["goldengrain"]["attestation"]["trustedMeasurements"][0][2:])
    constructor_arguments = encode(["address", "bytes32[]", "address", "uint256"],
                                   [OWNER, [mr_enclave], INFERENCE_EVAL, RESULT_WINDOW])
    init_code = artifact["bytecode"] + constructor_arguments.hex()

    scratch = copy.deepcopy(genesis)
    scratch["alloc"] = {k: v for k, v in genesis["alloc"].items() if k.lower() != MARKETPLACE}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(scratch, handle)
        scratch_path = Path(handle.name)
    node = Node(scratch_path)
    try:
        node.rpc("anvil_setCode", MARKETPLACE, init_code)
        runtime = node.rpc("eth_call", {"from": OWNER, "to": MARKETPLACE, "data": "0x"}, "latest")
        if not runtime.startswith(artifact["deployedBytecode"]):
            raise SystemExit("the constructor returned code that does not start with the artifact's deployedBytecode")
        constructed = node.transact("0x", "constructor")
        node.rpc("anvil_setCode", MARKETPLACE, runtime)

        address, public_key, quote = dev_enclave()
        registration = selector("registerEnclave(bytes,bytes)") + encode(["bytes", "bytes"], [quote, public_key])
        registered = node.transact("0x" + registration.hex(), "registerEnclave")
        check = selector("isEnclave(address)") + encode(["address"], [address])
        if int(node.rpc("eth_call", {"to": MARKETPLACE, "data": "0x" + check.hex()}, "latest"), 16) != 1:
            raise SystemExit(f"the dev enclave {address} is not registered after registerEnclave")

        storage = {}
        for slot in sorted(touched_slots(node, constructed) | touched_slots(node, registered)):
            value = node.rpc("eth_getStorageAt", MARKETPLACE, slot, "latest")
            if int(value, 16) != 0:
                storage[slot] = "0x" + value[2:].rjust(64, "0")
        return {"balance": "0x0", "nonce": "0x1", "code": runtime, "storage": storage}
    finally:
        node.stop()
        scratch_path.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with Genesis/dev.json; write nothing")
    args = parser.parse_args()
    if not BINARY.exists():
        print(f"{BINARY} not built (swift build -c release --product goldengrain)", file=sys.stderr)
        return 2
    genesis = json.loads(GENESIS.read_text())
    entry = generate(genesis)
    committed = next((v for k, v in genesis["alloc"].items() if k.lower() == MARKETPLACE), None)
    if args.check:
        if committed != entry:
            print("Genesis/dev.json's marketplace entry differs from a fresh generation "
                  "(run .venv/bin/python scripts/gen_dev_marketplace.py)", file=sys.stderr)
            return 1
        print(f"Genesis/dev.json's marketplace entry matches: {len(entry['storage'])} storage slots, "
              f"{len(entry['code']) // 2 - 1} bytes of code")
        return 0
    genesis["alloc"] = {k: v for k, v in genesis["alloc"].items() if k.lower() != MARKETPLACE}
    genesis["alloc"][MARKETPLACE] = entry
    GENESIS.write_text(json.dumps(genesis, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote the marketplace entry of Genesis/dev.json: {len(entry['storage'])} storage slots")
    return 0


if __name__ == "__main__":
    sys.exit(main())
