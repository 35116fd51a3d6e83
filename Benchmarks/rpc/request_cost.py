#!/usr/bin/env python3
"""What one JSON-RPC round trip costs, part by part (issue 18 §2: why send-to-receipt is where it is).

Starts `goldengrain node --dev --ephemeral` on a free port (or uses --url with --pid), then times,
over one keep-alive HTTP/1.1 connection from this process (the client send_to_receipt.py uses):

- `GET /`: the HTTP server alone (Hummingbird's health-check route: no body, no JSON-RPC);
- `eth_chainId`: the same plus the JSON-RPC dispatcher, with no node work;
- `eth_getTransactionReceipt`: a receipt lookup, as send_to_receipt.py's second request;
- `eth_sendRawTransaction`: pool admission (sender recovery) and the automined block, as its first.

For each: wall time per request, the node's CPU time per request (user + system, from /proc over
the same window) and this client's CPU time per request (time.process_time). A sequential client
pays wall(send) + wall(receipt) per transaction; the node's and the client's CPU shares show
which side of the connection the time is on. The kinds alternate for --rounds rounds so a noisy
neighbour hits all alike; the median round is reported. Report the load average with the figures.

    .venv/bin/python Benchmarks/rpc/request_cost.py [--requests 2000] [--rounds 3]
"""
import argparse
import os
import subprocess
import time

from eth_account import Account

from send_to_receipt import Client, free_port  # the driver's keep-alive client

MNEMONIC = "test test test test test test test test test test test junk"
TICK = os.sysconf("SC_CLK_TCK")


def node_seconds(pid):
    """CPU seconds (user + system; proc(5)) the node has used."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def get(client):
    """`GET /` on the client's connection: the health-check route, no JSON-RPC."""
    client.connection.request("GET", "/")
    client.connection.getresponse().read()


def measure(pid, requests):
    """Times `requests` calls; returns (wall µs, node CPU µs, client CPU µs) per call."""
    node_before, client_before, start = node_seconds(pid), time.process_time(), time.perf_counter()
    for request in requests:
        request()
    wall = time.perf_counter() - start
    node, client = node_seconds(pid) - node_before, time.process_time() - client_before
    count = len(requests)
    return wall / count * 1e6, node / count * 1e6, client / count * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000, help="requests per kind per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--binary", default=".build/release/goldengrain")
    args = parser.parse_args()

    port = free_port()
    process = subprocess.Popen([args.binary, "node", "--dev", "--ephemeral", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        connection = None
        for _ in range(200):
            try:
                connection = Client(f"http://127.0.0.1:{port}")
                connection.call("eth_chainId", [])
                break
            except OSError:
                time.sleep(0.05)
        Account.enable_unaudited_hdwallet_features()
        sender = Account.from_mnemonic(MNEMONIC, account_path="m/44'/60'/0'/0/0")
        recipient = Account.from_mnemonic(MNEMONIC, account_path="m/44'/60'/0'/0/1").address
        chain_id = int(connection.call("eth_chainId", []), 16)
        base_fee = int(connection.call("eth_getBlockByNumber", ["latest", False])["baseFeePerGas"], 16)
        total = args.requests * args.rounds
        signed = ["0x" + bytes(sender.sign_transaction({
            "type": 2, "chainId": chain_id, "nonce": nonce, "to": recipient, "value": 1, "gas": 21000,
            "maxFeePerGas": base_fee * 4 + 10**9, "maxPriorityFeePerGas": 10**9,
        }).raw_transaction).hex() for nonce in range(total + 1)]
        receipt_of = connection.call("eth_sendRawTransaction", [signed[0]])  # one mined transaction
        sends = iter(signed[1:])

        kinds = {
            "GET / (HTTP only)": lambda: get(connection),
            "eth_chainId": lambda: connection.call("eth_chainId", []),
            "eth_getTransactionReceipt": lambda: connection.call("eth_getTransactionReceipt", [receipt_of]),
            "eth_sendRawTransaction (+ block)": lambda: connection.call("eth_sendRawTransaction", [next(sends)]),
        }
        for request in kinds.values():  # warm-up (the send's warm-up uses a nonce of the last round)
            if request is not kinds["eth_sendRawTransaction (+ block)"]:
                for _ in range(200):
                    request()
        figures = {name: [] for name in kinds}
        for _ in range(args.rounds):
            for name, request in kinds.items():
                figures[name].append(measure(process.pid, [request] * args.requests))
        load = open("/proc/loadavg").read().split()[:3]
        print(f"{args.requests} requests per kind, {args.rounds} rounds, median round; load average {' '.join(load)}")
        print(f"{'request':34} {'wall µs':>8} {'node CPU µs':>12} {'client CPU µs':>14}")
        for name, rounds in figures.items():
            wall, node, client = sorted(rounds)[len(rounds) // 2]
            print(f"{name:34} {wall:8.0f} {node:12.0f} {client:14.0f}")
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
