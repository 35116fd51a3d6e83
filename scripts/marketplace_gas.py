#!/usr/bin/env python3
"""Measures the gas of every Marketplace function on a fresh `goldengrain node --dev` and prints a
markdown table (docs/gas.md, "Marketplace").

    swift build -c release --product goldengrain
    .venv/bin/python scripts/marketplace_gas.py

The story, on a marketplace deployed by transaction from the committed artifact: register a SIMULATED
enclave with its quote alone and another with quote ‖ SIMULATED collateral (`enclave collateral --wire`;
what ATTESTATION_VERIFY charges each is read from the transaction's callTracer trace); the provider creates a task (budget 1 ether, min 5000 bps, max price 0.1 ether) and a second
one for the digits test split; developers submit models; a relayer submits one result that sells
and one that only scores; after the second task's deadline anyone scores the example digits model
on chain (INFERENCE_EVAL); after the windows the provider takes its refund and a developer withdraws.
Every figure is a receipt's gasUsed. Calldata is priced at 4 gas per zero byte and 16 per other byte
(Cancun); execution gas = gasUsed − 21,000 − calldata gas (− 32,000 for the creation).
"""
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))

from eth_keys import keys  # noqa: E402
from eth_utils import keccak  # noqa: E402
from web3 import HTTPProvider, Web3  # noqa: E402

from conftest import BINARY, MNEMONIC, NodeProcess  # noqa: E402
from marketplace_support import (  # noqa: E402
    CHAIN_ID, DIGITS_MODEL, DIGITS_TEST, RESULT_WINDOW, Enclave, deploy_marketplace, expect_success, next_block_at,
    registration_quote, rpc, sign_result,
)

ATTESTATION_VERIFY = "0x0000000000000000000000000000000000001000"

GAS = 8_000_000


def calldata_gas(data: bytes) -> int:
    return sum(4 if byte == 0 else 16 for byte in data)


def main() -> int:
    if not BINARY.exists():
        print(f"{BINARY} not built (swift build -c release --product goldengrain)", file=sys.stderr)
        return 2
    from eth_account import Account
    Account.enable_unaudited_hdwallet_features()
    accounts = [Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}").address for i in range(5)]
    owner, provider, developer, developer2, relayer = accounts

    node = NodeProcess(Path(tempfile.mkdtemp(prefix="marketplace-gas-"))).start()
    rows = []
    try:
        w3 = Web3(HTTPProvider(node.url, request_kwargs={"timeout": 60}))

        def record(name, receipt, note=""):
            transaction = w3.eth.get_transaction(receipt.transactionHash)
            data = bytes(transaction.input)
            calldata = calldata_gas(data)
            creation = 32_000 if transaction.to is None else 0  # the creation surcharge, shown with the intrinsic
            rows.append((name, receipt.gasUsed, len(data), calldata,
                         receipt.gasUsed - 21_000 - creation - calldata, note))

        def send(name, function, sender, value=0, note=""):
            receipt = expect_success(w3, function, sender, value=value, gas=GAS)
            record(name, receipt, note)
            return receipt

        market, receipt = deploy_marketplace(w3, owner)
        record("deployment", receipt, "one trusted measurement; execution = constructor, init-code words "
                                      "(EIP-3860) and code deposit (200 per runtime byte), after 32,000 for creation")
        def attestation_gas(receipt):
            """The gas ATTESTATION_VERIFY charged inside the registration (its STATICCALL in callTracer)."""
            trace = rpc(w3, "debug_traceTransaction", [w3.to_hex(receipt.transactionHash), {"tracer": "callTracer"}])
            calls = [call for call in trace.get("calls", []) if call["to"].lower() == ATTESTATION_VERIFY]
            assert len(calls) == 1, trace
            return int(calls[0]["gasUsed"], 16)

        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run([str(BINARY), "enclave", "collateral", "--out", scratch, "--wire", scratch + "/wire.bin"],
                           check=True, capture_output=True)
            collateral = Path(scratch, "wire.bin").read_bytes()
        alone = Enclave("GoldenGrain gas-measurement enclave (quote alone)")
        quote = registration_quote(alone, CHAIN_ID, market.address)
        receipt = expect_success(w3, market.functions.registerEnclave(quote, alone.public_key), relayer, gas=GAS)
        record("registerEnclave", receipt, f"SIMULATED quote alone, {len(quote):,} B; ATTESTATION_VERIFY charges "
                                           f"{attestation_gas(receipt):,}")
        enclave = Enclave("GoldenGrain gas-measurement enclave")
        quote = registration_quote(enclave, CHAIN_ID, market.address)
        receipt = expect_success(w3, market.functions.registerEnclave(quote + collateral, enclave.public_key), relayer,
                                 gas=GAS)
        record("registerEnclave (with collateral)", receipt,
               f"SIMULATED quote, {len(quote):,} B, then SIMULATED collateral, {len(collateral):,} B; "
               f"ATTESTATION_VERIFY charges {attestation_gas(receipt):,}; the enclave of the rest of the story")

        buyer = keys.PrivateKey(keccak(text="gas buyer")).public_key.to_bytes()
        sealed = bytes(range(125))  # an ECIES-sealed 32-byte key is 125 bytes (docs/formats.md)
        dataset = DIGITS_TEST.read_bytes()
        model = DIGITS_MODEL.read_bytes()
        now = w3.eth.get_block("latest").timestamp
        deadline = now + 1000
        uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
        send("createTask", market.functions.createTask(enclave.address, keccak(dataset), uri, sealed, 5000,
                                                       10**17, deadline, buyer), provider, value=10**18,
             note="first task; 125-byte sealed key, 64-byte buyer key, 66-char URI")
        send("createTask", market.functions.createTask(enclave.address, keccak(dataset), uri, sealed, 5000,
                                                       10**17, deadline + 10, buyer), provider, value=10**18,
             note="a later task (task counter already nonzero)")
        for index, (who, model_hash) in enumerate([(developer, keccak(b"gas model a")), (developer2, keccak(b"gas model b")),
                                                   (developer, keccak(model))]):
            send("submitModel", market.functions.submitModel(1 if index < 2 else 2, model_hash, uri, sealed), who,
                 note=["the marketplace's first model", "a later model in the same task",
                   "the second task's first model (the digits model)"][index])

        logits = keccak(b"gas logits")
        key_for_buyer = bytes(range(3, 128))
        for model_id, accuracy, label in [(1, 9000, "submitResult (sold)"), (2, 4000, "submitResult (scored)")]:
            signature = sign_result(enclave, marketplace=market.address, task_id=1, model_id=model_id,
                                    model_hash=keccak(b"gas model a" if model_id == 1 else b"gas model b"),
                                    dataset_hash=keccak(dataset), accuracy=accuracy, logits_hash=logits,
                                    key_for_buyer=key_for_buyer)
            send(label, market.functions.submitResult(model_id, accuracy, logits, key_for_buyer, signature), relayer,
                 note=f"accuracy {accuracy}; 125-byte keyForBuyer" + ("; credit from zero" if model_id == 1 else ""))

        next_block_at(w3, deadline + 11)
        send("evaluateOnChain", market.functions.evaluateOnChain(3, model, dataset), relayer,
             note=f"digits-h64.ggm ({len(model):,} B) on test.ggd ({len(dataset):,} B), sold at 9722 bps; "
                  "INFERENCE_EVAL charges 32,986")
        next_block_at(w3, deadline + RESULT_WINDOW + 1)
        send("refund", market.functions.refund(1), provider, note="to an EOA")
        send("withdraw", market.functions.withdraw(), developer, note="to an EOA")
    finally:
        node.stop()

    print("| function | gas used | calldata bytes | calldata gas | execution gas | notes |")
    print("|---|---:|---:|---:|---:|---|")
    for name, used, size, calldata, execution, note in rows:
        print(f"| {name} | {used:,} | {size:,} | {calldata:,} | {execution:,} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
