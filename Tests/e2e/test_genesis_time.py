"""A fresh dev chain does not live in 1970 (issue 11): `node --dev` stamps a new chain's block 0
with the current time, as anvil does; `--timestamp N` sets it; a data directory keeps the genesis
it was created with across restarts. With a real genesis time, ATTESTATION_VERIFY accepts a
simulated quote already at block 0. The banner shows the genesis time and, when the genesis has a
marketplace at 0x…2000, the marketplace and the SIMULATED dev enclave."""
import json
import subprocess
import time

import eth_abi
from conftest import BINARY, ROOT, NodeProcess
from eth_keys import keys
from eth_utils import keccak
from web3 import HTTPProvider, Web3
from web3.middleware import ExtraDataToPOAMiddleware

NEW_YEAR_2026 = 1767225600
ATTESTATION_VERIFY = "0x0000000000000000000000000000000000001000"
MARKETPLACE = "0x0000000000000000000000000000000000002000"
DEV_ENCLAVE_KEY = keys.PrivateKey(keccak(b"GoldenGrain INSECURE simulated dev enclave key v1"))
# keccak256("GoldenGrain INSECURE simulated enclave MRENCLAVE v1") (docs/formats.md)
SIMULATED_MRENCLAVE = keccak(b"GoldenGrain INSECURE simulated enclave MRENCLAVE v1")


def genesis_block(node):
    """Block 0 as web3.py reads a proof-of-authority chain (its extraData holds the signers)."""
    w3 = Web3(HTTPProvider(node.url))
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    return w3.eth.get_block(0)


def test_a_fresh_dev_chain_starts_now(tmp_path):
    before = int(time.time())
    node = NodeProcess(tmp_path).start()
    try:
        after = int(time.time())
        block = genesis_block(node)
        assert before - 1 <= block.timestamp <= after + 1
        assert f"Genesis time:      {block.timestamp} (" in node.log_path.read_text()
    finally:
        node.stop()


def test_timestamp_option_sets_block_0_exactly(tmp_path):
    node = NodeProcess(tmp_path, arguments=["--dev", "--timestamp", str(NEW_YEAR_2026)]).start()
    try:
        assert genesis_block(node).timestamp == NEW_YEAR_2026
        assert "Genesis time:      1767225600 (2026-01-01T00:00:00Z)" in node.log_path.read_text()
    finally:
        node.stop()


def test_a_restarted_dev_node_keeps_its_genesis(tmp_path):
    datadir = tmp_path / "data"
    node = NodeProcess(tmp_path, datadir=datadir).start()
    try:
        w3 = Web3(HTTPProvider(node.url))
        first = w3.eth.get_block(0)
        w3.provider.make_request("evm_mine", [])
        head = w3.eth.get_block("latest")
    finally:
        node.stop()
    time.sleep(1.1)  # a new genesis would now get another timestamp, so another hash
    node = NodeProcess(tmp_path, datadir=datadir).start()
    try:
        w3 = Web3(HTTPProvider(node.url))
        assert w3.eth.get_block(0).hash == first.hash
        assert w3.eth.get_block(0).timestamp == first.timestamp
        assert w3.eth.get_block("latest").hash == head.hash
    finally:
        node.stop()
    # The same timestamp given explicitly is accepted; another one is refused with both values.
    node = NodeProcess(tmp_path, datadir=datadir, arguments=["--dev", "--timestamp", str(first.timestamp)]).start()
    node.stop()
    result = subprocess.run([str(BINARY), "node", "--dev", "--datadir", str(datadir), "--timestamp", "5"],
                            capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert result.returncode != 0
    assert f"--timestamp 5: the chain in {datadir} began at {first.timestamp}" in result.stderr


def test_init_with_timestamp_and_a_node_on_that_datadir(tmp_path):
    datadir = tmp_path / "data"
    genesis = ROOT / "Genesis" / "dev.json"
    result = subprocess.run([str(BINARY), "init", "--genesis", str(genesis), "--datadir", str(datadir),
                             "--timestamp", str(NEW_YEAR_2026)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    # A follower on that datadir (no --timestamp) keeps the stored block 0.
    node = NodeProcess(tmp_path, datadir=datadir, arguments=["--genesis", str(genesis)]).start()
    try:
        assert genesis_block(node).timestamp == NEW_YEAR_2026
    finally:
        node.stop()


def test_a_non_dev_genesis_keeps_its_file_timestamp_unless_told(tmp_path):
    genesis = ROOT / "Genesis" / "testnet-3.json"
    node = NodeProcess(tmp_path, arguments=["--genesis", str(genesis)]).start()
    try:
        assert genesis_block(node).timestamp == int(json.loads(genesis.read_text()).get("timestamp", "0x0"), 16)
    finally:
        node.stop()
    node = NodeProcess(tmp_path, arguments=["--genesis", str(genesis), "--timestamp", "1700000000"]).start()
    try:
        assert genesis_block(node).timestamp == 1700000000
    finally:
        node.stop()


def test_a_simulated_marketplace_quote_verifies_at_block_0(tmp_path, w3):
    """The point of a real genesis time: at block 0 (head of a fresh dev chain) the simulated
    certificates (valid from 2025) are valid, so ATTESTATION_VERIFY returns its ten words
    (docs/formats.md: the eight of the quote, then tcbStatus and collateralIssueDate, both 0 for a
    quote without collateral)."""
    assert w3.eth.block_number == 0
    quote_path = tmp_path / "quote.bin"
    subprocess.run([str(BINARY), "enclave", "quote", "--dev-key", "--chain-id", "31337", "--marketplace", MARKETPLACE,
                    "--out", str(quote_path)], check=True, capture_output=True, cwd=ROOT)
    output = w3.eth.call({"to": ATTESTATION_VERIFY, "data": quote_path.read_bytes()}, 0)
    assert len(output) == 320
    words = eth_abi.decode(["bytes32", "bytes32", "uint16", "uint16", "bytes32", "bytes32", "bytes32", "uint64",
                            "uint8", "uint64"], output)
    mr_enclave, _, prod_id, svn, report_data0, report_data1, _, flags, tcb_status, issue_date = words
    assert tcb_status == 0 and issue_date == 0
    assert mr_enclave == SIMULATED_MRENCLAVE and prod_id == 1 and svn == 1
    public_key = DEV_ENCLAVE_KEY.public_key.to_bytes()
    assert report_data0 == keccak(public_key + (31337).to_bytes(32, "big") + bytes(12) + bytes.fromhex(MARKETPLACE[2:]))
    assert report_data1 == bytes(32)
    assert flags == 0x5


def write_genesis(tmp_path, with_marketplace):
    genesis = json.loads((ROOT / "Genesis" / "dev.json").read_text())
    genesis["alloc"] = {address: account for address, account in genesis["alloc"].items()
                        if address.lower() != MARKETPLACE}
    if with_marketplace:
        genesis["alloc"][MARKETPLACE] = {"balance": "0x0", "code": "0x00"}
    path = tmp_path / ("with.json" if with_marketplace else "without.json")
    path.write_text(json.dumps(genesis))
    return path


def test_banner_names_the_marketplace_and_the_simulated_dev_enclave(tmp_path):
    node = NodeProcess(tmp_path, arguments=["--dev", "--genesis", str(write_genesis(tmp_path, True))]).start()
    try:
        banner = node.log_path.read_text()
    finally:
        node.stop()
    assert f"Marketplace:       {MARKETPLACE}" in banner
    enclave_line = next(line for line in banner.splitlines() if line.startswith("Enclave:"))
    assert DEV_ENCLAVE_KEY.public_key.to_checksum_address() in enclave_line and "SIMULATED" in enclave_line
    assert "0x" + DEV_ENCLAVE_KEY.to_bytes().hex() in banner
    assert "0x" + DEV_ENCLAVE_KEY.public_key.to_bytes().hex() in banner


def test_banner_without_a_marketplace_has_no_marketplace_lines(tmp_path):
    node = NodeProcess(tmp_path, arguments=["--dev", "--genesis", str(write_genesis(tmp_path, False))]).start()
    try:
        banner = node.log_path.read_text()
    finally:
        node.stop()
    assert "Marketplace:" not in banner and "Enclave:" not in banner


def test_a_1970_genesis_rejects_the_same_quote_at_block_0(tmp_path):
    """The contrast: with block 0 at 1970 (`--timestamp 0`, the old behaviour) the certificates are
    not yet valid at block 0, so ATTESTATION_VERIFY returns empty output."""
    node = NodeProcess(tmp_path, arguments=["--dev", "--timestamp", "0"]).start()
    try:
        quote = subprocess.run([str(BINARY), "enclave", "quote", "--dev-key", "--chain-id", "31337",
                                "--marketplace", MARKETPLACE], check=True, capture_output=True, text=True,
                               cwd=ROOT).stdout.strip()
        assert Web3(HTTPProvider(node.url)).eth.call({"to": ATTESTATION_VERIFY, "data": quote}, 0) == b""
    finally:
        node.stop()
