"""The SIMULATED enclave worker, `goldengrain enclave serve`, end to end (issue 12 §1).

A `node --dev --no-enclave`, a marketplace deployed here from Contracts/build/Marketplace.json,
and the worker as a separate process with a fresh key: it registers itself by quote, then scores
what a provider and a developer driven by web3.py put on chain. The files are encrypted and the
keys sealed with Examples/marketplace/ggcrypto.py, a Python implementation of docs/formats.md
written apart from the Swift code. Expected scores come from outside the worker: the example
model's 9722 bps (350/360) recorded in Examples/models/README.md, and a nearest-centroid model
built and scored here in plain Python (accuracy and logitsHash).

Covered: registration, a sale with the buyer recovering the developer's exact bytes, http:// and
file:// URIs, a corrupt file, an unreachable URI and a wrong hash (each scored 0 with its reason,
the worker living on), kill -9 in the middle of a queue of slow downloads (nothing scored twice,
nothing lost), kill -9 with a result transaction pending (awaited after the restart, not re-sent),
and an expired task (skipped with a log line).
"""
import functools
import http.server
import re
import secrets
import signal
import struct
import subprocess
import sys
import threading
import time

import pytest
import requests
from eth_utils import keccak, to_checksum_address
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess, free_port
from marketplace_support import (DIGITS_MODEL, DIGITS_TEST, RESULT_WINDOW, artifact, deploy_marketplace, expect_success, price,
                                 rpc)

sys.path.insert(0, str(ROOT / "Examples" / "marketplace"))
import ggcrypto  # noqa: E402

ETHER = 10**18
DIGITS_TRAIN = ROOT / "Examples" / "digits" / "train.ggd"
RELAYER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"  # dev account 9, m/44'/60'/0'/0/9 (anvil's list)
BUYER_KEY = keccak(text="test_worker buyer")


# --- Files, independent of the Swift code ---------------------------------------------------------

def read_ggd(data: bytes):
    """docs/formats.md "GGD": magic, u32 N, u32 F, N·F int8 features, N u8 labels."""
    assert data[:4] == b"GGD1"
    count, features = struct.unpack_from("<II", data, 4)
    rows = [struct.unpack_from(f"<{features}b", data, 12 + i * features) for i in range(count)]
    labels = list(data[12 + count * features:])
    assert len(labels) == count
    return rows, labels


def centroid_model(train: bytes) -> bytes:
    """A one-layer GGM: logit_c = Σ m_c[i]·x[i] − ⌊|m_c|²/2⌋, m_c the class mean rounded half up."""
    rows, labels = read_ggd(train)
    inputs, classes = len(rows[0]), 10
    means = []
    for c in range(classes):
        members = [row for row, label in zip(rows, labels) if label == c]
        means.append([int(sum(row[i] for row in members) / len(members) + 0.5) for i in range(inputs)])
    biases = [-(sum(m * m for m in mean) // 2) for mean in means]
    model = b"GGM1" + struct.pack("<III", 1, inputs, 2)
    model += b"\x01" + struct.pack("<II", classes, inputs)
    model += b"".join(struct.pack(f"<{inputs}b", *mean) for mean in means)
    model += struct.pack(f"<{classes}i", *biases) + struct.pack("<iB", 0, 0)  # final Dense: no requantization
    return model + b"\x03"  # Argmax


def score_centroid(model: bytes, test: bytes):
    """(accuracyBps, logitsHash) of a centroid_model file, as INFERENCE_EVAL defines them."""
    inputs, = struct.unpack_from("<I", model, 8)
    classes, _ = struct.unpack_from("<II", model, 17)
    weights = [struct.unpack_from(f"<{inputs}b", model, 25 + c * inputs) for c in range(classes)]
    biases = struct.unpack_from(f"<{classes}i", model, 25 + classes * inputs)
    rows, labels = read_ggd(test)
    correct, logits = 0, b""
    for row, label in zip(rows, labels):
        values = [sum(w * x for w, x in zip(weights[c], row)) + biases[c] for c in range(classes)]
        correct += values.index(max(values)) == label  # argmax: the first largest
        logits += struct.pack(f"<{classes}i", *values)
    return correct * 10_000 // len(rows), keccak(logits)


def variant(model: bytes, k: int) -> bytes:
    """The example model with its first final-layer bias raised by k: another valid GGM, another hash."""
    inputs, = struct.unpack_from("<I", model, 8)
    hidden, first_inputs = struct.unpack_from("<II", model, 17)
    assert first_inputs == inputs
    second = 16 + 9 + hidden * inputs + 4 * hidden + 5 + 1  # after Dense 1 and ReLU
    classes, second_inputs = struct.unpack_from("<II", model, second + 1)
    assert second_inputs == hidden
    bias_at = second + 9 + classes * hidden
    bias, = struct.unpack_from("<i", model, bias_at)
    return model[:bias_at] + struct.pack("<i", bias + k) + model[bias_at + 4:]


# --- Processes ------------------------------------------------------------------------------------

class SlowFileServer:
    """Serves a directory over HTTP; paths listed in `delays` answer only after that many seconds."""

    def __init__(self, directory):
        self.delays = {}
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                time.sleep(outer.delays.get(self.path, 0))
                super().do_GET()

            def log_message(self, *arguments):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port),
                                                      functools.partial(Handler, directory=str(directory)))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class HTTPOnlyProxy:
    """Forwards JSON-RPC POSTs to the node and refuses WebSocket upgrades, like an HTTP-only endpoint."""

    def __init__(self, target):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                reply = requests.post(target, data=body, headers={"Content-Type": "application/json"}, timeout=30)
                self.send_response(reply.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            def do_GET(self):
                self.send_error(400, "this endpoint speaks HTTP JSON-RPC only")

            def log_message(self, *arguments):
                pass

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Worker:
    """`goldengrain enclave serve` as a process; its log is one file across restarts."""

    def __init__(self, url, marketplace, datadir, log_path):
        self.url, self.marketplace, self.datadir, self.log_path = url, marketplace, datadir, log_path
        self.process = None

    def start(self, *extra):
        self.offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(BINARY), "enclave", "serve", "--rpc", self.url, "--marketplace", self.marketplace,
             "--datadir", str(self.datadir), *extra], cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def text(self, since_start=True):
        data = self.log_path.read_bytes()
        return data[self.offset if since_start else 0:].decode()

    def wait_for(self, pattern, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            match = re.search(pattern, self.text())
            if match:
                return match
            assert self.process.poll() is None, f"worker exited with {self.process.returncode}:\n{self.text()}"
            time.sleep(0.05)
        raise AssertionError(f"no log line matching {pattern!r} within {timeout} s:\n{self.text()}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process:
            self.log.close()

    @property
    def alive(self):
        return self.process.poll() is None


class Market:
    """The deployed marketplace with a provider (account 1), a developer (account 2) and the worker."""

    def __init__(self, tmp, accounts):
        self.node = NodeProcess(tmp, arguments=["--dev", "--no-enclave"]).start()
        self.w3 = Web3(HTTPProvider(self.node.url))
        self.contract, _ = deploy_marketplace(self.w3, accounts[0].address)
        self.provider, self.developer = accounts[1].address, accounts[2].address
        self.store = tmp / "store"
        self.store.mkdir()
        self.files = SlowFileServer(self.store)
        self.worker = Worker(self.node.url, self.contract.address, tmp / "enclave", tmp / "worker.log")
        self.buyer_public_key = ggcrypto.public_key(BUYER_KEY)
        self.test_set = DIGITS_TEST.read_bytes()
        self.names = 0

    def close(self):
        self.worker.stop()
        self.files.stop()
        self.node.stop()

    @property
    def functions(self):
        return self.contract.functions

    def enclave_address(self):
        text = (self.worker.datadir / "enclave-key.SIMULATED.hex").read_text()
        return to_checksum_address(re.search(r"# address (0x[0-9a-fA-F]{40})", text).group(1))

    def put(self, plaintext: bytes, over="file", delay=0):
        """Encrypts under a fresh key into the store (served `delay` seconds late over HTTP);
        returns (uri, key, path)."""
        self.names += 1
        key = secrets.token_bytes(32)
        path = self.store / f"file-{self.names}.gge"
        self.files.delays[f"/{path.name}"] = delay
        path.write_bytes(ggcrypto.gge_encrypt(key, plaintext))
        uri = f"file://{path}" if over == "file" else f"http://127.0.0.1:{self.files.port}/{path.name}"
        return uri, key, path

    def seal(self, key: bytes) -> bytes:
        enclave_public_key = self.functions.enclavePublicKey(self.enclave_address()).call()
        return ggcrypto.ecies_seal(enclave_public_key, key)

    def now(self):
        return self.w3.eth.get_block("latest").timestamp

    def create_task(self, minimum=9000, max_price=ETHER, budget=2 * ETHER, deadline_in=3600):
        uri, key, _ = self.put(self.test_set)
        receipt = expect_success(self.w3, self.functions.createTask(
            self.enclave_address(), keccak(self.test_set), uri, self.seal(key), minimum, max_price,
            self.now() + deadline_in, self.buyer_public_key), self.provider, value=budget)
        return self.contract.events.TaskCreated().process_receipt(receipt)[0].args.taskId

    def submit(self, task_id, model: bytes, over="file", model_hash=None, uri=None, damage=None, delay=0):
        """Submits a model (its encrypted file first damaged at byte `damage`, if given); returns
        (model id, its key, its encrypted file's path)."""
        stored_uri, key, path = self.put(model, over, delay)
        if damage is not None:
            data = bytearray(path.read_bytes())
            data[damage] ^= 0x40
            path.write_bytes(bytes(data))
        receipt = expect_success(self.w3, self.functions.submitModel(
            task_id, model_hash or keccak(model), uri or stored_uri, self.seal(key)), self.developer)
        return self.contract.events.ModelSubmitted().process_receipt(receipt)[0].args.modelId, key, path

    def status(self, model_id):
        return self.functions.modelStatus(model_id).call()

    def wait_settled(self, model_ids, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if all(self.status(model) in (2, 3) for model in model_ids):
                return
            time.sleep(0.1)
        raise AssertionError(f"models {model_ids} still unscored after {timeout} s:\n{self.worker.text(False)}")

    def settlements(self):
        """model id → list of (event name, args) over the whole chain: each model must appear once."""
        found = {}
        for event in (self.contract.events.ModelSold, self.contract.events.ModelScored):
            for log in event().get_logs(from_block=0):
                found.setdefault(log.args.modelId, []).append((log.event, log.args))
        return found

    def submitted_logits_hash(self, model_id):
        """The logitsHash argument of the submitResult transaction that settled a model."""
        for event in (self.contract.events.ModelSold, self.contract.events.ModelScored):
            for log in event().get_logs(from_block=0, argument_filters={"modelId": model_id}):
                transaction = self.w3.eth.get_transaction(log.transactionHash)
                function, arguments = self.contract.decode_function_input(transaction.input)
                assert function.fn_name == "submitResult" and transaction["from"] == RELAYER
                return arguments["logitsHash"]
        raise AssertionError(f"model {model_id} was not settled")


@pytest.fixture(scope="module")
def market(tmp_path_factory, accounts):
    market = Market(tmp_path_factory.mktemp("worker"), accounts)
    market.worker.start()
    try:
        deadline = time.time() + 30
        while not ((market.worker.datadir / "enclave-key.SIMULATED.hex").exists()
                   and market.functions.isEnclave(market.enclave_address()).call()):
            assert time.time() < deadline, f"the worker did not register within 30 s:\n{market.worker.text(False)}"
            assert market.worker.alive, market.worker.text(False)
            time.sleep(0.1)
        yield market
    finally:
        market.close()


def ensure_running(market, *extra):
    if not market.worker.alive:
        market.worker.start(*extra)


# --- Tests ----------------------------------------------------------------------------------------

def test_worker_registers_its_simulated_key_by_quote(market):
    address = market.enclave_address()
    key_file = (market.worker.datadir / "enclave-key.SIMULATED.hex").read_text()
    assert key_file.startswith("# SIMULATED enclave key — INSECURE")
    private_key = bytes.fromhex([line for line in key_file.splitlines() if not line.startswith("#")][0].strip().removeprefix("0x"))
    assert market.functions.enclavePublicKey(address).call() == ggcrypto.public_key(private_key)
    registered = market.contract.events.EnclaveRegistered().get_logs(from_block=0)
    assert [log.args.enclave for log in registered] == [address]
    assert market.w3.eth.get_transaction(registered[0].transactionHash)["from"] == RELAYER
    log = market.worker.text(False)
    assert "registering with a" in log and f"registered enclave {address}" in log
    assert "over WebSocket eth_subscribe" in log
    assert "[enclave SIMULATED]" in log


def test_full_trade_sells_and_the_buyer_gets_the_developers_bytes(market, accounts):
    model = DIGITS_MODEL.read_bytes()
    centroid = centroid_model(DIGITS_TRAIN.read_bytes())
    centroid_bps, centroid_logits = score_centroid(centroid, market.test_set)
    task = market.create_task(minimum=9000, max_price=ETHER, budget=2 * ETHER)
    sold_id, model_key, _ = market.submit(task, model)
    centroid_id, _, _ = market.submit(task, centroid, over="http")
    market.wait_settled([sold_id, centroid_id])

    settled = market.settlements()
    # Examples/models/README.md: 350/360 = 9722 bps; price ⌊10^18 × (9722 − 9000) / 1000⌋ = 0.722 ether.
    [(name, sale)] = settled[sold_id]
    assert name == "ModelSold" and sale.accuracyBps == 9722 and sale.price == 722 * 10**15
    assert sale.developer == market.developer
    # The buyer opens keyForBuyer, fetches the developer's file and gets the exact model bytes.
    assert ggcrypto.ecies_open(BUYER_KEY, sale.keyForBuyer) == model_key
    uri = market.functions.modelData(sold_id).call()[0]
    fetched = ggcrypto.gge_decrypt(ggcrypto.ecies_open(BUYER_KEY, sale.keyForBuyer), open(uri[len("file://"):], "rb").read())
    assert fetched == model and keccak(fetched) == market.functions.modelInfo(sold_id).call()[2]

    # The centroid model, fetched over http://, scored as computed here in Python.
    [(name, outcome)] = settled[centroid_id]
    assert outcome.accuracyBps == centroid_bps
    expected_price = price(ETHER, 9000, centroid_bps)
    assert name == ("ModelSold" if 0 < expected_price <= 2 * ETHER - 722 * 10**15 else "ModelScored")
    assert market.submitted_logits_hash(centroid_id) == centroid_logits
    # The example model's logits hash, as Examples/models/README.md records it.
    assert market.submitted_logits_hash(sold_id).hex() == "1a865d0d82c3ee4a345a338667efe661664304f7aacdcb975e6c57512ac8b9c9"
    assert re.search(rf"model {sold_id}: scored 9722 bps \(350/360\)", market.worker.text(False))
    assert re.search(rf"model {sold_id} \(task {task}\): sold at 9722 bps for 722000000000000000 wei", market.worker.text(False))


def test_bad_models_score_zero_and_the_worker_lives_on(market):
    model = DIGITS_MODEL.read_bytes()
    task = market.create_task(minimum=0, max_price=ETHER, budget=ETHER)
    # A corrupt file: one ciphertext byte flipped after encryption (a valid model inside).
    corrupt_id, _, _ = market.submit(task, variant(model, 11), damage=100)
    # A URI that answers 404, and a file whose hash is not the one on chain.
    missing_id, _, _ = market.submit(task, variant(model, 12), uri=f"http://127.0.0.1:{market.files.port}/no-such-file.gge")
    wrong_id, _, _ = market.submit(task, model, model_hash=keccak(b"some other model"))
    good_id, _, _ = market.submit(task, model)
    market.wait_settled([corrupt_id, missing_id, wrong_id, good_id])

    settled = market.settlements()
    for bad in (corrupt_id, missing_id, wrong_id):
        # min 0 and accuracy 0: price 0, so scored and not sold, no key released.
        assert [(name, args.accuracyBps) for name, args in settled[bad]] == [("ModelScored", 0)]
        assert market.functions.modelAccuracy(bad).call() == 0
        assert market.submitted_logits_hash(bad) == bytes(32)
    assert [(name, args.accuracyBps) for name, args in settled[good_id]] == [("ModelSold", 9722)]
    log = market.worker.text(False)
    assert f"model {corrupt_id}: scored 0 bps: model does not decrypt: encrypted model failed authentication" in log
    assert re.search(rf"model {missing_id}: scored 0 bps: model not fetched: cannot fetch http://\S+/no-such-file.gge: "
                     r"HTTP status 404, expected 200", log)
    assert re.search(rf"model {wrong_id}: scored 0 bps: model hash mismatch: keccak-256 of the decrypted file is "
                     rf"0x{keccak(model).hex()}, the chain says 0x{keccak(b'some other model').hex()}", log)
    assert market.worker.alive


def test_kill_9_in_the_middle_of_the_queue_scores_nothing_twice_and_loses_nothing(market):
    ensure_running(market)
    model = DIGITS_MODEL.read_bytes()
    task = market.create_task(minimum=9000, max_price=ETHER // 10, budget=ETHER)
    ids = []
    for k in range(1, 4):
        model_id, _, _ = market.submit(task, variant(model, k), over="http", delay=1.5)
        ids.append(model_id)
    # The first result is relayed; the second download is under way when the worker dies.
    market.worker.wait_for(rf"model {ids[0]}: result tx 0x[0-9a-f]{{64}} sent")
    market.worker.wait_for(rf"model {ids[1]} \(task {task}\) seen")
    market.worker.kill()
    assert market.status(ids[1]) == 1 and market.status(ids[2]) == 1

    market.worker.start("--poll-logs")  # the second run follows by eth_getLogs polling
    market.worker.wait_for("following logs by polling")
    market.wait_settled(ids)
    settled = market.settlements()
    for model_id in ids:
        assert len(settled[model_id]) == 1, settled[model_id]
    restarted = market.worker.text()
    assert re.search(rf"model {ids[0]} \(task {task}\): already settled on chain \((sold|scored, not sold)\)", restarted)
    assert not re.search(rf"model {ids[0]}: (scored|result tx)", restarted)
    for model_id in ids[1:]:
        assert len(re.findall(rf"model {model_id}: result tx", restarted)) == 1
    market.worker.stop()


def test_a_pending_result_is_awaited_after_a_restart_not_sent_again(market):
    market.worker.stop()
    task = market.create_task(minimum=9000, max_price=ETHER // 10, budget=ETHER)
    model_id, _, _ = market.submit(task, variant(DIGITS_MODEL.read_bytes(), 7))
    nonce_before = market.w3.eth.get_transaction_count(RELAYER)
    rpc(market.w3, "evm_setAutomine", [False])
    try:
        market.worker.start()
        sent = market.worker.wait_for(rf"model {model_id}: result tx (0x[0-9a-f]{{64}}) sent").group(1)
        market.worker.kill()
        assert market.status(model_id) == 1
        market.worker.start()
        market.worker.wait_for(rf"model {model_id}: result tx {sent} from before the restart is pending; awaiting it, not re-sending")
    finally:
        rpc(market.w3, "evm_setAutomine", [True])  # mines what is pending
    market.wait_settled([model_id])
    assert len(market.settlements()[model_id]) == 1
    assert market.w3.eth.get_transaction_receipt(sent).status == 1
    assert market.w3.eth.get_transaction_count(RELAYER) == nonce_before + 1
    market.worker.wait_for(rf"model {model_id} \(task {task}\): (sold|scored)")


def test_without_websocket_the_worker_falls_back_to_log_polling(market):
    market.worker.stop()
    proxy = HTTPOnlyProxy(market.node.url)
    try:
        market.worker.url = proxy.url
        market.worker.start()
        market.worker.wait_for(rf"WebSocket eth_subscribe unavailable at ws://127.0.0.1:{proxy.port} \(.*\); "
                               r"falling back to log polling \(eth_getLogs every 250 ms\)")
        task = market.create_task(minimum=9000, max_price=ETHER // 10, budget=ETHER)
        model_id, _, _ = market.submit(task, variant(DIGITS_MODEL.read_bytes(), 21))
        market.wait_settled([model_id])
        assert len(market.settlements()[model_id]) == 1
        market.worker.wait_for(rf"model {model_id} \(task {task}\): (sold|scored)")
    finally:
        market.worker.stop()
        market.worker.url = market.node.url
        proxy.stop()


def test_an_expired_task_is_skipped_with_a_log_line(market):
    market.worker.stop()
    task = market.create_task(minimum=9000, max_price=ETHER, budget=ETHER, deadline_in=60)
    model_id, _, _ = market.submit(task, DIGITS_MODEL.read_bytes())
    deadline = market.functions.taskInfo(task).call()[5]
    rpc(market.w3, "evm_setNextBlockTimestamp", [deadline + RESULT_WINDOW + 1])  # the first second submitResult refuses
    rpc(market.w3, "evm_mine")
    market.worker.start()
    market.worker.wait_for(rf"model {model_id} \(task {task}\): result window closed at {deadline + RESULT_WINDOW} "
                           rf"\(deadline {deadline} \+ {RESULT_WINDOW} s; chain time {deadline + RESULT_WINDOW + 1}\), skipped")
    time.sleep(0.5)
    assert market.status(model_id) == 1
    assert model_id not in market.settlements()
    assert market.worker.alive


def test_node_dev_runs_the_dev_enclaves_worker_with_its_journal_in_the_datadir(tmp_path, accounts):
    """`node --dev --datadir D` scores for the pre-registered SIMULATED dev enclave at 0x…2000."""
    node = NodeProcess(tmp_path, datadir=tmp_path / "data").start()
    try:
        w3 = Web3(HTTPProvider(node.url))
        market = w3.eth.contract(address="0x0000000000000000000000000000000000002000",
                                 abi=artifact()["abi"])
        # docs/formats.md: the dev enclave key is keccak256 of this public label.
        dev_key = keccak(text="GoldenGrain INSECURE simulated dev enclave key v1")
        dev_public = ggcrypto.public_key(dev_key)
        dev_enclave = to_checksum_address(keccak(dev_public)[12:])
        assert market.functions.isEnclave(dev_enclave).call()
        test_set, model = DIGITS_TEST.read_bytes(), DIGITS_MODEL.read_bytes()
        files = []
        for name, plaintext in (("test.gge", test_set), ("model.gge", model)):
            key = secrets.token_bytes(32)
            (tmp_path / name).write_bytes(ggcrypto.gge_encrypt(key, plaintext))
            files.append((f"file://{tmp_path / name}", ggcrypto.ecies_seal(dev_public, key)))
        now = w3.eth.get_block("latest").timestamp
        expect_success(w3, market.functions.createTask(dev_enclave, keccak(test_set), files[0][0], files[0][1], 9000, ETHER,
                                                       now + 3600, ggcrypto.public_key(BUYER_KEY)),
                       accounts[1].address, value=ETHER)
        expect_success(w3, market.functions.submitModel(1, keccak(model), files[1][0], files[1][1]), accounts[2].address)
        deadline = time.time() + 20
        while market.functions.modelStatus(1).call() == 1:
            assert time.time() < deadline, node.log_path.read_text()
            time.sleep(0.1)
        assert market.functions.modelStatus(1).call() == 2 and market.functions.modelAccuracy(1).call() == 9722
        journal = (tmp_path / "data" / "enclave" / "journal.jsonl").read_text().splitlines()
        assert len(journal) == 1 and '"model":"1"' in journal[0]
        log = node.log_path.read_text()
        assert f"[enclave SIMULATED] enclave {dev_enclave} is registered at 0x0000000000000000000000000000000000002000" in log
        assert "model 1 (task 1): sold at 9722 bps for 722000000000000000 wei" in log
    finally:
        node.stop()
