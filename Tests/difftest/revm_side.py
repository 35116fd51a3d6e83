"""Runs a case on revm through pyrevm (pinned in Tests/e2e/requirements.txt: pyrevm 0.3.7, which
builds revm 8.0.0 with Cancun) and returns the normalized result that compare.py checks.

pyrevm exposes less than a state-test runner needs, and this module makes up the difference
without changing what the EVM sees:

- `message_call` runs a call transaction without the transaction-level bookkeeping (no nonce bump,
  no gas purchase, no refund to the sender, no coinbase payment, and the block's base fee forced
  to 0). So cases use base fee 0; before the call the sender's balance is lowered by
  gasLimit × price (what the gas purchase does, so BALANCE/SELFBALANCE see what they would), and
  afterwards the nonce is bumped, the unused gas returned and the coinbase paid the priority fee
  per gas used, exactly as revm's own `deduct_caller`/`reimburse_caller`/`reward_beneficiary` do
  in the `deploy` path (which pyrevm runs in full).
- The journal is never finalized (pyrevm keeps it open for its users), so the post-state is read
  from `journal_str` (revm's Debug text of its journaled state: every account loaded, with its
  status flags and every storage slot loaded) and finalized here as revm's `finalize` and the
  state commit do: self-destructed accounts are deleted, touched empty accounts are deleted
  (EIP-161), untouched accounts that were never in the database do not exist.
- `insert_account_storage` loads (warms) the account it writes to: every account given storage
  in the pre-state is therefore warm when the transaction starts. The generator puts each such
  account in the transaction's access list, so both engines start with it warm.
- For the same reason only the first slot written by `insert_account_storage` keeps its value as
  the slot's original (EIP-2200) value: the account is then in the journal, and later writes go
  through `sstore`, which records them as changes of a slot whose original value is zero. So a
  case gives each account at most one nonzero pre-state slot (`run` refuses more).
- The block gas limit pyrevm hands to GASLIMIT is its `gas_limit` constructor argument.
"""

import re

from pyrevm import EVM, AccountInfo, BlockEnv, Env, TxEnv

EMPTY_CODE_HASH = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"

ACCOUNT = re.compile(
    r"(0x[0-9a-f]{40}): Account \{ info: AccountInfo \{ balance: (\d+), nonce: (\d+), code_hash: (0x[0-9a-f]{64}), "
    r"code: .*? \}, storage: \{(.*?)\}, status: AccountStatus\(([^)]*)\) \}", re.S)
SLOT = re.compile(r"(\d+): StorageSlot \{ previous_or_original_value: \d+, present_value: (\d+) \}")
REVERT = re.compile(r"Revert \{ gas_used: \d+, output: 0x([0-9a-f]*) \}")

# revm's halt reasons → ours (Sources/EVM/Host.swift StatusCode). Halts at the top level all consume
# the whole gas limit, so the reason is not consensus-visible; compare.py still checks it against
# this table, where several of ours can stand for one of revm's.
HALT_REASONS = {
    "OutOfGas(Basic)": {"outOfGas"}, "OutOfGas(MemoryLimit)": {"outOfGas", "invalidMemoryAccess"},
    "OutOfGas(Memory)": {"outOfGas", "invalidMemoryAccess"}, "OutOfGas(Precompile)": {"outOfGas"},
    "OutOfGas(InvalidOperand)": {"outOfGas", "invalidMemoryAccess", "stackUnderflow"},
    "OpcodeNotFound": {"undefinedInstruction"}, "InvalidFEOpcode": {"invalidInstruction"},
    "InvalidJump": {"badJumpDestination"}, "NotActivated": {"undefinedInstruction"},
    "StackUnderflow": {"stackUnderflow"}, "StackOverflow": {"stackOverflow"},
    "OutOfOffset": {"invalidMemoryAccess", "outOfGas"}, "CreateCollision": {"createCollision"},
    "PrecompileError": {"precompileFailure", "outOfGas"}, "NonceOverflow": {"argumentOutOfRange"},
    "CreateContractSizeLimit": {"contractValidationFailure"},
    "CreateContractStartingWithEF": {"contractValidationFailure"},
    "CreateInitCodeSizeLimit": {"argumentOutOfRange", "outOfGas"}, "OverflowPayment": {"outOfGas", "argumentOutOfRange"},
    "StateChangeDuringStaticCall": {"staticModeViolation"}, "CallNotAllowedInsideStatic": {"staticModeViolation"},
    "OutOfFunds": {"insufficientBalance"}, "CallTooDeep": {"callDepthExceeded"},
}


def number(text):
    return int(text, 16) if isinstance(text, str) else int(text)


def run(case):
    """Runs the case; returns the normalized result (see compare.py)."""
    env, tx = case["env"], case["transaction"]
    index = case.get("indexes", {"data": 0, "gas": 0, "value": 0})
    data = bytes.fromhex(tx["data"][index["data"]][2:])
    gas_limit = number(tx["gasLimit"][index["gas"]])
    value = number(tx["value"][index["value"]])
    sender = tx["sender"].lower()
    to = tx["to"].lower() or None
    if "maxFeePerGas" in tx:
        price = min(number(tx["maxFeePerGas"]), number(env["currentBaseFee"]) + number(tx["maxPriorityFeePerGas"]))
    else:
        price = number(tx["gasPrice"])
    assert number(env["currentBaseFee"]) == 0, "pyrevm forces the base fee to 0: cases must use 0"
    access_list = []
    for entry in (tx.get("accessLists") or [[]])[index["data"]] or []:
        access_list.append((entry["address"].lower(), [number(k) for k in entry["storageKeys"]]))
    coinbase = env["currentCoinbase"].lower()
    block_gas_limit = number(env["currentGasLimit"])
    block = BlockEnv(number=number(env["currentNumber"]), coinbase=coinbase,
                     timestamp=number(env["currentTimestamp"]), gas_limit=block_gas_limit, basefee=0,
                     prevrandao=number(env["currentRandom"]).to_bytes(32, "big"),
                     excess_blob_gas=number(env.get("currentExcessBlobGas", "0x0")))
    evm = EVM(spec_id="CANCUN", gas_limit=block_gas_limit, env=Env(block=block, tx=TxEnv(access_list=access_list)))

    pre = {}
    for address, account in case["pre"].items():
        address = address.lower()
        code = bytes.fromhex(account["code"][2:])
        storage = {number(k): number(v) for k, v in account.get("storage", {}).items() if number(v)}
        assert len(storage) <= 1, f"{address} has {len(storage)} pre-state slots: pyrevm keeps one original value"
        pre[address] = (number(account["nonce"]), number(account["balance"]), code, storage)
        evm.insert_account_info(address, AccountInfo(balance=pre[address][1], nonce=pre[address][0],
                                                     code=code or None))
        for key, slot_value in storage.items():
            evm.insert_account_storage(address, key, slot_value)

    # Validation the message-call path skips (revm's own rules, in its order).
    sender_nonce, sender_balance = pre.get(sender, (0, 0, b"", {}))[:2]
    rejection = None
    if number(tx["nonce"]) != sender_nonce:
        rejection = "nonce"
    elif sender_nonce == 2**64 - 1:
        rejection = "nonce at its maximum (EIP-2681)"  # pyrevm skips the check and panics on the create
    elif pre.get(sender, (0, 0, b""))[2]:
        rejection = "sender has code (EIP-3607)"
    elif "maxFeePerGas" in tx and number(tx["maxPriorityFeePerGas"]) > number(tx["maxFeePerGas"]):
        rejection = "priority fee greater than max fee"
    elif gas_limit > block_gas_limit:
        rejection = "gas limit above block gas limit"
    elif sender_balance < gas_limit * number(tx.get("maxFeePerGas", tx.get("gasPrice", "0x0"))) + value:
        rejection = "insufficient funds"
    elif to is None and len(data) > 49152:
        rejection = "init code too large"
    if rejection:
        return {"status": "rejected", "reason": rejection}

    output = b""
    created = None
    error = None
    if to is None:
        try:
            created = evm.deploy(sender, data, value, gas_limit, price).lower()
        except RuntimeError as exception:
            error = str(exception)
    else:
        if price:
            evm.set_balance(sender, sender_balance - gas_limit * price)
        try:
            output = evm.message_call(sender, to, data, value, gas_limit, price)
        except RuntimeError as exception:
            error = str(exception)
    result = evm.result
    if result is None:
        return {"status": "rejected", "reason": error or "no result"}
    if result.is_success:
        status = "success"
    elif result.is_halt:
        status = "halt"
    else:
        status = "revert"
        match = REVERT.search(error or "")
        output = bytes.fromhex(match.group(1)) if match else b""
    gas_used = result.gas_used

    post = {}
    flags = {}
    for match in ACCOUNT.finditer(evm.journal_str):
        address = match.group(1)
        storage = dict(pre.get(address, (0, 0, b"", {}))[3])
        status_text = match.group(6)
        if "Created" in status_text:
            storage = {}
        for key, slot_value in SLOT.findall(match.group(5)):
            storage[int(key)] = int(slot_value)
        storage = {k: v for k, v in storage.items() if v}
        post[address] = [int(match.group(3)), int(match.group(2)), match.group(4), storage]
        flags[address] = status_text
    if to is not None:  # the transaction-level bookkeeping pyrevm's message_call skips
        post[sender][0] += 1
        post[sender][1] += (gas_limit - gas_used) * price
        if coinbase not in post:
            base = pre.get(coinbase, (0, 0, b"", {}))
            post[coinbase] = [base[0], base[1], code_hash(base[2]), dict(base[3])]
            flags[coinbase] = ""
        post[coinbase][1] += gas_used * price
        flags[coinbase] += " | Touched"
    final = {}
    for address, (nonce, balance, code_hash_text, storage) in post.items():
        status_text = flags[address]
        empty = nonce == 0 and balance == 0 and code_hash_text == EMPTY_CODE_HASH
        if "SelfDestructed" in status_text or (empty and ("Touched" in status_text or address not in pre)):
            final[address] = None
        else:
            final[address] = (nonce, balance, code_hash_text, storage)
    logs = []
    for log in result.logs:
        topics, log_data = log.data
        logs.append((log.address.lower(), tuple("0x" + t.hex() for t in topics), "0x" + log_data.hex()))
    return {"status": status, "reason": result.reason, "output": "0x" + bytes(output).hex(), "gasUsed": gas_used,
            "refund": result.gas_refunded, "logs": logs,
            "created": created if status == "success" else None, "post": final}


def code_hash(code):
    if not code:
        return EMPTY_CODE_HASH
    from eth_hash.auto import keccak
    return "0x" + keccak(code).hex()
