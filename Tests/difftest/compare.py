"""Compares two normalized results (ours.py, revm_side.py, pyevm_side.py) field by field.

A normalized result: status (success, revert, halt, rejected), reason, output (hex), gasUsed
(after the refund), refund (applied), logs [(address, topics, data)], created (address or None),
and post: address → None (no account) or (nonce, balance, code hash, {slot: nonzero value}) for
every address the engine looked at. An address one side lists and the other does not is compared
against the case's pre-state, so each side's view is complete.
"""

from revm_side import EMPTY_CODE_HASH, HALT_REASONS


def pre_state(case):
    from eth_hash.auto import keccak
    accounts = {}
    for address, account in case["pre"].items():
        code = bytes.fromhex(account["code"][2:])
        accounts[address.lower()] = (int(account["nonce"], 16), int(account["balance"], 16),
                                     "0x" + keccak(code).hex() if code else EMPTY_CODE_HASH,
                                     {int(k, 16): int(v, 16) for k, v in account.get("storage", {}).items()
                                      if int(v, 16)})
    return accounts


def differences(case, ours, theirs, their_name="revm"):
    """A list of human-readable differences (empty if the results agree)."""
    found = []
    if ours["status"] != theirs["status"]:
        found.append(f"status: ours {ours['status']} ({ours.get('reason')}), {their_name} {theirs['status']} "
                     f"({theirs.get('reason')})")
        return found
    if ours["status"] == "rejected":
        return found
    for field in ("output", "gasUsed", "refund", "created"):
        if ours[field] != theirs[field]:
            found.append(f"{field}: ours {ours[field]}, {their_name} {theirs[field]}")
    if ours["logs"] != theirs["logs"]:
        found.append(f"logs: ours {ours['logs']}, {their_name} {theirs['logs']}")
    if "stateRoot" in ours and theirs.get("stateRoot") and ours["stateRoot"] != theirs["stateRoot"]:
        found.append(f"stateRoot: ours {ours['stateRoot']}, {their_name} {theirs['stateRoot']}")
    elif not found and "stateRoot" in ours:
        # The root of the other engine's post-state must be ours: this catches an account or slot
        # that neither side listed (the per-account comparison below only sees what they listed).
        import regression
        root = regression.state_root(case, theirs["post"])
        if root != ours["stateRoot"]:
            found.append(f"stateRoot: ours {ours['stateRoot']}, from {their_name}'s post-state {root}")
    pre = pre_state(case)
    for address in sorted(set(ours["post"]) | set(theirs["post"])):
        mine = ours["post"][address] if address in ours["post"] else pre.get(address)
        other = theirs["post"][address] if address in theirs["post"] else pre.get(address)
        if mine == other:
            continue
        if mine is None or other is None:
            found.append(f"account {address}: ours {describe(mine)}, {their_name} {describe(other)}")
            continue
        for index, name in enumerate(("nonce", "balance", "codeHash")):
            if mine[index] != other[index]:
                found.append(f"account {address} {name}: ours {mine[index]}, {their_name} {other[index]}")
        for key in sorted(set(mine[3]) | set(other[3])):
            if mine[3].get(key, 0) != other[3].get(key, 0):
                found.append(f"account {address} storage {hex(key)}: ours {hex(mine[3].get(key, 0))}, "
                             f"{their_name} {hex(other[3].get(key, 0))}")
    return found


def known_deviation(case, *results):
    """Why revm 8 (pyrevm 0.3.7) is known to differ from the spec on this case, or None.

    EIP-7610 (revert a creation whose address has nonempty storage, adopted in 2024 for every
    fork from Frontier on) came after revm 8.0.0: revm creates over such an account where the
    spec and GoldenGrain fail the creation (ethereum/tests' `*collisionStorageParis` and
    `RevertInCreateInInit*Paris` state tests expect the failure, and GoldenGrain passes them).
    py-evm 0.12.1b1 lacks it too. A case whose pre-state has an account with storage but no code
    and no nonce, which either engine touched, is therefore not judged.
    """
    touched = set()
    for result in results:
        touched.update(result.get("post") or {})
    for address, account in case["pre"].items():
        if account.get("storage") and int(account["nonce"], 16) == 0 and account["code"] in ("", "0x") and \
                any(int(v, 16) for v in account["storage"].values()) and (not results or address.lower() in touched):
            return "EIP-7610 (storage at a creation address): revm 8 predates it"
    return None


def halt_note(ours, theirs):
    """A halt-reason difference at the top level, or None. Not a disagreement: a top-level halt
    consumes the whole gas limit and reverts every change, so which check fired first is not
    visible to consensus (revm checks some operands before the stack, e.g. LOG's size before its
    topics). The run counts these notes and lists the pairs it has not seen before."""
    if ours["status"] != "halt" or theirs["status"] != "halt":
        return None
    allowed = HALT_REASONS.get(theirs["reason"])
    if allowed is not None and ours["reason"] in allowed:
        return None
    return f"{ours['reason']} / {theirs['reason']}"


def describe(account):
    if account is None:
        return "absent"
    nonce, balance, code_hash, storage = account
    return f"(nonce {nonce}, balance {balance}, code {code_hash[:10]}…, {len(storage)} slots)"
