#!/usr/bin/env python3
"""Dev node start time: from exec to the first answered eth_chainId (issue 18 §2).

Starts `goldengrain node --dev --datadir DIR --port P` RUNS times (default 20), each time polling
eth_chainId over HTTP as tightly as the node lets it (a new connection every 0.2 ms until one is
accepted, then the request on it) and taking the time from just before the exec to the first
successful answer; then stops the node with SIGINT (as Ctrl-C) and waits for it to exit before the
next start (LevelDB allows one process per datadir). Prints every time and min/median/max in ms.

With several --datadir values the runs alternate between them round by round, so a noisy
neighbour hits every datadir alike; the datadir name "ephemeral" starts `--ephemeral` instead.

    .venv/bin/python Benchmarks/state/start_time.py --datadir /tmp/gg-empty --datadir /tmp/gg-state
"""
import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BODY = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chain_id(port):
    """eth_chainId's result, or None if the node does not answer yet."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("POST", "/", BODY, {"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        connection.close()
    except (ConnectionError, OSError, http.client.HTTPException):
        return None
    if response.status != 200:
        return None
    return json.loads(payload).get("result")


def start_once(binary, datadir, timeout):
    """Starts the node, returns the ms from exec to the first answered eth_chainId, stops it."""
    port = free_port()
    command = [binary, "node", "--dev", "--port", str(port)]
    command += ["--ephemeral"] if datadir == "ephemeral" else ["--datadir", datadir]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            answer = chain_id(port)
            if answer is not None:
                elapsed = (time.perf_counter() - started) * 1000
                break
            if process.poll() is not None:
                raise SystemExit(f"{' '.join(command)} exited with {process.returncode} before answering: "
                                 f"{process.stderr.read().decode(errors='replace')[-2000:]}")
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"{' '.join(command)}: no eth_chainId answer after {timeout} s")
            time.sleep(0.0002)
        if answer != "0x7a69":
            raise SystemExit(f"eth_chainId answered {answer}, expected 0x7a69 (31337, Genesis/dev.json)")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise SystemExit(f"{' '.join(command)} did not stop within 30 s of SIGINT")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.environ.get("GOLDENGRAIN_BIN", os.path.join(ROOT, ".build/release/goldengrain")))
    parser.add_argument("--datadir", action="append", required=True,
                        help="a data directory (repeat to alternate between several; 'ephemeral' for none)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    times = {datadir: [] for datadir in args.datadir}
    print(f"load average before: {os.getloadavg()}")
    for _ in range(args.runs):
        for datadir in args.datadir:
            times[datadir].append(start_once(args.binary, datadir, args.timeout))
    print(f"load average after: {os.getloadavg()}")
    for datadir, values in times.items():
        print(f"{datadir}: {args.runs} starts, exec -> first eth_chainId answer: "
              f"min {min(values):.1f} ms, median {statistics.median(values):.1f} ms, max {max(values):.1f} ms")
        print("  " + " ".join(f"{value:.1f}" for value in values))


if __name__ == "__main__":
    main()
