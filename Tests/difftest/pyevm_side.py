"""py-evm (already in the venv through titanoboa) as the third opinion on a disagreement: the case
runs as a signed transaction on a CancunState, and the accounts and slots the other two engines
reported are read back. Slow (pure Python), so only disagreeing cases come here.
"""

from eth.constants import BLANK_ROOT_HASH, CREATE_CONTRACT_ADDRESS
from eth.db.atomic import AtomicDB
from eth.vm.execution_context import ExecutionContext
from eth.vm.forks.cancun import CancunVM
from eth.vm.forks.cancun.state import CancunState
from eth_hash.auto import keccak
from eth_keys import keys

EMPTY_CODE_HASH = "0x" + keccak(b"").hex()


def _patch_modexp():
    """py-evm 0.12.1b1's modexp returns 0 whenever the base is empty, even for a zero exponent:
    EIP-198 computes B^E mod M with B read as 0, and 0^0 = 1, so 1 mod M (revm and GoldenGrain
    give 1; found by this fuzzer). The harness corrects that one case so py-evm can referee the
    rest."""
    import importlib
    module = importlib.import_module("eth.precompiles.modexp")  # the package exports a function of that name
    original = module._modexp

    def fixed(data):
        base_length, exponent_length, modulus_length = module.extract_lengths(data)
        if base_length == 0 and modulus_length != 0:
            end = 96 + exponent_length
            exponent = int.from_bytes(module.zpad_right(data[96:end], to_size=exponent_length), "big")
            modulus = int.from_bytes(module.zpad_right(data[end:end + modulus_length], to_size=modulus_length), "big")
            return 0 if modulus == 0 else pow(0, exponent, modulus)
        return original(data)

    module._modexp = fixed


_patch_modexp()


def number(text):
    return int(text, 16) if isinstance(text, str) else int(text)


def address_bytes(text):
    return bytes.fromhex(text[2:].rjust(40, "0"))


def run(case, watch=None):
    """Runs the case; `watch` maps addresses to the storage keys to read back (the pre-state's are
    always read)."""
    env, tx = case["env"], case["transaction"]
    block_number = number(env["currentNumber"])
    prev_hashes = [keccak(str(block_number - depth - 1).encode()) for depth in range(min(256, block_number))]
    context = ExecutionContext(
        coinbase=address_bytes(env["currentCoinbase"]), timestamp=number(env["currentTimestamp"]),
        block_number=block_number, difficulty=0, mix_hash=number(env["currentRandom"]).to_bytes(32, "big"),
        gas_limit=number(env["currentGasLimit"]), prev_hashes=prev_hashes, chain_id=1,
        base_fee_per_gas=number(env["currentBaseFee"]), excess_blob_gas=number(env.get("currentExcessBlobGas", "0x0")))
    state = CancunState(AtomicDB(), context, BLANK_ROOT_HASH)
    watch = {address.lower(): set(keys) for address, keys in (watch or {}).items()}
    for address, account in case["pre"].items():
        raw = address_bytes(address)
        state.set_balance(raw, number(account["balance"]))
        state.set_nonce(raw, number(account["nonce"]))
        state.set_code(raw, bytes.fromhex(account["code"][2:]))
        for key, value in account.get("storage", {}).items():
            state.set_storage(raw, number(key), number(value))
            watch.setdefault(address.lower(), set()).add(number(key))
    state.persist()
    state.lock_changes()

    builder = CancunVM.get_transaction_builder()
    data = bytes.fromhex(tx["data"][0][2:])
    to = address_bytes(tx["to"]) if tx["to"] else CREATE_CONTRACT_ADDRESS
    gas = number(tx["gasLimit"][0])
    value = number(tx["value"][0])
    access_list = tuple((address_bytes(e["address"]), tuple(number(k) for k in e["storageKeys"]))
                        for e in (tx.get("accessLists") or [[]])[0])
    if "maxFeePerGas" in tx:
        unsigned = builder.new_unsigned_dynamic_fee_transaction(
            1, number(tx["nonce"]), number(tx["maxPriorityFeePerGas"]), number(tx["maxFeePerGas"]), gas, to, value,
            data, access_list)
    elif tx.get("accessLists"):
        unsigned = builder.new_unsigned_access_list_transaction(1, number(tx["nonce"]), number(tx["gasPrice"]), gas,
                                                                to, value, data, access_list)
    else:
        unsigned = builder.legacy_signed.create_unsigned_transaction(
            nonce=number(tx["nonce"]), gas_price=number(tx["gasPrice"]), gas=gas, to=to, value=value, data=data)
    key = keys.PrivateKey(bytes.fromhex(tx["secretKey"][2:].rjust(64, "0")))
    signed = unsigned.as_signed_transaction(key) if hasattr(unsigned, "chain_id") \
        else unsigned.as_signed_transaction(key, chain_id=1)
    try:
        signed.validate()  # the transaction's own rules (EIP-1559 fee caps), as a client checks on receipt
        state.validate_transaction(signed)
        computation = state.apply_transaction(signed)
    except Exception as error:  # validation errors
        return {"status": "rejected", "reason": f"{type(error).__name__}: {error}"}
    remaining = computation.get_gas_remaining()
    used = gas - remaining
    refund = min(computation.get_gas_refund(), used // 5) if computation.is_success else 0
    if computation.is_success:
        status, reason = "success", "success"
    elif type(computation.error).__name__ == "Revert":
        status, reason = "revert", "Revert"
    else:
        status, reason = "halt", type(computation.error).__name__
    post = {}
    for address, slots in sorted(watch.items()):
        raw = address_bytes(address)
        if not state.account_exists(raw):
            post[address] = None
            continue
        code_hash = "0x" + state.get_code_hash(raw).hex()
        storage = {slot: state.get_storage(raw, slot) for slot in sorted(slots)}
        post[address] = (state.get_nonce(raw), state.get_balance(raw), code_hash,
                         {k: v for k, v in storage.items() if v})
    logs = [("0x" + address.hex(), tuple("0x" + topic.to_bytes(32, "big").hex() for topic in topics), "0x" + data.hex())
            for address, topics, data in computation.get_log_entries()] if computation.is_success else []
    created = None
    if to == CREATE_CONTRACT_ADDRESS and computation.is_success:
        created = "0x" + computation.msg.storage_address.hex()
    output = computation.output if status == "revert" or (status == "success" and to != CREATE_CONTRACT_ADDRESS) \
        else b""
    return {"status": status, "reason": reason, "output": "0x" + output.hex(), "gasUsed": used - refund,
            "refund": refund, "logs": logs, "created": created, "post": post,
            "stateRoot": "0x" + state.make_state_root().hex()}
