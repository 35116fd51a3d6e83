"""The marketplace predeployed in Genesis/dev.json (issue 11, "The dev chain").

The alloc entry at 0x…2000 must be exactly what the committed artifact's constructor and the dev
enclave's registration produce (scripts/gen_dev_marketplace.py --check regenerates it); a fresh
dev node must show it configured as the issue says, with every dev account untouched at block 0;
and the web3.py walkthrough must take it from task to sold model with the banner's keys.
"""
import json
import subprocess
import sys

from eth_abi import encode
from eth_keys import keys
from eth_utils import keccak
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess

MARKETPLACE = "0x0000000000000000000000000000000000002000"
DEV_ENCLAVE_KEY = bytes.fromhex("12230159731c3f68c8b7ce2a7de2a56cac38261f55298c8b8661fab3eb7da385")
SIMULATED_MRENCLAVE = keccak(text="GoldenGrain INSECURE simulated enclave MRENCLAVE v1")
ARTIFACT = json.loads((ROOT / "Contracts" / "build" / "Marketplace.json").read_text())


def test_genesis_entry_is_what_the_constructor_and_registration_make():
    result = subprocess.run([sys.executable, "scripts/gen_dev_marketplace.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, env={"GOLDENGRAIN_BIN": str(BINARY), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matches" in result.stdout


def test_fresh_dev_chain_has_the_marketplace_configured(node, accounts):
    w3 = Web3(HTTPProvider(node.url))
    market = w3.eth.contract(address=MARKETPLACE, abi=ARTIFACT["abi"])
    assert w3.eth.block_number == 0
    code = w3.eth.get_code(MARKETPLACE).hex()
    assert ("0x" + code.removeprefix("0x")).startswith(ARTIFACT["deployedBytecode"])

    assert market.functions.owner().call() == accounts[0].address
    assert market.functions.evaluator().call() == "0x0000000000000000000000000000000000001001"
    assert market.functions.resultWindow().call() == 3600
    assert market.functions.isMeasurementTrusted(SIMULATED_MRENCLAVE).call()

    # The dev enclave: its address and key from the public label, computed here with eth-keys.
    enclave_key = keys.PrivateKey(DEV_ENCLAVE_KEY)
    enclave = enclave_key.public_key.to_checksum_address()
    assert enclave == "0x96413214e8729BB01Df7f3Ac020b0C8558e11Cdb"
    assert market.functions.isEnclave(enclave).call()
    assert market.functions.enclavePublicKey(enclave).call() == enclave_key.public_key.to_bytes()
    assert market.functions.enclaveMeasurement(enclave).call() == SIMULATED_MRENCLAVE

    # The EIP-712 domain names 0x…2000 on chain 31337 (eth-account computes the expected value).
    # EIP-712 §"Definition of domainSeparator", written out by hand:
    type_hash = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    expected = keccak(encode(["bytes32", "bytes32", "bytes32", "uint256", "address"],
                             [type_hash, keccak(text="GoldenGrain"), keccak(text="1"), 31337, MARKETPLACE]))
    assert market.functions.domainSeparator().call() == expected

    # Nothing else happened at genesis: no tasks, no models, dev accounts untouched.
    assert market.functions.taskCount().call() == 0
    assert market.functions.modelCount().call() == 0
    zero = "0x0000000000000000000000000000000000000000"
    assert market.functions.taskInfo(1).call() == [zero, zero, b"\0" * 32, 0, 0, 0, 0, 0]
    for account in accounts:
        assert w3.eth.get_balance(account.address) == 10_000 * 10**18
        assert w3.eth.get_transaction_count(account.address) == 0


def test_banner_names_the_marketplace_and_the_enclave(node):
    banner = node.log_path.read_text()
    assert "Marketplace:       0x0000000000000000000000000000000000002000" in banner
    assert "0x96413214e8729BB01Df7f3Ac020b0C8558e11Cdb" in banner
    assert "SIMULATED" in banner


def run_walkthrough(url, *extra):
    result = subprocess.run([sys.executable, "Examples/marketplace/walkthrough.py", "--rpc", url, "--json", *extra],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def expected_sale(summary):
    # Examples/models/digits-h64.ggm scores 350/360 = 9722 bps on the test split (Examples/models/README.md).
    # min 9000, max 1 ether: price = ⌊10^18 × (9722 − 9000) / (10000 − 9000)⌋ = 0.722 ether, by hand.
    assert summary["accuracyBps"] == 9722
    assert int(summary["price"]) == 722 * 10**15
    assert int(summary["withdrawn"]) == 722 * 10**15
    assert int(summary["budgetLeft"]) == 2 * 10**18 - 722 * 10**15
    assert summary["modelBytes"] == (ROOT / "Examples" / "models" / "digits-h64.ggm").stat().st_size


def test_walkthrough_as_enclave_sells_the_example_model(tmp_path):
    # --no-enclave: the node's own worker would race this script for the same model.
    process = NodeProcess(tmp_path, arguments=["--dev", "--no-enclave"]).start()
    try:
        expected_sale(run_walkthrough(process.url, "--act-as-enclave", "--store", str(tmp_path / "store")))
    finally:
        process.stop()


def test_walkthrough_with_the_nodes_enclave_worker(tmp_path):
    process = NodeProcess(tmp_path, arguments=["--dev"]).start()
    try:
        expected_sale(run_walkthrough(process.url, "--store", str(tmp_path / "store")))
    finally:
        process.stop()
