"""JSON-RPC against the Ethereum execution-apis specification (issue 14 §3).

The specification is read in place from ../shared/fixtures/execution-apis (OpenRPC method files
under src/eth, src/debug and src/txpool; JSON Schemas under src/schemas, which the methods name as
`#/components/schemas/<Name>`). Nothing of it is copied here: every schema is assembled from those
files into one document with the components beside it, so that `jsonschema` resolves the `$ref`s.

1. A dev node gets a chain with every transaction type (legacy, EIP-2930, EIP-1559), contract
   creations (one of each type; one of them fails), a revert, logs, a transaction the node signs
   (eth_sendTransaction) and an empty block, then a pending and a queued transaction. Every eth_,
   debug_ and txpool_ method the node serves is called over it, and each `result` is validated
   against the method's result schema; values are also checked against an independent source
   (eth-account signatures and hashes, RLP and keccak over the raw encodings, EIP-1559's base-fee
   rule, hand-assembled bytecode, and the empty-trie constants).
2. The methods the node serves (its handlers' registrations, confirmed over RPC) are compared with
   the specification's, and docs/rpc.md must list both differences and every deliberate deviation;
   a deviating result must be one the doc lists, and a listed one must still deviate.
3. Hypothesis sends malformed requests (wrong types, missing and extra parameters, huge numbers, bad
   hex, deep nesting, huge batches, non-UTF-8 bodies, wrong content types, non-requests, unknown
   methods); each gets the JSON-RPC error code geth gives it, never an HTTP 5xx or a hang, and the
   node answers afterwards.
"""
import copy
import json
import re
import string
from dataclasses import dataclass, field
from typing import Callable, Optional

import jsonschema
import pytest
import requests
import rlp
import yaml
from Crypto.Hash import keccak
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import to_checksum_address
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, NodeProcess

SPEC = ROOT.parent / "shared" / "fixtures" / "execution-apis" / "src"
RPC_DOC = ROOT / "docs" / "rpc.md"
HANDLER_SOURCES = ROOT / "Sources" / "RPC"
NAMESPACES = ("eth_", "debug_", "txpool_")
CHAIN_ID = 31337
GWEI = 10**9
DEV_BALANCE = 10_000 * 10**18  # Genesis/dev.json gives each of the ten dev accounts 10,000 ether
ZERO_HASH = "0x" + "00" * 32
SESSION = requests.Session()


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


EMPTY_TRIE_ROOT = "0x" + keccak256(rlp.encode(b"")).hex()  # the root of an empty trie (Yellow Paper, appendix D)
EMPTY_UNCLES_HASH = "0x" + keccak256(rlp.encode([])).hex()


def hex_int(value: str) -> int:
    return int(value, 16)


# ---------------------------------------------------------------------------------------------
# The specification


def load_spec():
    """(methods by name, component schemas by name) from the OpenRPC sources."""
    schemas = {}
    for path in sorted((SPEC / "schemas").glob("*.yaml")):
        for name, schema in yaml.safe_load(path.read_text()).items():
            assert name not in schemas, f"schema {name} defined twice (second time in {path})"
            schemas[name] = schema
    methods = {}
    for folder in ("eth", "debug", "txpool"):
        for path in sorted((SPEC / folder).glob("*.yaml")):
            for method in yaml.safe_load(path.read_text()):
                assert method["name"] not in methods, f"method {method['name']} defined twice"
                methods[method["name"]] = method
    assert methods and schemas, f"no specification under {SPEC}"
    return methods, schemas


SPEC_METHODS, SPEC_SCHEMAS = load_spec()


def validator(schema):
    """A validator for `schema` whose `#/components/schemas/…` references resolve to the spec's."""
    document = dict(schema)
    document["components"] = {"schemas": SPEC_SCHEMAS}
    return jsonschema.Draft7Validator(document)


def component(name):
    return {"$ref": f"#/components/schemas/{name}"}


def schema_errors(schema, value):
    """Every way `value` fails `schema`, each with its path, or [] if it fits."""
    return [f"{'/'.join(map(str, error.absolute_path)) or '(result)'}: {error.message}"
            for error in validator(schema).iter_errors(value)]


def result_schema(method):
    return SPEC_METHODS[method]["result"]["schema"]


# Methods the node serves that the specification does not define, checked against the
# specification's own component schemas where geth's result has that shape.
EXTRA_RESULT_SCHEMAS = {
    "eth_hashrate": component("uint"),
    "eth_mining": {"type": "boolean"},
    # geth: zero uncles for a known block (none on Clique), null for an unknown one.
    "eth_getUncleCountByBlockNumber": {"oneOf": [component("notFound"), component("uint")]},
    "eth_getUncleCountByBlockHash": {"oneOf": [component("notFound"), component("uint")]},
    # geth's debug_traceCall returns what debug_traceTransaction returns for the same tracer.
    "debug_traceCall": component("OpcodeTransactionTrace"),
    # geth's txpool_inspect: txpool_content's shape with each transaction summarised as a string.
    "txpool_inspect": {
        "type": "object", "required": ["pending", "queued"], "additionalProperties": False,
        "properties": {kind: {"type": "object",
                              "propertyNames": component("address"),
                              "additionalProperties": {"type": "object",
                                                       "propertyNames": component("uintDecimal"),
                                                       "additionalProperties": {"type": "string"}}}
                       for kind in ("pending", "queued")}},
    # Subscription ids are geth's rpc.ID, the same hex quantity as filter ids.
    "eth_subscribe": component("uint"),
    "eth_unsubscribe": {"type": "boolean"},
}


def header_schema():
    """geth's header JSON (RPCMarshalHeader): the specification's Block without the body members, or null."""
    block = copy.deepcopy(SPEC_SCHEMAS["Block"])
    body = ("size", "transactions", "uncles", "withdrawals")
    block["required"] = [name for name in block["required"] if name not in body]
    block["properties"] = {name: schema for name, schema in block["properties"].items() if name not in body}
    return {"oneOf": [component("notFound"), block]}


EXTRA_RESULT_SCHEMAS["eth_getHeaderByNumber"] = header_schema()
EXTRA_RESULT_SCHEMAS["eth_getHeaderByHash"] = header_schema()


def method_schema(method):
    return result_schema(method) if method in SPEC_METHODS else EXTRA_RESULT_SCHEMAS[method]


# ---------------------------------------------------------------------------------------------
# What the node serves


def registered_methods():
    """Every method name the RPC handlers register: `register("name")`, and the names of a
    `for name in ["a", "b"]` loop around `register(name)`."""
    names = set()
    for path in sorted(HANDLER_SOURCES.rglob("*.swift")):
        text = path.read_text()
        names.update(re.findall(r'\bregister\("([A-Za-z0-9_]+)"', text))
        for loop in re.finditer(r"for name in \[([^\]]*)\]\s*\{[^}]*?register\(name\)", text):
            names.update(re.findall(r'"([A-Za-z0-9_]+)"', loop.group(1)))
    return names


REGISTERED = registered_methods()
SERVED = sorted(name for name in REGISTERED if name.startswith(NAMESPACES))


def doc_section():
    """The text of docs/rpc.md's specification section."""
    text = RPC_DOC.read_text()
    start = text.index("## Checked against the specification")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def doc_list(label):
    """The backquoted method names of the paragraph that starts with `label`."""
    section = doc_section()
    start = section.index(label)
    paragraph = section[start:section.find("\n\n", start)]
    return re.findall(r"`([a-z0-9]+_[A-Za-z0-9]+)`", paragraph)


def doc_deviations():
    """The (method, case) rows of the deviations table."""
    section = doc_section()
    table = section[section.index("| method | case |"):]
    rows = set()
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.add((cells[0].strip("`"), cells[1]))
    return rows


# ---------------------------------------------------------------------------------------------
# A dev node and a chain


def call(url, method, params=None, request_id=1):
    body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params if params is not None else []}
    reply = SESSION.post(url, json=body, timeout=30)
    assert reply.status_code == 200, f"{method}: HTTP {reply.status_code} {reply.text[:200]}"
    return reply.json()


def result(url, method, params=None):
    reply = call(url, method, params)
    assert "result" in reply, f"{method}{params}: expected a result, got {reply}"
    return reply["result"]


def assemble(*parts):
    return bytes.fromhex("".join(parts))


# LOGGER's runtime, hand-assembled: empty call data reverts with the 4 bytes 0xdeadbeef; otherwise
# it stores the first call-data word in slot 0, logs it with the caller as topic, and returns it.
LOGGER_RUNTIME = assemble(
    "36", "6011", "57",                 # 00 CALLDATASIZE PUSH1 0x11 JUMPI
    "63deadbeef", "6000", "52",         # 04 PUSH4 0xdeadbeef PUSH1 0 MSTORE
    "6004", "601c", "fd",               # 0c PUSH1 4 PUSH1 28 REVERT
    "5b", "6000", "35", "80",           # 11 JUMPDEST PUSH1 0 CALLDATALOAD DUP1
    "6000", "55", "6000", "52",         # 16 PUSH1 0 SSTORE PUSH1 0 MSTORE
    "33", "6020", "6000", "a1",         # 1c CALLER PUSH1 32 PUSH1 0 LOG1
    "6020", "6000", "f3")               # 22 PUSH1 32 PUSH1 0 RETURN
assert len(LOGGER_RUNTIME) == 0x27 and LOGGER_RUNTIME[0x11] == 0x5B
# Init code: CODECOPY the runtime (after these 12 bytes) to memory 0 and return it.
LOGGER_INIT = assemble("6027", "600c", "6000", "39", "6027", "6000", "f3") + LOGGER_RUNTIME
REVERTING_INIT = assemble("6000", "6000", "fd")  # PUSH1 0 PUSH1 0 REVERT
WORD = bytes(range(1, 33))
REVERT_DATA = bytes.fromhex("deadbeef")


def create_address(sender: str, nonce: int) -> str:
    return "0x" + keccak256(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:].hex()


@dataclass
class Sent:
    """A transaction the test signed (or had the node sign) and what it should do."""
    name: str
    hash: str
    sender: str
    type: int
    to: Optional[str]
    status: Optional[int]  # None while in the pool
    fields: dict = field(default_factory=dict)
    raw: Optional[bytes] = None
    signed: Optional[object] = None
    created: Optional[str] = None
    logs: list = field(default_factory=list)


@dataclass
class Chain:
    url: str
    accounts: list
    sent: dict = field(default_factory=dict)
    logger: str = ""
    logger2: str = ""
    empty_block: int = 0
    pending: Optional[Sent] = None
    queued: Optional[Sent] = None
    filters: dict = field(default_factory=dict)
    send_results: list = field(default_factory=list)

    def block(self, number, full=False):
        return result(self.url, "eth_getBlockByNumber", [hex(number), full])

    def receipt(self, name):
        return result(self.url, "eth_getTransactionReceipt", [self.sent[name].hash])


def send_raw(chain, name, account, fields, status, created=None, logs=()):
    """Signs with eth-account, sends, and checks the returned hash is keccak256 of the encoding."""
    signing = dict(fields, chainId=CHAIN_ID)
    if fields.get("to"):
        signing["to"] = to_checksum_address(fields["to"])
    for entry in signing.get("accessList", []):
        entry["address"] = to_checksum_address(entry["address"])
    signed = account.sign_transaction(signing)
    raw = bytes(signed.raw_transaction)
    hash_result = result(chain.url, "eth_sendRawTransaction", ["0x" + raw.hex()])
    chain.send_results.append(("eth_sendRawTransaction", name, hash_result))
    assert hash_result == "0x" + keccak256(raw).hex()
    to = fields["to"].lower() if fields.get("to") else None
    chain.sent[name] = Sent(name, hash_result, account.address.lower(), fields.get("type", 0), to, status, fields,
                            raw, signed, created, list(logs))
    return chain.sent[name]


@pytest.fixture(scope="module")
def chain(tmp_path_factory, accounts):
    """A dev node (no enclave worker, so nothing else sends) and the chain described above."""
    node = NodeProcess(tmp_path_factory.mktemp("spec"), arguments=["--dev", "--no-enclave"]).start()
    try:
        c = Chain(node.url, accounts)
        a = accounts
        # Filters first, so that their changes cover the whole chain.
        c.filters["logs"] = result(c.url, "eth_newFilter", [{"fromBlock": "earliest", "toBlock": "latest"}])
        c.filters["blocks"] = result(c.url, "eth_newBlockFilter")
        c.filters["pending"] = result(c.url, "eth_newPendingTransactionFilter")
        c.logger = create_address(a[1].address.lower(), 0)
        log = {"address": c.logger, "topics": ["0x" + "00" * 12 + a[2].address.lower()[2:]], "data": "0x" + WORD.hex()}
        # 1: legacy (EIP-155) contract creation.
        send_raw(c, "legacy create", a[1], {"nonce": 0, "gasPrice": 2 * GWEI, "gas": 200_000, "data": LOGGER_INIT},
                 1, created=c.logger)
        # 2: EIP-2930 call that stores, logs and returns; its access list names the slot it writes.
        send_raw(c, "2930 call", a[2], {"type": 1, "nonce": 0, "gasPrice": 2 * GWEI, "gas": 100_000, "to": c.logger,
                                        "data": WORD, "accessList": [{"address": c.logger, "storageKeys": [ZERO_HASH]}]},
                 1, logs=[log])
        # 3: EIP-1559 transfer.
        send_raw(c, "1559 transfer", a[3], {"type": 2, "nonce": 0, "maxFeePerGas": 3 * GWEI,
                                            "maxPriorityFeePerGas": GWEI, "gas": 21_000, "to": a[4].address,
                                            "value": 12345}, 1)
        # 4: EIP-1559 call that reverts.
        send_raw(c, "1559 revert", a[3], {"type": 2, "nonce": 1, "maxFeePerGas": 3 * GWEI, "maxPriorityFeePerGas": GWEI,
                                          "gas": 100_000, "to": c.logger, "data": b""}, 0)
        # 5: EIP-2930 contract creation whose init code reverts.
        send_raw(c, "2930 failed create", a[2], {"type": 1, "nonce": 1, "gasPrice": 2 * GWEI, "gas": 100_000,
                                                 "data": REVERTING_INIT, "accessList": []},
                 0, created=create_address(a[2].address.lower(), 1))
        # 6: EIP-1559 contract creation.
        c.logger2 = create_address(a[3].address.lower(), 2)
        send_raw(c, "1559 create", a[3], {"type": 2, "nonce": 2, "maxFeePerGas": 3 * GWEI, "maxPriorityFeePerGas": GWEI,
                                          "gas": 200_000, "data": LOGGER_INIT}, 1, created=c.logger2)
        # 7: a transfer the node signs for an unlocked dev account.
        node_signed = result(c.url, "eth_sendTransaction", [{"from": a[0].address, "to": a[5].address, "value": "0x1"}])
        c.send_results.append(("eth_sendTransaction", "sendTransaction", node_signed))
        tx = result(c.url, "eth_getTransactionByHash", [node_signed])
        c.sent["sendTransaction"] = Sent("sendTransaction", node_signed, a[0].address.lower(), hex_int(tx["type"]),
                                         a[5].address.lower(), 1)
        # 8: an empty block.
        assert result(c.url, "evm_mine") == "0x0"
        c.empty_block = hex_int(result(c.url, "eth_blockNumber"))
        assert c.empty_block == 8, f"expected one block per transaction and the empty block 8, head is {c.empty_block}"
        # With automine off: one executable (pending) and one behind a nonce gap (queued).
        assert result(c.url, "evm_setAutomine", [False]) is None
        c.pending = send_raw(c, "pending", a[6], {"type": 2, "nonce": 0, "maxFeePerGas": 3 * GWEI,
                                                  "maxPriorityFeePerGas": GWEI, "gas": 21_000, "to": a[7].address,
                                                  "value": 7}, None)
        c.queued = send_raw(c, "queued", a[6], {"type": 2, "nonce": 2, "maxFeePerGas": 3 * GWEI,
                                                "maxPriorityFeePerGas": GWEI, "gas": 21_000, "to": a[7].address,
                                                "value": 9}, None)
        yield c
    finally:
        node.stop()


# ---------------------------------------------------------------------------------------------
# 1. Every result against its schema


@dataclass
class Case:
    """One call: its method, a case name (the deviations table's second column), the params built
    from the chain, and an exact check `check(chain, result)` from an independent source."""
    method: str
    case: str
    params: Callable = lambda c: []
    check: Optional[Callable] = None
    schema: Optional[dict] = None  # a narrower branch of the method's schema that must also hold

    @property
    def id(self):
        return f"{self.method}[{self.case}]"


def equals(expected):
    def check(c, value):
        assert value == expected, f"expected {expected!r}, got {value!r}"
    return check


def transaction_is(name):
    """The transaction object against what the test signed (eth-account's v, r, s and hash)."""
    def check(c, tx):
        sent = c.sent[name]
        assert (tx["hash"], tx["from"], tx["to"], tx["type"]) == (sent.hash, sent.sender, sent.to, hex(sent.type))
        if sent.signed is not None:
            assert Account.recover_transaction(sent.raw).lower() == sent.sender
            assert (hex_int(tx["v"]), hex_int(tx["r"]), hex_int(tx["s"])) == (sent.signed.v, sent.signed.r, sent.signed.s)
            assert tx["input"] == "0x" + bytes(sent.fields.get("data", b"")).hex()
            assert hex_int(tx["nonce"]) == sent.fields["nonce"] and hex_int(tx["gas"]) == sent.fields["gas"]
        block = c.block(hex_int(tx["blockNumber"]))
        assert (tx["blockHash"], tx["blockTimestamp"], tx["transactionIndex"]) == (block["hash"], block["timestamp"], "0x0")
    return check


def receipt_is(name):
    def check(c, receipt):
        sent = c.sent[name]
        assert (receipt["transactionHash"], receipt["from"], receipt["to"]) == (sent.hash, sent.sender, sent.to)
        assert receipt["status"] == hex(sent.status), f"{name}: status {receipt['status']}, expected {sent.status}"
        assert receipt["contractAddress"] == sent.created and receipt["type"] == hex(sent.type)
        assert [{key: log[key] for key in ("address", "topics", "data")} for log in receipt["logs"]] == sent.logs
        block = c.block(hex_int(receipt["blockNumber"]))
        assert receipt["blockHash"] == block["hash"]
        assert receipt["cumulativeGasUsed"] == receipt["gasUsed"] == block["gasUsed"]  # one transaction per block
        if sent.signed is not None:
            # EIP-1559: min(fee cap, base fee + tip); a gas-price transaction pays its price.
            price = sent.fields.get("gasPrice") or min(sent.fields["maxFeePerGas"],
                                                       hex_int(block["baseFeePerGas"]) + sent.fields["maxPriorityFeePerGas"])
            assert hex_int(receipt["effectiveGasPrice"]) == price
        if name in ("1559 transfer", "sendTransaction"):
            assert receipt["gasUsed"] == hex(21_000)  # a plain transfer costs the intrinsic gas alone
    return check


def next_base_fee(parent):
    """EIP-1559's base fee of the child of `parent` (elasticity 2, change denominator 8)."""
    base, used, target = hex_int(parent["baseFeePerGas"]), hex_int(parent["gasUsed"]), hex_int(parent["gasLimit"]) // 2
    if used == target:
        return base
    if used > target:
        return base + max(1, base * (used - target) // target // 8)
    return base - base * (target - used) // target // 8


def block_is(number, full):
    def check(c, block):
        assert block["number"] == hex(number)
        if number > 0:
            parent = c.block(number - 1)
            assert block["parentHash"] == parent["hash"]
            assert hex_int(block["baseFeePerGas"]) == next_base_fee(parent), f"block {number}: base fee"
        raw_header = bytes.fromhex(result(c.url, "debug_getRawHeader", [hex(number)])[2:])
        assert "0x" + keccak256(raw_header).hex() == block["hash"]
        assert block["sha3Uncles"] == EMPTY_UNCLES_HASH and block["uncles"] == []
        mined = [sent for sent in c.sent.values() if sent.status is not None]
        if 1 <= number <= len(mined):
            transaction = block["transactions"][0]
            assert len(block["transactions"]) == 1
            assert (transaction["hash"] if full else transaction) == mined[number - 1].hash
            if full:
                transaction_is(mined[number - 1].name)(c, transaction)
        else:
            assert block["transactions"] == [] and block["gasUsed"] == "0x0"
            assert block["transactionsRoot"] == block["receiptsRoot"] == EMPTY_TRIE_ROOT
            assert block["logsBloom"] == "0x" + "00" * 256
    return check


def struct_logs_of_the_call(c, trace):
    # The 2930 call: SSTORE writes WORD to slot 0 (storage shown at that step), MSTORE puts it in
    # memory word 0 (seen at LOG1), and the call returns it.
    assert trace["failed"] is False and trace["returnValue"] == "0x" + WORD.hex()
    steps = trace["structLogs"]
    assert [step["op"] for step in steps[:3]] == ["CALLDATASIZE", "PUSH1", "JUMPI"]
    sstore = next(step for step in steps if step["op"] == "SSTORE")
    assert sstore["storage"] == {ZERO_HASH: "0x" + WORD.hex()}
    word = hex(int.from_bytes(WORD, "big"))  # stack items are quantities: no leading zero digit
    assert sstore["stack"] == [word, word, "0x0"]
    assert next(step for step in steps if step["op"] == "LOG1")["memory"] == ["0x" + WORD.hex()]
    assert steps[-1]["op"] == "RETURN"


# Returns SLOAD(0) and NUMBER: PUSH1 0 SLOAD PUSH1 0 MSTORE NUMBER PUSH1 32 MSTORE PUSH1 64 PUSH1 0 RETURN.
SLOAD_0_AND_NUMBER = "0x" + "600054600052" + "43602052" + "60406000f3"
OPCODE_BLOCK_TRACE = {"type": "array", "items": {"$ref": "#/components/schemas/OpcodeBlockTransactionTrace"}}


def block_trace_of(name, check_result):
    """A block's trace holding the one transaction `name`, whose result passes `check_result`."""
    def check(c, traces):
        assert [trace["txHash"] for trace in traces] == [c.sent[name].hash], traces
        assert sorted(traces[0]) == ["result", "txHash"]
        check_result(c, traces[0]["result"])
    return check


def struct_logs_of_a_revert(c, trace):
    assert trace["failed"] is True and trace["returnValue"] == "0x" + REVERT_DATA.hex()
    assert trace["structLogs"][-1]["op"] == "REVERT"


def struct_logs_without_stack_and_storage(c, trace):
    # A creation's returnValue is the deployed code, as geth's (ExecutionResult.ReturnData).
    assert trace["failed"] is False and trace["returnValue"] == "0x" + LOGGER_RUNTIME.hex()
    assert trace["structLogs"][-1]["op"] == "RETURN"
    assert all("stack" not in step and "storage" not in step and "memory" not in step for step in trace["structLogs"])


def the_log(c, logs):
    assert [{key: log[key] for key in ("address", "topics", "data")} for log in logs] == c.sent["2930 call"].logs
    receipt = c.receipt("2930 call")
    assert (logs[0]["transactionHash"], logs[0]["blockHash"], logs[0]["blockNumber"]) == \
        (receipt["transactionHash"], receipt["blockHash"], "0x2")
    assert logs[0]["logIndex"] == logs[0]["transactionIndex"] == "0x0" and logs[0]["removed"] is False


def raw_block_2(c, raw):
    header, transactions, uncles = rlp.decode(bytes.fromhex(raw[2:]))
    assert uncles == []
    assert "0x" + keccak256(rlp.encode(header)).hex() == c.block(2)["hash"]
    assert transactions == [c.sent["2930 call"].raw]  # a typed transaction is an RLP string: type ‖ payload


def raw_receipts_2(c, raw):
    assert len(raw) == 1
    receipt = bytes.fromhex(raw[0][2:])
    assert receipt[0] == 1  # EIP-2930 receipt: 0x01 ‖ rlp([status, cumulativeGasUsed, bloom, logs])
    status, cumulative, bloom, logs = rlp.decode(receipt[1:])
    assert status == b"\x01" and len(bloom) == 256
    assert "0x" + cumulative.hex().lstrip("0") == c.receipt("2930 call")["gasUsed"]
    assert logs == [[bytes.fromhex(c.logger[2:]), [bytes(12) + bytes.fromhex(c.accounts[2].address[2:])], WORD]]


def signed_by_account_0(c, signature):
    message = encode_defunct(primitive=b"GoldenGrain")
    assert Account.recover_message(message, signature=bytes.fromhex(signature[2:])) == c.accounts[0].address


def pool_content(by_sender):
    def check(c, content):
        sender = to_checksum_address(c.pending.sender)  # geth keys the maps by account.Hex() (EIP-55)
        pending = content["pending"][sender] if by_sender else content["pending"]
        queued = content["queued"][sender] if by_sender else content["queued"]
        assert {nonce: tx["hash"] for nonce, tx in pending.items()} == {"0": c.pending.hash}
        assert {nonce: tx["hash"] for nonce, tx in queued.items()} == {"2": c.queued.hash}
        if by_sender:
            assert set(content["pending"]) == set(content["queued"]) == {sender}
    return check


def pool_summary(c, content):
    sender, recipient = to_checksum_address(c.pending.sender), to_checksum_address(c.pending.to)
    assert content == {  # geth's format: "<to>: <value> wei + <gas> gas × <gas price> wei", the fee cap as price
        "pending": {sender: {"0": f"{recipient}: 7 wei + 21000 gas × {3 * GWEI} wei"}},
        "queued": {sender: {"2": f"{recipient}: 9 wei + 21000 gas × {3 * GWEI} wei"}}}


def access_list_of_the_call(c, value):
    # geth's access-list tracer lists the slot SSTORE writes under the executing account; only
    # addresses alone are left out for the sender and recipient.
    assert value["accessList"] == [{"address": c.logger, "storageKeys": [ZERO_HASH]}] and "error" not in value


def reverted_access_list(c, value):
    assert value["error"].startswith("execution reverted") and value["accessList"] == []


def fee_history_of_four_blocks(c, history):
    head = c.empty_block
    assert history["oldestBlock"] == hex(head - 3)
    blocks = [c.block(number) for number in range(head - 3, head + 1)]
    assert history["baseFeePerGas"] == [block["baseFeePerGas"] for block in blocks] + [hex(next_base_fee(blocks[-1]))]
    assert history["gasUsedRatio"] == [hex_int(block["gasUsed"]) / hex_int(block["gasLimit"]) for block in blocks]
    assert len(history["reward"]) == 4 and all(len(rewards) == 2 for rewards in history["reward"])


def proof_of_the_logger(c, proof):
    assert (proof["address"], proof["nonce"], proof["balance"]) == (c.logger, "0x1", "0x0")  # EIP-161: nonce 1
    assert proof["codeHash"] == "0x" + keccak256(LOGGER_RUNTIME).hex()
    assert proof["storageProof"][0]["value"] == hex(int.from_bytes(WORD, "big"))
    root = bytes.fromhex(c.block(c.empty_block)["stateRoot"][2:])
    assert keccak256(bytes.fromhex(proof["accountProof"][0][2:])) == root


def pending_transaction(c, tx):
    assert (tx["hash"], tx["from"], tx["nonce"]) == (c.pending.hash, c.pending.sender, "0x0")
    assert tx["blockHash"] is tx["blockNumber"] is tx["blockTimestamp"] is tx["transactionIndex"] is None


def block_hashes_since_the_filter(c, hashes):
    assert hashes == [c.block(number)["hash"] for number in range(1, c.empty_block + 1)]


def pending_hashes_since_the_filter(c, hashes):
    # Every transaction sent, in arrival order. (geth's feed leaves out the queued one until it
    # becomes executable; this node reports it when it is pooled: docs/rpc.md's differences.)
    expected = [sent.hash for sent in c.sent.values()]
    assert hashes == expected, f"pending filter: {hashes}, expected {expected}"


def is_earliest(c, block):
    assert block["number"] == "0x0" and block["parentHash"] == ZERO_HASH


def is_head(c, block):
    assert block["number"] == hex(c.empty_block)


def receipts_are(names):
    """A block's receipts: one per transaction sent under these names, each as eth_getTransactionReceipt
    gives it and as the transaction was signed."""
    def check(c, receipts):
        assert receipts == [c.receipt(name) for name in names]
        for name, receipt in zip(names, receipts):
            receipt_is(name)(c, receipt)
    return check


def simulated_logger_call(c, blocks):
    """eth_simulateV1 on the head: LOGGER returns and logs its input word with the caller as topic, a
    transfer is 21000 gas and an ERC-7528 log, and a number three past the head gives three blocks."""
    head = int(result(c.url, "eth_blockNumber"), 16)
    assert [int(block["number"], 16) for block in blocks] == [head + 1, head + 2, head + 3]
    call, transfer = blocks[0]["calls"]
    sender = c.accounts[2].address.lower()
    assert call["status"] == "0x1" and call["returnData"] == "0x" + WORD.hex()
    assert [(log["address"], log["topics"], log["data"]) for log in call["logs"]] == [
        (c.logger.lower(), ["0x" + "00" * 12 + sender[2:]], "0x" + WORD.hex())]
    assert transfer["gasUsed"] == "0x5208" and [log["address"] for log in transfer["logs"]] == ["0x" + "ee" * 20]
    assert blocks[1]["calls"] == [] and blocks[2]["calls"] == []


def simulated_revert(c, blocks):
    """A reverting call is a result with status 0x0 and geth's error 3 with the revert data."""
    [call] = blocks[0]["calls"]
    assert call["status"] == "0x0" and call["logs"] == []
    assert call["error"] == {"message": "execution reverted", "code": 3, "data": "0x" + REVERT_DATA.hex()}
    [transaction] = blocks[0]["transactions"]
    assert (transaction["from"], transaction["to"]) == (c.accounts[2].address.lower(), c.logger.lower())


def header_of_block(number):
    """geth's header: the block object without size, transactions and uncles, hashing to the block's hash
    (keccak256 of debug_getRawHeader's RLP)."""
    def check(c, header):
        block = c.block(number)
        assert header == {key: value for key, value in block.items() if key not in ("size", "transactions", "uncles")}
        raw = bytes.fromhex(result(c.url, "debug_getRawHeader", [hex(number)])[2:])
        assert "0x" + keccak256(raw).hex() == header["hash"]
    return check


def hash_of(name):
    return lambda c: [c.sent[name].hash]


SIGNER = Account.from_key("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").address.lower()
MINED = ["legacy create", "2930 call", "1559 transfer", "1559 revert", "2930 failed create", "1559 create",
         "sendTransaction"]


def build_cases():
    word = "0x" + WORD.hex()
    topic = lambda c: "0x" + "00" * 12 + c.accounts[2].address.lower()[2:]
    cases = [
        Case("eth_chainId", "dev chain", check=equals(hex(CHAIN_ID))),
        Case("eth_blockNumber", "head", check=lambda c, value: equals(hex(c.empty_block))(c, value)),
        Case("eth_syncing", "not syncing", check=equals(False)),
        Case("eth_coinbase", "signer", check=equals(SIGNER)),
        Case("eth_accounts", "dev accounts", check=lambda c, value: equals([a.address.lower() for a in c.accounts])(c, value)),
        Case("eth_mining", "sealing", check=equals(True)),
        Case("eth_hashrate", "no work", check=equals("0x0")),
        Case("eth_gasPrice", "next base fee + tip"),
        Case("eth_maxPriorityFeePerGas", "tip"),
        Case("eth_feeHistory", "four blocks with rewards", lambda c: ["0x4", "latest", [25, 75]],
             check=fee_history_of_four_blocks),
        Case("eth_feeHistory", "no percentiles", lambda c: ["0x2", "latest", []],
             check=lambda c, history: equals(["baseFeePerGas", "gasUsedRatio", "oldestBlock"])(c, sorted(history))),
        Case("eth_feeHistory", "zero blocks", lambda c: ["0x0", "latest", [50]],
             check=equals({"oldestBlock": "0x0", "gasUsedRatio": None})),
        Case("eth_getBalance", "recipient", lambda c: [c.accounts[4].address, "latest"], check=equals(hex(DEV_BALANCE + 12345))),
        Case("eth_getBalance", "before the transfer", lambda c: [c.accounts[4].address, "0x2"], check=equals(hex(DEV_BALANCE))),
        Case("eth_getBalance", "EIP-1898 block hash", lambda c: [c.accounts[4].address, {"blockHash": c.block(3)["hash"]}],
             check=equals(hex(DEV_BALANCE + 12345))),
        Case("eth_getTransactionCount", "sender", lambda c: [c.accounts[3].address, "latest"], check=equals("0x3")),
        Case("eth_getTransactionCount", "pending nonce", lambda c: [c.accounts[6].address, "pending"], check=equals("0x1")),
        Case("eth_getCode", "created contract", lambda c: [c.logger, "latest"], check=equals("0x" + LOGGER_RUNTIME.hex())),
        Case("eth_getCode", "1559-created contract", lambda c: [c.logger2, "latest"], check=equals("0x" + LOGGER_RUNTIME.hex())),
        Case("eth_getCode", "failed creation", lambda c: [c.sent["2930 failed create"].created, "latest"], check=equals("0x")),
        Case("eth_getStorageAt", "stored word", lambda c: [c.logger, "0x0", "latest"], check=equals(word)),
        Case("eth_getStorageAt", "empty slot", lambda c: [c.logger, "0x1", "latest"], check=equals(ZERO_HASH)),
        Case("eth_getProof", "contract with a slot", lambda c: [c.logger, ["0x0"], "latest"], check=proof_of_the_logger),
        Case("eth_getProof", "absent account", lambda c: ["0x" + "ab" * 20, [ZERO_HASH], "latest"]),
        Case("eth_call", "returns its input", lambda c: [{"to": c.logger, "input": word}, "latest"], check=equals(word)),
        Case("eth_call", "at an old block", lambda c: [{"to": c.logger2, "input": word}, "0x6"], check=equals(word)),
        Case("eth_call", "no code", lambda c: [{"to": c.accounts[9].address}, "latest"], check=equals("0x")),
        Case("eth_estimateGas", "transfer", lambda c: [{"from": c.accounts[8].address, "to": c.accounts[9].address,
                                                        "value": "0x1"}], check=equals(hex(21_000))),
        Case("eth_createAccessList", "stores a slot", lambda c: [{"from": c.accounts[8].address, "to": c.logger,
                                                                  "input": word}, "latest"], check=access_list_of_the_call),
        Case("eth_createAccessList", "reverts", lambda c: [{"from": c.accounts[8].address, "to": c.logger}, "latest"],
             check=reverted_access_list),
        Case("eth_getBlockByNumber", "earliest", lambda c: ["earliest", False], check=is_earliest),
        Case("eth_getBlockByNumber", "latest, full", lambda c: ["latest", True], check=is_head),
        Case("eth_getBlockByNumber", "pending", lambda c: ["pending", False], check=is_head),
        Case("eth_getBlockByNumber", "safe", lambda c: ["safe", False], check=is_head),
        Case("eth_getBlockByNumber", "finalized", lambda c: ["finalized", False], check=is_head),
        Case("eth_getBlockByNumber", "beyond the head", lambda c: ["0x64", False], check=equals(None)),
        Case("eth_getBlockByHash", "unknown", lambda c: [ZERO_HASH, True], check=equals(None)),
        Case("eth_getBlockTransactionCountByNumber", "one transaction", lambda c: ["0x2"], check=equals("0x1")),
        Case("eth_getBlockTransactionCountByNumber", "empty block", lambda c: [hex(c.empty_block)], check=equals("0x0")),
        Case("eth_getBlockTransactionCountByNumber", "beyond the head", lambda c: ["0x64"], check=equals(None)),
        Case("eth_getBlockTransactionCountByHash", "one transaction", lambda c: [c.block(2)["hash"]], check=equals("0x1")),
        Case("eth_getBlockTransactionCountByHash", "unknown", lambda c: [ZERO_HASH], check=equals(None)),
        Case("eth_getUncleCountByBlockNumber", "no uncles", lambda c: ["0x1"], check=equals("0x0")),
        Case("eth_getUncleCountByBlockHash", "no uncles", lambda c: [c.block(1)["hash"]], check=equals("0x0")),
        Case("eth_getUncleCountByBlockNumber", "beyond the head", lambda c: ["0x64"], check=equals(None)),
        Case("eth_getUncleCountByBlockHash", "unknown", lambda c: [ZERO_HASH], check=equals(None)),
        Case("eth_getBlockReceipts", "empty block", lambda c: [hex(c.empty_block)], check=equals([])),
        Case("eth_getBlockReceipts", "beyond the head", lambda c: ["0x64"], check=equals(None)),
        Case("eth_getBlockReceipts", "unknown hash", lambda c: [ZERO_HASH], check=equals(None)),
        Case("eth_getBlockReceipts", "EIP-1898 block hash", lambda c: [{"blockHash": c.block(2)["hash"]}],
             check=lambda c, receipts: equals([c.receipt("2930 call")])(c, receipts)),
        Case("eth_getHeaderByNumber", "beyond the head", lambda c: ["0x64"], check=equals(None)),
        Case("eth_getHeaderByNumber", "latest", lambda c: ["latest"], check=lambda c, header: is_head(c, header)),
        Case("eth_getHeaderByHash", "unknown", lambda c: [ZERO_HASH], check=equals(None)),
        Case("eth_getTransactionByHash", "pending", lambda c: [c.pending.hash], check=pending_transaction),
        Case("eth_getTransactionByHash", "unknown", lambda c: [ZERO_HASH], check=equals(None)),
        Case("eth_getTransactionByBlockHashAndIndex", "2930 call", lambda c: [c.block(2)["hash"], "0x0"],
             check=transaction_is("2930 call")),
        Case("eth_getTransactionByBlockHashAndIndex", "index out of range", lambda c: [c.block(2)["hash"], "0x1"],
             check=equals(None)),
        Case("eth_getTransactionByBlockNumberAndIndex", "1559 transfer", lambda c: ["0x3", "0x0"],
             check=transaction_is("1559 transfer")),
        Case("eth_getTransactionByBlockNumberAndIndex", "empty block", lambda c: [hex(c.empty_block), "0x0"],
             check=equals(None)),
        Case("eth_getTransactionReceipt", "pending", lambda c: [c.pending.hash], check=equals(None)),
        Case("eth_getTransactionReceipt", "unknown", lambda c: [ZERO_HASH], check=equals(None)),
        Case("eth_getLogs", "whole chain", lambda c: [{"fromBlock": "earliest", "toBlock": "latest"}], check=the_log),
        Case("eth_getLogs", "by address and topic", lambda c: [{"fromBlock": "0x0", "address": [c.logger],
                                                                "topics": [[topic(c)]]}], check=the_log),
        Case("eth_getLogs", "by block hash", lambda c: [{"blockHash": c.block(2)["hash"]}], check=the_log),
        Case("eth_getLogs", "no match", lambda c: [{"fromBlock": "0x0", "address": c.logger2}], check=equals([])),
        Case("eth_sign", "dev account", lambda c: [c.accounts[0].address, "0x" + b"GoldenGrain".hex()],
             check=signed_by_account_0),
        Case("debug_getRawTransaction", "unknown", lambda c: [ZERO_HASH], check=equals("0x")),
        Case("debug_getRawHeader", "by hash", lambda c: [c.block(1)["hash"]],
             check=lambda c, raw: equals(c.block(1)["hash"])(c, "0x" + keccak256(bytes.fromhex(raw[2:])).hex())),
        Case("debug_getRawBlock", "2930 call", lambda c: ["0x2"], check=raw_block_2),
        Case("debug_getRawReceipts", "2930 call", lambda c: ["0x2"], check=raw_receipts_2),
        Case("debug_getRawReceipts", "empty block", lambda c: [hex(c.empty_block)], check=equals([])),
        Case("debug_traceTransaction", "struct logs with memory", lambda c: [c.sent["2930 call"].hash, {"enableMemory": True}],
             check=struct_logs_of_the_call, schema=component("OpcodeTransactionTrace")),
        Case("debug_traceTransaction", "struct logs of a revert", hash_of("1559 revert"),
             check=struct_logs_of_a_revert, schema=component("OpcodeTransactionTrace")),
        Case("debug_traceTransaction", "struct logs without stack and storage",
             lambda c: [c.sent["legacy create"].hash, {"disableStack": True, "disableStorage": True}],
             check=struct_logs_without_stack_and_storage, schema=component("OpcodeTransactionTrace")),
        Case("debug_traceTransaction", "callTracer", lambda c: [c.sent["2930 call"].hash,
                                                                {"tracer": "callTracer", "tracerConfig": {"withLog": True}}],
             check=lambda c, frame: equals((c.logger, word))(c, (frame["to"], frame["output"]))),
        Case("debug_traceCall", "struct logs", lambda c: [{"from": c.accounts[2].address, "to": c.logger, "input": word},
                                                          "latest", {"enableMemory": True}], check=struct_logs_of_the_call),
        Case("debug_traceCall", "revert", lambda c: [{"to": c.logger}, "latest"], check=struct_logs_of_a_revert),
        Case("debug_traceCall", "state and block overrides",
             lambda c: [{"to": c.logger}, "latest", {"stateOverrides": {c.logger: {"code": SLOAD_0_AND_NUMBER}},
                                                      "blockOverrides": {"number": "0x64"}}],
             check=lambda c, trace: equals((False, "0x" + WORD.hex() + "00" * 31 + "64"))(
                 c, (trace["failed"], trace["returnValue"])),
             schema=component("OpcodeTransactionTrace")),
        Case("debug_traceBlockByNumber", "2930 call", lambda c: ["0x2", {"enableMemory": True}],
             check=block_trace_of("2930 call", struct_logs_of_the_call), schema=OPCODE_BLOCK_TRACE),
        Case("debug_traceBlockByNumber", "callTracer", lambda c: ["0x2", {"tracer": "callTracer"}],
             check=block_trace_of("2930 call", lambda c, frame: equals((c.logger, "0x" + WORD.hex()))(
                 c, (frame["to"], frame["output"])))),
        Case("debug_traceBlockByNumber", "empty block", lambda c: [hex(c.empty_block)], check=equals([])),
        Case("debug_traceBlockByHash", "1559 revert", lambda c: [c.block(4)["hash"]],
             check=block_trace_of("1559 revert", struct_logs_of_a_revert), schema=OPCODE_BLOCK_TRACE),
        Case("eth_call", "state override", lambda c: [{"to": c.logger}, "latest", {c.logger: {"code": SLOAD_0_AND_NUMBER,
                                                                                           "stateDiff": {ZERO_HASH: word}}}],
             check=lambda c, value: equals(word)(c, value[:66])),
        Case("eth_call", "block override", lambda c: [{"to": c.logger}, "latest", {c.logger: {"code": SLOAD_0_AND_NUMBER}},
                                                      {"number": "0x64"}],
             check=lambda c, value: equals("0x" + WORD.hex() + "00" * 31 + "64")(c, value)),
        Case("eth_simulateV1", "call, transfer and gap",
             lambda c: [{"blockStateCalls": [
                 {"calls": [{"from": c.accounts[2].address, "to": c.logger, "input": word},
                            {"from": c.accounts[2].address, "to": c.accounts[9].address, "value": "0x3e8"}]},
                 {"blockOverrides": {"number": hex(int(result(c.url, "eth_blockNumber"), 16) + 3)}}],
                 "traceTransfers": True}, "latest"],
             check=simulated_logger_call),
        Case("eth_simulateV1", "revert, full transactions",
             lambda c: [{"blockStateCalls": [{"calls": [{"from": c.accounts[2].address, "to": c.logger}]}],
                         "returnFullTransactions": True}, "latest"],
             check=simulated_revert),
        Case("eth_simulateV1", "halt",
             lambda c: [{"blockStateCalls": [{"stateOverrides": {"0x" + "cd" * 20: {"code": "0x5b600056"}},
                                              "calls": [{"to": "0x" + "cd" * 20, "gas": "0x7530"}]}]}, "latest"],
             check=lambda c, blocks: equals({"message": "out of gas", "code": -32015})(c, blocks[0]["calls"][0]["error"])),
        Case("txpool_status", "one pending, one queued", check=equals({"pending": "0x1", "queued": "0x1"})),
        Case("txpool_content", "one pending, one queued", check=pool_content(by_sender=True)),
        Case("txpool_contentFrom", "pool sender", lambda c: [c.pending.sender], check=pool_content(by_sender=False)),
        Case("txpool_contentFrom", "no transactions", lambda c: [c.accounts[9].address],
             check=equals({"pending": {}, "queued": {}})),
        Case("txpool_inspect", "one pending, one queued", check=pool_summary),
        Case("eth_getFilterChanges", "logs", lambda c: [c.filters["logs"]], check=the_log),
        Case("eth_getFilterChanges", "blocks", lambda c: [c.filters["blocks"]], check=block_hashes_since_the_filter),
        Case("eth_getFilterChanges", "pending transactions", lambda c: [c.filters["pending"]],
             check=pending_hashes_since_the_filter),
        Case("eth_getFilterChanges", "blocks, polled again", lambda c: [c.filters["blocks"]], check=equals([])),
        Case("eth_getFilterLogs", "logs", lambda c: [c.filters["logs"]], check=the_log),
        Case("eth_newFilter", "address", lambda c: [{"address": c.logger}]),
        Case("eth_newBlockFilter", "new"),
        Case("eth_newPendingTransactionFilter", "new"),
    ]
    for index, name in enumerate(MINED):
        cases.append(Case("eth_getBlockReceipts", name, lambda c, n=index + 1: [hex(n)],
                          check=lambda c, receipts, name=name: receipts_are([name])(c, receipts)))
        cases.append(Case("eth_getTransactionByHash", name, hash_of(name), check=transaction_is(name)))
        cases.append(Case("eth_getTransactionReceipt", name, hash_of(name), check=receipt_is(name)))
        if name != "sendTransaction":
            cases.append(Case("debug_getRawTransaction", name, hash_of(name),
                              check=lambda c, raw, name=name: equals("0x" + c.sent[name].raw.hex())(c, raw)))
    for number in range(0, len(MINED) + 2):
        cases.append(Case("eth_getBlockByNumber", f"block {number}", lambda c, n=number: [hex(n), False],
                          check=block_is(number, full=False)))
        cases.append(Case("eth_getBlockByHash", f"block {number}, full", lambda c, n=number: [c.block(n)["hash"], True],
                          check=block_is(number, full=True)))
        cases.append(Case("eth_getHeaderByNumber", f"block {number}", lambda c, n=number: [hex(n)],
                          check=header_of_block(number)))
        cases.append(Case("eth_getHeaderByHash", f"block {number}", lambda c, n=number: [c.block(n)["hash"]],
                          check=header_of_block(number)))
        cases.append(Case("debug_getRawHeader", f"block {number}", lambda c, n=number: [hex(n)],
                          check=lambda c, raw, n=number: equals(c.block(n)["hash"])(
                              c, "0x" + keccak256(bytes.fromhex(raw[2:])).hex())))
    # Last: they end the block filter.
    cases.append(Case("eth_uninstallFilter", "installed", lambda c: [c.filters["blocks"]], check=equals(True)))
    cases.append(Case("eth_uninstallFilter", "already uninstalled", lambda c: [c.filters["blocks"]], check=equals(False)))
    return cases


ALL_CASES = build_cases()
assert len({case.id for case in ALL_CASES}) == len(ALL_CASES), "duplicate case names"


def schema_failures(case, value):
    """The schema errors of a case's result (the method's schema and the case's narrower one)."""
    errors = schema_errors(method_schema(case.method), value)
    if case.schema is not None:
        errors += schema_errors(case.schema, value)
    return errors


DEVIATIONS = doc_deviations()


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.id)
def test_result_fits_the_specification(chain, case):
    value = result(chain.url, case.method, case.params(chain))
    errors = schema_failures(case, value)
    if (case.method, case.case) in DEVIATIONS:
        assert errors, (f"{case.id} is listed as a deviation in docs/rpc.md but its result now fits the "
                        f"specification; remove the row. Result: {json.dumps(value)[:400]}")
    else:
        assert not errors, f"{case.id}: result does not fit the schema:\n  " + "\n  ".join(errors[:10]) + \
            f"\nresult: {json.dumps(value)[:600]}"
    if case.check is not None:
        case.check(chain, value)


def test_sends_fit_the_specification(chain):
    """The hashes eth_sendRawTransaction and eth_sendTransaction returned while the chain was built."""
    assert [method for method, _, _ in chain.send_results] == ["eth_sendRawTransaction"] * 6 + \
        ["eth_sendTransaction"] + ["eth_sendRawTransaction"] * 2
    for method, name, value in chain.send_results:
        assert not schema_errors(result_schema(method), value), f"{method} ({name}): {value}"


def test_every_served_method_is_validated():
    """Each eth_/debug_/txpool_ method the node serves has a case above, or (the send methods)
    the previous test, or (WebSocket-only subscriptions) the next but one."""
    covered = {case.method for case in ALL_CASES} | {"eth_sendRawTransaction", "eth_sendTransaction",
                                                     "eth_subscribe", "eth_unsubscribe"}
    missing = sorted(set(SERVED) - covered)
    assert not missing, f"served methods without a spec check: {missing}"


def test_net_version_fits_the_specification(chain):
    value = result(chain.url, "net_version")
    assert not schema_errors(result_schema("net_version"), value) and value == str(CHAIN_ID)


def test_subscriptions_over_websocket_fit(chain):
    from websockets.sync.client import connect
    with connect(chain.url.replace("http", "ws")) as socket:
        socket.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}))
        subscription = json.loads(socket.recv(timeout=10))["result"]
        assert not schema_errors(EXTRA_RESULT_SCHEMAS["eth_subscribe"], subscription), subscription
        socket.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "eth_unsubscribe", "params": [subscription]}))
        answer = json.loads(socket.recv(timeout=10))
        assert answer == {"jsonrpc": "2.0", "id": 2, "result": True}
        assert not schema_errors(EXTRA_RESULT_SCHEMAS["eth_unsubscribe"], answer["result"])


def test_reverts_are_errors_with_the_revert_data(chain):
    """eth_call and eth_estimateGas of a reverting call have no result to validate: geth's error 3."""
    for method in ("eth_call", "eth_estimateGas"):
        reply = call(chain.url, method, [{"to": chain.logger}, "latest"])
        assert reply["error"]["code"] == 3 and reply["error"]["data"] == "0x" + REVERT_DATA.hex(), reply


# ---------------------------------------------------------------------------------------------
# 2. The method lists and the deviations in docs/rpc.md


# Methods that act even without parameters; the probe below leaves them out.
ACTING_WITHOUT_PARAMS = {"evm_mine", "anvil_mine", "hardhat_mine", "evm_snapshot", "anvil_dropAllTransactions",
                         "hardhat_dropAllTransactions"}


def test_method_lists_match_the_specification_the_handlers_and_the_doc(chain):
    implemented = sorted(REGISTERED & set(SPEC_METHODS))
    missing = sorted(set(SPEC_METHODS) - REGISTERED)
    extra = sorted(set(SERVED) - set(SPEC_METHODS))
    # The source scan agrees with the running node: each name it found is served (whatever error
    # an empty parameter list gets, it is not "does not exist"), each specified method it did not
    # find is unknown to the node.
    for method in sorted(REGISTERED - ACTING_WITHOUT_PARAMS):
        reply = call(chain.url, method, [])
        assert "does not exist" not in reply.get("error", {}).get("message", ""), \
            f"{method} is registered in Sources/RPC but the node does not serve it: {reply}"
    for method in missing:
        assert call(chain.url, method, [])["error"] == {
            "code": -32601, "message": f"the method {method} does not exist/is not available"}
    assert sorted(doc_list("Served and specified")) == implemented, \
        f"docs/rpc.md 'Served and specified' should list exactly {implemented}"
    assert sorted(doc_list("Specified, not served")) == missing, \
        f"docs/rpc.md 'Specified, not served' should list exactly {missing}"
    assert sorted(doc_list("Served, not specified")) == extra, \
        f"docs/rpc.md 'Served, not specified' should list exactly {extra}"


def test_every_listed_deviation_names_a_case():
    """Each row of the deviations table names a case this file runs, so a row cannot outlive its
    case (and test_result_fits_the_specification fails a listed case that no longer deviates)."""
    known = {(case.method, case.case) for case in ALL_CASES}
    assert DEVIATIONS <= known, f"rows without a case: {sorted(DEVIATIONS - known)}"


def test_protocol_deviations_are_documented():
    """The two framing differences from geth the malformed-request tests below rely on."""
    text = RPC_DOC.read_text()
    assert "Content types are not checked" in text
    assert "nested deeper than 128 levels" in text


# ---------------------------------------------------------------------------------------------
# 3. Malformed requests


FUZZ_SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
STATS = {"examples": 0}
A0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
A1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"

# A valid parameter list per method the specification defines and the node serves, on a fresh node.
VALID_PARAMS = {
    "eth_getBlockByHash": [ZERO_HASH, False],
    "eth_getBlockByNumber": ["latest", False],
    "eth_getBlockTransactionCountByHash": [ZERO_HASH],
    "eth_getBlockTransactionCountByNumber": ["latest"],
    "eth_getBlockReceipts": ["latest"],
    "eth_call": [{"to": A1}, "latest"],
    "eth_estimateGas": [{"from": A0, "to": A1}, "latest"],
    "eth_createAccessList": [{"from": A0, "to": A1}, "latest"],
    "eth_feeHistory": ["0x1", "latest", [50]],
    "eth_newFilter": [{"fromBlock": "0x0"}],
    "eth_uninstallFilter": ["0x1"],
    "eth_getFilterChanges": ["0x1"],
    "eth_getFilterLogs": ["0x1"],
    "eth_getLogs": [{"fromBlock": "0x0"}],
    "eth_sign": [A0, "0x00"],
    "eth_getBalance": [A0, "latest"],
    "eth_getStorageAt": [A0, "0x0", "latest"],
    "eth_getTransactionCount": [A0, "latest"],
    "eth_getCode": [A0, "latest"],
    "eth_getProof": [A0, [], "latest"],
    "eth_sendTransaction": [{"from": A0, "to": A1, "value": "0x0"}],
    "eth_sendRawTransaction": ["0x"],
    "eth_getTransactionByHash": [ZERO_HASH],
    "eth_getTransactionByBlockHashAndIndex": [ZERO_HASH, "0x0"],
    "eth_getTransactionByBlockNumberAndIndex": ["latest", "0x0"],
    "eth_getTransactionReceipt": [ZERO_HASH],
    "debug_getRawHeader": ["latest"],
    "debug_getRawBlock": ["latest"],
    "debug_getRawTransaction": [ZERO_HASH],
    "debug_getRawReceipts": ["latest"],
    "debug_traceTransaction": [ZERO_HASH, {}],
    "debug_traceBlockByNumber": ["latest", {}],
    "debug_traceBlockByHash": [ZERO_HASH, {}],
    "txpool_contentFrom": [A0],
}
assert all(len(params) == len(SPEC_METHODS[method]["params"]) for method, params in VALID_PARAMS.items()), \
    "VALID_PARAMS gives every parameter the specification lists"
PARAMETERLESS = sorted(name for name in set(SERVED) & set(SPEC_METHODS) if not SPEC_METHODS[name].get("params"))
WITH_PARAMS = sorted(VALID_PARAMS)


def resolve(schema):
    while "$ref" in schema:
        schema = SPEC_SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def json_types(schema):
    """The JSON types a parameter schema admits (None: not stated, so any)."""
    schema = resolve(schema)
    kinds = set()
    if "type" in schema:
        kinds |= set([schema["type"]] if isinstance(schema["type"], str) else schema["type"])
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key, []):
            inner = json_types(branch)
            if inner is None:
                return None
            kinds |= inner
    if "integer" in kinds:
        kinds.add("number")
    return kinds or None


def reference_name(schema):
    return schema.get("$ref", "").rsplit("/", 1)[-1]


# Where geth takes more JSON types than the specification's schema states.
LENIENT_TYPES = {
    ("eth_feeHistory", 0): {"number"},                     # math.HexOrDecimal64
}
BLOCK_SCHEMAS = {"BlockNumberOrTag", "BlockNumberOrTagOrHash"}  # geth's BlockNumberOrHash also takes an EIP-1898 object


def typed_parameters():
    """(method, index, admitted JSON types) for every parameter of the fuzzed methods."""
    found = []
    for method in WITH_PARAMS:
        for index, parameter in enumerate(SPEC_METHODS[method]["params"]):
            kinds = json_types(parameter["schema"])
            if kinds is None:
                continue
            kinds = kinds | LENIENT_TYPES.get((method, index), set())
            if reference_name(parameter["schema"]) in BLOCK_SCHEMAS:
                kinds = kinds | {"object"}
            found.append((method, index, frozenset(kinds)))
    return found


TYPED = typed_parameters()
JSON_SCALARS = st.one_of(st.booleans(), st.integers(-2**80, 2**80), st.floats(allow_nan=False, allow_infinity=False),
                         st.text(max_size=8))
VALUES_BY_TYPE = {
    "boolean": st.booleans(),
    "number": st.one_of(st.integers(-2**300, 2**300), st.floats(allow_nan=False, allow_infinity=False)),
    "object": st.dictionaries(st.text(max_size=6), JSON_SCALARS, max_size=3),
    "array": st.lists(JSON_SCALARS, max_size=3),
    "string": st.text(max_size=20),
}


def post(url, body, content_type="application/json"):
    """POST raw bytes; every reply must come within 10 s and must not be a server error."""
    STATS["examples"] += 1
    headers = {} if content_type is None else {"Content-Type": content_type}
    reply = SESSION.post(url, data=body, headers=headers, timeout=10)
    assert reply.status_code < 500, f"HTTP {reply.status_code} for {body[:200]!r}: {reply.text[:200]}"
    return reply


def error_code(url, body, content_type="application/json"):
    reply = post(url, body, content_type)
    assert reply.status_code == 200, f"HTTP {reply.status_code} for {body[:200]!r}"
    answer = reply.json()
    assert isinstance(answer, dict) and "error" in answer, f"expected an error for {body[:300]!r}, got {answer}"
    return answer["error"]["code"], answer["error"]["message"]


def request_body(method, params, request_id=1):
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}).encode()


@pytest.fixture(scope="module")
def fuzz_node(tmp_path_factory):
    node = NodeProcess(tmp_path_factory.mktemp("fuzz"), arguments=["--dev", "--no-enclave"]).start()
    try:
        yield node
        # Whatever was sent, the node still answers, and its chain did not move.
        assert node.process.poll() is None, f"the node exited: {node.log_path.read_text()[-2000:]}"
        assert result(node.url, "eth_chainId") == hex(CHAIN_ID)
        assert result(node.url, "eth_blockNumber") == "0x0"
    finally:
        node.stop()


@st.composite
def wrong_type(draw):
    method, index, admitted = draw(st.sampled_from(TYPED))
    kind = draw(st.sampled_from(sorted(set(VALUES_BY_TYPE) - admitted)))
    value = draw(VALUES_BY_TYPE[kind])
    params = copy.deepcopy(VALID_PARAMS[method])
    params[index] = value
    return method, params


@FUZZ_SETTINGS
@given(wrong_type())
def test_wrong_parameter_types_are_invalid_params(fuzz_node, case):
    method, params = case
    code, message = error_code(fuzz_node.url, request_body(method, params))
    assert code == -32602, f"{method}{params}: {code} {message}"


@FUZZ_SETTINGS
@given(st.sampled_from(WITH_PARAMS), st.sampled_from(["empty", "null", "absent"]))
def test_missing_parameters_are_invalid_params(fuzz_node, method, form):
    body = {"jsonrpc": "2.0", "id": 1, "method": method}
    if form != "absent":
        body["params"] = [] if form == "empty" else None
    code, message = error_code(fuzz_node.url, json.dumps(body).encode())
    assert (code, message) == (-32602, "missing value for required argument 0"), f"{method} ({form}): {code} {message}"


@FUZZ_SETTINGS
@given(st.sampled_from(WITH_PARAMS + PARAMETERLESS), st.lists(JSON_SCALARS, min_size=5, max_size=8))
def test_extra_parameters_are_invalid_params(fuzz_node, method, extra):
    # No method takes more than four parameters (geth's eth_call: call, block, state and block
    # overrides), so five more than a valid list is always too many.
    params = copy.deepcopy(VALID_PARAMS.get(method, [])) + extra
    code, message = error_code(fuzz_node.url, request_body(method, params))
    assert code == -32602, f"{method}{params}: {code} {message}"
    assert message.startswith(("too many arguments", "invalid argument", "missing value")), message


BLOCK_NUMBER_POSITIONS = [("eth_getBlockByNumber", 0), ("eth_getBlockTransactionCountByNumber", 0),
                          ("eth_getTransactionByBlockNumberAndIndex", 0), ("eth_feeHistory", 1), ("debug_getRawHeader", 0),
                          ("debug_getRawBlock", 0), ("debug_getRawReceipts", 0), ("eth_getBalance", 1), ("eth_getCode", 1),
                          ("eth_getTransactionCount", 1)]
UINT64_POSITIONS = [("eth_getTransactionByBlockNumberAndIndex", 1), ("eth_getTransactionByBlockHashAndIndex", 1),
                    ("eth_feeHistory", 0)]
CALL_FIELDS_64 = ["gas", "nonce"]
CALL_FIELDS_256 = ["value", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas"]
# JSON numbers beyond uint64 and float64 (the only numbers a parameter here admits are eth_feeHistory's
# decimal block count and its percentiles).
OUT_OF_RANGE_NUMBERS = ["1e400", "-1e400", "123456789e999999", "1" * 400, "18446744073709551616"]


def hex_digits(draw, count, first="123456789abcdef"):
    return draw(st.sampled_from(first)) + "".join(draw(st.lists(st.sampled_from("0123456789abcdef"),
                                                                min_size=count - 1, max_size=count - 1)))


@st.composite
def huge_number(draw):
    """(method, request body) with one number too large for its place."""
    form = draw(st.sampled_from(["block number", "uint64", "call field", "json number"]))
    if form in ("block number", "uint64"):
        method, index = draw(st.sampled_from(BLOCK_NUMBER_POSITIONS if form == "block number" else UINT64_POSITIONS))
        # More than 64 bits; for a block number also 64 bits with the top one set (geth: "block
        # number larger than int64"). Never 64 digits: where a block hash is allowed that is one.
        digits = draw(st.integers(17, 200).filter(lambda count: count != 64))
        value = "0x" + hex_digits(draw, digits)
        if form == "block number" and draw(st.booleans()):
            value = "0x" + hex_digits(draw, 16, first="89abcdef")
        params = copy.deepcopy(VALID_PARAMS[method])
        params[index] = value
        return method, request_body(method, params)
    if form == "call field":
        method = draw(st.sampled_from(["eth_call", "eth_estimateGas", "eth_createAccessList", "eth_sendTransaction"]))
        name = draw(st.sampled_from(CALL_FIELDS_64 + CALL_FIELDS_256))
        bits = 64 if name in CALL_FIELDS_64 else 256
        params = copy.deepcopy(VALID_PARAMS[method])
        params[0][name] = hex(draw(st.integers(2**bits, 2**(bits + 200))))
        return method, request_body(method, params)
    method, index, _ = draw(st.sampled_from(TYPED))
    params = copy.deepcopy(VALID_PARAMS[method])
    params[index] = ["@@NUMBER@@"] if (method, index) == ("eth_feeHistory", 2) else "@@NUMBER@@"
    number = draw(st.sampled_from(OUT_OF_RANGE_NUMBERS))
    return method, request_body(method, params).replace(b'"@@NUMBER@@"', number.encode())


@FUZZ_SETTINGS
@given(huge_number())
def test_huge_numbers_are_invalid_params(fuzz_node, case):
    method, body = case
    code, message = error_code(fuzz_node.url, body)
    assert code == -32602, f"{body[:300]!r}: {code} {message}"


HEX_POSITIONS = [(method, index, reference_name(parameter["schema"]))
                 for method in WITH_PARAMS for index, parameter in enumerate(SPEC_METHODS[method]["params"])
                 if reference_name(parameter["schema"]) in {"address", "hash32", "uint", "bytes", "BlockNumberOrTag",
                                                            "BlockNumberOrTagOrHash", "bytesMax32"}
                 and not SPEC_METHODS[method]["params"][index]["name"].startswith("Filter identifier")]
NOT_HEX = "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ -_.!é\u0000"


@st.composite
def bad_hex(draw):
    method, index, kind = draw(st.sampled_from(HEX_POSITIONS))
    digits = draw(st.text(alphabet="0123456789abcdef", max_size=70))
    bad = draw(st.sampled_from(NOT_HEX))
    position = draw(st.integers(0, len(digits)))
    forms = ["0x" + digits[:position] + bad + digits[position:]]  # a character that is not a hex digit
    if kind in ("address", "hash32", "bytes"):
        forms.append("0x" + digits + ("0" if len(digits) % 2 == 0 else ""))  # odd length (so never 40 or 64 digits)
        forms.append(digits or "00")  # no 0x prefix
    if kind in ("uint", "BlockNumberOrTag", "BlockNumberOrTagOrHash") and (method, index) != ("eth_feeHistory", 0):
        forms.append("0x0" + draw(st.sampled_from("123456789abcdef")) + digits[:10])  # leading zero digit
    params = copy.deepcopy(VALID_PARAMS[method])
    params[index] = draw(st.sampled_from(forms))
    return method, params


@FUZZ_SETTINGS
@given(bad_hex())
def test_bad_hex_is_invalid_params(fuzz_node, case):
    method, params = case
    code, message = error_code(fuzz_node.url, request_body(method, params))
    assert code == -32602, f"{method}{params}: {code} {message}"


@FUZZ_SETTINGS
@given(st.sampled_from(WITH_PARAMS), st.integers(1, 300))
def test_deep_nesting(fuzz_node, method, depth):
    """Nested arrays as the first parameter: a bad argument within the node's 128 levels, a parse
    error beyond (geth's decoder allows 10,000 levels: docs/rpc.md lists the difference)."""
    body = b'{"jsonrpc":"2.0","id":1,"method":"' + method.encode() + b'","params":[' + b"[" * depth + b"]" * depth + b"]}"
    code, message = error_code(fuzz_node.url, body)
    total = depth + 2  # the request object and the params array
    expected = -32602 if total <= 128 else -32700
    assert code == expected, f"{method} nested {depth} deep: {code} {message}"


@settings(max_examples=8, deadline=None, derandomize=True, database=None)
@given(st.integers(1001, 3000), st.sampled_from(["eth_chainId", "eth_getBalance", "no_such_method"]))
def test_huge_batches_are_refused_whole(fuzz_node, size, method):
    batch = [{"jsonrpc": "2.0", "id": index + 7, "method": method, "params": []} for index in range(size)]
    reply = post(fuzz_node.url, json.dumps(batch).encode())
    assert reply.json() == [{"jsonrpc": "2.0", "id": 7, "error": {"code": -32600, "message": "batch too large"}}]


# (message, expected result or error code, whether it carries an id): geth answers each request
# of a batch in order, skips notifications, and answers a non-request with id null.
MIXED_ITEMS = st.sampled_from([
    ({"jsonrpc": "2.0", "method": "eth_chainId"}, None, False),
    ({"jsonrpc": "2.0", "method": "no_such_method"}, None, False),
    ({"jsonrpc": "2.0", "method": "eth_chainId", "params": []}, hex(CHAIN_ID), True),
    ({"jsonrpc": "2.0", "method": "no_such_method"}, -32601, True),
    ({"jsonrpc": "2.0", "method": "eth_getBalance", "params": []}, -32602, True),
    ({"jsonrpc": "2.0", "method": "eth_chainId", "params": {}}, -32602, True),
    ({"jsonrpc": "2.0"}, -32600, True),
    ({"jsonrpc": "1.0", "method": "eth_chainId"}, -32600, True),
    ({"jsonrpc": "1.0", "method": "eth_chainId"}, -32600, False),
    (7, -32600, False),
])


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(st.lists(MIXED_ITEMS, min_size=1, max_size=1000))
def test_batches_answer_each_request_in_order(fuzz_node, items):
    batch, expected = [], []
    for index, (message, outcome, has_id) in enumerate(items):
        message = copy.deepcopy(message)
        if has_id:
            message["id"] = index
        batch.append(message)
        if outcome is not None:
            expected.append((index if has_id else None, outcome))
    reply = post(fuzz_node.url, json.dumps(batch).encode())
    if not expected:
        assert reply.status_code == 200 and reply.text == ""
        return
    answers = reply.json()
    assert [(answer["id"], answer["result"] if "result" in answer else answer["error"]["code"]) for answer in answers] \
        == expected


INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc0\x80", b"\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82"]


@FUZZ_SETTINGS
@given(st.sampled_from(INVALID_UTF8), st.sampled_from(["outside", "method", "address", "id"]))
def test_non_utf8_bodies(fuzz_node, bad, where):
    """Go's decoder, and the node's, read invalid UTF-8 inside a string as U+FFFD; outside a string
    it is not JSON."""
    if where == "outside":
        body = b'{"jsonrpc":"2.0",' + bad + b'"id":1,"method":"eth_chainId"}'
        assert error_code(fuzz_node.url, body)[0] == -32700
    elif where == "method":
        body = b'{"jsonrpc":"2.0","id":1,"method":"eth_chain' + bad + b'Id"}'
        assert error_code(fuzz_node.url, body)[0] == -32601
    elif where == "address":
        body = b'{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x' + bad + b'"]}'
        assert error_code(fuzz_node.url, body)[0] == -32602
    else:
        body = b'{"jsonrpc":"2.0","id":"a' + bad + b'","method":"eth_chainId"}'
        reply = post(fuzz_node.url, body).json()
        assert reply["result"] == hex(CHAIN_ID) and reply["id"].startswith("a\ufffd")


@FUZZ_SETTINGS
@given(st.one_of(st.none(), st.sampled_from(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                             "application/xml", "application/json; charset=latin1", "*/*", "",
                                             "application/octet-stream"]),
                 st.text(alphabet=string.ascii_letters + "/+-.;=", max_size=30)))
def test_wrong_content_types_are_served(fuzz_node, content_type):
    """A listed deviation: geth answers 415 to non-JSON content types; this node, like anvil, reads
    the body as JSON whatever the header says."""
    reply = post(fuzz_node.url, request_body("eth_chainId", []), content_type)
    assert reply.status_code == 200 and reply.json()["result"] == hex(CHAIN_ID)


NON_REQUESTS = st.one_of(
    st.integers(), st.text(max_size=10), st.booleans(), st.none(),
    st.just({"id": 1, "method": "eth_chainId"}),  # no "jsonrpc": geth's isCall() is false
    st.dictionaries(st.sampled_from(["jsonrpc", "id", "params", "foo"]), JSON_SCALARS, max_size=4),  # no method
    st.builds(lambda method: {"jsonrpc": "2.0", "id": 1, "method": method},
              st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))),
    st.builds(lambda version: {"jsonrpc": version, "id": 1, "method": "eth_chainId"},
              st.one_of(st.none(), st.integers(), st.text(max_size=5).filter(lambda text: text != "2.0"))),
    st.builds(lambda request_id: {"jsonrpc": "2.0", "id": request_id, "method": "eth_chainId"},
              st.one_of(st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))),
)


@FUZZ_SETTINGS
@given(NON_REQUESTS)
def test_non_requests_are_invalid_requests(fuzz_node, message):
    code, message_text = error_code(fuzz_node.url, json.dumps(message).encode())
    assert code == -32600, f"{message}: {code} {message_text}"


@FUZZ_SETTINGS
@given(st.one_of(st.text(min_size=1, max_size=40), st.integers(2049, 5000).map(lambda n: "eth_" + "x" * (n - 4))))
def test_unknown_methods(fuzz_node, method):
    if method in REGISTERED:
        return
    code, message = error_code(fuzz_node.url, request_body(method, []))
    expected = -32601 if len(method.encode()) <= 2048 else -32600
    assert code == expected, f"{method[:60]!r}: {code} {message[:200]}"


@FUZZ_SETTINGS
@given(st.one_of(
    st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**30, 10**30)), max_size=4),
    st.lists(st.floats(0, 100), min_size=1, max_size=120, unique=True).map(sorted)))
def test_fee_history_percentiles(fuzz_node, percentiles):
    """geth's rules (eth/gasprice): at most 100 percentiles, each in [0, 100], strictly rising;
    else -32000 "invalid reward percentile: …". (A percentile beyond Int's range once crashed the
    node while that message was formatted.) No percentiles: no `reward` member."""
    reply = post(fuzz_node.url, request_body("eth_feeHistory", ["0x1", "latest", percentiles])).json()
    valid = len(percentiles) <= 100 and all(0 <= value <= 100 for value in percentiles) \
        and all(left < right for left, right in zip(percentiles, percentiles[1:]))
    if not valid:
        assert reply["error"]["code"] == -32000 and reply["error"]["message"].startswith("invalid reward percentile"), reply
    elif percentiles:
        assert [len(rewards) for rewards in reply["result"]["reward"]] == [len(percentiles)], reply
    else:
        assert "reward" not in reply["result"], reply


HEXISH = st.one_of(
    st.sampled_from(["latest", "earliest", "pending", "safe", "finalized", "0x", "0x0", "0x1", A0, A1, ZERO_HASH]),
    st.text(alphabet="0123456789abcdefxX", max_size=70).map(lambda text: "0x" + text))
OBJECT_KEYS = st.one_of(st.text(max_size=6), st.sampled_from(
    ["to", "from", "data", "input", "gas", "gasPrice", "value", "nonce", "accessList", "blockHash", "blockNumber",
     "fromBlock", "toBlock", "address", "topics", "tracer", "tracerConfig", "enableMemory", "onlyTopCall", "withLog"]))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**300, 2**300), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=12), HEXISH),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(OBJECT_KEYS, children, max_size=4)),
    max_leaves=12)
# Every served eth_/debug_/txpool_ method except the one that would act on a plausible argument
# (eth_sendTransaction from an unlocked account mines a block; its malformed forms are above).
RANDOM_PARAM_METHODS = sorted(set(SERVED) - {"eth_sendTransaction"})


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(RANDOM_PARAM_METHODS), st.lists(JSON_VALUES, max_size=4))
def test_random_parameters_get_a_result_or_a_client_error(fuzz_node, method, params):
    """Whatever the parameters: an answer, and if an error then a client-side one (bad params,
    refused, reverted; for eth_subscribe over HTTP "notifications not supported"), never -32603."""
    reply = post(fuzz_node.url, request_body(method, params))
    assert reply.status_code == 200
    answer = reply.json()
    assert answer["id"] == 1 and ("result" in answer) != ("error" in answer), answer
    if "error" in answer:
        allowed = {-32602, -32000, 3} | ({-32601} if method in ("eth_subscribe", "eth_unsubscribe") else set())
        assert answer["error"]["code"] in allowed, f"{method}{json.dumps(params)[:300]}: {answer['error']}"


def test_the_node_still_answers_after_the_malformed_requests(fuzz_node):
    """After the Hypothesis tests above (pytest keeps file order); the fixture checks again at the end."""
    assert result(fuzz_node.url, "eth_chainId") == hex(CHAIN_ID)
    print(f"\nmalformed requests sent: {STATS['examples']}")
