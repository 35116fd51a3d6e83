"""anvil's state methods: anvil_dumpState / anvil_loadState, `--dump-state`, `--load-state`,
`--state`, and anvil_reset (foundry crates/anvil: `SerializableState` in eth/backend/db.rs,
`Backend::dump_state` / `load_state_bytes` / `load_state` in eth/backend/mem/mod.rs).

The format is checked from the JSON itself (gzip + json in Python, anvil's field names and
shapes), and every value read back is one this test set, computed here."""
import gzip
import json
import pathlib

from conftest import ROOT, NodeProcess, rpc
from conftest import rpc_result as result

A = "0x00000000000000000000000000000000000000a1"
B = "0x00000000000000000000000000000000000000b2"
C = "0x00000000000000000000000000000000000000c3"
CODE = "0x6001600055600160015500"  # PUSH1 1 PUSH1 0 SSTORE PUSH1 1 PUSH1 1 SSTORE STOP
GENESIS = json.loads((ROOT / "Genesis" / "dev.json").read_text())
GENESIS_BALANCE = {address.lower(): int(entry["balance"], 16) for address, entry in GENESIS["alloc"].items()}


def word(value):
    return "0x" + format(value, "064x")


def set_up(url):
    """Balances, nonces, code and storage on three fresh accounts; returns what was set."""
    result(url, "anvil_setBalance", [A, hex(123_456_789_000_000_000_000)])
    result(url, "anvil_setNonce", [A, "0x9"])
    result(url, "anvil_setCode", [B, CODE])
    result(url, "anvil_setStorageAt", [B, "0x1", word(0xBEEF)])
    result(url, "anvil_setStorageAt", [B, word(2**255 + 7), word(2**256 - 1)])
    result(url, "anvil_setBalance", [B, "0x1"])
    result(url, "anvil_setNonce", [C, "0x1"])
    return {
        A: {"nonce": 9, "balance": 123_456_789_000_000_000_000, "code": "0x", "storage": {}},
        B: {"nonce": 0, "balance": 1, "code": CODE, "storage": {1: 0xBEEF, 2**255 + 7: 2**256 - 1}},
        C: {"nonce": 1, "balance": 0, "code": "0x", "storage": {}},
    }


def check_account(url, address, expected):
    assert int(result(url, "eth_getBalance", [address, "latest"]), 16) == expected["balance"]
    assert int(result(url, "eth_getTransactionCount", [address, "latest"]), 16) == expected["nonce"]
    assert result(url, "eth_getCode", [address, "latest"]) == expected["code"]
    for slot, value in expected["storage"].items():
        assert result(url, "eth_getStorageAt", [address, hex(slot), "latest"]) == word(value)
    proof = result(url, "eth_getProof", [address, [word(slot) for slot in expected["storage"]], "latest"])
    assert int(proof["balance"], 16) == expected["balance"]
    assert int(proof["nonce"], 16) == expected["nonce"]
    assert [int(entry["value"], 16) for entry in proof["storageProof"]] == list(expected["storage"].values())


def decode_dump(hex_text):
    raw = bytes.fromhex(hex_text[2:])
    assert raw[:2] == b"\x1f\x8b"  # gzip
    return json.loads(gzip.decompress(raw))


def test_dump_is_gzip_json_in_anvils_format_and_loads_into_a_fresh_node(tmp_path):
    source = NodeProcess(tmp_path).start()
    target = NodeProcess(tmp_path).start()
    try:
        expected = set_up(source.url)
        # A mined transfer: 1 gwei to a fresh account.
        fresh = "0x00000000000000000000000000000000000000d4"
        result(source.url, "eth_sendTransaction", [{"from": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "to": fresh,
                                                    "value": hex(10**9)}])
        expected[fresh] = {"nonce": 0, "balance": 10**9, "code": "0x", "storage": {}}
        state = decode_dump(result(source.url, "anvil_dumpState"))
        assert list(state) == ["block", "accounts", "best_block_number", "blocks", "transactions", "historical_states"]
        assert state["best_block_number"] == 1 and state["blocks"] == [] and state["transactions"] == []
        block = state["block"]
        assert set(block) >= {"number", "beneficiary", "timestamp", "gas_limit", "basefee", "difficulty", "prevrandao"}
        assert int(block["number"], 16) == 1 and isinstance(block["gas_limit"], int) and isinstance(block["basefee"], int)
        for address, account in state["accounts"].items():
            assert address == address.lower() and len(address) == 42
            assert list(account) == ["nonce", "balance", "code", "storage"]
            assert isinstance(account["nonce"], int) and account["balance"].startswith("0x")
            assert account["code"].startswith("0x") and isinstance(account["storage"], dict)
            for key, value in account["storage"].items():
                assert len(key) == 66 and len(value) == 66  # 32-byte words (alloy's B256)
        for address, account in expected.items():
            dumped = state["accounts"][address]
            assert dumped["nonce"] == account["nonce"] and int(dumped["balance"], 16) == account["balance"]
            assert dumped["code"] == account["code"]
            assert {int(k, 16): int(v, 16) for k, v in dumped["storage"].items()} == account["storage"]
        # Every genesis account is there (dev accounts 1-9 untouched).
        for address in list(GENESIS_BALANCE)[1:10]:
            assert int(state["accounts"][address]["balance"], 16) == GENESIS_BALANCE[address]
        # Load into a fresh node: the same accounts, read through the state methods and eth_getProof.
        assert result(target.url, "anvil_loadState", [result(source.url, "hardhat_dumpState", [False])]) is True
        for address, account in expected.items():
            check_account(target.url, address, account)
        assert int(result(target.url, "eth_blockNumber"), 16) == 0  # the head stays (anvil would move to 1)
        # The next block builds on the loaded state: B's code runs and writes its slots.
        result(target.url, "eth_sendTransaction", [{"from": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "to": B}])
        assert result(target.url, "eth_getStorageAt", [B, "0x1", "latest"]) == word(1)
        assert result(target.url, "eth_getStorageAt", [B, hex(2**255 + 7), "latest"]) == word(2**256 - 1)
    finally:
        source.stop()
        target.stop()


def test_load_merges_as_anvil_does(node):
    result(node.url, "anvil_setNonce", [A, "0x5"])
    result(node.url, "anvil_setCode", [A, CODE])
    result(node.url, "anvil_setStorageAt", [A, "0x1", word(11)])
    result(node.url, "anvil_setStorageAt", [A, "0x2", word(22)])
    # Plain (not gzipped) JSON is taken too, as anvil's load_state_bytes takes it; decimal numbers too.
    dump = {"accounts": {A: {"nonce": 3, "balance": "1000", "code": "0x", "storage": {"0x2": "0x21", "3": "44"}}}}
    assert result(node.url, "anvil_loadState", ["0x" + json.dumps(dump).encode().hex()]) is True
    # nonce: the larger; balance and code replaced (empty code removes code); slots merged.
    check_account(node.url, A, {"nonce": 5, "balance": 1000, "code": "0x", "storage": {1: 11, 2: 0x21, 3: 44}})


def test_hand_written_anvil_state_file_loads_at_start(tmp_path):
    # A state file as anvil writes it (plain JSON, revm's BlockEnv, 32-byte storage words), by hand.
    state = {
        "block": {"number": "0x2a", "beneficiary": "0x0000000000000000000000000000000000000000",
                  "timestamp": "0x6553f100", "gas_limit": 30000000, "basefee": 875000000, "difficulty": "0x0",
                  "prevrandao": "0x" + "00" * 32, "blob_excess_gas_and_price": {"excess_blob_gas": 0, "blob_gasprice": 1}},
        "accounts": {
            "0x00000000000000000000000000000000000000A1": {
                "nonce": 4, "balance": "0xde0b6b3a7640000", "code": "0x", "storage": {}},
            B: {"nonce": 1, "balance": "0x0", "code": CODE,
                "storage": {word(0): word(5), word(2**128): word(0x1234)}},
        },
        "best_block_number": "0x2a",
        "blocks": [],
        "transactions": [],
    }
    path = tmp_path / "anvil-state.json"
    path.write_text(json.dumps(state, indent=2))
    node = NodeProcess(tmp_path, arguments=["--dev", "--load-state", str(path)]).start()
    try:
        check_account(node.url, A, {"nonce": 4, "balance": 10**18, "code": "0x", "storage": {}})
        check_account(node.url, B, {"nonce": 1, "balance": 0, "code": CODE, "storage": {0: 5, 2**128: 0x1234}})
    finally:
        node.stop()
    # The same file gzip-compressed (level 9: dynamic Huffman blocks) through a directory's state.json.
    directory = tmp_path / "dir"
    directory.mkdir()
    (directory / "state.json").write_bytes(gzip.compress(json.dumps(state).encode(), compresslevel=9))
    node = NodeProcess(tmp_path, arguments=["--dev", "--load-state", str(directory)]).start()
    try:
        check_account(node.url, B, {"nonce": 1, "balance": 0, "code": CODE, "storage": {0: 5, 2**128: 0x1234}})
    finally:
        node.stop()


def test_dump_state_on_sigterm_then_load_state_and_state(tmp_path):
    path = tmp_path / "dumped.json"
    node = NodeProcess(tmp_path, arguments=["--dev", "--dump-state", str(path)]).start()
    expected = set_up(node.url)
    node.stop()  # SIGTERM
    assert node.process.returncode == 0
    text = path.read_bytes()
    assert text[:1] == b"{"  # anvil's file is plain JSON
    state = json.loads(text)
    assert state["accounts"][B]["code"] == CODE and state["accounts"][A]["nonce"] == 9
    node = NodeProcess(tmp_path, arguments=["--dev", "--load-state", str(path)]).start()
    try:
        for address, account in expected.items():
            check_account(node.url, address, account)
    finally:
        node.stop()
    # --state: loads the file when it exists, writes it on exit.
    both = tmp_path / "both.json"
    node = NodeProcess(tmp_path, arguments=["--dev", "--state", str(both)]).start()
    result(node.url, "anvil_setBalance", [C, "0x77"])
    node.stop()
    node = NodeProcess(tmp_path, arguments=["--dev", "--state", str(both)]).start()
    try:
        assert int(result(node.url, "eth_getBalance", [C, "latest"]), 16) == 0x77
    finally:
        node.stop()


def test_state_flags_are_refused_without_dev_or_together(tmp_path):
    import subprocess
    from conftest import BINARY
    for arguments in (["--genesis", "Genesis/dev.json", "--dump-state", "x.json"],
                      ["--dev", "--state", "a.json", "--load-state", "b.json"]):
        done = subprocess.run([str(BINARY), "node", *arguments, "--ephemeral"], cwd=ROOT, capture_output=True, timeout=30)
        assert done.returncode != 0
        assert b"--state" in done.stderr or b"--dump-state" in done.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"accounts": {A: {"nonce": "0x1", "balance": "0x0", "code": "0x", "storage": {}}}}))
    done = subprocess.run([str(BINARY), "node", "--dev", "--ephemeral", "--load-state", str(bad)], cwd=ROOT,
                          capture_output=True, timeout=30)
    assert done.returncode != 0
    assert b'nonce: "0x1", expected a JSON integer' in done.stderr


def test_reset_returns_to_block_0_and_the_genesis_balances(node):
    genesis = result(node.url, "eth_getBlockByNumber", ["0x0", False])
    sender, receiver = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
    snapshot = result(node.url, "evm_snapshot")
    result(node.url, "eth_sendTransaction", [{"from": sender, "to": receiver, "value": hex(10**18)}])
    result(node.url, "anvil_mine", ["0x3"])
    set_up(node.url)
    result(node.url, "evm_setAutomine", [False])
    result(node.url, "eth_sendTransaction", [{"from": receiver, "to": sender, "value": "0x1"}])
    assert int(result(node.url, "txpool_status")["pending"], 16) == 1
    assert result(node.url, "anvil_reset") is None
    assert result(node.url, "eth_blockNumber") == "0x0"
    assert result(node.url, "eth_getBlockByNumber", ["latest", False])["hash"] == genesis["hash"]
    for address in (sender, receiver):
        assert int(result(node.url, "eth_getBalance", [address, "latest"]), 16) == GENESIS_BALANCE[address]
        assert result(node.url, "eth_getTransactionCount", [address, "latest"]) == "0x0"
    check_account(node.url, B, {"nonce": 0, "balance": 0, "code": "0x", "storage": {1: 0}})
    assert result(node.url, "txpool_status") == {"pending": "0x0", "queued": "0x0"}
    assert result(node.url, "evm_revert", [snapshot]) is False
    # The chain goes on from block 0 (hardhat_reset is the alias; `{}` is no forking).
    result(node.url, "evm_mine")
    assert result(node.url, "eth_blockNumber") == "0x1"
    assert result(node.url, "hardhat_reset", [{}]) is None
    assert result(node.url, "eth_blockNumber") == "0x0"
    for forking in ({"forking": {"jsonRpcUrl": "http://localhost:8545", "blockNumber": 5}},
                    {"jsonRpcUrl": "http://localhost:8545"}):
        reply = rpc(node.url, "anvil_reset", [forking])
        assert reply["error"]["code"] == -32602
        assert "forking is not supported" in reply["error"]["message"]


def test_bad_input_is_refused_naming_the_value_and_the_state_stays(node):
    set_up(node.url)
    before = result(node.url, "anvil_dumpState")

    def gz(document):
        return "0x" + gzip.compress(document if isinstance(document, bytes) else json.dumps(document).encode()).hex()

    good_gzip = gzip.compress(json.dumps({"accounts": {}}).encode())
    bad_crc = good_gzip[:-8] + bytes([good_gzip[-8] ^ 1]) + good_gzip[-7:]
    account = {"nonce": 1, "balance": "0x1", "code": "0x", "storage": {}}
    cases = [
        (["0xzz"], "not hex"),
        ([12], "12 is not a hex string"),
        (["0x0102"], "neither gzip (no 1f 8b header) nor JSON"),
        (["0x" + bad_crc.hex()], "CRC-32 mismatch"),
        (["0x1f8b0800"], "truncated gzip stream"),
        ([gz(b"{\"accounts\": ")], "the gzip data is not JSON"),
        ([gz([1, 2])], "the state is [1,2], expected an object"),
        ([gz({"block": None})], 'missing field "accounts"'),
        ([gz({"accounts": {"0x12": account}})], 'the key "0x12" is not a 20-byte hex address'),
        ([gz({"accounts": {A: {**account, "balance": True}}})], f"accounts.{A}.balance: true, expected a hex"),
        ([gz({"accounts": {A: {**account, "nonce": "0x1"}}})], f'accounts.{A}.nonce: "0x1", expected a JSON integer'),
        ([gz({"accounts": {A: {**account, "nonce": -1}}})], f"accounts.{A}.nonce: -1, expected a JSON integer"),
        ([gz({"accounts": {A: {**account, "code": "0x123"}}})], f'accounts.{A}.code: "0x123", expected a hex string'),
        ([gz({"accounts": {A: {**account, "storage": []}}})], f"accounts.{A}.storage: [], expected an object"),
        ([gz({"accounts": {A: {**account, "storage": {"0x1": "0x" + "f" * 65}}}})], f"accounts.{A}.storage.0x1:"),
        ([gz({"accounts": {A: {"nonce": 1, "balance": "0x1", "code": "0x"}}})], f'accounts.{A}: missing field "storage"'),
    ]
    for params, expected in cases:
        reply = rpc(node.url, "anvil_loadState", params)
        assert "error" in reply, (params, reply)
        assert reply["error"]["code"] == -32602, reply
        assert expected in reply["error"]["message"], (expected, reply["error"]["message"])
    assert rpc(node.url, "anvil_loadState", [])["error"] == {"code": -32602, "message": "missing value for required argument 0"}
    assert result(node.url, "anvil_dumpState") == before
    check_account(node.url, A, {"nonce": 9, "balance": 123_456_789_000_000_000_000, "code": "0x", "storage": {}})
