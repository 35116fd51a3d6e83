#!/usr/bin/env python3
"""Signed transactions per second over JSON-RPC, from send to receipt (the node issue's driver).

Starts `goldengrain node --dev --ephemeral` on a free port (or uses --url), signs N value transfers
with eth-account from the ten dev accounts of the test mnemonic before the clock starts, then sends
them with eth_sendRawTransaction over one keep-alive HTTP connection per sender thread and waits for
every receipt. Reports transactions per second from the first send to the last receipt.

    .venv/bin/python Benchmarks/rpc/send_to_receipt.py --transactions 2000
"""
import argparse
import json
import socket
import subprocess
import threading
import time
import urllib.request

from eth_account import Account

MNEMONIC = "test test test test test test test test test test test junk"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rpc(url, method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        reply = json.loads(response.read())
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--binary", default=".build/release/goldengrain")
    parser.add_argument("--url", help="use a running node instead of starting one")
    args = parser.parse_args()

    process = None
    url = args.url
    if url is None:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = subprocess.Popen([args.binary, "node", "--dev", "--ephemeral", "--port", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                rpc(url, "eth_chainId", [])
                break
            except OSError:
                time.sleep(0.05)
    try:
        Account.enable_unaudited_hdwallet_features()
        senders = [Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(10)]
        chain_id = int(rpc(url, "eth_chainId", []), 16)
        base_fee = int(rpc(url, "eth_getBlockByNumber", ["latest", False])["baseFeePerGas"], 16)
        counts = [args.transactions // len(senders) + (1 if i < args.transactions % len(senders) else 0)
                  for i in range(len(senders))]
        raw = [[] for _ in senders]
        for sender_index, sender in enumerate(senders):
            first = int(rpc(url, "eth_getTransactionCount", [sender.address, "pending"]), 16)
            for offset in range(counts[sender_index]):
                signed = sender.sign_transaction({
                    "type": 2, "chainId": chain_id, "nonce": first + offset,
                    "to": senders[(sender_index + 1) % len(senders)].address, "value": 1, "gas": 21000,
                    "maxFeePerGas": base_fee * 4 + 10**9, "maxPriorityFeePerGas": 10**9,
                })
                raw[sender_index].append("0x" + bytes(signed.raw_transaction).hex())

        hashes = []
        lock = threading.Lock()

        def send(batch):
            mine = [rpc(url, "eth_sendRawTransaction", [transaction]) for transaction in batch]
            with lock:
                hashes.extend(mine)

        start = time.perf_counter()
        threads = [threading.Thread(target=send, args=(batch,)) for batch in raw]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sent = time.perf_counter()
        for transaction_hash in hashes:
            while rpc(url, "eth_getTransactionReceipt", [transaction_hash]) is None:
                time.sleep(0.001)
        done = time.perf_counter()
        blocks = int(rpc(url, "eth_blockNumber", []), 16)
        print(f"{len(hashes)} transfers over JSON-RPC: sent in {sent - start:.2f} s, all receipts after {done - start:.2f} s "
              f"-> {len(hashes) / (done - start):.0f} tx/s send-to-receipt ({blocks} blocks, url {url})")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
