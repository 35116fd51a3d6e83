#!/usr/bin/env python3
"""Signed transactions per second over JSON-RPC, from send to receipt (the node issue's driver).

Starts `goldengrain node --dev --ephemeral` on a free port (or uses --url), signs N value transfers
with eth-account from the ten dev accounts of the test mnemonic before the clock starts, then sends
them with eth_sendRawTransaction from one client process per sender, each over its own keep-alive
HTTP connection, and each then waits for its receipts on that connection. Reports transactions per
second from the first send to the last receipt.

    .venv/bin/python Benchmarks/rpc/send_to_receipt.py --transactions 2000
"""
import argparse
import http.client
import json
import multiprocessing
import os
import socket
import subprocess
import time
import urllib.parse

from eth_account import Account

MNEMONIC = "test test test test test test test test test test test junk"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection to the node (what web3.py's session-based provider keeps)."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        self.next_id = 0

    def call(self, method, params):
        self.next_id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        self.connection.request("POST", "/", body, {"Content-Type": "application/json"})
        reply = json.loads(self.connection.getresponse().read())
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]


def rpc(url, method, params):
    client = Client(url)
    try:
        return client.call(method, params)
    finally:
        client.connection.close()


def node_ticks(process):
    """CPU time (user + system, in clock ticks; proc(5)) the node process has used, or 0 if not ours."""
    if process is None:
        return 0
    fields = open(f"/proc/{process.pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def sender_process(url, batch, go, ready, results):
    """One client: send every transaction of `batch`, then wait for each receipt, on one connection."""
    try:
        client = Client(url)
        client.call("eth_chainId", [])  # the connection is open before the clock starts
        ready.wait()
        go.wait()
        hashes = [client.call("eth_sendRawTransaction", [transaction]) for transaction in batch]
        sent = time.perf_counter()
        for transaction_hash in hashes:
            while client.call("eth_getTransactionReceipt", [transaction_hash]) is None:
                time.sleep(0.001)
        results.put(("ok", str(len(hashes)), sent))
    except Exception as error:  # reported by the parent
        results.put(("error", f"{type(error).__name__}: {error}", 0.0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--binary", default=".build/release/goldengrain")
    parser.add_argument("--url", help="use a running node instead of starting one")
    parser.add_argument("--clients", type=int, default=4,
                        help="client processes; the ten senders' streams are dealt among them (default 4)")
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

        # Client processes (no shared interpreter lock between them), each with its own keep-alive
        # connection and some senders' streams interleaved (each sender's nonces stay in order);
        # all start together on one event, after their connections are open.
        clients = max(1, min(args.clients, len(raw)))
        streams = [[] for _ in range(clients)]
        for index, batch in enumerate(raw):
            streams[index % clients].append(batch)
        raw = [[transaction for group in zip(*group_batches) for transaction in group] +
               [transaction for batch in group_batches for transaction in batch[min(map(len, group_batches)):]]
               for group_batches in streams]
        context = multiprocessing.get_context("fork")
        go = context.Event()
        ready = context.Barrier(len(raw) + 1)
        results = context.Queue()
        workers = [context.Process(target=sender_process, args=(url, batch, go, ready, results)) for batch in raw]
        for worker in workers:
            worker.start()
        ready.wait()
        ticks_before = node_ticks(process)
        start = time.perf_counter()
        go.set()
        finished = [results.get(timeout=600) for _ in workers]
        done = time.perf_counter()
        ticks_after = node_ticks(process)
        for worker in workers:
            worker.join()
        failures = [message for kind, message, _ in finished if kind == "error"]
        if failures:
            raise RuntimeError(failures[0])
        sent = max(sent_time for _, _, sent_time in finished) - start
        count = sum(int(message) for _, message, _ in finished)
        blocks = int(rpc(url, "eth_blockNumber", []), 16)
        node_cpu = ""
        if process is not None:
            node_cpu = f", node CPU {(ticks_after - ticks_before) / os.sysconf('SC_CLK_TCK') / count * 1e6:.0f} µs/tx"
        print(f"{count} transfers over JSON-RPC from {len(raw)} client processes: sent in {sent:.2f} s, "
              f"all receipts after {done - start:.2f} s -> {count / (done - start):.0f} tx/s send-to-receipt "
              f"({blocks} blocks{node_cpu}, url {url})")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
