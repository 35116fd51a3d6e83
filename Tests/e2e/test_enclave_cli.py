"""`goldengrain enclave key|quote` and `goldengrain attest verify` as a script runs them: the
marketplace REPORTDATA binding, the debug flag, the dev chain's SIMULATED enclave key, and the
ATTRIBUTES flags of the real sample quotes.

Expected values are computed here with eth-keys / eth-utils (the binding, keys, addresses) or read
from the raw quote bytes (the flags: 8 little-endian bytes at quote offset 96 = 48-byte header +
ATTRIBUTES at offset 48 of the ISV report body), never taken from the binary's own output."""
import json
import stat
import subprocess

import pytest
from conftest import BINARY, ROOT
from eth_keys import keys
from eth_utils import keccak, to_checksum_address

VECTORS = ROOT.parent / "shared" / "vectors" / "sgx"
DEV_LABEL = b"GoldenGrain INSECURE simulated dev enclave key v1"
DEV_MARKETPLACE = "0x0000000000000000000000000000000000002000"
AT = "1767225600"  # 2026-01-01, inside every certificate's validity window


def run(*arguments, check=True):
    result = subprocess.run([str(BINARY), *arguments], capture_output=True, text=True, cwd=ROOT)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def fields(stdout):
    """`name value` lines to a dict."""
    return dict(line.split(" ", 1) for line in stdout.splitlines() if line)


def binding(public_key: bytes, chain_id: int, marketplace: str) -> bytes:
    return keccak(public_key + chain_id.to_bytes(32, "big") + bytes(12) + bytes.fromhex(marketplace[2:]))


def verify_json(path):
    return json.loads(run("attest", "verify", str(path), "--simulated-root", "--at", AT, "--json").stdout)


def raw_flags(quote: bytes) -> int:
    return int.from_bytes(quote[96:104], "little")


def test_dev_key_is_keccak_of_its_label():
    key = keys.PrivateKey(keccak(DEV_LABEL))
    result = run("enclave", "key", "--dev")
    printed = fields(result.stdout)
    assert printed["address"] == key.public_key.to_checksum_address()
    assert printed["publicKey"] == "0x" + key.public_key.to_bytes().hex()
    assert printed["privateKey"] == "0x" + key.to_bytes().hex()
    assert "SIMULATED" in result.stderr


def test_fresh_key_is_written_to_a_private_file(tmp_path):
    out = tmp_path / "enclave.key"
    printed = fields(run("enclave", "key", "--out", str(out)).stdout)
    assert "privateKey" not in printed
    key = keys.PrivateKey(bytes.fromhex(out.read_text().strip()[2:]))
    assert printed["address"] == key.public_key.to_checksum_address()
    assert printed["publicKey"] == "0x" + key.public_key.to_bytes().hex()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_marketplace_quote_binds_key_chain_and_contract(tmp_path):
    key = keys.PrivateKey(bytes(range(1, 33)))
    quote_path = tmp_path / "quote.bin"
    result = run("enclave", "quote", "--key", key.to_bytes().hex(), "--chain-id", "8453",
                 "--marketplace", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--out", str(quote_path))
    assert result.stdout == ""
    public_key = key.public_key.to_bytes()
    assert key.public_key.to_checksum_address() in result.stderr
    assert "0x" + public_key.hex() in result.stderr
    verified = verify_json(quote_path)
    expected = binding(public_key, 8453, "0x5FbDB2315678afecb367f032d93F642f64180aa3") + bytes(32)
    assert verified["reportData"] == "0x" + expected.hex()
    assert verified["debug"] is False and verified["attributesFlags"] == "0x5"
    assert verified["simulated"] is True


def test_dev_key_quote_for_the_dev_marketplace_with_report_data1(tmp_path):
    key = keys.PrivateKey(keccak(DEV_LABEL))
    quote_path = tmp_path / "quote.bin"
    own = bytes(range(32))
    run("enclave", "quote", "--dev-key", "--chain-id", "31337", "--marketplace", DEV_MARKETPLACE,
        "--report-data1", own.hex(), "--out", str(quote_path))
    expected = binding(key.public_key.to_bytes(), 31337, DEV_MARKETPLACE) + own
    assert quote_path.read_bytes()[368:432] == expected
    assert verify_json(quote_path)["reportData"] == "0x" + expected.hex()


def test_debug_quote_sets_the_debug_bit_and_still_verifies(tmp_path):
    quote_path = tmp_path / "debug.bin"
    run("enclave", "quote", "--dev-key", "--chain-id", "31337", "--marketplace", DEV_MARKETPLACE, "--debug",
        "--out", str(quote_path))
    quote = quote_path.read_bytes()
    assert raw_flags(quote) == 0x7
    verified = verify_json(quote_path)
    assert verified["verified"] is True
    assert verified["debug"] is True and verified["attributesFlags"] == "0x7"


def test_report_data_option_keeps_its_behaviour(tmp_path):
    """`--report-data HEX` (with and without --out) writes exactly those 64 bytes; stdout is the hex
    quote and nothing else."""
    report_data = bytes(range(100, 164))
    key = "11" * 32
    printed = run("enclave", "quote", "--key", key, "--report-data", report_data.hex()).stdout
    quote = bytes.fromhex(printed.strip()[2:])
    assert printed.count("\n") == 1
    assert quote[368:432] == report_data
    quote_path = tmp_path / "quote.bin"
    run("enclave", "quote", "--key", key, "--report-data", report_data.hex(), "--out", str(quote_path))
    assert quote_path.read_bytes() == quote  # deterministic for one key
    assert raw_flags(quote) == 0x5


@pytest.mark.parametrize("arguments, message", [
    (["--chain-id", "1"], "--chain-id and --marketplace go together"),
    (["--marketplace", DEV_MARKETPLACE], "--chain-id and --marketplace go together"),
    (["--chain-id", "1", "--marketplace", DEV_MARKETPLACE, "--report-data", "00" * 64], "at most one of"),
    (["--key", "11" * 32, "--dev-key"], "at most one of --key and --dev-key"),
    (["--report-data1", "00" * 32], "--report-data1 needs --chain-id and --marketplace"),
    (["--chain-id", "1", "--marketplace", "0x1234"], "--marketplace 0x1234: expected a 20-byte address"),
    (["--chain-id", "1", "--marketplace", DEV_MARKETPLACE, "--report-data1", "00"], "--report-data1 00: expected 32 bytes"),
])
def test_bad_arguments_are_named(arguments, message):
    result = run("enclave", "quote", *arguments, check=False)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize("folder, debug", [("phala_sgx_v3", False), ("automata_sgx_v3", False),
                                           ("automata_solana_sgx_v3", True)])
def test_real_quotes_report_their_attributes_flags(folder, debug):
    quote_path = VECTORS / folder / "quote.bin"
    flags = raw_flags(quote_path.read_bytes())
    assert bool(flags & 0x2) == debug  # issue 11: only automata_solana_sgx_v3 is a debug enclave
    verified = json.loads(run("attest", "verify", str(quote_path), "--root", str(VECTORS / "intel_sgx_root_ca.pem"),
                              "--at", AT, "--json").stdout)
    assert verified["attributesFlags"] == hex(flags)
    assert verified["debug"] is debug
    inspected = run("attest", "inspect", str(quote_path)).stdout
    assert f"flags               {hex(flags)} (" in inspected
    assert ("DEBUG: a debug-mode enclave" in inspected) == debug
