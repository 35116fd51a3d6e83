"""Fixtures for the end-to-end tests: a `goldengrain node --dev` process per test, reached over
JSON-RPC exactly as an anvil user's script reaches anvil.

The release binary is .build/release/goldengrain (override with GOLDENGRAIN_BIN). Each node gets a
free port; the fixture waits until eth_chainId answers, and stops the node afterwards.
"""
import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest
import requests
from Crypto.Hash import keccak
from eth_account import Account
from web3 import HTTPProvider, Web3

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("GOLDENGRAIN_BIN", ROOT / ".build" / "release" / "goldengrain"))
MNEMONIC = "test test test test test test test test test test test junk"

Account.enable_unaudited_hdwallet_features()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NodeProcess:
    """A running `goldengrain node` and its URL; `kill()` is kill -9, `stop()` is SIGTERM."""

    def __init__(self, tmp_path, datadir=None, arguments=None, port=None):
        self.arguments = arguments if arguments is not None else ["--dev"]
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.datadir = datadir
        self.log_path = tmp_path / f"node-{self.port}.log"
        self.process = None

    def start(self):
        arguments = [str(BINARY), "node", *self.arguments, "--port", str(self.port)]
        if "--dev" not in self.arguments and "--p2p-port" not in self.arguments:
            # A --genesis node speaks devp2p on 30303 by default, as geth does; tests run several
            # nodes at once, so each gets a free port unless the test chose one.
            arguments += ["--p2p-port", str(free_port())]
        arguments += ["--datadir", str(self.datadir)] if self.datadir else ["--ephemeral"]
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(arguments, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node exited with {self.process.returncode}: {self.log_path.read_text()}")
            try:
                reply = requests.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
                                      timeout=1)
                if reply.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("node did not answer within 30 s")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()


@pytest.fixture(scope="session", autouse=True)
def binary():
    if not BINARY.exists():
        pytest.skip(f"{BINARY} not built (swift build -c release)")
    return BINARY


@pytest.fixture
def node(tmp_path):
    process = NodeProcess(tmp_path).start()
    yield process
    process.stop()


@pytest.fixture
def leveldb_node(tmp_path):
    process = NodeProcess(tmp_path, datadir=tmp_path / "data").start()
    yield process
    process.stop()


@pytest.fixture
def w3(node):
    return Web3(HTTPProvider(node.url))


@pytest.fixture(scope="session")
def accounts():
    return [Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}") for index in range(10)]


def rpc(url, method, params=None, request_id=1):
    """One raw JSON-RPC call; returns the decoded response object."""
    body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params if params is not None else []}
    return requests.post(url, json=body, timeout=30).json()


def rpc_result(url, method, params=None):
    """One raw JSON-RPC call that must succeed; returns its result."""
    reply = rpc(url, method, params)
    assert "error" not in reply and "result" in reply, f"{method}({params}): {reply}"
    return reply["result"]


def rpc_error(url, method, params=None):
    """One raw JSON-RPC call that must fail; returns its error object."""
    reply = rpc(url, method, params)
    assert "error" in reply, f"{method}({params}) answered {reply}"
    return reply["error"]


def keccak256(data: bytes) -> bytes:
    """Keccak-256 (Ethereum's, not SHA3-256), from pycryptodome: an implementation independent of the node's."""
    return keccak.new(digest_bits=256, data=data).digest()
