"""`goldengrain market` end to end (issue 12 §2): the CLI driven as subprocesses against a dev node,
for both sides of a trade, checked from outside with web3.py.

Independent sources of the expected values: keccak256 of the files (eth_utils), the sealed keys
opened and the stored files decrypted by Examples/marketplace/ggcrypto.py (ECIES v1 and GGE1
written from docs/formats.md, not from the Swift code), the enclave's job done here in Python
(score through INFERENCE_EVAL by eth_call, EIP-712 signature by eth-account with the public dev
enclave key), prices from issue 11's formula by hand, balances from receipts.

The node runs with --no-enclave so that this test plays the enclave itself; the last test runs the
whole trade against the node's own in-process SIMULATED worker instead.
"""
import http.server
import json
import pathlib
import subprocess
import sys
import threading
import time

import pytest
from eth_keys import keys
from eth_utils import keccak, to_checksum_address
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess
from marketplace_support import Enclave, artifact, sign_result

sys.path.insert(0, str(ROOT / "Examples" / "marketplace"))
import ggcrypto  # noqa: E402

MARKETPLACE = "0x0000000000000000000000000000000000002000"
INFERENCE_EVAL = "0x0000000000000000000000000000000000001001"
DEV_ENCLAVE = Enclave("GoldenGrain INSECURE simulated dev enclave key v1")
DATASET = ROOT / "Examples" / "digits" / "test.ggd"
MODEL = ROOT / "Examples" / "models" / "digits-h64.ggm"
ETHER = 10**18
# Anvil's dev keys for accounts 1 (provider), 2 (developer), 5 (relayer of results).
PROVIDER_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
DEVELOPER_KEY = "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
RELAYER_KEY = "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"


def address_of(private_key_hex):
    return keys.PrivateKey(bytes.fromhex(private_key_hex)).public_key.to_checksum_address()


def public_key_of(private_key_hex):
    return keys.PrivateKey(bytes.fromhex(private_key_hex)).public_key.to_bytes()


def weak_model() -> bytes:
    """digits-h64.ggm with every weight of its first Dense layer zeroed (docs/formats.md, GGM: the
    layer starts at offset 16 with kind, u32 outputs, u32 inputs, then the weights): still a valid
    model, but its output no longer depends on the input, so it scores far below 80 %."""
    data = bytearray(MODEL.read_bytes())
    assert data[:4] == b"GGM1" and data[16] == 1
    outputs = int.from_bytes(data[17:21], "little")
    inputs = int.from_bytes(data[21:25], "little")
    data[25:25 + outputs * inputs] = bytes(outputs * inputs)
    return bytes(data)


class Store(http.server.ThreadingHTTPServer):
    """A file store that takes PUT and serves GET, as `--store URL` expects."""

    def __init__(self):
        self.files = {}
        self.puts = []
        super().__init__(("127.0.0.1", 0), StoreHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/files"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class StoreHandler(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.files[self.path] = body
        self.server.puts.append(self.path)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        body = self.server.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


@pytest.fixture
def chain(tmp_path):
    process = NodeProcess(tmp_path, arguments=["--dev", "--no-enclave"]).start()
    yield process
    process.stop()


@pytest.fixture
def store():
    server = Store()
    yield server
    server.shutdown()


class CLI:
    def __init__(self, url, tmp_path):
        self.url = url
        self.keys = {}
        for name, key in [("provider", PROVIDER_KEY), ("developer", DEVELOPER_KEY)]:
            path = tmp_path / f"{name}.key"
            path.write_text(key + "\n")
            self.keys[name] = str(path)

    def run(self, *arguments, rpc=True):
        command = [str(BINARY), "market", *arguments] + (["--rpc", self.url] if rpc else [])
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)

    def ok(self, *arguments):
        result = self.run(*arguments)
        assert result.returncode == 0, f"market {' '.join(arguments)} failed:\n{result.stderr}"
        return result

    def json(self, *arguments):
        return json.loads(self.ok(*arguments, "--json").stdout)

    def fails(self, *arguments, rpc=True):
        result = self.run(*arguments, rpc=rpc)
        assert result.returncode == 1, f"market {' '.join(arguments)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        assert result.stdout == ""
        return result.stderr.strip().splitlines()[-1]


def market_contract(w3):
    return w3.eth.contract(address=MARKETPLACE, abi=artifact()["abi"])


def act_as_enclave(w3, market, model_id, relayer):
    """What the enclave does for one model, here in Python: open both keys with the dev enclave key,
    decrypt both files, check both hashes, score through INFERENCE_EVAL, seal K to the buyer, sign."""
    task_id, _, model_hash, _, _ = market.functions.modelInfo(model_id).call()
    _, _, dataset_hash, _, _, _, _, _ = market.functions.taskInfo(task_id).call()
    dataset_uri, sealed_dataset_key, buyer_public_key = market.functions.taskData(task_id).call()
    model_uri, sealed_model_key = market.functions.modelData(model_id).call()
    dataset = ggcrypto.gge_decrypt(ggcrypto.ecies_open(DEV_ENCLAVE.private_key, sealed_dataset_key), fetch(dataset_uri))
    model_key = ggcrypto.ecies_open(DEV_ENCLAVE.private_key, sealed_model_key)
    model = ggcrypto.gge_decrypt(model_key, fetch(model_uri))
    assert keccak(dataset) == dataset_hash and keccak(model) == model_hash
    scored = w3.eth.call({"to": INFERENCE_EVAL, "data": "0x" + (model + dataset).hex()})
    correct, total = int.from_bytes(scored[:32], "big"), int.from_bytes(scored[32:64], "big")
    accuracy, logits_hash = correct * 10_000 // total, scored[64:96]
    key_for_buyer = ggcrypto.ecies_seal(buyer_public_key, model_key)
    signature = sign_result(DEV_ENCLAVE, marketplace=MARKETPLACE, task_id=task_id, model_id=model_id,
                            model_hash=model_hash, dataset_hash=dataset_hash, accuracy=accuracy,
                            logits_hash=logits_hash, key_for_buyer=key_for_buyer)
    call = market.functions.submitResult(model_id, accuracy, logits_hash, key_for_buyer, signature)
    transaction = call.build_transaction({"from": relayer.address, "nonce": w3.eth.get_transaction_count(relayer.address)})
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(relayer.sign_transaction(transaction).raw_transaction))
    assert receipt.status == 1
    return accuracy


def fetch(uri):
    if uri.startswith("file://"):
        return pathlib.Path(uri[len("file://"):]).read_bytes()
    import requests
    reply = requests.get(uri, timeout=10)
    assert reply.status_code == 200
    return reply.content


def test_full_trade_both_sides(chain, store, tmp_path):
    w3 = Web3(HTTPProvider(chain.url))
    market = market_contract(w3)
    cli = CLI(chain.url, tmp_path)
    provider, developer = address_of(PROVIDER_KEY), address_of(DEVELOPER_KEY)
    relayer = w3.eth.account.from_key(RELAYER_KEY)
    store_dir = tmp_path / "store"
    dataset = DATASET.read_bytes()
    model = MODEL.read_bytes()

    # Provider: task create with a directory store.
    balance_before = w3.eth.get_balance(provider)
    created = cli.json("task", "create", "--dataset", str(DATASET), "--min-accuracy", "8000", "--max-price", "0.5",
                       "--budget", "1", "--deadline", "1h", "--key", cli.keys["provider"], "--store", str(store_dir))
    receipt = w3.eth.get_transaction_receipt(created["transaction"])
    assert receipt.status == 1 and created["block"] == receipt.blockNumber and created["gasUsed"] == receipt.gasUsed
    assert created["taskId"] == 1 and created["provider"] == provider
    assert created["enclave"] == DEV_ENCLAVE.address  # the default --enclave
    assert created["datasetHash"] == "0x" + keccak(dataset).hex()
    assert created["budgetWei"] == str(ETHER) and created["maxPricePerModelWei"] == str(ETHER // 2)
    # The deadline is 1 h after the latest block when the command ran (the block before its transaction).
    assert created["deadline"] == w3.eth.get_block(receipt.blockNumber - 1).timestamp + 3600
    assert balance_before - w3.eth.get_balance(provider) == ETHER + receipt.gasUsed * receipt.effectiveGasPrice
    info = market.functions.taskInfo(1).call()
    assert info == [provider, DEV_ENCLAVE.address, keccak(dataset), 8000, ETHER // 2, created["deadline"], ETHER, 0]
    dataset_uri, sealed_dataset_key, buyer_public_key = market.functions.taskData(1).call()
    assert buyer_public_key == public_key_of(PROVIDER_KEY)
    stored = sorted(store_dir.iterdir())
    assert len(stored) == 1 and dataset_uri == stored[0].as_uri() == created["datasetURI"]
    assert stored[0].name == keccak(stored[0].read_bytes()).hex() + ".gge"
    assert ggcrypto.gge_decrypt(ggcrypto.ecies_open(DEV_ENCLAVE.private_key, sealed_dataset_key),
                                stored[0].read_bytes()) == dataset

    # Developer: two models through the HTTP store (PUT URL/<keccak of ciphertext>.gge).
    submitted = cli.json("model", "submit", "--task", "1", "--model", str(MODEL), "--key", cli.keys["developer"],
                         "--store", store.url + "/")
    assert submitted["modelId"] == 1 and submitted["taskId"] == 1 and submitted["developer"] == developer
    assert submitted["modelHash"] == "0x" + keccak(model).hex()
    path = store.puts[-1]
    assert path == "/files/" + keccak(store.files[path]).hex() + ".gge"
    assert submitted["modelURI"] == store.url + path[len("/files"):]
    model_uri, sealed_model_key = market.functions.modelData(1).call()
    assert model_uri == submitted["modelURI"]
    assert ggcrypto.gge_decrypt(ggcrypto.ecies_open(DEV_ENCLAVE.private_key, sealed_model_key), store.files[path]) == model
    weak = tmp_path / "weak.ggm"
    weak.write_bytes(weak_model())
    second = cli.json("model", "submit", "--task", "1", "--model", str(weak), "--key", cli.keys["developer"],
                      "--store", store.url)
    assert second["modelId"] == 2 and second["modelHash"] == "0x" + keccak(weak_model()).hex()
    # The same model twice: the contract's reason, and nothing is uploaded before the revert.
    puts = len(store.puts)
    assert cli.fails("model", "submit", "--task", "1", "--model", str(MODEL), "--key", cli.keys["developer"],
                     "--store", store.url) == "market: submitModel reverted: model already submitted to this task"
    assert len(store.puts) == puts

    # Before scoring: nothing to fetch yet.
    assert cli.fails("model", "fetch", "--model", "1", "--key", cli.keys["provider"], "--out", str(tmp_path / "x.ggm")) == \
        "market: model 1 is not sold (status: submitted): the marketplace released no key for it; only sold models can be fetched"

    # The enclave (this test, with the dev enclave key) scores both.
    accuracy = act_as_enclave(w3, market, 1, relayer)
    weak_accuracy = act_as_enclave(w3, market, 2, relayer)
    assert accuracy == 9722 and weak_accuracy < 8000  # 350/360 correct for digits-h64 (docs/gas.md)
    price = (ETHER // 2) * (accuracy - 8000) // (10_000 - 8000)
    assert price == 430_500_000_000_000_000

    # Buyer: fetch the sold model; byte-identical to the developer's.
    out = tmp_path / "bought.ggm"
    fetched = cli.json("model", "fetch", "--model", "1", "--key", cli.keys["provider"], "--out", str(out))
    assert out.read_bytes() == model
    assert fetched["modelId"] == 1 and fetched["taskId"] == 1 and fetched["bytes"] == len(model)
    assert fetched["accuracyBps"] == accuracy and fetched["priceWei"] == str(price)
    assert fetched["modelHash"] == "0x" + keccak(model).hex() and fetched["source"] == submitted["modelURI"]
    sold_logs = market.events.ModelSold().get_logs(from_block=0)
    assert fetched["saleTransaction"] == "0x" + sold_logs[0].transactionHash.hex()
    text = cli.ok("model", "fetch", "--model", "1", "--key", cli.keys["provider"], "--out", str(tmp_path / "again.ggm")).stdout
    assert "97.22% accuracy for 0.4305 ETH" in text
    assert (tmp_path / "again.ggm").read_bytes() == model
    # The unsold model's key was never released; the developer's key is not the buyer's.
    assert cli.fails("model", "fetch", "--model", "2", "--key", cli.keys["provider"], "--out", str(tmp_path / "y.ggm")) == \
        "market: model 2 is not sold (status: scored, not sold): the marketplace released no key for it; only sold models can be fetched"
    assert cli.fails("model", "fetch", "--model", "1", "--key", cli.keys["developer"], "--out", str(tmp_path / "z.ggm")) == \
        f"market: --key is the key of {developer}, but task 1 sealed its models to the buyer {provider}; expected that account's key"

    # Status: values in JSON, and the tables.
    status = cli.json("status")
    assert status["marketplace"] == MARKETPLACE and status["resultWindow"] == 3600
    assert status["chainTime"] == w3.eth.get_block("latest").timestamp
    [task] = status["tasks"]
    assert task["taskId"] == 1 and task["state"] == "open" and task["provider"] == provider
    assert task["budgetWei"] == str(ETHER) and task["budgetLeftWei"] == str(ETHER - price)
    assert task["paidWei"] == str(price) and task["refundedWei"] == "0" and task["modelCount"] == 2
    assert task["deadline"] == created["deadline"] and task["resultWindowEnd"] == created["deadline"] + 3600
    assert task["datasetURI"] == dataset_uri and task["minAccuracyBps"] == 8000
    assert [(m["modelId"], m["status"], m["statusCode"], m["accuracyBps"], m["priceWei"], m["developer"])
            for m in task["models"]] == [(1, "sold", 2, accuracy, str(price), developer),
                                         (2, "scored, not sold", 3, weak_accuracy, None, developer)]
    assert cli.json("status", "--task", "1")["tasks"] == status["tasks"]
    table = cli.ok("status", "--task", "1").stdout
    assert "| Task | State | Deadline" in table and "| Model | Task | Status           | Accuracy | Price (ETH) |" in table
    assert f"| 1     | 1    | sold             | 97.22%   | 0.4305      | {developer} |" in table
    assert "| 1    | open  |" in table and "| 80.00%       | 0.5             | 1            | 0.5695            | 2      |" in table

    # Refund: refused inside the window with the contract's reason, paid after it.
    assert cli.fails("refund", "--task", "1", "--key", cli.keys["provider"]) == "market: refund reverted: result window still open"
    assert cli.fails("refund", "--task", "1", "--key", cli.keys["developer"]) == "market: refund reverted: only the provider"
    w3.provider.make_request("evm_increaseTime", [2 * 3600 + 1])
    w3.provider.make_request("evm_mine", [])
    before = w3.eth.get_balance(provider)
    refunded = cli.json("refund", "--task", "1", "--key", cli.keys["provider"])
    receipt = w3.eth.get_transaction_receipt(refunded["transaction"])
    assert refunded["amountWei"] == str(ETHER - price) and refunded["taskId"] == 1
    assert w3.eth.get_balance(provider) - before == ETHER - price - receipt.gasUsed * receipt.effectiveGasPrice
    assert cli.fails("refund", "--task", "1", "--key", cli.keys["provider"]) == "market: refund reverted: nothing to refund"
    assert cli.json("status")["tasks"][0]["state"] == "refunded"
    assert cli.json("status")["tasks"][0]["refundedWei"] == str(ETHER - price)

    # Withdraw: the developer's credit, then nothing.
    before = w3.eth.get_balance(developer)
    withdrawn = cli.json("withdraw", "--key", cli.keys["developer"])
    receipt = w3.eth.get_transaction_receipt(withdrawn["transaction"])
    assert withdrawn["amountWei"] == str(price) and withdrawn["account"] == developer
    assert w3.eth.get_balance(developer) - before == price - receipt.gasUsed * receipt.effectiveGasPrice
    assert cli.fails("withdraw", "--key", cli.keys["developer"]) == "market: withdraw reverted: nothing to withdraw"
    assert w3.eth.get_balance(MARKETPLACE) == 0

    # After the deadline: the contract's reason, and the store is left untouched.
    files = sorted(store_dir.iterdir())
    assert cli.fails("model", "submit", "--task", "1", "--model", str(weak), "--key", cli.keys["developer"],
                     "--store", str(store_dir)) == "market: submitModel reverted: task deadline passed"
    assert sorted(store_dir.iterdir()) == files


def test_text_output_names_what_was_done(chain, tmp_path):
    cli = CLI(chain.url, tmp_path)
    result = cli.ok("task", "create", "--dataset", str(DATASET), "--min-accuracy", "9000", "--max-price", "1.25",
                    "--budget", "2.5", "--deadline", "30m", "--key", cli.keys["provider"], "--store", str(tmp_path / "s"))
    lines = result.stdout.splitlines()
    assert lines[0] == f"created task 1 at marketplace {MARKETPLACE}"
    assert "  terms        min accuracy 90.00% (9000 bps), max price 1.25 ETH a model, budget 2.5 ETH" in lines
    assert any(line.startswith("  transaction  0x") and "gas)" in line for line in lines)
    # Progress went to standard error: encryption, storage, the wait for the receipt, the mined block.
    assert "market: encrypted the test set (23412 bytes" in result.stderr
    assert "market: storing the encrypted test set" in result.stderr
    assert "market: sending createTask and waiting for its receipt" in result.stderr
    assert "market: createTask mined in block 1: transaction 0x" in result.stderr
    assert Web3(HTTPProvider(chain.url)).eth.get_balance(MARKETPLACE) == 5 * ETHER // 2


def test_reverts_show_the_contracts_reason(chain, tmp_path):
    cli = CLI(chain.url, tmp_path)
    common = ["--dataset", str(DATASET), "--min-accuracy", "8000", "--deadline", "1h", "--key", cli.keys["provider"],
              "--store", str(tmp_path / "s")]
    assert cli.fails("task", "create", "--max-price", "0.5", "--budget", "0", *common) == \
        "market: createTask reverted: budget must be positive"
    assert cli.fails("task", "create", "--max-price", "0", "--budget", "1", *common) == \
        "market: createTask reverted: max price per model must be positive"
    assert not (tmp_path / "s").exists()  # simulated before anything was stored
    assert cli.fails("withdraw", "--key", cli.keys["developer"]) == "market: withdraw reverted: nothing to withdraw"
    assert cli.fails("refund", "--task", "7", "--key", cli.keys["provider"]) == "market: refund reverted: unknown task"


def test_bad_inputs_are_named(chain, tmp_path):
    cli = CLI(chain.url, tmp_path)
    (tmp_path / "bad.key").write_text("0x1234\n")

    def create(**changes):
        options = {"--dataset": str(DATASET), "--min-accuracy": "8000", "--max-price": "0.5", "--budget": "1",
                   "--deadline": "1h", "--key": cli.keys["provider"], "--store": str(tmp_path / "s")}
        options.update(changes)
        return cli.fails("task", "create", *[item for pair in options.items() for item in pair])

    assert create(**{"--budget": "1.5x"}) == \
        'market: --budget "1.5x": expected a decimal ether amount such as 0.5 or 2 (digits, at most one point, at most 18 decimals)'
    assert create(**{"--max-price": "0.0000000000000000001"}) == \
        'market: --max-price "0.0000000000000000001": 19 decimals, expected at most 18 (1 wei = 0.000000000000000001 ether)'
    assert create(**{"--deadline": "10"}) == \
        'market: --deadline "10": "10" has no unit; expected a duration such as 90s, 30m, 1h, 2d or 1h30m'
    assert create(**{"--deadline": "1w"}) == \
        'market: --deadline "1w": "w" is not a unit (d, h, m, s); expected a duration such as 90s, 30m, 1h, 2d or 1h30m'
    assert create(**{"--min-accuracy": "10001"}) == \
        'market: --min-accuracy "10001": expected basis points, a whole number from 0 to 10000 (9000 = 90%)'
    assert create(**{"--key": str(tmp_path / "missing.key")}) == \
        f"market: --key {tmp_path / 'missing.key'}: cannot read the file; expected a file holding a private key as 64 hex digits"
    assert create(**{"--key": str(tmp_path / "bad.key")}) == \
        f"market: --key {tmp_path / 'bad.key'}: 2 bytes; expected a secp256k1 private key as 64 hex digits (optionally 0x-prefixed)"
    assert create(**{"--dataset": str(MODEL)}).startswith(f"market: --dataset {MODEL}: is not a GGD test set: ")
    assert create(**{"--store": "ftp://example.com/x"}) == \
        'market: --store "ftp://example.com/x": unsupported scheme; expected a directory or an http(s):// URL'
    stranger = "0x000000000000000000000000000000000000dEaD"
    assert create(**{"--enclave": stranger}) == \
        f"market: enclave {stranger} is not registered at the marketplace {MARKETPLACE}; expected a registered enclave's address"
    assert create(**{"--enclave": "0x1234"}) == \
        'market: --enclave: address "0x1234" is 2 bytes, expected 20; expected an address, 0x and 40 hex digits'
    assert cli.fails("model", "submit", "--task", "9", "--model", str(MODEL), "--key", cli.keys["developer"],
                     "--store", str(tmp_path / "s")) == \
        f"market: task 9 does not exist at the marketplace {MARKETPLACE}; expected the id of a created task (market status lists them)"
    assert cli.fails("model", "submit", "--task", "1", "--model", str(DATASET), "--key", cli.keys["developer"],
                     "--store", str(tmp_path / "s")).startswith(f"market: --model {DATASET}: is not a GGM model file: ")
    assert cli.fails("model", "fetch", "--model", "5", "--key", cli.keys["provider"], "--out", str(tmp_path / "m.ggm")) == \
        f"market: model 5 does not exist at the marketplace {MARKETPLACE}; expected the id of a submitted model"
    assert cli.fails("model", "fetch", "--model", "5", "--key", cli.keys["provider"], "--out", str(tmp_path / "no" / "m.ggm")) == \
        f"market: --out {tmp_path / 'no' / 'm.ggm'}: the directory {tmp_path / 'no'} does not exist; expected a file path in an existing directory"
    assert cli.fails("status", "--task", "3") == \
        f"market: task 3 does not exist at the marketplace {MARKETPLACE}; expected the id of a created task (market status lists them)"
    assert cli.fails("status", "--marketplace", "0x00000000000000000000000000000000000020") == \
        'market: --marketplace: address "0x00000000000000000000000000000000000020" is 19 bytes, expected 20; expected an address, 0x and 40 hex digits'
    assert cli.fails("status", "--marketplace", "0x000000000000000000000000000000000000dEaD") == \
        f"market: no contract at 0x000000000000000000000000000000000000dEaD on {chain.url}; expected the marketplace's address (--marketplace)"
    assert cli.fails("withdraw", "--key", cli.keys["developer"], "--marketplace", "0x000000000000000000000000000000000000dEaD") == \
        f"market: no contract at 0x000000000000000000000000000000000000dEaD on {chain.url}; expected the marketplace's address (--marketplace)"
    unreachable = cli.fails("status", "--rpc", "http://127.0.0.1:1", rpc=False)
    assert unreachable.startswith("market: ") and "cannot reach http://127.0.0.1:1" in unreachable
    assert cli.fails("status", "--rpc", "localhost:8545", rpc=False) == \
        'market: --rpc "localhost:8545": expected a JSON-RPC URL such as http://127.0.0.1:8545'
    assert not (tmp_path / "s").exists()


def test_trade_with_the_nodes_enclave_worker(tmp_path):
    """Against `node --dev` with its in-process SIMULATED worker: the worker scores the model as
    INFERENCE_EVAL does, the sale pays the formula's price, and the buyer's model is the developer's."""
    node = NodeProcess(tmp_path).start()
    try:
        w3 = Web3(HTTPProvider(node.url))
        cli = CLI(node.url, tmp_path)
        cli.ok("task", "create", "--dataset", str(DATASET), "--min-accuracy", "9000", "--max-price", "1",
               "--budget", "2", "--deadline", "1h", "--key", cli.keys["provider"], "--store", str(tmp_path / "store"))
        cli.ok("model", "submit", "--task", "1", "--model", str(MODEL), "--key", cli.keys["developer"],
               "--store", str(tmp_path / "store"))
        deadline = time.time() + 120
        while True:
            [model] = cli.json("status", "--task", "1")["tasks"][0]["models"]
            if model["status"] != "submitted" or time.time() > deadline:
                break
            time.sleep(0.5)
        scored = w3.eth.call({"to": INFERENCE_EVAL, "data": "0x" + (MODEL.read_bytes() + DATASET.read_bytes()).hex()})
        accuracy = int.from_bytes(scored[:32], "big") * 10_000 // int.from_bytes(scored[32:64], "big")
        assert model["status"] == "sold" and model["accuracyBps"] == accuracy
        assert model["priceWei"] == str(ETHER * (accuracy - 9000) // 1000)
        out = tmp_path / "bought.ggm"
        cli.ok("model", "fetch", "--model", "1", "--key", cli.keys["provider"], "--out", str(out))
        assert out.read_bytes() == MODEL.read_bytes()
    finally:
        node.stop()
