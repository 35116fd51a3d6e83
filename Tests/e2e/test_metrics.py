"""`goldengrain node --metrics [--metrics.port N]` (docs/metrics.md): the Prometheus text at
GET /metrics parses with Prometheus' own parser (prometheus-client), and the values that the
test's own actions determine are exact: head number, transactions per block, request counters,
pool sizes. A node without --metrics listens on its RPC port only."""
import os
import pathlib
import re
import socket
import subprocess
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import BINARY, ROOT, NodeProcess, free_port, rpc

SINK = "0x000000000000000000000000000000000000dEaD"


def result(node, method, params=None):
    reply = rpc(node.url, method, params)
    assert "result" in reply, f"{method}: expected a result, got {reply}"
    return reply["result"]


def transfer(account, nonce):
    return account.sign_transaction({"to": SINK, "value": 1, "gas": 21000, "nonce": nonce, "chainId": 31337,
                                     "maxFeePerGas": 2 * 10**9, "maxPriorityFeePerGas": 10**9}).raw_transaction.to_0x_hex()


def scrape(port):
    """The metrics as {(sample name, frozenset of labels): value}, plus each family's type."""
    reply = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert reply.status_code == 200, f"GET /metrics: status {reply.status_code}"
    assert reply.headers["Content-Type"].startswith("text/plain"), reply.headers["Content-Type"]
    samples, types = {}, {}
    for family in text_string_to_metric_families(reply.text):
        types[family.name] = family.type
        for sample in family.samples:
            key = (sample.name, frozenset(sample.labels.items()))
            assert key not in samples, f"sample {key} appears twice"
            samples[key] = sample.value
    return samples, types


def value(samples, name, **labels):
    key = (name, frozenset(labels.items()))
    assert key in samples, f"no sample {name}{labels} in the scrape"
    return samples[key]


def listening_ports(pid):
    """TCP ports the process listens on, from /proc (its socket inodes in /proc/net/tcp{,6})."""
    inodes = set()
    for link in pathlib.Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(link)
        except OSError:
            continue
        match = re.fullmatch(r"socket:\[(\d+)\]", target)
        if match:
            inodes.add(match.group(1))
    ports = set()
    for table in ["/proc/net/tcp", "/proc/net/tcp6"]:
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def wait_for_metrics(port):
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/metrics", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError(f"nothing answered GET /metrics on port {port} within 30 s")


@pytest.fixture
def metrics_node(tmp_path):
    port = free_port()
    process = NodeProcess(tmp_path, datadir=tmp_path / "data",
                          arguments=["--dev", "--metrics", "--metrics.port", str(port)]).start()
    process.metrics_port = port
    wait_for_metrics(port)
    yield process
    process.stop()


def test_metrics_values(metrics_node, accounts):
    node, port = metrics_node, metrics_node.metrics_port
    assert listening_ports(node.process.pid) == {node.port, port}
    before, types = scrape(port)
    # Types as docs/metrics.md lists them (prometheus-client names a counter's family without _total).
    expected_types = {"goldengrain_chain_head_number": "gauge", "goldengrain_chain_head_age_seconds": "gauge",
                      "goldengrain_txpool_pending": "gauge", "goldengrain_txpool_queued": "gauge",
                      "goldengrain_peers": "gauge", "goldengrain_rpc_requests": "counter",
                      "goldengrain_rpc_request_duration_seconds": "histogram",
                      "goldengrain_leveldb_write_duration_seconds": "histogram",
                      "goldengrain_block_seal_duration_seconds": "histogram",
                      "goldengrain_block_import_duration_seconds": "histogram",
                      "goldengrain_state_commit_duration_seconds": "histogram",
                      "goldengrain_block_transactions": "histogram"}
    for name, kind in expected_types.items():
        assert types.get(name) == kind, f"{name}: type {types.get(name)}, expected {kind}"
    assert value(before, "goldengrain_chain_head_number") == 0
    assert value(before, "goldengrain_block_transactions_count") == 0
    assert value(before, "goldengrain_block_import_duration_seconds_count") == 0
    assert value(before, "goldengrain_txpool_pending") == 0
    assert value(before, "goldengrain_peers") == 0
    chain_id_calls = value(before, "goldengrain_rpc_requests_total", method="eth_chainId")
    assert chain_id_calls >= 1  # the fixture polls eth_chainId until the node answers
    assert value(before, "goldengrain_rpc_requests_total", method="eth_sendRawTransaction") == 0
    unknown_before = value(before, "goldengrain_rpc_requests_total", method="unknown")

    for request_id in range(7):
        assert rpc(node.url, "eth_chainId", request_id=request_id)["result"] == "0x7a69"
    for name in ["goldengrain_nosuch_a", "goldengrain_nosuch_b", "goldengrain_nosuch_a"]:
        assert rpc(node.url, name)["error"]["code"] == -32601

    # Block 1: three transactions mined together; blocks 2 and 3: one each, by automine.
    sender = accounts[0]
    assert result(node, "evm_setAutomine", [False]) is None
    for nonce in range(3):
        result(node, "eth_sendRawTransaction", [transfer(sender, nonce)])
    pooled, _ = scrape(port)
    assert value(pooled, "goldengrain_txpool_pending") == 3
    assert value(pooled, "goldengrain_txpool_queued") == 0
    result(node, "evm_mine")
    assert result(node, "evm_setAutomine", [True]) is None
    for nonce in [3, 4]:
        result(node, "eth_sendRawTransaction", [transfer(sender, nonce)])

    after, _ = scrape(port)
    head = int(result(node, "eth_blockNumber"), 16)
    assert head == 3, f"eth_blockNumber {head}, expected 3 blocks"
    assert value(after, "goldengrain_chain_head_number") == head
    head_timestamp = int(result(node, "eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
    age = value(after, "goldengrain_chain_head_age_seconds")
    assert abs(age - (time.time() - head_timestamp)) < 5, f"head age {age}, head timestamp {head_timestamp}"
    # Transactions per block: 3, 1, 1.
    assert value(after, "goldengrain_block_transactions_count") == 3
    assert value(after, "goldengrain_block_transactions_sum") == 5
    for bound, count in [("0.0", 0), ("1.0", 2), ("2.0", 2), ("5.0", 3), ("+Inf", 3)]:
        assert value(after, "goldengrain_block_transactions_bucket", le=bound) == count, f"le={bound}"
    assert value(after, "goldengrain_block_seal_duration_seconds_count") == 3
    assert value(after, "goldengrain_state_commit_duration_seconds_count") == 3, "one state commit per sealed block"
    assert value(after, "goldengrain_leveldb_write_duration_seconds_count") >= 3
    assert value(after, "goldengrain_txpool_pending") == 0
    assert value(after, "goldengrain_txpool_queued") == 0
    assert value(after, "goldengrain_peers") == 0
    # Requests: exactly the calls made; unknown names share one label.
    assert value(after, "goldengrain_rpc_requests_total", method="eth_chainId") == chain_id_calls + 7
    assert value(after, "goldengrain_rpc_request_duration_seconds_count", method="eth_chainId") == chain_id_calls + 7
    assert value(after, "goldengrain_rpc_requests_total", method="eth_sendRawTransaction") == 5
    assert value(after, "goldengrain_rpc_requests_total", method="evm_mine") == 1
    assert value(after, "goldengrain_rpc_requests_total", method="unknown") == unknown_before + 3
    methods = {dict(labels).get("method") for (name, labels) in after if name == "goldengrain_rpc_requests_total"}
    assert not any(method.startswith("goldengrain_nosuch") for method in methods), sorted(methods)
    assert len(methods) == len({dict(labels).get("method") for (name, labels) in before
                                if name == "goldengrain_rpc_requests_total"}), "unknown names added labels"


def test_no_metrics_without_the_flag(node):
    assert listening_ports(node.process.pid) == {node.port}


def test_metrics_port_needs_metrics():
    finished = subprocess.run([str(BINARY), "node", "--dev", "--ephemeral", "--metrics.port", "6061"], cwd=ROOT,
                              capture_output=True, text=True, timeout=30)
    assert finished.returncode != 0 and "--metrics.port needs --metrics" in finished.stderr, finished


def test_busy_metrics_port_fails_the_node():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        finished = subprocess.run([str(BINARY), "node", "--dev", "--ephemeral", "--port", str(free_port()),
                                   "--metrics", "--metrics.port", str(busy)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 1, finished
    assert f"Metrics server failed on 127.0.0.1:{busy}: " in finished.stderr, finished.stderr
