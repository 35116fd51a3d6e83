#!/usr/bin/env python3
"""Soak under load and kill -9 (issue 14 §4).

Runs `goldengrain node --dev --datadir <tmp>` for a bounded time while client processes send
transfers (legacy, EIP-2930 and EIP-1559, signed with eth-account), call a small hand-assembled
contract that counts its calls and logs each one, query its logs (eth_getLogs, cross-checked against
its storage at the same block) and follow newHeads and logs over a WebSocket subscription. A seeded
chaos loop meanwhile kills the node with SIGKILL at random moments and restarts it on the same datadir
and port. Afterwards the node is killed once more, restarted, and checked:

- every acknowledged transaction is in the canonical chain. "Acknowledged" is a hash that
  eth_sendRawTransaction returned in a 200 response with a `result`. With automine that is a
  promise of durability: `Node.sendRawTransaction` pools the transaction and then runs
  `automine(waiting: true)`, which returns only after the block holding it has been written to the
  store (ChainStore writes the block batch before it moves the head), so the hash comes back only
  after the write. The client also asks for the receipt right after; a null receipt from a live
  node is counted as a violation of that promise. Sends whose reply was lost (a connection error:
  the node was killed meanwhile) are "unknown": they may or may not be in the chain, both are fine;
- the chain is whole (every block's parentHash is its parent's hash) and every head and log
  announced over the WebSocket is the canonical one at its height;
- the state root: an independent replay in Python of every block's transactions from Genesis/dev.json
  (transfers, the contract's creation and calls, with gas computed by hand from the Cancun schedule,
  fees from the header's base fee, tips to the header's coinbase) gives every account's nonce,
  balance, code hash and storage; the Merkle-Patricia root of that state, built with py-trie, must
  equal the head's stateRoot, and every account's eth_getProof must verify against that root and
  give the replayed values. The node's store is read after a kill -9 and restart, so the check is of
  what was on disk;
- RSS stayed bounded: /proc/<pid>/status VmRSS sampled every half second per node incarnation;
  the maximum must stay below --rss-limit-mb, and the trend (MB/min over the longest incarnation) is
  reported;
- no request got an HTTP 5xx (or any other non-200 status, or a JSON-RPC -32603 internal error).
  Connection errors are counted separately, and those outside the kill windows (from the kill to
  two seconds after the restarted node answered) are a violation.

Prints a summary (and writes it as JSON with --report) and exits 1 on any violation.

    nice -n 10 .venv/bin/python Benchmarks/soak/soak.py --minutes 10 --seed 1 --report out/soak.json
"""
import argparse
import atexit
import collections
import json
import multiprocessing
import os
import pathlib
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests
import rlp
from eth_account import Account
from eth_utils import to_checksum_address
from eth_hash.auto import keccak
from trie import HexaryTrie

ROOT = pathlib.Path(__file__).resolve().parents[2]
MNEMONIC = "test test test test test test test test test test test junk"
CHAIN_ID = 31337
EMPTY_ROOT = keccak(rlp.encode(b""))
EMPTY_CODE_HASH = keccak(b"")
TOPIC = keccak(b"GoldenGrain soak: counter incremented")

# The contract: slot 0 += 1, then LOG1(topic, the new value as one word).
#   PUSH1 0 SLOAD PUSH1 1 ADD DUP1 PUSH1 0 SSTORE PUSH1 0 MSTORE PUSH32 topic PUSH1 32 PUSH1 0 LOG1 STOP
RUNTIME = bytes.fromhex("600054600101806000556000527f") + TOPIC + bytes.fromhex("60206000a100")
# Init code: PUSH1 len DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN, then the runtime.
INIT = bytes([0x60, len(RUNTIME), 0x80, 0x60, 11, 0x60, 0, 0x39, 0x60, 0, 0xF3]) + RUNTIME
assert len(INIT) == 11 + len(RUNTIME) == 63


def memory_cost(words):
    return 3 * words + words * words // 512


def calldata_cost(data):
    return sum(4 if byte == 0 else 16 for byte in data)


def call_gas(counter_before):
    """Gas of one call to the contract (Cancun, EIP-2929/2200/3529), computed from the schedule."""
    sstore = 20000 if counter_before == 0 else 5000 - 2100   # original == current; warm after SLOAD
    log1 = 375 + 375 + 8 * 32
    execution = (3 + 2100 + 3 + 3 + 3 + 3 + sstore           # PUSH1 SLOAD(cold) PUSH1 ADD DUP1 PUSH1 SSTORE
                 + 3 + 3 + memory_cost(1)                     # PUSH1 MSTORE (memory to one word)
                 + 3 + 3 + 3 + log1)                          # PUSH32 PUSH1 PUSH1 LOG1
    return 21000 + execution


def deploy_gas():
    words = (len(INIT) + 31) // 32
    intrinsic = 21000 + 32000 + calldata_cost(INIT) + 2 * words  # EIP-3860 init-code words
    copy = 3 + 3 * ((len(RUNTIME) + 31) // 32) + memory_cost((len(RUNTIME) + 31) // 32)
    execution = 3 + 3 + 3 + 3 + copy + 3 + 0                   # PUSH1 DUP1 PUSH1 PUSH1 CODECOPY PUSH1 RETURN
    return intrinsic + execution + 200 * len(RUNTIME)


def created_address(sender, nonce):
    return keccak(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:]


def hex_int(value):
    return int(value, 16)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Unavailable(Exception):
    """The node did not answer (connection refused or reset, timeout): expected while it is killed."""


class RPCFailure(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class Client:
    """JSON-RPC over one keep-alive HTTP session, counting every HTTP status and failure."""

    def __init__(self, url, name):
        self.url, self.name = url, name
        self.session = requests.Session()
        self.statuses = collections.Counter()
        self.connection_errors = []      # [time.time(), method, error text, seconds the request took]
        self.violations = []
        self.rpc_errors = collections.Counter()
        self.requests = 0

    def call(self, method, params, timeout=30):
        self.requests += 1
        started = time.time()
        try:
            reply = self.session.post(self.url, json={"jsonrpc": "2.0", "id": self.requests, "method": method,
                                                      "params": params}, timeout=timeout)
        except requests.RequestException as error:
            self.connection_errors.append([time.time(), method, str(error)[:300], round(time.time() - started, 2)])
            self.session.close()
            self.session = requests.Session()
            raise Unavailable(str(error)) from None
        self.statuses[str(reply.status_code)] += 1
        if reply.status_code != 200:
            self.violations.append(f"{self.name}: {method} got HTTP {reply.status_code}: {reply.text[:200]}")
            raise Unavailable(f"HTTP {reply.status_code}")
        try:
            body = reply.json()
        except ValueError:
            self.violations.append(f"{self.name}: {method} got a body that is not JSON: {reply.text[:200]}")
            raise Unavailable("bad JSON") from None
        if "error" in body:
            code = body["error"].get("code")
            self.rpc_errors[f"{method} {code}"] += 1
            if code == -32603:
                self.violations.append(f"{self.name}: {method} got an internal error: {body['error']}")
            raise RPCFailure(code, body["error"].get("message"))
        return body["result"]

    def summary(self):
        return {"requests": self.requests, "statuses": dict(self.statuses), "connection_errors": self.connection_errors,
                "rpc_errors": dict(self.rpc_errors), "violations": self.violations}


def sign(account, rng, nonce, to, value, data, gas):
    kind = rng.choice((0, 1, 2))
    transaction = {"nonce": nonce, "to": to and to_checksum_address(to), "value": value, "data": data, "gas": gas, "chainId": CHAIN_ID}
    if kind == 2:
        transaction.update(maxFeePerGas=10**10, maxPriorityFeePerGas=rng.choice((0, 10**8, 10**9)))
    else:
        transaction["gasPrice"] = rng.choice((2 * 10**9, 10**10))
        if kind == 1:
            transaction["accessList"] = []
    if to is None:
        del transaction["to"]
    return account.sign_transaction(transaction)


def sender_worker(kind, index, url, deadline, seed, contract, output):
    """Transfers (kind 'transfer') or contract calls (kind 'call') from one dev account, until the deadline."""
    rng = random.Random(f"{seed}-{kind}-{index}")
    Account.enable_unaudited_hdwallet_features()
    account = Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    recipients = ["0x" + random.Random(f"{seed}-recipient-{n}").randbytes(20).hex() for n in range(8)]
    client = Client(url, f"{kind}-{index}")
    acknowledged, unknown, rejected, receipts_seen = [], [], [], 0
    nonce = None
    while time.time() < deadline:
        try:
            if nonce is None:
                nonce = hex_int(client.call("eth_getTransactionCount", [account.address, "pending"]))
            if kind == "transfer":
                signed = sign(account, rng, nonce, rng.choice(recipients), rng.randrange(1, 10**15), b"", 21000)
            else:
                signed = sign(account, rng, nonce, contract, 0, b"", 100000)
            transaction_hash = "0x" + signed.hash.hex().removeprefix("0x")
        except Unavailable:
            time.sleep(0.2)
            continue
        except RPCFailure:
            time.sleep(0.2)
            continue
        try:
            returned = client.call("eth_sendRawTransaction", ["0x" + signed.raw_transaction.hex().removeprefix("0x")])
        except Unavailable:
            unknown.append(transaction_hash)
            nonce = None
            time.sleep(0.2)
            continue
        except RPCFailure as failure:
            rejected.append([transaction_hash, failure.code, failure.message])
            nonce = None
            continue
        if returned != transaction_hash:
            client.violations.append(f"{client.name}: eth_sendRawTransaction returned {returned}, signed {transaction_hash}")
        acknowledged.append(transaction_hash)
        nonce += 1
        try:
            receipt = client.call("eth_getTransactionReceipt", [transaction_hash])
        except (Unavailable, RPCFailure):
            continue
        if receipt is None:
            client.violations.append(f"{client.name}: {transaction_hash} acknowledged but its receipt is null")
            continue
        receipts_seen += 1
        if receipt["status"] != "0x1":
            client.violations.append(f"{client.name}: {transaction_hash} has status {receipt['status']}, expected 0x1")
        if kind == "call" and [log["topics"] for log in receipt["logs"]] != [["0x" + TOPIC.hex()]]:
            client.violations.append(f"{client.name}: {transaction_hash} logged {receipt['logs']}, expected one LOG1")
    result = {"kind": kind, "index": index, "acknowledged": acknowledged, "unknown": unknown, "rejected": rejected,
              "receipts_seen": receipts_seen, **client.summary()}
    pathlib.Path(output).write_text(json.dumps(result))


# The widest block range one eth_getLogs may span (Node.maximumLogRange).
LOG_RANGE = 100_000


def logs_worker(url, deadline, seed, contract, whole_chain, output):
    """eth_getLogs over random ranges; each result is checked against the contract's storage at its end block."""
    rng = random.Random(f"{seed}-logs")
    client = Client(url, "logs")
    queries, logs_seen, full_checks = 0, 0, 0
    topic = "0x" + TOPIC.hex()
    while time.time() < deadline:
        try:
            head = hex_int(client.call("eth_blockNumber", []))
            if rng.random() < whole_chain:
                low, high = max(0, head - LOG_RANGE + 1), head    # the whole chain, or as much as one query may span
            else:
                low = rng.randrange(max(0, head - 300), head + 1)
                high = rng.randrange(low, head + 1)
            logs = client.call("eth_getLogs", [{"fromBlock": hex(low), "toBlock": hex(high), "address": contract,
                                                "topics": [topic]}])
            queries += 1
            logs_seen += len(logs)
            values = [hex_int(log["data"]) for log in logs]
            for log in logs:
                if not low <= hex_int(log["blockNumber"]) <= high or log["address"].lower() != contract.lower() \
                        or log["topics"] != [topic]:
                    client.violations.append(f"logs: {log} does not match the filter {low}..{high}")
            if values != list(range(values[0], values[0] + len(values))) if values else False:
                client.violations.append(f"logs: values {values[:5]}… over {low}..{high} are not consecutive")
            counter = hex_int(client.call("eth_getStorageAt", [contract, "0x0", hex(high)]))
            if values and values[-1] != counter:
                client.violations.append(f"logs: last value {values[-1]} over {low}..{high}, storage at {high} is {counter}")
            if low == 0:
                full_checks += 1
                if len(values) != counter:
                    client.violations.append(f"logs: {len(values)} logs in 0..{high}, storage at {high} counts {counter}")
        except (Unavailable, RPCFailure):
            time.sleep(0.2)
        time.sleep(rng.uniform(0, 0.2))
    pathlib.Path(output).write_text(json.dumps({"kind": "logs", "queries": queries, "logs_seen": logs_seen,
                                                "full_range_checks": full_checks, **client.summary()}))


def subscription_worker(url, deadline, contract, output):
    """newHeads and logs over one WebSocket; reconnects after each kill. Records what was announced."""
    from websockets.sync.client import connect
    heads, logs, sessions, violations, connection_errors = [], [], 0, [], []
    while time.time() < deadline:
        try:
            with connect(url.replace("http", "ws"), open_timeout=5) as socket_:
                socket_.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}))
                socket_.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "eth_subscribe",
                                         "params": ["logs", {"address": contract}]}))
                sessions += 1
                subscriptions, previous = {}, None
                while time.time() < deadline:
                    try:
                        message = json.loads(socket_.recv(timeout=2))
                    except TimeoutError:
                        continue
                    if "id" in message:
                        if "result" not in message:
                            violations.append(f"ws: subscribe failed: {message}")
                        else:
                            subscriptions[message["result"]] = "heads" if message["id"] == 1 else "logs"
                        continue
                    kind = subscriptions.get(message["params"]["subscription"])
                    result = message["params"]["result"]
                    if kind == "heads":
                        number = hex_int(result["number"])
                        if previous is not None and number != previous + 1:
                            violations.append(f"ws: head {number} followed head {previous} on one connection")
                        previous = number
                        heads.append([number, result["hash"]])
                    elif kind == "logs":
                        logs.append([hex_int(result["blockNumber"]), result["blockHash"], result["transactionHash"]])
                    else:
                        violations.append(f"ws: notification for an unknown subscription: {message}")
        except Exception as error:   # the node was killed: ConnectionClosed, refused, reset, open timeout
            connection_errors.append([time.time(), "websocket", f"{type(error).__name__}: {error}"[:300], None])
            time.sleep(0.3)
    pathlib.Path(output).write_text(json.dumps({"kind": "ws", "sessions": sessions, "heads": heads, "logs": logs,
                                                "violations": violations, "connection_errors": connection_errors}))


def guarded(function, output, *arguments):
    """Runs a client; a client that raises writes its traceback, which the checks count as a violation."""
    try:
        function(*arguments, output)
    except Exception:
        import traceback
        pathlib.Path(output).write_text(json.dumps({"kind": "crashed", "output": str(output),
                                                    "traceback": traceback.format_exc()}))


class Node:
    """The node process on a fixed port and datadir; records each incarnation's RSS samples."""

    def __init__(self, binary, datadir, port, log_path, environment=None):
        self.binary, self.datadir, self.port, self.log_path = binary, datadir, port, log_path
        self.environment = {**os.environ, **(environment or {})}
        self.url = f"http://127.0.0.1:{port}"
        self.process = None
        self.incarnations = []       # [{"pid", "started", "ready", "samples": [[t, kB]]}]
        self.lock = threading.Lock()

    def start(self, timeout=120):
        started = time.time()
        with open(self.log_path, "ab") as log:
            process = subprocess.Popen([str(self.binary), "node", "--dev", "--datadir", str(self.datadir),
                                        "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT,
                                       env=self.environment)
        with self.lock:
            self.process = process
            self.incarnations.append({"pid": process.pid, "started": started, "ready": None, "samples": []})
        while time.time() < started + timeout:
            if process.poll() is not None:
                raise RuntimeError(f"node exited with {process.returncode} on start; see {self.log_path}")
            try:
                if requests.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
                                 timeout=1).status_code == 200:
                    self.incarnations[-1]["ready"] = time.time()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"node did not answer within {timeout} s; see {self.log_path}")

    def kill(self):
        with self.lock:
            process = self.process
            self.process = None
        process.send_signal(signal.SIGKILL)
        process.wait()
        return process.returncode

    def stop(self):
        with self.lock:
            process = self.process
            self.process = None
        process.terminate()
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def sample(self):
        with self.lock:
            if self.process is None:
                return
            pid, samples = self.process.pid, self.incarnations[-1]["samples"]
            try:
                status = pathlib.Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return
        # [time, VmRSS kB, RssAnon kB]. VmRSS also counts file pages mapped into the process, LevelDB's
        # memory-mapped tables among them (clean page cache the kernel can drop); RssAnon is the heap
        # and stacks alone.
        fields = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines()
                  if line.startswith(("VmRSS:", "RssAnon:"))}
        if "VmRSS" in fields:
            samples.append([time.time(), fields["VmRSS"], fields.get("RssAnon", 0)])


def slope_mb_per_minute(samples, column=1):
    if len(samples) < 3:
        return 0.0
    xs = [(s[0] - samples[0][0]) / 60 for s in samples]
    ys = [s[column] / 1024 for s in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    variance = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / variance if variance else 0.0


def thinned(incarnation, every=30):
    """[seconds since start, RSS MB, anonymous RSS MB] of one node process, one sample per `every` seconds
    (the RSS curve)."""
    series, next_time = [], 0
    for moment, kb, anon_kb in incarnation["samples"]:
        if moment - incarnation["started"] >= next_time:
            series.append([round(moment - incarnation["started"]), round(kb / 1024, 1), round(anon_kb / 1024, 1)])
            next_time += every
    return series


def batch(url, calls, size=100):
    """JSON-RPC batches (for the checks after the run); returns results in order."""
    results = []
    for start in range(0, len(calls), size):
        chunk = calls[start:start + size]
        reply = requests.post(url, json=[{"jsonrpc": "2.0", "id": n, "method": method, "params": params}
                                         for n, (method, params) in enumerate(chunk)], timeout=120)
        if reply.status_code != 200:
            raise RuntimeError(f"batch got HTTP {reply.status_code}: {reply.text[:200]}")
        by_id = {item["id"]: item for item in reply.json()}
        for n, (method, params) in enumerate(chunk):
            if "result" not in by_id[n]:
                raise RuntimeError(f"{method} {params} failed: {by_id[n]}")
            results.append(by_id[n]["result"])
    return results


class Replay:
    """The expected state: Genesis/dev.json, then every block's transactions with hand-computed gas."""

    def __init__(self, genesis, deployer, deploy_nonce):
        self.accounts = {}
        for address, entry in genesis["alloc"].items():
            storage = {int(key, 16): int(value, 16) for key, value in entry.get("storage", {}).items()}
            code = bytes.fromhex(entry.get("code", "0x")[2:])
            self.accounts[address.lower()] = {"nonce": int(entry.get("nonce", "0x0"), 16),
                                              "balance": int(entry["balance"], 16),
                                              "code": code, "storage": {k: v for k, v in storage.items() if v}}
        self.deployer = deployer.lower()
        self.contract = "0x" + created_address(deployer, deploy_nonce).hex()
        self.errors = []

    def account(self, address):
        return self.accounts.setdefault(address.lower(), {"nonce": 0, "balance": 0, "code": b"", "storage": {}})

    def apply(self, block, transaction, receipt):
        base_fee = hex_int(block["baseFeePerGas"])
        if transaction["type"] == "0x2":
            price = min(hex_int(transaction["maxFeePerGas"]), base_fee + hex_int(transaction["maxPriorityFeePerGas"]))
        else:
            price = hex_int(transaction["gasPrice"])
        to = transaction["to"].lower() if transaction["to"] else None
        value, data = hex_int(transaction["value"]), bytes.fromhex(transaction["input"][2:])
        sender = self.account(transaction["from"])
        where = f"block {hex_int(block['number'])} transaction {transaction['hash']}"
        if hex_int(transaction["nonce"]) != sender["nonce"]:
            self.errors.append(f"{where}: nonce {hex_int(transaction['nonce'])}, replayed sender nonce {sender['nonce']}")
        if to is None:
            if data != INIT or transaction["from"].lower() != self.deployer:
                self.errors.append(f"{where}: a creation the soak did not send")
                return
            gas, success = deploy_gas(), True
        elif to == self.contract:
            if data or value:
                self.errors.append(f"{where}: a contract call with data or value the soak did not send")
                return
            counter = self.account(to)["storage"].get(0, 0)
            gas, success = call_gas(counter), True
        else:
            target = self.accounts.get(to)
            if data or (target and target["code"]):
                self.errors.append(f"{where}: a call to {to} the soak did not send")
                return
            gas, success = 21000, True
        if hex_int(receipt["gasUsed"]) != gas:
            self.errors.append(f"{where}: gasUsed {hex_int(receipt['gasUsed'])}, computed {gas}")
        if (receipt["status"] == "0x1") != success:
            self.errors.append(f"{where}: status {receipt['status']}, expected success")
        sender["nonce"] += 1
        sender["balance"] -= gas * price + value
        if sender["balance"] < 0:
            self.errors.append(f"{where}: the sender's replayed balance went negative")
        self.account(block["miner"])["balance"] += gas * (price - base_fee)
        if to is None:
            created = self.account(self.contract)
            created.update(nonce=1, code=RUNTIME)
            created["balance"] += value
        elif to == self.contract:
            storage = self.account(to)["storage"]
            storage[0] = storage.get(0, 0) + 1
        else:
            self.account(to)["balance"] += value

    def state_root(self):
        state = HexaryTrie({})
        for address, account in self.accounts.items():
            if account["nonce"] == 0 and account["balance"] == 0 and not account["code"] and not account["storage"]:
                continue     # EIP-161: empty accounts do not exist
            state[keccak(bytes.fromhex(address[2:]))] = rlp.encode(
                [account["nonce"], account["balance"], self.storage_root(account), keccak(account["code"])])
        return state.root_hash

    @staticmethod
    def storage_root(account):
        storage = HexaryTrie({})
        for key, value in account["storage"].items():
            storage[keccak(key.to_bytes(32, "big"))] = rlp.encode(value)
        return storage.root_hash


def verify_proofs(url, replay, head):
    """eth_getProof of every replayed account at the head: the proof must walk from the head's stateRoot and
    give the replayed nonce, balance, code hash and storage root; the contract's slot 0 proof too."""
    errors = []
    root = bytes.fromhex(head["stateRoot"][2:])
    for address, account in sorted(replay.accounts.items()):
        slots = [hex(key) for key in sorted(account["storage"])]
        proof = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_getProof",
                                         "params": [address, slots, head["hash"]]}, timeout=60).json()["result"]
        nodes = [rlp.decode(bytes.fromhex(node[2:])) for node in proof["accountProof"]]   # py-trie takes decoded nodes
        try:
            encoded = HexaryTrie.get_from_proof(root, keccak(bytes.fromhex(address[2:])), nodes)
        except Exception as error:
            errors.append(f"{address}: the account proof does not verify against {head['stateRoot']}: {str(error)[:200]}")
            continue
        exists = not (account["nonce"] == 0 and account["balance"] == 0 and not account["code"] and not account["storage"])
        if not exists:
            if encoded != b"":
                errors.append(f"{address}: proven present, the replay has it empty")
            continue
        nonce, balance, storage_root, code_hash = rlp.decode(encoded)
        proven = (int.from_bytes(nonce, "big"), int.from_bytes(balance, "big"), storage_root, code_hash)
        expected = (account["nonce"], account["balance"], Replay.storage_root(account), keccak(account["code"]))
        if proven != expected:
            errors.append(f"{address}: proven (nonce, balance, storageRoot, codeHash) {proven}, replayed {expected}")
        for item in proof["storageProof"]:
            key = int(item["key"], 16)
            try:
                value = HexaryTrie.get_from_proof(storage_root, keccak(key.to_bytes(32, "big")),
                                                  [rlp.decode(bytes.fromhex(node[2:])) for node in item["proof"]])
            except Exception as error:
                errors.append(f"{address} slot {key}: the storage proof does not verify: {str(error)[:200]}")
                continue
            if int.from_bytes(rlp.decode(value) if value else b"", "big") != account["storage"][key]:
                errors.append(f"{address} slot {key}: proven {value.hex()}, replayed {account['storage'][key]}")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--binary", default=os.environ.get("GOLDENGRAIN_BIN", ROOT / ".build" / "release" / "goldengrain"))
    parser.add_argument("--transfer-clients", type=int, default=4, help="dev accounts 1.. send transfers")
    parser.add_argument("--call-clients", type=int, default=3, help="the next dev accounts call the contract")
    parser.add_argument("--kill-after", type=float, nargs=2, default=[5, 90], metavar=("MIN", "MAX"),
                        help="seconds between a node's restart and its next kill -9, uniform in [MIN, MAX]")
    parser.add_argument("--rss-limit-mb", type=float, default=1024)
    parser.add_argument("--report", help="write the summary as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the datadir and the node log")
    parser.add_argument("--whole-chain-logs", type=float, default=0.1, metavar="FRACTION",
                        help="the share of eth_getLogs queries over the whole chain (the others span at most 300 blocks)")
    parser.add_argument("--node-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the node (repeatable), e.g. MALLOC_ARENA_MAX=2, or "
                             "LD_PRELOAD and DUMP_HEAPTRACK_OUTPUT for a heap profile")
    parser.add_argument("--stop-at-end", action="store_true",
                        help="end the loaded node with SIGTERM, not kill -9, before the checks (a profiler "
                             "preloaded into it writes its last records on a clean exit)")
    arguments = parser.parse_args()
    if arguments.transfer_clients + arguments.call_clients > 9:
        parser.error("at most 9 sending clients (dev accounts 1-9)")

    Account.enable_unaudited_hdwallet_features()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="goldengrain-soak-"))
    node_environment = dict(item.split("=", 1) for item in arguments.node_env)
    node = Node(arguments.binary, workdir / "data", free_port(), workdir / "node.log", node_environment)
    atexit.register(lambda: node.process and node.kill())    # no node left running if a check raises
    load_before = os.getloadavg()
    rng = random.Random(arguments.seed)
    violations = []

    node.start()
    deployer = Account.from_mnemonic(MNEMONIC, account_path="m/44'/60'/0'/0/0")
    client = Client(node.url, "main")
    deploy_nonce = hex_int(client.call("eth_getTransactionCount", [deployer.address, "pending"]))
    signed = deployer.sign_transaction({"nonce": deploy_nonce, "data": INIT, "gas": 200000, "chainId": CHAIN_ID,
                                        "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
    deploy_hash = client.call("eth_sendRawTransaction", ["0x" + signed.raw_transaction.hex().removeprefix("0x")])
    contract = "0x" + created_address(deployer.address, deploy_nonce).hex()
    receipt = client.call("eth_getTransactionReceipt", [deploy_hash])
    if receipt is None or receipt["contractAddress"].lower() != contract:
        raise SystemExit(f"the contract's creation gave {receipt}, expected it at {contract}")

    started = time.time()
    deadline = started + arguments.minutes * 60
    context = multiprocessing.get_context("fork")
    workers = []
    for n in range(arguments.transfer_clients + arguments.call_clients):
        kind = "transfer" if n < arguments.transfer_clients else "call"
        workers.append(context.Process(target=guarded, args=(sender_worker, workdir / f"{kind}-{n + 1}.json", kind, n + 1,
                                                             node.url, deadline, arguments.seed, contract)))
    workers.append(context.Process(target=guarded, args=(logs_worker, workdir / "logs.json", node.url, deadline,
                                                         arguments.seed, contract, arguments.whole_chain_logs)))
    workers.append(context.Process(target=guarded, args=(subscription_worker, workdir / "ws.json", node.url, deadline,
                                                         contract)))
    for worker in workers:
        worker.start()

    sampling = threading.Event()

    def sampler():
        while not sampling.is_set():
            node.sample()
            sampling.wait(0.5)

    threading.Thread(target=sampler, daemon=True).start()
    kills, windows = [], []
    while True:
        wait = rng.uniform(*arguments.kill_after)
        if time.time() + wait >= deadline:
            break
        time.sleep(wait)
        killed_at = time.time()
        node.kill()
        time.sleep(rng.uniform(0, 2))
        node.start()
        windows.append([killed_at, node.incarnations[-1]["ready"] + 2])
        kills.append({"at": round(killed_at - started, 1), "restart_s": round(node.incarnations[-1]["ready"] - killed_at, 2)})
    for worker in workers:
        worker.join(timeout=max(0, deadline - time.time()) + 120)
        if worker.is_alive():
            violations.append(f"client process {worker.pid} did not stop; terminated")
            worker.terminate()
    ended = time.time()
    sampling.set()
    load_after = os.getloadavg()

    # A last kill -9 at rest, then the checks read what the restarted node finds on disk.
    if arguments.stop_at_end:
        node.stop()
    else:
        node.kill()
    node.environment = dict(os.environ)    # the checking node runs without a profiler
    node.start()
    results = [json.loads(path.read_text()) for path in sorted(workdir.glob("*.json"))]
    for crashed in [r for r in results if r["kind"] == "crashed"]:
        violations.append(f"client {crashed['output']} raised: {crashed['traceback']}")
    results = [r for r in results if r["kind"] != "crashed"]
    if len(results) != len(workers):
        violations.append(f"{len(workers) - len(results)} clients left no results")
    senders = [r for r in results if r["kind"] in ("transfer", "call")]
    acknowledged = [deploy_hash] + [h for r in senders for h in r["acknowledged"]]
    # A call whose reply was lost is often re-signed identically (same nonce, fee and type) and then
    # acknowledged: it counts as acknowledged only.
    unknown = sorted(set(h for r in senders for h in r["unknown"]) - set(acknowledged))

    head_number = hex_int(requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber",
                                                        "params": []}, timeout=30).json()["result"])
    blocks = batch(node.url, [("eth_getBlockByNumber", [hex(n), True]) for n in range(head_number + 1)], size=50)
    hashes = [t["hash"] for block in blocks for t in block["transactions"]]
    flat = iter(batch(node.url, [("eth_getTransactionReceipt", [h]) for h in hashes], size=200))
    receipts = [[next(flat) for _ in block["transactions"]] for block in blocks]
    genesis = json.loads((ROOT / "Genesis" / "dev.json").read_text())
    replay = Replay(genesis, deployer.address, deploy_nonce)
    location = {}
    for number, (block, block_receipts) in enumerate(zip(blocks, receipts)):
        if number > 0 and block["parentHash"] != blocks[number - 1]["hash"]:
            violations.append(f"block {number}'s parentHash {block['parentHash']} is not block {number - 1}'s hash")
        if [r["transactionHash"] for r in block_receipts] != [t["hash"] for t in block["transactions"]]:
            violations.append(f"block {number}'s receipts do not match its transactions")
            continue
        for transaction, receipt in zip(block["transactions"], block_receipts):
            location[transaction["hash"]] = number
            replay.apply(block, transaction, receipt)
    violations += replay.errors
    missing = [h for h in acknowledged if h not in location]
    violations += [f"acknowledged transaction {h} is not in the chain (head {head_number})" for h in missing]
    unknown_landed = sum(1 for h in unknown if h in location)
    expected_root = "0x" + replay.state_root().hex()
    head = blocks[-1]
    if expected_root != head["stateRoot"]:
        violations.append(f"head {head_number}'s stateRoot {head['stateRoot']}, the replayed state's root {expected_root}")
    violations += verify_proofs(node.url, replay, head)
    counter = replay.accounts[contract]["storage"].get(0, 0)
    all_logs = []
    for low in range(0, head_number + 1, LOG_RANGE):    # the node refuses wider ranges
        answer = requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_getLogs", "params": [
            {"fromBlock": hex(low), "toBlock": hex(min(low + LOG_RANGE - 1, head_number)), "address": contract}]},
            timeout=120).json()
        if "result" not in answer:
            raise SystemExit(f"eth_getLogs from block {low} failed: {answer}")
        all_logs += answer["result"]
    if [hex_int(log["data"]) for log in all_logs] != list(range(1, counter + 1)):
        violations.append(f"eth_getLogs over the chain gave {len(all_logs)} logs, the replay counts {counter} calls")

    ws = next((r for r in results if r["kind"] == "ws"), {"heads": [], "logs": [], "violations": [], "sessions": 0})
    for number, block_hash in ws["heads"]:
        if number > head_number or blocks[number]["hash"] != block_hash:
            violations.append(f"ws announced head {number} {block_hash}, not the canonical block")
    for number, block_hash, transaction_hash in ws["logs"]:
        if location.get(transaction_hash) != number or blocks[number]["hash"] != block_hash:
            violations.append(f"ws announced a log of {transaction_hash} in block {number} {block_hash}, not canonical")
    violations += ws["violations"]

    statuses, rpc_errors = collections.Counter(), collections.Counter()
    connection_errors = outside = 0
    outside_details = []
    for r in results:
        if r["kind"] != "ws":
            statuses.update(r["statuses"])
            rpc_errors.update(r["rpc_errors"])
        violations += r["violations"] if r["kind"] != "ws" else []
        for moment, method, text, took in r["connection_errors"]:
            connection_errors += 1
            if not any(low - 0.5 <= moment <= high for low, high in windows):
                outside += 1
                outside_details.append({"at": round(moment - started, 1), "client": r["kind"], "method": method,
                                        "error": text, "request_seconds": took})
    if outside:
        violations.append(f"{outside} connection errors while the node was up (outside the kill windows)")
    five_hundreds = sum(count for status, count in statuses.items() if status.startswith("5"))

    samples = [s for incarnation in node.incarnations for s in incarnation["samples"]]
    max_rss_mb = max(s[1] for s in samples) / 1024 if samples else 0
    max_anon_mb = max(s[2] for s in samples) / 1024 if samples else 0
    longest = max(node.incarnations, key=lambda i: len(i["samples"]))
    settled = [s for s in longest["samples"] if s[0] >= longest["started"] + 10]
    trend, anon_trend = slope_mb_per_minute(settled), slope_mb_per_minute(settled, column=2)
    if max_rss_mb > arguments.rss_limit_mb:
        violations.append(f"RSS reached {max_rss_mb:.0f} MB, over the {arguments.rss_limit_mb:.0f} MB limit")
    stop_status = node.stop()
    if stop_status != 0:
        violations.append(f"the node exited {stop_status} on SIGTERM after the checks, expected 0")

    elapsed = ended - started
    transfers = sum(len(r["acknowledged"]) for r in senders if r["kind"] == "transfer")
    calls = sum(len(r["acknowledged"]) for r in senders if r["kind"] == "call")
    logs = next((r for r in results if r["kind"] == "logs"), {"queries": 0, "logs_seen": 0, "full_range_checks": 0})
    summary = {
        "seed": arguments.seed, "minutes": round(elapsed / 60, 2), "binary": str(arguments.binary),
        "load_average_before": [round(x, 2) for x in load_before], "load_average_after": [round(x, 2) for x in load_after],
        "kills": len(kills), "restart_seconds_max": max((k["restart_s"] for k in kills), default=0),
        "restart_seconds_mean": round(sum(k["restart_s"] for k in kills) / len(kills), 2) if kills else 0,
        "head": head_number, "transactions_in_chain": len(location),
        "acknowledged": len(acknowledged), "acknowledged_transfers": transfers, "acknowledged_calls": calls,
        "acknowledged_per_second": round((transfers + calls) / elapsed, 1),
        "acknowledged_missing": len(missing), "unknown_outcome": len(unknown), "unknown_landed": unknown_landed,
        "rejected": sum(len(r["rejected"]) for r in senders),
        "receipts_seen_right_after_send": sum(r["receipts_seen"] for r in senders),
        "contract_counter": counter, "state_root": head["stateRoot"], "replayed_root": expected_root,
        "accounts_proven": len(replay.accounts),
        "log_queries": logs["queries"], "logs_seen": logs["logs_seen"], "full_range_log_checks": logs["full_range_checks"],
        "ws_sessions": ws["sessions"], "ws_heads": len(ws["heads"]), "ws_logs": len(ws["logs"]),
        "http_requests": sum(statuses.values()), "http_statuses": dict(statuses), "http_5xx": five_hundreds,
        "rpc_errors": dict(rpc_errors), "connection_errors": connection_errors, "connection_errors_outside_kills": outside,
        "connection_errors_outside_kills_detail": outside_details,
        "rss_max_mb": round(max_rss_mb, 1), "rss_anon_max_mb": round(max_anon_mb, 1), "rss_samples": len(samples),
        "rss_longest_incarnation": {"seconds": round(longest["samples"][-1][0] - longest["started"], 1) if longest["samples"] else 0,
                                    "first_mb": round(longest["samples"][0][1] / 1024, 1) if longest["samples"] else 0,
                                    "last_mb": round(longest["samples"][-1][1] / 1024, 1) if longest["samples"] else 0,
                                    "trend_mb_per_minute": round(trend, 2),
                                    "anon_first_mb": round(longest["samples"][0][2] / 1024, 1) if longest["samples"] else 0,
                                    "anon_last_mb": round(longest["samples"][-1][2] / 1024, 1) if longest["samples"] else 0,
                                    "anon_trend_mb_per_minute": round(anon_trend, 2)},
        "rss_longest_series_mb": thinned(longest),
        "rss_max_per_incarnation_mb": [round(max(s[1] for s in i["samples"]) / 1024, 1) for i in node.incarnations if i["samples"]],
        "kill_schedule": kills,
        "violations": violations,
    }
    text = json.dumps(summary, indent=1)
    print(text)
    if arguments.report:
        pathlib.Path(arguments.report).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(arguments.report).write_text(text + "\n")
    if violations:
        print(f"FAILED: {len(violations)} violations; node log: {node.log_path}", file=sys.stderr)
        sys.exit(1)
    print(f"OK: {len(acknowledged)} acknowledged transactions in the chain through {len(kills)} kill -9s; "
          f"state root {head['stateRoot']} equals the replay's; max RSS {max_rss_mb:.0f} MB "
          f"({max_anon_mb:.0f} MB anonymous); no 5xx", file=sys.stderr)
    if not arguments.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
