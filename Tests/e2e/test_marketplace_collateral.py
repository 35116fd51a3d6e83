"""The marketplace registers enclaves with collateral (issue 16): `registerEnclave(quote ‖ collateral, key)`
on a chain whose genesis requires collateral — a copy of Genesis/dev.json with
`goldengrain.attestation.requireCollateral` true, so the SIMULATED root stays trusted.

`goldengrain enclave serve` sends the SIMULATED enclave's own collateral by default, other collateral with
`--collateral FILE|DIR`, and the quote alone with `--no-collateral`, which this chain refuses: the precompile
returns empty output and the contract reverts with "quote rejected".

Expected values come from elsewhere than the node: the collateral's layout and its dates are read here in
Python from the bytes `enclave collateral --wire` writes (docs/formats.md, "Collateral on chain": the TCB Info's
and QE Identity's issueDate, the CRLs' thisUpdate from their DER), the status code from docs/formats.md's table
(1 = UpToDate), reportData0 from keccak over the bytes docs/formats.md names, MRENCLAVE from its label.
"""
import calendar
import json
import re
import signal
import subprocess
import time

import pytest
from eth_utils import to_checksum_address
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess
from marketplace_support import (CHAIN_ID, REVERT_GAS, SIMULATED_MRENCLAVE, Enclave, artifact, binding,
                                 cli_registration_quote, decode_reason, revert_data, rpc, transact)

MARKETPLACE = "0x0000000000000000000000000000000000002000"
ATTESTATION_VERIFY = "0x0000000000000000000000000000000000001000"
UP_TO_DATE = 1  # docs/formats.md, ATTESTATION_VERIFY's word 8: 1 UpToDate
RELAYER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"  # dev account 9, the worker's default relayer on chain 31337


# --- The collateral, read independently of the Swift code ----------------------------------------

def quote_length(data: bytes) -> int:
    """docs/formats.md: 436 + the little-endian u32 signature data length at offset 432."""
    return 436 + int.from_bytes(data[432:436], "little")


def wire_fields(wire: bytes) -> dict:
    """The on-chain layout: "GGC1", then big-endian u32-prefixed fields (docs/formats.md)."""
    assert wire[:4] == b"GGC1"
    offset = 4

    def take():
        nonlocal offset
        length = int.from_bytes(wire[offset:offset + 4], "big")
        value = wire[offset + 4:offset + 4 + length]
        assert len(value) == length
        offset += 4 + length
        return value

    fields = {"tcbInfo": take(), "tcbInfoSignature": take(), "qeIdentity": take(), "qeIdentitySignature": take()}
    count = int.from_bytes(wire[offset:offset + 4], "big")
    offset += 4
    fields["chain"] = [take() for _ in range(count)]
    fields["rootCACRL"], fields["pckCRL"] = take(), take()
    assert offset == len(wire), "nothing may follow the PCK CRL"
    assert len(fields["tcbInfoSignature"]) == len(fields["qeIdentitySignature"]) == 64
    return fields


def iso_seconds(text: str) -> int:
    """"2025-01-01T00:00:00Z" → Unix seconds."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def der_element(data: bytes, offset: int):
    """(tag, content start, end) of the DER element at offset."""
    tag, length = data[offset], data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[start:start + count], "big")
        start += count
    return tag, start, start + length


def crl_this_update(der: bytes) -> int:
    """RFC 5280 §5.1: CertificateList ::= SEQUENCE { tbsCertList SEQUENCE { version INTEGER OPTIONAL,
    signature AlgorithmIdentifier, issuer Name, thisUpdate Time, … } … }."""
    _, start, _ = der_element(der, 0)
    _, offset, _ = der_element(der, start)
    tag, _, end = der_element(der, offset)
    if tag == 0x02:  # version
        offset = end
    for _ in range(2):  # signature algorithm, issuer
        _, _, offset = der_element(der, offset)
    tag, start, end = der_element(der, offset)
    text = der[start:end].decode()
    if tag == 0x17:  # UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1: YY < 50 is 20YY)
        year = int(text[:2])
        text = f"{2000 + year if year < 50 else 1900 + year}{text[2:]}"
    else:
        assert tag == 0x18  # GeneralizedTime YYYYMMDDHHMMSSZ
    return calendar.timegm(time.strptime(text, "%Y%m%d%H%M%SZ"))


def collateral_issue_date(wire: bytes) -> int:
    """docs/formats.md, word 9: the earliest of both documents' issueDate and both CRLs' thisUpdate."""
    fields = wire_fields(wire)
    dates = [iso_seconds(json.loads(fields["tcbInfo"])["issueDate"]),
             iso_seconds(json.loads(fields["qeIdentity"])["issueDate"]),
             crl_this_update(fields["rootCACRL"]), crl_this_update(fields["pckCRL"])]
    return min(dates)


# --- The chain and the worker ------------------------------------------------------------------------

def run(*arguments, check=True):
    result = subprocess.run([str(BINARY), *arguments], capture_output=True, text=True, cwd=ROOT)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A dev node on dev.json with requireCollateral true, and the SIMULATED collateral's files."""
    tmp = tmp_path_factory.mktemp("collateral-chain")
    genesis = json.loads((ROOT / "Genesis" / "dev.json").read_text())
    genesis["goldengrain"]["attestation"]["requireCollateral"] = True
    path = tmp / "dev-require-collateral.json"
    path.write_text(json.dumps(genesis))
    run("enclave", "collateral", "--out", str(tmp / "pcs"), "--wire", str(tmp / "collateral.bin"))
    node = NodeProcess(tmp, arguments=["--dev", "--no-enclave", "--genesis", str(path)]).start()
    try:
        w3 = Web3(HTTPProvider(node.url, request_kwargs={"timeout": 60}))
        market = w3.eth.contract(address=to_checksum_address(MARKETPLACE), abi=artifact()["abi"])
        yield {"tmp": tmp, "node": node, "w3": w3, "market": market, "wire": (tmp / "collateral.bin").read_bytes(),
               "pcs": tmp / "pcs"}
    finally:
        node.stop()


class Worker:
    """`goldengrain enclave serve` against the chain's marketplace, with its own data directory."""

    def __init__(self, chain, name, *extra):
        self.datadir = chain["tmp"] / name
        self.log_path = chain["tmp"] / f"{name}.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([str(BINARY), "enclave", "serve", "--rpc", chain["node"].url, "--marketplace",
                                         MARKETPLACE, "--datadir", str(self.datadir), "--poll-logs", *extra],
                                        cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def text(self):
        return self.log_path.read_text()

    def address(self):
        text = (self.datadir / "enclave-key.SIMULATED.hex").read_text()
        return to_checksum_address(re.search(r"# address (0x[0-9a-fA-F]{40})", text).group(1))

    def wait_for(self, pattern, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            match = re.search(pattern, self.text())
            if match:
                return match
            assert self.process.poll() is None, f"worker exited with {self.process.returncode}:\n{self.text()}"
            time.sleep(0.05)
        raise AssertionError(f"no log line matching {pattern!r} within {timeout} s:\n{self.text()}")

    def wait_exit(self, timeout=30):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"worker still running after {timeout} s:\n{self.text()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.log.close()


def registration(chain, enclave_address):
    """The transaction that registered the enclave, its decoded arguments, and the precompile call in its trace."""
    logs = chain["market"].events.EnclaveRegistered().get_logs(from_block=0, argument_filters={"enclave": enclave_address})
    assert len(logs) == 1
    transaction = chain["w3"].eth.get_transaction(logs[0].transactionHash)
    function, arguments = chain["market"].decode_function_input(transaction.input)
    assert function.fn_name == "registerEnclave"
    return transaction, arguments, precompile_call(chain["w3"], logs[0].transactionHash)


def precompile_call(w3, transaction_hash):
    """The one STATICCALL to ATTESTATION_VERIFY in the transaction's callTracer trace."""
    if not isinstance(transaction_hash, str):
        transaction_hash = Web3.to_hex(transaction_hash)
    trace = rpc(w3, "debug_traceTransaction", [transaction_hash, {"tracer": "callTracer"}])
    calls = [call for call in trace.get("calls", []) if call["to"].lower() == ATTESTATION_VERIFY]
    assert len(calls) == 1 and calls[0]["type"] == "STATICCALL", trace
    return {"input": bytes.fromhex(calls[0]["input"][2:]), "output": bytes.fromhex(calls[0].get("output", "0x")[2:])}


def words(output: bytes):
    assert len(output) % 32 == 0
    return [output[i:i + 32] for i in range(0, len(output), 32)]


def check_attested(output: bytes, public_key: bytes, wire: bytes):
    """docs/formats.md: ten words; MRENCLAVE, reportData0 = the binding, status 1, the collateral's issue date."""
    attested = words(output)
    assert len(attested) == 10
    assert attested[0] == SIMULATED_MRENCLAVE
    assert attested[4] == binding(public_key, CHAIN_ID, MARKETPLACE)
    assert int.from_bytes(attested[8], "big") == UP_TO_DATE
    assert int.from_bytes(attested[9], "big") == collateral_issue_date(wire)


# --- Tests -------------------------------------------------------------------------------------------

def test_the_chain_requires_collateral(chain):
    """The fixture's genesis: the precompile refuses the quote alone and answers quote ‖ collateral."""
    enclave = Enclave("test_marketplace_collateral probe")
    quote = cli_registration_quote(enclave.private_key, CHAIN_ID, MARKETPLACE)

    def call(data):
        return bytes(chain["w3"].eth.call({"to": ATTESTATION_VERIFY, "data": Web3.to_hex(data)}))

    assert call(quote) == b""
    check_attested(call(quote + chain["wire"]), enclave.public_key, chain["wire"])
    # The simulated collateral's dates, read here: 2025-01-01T00:00:00Z (docs/formats.md, "Simulated collateral").
    assert collateral_issue_date(chain["wire"]) == 1735689600


def test_worker_registers_with_its_simulated_collateral(chain):
    worker = Worker(chain, "default")
    try:
        worker.wait_for(r"registered enclave 0x[0-9a-fA-F]{40} in tx")
        address = worker.address()
        assert chain["market"].functions.isEnclave(address).call()
        transaction, arguments, call = registration(chain, address)
        assert transaction["from"] == RELAYER
        public_key = arguments["enclavePublicKey"]
        argument = arguments["quote"]
        quote = argument[:quote_length(argument)]
        # registerEnclave's argument is the quote, then exactly the SIMULATED collateral of `enclave collateral --wire`.
        assert argument[len(quote):] == chain["wire"]
        assert quote[368:400] == binding(public_key, CHAIN_ID, MARKETPLACE)  # REPORTDATA at quote offset 368
        assert call["input"] == argument
        check_attested(call["output"], public_key, chain["wire"])
        assert (f"registering with a SIMULATED quote binding its key to chain {CHAIN_ID} and its collateral: "
                f"a {len(quote):,}-byte quote and {len(chain['wire']):,} bytes of collateral "
                f"({len(argument):,} bytes)") in worker.text()
    finally:
        worker.stop()


def test_worker_registers_with_collateral_from_intel_pcs_files(chain):
    """--collateral DIR: the directory of PCS files `enclave collateral --out` writes, re-encoded to the same layout."""
    worker = Worker(chain, "pcs", "--collateral", str(chain["pcs"]))
    try:
        worker.wait_for(r"registered enclave 0x[0-9a-fA-F]{40} in tx")
        _, arguments, call = registration(chain, worker.address())
        argument = arguments["quote"]
        assert argument[quote_length(argument):] == chain["wire"]
        check_attested(call["output"], arguments["enclavePublicKey"], chain["wire"])
        assert f"the collateral of {chain['pcs']} ({len(chain['wire'])} bytes in the on-chain layout)" in worker.text()
    finally:
        worker.stop()


def test_worker_without_collateral_is_refused_with_the_contracts_reason(chain):
    worker = Worker(chain, "alone", "--no-collateral")
    try:
        assert worker.wait_exit() == 1
        text = worker.text()
        address = worker.address()
        assert re.search(rf"binding its key to chain {CHAIN_ID}: a [0-9,]+-byte quote alone, without collateral", text)
        assert (f"registering enclave {address} failed: registerEnclave reverted: quote rejected (the quote was sent "
                "alone: a chain whose genesis sets goldengrain.attestation.requireCollateral refuses a quote without "
                "collateral)") in text
        assert not chain["market"].functions.isEnclave(address).call()
        assert chain["market"].functions.enclavePublicKey(address).call() == b""
    finally:
        worker.stop()


def test_quote_alone_gets_empty_output_and_reverts_quote_rejected(chain):
    """The same refusal from web3.py, mined: the precompile's empty output, then the contract's reason."""
    w3, market = chain["w3"], chain["market"]
    enclave = Enclave("test_marketplace_collateral web3 enclave")
    quote = cli_registration_quote(enclave.private_key, CHAIN_ID, MARKETPLACE)
    sender = w3.eth.accounts[1]
    refused = transact(w3, market.functions.registerEnclave(quote, enclave.public_key), sender, gas=REVERT_GAS)
    assert refused.status == 0
    call = precompile_call(w3, refused.transactionHash)
    assert call["input"] == quote and call["output"] == b""
    assert decode_reason(revert_data(w3, refused.transactionHash)) == "quote rejected"
    accepted = transact(w3, market.functions.registerEnclave(quote + chain["wire"], enclave.public_key), sender,
                        gas=REVERT_GAS)
    assert accepted.status == 1
    call = precompile_call(w3, accepted.transactionHash)
    assert call["input"] == quote + chain["wire"]
    check_attested(call["output"], enclave.public_key, chain["wire"])
    assert market.functions.isEnclave(enclave.address).call()


def test_bad_collateral_options_are_named(chain, tmp_path):
    garbage = tmp_path / "collateral.json"
    garbage.write_text('{"tcb_info": 1}')
    worker = Worker(chain, "garbage", "--collateral", str(garbage))
    try:
        assert worker.wait_exit() != 0
        assert f"--collateral {garbage}:" in worker.text()
    finally:
        worker.stop()
    missing = tmp_path / "no-such-collateral"
    result = run("enclave", "serve", "--rpc", chain["node"].url, "--collateral", str(missing), "--datadir",
                 str(tmp_path / "enclave"), check=False)
    assert result.returncode != 0
    assert f"--collateral {missing}: no such file or directory" in result.stderr
    result = run("enclave", "serve", "--collateral", str(garbage), "--no-collateral", check=False)
    assert result.returncode != 0
    assert f"--collateral {garbage} and --no-collateral contradict each other: give at most one" in result.stderr


def test_demo_registers_its_enclave_with_collateral(chain):
    """`goldengrain demo --rpc` on this chain: both of its registrations carry the SIMULATED collateral."""
    completed = subprocess.run([str(BINARY), "demo", "--json", "--rpc", chain["node"].url], cwd=ROOT,
                               capture_output=True, timeout=300)
    assert completed.returncode == 0, completed.stderr.decode()[-4000:]
    document = json.loads(completed.stdout)
    registrations = [step for step in document["steps"] if step["name"] == "registerEnclave"]
    assert [step["mode"] for step in registrations] == ["tee", "plain"]
    for step in registrations:
        transaction = chain["w3"].eth.get_transaction(step["transaction"])
        assert chain["w3"].eth.get_transaction_receipt(step["transaction"]).gasUsed == step["gasUsed"]
        marketplace = chain["w3"].eth.contract(address=transaction.to, abi=artifact()["abi"])
        function, arguments = marketplace.decode_function_input(transaction.input)
        assert function.fn_name == "registerEnclave"
        argument = arguments["quote"]
        assert argument[quote_length(argument):] == chain["wire"]
        call = precompile_call(chain["w3"], step["transaction"])
        attested = words(call["output"])
        assert attested[4] == binding(arguments["enclavePublicKey"], CHAIN_ID, transaction.to)
        assert int.from_bytes(attested[8], "big") == UP_TO_DATE
        assert int.from_bytes(attested[9], "big") == collateral_issue_date(chain["wire"])
