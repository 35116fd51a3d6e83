"""Contracts/interfaces/goldengrain_precompiles.vy, the Vyper helpers for GoldenGrain's precompiles:
it compiles with the pinned Vyper when imported by a contract, and on a dev node its helpers return
what the precompiles say, decoded. Expected values come from docs/formats.md (the SIMULATED
enclave's MRENCLAVE, MRSIGNER, ISVPRODID, ISVSVN, ATTRIBUTES flags and root SHA-256) and
Examples/models/README.md (the digits model's score and logits hash), not from the helpers.

Contracts/interfaces/IGoldenGrainPrecompiles.sol is not compiled here: no solc is installed and none
can be fetched offline."""
import json
import subprocess
import sys

import pytest
from eth_utils import keccak
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess
from marketplace_support import quote_for_report_data

INTERFACES = ROOT / "Contracts" / "interfaces"
MODEL = ROOT / "Examples" / "models" / "digits-h64.ggm"
TEST_SPLIT = ROOT / "Examples" / "digits" / "test.ggd"
INFERENCE_EVAL = "0x0000000000000000000000000000000000001001"
CHAIN_ID = 31337

# docs/formats.md, "The SIMULATED enclave".
SIMULATED_MRENCLAVE = bytes.fromhex("430836ed34a6354883a229c77ad29354d6e7154c120bb8b5b13caac5042f6835")
SIMULATED_MRSIGNER = bytes.fromhex("3eef7827135a535a37a653f1aadc654aa764edc125379037d7cd4cd8e8c29165")
SIMULATED_ROOT_SHA256 = bytes.fromhex("0683343b7c52a645d8bc41f3e08d898768f20ce6c102cee9d1f18bee68c44e4c")
SIMULATED_FLAGS = 0x05  # INIT | MODE64BIT, not DEBUG
SGX_FLAG_DEBUG = 0x02

USER = '''# pragma version ~=0.4.3
import goldengrain_precompiles as gg


@external
@view
def evaluate(evaluator: address, input: Bytes[65536]) -> (uint256, uint256, bytes32):
    return gg._inference_eval_at(evaluator, input)


@external
@view
def evaluate_with_precompile(input: Bytes[65536]) -> (uint256, uint256, bytes32):
    return gg._inference_eval(input)


@external
@view
def attest(quote: Bytes[16384]) -> (bool, gg.VerifiedQuote, bool):
    verified: bool = False
    attested: gg.VerifiedQuote = empty(gg.VerifiedQuote)
    verified, attested = gg._attestation_verify(quote)
    return verified, attested, gg._is_debug(attested)


@external
@pure
def addresses() -> (address, address):
    return gg.ATTESTATION_VERIFY, gg.INFERENCE_EVAL
'''


def compile_user(tmp_path):
    source = tmp_path / "PrecompileUser.vy"
    source.write_text(USER)
    vyper = ROOT / ".venv" / "bin" / "vyper"
    vyper = vyper if vyper.exists() else type(ROOT)(sys.executable).parent / "vyper"
    result = subprocess.run([str(vyper), "-p", str(INTERFACES), "-f", "abi,bytecode", str(source)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    abi_line, bytecode_line = result.stdout.strip().splitlines()[:2]
    return json.loads(abi_line), bytecode_line.strip()


def deploy(w3, account, abi, bytecode):
    transaction = {"from": account.address, "nonce": w3.eth.get_transaction_count(account.address),
                   "chainId": CHAIN_ID, "data": bytecode, "gas": 8_000_000,
                   "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(account.sign_transaction(transaction).raw_transaction))
    assert receipt.status == 1
    return receipt.contractAddress


@pytest.fixture(scope="module")
def helpers(tmp_path_factory, accounts):
    abi, bytecode = compile_user(tmp_path_factory.mktemp("helpers"))
    node = NodeProcess(tmp_path_factory.mktemp("helpers-node")).start()
    w3 = Web3(HTTPProvider(node.url, request_kwargs={"timeout": 120}))
    user = w3.eth.contract(address=deploy(w3, accounts[0], abi, bytecode), abi=abi)
    plain = json.loads((ROOT / "Contracts" / "build" / "PlainEvaluator.json").read_text())
    plain_address = deploy(w3, accounts[0], plain["abi"], plain["bytecode"])
    yield w3, user, plain_address
    node.stop()


def test_the_vyper_module_compiles_when_imported(tmp_path):
    abi, bytecode = compile_user(tmp_path)
    assert {entry["name"] for entry in abi if entry["type"] == "function"} == {
        "evaluate", "evaluate_with_precompile", "attest", "addresses"}
    assert bytecode.startswith("0x") and len(bytecode) > 2


def test_addresses(helpers):
    _, user, _ = helpers
    assert user.functions.addresses().call() == [Web3.to_checksum_address("0x" + "00" * 18 + "1000"),
                                                 Web3.to_checksum_address(INFERENCE_EVAL)]


def test_inference_eval_helpers(helpers):
    _, user, plain = helpers
    data = MODEL.read_bytes() + TEST_SPLIT.read_bytes()
    # Examples/models/README.md: 350/360 and this logits hash.
    expected = [350, 360, bytes.fromhex("1a865d0d82c3ee4a345a338667efe661664304f7aacdcb975e6c57512ac8b9c9")]
    assert user.functions.evaluate_with_precompile(data).call({"gas": 30_000_000}) == expected
    assert user.functions.evaluate(INFERENCE_EVAL, data).call({"gas": 30_000_000}) == expected
    assert user.functions.evaluate(plain, data).call({"gas": 30_000_000}) == expected
    for evaluator in (INFERENCE_EVAL, plain):
        with pytest.raises(Exception, match="INFERENCE_EVAL failed"):
            user.functions.evaluate(evaluator, data[:-1]).call({"gas": 30_000_000})


def test_attestation_verify_helpers(helpers):
    _, user, _ = helpers
    report_data = keccak(b"report data 0") + keccak(b"report data 1")
    quote = quote_for_report_data(keccak(text="GoldenGrain helpers enclave"), report_data)
    verified, attested, debug = user.functions.attest(quote).call()
    assert verified and not debug
    assert tuple(attested) == (SIMULATED_MRENCLAVE, SIMULATED_MRSIGNER, 1, 1, report_data[:32], report_data[32:],
                               SIMULATED_ROOT_SHA256, SIMULATED_FLAGS)
    tampered = bytearray(quote)
    tampered[368] ^= 1  # REPORTDATA, covered by the ISV report signature
    verified, attested, debug = user.functions.attest(bytes(tampered)).call()
    assert not verified and tuple(attested) == (bytes(32), bytes(32), 0, 0, bytes(32), bytes(32), bytes(32), 0)


def test_debug_enclave_flag(helpers, tmp_path):
    _, user, _ = helpers
    out = tmp_path / "debug-quote.bin"
    subprocess.run([str(BINARY), "enclave", "quote", "--key", keccak(text="GoldenGrain helpers debug").hex(),
                    "--report-data", (bytes(64)).hex(), "--debug", "--out", str(out)], check=True,
                   capture_output=True, cwd=ROOT)
    verified, attested, debug = user.functions.attest(out.read_bytes()).call()
    assert verified and debug and attested[7] & SGX_FLAG_DEBUG
