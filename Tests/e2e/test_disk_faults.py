"""Disk faults (issue 14 §4): a full disk and an unwritable datadir give a clear error naming the path
and the cause, the node does not crash, and once space or permission is back the chain restarts whole
(head at the last block that was written, every acknowledged transaction there, state readable).

A full disk is a small tmpfs mounted as the datadir (needs root and a kernel that lets this container
mount tmpfs; skipped, saying so, where it cannot), and also, everywhere, a file-size limit
(RLIMIT_FSIZE) on the node process, which makes its writes fail the same way (EFBIG instead of
ENOSPC) without privileges. An unwritable datadir is a directory without write permission; root
ignores permissions, so under root the node runs as the unprivileged user `nobody`.
"""
import os
import pathlib
import resource
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests
from conftest import BINARY, MNEMONIC, ROOT, free_port
from eth_account import Account
from eth_utils import to_checksum_address

RECIPIENT = "0x000000000000000000000000000000000000c0fe"
NOBODY = 65534
# 5 KiB of call data per transfer: the write-ahead log grows by about that much per block.
PAYLOAD = bytes(range(256)) * 20
Account.enable_unaudited_hdwallet_features()
SENDER = Account.from_mnemonic(MNEMONIC, account_path="m/44'/60'/0'/0/1")


class Node:
    """`goldengrain node --dev --datadir D`, optionally with a file-size limit or as another user."""

    def __init__(self, datadir, log_path, file_size_limit=None, user=None):
        self.datadir, self.log_path = pathlib.Path(datadir), pathlib.Path(log_path)
        self.file_size_limit, self.user = file_size_limit, user
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def _limit(self):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_size_limit, resource.RLIM_INFINITY))

    def start(self):
        """Starts the node; returns True once it answers, False if it exited (the log says why)."""
        self.log = open(self.log_path, "wb")
        extra = {"user": self.user, "group": self.user, "extra_groups": []} if self.user is not None else {}
        self.process = subprocess.Popen(
            [str(BINARY), "node", "--dev", "--datadir", str(self.datadir), "--port", str(self.port)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, restore_signals=False,
            preexec_fn=self._limit if self.file_size_limit else None, **extra)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                self.log.close()
                return False
            try:
                if requests.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=1).ok:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError(f"node neither answered nor exited within 30 s: {self.output()}")

    def output(self):
        return self.log_path.read_text(errors="replace")

    def rpc(self, method, *params):
        return requests.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)},
                             timeout=30)

    def result(self, method, *params):
        reply = self.rpc(method, *params)
        assert reply.status_code == 200, f"{method}: HTTP {reply.status_code}"
        body = reply.json()
        assert "error" not in body, f"{method}: {body['error']}"
        return body["result"]

    def send(self, nonce):
        """A 5 KiB-payload transfer of 1 wei; the HTTP status and the JSON-RPC body."""
        signed = SENDER.sign_transaction({"nonce": nonce, "to": to_checksum_address(RECIPIENT), "value": 1,
                                          "data": PAYLOAD, "gas": 21000 + 16 * len(PAYLOAD), "gasPrice": 10**10,
                                          "chainId": 31337})
        reply = self.rpc("eth_sendRawTransaction", "0x" + signed.raw_transaction.hex().removeprefix("0x"))
        return reply.status_code, reply.json()

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


def fill_until_a_write_fails(node, limit=2000):
    """Sends transfers until one is refused; returns the acknowledged hashes and the refusal."""
    acknowledged = []
    for nonce in range(limit):
        status, body = node.send(nonce)
        assert status == 200, f"HTTP {status} for transaction {nonce}: {body}"
        if "error" in body:
            return acknowledged, body["error"]
        acknowledged.append(body["result"])
    raise AssertionError(f"{limit} transactions and no write failed")


def assert_chain_whole(node, acknowledged):
    """Head is the block of the last acknowledged transaction; every one of them is in the chain with
    its receipt; the recipient holds one wei per transaction; the head's state reads by its hash."""
    head = node.result("eth_getBlockByNumber", "latest", False)
    assert int(head["number"], 16) == len(acknowledged), \
        f"head {int(head['number'], 16)}, expected {len(acknowledged)} (one block per acknowledged transaction)"
    for number, transaction_hash in enumerate(acknowledged, start=1):
        receipt = node.result("eth_getTransactionReceipt", transaction_hash)
        assert receipt is not None, f"acknowledged transaction {transaction_hash} (block {number}) is missing"
        assert receipt["status"] == "0x1" and int(receipt["blockNumber"], 16) == number
    assert head["transactions"] == [acknowledged[-1]]
    assert int(node.result("eth_getBalance", RECIPIENT, head["hash"]), 16) == len(acknowledged)
    parent = node.result("eth_getBlockByNumber", hex(len(acknowledged) - 1), False)
    assert head["parentHash"] == parent["hash"]
    # Writable again: the next block lands on top of the old head.
    assert int(node.result("eth_getTransactionCount", SENDER.address, "pending"), 16) == len(acknowledged)
    status, body = node.send(len(acknowledged))
    assert status == 200 and "result" in body, body
    assert int(node.result("eth_blockNumber"), 16) == len(acknowledged) + 1


def assert_no_trap(returncode, output):
    assert returncode is not None and returncode >= 0, f"the node died by signal {-returncode}: {output[-2000:]}"


def check_later_writes_refused(node, cause):
    """After a failed write, with the cause gone, the node still refuses writes (LevelDB's log may hold
    part of the failed record; later records would be skipped on the next open), naming the cause."""
    reply = node.rpc("evm_mine")
    assert reply.status_code == 200, f"evm_mine: HTTP {reply.status_code}"
    body = reply.json()
    assert "error" in body, f"a block was written after the failure: {body}"
    message = body["error"]["message"]
    assert "an earlier write failed" in message and cause in message and "reopened" in message, message
    assert str(node.datadir) in message, message


@pytest.fixture
def tmpfs(tmp_path):
    """A 2 MiB tmpfs; skipped where this machine does not let the tests mount one."""
    mountpoint = tmp_path / "tmpfs"
    mountpoint.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE test covers a full disk without it")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mountpoint)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs ({mounted.stderr.strip()}); "
                    "the RLIMIT_FSIZE test covers a full disk without it")
    yield mountpoint
    subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_full_disk_while_running(tmpfs, tmp_path):
    node = Node(tmpfs / "data", tmp_path / "node.log")
    assert node.start(), node.output()
    acknowledged, error = fill_until_a_write_fails(node)
    assert len(acknowledged) > 10
    assert error["code"] == -32603, error
    assert "No space left on device" in error["message"] and f"{tmpfs}/data/chaindata/" in error["message"], error
    assert node.process.poll() is None, "the node exited on a full disk"
    assert int(node.result("eth_blockNumber"), 16) == len(acknowledged)
    assert int(node.result("eth_getBalance", RECIPIENT, "latest"), 16) == len(acknowledged)

    subprocess.run(["mount", "-o", "remount,size=16m", str(tmpfs)], check=True)   # space is back
    check_later_writes_refused(node, "No space left on device")
    returncode = node.stop(signal.SIGKILL)
    assert returncode == -signal.SIGKILL

    node = Node(tmpfs / "data", tmp_path / "restart.log")
    assert node.start(), node.output()
    try:
        assert_chain_whole(node, acknowledged)
    finally:
        assert_no_trap(node.stop(), node.output())


def test_full_disk_at_start(tmpfs, tmp_path):
    filler = tmpfs / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True)   # until ENOSPC
    node = Node(tmpfs / "data", tmp_path / "node.log")
    assert not node.start(), "the node started on a full disk"
    output = node.output()
    assert node.process.returncode == 1, output
    assert f"{tmpfs}/data" in output and "No space left on device" in output, output

    filler.unlink()
    node = Node(tmpfs / "data", tmp_path / "restart.log")
    assert node.start(), node.output()
    try:
        assert node.result("eth_blockNumber") == "0x0"
        assert int(node.result("eth_getBalance", SENDER.address, "latest"), 16) == 10_000 * 10**18
    finally:
        assert_no_trap(node.stop(), node.output())


def test_file_size_limit_while_running(tmp_path):
    """A write refused by RLIMIT_FSIZE (EFBIG, 'File too large'): the same failure as a full disk, for
    any user. The limit is raised while the node runs; it must still refuse writes, and a kill -9 and
    restart must find every acknowledged block."""
    datadir = tmp_path / "data"
    node = Node(datadir, tmp_path / "node.log", file_size_limit=512 * 1024)
    assert node.start(), node.output()
    acknowledged, error = fill_until_a_write_fails(node)
    assert len(acknowledged) > 10
    assert "File too large" in error["message"] and f"{datadir}/chaindata/" in error["message"], error
    assert node.process.poll() is None, "the node exited when a write failed"

    resource.prlimit(node.process.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    check_later_writes_refused(node, "File too large")
    assert int(node.result("eth_getBalance", RECIPIENT, "latest"), 16) == len(acknowledged)
    node.stop(signal.SIGKILL)

    node = Node(datadir, tmp_path / "restart.log")
    assert node.start(), node.output()
    try:
        assert_chain_whole(node, acknowledged)
    finally:
        assert_no_trap(node.stop(), node.output())


@pytest.fixture
def unprivileged():
    """(user, base directory) for the permission tests: under root the node runs as `nobody` in a
    directory `nobody` owns (root bypasses permission checks), else as the current user."""
    base = pathlib.Path(tempfile.mkdtemp(prefix="goldengrain-perm-"))
    os.chmod(base, 0o755)
    user = None
    if os.geteuid() == 0:
        os.chown(base, NOBODY, NOBODY)
        user = NOBODY
    yield user, base
    for path in [base, *base.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    shutil.rmtree(base, ignore_errors=True)


def test_unwritable_new_datadir(unprivileged, tmp_path):
    user, base = unprivileged
    datadir = base / "data"
    datadir.mkdir(mode=0o755)
    if user is not None:
        os.chown(datadir, user, user)
    os.chmod(datadir, 0o555)
    node = Node(datadir, tmp_path / "node.log", user=user)
    assert not node.start(), "the node started on an unwritable datadir"
    output = node.output()
    assert node.process.returncode == 1, output
    expected = f"cannot open database at {datadir}/chaindata: cannot create directory {datadir}/chaindata: " \
               "Permission denied"
    assert expected in output, output

    os.chmod(datadir, 0o755)
    node = Node(datadir, tmp_path / "restart.log", user=user)
    assert node.start(), node.output()
    try:
        assert node.result("eth_blockNumber") == "0x0"
    finally:
        assert_no_trap(node.stop(), node.output())


def test_read_only_existing_chain(unprivileged, tmp_path):
    user, base = unprivileged
    datadir = base / "data"
    node = Node(datadir, tmp_path / "node.log", user=user)
    assert node.start(), node.output()
    acknowledged = [node.send(nonce)[1]["result"] for nonce in range(3)]
    assert node.stop() == 0, node.output()

    for path in [datadir, *datadir.rglob("*")]:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    node = Node(datadir, tmp_path / "read-only.log", user=user)
    assert not node.start(), "the node started on a read-only datadir"
    output = node.output()
    assert node.process.returncode == 1, output
    assert f"cannot open database at {datadir}/chaindata: IO error: {datadir}/chaindata/LOCK: Permission denied" \
        in output, output

    for path in [datadir, *datadir.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    node = Node(datadir, tmp_path / "restart.log", user=user)
    assert node.start(), node.output()
    try:
        assert_chain_whole(node, acknowledged)
    finally:
        assert_no_trap(node.stop(), node.output())
