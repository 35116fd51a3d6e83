"""Delta debugging of a disagreeing case (Zeller's ddmin, on instructions rather than bytes).

The case keeps disagreeing in the same way (the first difference's field, e.g. "gasUsed" or
"account … storage") while it shrinks:
1. pre-state accounts other than the sender and the recipient are dropped, one at a time;
2. each account's code loses instructions: a removed instruction (with its PUSH data) becomes
   JUMPDEST bytes of the same length, so absolute jump targets stay valid; then each run of
   JUMPDESTs is cut out if the case still disagrees without it (it does unless a jump needs it);
3. call data, storage slots and balances are simplified.
"""

import copy
import json

import compare
import ours as ours_module
import revm_side
from assembler import opcode_names

_ours = None


def _engine():
    global _ours
    if _ours is None:
        _ours = ours_module.Ours(coverage=False)
    return _ours


def signature(case):
    """The kind of the case's first difference, or None if both engines agree (or it is a known
    revm deviation)."""
    try:
        found = compare.differences(case, _engine().run(case), revm_side.run(case))
    except AssertionError:
        return None
    if not found or compare.known_deviation(case):
        return None
    first = found[0]
    kind = first.split(":")[0]
    if kind.startswith("account "):
        kind = "account " + " ".join(kind.split()[2:]) if len(kind.split()) > 2 else "account"
    return kind


def ddmin(items, still_fails):
    """The classic algorithm: a 1-minimal sublist of items for which still_fails holds."""
    granularity = 2
    while len(items) >= 2:
        chunk = max(1, len(items) // granularity)
        subsets = [items[i:i + chunk] for i in range(0, len(items), chunk)]
        reduced = False
        for index in range(len(subsets)):
            complement = [x for j, subset in enumerate(subsets) if j != index for x in subset]
            if still_fails(complement):
                items = complement
                granularity = max(granularity - 1, 2)
                reduced = True
                break
        if not reduced:
            if granularity >= len(items):
                break
            granularity = min(len(items), granularity * 2)
    return items


def with_code(case, address, code):
    changed = copy.deepcopy(case)
    changed["pre"][address]["code"] = "0x" + code.hex()
    return changed


def nop_out(code, kept):
    """code with every instruction not in `kept` (a set of pcs) replaced by JUMPDEST bytes."""
    out = bytearray(code)
    for pc, byte in opcode_names(code):
        if pc not in kept:
            width = 1 + (byte - 0x5F if 0x60 <= byte <= 0x7F else 0)
            out[pc:pc + width] = b"\x5b" * len(out[pc:pc + width])
    return bytes(out)


def jumpdest_runs(code):
    """[start, end) of each run of JUMPDEST instructions (not PUSH data)."""
    runs = []
    for pc, byte in opcode_names(code):
        if byte == 0x5B:
            if runs and runs[-1][1] == pc:
                runs[-1][1] = pc + 1
            else:
                runs.append([pc, pc + 1])
    return [tuple(run) for run in runs]


def minimize(case):
    target = signature(case)
    assert target, "the case does not disagree"
    case = copy.deepcopy(case)

    def same(candidate):
        return signature(candidate) == target

    tx = case["transaction"]
    keep = {tx["sender"].lower(), (tx["to"] or "").lower()}
    for address in sorted(case["pre"]):
        if address.lower() in keep:
            continue
        candidate = copy.deepcopy(case)
        del candidate["pre"][address]
        if same(candidate):
            case = candidate

    for address in sorted(case["pre"]):
        code = bytes.fromhex(case["pre"][address]["code"][2:])
        if not code:
            continue
        pcs = [pc for pc, _ in opcode_names(code)]
        kept = ddmin(pcs, lambda subset: same(with_code(case, address, nop_out(code, set(subset)))))
        code = nop_out(code, set(kept))
        case = with_code(case, address, code)
        for start, end in reversed(jumpdest_runs(code)):
            squeezed = code[:start] + code[end:]
            if same(with_code(case, address, squeezed)):
                code = squeezed
                case = with_code(case, address, code)

    data = bytes.fromhex(tx["data"][0][2:])
    for length in sorted({0, len(data) // 2, len(data) - 1}):
        if 0 <= length < len(data):
            candidate = copy.deepcopy(case)
            candidate["transaction"]["data"] = ["0x" + data[:length].hex()]
            if same(candidate):
                case = candidate
                break
    for address in sorted(case["pre"]):
        for key in sorted(case["pre"][address].get("storage", {})):
            candidate = copy.deepcopy(case)
            del candidate["pre"][address]["storage"][key]
            if same(candidate):
                case = candidate
    case["name"] = case["name"] + "-min"
    return case


if __name__ == "__main__":
    import sys
    print(json.dumps(minimize(json.load(open(sys.argv[1]))), indent=1))
