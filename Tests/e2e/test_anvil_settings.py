"""anvil's block-environment, pool and switch methods and interval mining (issue 17), with anvil's
names, parameters and results (foundry crates/anvil `EthRequest`/`EthApi`).

Expected values come from outside the node: EIP-1559's base-fee rule computed here, transaction
hashes from eth-account (signed here), timestamps from the values set, and the wall clock for
interval mining.
"""
import subprocess
import time

from eth_account import Account
from web3 import Web3

from conftest import BINARY, ROOT, NodeProcess
from conftest import rpc_error as error, rpc_result as result

CHAIN_ID = 31337
GWEI = 10**9
ZERO_HASH = "0x" + "00" * 32


def next_base_fee(parent):
    """EIP-1559's base fee of the child of `parent` (elasticity 2, change denominator 8)."""
    base, used, target = int(parent["baseFeePerGas"], 16), int(parent["gasUsed"], 16), int(parent["gasLimit"], 16) // 2
    if used == target:
        return base
    if used > target:
        return base + max(1, base * (used - target) // target // 8)
    return base - base * (target - used) // target // 8


def signed_transfer(account, nonce, to, fee_cap=100 * GWEI, tip=GWEI, gas=21_000, value=1):
    signed = account.sign_transaction({"type": 2, "chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": value,
                                       "gas": gas, "maxFeePerGas": fee_cap, "maxPriorityFeePerGas": tip})
    return "0x" + signed.raw_transaction.hex(), "0x" + signed.hash.hex()


def send(node, account, nonce, to, **fields):
    raw, expected = signed_transfer(account, nonce, to, **fields)
    assert result(node.url, "eth_sendRawTransaction", [raw]) == expected
    return expected


def head(node):
    return result(node.url, "eth_getBlockByNumber", ["latest", False])


# --- anvil_setNextBlockBaseFeePerGas, anvil_setMinGasPrice --------------------------------------


def test_next_block_base_fee_is_the_value_set_then_eip1559_follows(w3, node, accounts):
    fee = 7 * GWEI + 123
    assert result(node.url, "anvil_setNextBlockBaseFeePerGas", [hex(fee)]) is None
    # Fee suggestions and anvil_nodeInfo see it before the block exists.
    assert result(node.url, "eth_gasPrice") == hex(fee + GWEI)
    assert result(node.url, "anvil_nodeInfo")["environment"]["baseFee"] == hex(fee)
    history = result(node.url, "eth_feeHistory", ["0x1", "latest", []])
    assert history["baseFeePerGas"][-1] == hex(fee)
    # A fee cap below it is refused as anvil refuses it.
    raw, _ = signed_transfer(accounts[1], 0, accounts[9].address, fee_cap=fee - 1)
    assert error(node.url, "eth_sendRawTransaction", [raw])["message"].startswith("max fee per gas less than block base fee")
    transaction = send(node, accounts[1], 0, accounts[9].address, fee_cap=fee + GWEI)
    block = head(node)
    assert block["number"] == "0x1" and block["transactions"] == [transaction]
    assert block["baseFeePerGas"] == hex(fee)
    receipt = result(node.url, "eth_getTransactionReceipt", [transaction])
    assert receipt["effectiveGasPrice"] == hex(fee + GWEI)
    # Used up by that block: the next one follows EIP-1559 from it.
    assert result(node.url, "evm_mine") == "0x0"
    assert head(node)["baseFeePerGas"] == hex(next_base_fee(block))
    # A JSON number works too (anvil's deserialize_number_seq), and the hardhat_ alias.
    assert result(node.url, "hardhat_setNextBlockBaseFeePerGas", [0]) is None
    assert result(node.url, "evm_mine") == "0x0"
    assert head(node)["baseFeePerGas"] == "0x0"
    assert w3.eth.get_block("latest")["baseFeePerGas"] == 0


def test_base_fee_and_min_gas_price_bad_arguments(node):
    assert error(node.url, "anvil_setNextBlockBaseFeePerGas", ["0xzz"]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal invalid hex string into Go value of type *hexutil.Big"}
    assert error(node.url, "anvil_setNextBlockBaseFeePerGas", [-1]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal number -1 into Go value of type *hexutil.Big"}
    assert error(node.url, "anvil_setNextBlockBaseFeePerGas", []) == {
        "code": -32602, "message": "missing value for required argument 0"}
    # anvil refuses a minimum gas price whenever EIP-1559 is active, as it always is here.
    refusal = {"code": -32602, "message": "anvil_setMinGasPrice is not supported when EIP-1559 is active"}
    assert error(node.url, "anvil_setMinGasPrice", ["0x0"]) == refusal
    assert error(node.url, "hardhat_setMinGasPrice", [10]) == refusal
    assert error(node.url, "anvil_setMinGasPrice", [True])["code"] == -32602


# --- evm_setBlockGasLimit ---------------------------------------------------------------------


def test_block_gas_limit_is_set_exactly_for_every_later_block(node, accounts):
    assert result(node.url, "evm_setBlockGasLimit", [hex(50_000)]) is True
    assert result(node.url, "anvil_nodeInfo")["environment"]["gasLimit"] == hex(50_000)
    # A transaction wanting more than the new limit is refused at once.
    raw, _ = signed_transfer(accounts[1], 0, accounts[9].address, gas=50_001)
    assert error(node.url, "eth_sendRawTransaction", [raw]) == {
        "code": -32000, "message": "exceeds block gas limit: tx gas 50001, block gas limit 50000"}
    send(node, accounts[1], 0, accounts[9].address)
    assert head(node)["gasLimit"] == hex(50_000)
    assert result(node.url, "evm_mine") == "0x0"
    assert head(node)["gasLimit"] == hex(50_000)
    # anvil's own name, with a JSON number; far beyond geth's per-block step of parent/1024.
    assert result(node.url, "anvil_setBlockGasLimit", [60_000_000]) is True
    assert result(node.url, "evm_mine") == "0x0"
    assert head(node)["gasLimit"] == hex(60_000_000)


def test_block_gas_limit_bad_arguments(node):
    assert error(node.url, "evm_setBlockGasLimit", [hex(2**63)]) == {
        "code": -32602, "message": f"gas limit {2**63} exceeds the most a block may have ({2**63 - 1})"}
    assert error(node.url, "evm_setBlockGasLimit", [hex(2**64)]) == {
        "code": -32602, "message": f"gas limit {2**64} exceeds the most a block may have ({2**63 - 1})"}
    assert error(node.url, "evm_setBlockGasLimit", ["1000"]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type *hexutil.Big"}


# --- anvil_setBlockTimestampInterval, anvil_removeBlockTimestampInterval ------------------------


def test_timestamp_interval_steps_each_block_until_removed(node):
    start = int(head(node)["timestamp"], 16)
    assert result(node.url, "anvil_setBlockTimestampInterval", [100]) is None
    assert result(node.url, "anvil_mine", [3]) is None
    timestamps = [int(result(node.url, "eth_getBlockByNumber", [hex(n), False])["timestamp"], 16) for n in range(4)]
    assert timestamps == [start, start + 100, start + 200, start + 300]
    # evm_setNextBlockTimestamp still fixes one block; the interval continues from it.
    assert result(node.url, "evm_setNextBlockTimestamp", [start + 1000]) is None
    assert result(node.url, "evm_mine") == "0x0"
    assert result(node.url, "evm_mine") == "0x0"
    assert [int(result(node.url, "eth_getBlockByNumber", [hex(n), False])["timestamp"], 16) for n in (4, 5)] == \
        [start + 1000, start + 1100]
    # A hex quantity is accepted too.
    assert result(node.url, "anvil_setBlockTimestampInterval", ["0xa"]) is None
    assert result(node.url, "evm_mine") == "0x0"
    assert int(head(node)["timestamp"], 16) == start + 1110
    assert result(node.url, "anvil_removeBlockTimestampInterval") is True
    assert result(node.url, "anvil_removeBlockTimestampInterval") is False
    # Without the interval the dev clock decides again; it is behind the head here, so parent + 1.
    assert result(node.url, "evm_mine") == "0x0"
    assert int(head(node)["timestamp"], 16) == start + 1111


def test_timestamp_interval_bad_arguments(node):
    assert error(node.url, "anvil_setBlockTimestampInterval", ["ten"]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type hexutil.Uint64"}
    assert error(node.url, "anvil_setBlockTimestampInterval", [-5]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal number -5 into Go value of type uint64"}
    assert error(node.url, "anvil_setBlockTimestampInterval", [2**62]) == {
        "code": -32602, "message": f"interval {2**62} is past the latest timestamp this node accepts ({2**62 - 1})"}
    assert error(node.url, "anvil_removeBlockTimestampInterval", [1]) == {
        "code": -32602, "message": "too many arguments, want at most 0"}


# --- anvil_dropTransaction, anvil_dropAllTransactions -------------------------------------------


def pool(node):
    content = result(node.url, "txpool_content")
    return {kind: {sender.lower(): sorted(int(nonce) for nonce in by_nonce) for sender, by_nonce in senders.items()}
            for kind, senders in content.items()}


def test_dropped_transaction_and_its_dependants_leave_the_pool_and_are_never_mined(node, accounts):
    assert result(node.url, "evm_setAutomine", [False]) is None
    a, b = accounts[1], accounts[2]
    a0, a1, a2 = (send(node, a, nonce, accounts[9].address) for nonce in range(3))
    b0 = send(node, b, 0, accounts[9].address)
    a5 = send(node, a, 5, accounts[9].address)  # queued behind a gap
    assert pool(node) == {"pending": {a.address.lower(): [0, 1, 2], b.address.lower(): [0]},
                          "queued": {a.address.lower(): [5]}}
    # Dropping A's nonce 1 drops nonce 2 too (it could never be mined; anvil drops dependants).
    assert result(node.url, "anvil_dropTransaction", [a1]) == a1
    assert pool(node) == {"pending": {a.address.lower(): [0], b.address.lower(): [0]},
                          "queued": {a.address.lower(): [5]}}
    assert result(node.url, "eth_getTransactionByHash", [a1]) is None
    assert result(node.url, "eth_getTransactionByHash", [a2]) is None
    # A queued one goes alone; an unknown or already dropped hash answers null.
    assert result(node.url, "hardhat_dropTransaction", [a5]) == a5
    assert result(node.url, "anvil_dropTransaction", [a1]) is None
    assert result(node.url, "anvil_dropTransaction", [ZERO_HASH]) is None
    assert result(node.url, "evm_mine") == "0x0"
    assert sorted(head(node)["transactions"]) == sorted([a0, b0])
    for dropped in (a1, a2, a5):
        assert result(node.url, "eth_getTransactionReceipt", [dropped]) is None
    assert result(node.url, "txpool_status") == {"pending": "0x0", "queued": "0x0"}
    assert result(node.url, "eth_getTransactionCount", [a.address, "latest"]) == "0x1"


def test_drop_all_transactions_empties_the_pool(node, accounts):
    assert result(node.url, "evm_setAutomine", [False]) is None
    sent = [send(node, accounts[1], nonce, accounts[9].address) for nonce in (0, 1, 3)]
    assert result(node.url, "txpool_status") == {"pending": "0x2", "queued": "0x1"}
    assert result(node.url, "anvil_dropAllTransactions") is None
    assert result(node.url, "txpool_status") == {"pending": "0x0", "queued": "0x0"}
    assert result(node.url, "evm_mine") == "0x0"
    assert head(node)["transactions"] == []
    assert all(result(node.url, "eth_getTransactionByHash", [h]) is None for h in sent)
    # The same transactions can be sent again afterwards.
    assert send(node, accounts[1], 0, accounts[9].address) == sent[0]
    assert result(node.url, "hardhat_dropAllTransactions") is None
    assert error(node.url, "anvil_dropTransaction", ["0x1234"]) == {
        "code": -32602, "message": "invalid argument 0: hex string has length 4, want 64 for common.Hash"}
    assert error(node.url, "anvil_dropAllTransactions", [1])["code"] == -32602


# --- anvil_nodeInfo ---------------------------------------------------------------------------


def test_node_info_has_anvils_shape_and_the_nodes_values(node):
    assert result(node.url, "evm_mine") == "0x0"
    block = head(node)
    info = result(node.url, "anvil_nodeInfo")
    assert info == {
        "currentBlockNumber": "0x1",
        "currentBlockTimestamp": int(block["timestamp"], 16),
        "currentBlockHash": block["hash"],
        "hardFork": "Cancun",
        "transactionOrder": "fees",
        "environment": {
            "baseFee": hex(next_base_fee(block)),
            "chainId": CHAIN_ID,
            "gasLimit": block["gasLimit"],
            "gasPrice": hex(next_base_fee(block) + GWEI),
        },
        "forkConfig": {"forkUrl": None, "forkBlockNumber": None, "forkRetryBackoff": None},
    }
    assert info["environment"]["gasPrice"] == result(node.url, "eth_gasPrice")
    assert error(node.url, "anvil_nodeInfo", [1])["code"] == -32602


# --- anvil_setLoggingEnabled, anvil_enableTraces, anvil_autoImpersonateAccount ------------------


def dropped_lines(node):
    return [line for line in node.log_path.read_text().splitlines() if line.startswith("dropped transaction")]


def test_logging_switch_silences_the_nodes_log_lines(node, accounts):
    """A pooled transaction whose sender is emptied (anvil_setBalance) is left out of the next block
    and the node logs it, unless logging is off."""
    sender = accounts[5].address
    assert result(node.url, "evm_setAutomine", [False]) is None

    def pooled_then_unfunded(nonce):
        result(node.url, "anvil_setBalance", [sender, hex(10**18)])
        hash_ = send(node, accounts[5], nonce, accounts[9].address)
        result(node.url, "anvil_setBalance", [sender, "0x0"])
        return hash_

    assert result(node.url, "anvil_setLoggingEnabled", [False]) is None
    silent = pooled_then_unfunded(0)
    assert result(node.url, "evm_mine") == "0x0"
    silent_block = int(result(node.url, "eth_blockNumber"), 16)
    assert result(node.url, "eth_getTransactionByHash", [silent]) is None
    assert result(node.url, "hardhat_setLoggingEnabled", [True]) is None
    logged = pooled_then_unfunded(0)
    assert logged == silent  # the same signed transaction, sent again
    assert result(node.url, "evm_mine") == "0x0"
    deadline = time.time() + 5
    while not dropped_lines(node) and time.time() < deadline:
        time.sleep(0.05)
    lines = dropped_lines(node)
    assert len(lines) == 1 and lines[0].startswith(f"dropped transaction {logged} from {sender}: insufficient funds"), lines
    # The per-block line too: the block mined while silent has none, the next one has.
    block_lines = [line for line in node.log_path.read_text().splitlines() if line.startswith("Block #")]
    assert not any(line.startswith(f"Block #{silent_block} ") for line in block_lines), block_lines
    while not any(line.startswith(f"Block #{silent_block + 1} ") for line in block_lines) and time.time() < deadline:
        time.sleep(0.05)
        block_lines = [line for line in node.log_path.read_text().splitlines() if line.startswith("Block #")]
    assert any(line.startswith(f"Block #{silent_block + 1} ") for line in block_lines), block_lines
    assert error(node.url, "anvil_setLoggingEnabled", ["yes"]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal string into Go value of type bool"}


def test_enable_traces_answers_null_and_traces_stay_available(node, accounts):
    assert result(node.url, "anvil_enableTraces") is None
    transaction = send(node, accounts[1], 0, accounts[9].address)
    trace = result(node.url, "debug_traceTransaction", [transaction, {"tracer": "callTracer"}])
    assert (trace["from"], trace["to"], trace["gasUsed"], trace["type"]) == \
        (accounts[1].address.lower(), accounts[9].address.lower(), hex(21_000), "CALL")
    assert error(node.url, "anvil_enableTraces", [True]) == {"code": -32602, "message": "too many arguments, want at most 0"}


def test_auto_impersonation_lets_any_account_send(w3, node, accounts):
    stranger = Web3.to_checksum_address("0x00000000000000000000000000000000000c0ffe")
    assert result(node.url, "anvil_setBalance", [stranger, hex(10**18)]) is None
    request = {"from": stranger, "to": accounts[9].address, "value": "0x7"}
    assert error(node.url, "eth_sendTransaction", [request]) == {"code": -32000, "message": "unknown account"}
    assert result(node.url, "anvil_autoImpersonateAccount", [True]) is None
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction(request | {"value": 7}))
    assert receipt.status == 1 and receipt["from"] == stranger and receipt.gasUsed == 21_000
    assert w3.eth.get_balance(accounts[9].address) == 10_000 * 10**18 + 7
    # Another account again, through the hardhat_ alias's off switch afterwards.
    other = Web3.to_checksum_address("0x00000000000000000000000000000000000000ee")
    assert result(node.url, "anvil_setBalance", [other, hex(10**18)]) is None
    assert w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": other, "to": stranger, "value": 1})).status == 1
    assert result(node.url, "hardhat_autoImpersonateAccount", [False]) is None
    assert error(node.url, "eth_sendTransaction", [request]) == {"code": -32000, "message": "unknown account"}
    assert error(node.url, "anvil_autoImpersonateAccount", ["0x1"]) == {
        "code": -32602, "message": "invalid argument 0: json: cannot unmarshal string into Go value of type bool"}


# --- --block-time N -----------------------------------------------------------------------------


def test_block_time_mines_a_block_every_n_seconds(tmp_path, accounts):
    node = NodeProcess(tmp_path, arguments=["--dev", "--no-enclave", "--block-time", "2"]).start()
    try:
        assert result(node.url, "anvil_getAutomine") is False
        # A transaction waits for the next tick instead of being mined at once.
        sent_at_block = int(result(node.url, "eth_blockNumber"), 16)
        transaction = send(node, accounts[1], 0, accounts[9].address)
        seen = {}  # block number -> wall time it was first seen
        deadline = time.time() + 9
        while time.time() < deadline:
            number = int(result(node.url, "eth_blockNumber"), 16)
            if number not in seen:
                seen[number] = time.time()
            time.sleep(0.02)
        numbers = sorted(seen)
        assert numbers[-1] >= 4, f"only {numbers[-1]} blocks in 9 s with --block-time 2"
        blocks = [result(node.url, "eth_getBlockByNumber", [hex(n), False]) for n in range(1, numbers[-1] + 1)]
        timestamps = [int(block["timestamp"], 16) for block in blocks]
        assert all(later - earlier == 2 for earlier, later in zip(timestamps, timestamps[1:])), timestamps
        # Blocks arrive about 2 s apart on the wall clock (each seen within the 20 ms polls).
        arrivals = [seen[n] for n in numbers if n >= 1 and n - 1 in seen and n - 1 >= 1]
        gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
        assert gaps and all(1.5 <= gap <= 2.5 for gap in gaps), gaps
        # Empty blocks too, and the transaction went into the first block after it was sent.
        receipt = result(node.url, "eth_getTransactionReceipt", [transaction])
        assert int(receipt["blockNumber"], 16) == sent_at_block + 1
        assert any(block["transactions"] == [] for block in blocks)
        # evm_setAutomine(true) switches to instant mining, as in anvil: no more blocks on their own.
        assert result(node.url, "evm_setAutomine", [True]) is None
        settled = int(result(node.url, "eth_blockNumber"), 16)
        time.sleep(4.5)
        assert int(result(node.url, "eth_blockNumber"), 16) == settled
        mined = send(node, accounts[1], 1, accounts[9].address)
        assert int(result(node.url, "eth_getTransactionReceipt", [mined])["blockNumber"], 16) == settled + 1
    finally:
        node.stop()


def test_block_time_arguments_are_checked():
    for arguments, message in ((["--dev", "--block-time", "0"], "--block-time 0: expected a whole number of seconds, at least 1"),
                               (["--genesis", "Genesis/dev.json", "--block-time", "2"], "--block-time needs --dev"),
                               (["--dev", "--block-time", "1.5"], "--block-time")):
        finished = subprocess.run([str(BINARY), "node", *arguments, "--ephemeral"], cwd=ROOT, capture_output=True,
                                  text=True, timeout=30)
        assert finished.returncode != 0 and message in finished.stderr, (arguments, finished.stderr)
