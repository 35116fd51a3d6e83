"""Graceful shutdown (issue 13, point 5): `goldengrain node` and `goldengrain enclave serve` run their
parts as services of one swift-service-lifecycle group; SIGINT or SIGTERM stops them in order and
the process exits 0, the store closed on the last whole block. A server that cannot bind its port
ends the process with status 1 and says why, as geth and anvil do."""
import signal
import subprocess

import pytest
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess, free_port

RECIPIENT = "0x000000000000000000000000000000000000bEEF"


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_node_cleanly_and_it_restarts_on_its_last_block(tmp_path, accounts, signal_number):
    node = NodeProcess(tmp_path, datadir=tmp_path / "data").start()
    w3 = Web3(HTTPProvider(node.url))
    sender = accounts[0]
    tx_hash = w3.eth.send_transaction({"from": sender.address, "to": RECIPIENT, "value": 12345})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10)
    assert receipt.blockNumber == 1
    head = w3.eth.get_block("latest")

    node.process.send_signal(signal_number)
    assert node.process.wait(timeout=15) == 0
    node.log.close()
    log = node.log_path.read_text()
    assert log.rstrip().endswith("Shut down cleanly at block 1.")

    again = NodeProcess(tmp_path, datadir=tmp_path / "data", port=free_port()).start()
    try:
        w3 = Web3(HTTPProvider(again.url))
        assert w3.eth.block_number == 1
        assert w3.eth.get_block("latest").hash == head.hash
        assert w3.eth.get_balance(RECIPIENT) == 12345
    finally:
        again.stop()


def test_a_busy_port_ends_the_node_with_status_1_and_the_reason(tmp_path):
    first = NodeProcess(tmp_path).start()
    try:
        result = subprocess.run([str(BINARY), "node", "--dev", "--ephemeral", "--no-enclave", "--port", str(first.port)],
                                cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert result.returncode == 1
        assert f"JSON-RPC server failed on 127.0.0.1:{first.port}: " in result.stderr
        assert "Address already in use" in result.stderr
    finally:
        first.stop()


def test_enclave_serve_stops_with_status_0_on_sigterm(tmp_path):
    node = NodeProcess(tmp_path, arguments=["--dev", "--no-enclave"]).start()
    try:
        log_path = tmp_path / "enclave.log"
        with open(log_path, "wb") as log:
            worker = subprocess.Popen([str(BINARY), "enclave", "serve", "--rpc", node.url, "--dev-key",
                                       "--marketplace", "0x0000000000000000000000000000000000002000",
                                       "--datadir", str(tmp_path / "enclave")],
                                      cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            deadline_text = "following 0x0000000000000000000000000000000000002000 logs"
            for _ in range(300):
                if deadline_text in log_path.read_text():
                    break
                assert worker.poll() is None, log_path.read_text()
                subprocess.run(["sleep", "0.05"])
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=15) == 0
        assert log_path.read_text().rstrip().endswith("[enclave SIMULATED] stopped")
    finally:
        node.stop()
