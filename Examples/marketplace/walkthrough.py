#!/usr/bin/env python3
"""From task to sold model on a fresh dev chain, in web3.py, with the keys the `make run` banner prints.

    make run                                    # in one terminal: the dev node, marketplace at 0x…2000
    .venv/bin/python Examples/marketplace/walkthrough.py [--rpc http://127.0.0.1:8545] [--act-as-enclave]

The provider (dev account 0) encrypts the digits test split, seals its key to the dev chain's
SIMULATED enclave and escrows 2 ether for models of at least 90 % accuracy, paying up to 1 ether
each. The developer (dev account 1) encrypts the example model under a fresh key K, seals K to the
enclave and submits it. The enclave benchmarks it and signs the EIP-712 result; its transaction
pays the developer and releases K sealed to the provider, who then downloads, decrypts and checks
the model. The developer withdraws the price.

Who plays the enclave: by default the worker that `goldengrain node --dev` runs in process (the
script waits for the result). With --act-as-enclave (for `node --dev --no-enclave`) the script
does the enclave's job itself with the dev enclave key from the banner: it opens both sealed keys,
checks both hashes, scores the model through the INFERENCE_EVAL precompile (the same int8 kernel
the enclave runs), seals K to the buyer, signs and relays the result. The dev enclave key is
public — that is what makes the enclave SIMULATED: never trust it on a real network.
"""
import argparse
import json
import pathlib
import secrets
import sys
import tempfile
import time

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak
from web3 import HTTPProvider, Web3

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ggcrypto  # noqa: E402  (the formats of docs/formats.md in plain Python)

ROOT = pathlib.Path(__file__).resolve().parents[2]
MARKETPLACE = "0x0000000000000000000000000000000000002000"
INFERENCE_EVAL = "0x0000000000000000000000000000000000001001"
# Printed by the `make run` banner: dev accounts 0 and 1 (the test mnemonic), and the SIMULATED dev enclave.
PROVIDER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
DEVELOPER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
DEV_ENCLAVE_KEY = "0x12230159731c3f68c8b7ce2a7de2a56cac38261f55298c8b8661fab3eb7da385"

BENCHMARK_RESULT_TYPES = {
    "BenchmarkResult": [
        {"name": "taskId", "type": "uint256"}, {"name": "modelId", "type": "uint256"},
        {"name": "modelHash", "type": "bytes32"}, {"name": "datasetHash", "type": "bytes32"},
        {"name": "accuracyBps", "type": "uint16"}, {"name": "logitsHash", "type": "bytes32"},
        {"name": "keyForBuyerHash", "type": "bytes32"},
    ]
}


def send(w3, account, call, value=0):
    """Signs and sends a contract call from `account`; returns the receipt (raises on a revert)."""
    transaction = call.build_transaction({"from": account.address, "value": value,
                                          "nonce": w3.eth.get_transaction_count(account.address)})
    signed = account.sign_transaction(transaction)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))
    if receipt.status != 1:
        raise RuntimeError(f"{call.fn_name} failed: {receipt}")
    return receipt


def act_as_enclave(w3, market, model_id, log):
    """What the enclave worker does for one model, with the public dev enclave key."""
    enclave = Account.from_key(DEV_ENCLAVE_KEY)
    task_id, _, model_hash, _, _ = market.functions.modelInfo(model_id).call()
    _, _, dataset_hash, _, _, _, _, _ = market.functions.taskInfo(task_id).call()
    dataset_uri, sealed_dataset_key, buyer_public_key = market.functions.taskData(task_id).call()
    model_uri, sealed_model_key = market.functions.modelData(model_id).call()
    key = bytes.fromhex(DEV_ENCLAVE_KEY[2:])
    dataset = ggcrypto.gge_decrypt(ggcrypto.ecies_open(key, sealed_dataset_key), fetch(dataset_uri))
    model_key = ggcrypto.ecies_open(key, sealed_model_key)
    model = ggcrypto.gge_decrypt(model_key, fetch(model_uri))
    assert keccak(dataset) == dataset_hash and keccak(model) == model_hash, "hash mismatch"
    scored = w3.eth.call({"to": INFERENCE_EVAL, "data": "0x" + (model + dataset).hex()})
    correct, total = int.from_bytes(scored[:32], "big"), int.from_bytes(scored[32:64], "big")
    accuracy, logits_hash = correct * 10_000 // total, scored[64:96]
    key_for_buyer = ggcrypto.ecies_seal(buyer_public_key, model_key)
    message = {"taskId": task_id, "modelId": model_id, "modelHash": model_hash, "datasetHash": dataset_hash,
               "accuracyBps": accuracy, "logitsHash": logits_hash, "keyForBuyerHash": keccak(key_for_buyer)}
    domain = {"name": "GoldenGrain", "version": "1", "chainId": w3.eth.chain_id, "verifyingContract": MARKETPLACE}
    signature = enclave.sign_message(encode_typed_data(domain, BENCHMARK_RESULT_TYPES, message)).signature
    log(f"enclave {enclave.address} (SIMULATED) scored model {model_id}: {correct}/{total} = {accuracy} bps")
    relayer = Account.from_key(PROVIDER_KEY)  # anyone may relay
    return send(w3, relayer, market.functions.submitResult(model_id, accuracy, logits_hash, key_for_buyer, signature))


def fetch(uri: str) -> bytes:
    if not uri.startswith("file://"):
        raise ValueError(f"this walkthrough stores files locally; cannot fetch {uri}")
    return pathlib.Path(uri[len("file://"):]).read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rpc", default="http://127.0.0.1:8545")
    parser.add_argument("--act-as-enclave", action="store_true",
                        help="sign the result here with the dev enclave key (for node --dev --no-enclave)")
    parser.add_argument("--store", help="folder for the encrypted files (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print one JSON summary instead of prose")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the enclave's result")
    args = parser.parse_args()
    log = (lambda _: None) if args.json else print

    w3 = Web3(HTTPProvider(args.rpc))
    artifact = json.loads((ROOT / "Contracts" / "build" / "Marketplace.json").read_text())
    market = w3.eth.contract(address=MARKETPLACE, abi=artifact["abi"])
    provider, developer = Account.from_key(PROVIDER_KEY), Account.from_key(DEVELOPER_KEY)
    store = pathlib.Path(args.store or tempfile.mkdtemp(prefix="goldengrain-walkthrough-"))
    store.mkdir(parents=True, exist_ok=True)

    enclave = Account.from_key(DEV_ENCLAVE_KEY).address
    assert market.functions.isEnclave(enclave).call(), f"{enclave} is not a registered enclave at {MARKETPLACE}"
    enclave_public_key = market.functions.enclavePublicKey(enclave).call()

    # Provider: the hidden test set, encrypted; its key sealed to the enclave; a budget in escrow.
    dataset = (ROOT / "Examples" / "digits" / "test.ggd").read_bytes()
    dataset_key = secrets.token_bytes(32)
    (store / "test.ggd.gge").write_bytes(ggcrypto.gge_encrypt(dataset_key, dataset))
    buyer_private_key = secrets.token_bytes(32)
    deadline = w3.eth.get_block("latest").timestamp + 3600
    receipt = send(w3, provider, market.functions.createTask(
        enclave, keccak(dataset), f"file://{store / 'test.ggd.gge'}", ggcrypto.ecies_seal(enclave_public_key, dataset_key),
        9000, Web3.to_wei(1, "ether"), deadline, ggcrypto.public_key(buyer_private_key)), value=Web3.to_wei(2, "ether"))
    task_id = market.events.TaskCreated().process_receipt(receipt)[0].args.taskId
    log(f"provider {provider.address} created task {task_id}: 2 ETH budget, min 9000 bps, up to 1 ETH a model "
        f"(tx {receipt.transactionHash.hex()}, {receipt.gasUsed} gas)")

    # Developer: the model, encrypted under a fresh K sealed to the enclave.
    model = (ROOT / "Examples" / "models" / "digits-h64.ggm").read_bytes()
    model_key = secrets.token_bytes(32)
    (store / "digits-h64.ggm.gge").write_bytes(ggcrypto.gge_encrypt(model_key, model))
    receipt = send(w3, developer, market.functions.submitModel(
        task_id, keccak(model), f"file://{store / 'digits-h64.ggm.gge'}", ggcrypto.ecies_seal(enclave_public_key, model_key)))
    model_id = market.events.ModelSubmitted().process_receipt(receipt)[0].args.modelId
    log(f"developer {developer.address} submitted model {model_id} (tx {receipt.transactionHash.hex()}, {receipt.gasUsed} gas)")

    # Enclave: benchmark, sign, relay — the node's worker, or this script with the public dev key.
    if args.act_as_enclave:
        act_as_enclave(w3, market, model_id, log)
    else:
        log("waiting for the enclave worker's result …")
        waited = time.time()
        while market.functions.modelStatus(model_id).call() == 1:
            if time.time() - waited > args.timeout:
                raise SystemExit(f"no result for model {model_id} within {args.timeout:.0f} s: is the node's "
                                 "enclave worker running? (node --dev runs one unless --no-enclave; "
                                 "else pass --act-as-enclave)")
            time.sleep(0.2)

    sold = market.events.ModelSold().get_logs(from_block=0, argument_filters={"modelId": model_id})
    if not sold:
        status, accuracy = market.functions.modelStatus(model_id).call(), market.functions.modelAccuracy(model_id).call()
        raise SystemExit(f"model {model_id} was not sold: status {status}, accuracy {accuracy} bps")
    sale = sold[0].args
    log(f"model {model_id} sold at {sale.accuracyBps} bps for {Web3.from_wei(sale.price, 'ether')} ETH")

    # Provider (the buyer): open K, download, decrypt, check the hash.
    key = ggcrypto.ecies_open(buyer_private_key, sale.keyForBuyer)
    fetched = ggcrypto.gge_decrypt(key, fetch(market.functions.modelData(model_id).call()[0]))
    assert keccak(fetched) == keccak(model), "the delivered model's hash differs from the submitted one"
    log(f"provider decrypted the model: {len(fetched)} bytes, keccak {keccak(fetched).hex()} as submitted")

    # Developer: take the price.
    before = w3.eth.get_balance(developer.address)
    receipt = send(w3, developer, market.functions.withdraw())
    gained = w3.eth.get_balance(developer.address) - before + receipt.gasUsed * receipt.effectiveGasPrice
    log(f"developer withdrew {Web3.from_wei(gained, 'ether')} ETH (tx {receipt.transactionHash.hex()})")
    if args.json:
        print(json.dumps({"taskId": task_id, "modelId": model_id, "accuracyBps": sale.accuracyBps,
                          "price": str(sale.price), "withdrawn": str(gained),
                          "budgetLeft": str(market.functions.budgetLeft(task_id).call()),
                          "modelBytes": len(fetched)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
