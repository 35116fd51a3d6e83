"""State and block overrides on eth_call, eth_estimateGas and debug_traceCall (geth's
`internal/ethapi/override`): hand-assembled probes whose results follow from the overrides alone,
geth's refusals, and the chain left as it was. eth_call and eth_estimateGas go through web3.py's
`state_override` where it has one; block overrides and debug_traceCall are raw JSON."""
import pytest
import rlp
from web3 import HTTPProvider, Web3

from conftest import NodeProcess, keccak256, rpc_error, rpc_result
from test_rpc_spec import result_schema, schema_errors

ZERO = "0x" + "00" * 32


def word(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


def words(data: bytes) -> list:
    return [int.from_bytes(data[i:i + 32], "big") for i in range(0, len(data), 32)]


def assemble(*parts: str) -> str:
    return "0x" + "".join(parts)


# PROBE returns eleven words: NUMBER, TIMESTAMP, GASLIMIT, COINBASE, PREVRANDAO, BASEFEE,
# BLOBBASEFEE, SLOAD(0), SLOAD(1), SELFBALANCE and the address CREATE gives an empty init code (which
# follows from the probe's nonce).
PROBE_RUNTIME = assemble(
    "43", "600052",          # NUMBER         -> mem[0x000]
    "42", "602052",          # TIMESTAMP      -> mem[0x020]
    "45", "604052",          # GASLIMIT       -> mem[0x040]
    "41", "606052",          # COINBASE       -> mem[0x060]
    "44", "608052",          # PREVRANDAO     -> mem[0x080]
    "48", "60a052",          # BASEFEE        -> mem[0x0a0]
    "4a", "60c052",          # BLOBBASEFEE    -> mem[0x0c0]
    "600054", "60e052",      # SLOAD(0)       -> mem[0x0e0]
    "600154", "61010052",    # SLOAD(1)       -> mem[0x100]
    "47", "61012052",        # SELFBALANCE    -> mem[0x120]
    "600060006000f0", "61014052",  # CREATE(0, 0, 0) -> mem[0x140]
    "610160", "6000", "f3")  # RETURN(0, 0x160)
PROBE_LENGTH = len(bytes.fromhex(PROBE_RUNTIME[2:]))
# Init code: SSTORE(0, 0xaa), SSTORE(1, 0xbb), then CODECOPY the runtime behind these 24 bytes and return it.
PROBE_INIT = assemble("60aa600055", "60bb600155", f"61{PROBE_LENGTH:04x}", "6018", "6000", "39",
                      f"61{PROBE_LENGTH:04x}", "6000", "f3") + PROBE_RUNTIME[2:]
assert len(bytes.fromhex(PROBE_INIT[2:])) == 0x18 + PROBE_LENGTH
# GATE succeeds only when slot 0 is nonzero: PUSH1 0 SLOAD PUSH1 0x0a JUMPI PUSH1 0 DUP1 REVERT JUMPDEST STOP.
GATE = assemble("600054", "600a57", "600080fd", "5b00")
# 21000 + PUSH1 (3) + cold SLOAD (2100) + PUSH1 (3) + JUMPI (10) + JUMPDEST (1) + STOP (0).
GATE_GAS = 21000 + 3 + 2100 + 3 + 10 + 1
# BLOCKHASH(NUMBER - 1), returned.
PARENT_HASH = assemble("6001", "43", "03", "40", "600052", "60206000f3")
FRESH = "0x" + "00" * 18 + "c0de"
SENDER = "0x" + "00" * 19 + "5e"
IDENTITY = "0x" + "00" * 19 + "04"
MOVED = "0x" + "00" * 18 + "1234"


def create_address(sender: str, nonce: int) -> int:
    return int.from_bytes(keccak256(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:], "big")


@pytest.fixture(scope="module")
def chain(tmp_path_factory, accounts):
    node = NodeProcess(tmp_path_factory.mktemp("overrides"), arguments=["--dev", "--no-enclave"]).start()
    try:
        w3 = Web3(HTTPProvider(node.url))
        deployer = accounts[1]
        signed = deployer.sign_transaction({"nonce": 0, "gasPrice": 2 * 10**9, "gas": 300_000, "data": PROBE_INIT,
                                            "value": 0, "chainId": 31337})
        receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))
        assert receipt.status == 1
        probe = receipt.contractAddress
        assert int(probe, 16) == create_address(deployer.address.lower(), 0)
        yield node, w3, probe
    finally:
        node.stop()


def error(node, method, params):
    refusal = rpc_error(node.url, method, params)
    return refusal["code"], refusal["message"]


def probe_call(node, to, state=None, block=None, extra=None):
    params = [dict({"to": to}, **(extra or {})), "latest"]
    if state is not None or block is not None:
        params.append(state)
    if block is not None:
        params.append(block)
    value = rpc_result(node.url, "eth_call", params)
    assert not schema_errors(result_schema("eth_call"), value), value
    return words(bytes.fromhex(value[2:]))


def test_without_overrides_the_probe_sees_the_chain(chain):
    node, w3, probe = chain
    head = w3.eth.get_block("latest")
    values = probe_call(node, probe)
    assert values[0] == head.number and values[1] == head.timestamp and values[2] == head.gasLimit
    assert values[7:10] == [0xAA, 0xBB, 0]
    # A contract's nonce starts at 1 (EIP-161), so its first CREATE uses nonce 1.
    assert values[10] == create_address(probe.lower(), 1)


def test_state_overrides_through_web3(chain):
    node, w3, probe = chain
    result = w3.eth.call({"to": probe}, "latest", {probe: {"balance": 12345, "nonce": 7,
                                                           "stateDiff": {word(1): word(0x77)}}})
    values = words(bytes(result))
    assert values[7:10] == [0xAA, 0x77, 12345], "stateDiff changes slot 1 only; balance is SELFBALANCE"
    assert values[10] == create_address(probe.lower(), 7), "CREATE uses the overridden nonce"
    values = words(bytes(w3.eth.call({"to": probe}, "latest", {probe: {"state": {word(1): word(0x77)}}})))
    assert values[7:9] == [0, 0x77], "state replaces the whole storage: slot 0 reads zero"
    values = words(bytes(w3.eth.call({"to": probe}, "latest", {probe: {"state": {}}})))
    assert values[7:9] == [0, 0]
    # The chain is untouched.
    assert w3.eth.get_storage_at(probe, 0) == bytes.fromhex(word(0xAA)[2:])
    assert w3.eth.get_storage_at(probe, 1) == bytes.fromhex(word(0xBB)[2:])
    assert w3.eth.get_balance(probe) == 0


def test_code_override_on_a_fresh_account(chain):
    node, w3, _ = chain
    assert w3.eth.get_code(Web3.to_checksum_address(FRESH)) == b""
    result = w3.eth.call({"to": Web3.to_checksum_address(FRESH)}, "latest",
                         {Web3.to_checksum_address(FRESH): {"code": PROBE_RUNTIME, "balance": 5,
                                                            "stateDiff": {ZERO: word(3)}}})
    values = words(bytes(result))
    assert values[7:10] == [3, 0, 5]
    # A fresh account's nonce is 0 unless overridden.
    assert values[10] == create_address(FRESH, 0)
    assert w3.eth.get_code(Web3.to_checksum_address(FRESH)) == b""


def test_block_overrides(chain):
    node, w3, probe = chain
    head = w3.eth.get_block("latest")
    randao = "0x" + "ab" * 32
    coinbase = "0x" + "cd" * 20
    block = {"number": hex(1000), "time": hex(1_900_000_000), "gasLimit": hex(12_345_678),
             "feeRecipient": coinbase, "prevRandao": randao, "baseFeePerGas": hex(7 * 10**9), "blobBaseFee": hex(99)}
    # With a fee given, the call sees the overridden base fee; the sender gets the balance to pay for it.
    values = probe_call(node, probe, {SENDER: {"balance": hex(10**18)}}, block,
                        {"from": SENDER, "maxFeePerGas": hex(8 * 10**9), "gas": hex(1_000_000)})
    assert values[:7] == [1000, 1_900_000_000, 12_345_678, int(coinbase, 16), int(randao, 16), 7 * 10**9, 99]
    # Without a fee field the base fee is zero, as in geth's eth_call, overridden or not.
    values = probe_call(node, probe, None, {"baseFeePerGas": hex(7 * 10**9)})
    assert values[5] == 0 and values[0] == head.number
    # geth's field names are matched case-insensitively (BlockOverrides has no JSON tags).
    assert probe_call(node, probe, None, {"Number": "0x5"})[0] == 5
    # An empty object and null change nothing.
    assert probe_call(node, probe, {}, {})[0] == head.number
    assert probe_call(node, probe, None, None)[0] == head.number


def test_next_block_number_sees_the_head_hash(chain):
    node, w3, _ = chain
    head = w3.eth.get_block("latest")
    state = {FRESH: {"code": PARENT_HASH}}
    value = rpc_result(node.url, "eth_call", [{"to": FRESH}, "latest", state, {"number": hex(head.number + 1)}])
    assert value == head.hash.to_0x_hex()
    value = rpc_result(node.url, "eth_call", [{"to": FRESH}, "latest", state])
    assert value == w3.eth.get_block(head.number - 1).hash.to_0x_hex()


def test_gas_limit_override_caps_the_call(chain):
    node, _, probe = chain
    code, message = error(node, "eth_call", [{"to": probe, "gas": hex(50_000)}, "latest", None,
                                             {"gasLimit": hex(21_000 + 10)}])
    # The call's gas is capped at the (overridden) block gas limit: ten gas for the code is not enough.
    assert (code, message) == (-32000, "out of gas")


def test_move_precompile(chain):
    node, w3, _ = chain
    data = "0xdeadbeef"
    assert rpc_result(node.url, "eth_call", [{"to": IDENTITY, "input": data}, "latest"]) == data
    moved = {IDENTITY: {"movePrecompileToAddress": MOVED}}
    assert rpc_result(node.url, "eth_call", [{"to": MOVED, "input": data}, "latest", moved]) == data
    assert rpc_result(node.url, "eth_call", [{"to": IDENTITY, "input": data}, "latest", moved]) == "0x"
    # Code put at a precompile's address replaces the precompile.
    assert rpc_result(node.url, "eth_call", [{"to": IDENTITY, "input": data}, "latest", {IDENTITY: {"code": PARENT_HASH}}]) == \
        w3.eth.get_block(w3.eth.block_number - 1).hash.to_0x_hex()


def test_estimate_gas_with_overrides(chain):
    node, w3, _ = chain
    to = Web3.to_checksum_address(FRESH)
    with pytest.raises(Exception) as refused:
        w3.eth.estimate_gas({"to": to}, "latest", {to: {"code": GATE}})
    assert "execution reverted" in str(refused.value)
    assert w3.eth.estimate_gas({"to": to}, "latest", {to: {"code": GATE, "stateDiff": {ZERO: word(1)}}}) == GATE_GAS
    # The fourth parameter, block overrides: a gas limit below the need.
    code, message = error(node, "eth_estimateGas", [{"to": FRESH}, "latest",
                                                    {FRESH: {"code": GATE, "stateDiff": {ZERO: word(1)}}},
                                                    {"gasLimit": hex(GATE_GAS - 1)}])
    assert code == -32000 and message.startswith("gas required exceeds allowance"), message
    # A transfer from an empty account, funded by the override.
    estimate = rpc_result(node.url, "eth_estimateGas", [{"from": SENDER, "to": FRESH, "value": hex(10**18), "gasPrice": hex(10**9)},
                                            "latest", {SENDER: {"balance": hex(2 * 10**18)}}])
    assert int(estimate, 16) == 21000


def test_trace_call_with_overrides(chain):
    node, w3, probe = chain
    head = w3.eth.get_block("latest")
    config = {"tracer": "callTracer", "stateOverrides": {probe: {"stateDiff": {word(1): word(0x99)}}},
              "blockOverrides": {"number": hex(4242)}}
    frame = rpc_result(node.url, "debug_traceCall", [{"to": probe}, "latest", config])
    values = words(bytes.fromhex(frame["output"][2:]))
    assert values[0] == 4242 and values[7:9] == [0xAA, 0x99]
    assert frame["calls"][0]["type"] == "CREATE"
    # The struct logger: NUMBER pushes the overridden number.
    trace = rpc_result(node.url, "debug_traceCall", [{"to": probe}, "latest", {"blockOverrides": {"number": hex(4242)}}])
    assert trace["structLogs"][1]["stack"] == [hex(4242)]
    assert not trace["failed"]
    trace = rpc_result(node.url, "debug_traceCall", [{"to": probe}, "latest", {}])
    assert trace["structLogs"][1]["stack"] == [hex(head.number)]


@pytest.mark.parametrize("method", ["eth_call", "eth_estimateGas", "debug_traceCall"])
def test_refusals_as_geth(chain, method):
    node, _, probe = chain
    checksummed = Web3.to_checksum_address(probe)

    def params(state, block=None):
        if method == "debug_traceCall":
            config = {"stateOverrides": state}
            if block is not None:
                config["blockOverrides"] = block
            return [{"to": probe}, "latest", config]
        return [{"to": probe}, "latest", state] + ([block] if block is not None else [])

    assert error(node, method, params({probe: {"state": {}, "stateDiff": {}}})) == \
        (-32000, f"account {checksummed} has both 'state' and 'stateDiff'")
    assert error(node, method, params({probe: {"movePrecompileToAddress": MOVED}})) == \
        (-32000, f"account {checksummed} is not a precompile")
    assert error(node, method, params({IDENTITY: {"movePrecompileToAddress": MOVED}, MOVED: {"balance": "0x1"}})) == \
        (-32000, f"account {Web3.to_checksum_address(MOVED)} is already overridden")
    assert error(node, method, params({}, {"beaconRoot": ZERO})) == \
        (-32000, 'block override "beaconRoot" is not supported for this RPC method')
    assert error(node, method, params({}, {"withdrawals": []})) == \
        (-32000, 'block override "withdrawals" is not supported for this RPC method')


def test_malformed_overrides_are_invalid_params(chain):
    node, _, probe = chain
    cases = [
        ("0x1", "json: cannot unmarshal string into Go value of type override.StateOverride"),
        ({"0x12": {}}, "hex string has length 2, want 40 for Address"),
        ({probe[2:]: {}}, "hex string without 0x prefix"),
        ({probe: []}, "json: cannot unmarshal array into Go value of type override.OverrideAccount"),
        ({probe: {"balance": "0x01"}},
         "json: cannot unmarshal hex number with leading zero digits into Go struct field OverrideAccount.balance of type *hexutil.Big"),
        ({probe: {"nonce": 1}},
         "json: cannot unmarshal non-string into Go struct field OverrideAccount.nonce of type hexutil.Uint64"),
        ({probe: {"code": "0x123"}},
         "json: cannot unmarshal hex string of odd length into Go struct field OverrideAccount.code of type hexutil.Bytes"),
        ({probe: {"stateDiff": {"0x01": ZERO}}}, "hex string has length 2, want 64 for Hash"),
        ({probe: {"state": {ZERO: "0x01"}}}, "hex string has length 2, want 64 for common.Hash"),
        ({probe: {"state": []}},
         "json: cannot unmarshal array into Go struct field OverrideAccount.state of type map[common.Hash]common.Hash"),
    ]
    for state, message in cases:
        assert error(node, "eth_call", [{"to": probe}, "latest", state]) == (-32602, f"invalid argument 2: {message}"), state
    assert error(node, "eth_call", [{"to": probe}, "latest", None, {"time": 5}]) == \
        (-32602, "invalid argument 3: json: cannot unmarshal non-string into Go struct field BlockOverrides.Time of type hexutil.Uint64")
    assert error(node, "eth_call", [{"to": probe}, "latest", None, "latest"]) == \
        (-32602, "invalid argument 3: json: cannot unmarshal string into Go value of type override.BlockOverrides")
    assert error(node, "eth_estimateGas", [{"to": probe}, "latest", None, None, None]) == \
        (-32602, "too many arguments, want at most 4")
