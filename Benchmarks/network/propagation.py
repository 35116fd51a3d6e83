#!/usr/bin/env python3
"""Block propagation over devp2p on loopback (issue 15: "blocks reach every node within one second of sealing").

Starts the three authorities of Genesis/testnet-3.json (clique period 1) as separate `goldengrain node`
processes, each given only node 0's enode URL as --bootnodes (node 0 gets node 1's, so the three form one
network without discovery), subscribes to newHeads on each over WebSocket, and records, for every block,
when each node announced it. The node that sealed it announces it first; the delay of a block is the time
from that first announcement to the last node's. Prints the median, 95th percentile and maximum delay and
how many blocks arrived everywhere.

    .venv/bin/python Benchmarks/network/propagation.py [--blocks 60] [--binary .build/release/goldengrain]
"""
import argparse
import json
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import coincurve
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

ROOT = pathlib.Path(__file__).resolve().parents[2]
SIGNER_KEYS = [
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
]
NODE_KEYS = ["%064x" % (0xb10c + index) for index in range(3)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def enode(key, port):
    public = coincurve.PrivateKey(bytes.fromhex(key)).public_key.format(compressed=False)[1:]
    return f"enode://{public.hex()}@127.0.0.1:{port}"


def wait_rpc(port, deadline):
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"node on port {port} did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", type=int, default=60)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "goldengrain"))
    options = parser.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="gg-propagation-"))
    genesis = json.loads((ROOT / "Genesis" / "testnet-3.json").read_text())
    genesis["config"]["clique"]["period"] = 1
    (work / "genesis.json").write_text(json.dumps(genesis))
    rpc_ports = [free_port() for _ in range(3)]
    p2p_ports = [free_port() for _ in range(3)]
    processes = []
    for index in range(3):
        (work / f"signer{index}").write_text(SIGNER_KEYS[index])
        (work / f"nodekey{index}").write_text(NODE_KEYS[index])
        boot = enode(NODE_KEYS[1 if index == 0 else 0], p2p_ports[1 if index == 0 else 0])
        log = open(work / f"node{index}.log", "wb")
        processes.append(subprocess.Popen(
            [options.binary, "node", "--genesis", str(work / "genesis.json"), "--datadir", str(work / f"data{index}"),
             "--signer-key", str(work / f"signer{index}"), "--nodekey", str(work / f"nodekey{index}"),
             "--port", str(rpc_ports[index]), "--p2p-port", str(p2p_ports[index]), "--bootnodes", boot],
            stdout=log, stderr=subprocess.STDOUT))
    arrivals = {}  # block hash -> {node index: monotonic time}
    numbers = {}
    lock = threading.Lock()
    done = threading.Event()

    def follow(index):
        with connect(f"ws://127.0.0.1:{rpc_ports[index]}") as ws:
            ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}))
            json.loads(ws.recv())
            while not done.is_set():
                try:
                    message = json.loads(ws.recv(timeout=1))
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    return
                now = time.monotonic()
                head = message["params"]["result"]
                with lock:
                    arrivals.setdefault(head["hash"], {}).setdefault(index, now)
                    numbers[head["hash"]] = int(head["number"], 16)

    try:
        deadline = time.time() + 30
        for port in rpc_ports:
            wait_rpc(port, deadline)
        threads = [threading.Thread(target=follow, args=(index,), daemon=True) for index in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(3)  # peers connect; the first blocks may predate the subscriptions
        with lock:
            arrivals.clear()
        start = time.time()
        while time.time() - start < options.blocks * 1.2 + 10:
            with lock:
                complete = [h for h, seen in arrivals.items() if len(seen) == 3]
            if len(complete) >= options.blocks:
                break
            time.sleep(0.5)
        done.set()
        time.sleep(1.2)  # the followers see `done` and close their sockets
        with lock:
            delays = sorted((max(seen.values()) - min(seen.values())) * 1000
                            for seen in arrivals.values() if len(seen) == 3)
            partial = sum(1 for seen in arrivals.values() if len(seen) < 3)
        if not delays:
            raise SystemExit("no block reached all three nodes")
        p95 = delays[min(len(delays) - 1, int(round(0.95 * (len(delays) - 1))))]
        print(f"blocks seen by all three nodes: {len(delays)} (seen by fewer: {partial}, reorganised or in flight)")
        print(f"propagation delay (first node's newHeads to the last node's), ms: median {statistics.median(delays):.1f}, "
              f"p95 {p95:.1f}, max {delays[-1]:.1f}")
        print(f"load average: {os.getloadavg()[0]:.2f}")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
