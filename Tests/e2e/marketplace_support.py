"""Shared helpers for the marketplace tests (issue 11) and scripts/marketplace_gas.py.

Everything here is computed independently of the contract: the enclave's key and address with
eth_keys, the REPORTDATA binding with keccak over the bytes issue 11 names, the EIP-712 result with
eth-account's `encode_typed_data`, revert reasons decoded from raw revert data with eth-abi. Quotes
come from the SIMULATED enclave of the release binary (`goldengrain enclave quote`).
"""
import functools
import json
import pathlib
import subprocess
import tempfile

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_keys import keys
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from conftest import BINARY, ROOT

ARTIFACT_PATH = ROOT / "Contracts" / "build" / "Marketplace.json"
SOURCE_PATH = ROOT / "Contracts" / "Marketplace.vy"
DIGITS_MODEL = ROOT / "Examples" / "models" / "digits-h64.ggm"
DIGITS_TEST = ROOT / "Examples" / "digits" / "test.ggd"

CHAIN_ID = 31337
RESULT_WINDOW = 3600
BPS = 10_000
INFERENCE_EVAL = "0x0000000000000000000000000000000000001001"
SIMULATED_MRENCLAVE = keccak(b"GoldenGrain INSECURE simulated enclave MRENCLAVE v1")
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
ERROR_SELECTOR = keccak(b"Error(string)")[:4]
ZERO_ADDRESS = "0x" + "00" * 20

# docs/formats.md, SGX DCAP v3 quote: REPORTDATA starts at quote offset 368, ATTRIBUTES at 96.
QUOTE_REPORT_DATA = 368
QUOTE_ATTRIBUTES = 96

# Issue 11, rule 4: the EIP-712 type, spelled out field by field.
BENCHMARK_RESULT_FIELDS = [
    {"name": "taskId", "type": "uint256"},
    {"name": "modelId", "type": "uint256"},
    {"name": "modelHash", "type": "bytes32"},
    {"name": "datasetHash", "type": "bytes32"},
    {"name": "accuracyBps", "type": "uint16"},
    {"name": "logitsHash", "type": "bytes32"},
    {"name": "keyForBuyerHash", "type": "bytes32"},
]
EIP712_DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]

# Large enough for every marketplace transaction; explicit so a transaction meant to revert is
# mined (no eth_estimateGas first) and the revert is read from the receipt and its trace.
REVERT_GAS = 3_000_000


@functools.lru_cache(maxsize=None)
def artifact():
    return json.loads(ARTIFACT_PATH.read_text())


class Enclave:
    """A secp256k1 enclave key chosen by the test; public key and address computed here."""

    def __init__(self, label: str):
        self.private_key = keccak(text=label)
        key = keys.PrivateKey(self.private_key)
        self.public_key = key.public_key.to_bytes()  # 64 bytes x ‖ y, no 0x04 prefix
        assert len(self.public_key) == 64
        self.address = to_checksum_address(keccak(self.public_key)[12:])
        assert self.address == key.public_key.to_checksum_address()


def binding(public_key: bytes, chain_id: int, marketplace: str) -> bytes:
    """reportData0 = keccak256(enclavePublicKey ‖ chainId as 32 bytes ‖ marketplace as 32 bytes)."""
    return keccak(public_key + chain_id.to_bytes(32, "big") + bytes(12) + bytes.fromhex(marketplace[2:]))


@functools.lru_cache(maxsize=None)
def quote_for_report_data(private_key: bytes, report_data: bytes) -> bytes:
    """A SIMULATED quote with exactly these 64 bytes of REPORTDATA (`--report-data`)."""
    assert len(report_data) == 64
    with tempfile.TemporaryDirectory() as scratch:
        out = pathlib.Path(scratch) / "quote.bin"
        subprocess.run([str(BINARY), "enclave", "quote", "--key", private_key.hex(),
                        "--report-data", report_data.hex(), "--out", str(out)],
                       check=True, capture_output=True, cwd=ROOT)
        return out.read_bytes()


def registration_quote(enclave: Enclave, chain_id: int, marketplace: str, report_data1: bytes = bytes(32)) -> bytes:
    """A quote binding `enclave` to (chain_id, marketplace), made from the binding computed here."""
    return quote_for_report_data(enclave.private_key, binding(enclave.public_key, chain_id, marketplace) + report_data1)


@functools.lru_cache(maxsize=None)
def cli_registration_quote(private_key: bytes, chain_id: int, marketplace: str, debug: bool = False) -> bytes:
    """The CLI's own binding: `goldengrain enclave quote --key --chain-id --marketplace [--debug]`."""
    with tempfile.TemporaryDirectory() as scratch:
        out = pathlib.Path(scratch) / "quote.bin"
        arguments = [str(BINARY), "enclave", "quote", "--key", private_key.hex(), "--chain-id", str(chain_id),
                     "--marketplace", marketplace, "--out", str(out)]
        if debug:
            arguments.append("--debug")
        subprocess.run(arguments, check=True, capture_output=True, cwd=ROOT)
        return out.read_bytes()


def typed_result(chain_id, marketplace, task_id, model_id, model_hash, dataset_hash, accuracy, logits_hash,
                 key_for_buyer):
    return {
        "types": {"EIP712Domain": EIP712_DOMAIN_FIELDS, "BenchmarkResult": BENCHMARK_RESULT_FIELDS},
        "primaryType": "BenchmarkResult",
        "domain": {"name": "GoldenGrain", "version": "1", "chainId": chain_id, "verifyingContract": marketplace},
        "message": {"taskId": task_id, "modelId": model_id, "modelHash": model_hash, "datasetHash": dataset_hash,
                    "accuracyBps": accuracy, "logitsHash": logits_hash, "keyForBuyerHash": keccak(key_for_buyer)},
    }


def sign_result(enclave: Enclave, *, marketplace, task_id, model_id, model_hash, dataset_hash, accuracy,
                logits_hash, key_for_buyer, chain_id=CHAIN_ID) -> bytes:
    """The enclave's EIP-712 signature r ‖ s ‖ v (v 27/28, low s) by eth-account."""
    message = encode_typed_data(full_message=typed_result(chain_id, marketplace, task_id, model_id, model_hash,
                                                          dataset_hash, accuracy, logits_hash, key_for_buyer))
    signature = bytes(Account.sign_message(message, enclave.private_key).signature)
    assert len(signature) == 65 and signature[64] in (27, 28)
    return signature


def high_s(signature: bytes) -> bytes:
    """The malleable twin (n − s, the other v): ecrecover gives the same signer."""
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    return r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v])


def price(max_price: int, minimum: int, accuracy: int) -> int:
    """Issue 11 rule 4, for the property test's model: ⌊max × (acc − min) / (10000 − min)⌋."""
    if accuracy < minimum:
        return 0
    if minimum == BPS:
        return max_price
    return max_price * (accuracy - minimum) // (BPS - minimum)


def rpc(w3, method, params=None):
    reply = w3.provider.make_request(method, params if params is not None else [])
    if "error" in reply:
        raise RuntimeError(f"{method} failed: {reply['error']}")
    return reply["result"]


def snapshot(w3):
    return rpc(w3, "evm_snapshot")


def revert_to(w3, snapshot_id):
    assert rpc(w3, "evm_revert", [snapshot_id]) is True


def latest_timestamp(w3) -> int:
    return w3.eth.get_block("latest").timestamp


def next_block_at(w3, timestamp: int):
    """The next block (the next automined transaction) gets exactly this timestamp."""
    rpc(w3, "evm_setNextBlockTimestamp", [timestamp])


def revert_data(w3, transaction_hash) -> bytes:
    """The top frame's revert output, from debug_traceTransaction's callTracer."""
    trace = rpc(w3, "debug_traceTransaction", [Web3.to_hex(transaction_hash), {"tracer": "callTracer"}])
    return bytes.fromhex(trace.get("output", "0x")[2:])


def decode_reason(data: bytes):
    """Error(string)'s text, or None for revert data that is not Error(string) (e.g. empty)."""
    if data[:4] != ERROR_SELECTOR:
        return None
    return abi_decode(["string"], data[4:])[0]


def gas_cost(receipt) -> int:
    return receipt.gasUsed * receipt.effectiveGasPrice


def transact(w3, function, sender, value=0, gas=None):
    """Sends a contract call from an unlocked dev account and returns its receipt (any status)."""
    parameters = {"from": sender, "value": value}
    if gas is not None:
        parameters["gas"] = gas
    return w3.eth.wait_for_transaction_receipt(function.transact(parameters))


def expect_success(w3, function, sender, value=0, gas=None):
    receipt = transact(w3, function, sender, value, gas)
    assert receipt.status == 1, f"{function.fn_name} reverted: {decode_reason(revert_data(w3, receipt.transactionHash))!r}"
    return receipt


def expect_revert(w3, function, sender, reason, value=0, gas=REVERT_GAS):
    """Mines the call with explicit gas, checks status 0 and the exact Error(string) reason
    (reason=None: a revert without Error(string) data, such as an ABI bound check)."""
    receipt = transact(w3, function, sender, value, gas)
    assert receipt.status == 0, f"{function.fn_name} succeeded, expected revert {reason!r}"
    data = revert_data(w3, receipt.transactionHash)
    assert decode_reason(data) == reason, f"revert data {data.hex()} ({decode_reason(data)!r}), expected {reason!r}"
    return receipt


def send_raw_call(w3, sender, to, data: bytes, gas=REVERT_GAS, value=0):
    """A transaction with hand-made calldata (for arguments outside the ABI's bounds)."""
    transaction_hash = w3.eth.send_transaction({"from": sender, "to": to, "data": Web3.to_hex(data), "gas": gas,
                                                "value": value})
    return w3.eth.wait_for_transaction_receipt(transaction_hash)


def deploy_marketplace(w3, deployer, owner=None, trusted=None, evaluator=INFERENCE_EVAL, window=RESULT_WINDOW):
    """Deploys the committed artifact by an ordinary creation transaction."""
    contract = w3.eth.contract(abi=artifact()["abi"], bytecode=artifact()["bytecode"])
    owner = owner or deployer
    trusted = [SIMULATED_MRENCLAVE] if trusted is None else trusted
    receipt = w3.eth.wait_for_transaction_receipt(
        contract.constructor(owner, trusted, evaluator, window).transact({"from": deployer}))
    assert receipt.status == 1 and receipt.contractAddress
    return w3.eth.contract(address=receipt.contractAddress, abi=artifact()["abi"]), receipt


def register(w3, market, enclave: Enclave, sender, quote=None):
    quote = quote if quote is not None else registration_quote(enclave, CHAIN_ID, market.address)
    return expect_success(w3, market.functions.registerEnclave(quote, enclave.public_key), sender)


def selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


def raw_calldata(signature: str, types, values) -> bytes:
    return selector(signature) + abi_encode(types, values)
