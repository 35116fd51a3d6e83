"""Seeded generator of differential-test cases: a random pre-state of a few contracts and accounts,
random but mostly valid programs for the contracts, and one transaction.

A case is a dict in the state-test shape `goldengrain statetest --jsonl` reads (`env`, `pre`,
`transaction` with one-element `data`/`gasLimit`/`value` arrays, `name`). The same seed always
gives the same case (`random.Random(seed)` only; no global randomness, no set iteration order).

Programs are built from snippets that leave the stack as they found it: an operation's results
are observed (stored to a storage slot, written to the returned memory area, logged) or popped,
so differences in any value show up in the post-state or the output. Snippets cover every Cancun
opcode: arithmetic on edge values, memory at small and huge offsets, storage and transient storage,
the environment, forward jumps, conditional jumps, bounded loops and jumps to bad destinations,
CALL/CALLCODE/DELEGATECALL/STATICCALL into the other contracts, precompiles, accounts without code
and absent accounts with varied gas and value, CREATE/CREATE2 of init code that returns runtime
code, reverts, self-destructs or returns oversized or 0xEF code, SELFDESTRUCT to varied
beneficiaries, logs, and a few deliberately broken cases (stack underflow and overflow, undefined
opcodes, truncated PUSH data, mutated bytes).
"""

import random

from assembler import BYTE, DEFINED, OPCODES, Label, Program
import precompile_inputs

SENDER_KEY = 0x45A915E4D060149EB4365960E6A7A45F334393093061116B197E3240065FF2D8  # ethereum/tests' usual key
SENDER = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"
MASK = (1 << 256) - 1

EDGE_VALUES = [0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 255, 256, 0x7F, 0x80, 0xFFFF, 2**31, 2**32 - 1, 2**32, 2**63,
               2**64 - 1, 2**64, 2**128 - 1, 2**128, 2**160 - 1, 2**255 - 1, 2**255, 2**255 + 1, MASK - 1, MASK]
SMALL_OFFSETS = [0, 1, 2, 16, 31, 32, 33, 63, 64, 95, 96, 128, 200, 256, 512, 1000, 1024]
BIG_OFFSETS = [2**13, 2**15, 2**16 - 1, 2**16, 2**17 + 5, 2**20, 2**24, 2**32 - 1, 2**32, 2**63, 2**64 - 1, 2**64, MASK]
RESULT_AREA = 0x400  # observed values go to memory [0x400, 0x800); the final RETURN returns it


def address_text(number):
    return "0x" + format(number, "040x")


class World:
    """The accounts of one case: who exists, what is where."""

    def __init__(self, rng):
        self.rng = rng
        base = rng.randrange(1, 2**150) << 8
        count = rng.choice([1, 2, 2, 3, 3, 4, 5])
        self.contracts = [address_text(base + 0x10 + i) for i in range(count)]
        self.eoas = [address_text(base + 0x80 + i) for i in range(rng.choice([0, 1, 2]))]
        self.absent = [address_text(base + 0xA0 + i) for i in range(2)]  # never in the pre-state
        self.coinbase = rng.choice([address_text(base + 0xC0)] * 6 + self.contracts[:1] + [SENDER, address_text(1)])
        self.precompiles = [address_text(n) for n in range(1, 11)]
        self.sender = SENDER
        self.constrained = True  # see random_case
        self.stored_keys = set()  # pre-state slots (filled in as the pre-state is drawn)
        self.stored_value = {}

    def address(self):
        """An address operand: mostly the case's own accounts, sometimes precompiles and odd ones."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return int(rng.choice(self.contracts), 16)
        if roll < 0.55:
            return int(rng.choice(self.eoas or self.absent), 16)
        if roll < 0.68:
            return int(rng.choice(self.absent), 16)
        if roll < 0.8:
            return int(rng.choice(self.precompiles), 16)
        if roll < 0.86:
            return int(self.sender, 16)
        if roll < 0.9:
            return int(self.coinbase, 16)
        if roll < 0.94:
            return rng.choice([0, 0x100, 0x0B, 0xFF])  # just past the precompiles, P256VERIFY's address
        if roll < 0.97:
            return int(rng.choice(self.contracts), 16) | (rng.getrandbits(96) << 160)  # upper bits ignored
        return rng.getrandbits(160)


class Generator:
    """Builds programs for one world."""

    def __init__(self, rng, world, depth=0):
        self.rng = rng
        self.world = world
        self.depth = depth  # nesting of init code inside init code
        self.slot_counter = 0

    # --- operands ---------------------------------------------------------------------------

    def value(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return rng.choice(EDGE_VALUES)
        if roll < 0.65:
            return rng.randrange(0, 70)
        if roll < 0.8:
            return rng.getrandbits(256)
        if roll < 0.9:
            return self.world.address()
        return (MASK - rng.randrange(0, 70)) if rng.random() < 0.5 else rng.getrandbits(rng.randrange(1, 256))

    def offset(self):
        return self.rng.choice(SMALL_OFFSETS) if self.rng.random() < 0.98 else self.rng.choice(BIG_OFFSETS)

    def size(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.85:
            return rng.choice([0, 1, 2, 20, 31, 32, 33, 64, 65, 100, 128, 256])
        if roll < 0.99:
            return rng.randrange(0, 2048)
        return rng.choice(BIG_OFFSETS)

    def key(self):
        rng = self.rng
        return rng.randrange(0, 8) if rng.random() < 0.85 else rng.choice([MASK, 2**255, rng.getrandbits(256)])

    def operand(self, kind):
        if kind == "o":
            return self.offset()
        if kind == "s":
            return self.size()
        if kind == "a":
            return self.world.address()
        if kind == "k":
            return self.key()
        return self.value()

    # --- observing results ------------------------------------------------------------------

    def observe(self, p):
        """Consumes the top of the stack so that its value shows in the post-state or output."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.28:
            p.push(0x100 + (self.slot_counter % 48)).op("SSTORE")
            self.slot_counter += 1
        elif roll < 0.85:
            p.push(RESULT_AREA + 32 * (self.slot_counter % 32)).op("MSTORE")
            self.slot_counter += 1
        elif roll < 0.9:
            p.push(RESULT_AREA).op("MSTORE").push(32).push(RESULT_AREA).op("LOG0")
        else:
            p.op("POP")

    # --- snippets ----------------------------------------------------------------------------

    # Operand kinds per opcode for the generic snippet: v value, o memory offset, s size,
    # a address, k storage key. Stack order: the first kind is the top of the stack.
    GENERIC = {
        "BALANCE": "a", "EXTCODESIZE": "a", "EXTCODEHASH": "a", "EXTCODECOPY": "aoos",
        "CALLDATALOAD": "o", "CALLDATACOPY": "oos", "CODECOPY": "oos", "RETURNDATACOPY": "oos",
        "MLOAD": "o", "MSTORE": "ov", "MSTORE8": "ov", "MCOPY": "oos", "KECCAK256": "os",
        "SLOAD": "k", "SSTORE": "kv", "TLOAD": "k", "TSTORE": "kv", "BLOCKHASH": "v", "BLOBHASH": "v",
        "LOG0": "os", "LOG1": "osv", "LOG2": "osvv", "LOG3": "osvvv", "LOG4": "osvvvv",
    }
    GENERIC_NAMES = sorted(name for name in OPCODES if name not in {
        "STOP", "JUMP", "JUMPI", "JUMPDEST", "RETURN", "REVERT", "INVALID", "SELFDESTRUCT", "CREATE", "CREATE2",
        "CALL", "CALLCODE", "DELEGATECALL", "STATICCALL"} and not name.startswith(("PUSH", "DUP", "SWAP")))

    def generic(self, p, name=None):
        name = name or self.rng.choice(self.GENERIC_NAMES)
        _, inputs, outputs = OPCODES[name]
        kinds = self.GENERIC.get(name, "v" * inputs)
        if name == "BLOBHASH" and self.rng.random() < 0.5:
            kinds = "s"
        if name == "BLOCKHASH" and self.rng.random() < 0.7:
            kinds = "b"
        for kind in reversed(kinds):
            if kind == "b":
                p.op("NUMBER").push(self.rng.choice([0, 1, 2, 255, 256, 257])).op("SWAP1", "SUB")
            else:
                p.push(self.operand(kind))
        p.op(name)
        for _ in range(outputs):
            self.observe(p)

    def stack_ops(self, p):
        rng = self.rng
        depth = rng.randrange(1, 17)
        values = [self.value() for _ in range(depth + 1)]
        for value in values:
            p.push(value, width=rng.choice([None, None, 32, max(1, (value.bit_length() + 7) // 8)]))
        p.op(rng.choice([f"DUP{depth}", f"SWAP{depth}"]))
        self.observe(p)
        for _ in range(depth):
            self.observe(p) if rng.random() < 0.3 else p.op("POP")

    def computed(self, p):
        """A value computed from the environment, then an arithmetic op on it: results depend on
        state, not only on constants."""
        rng = self.rng
        source = rng.choice(["GAS", "CALLDATASIZE", "CALLVALUE", "SELFBALANCE", "RETURNDATASIZE", "MSIZE", "PC",
                             "CALLER", "ADDRESS", "ORIGIN", "CODESIZE", "TIMESTAMP"])
        p.op(source)
        p.push(self.value())
        p.op(rng.choice(["ADD", "MUL", "SUB", "DIV", "SDIV", "MOD", "SMOD", "EXP", "SIGNEXTEND", "LT", "SLT", "EQ",
                         "AND", "OR", "XOR", "BYTE", "SHL", "SHR", "SAR"]))
        if rng.random() < 0.3:
            p.push(self.value()).push(self.value()).op(rng.choice(["ADDMOD", "MULMOD"]))
        self.observe(p)

    def calldata_word(self, p):
        p.push(self.rng.choice([0, 0, 32, 64, 4])).op("CALLDATALOAD")
        self.observe(p)

    def forward_jump(self, p):
        rng = self.rng
        target = Label()
        roll = rng.random()
        if roll < 0.5:
            p.push(rng.choice([0, 1, self.value()]))
        elif roll < 0.8:
            p.push(rng.choice([0, 32])).op("CALLDATALOAD")
        else:
            p.op("GAS").push(rng.randrange(0, 200000)).op("GT")
        p.push_label(target).op("JUMPI")
        self.snippet(p, budget=1)
        p.mark(target)

    def skip_garbage(self, p):
        """An unconditional jump over bytes that are never executed (undefined opcodes, a 0x5B
        inside PUSH data that must not count as a destination)."""
        target = Label()
        p.push_label(target).op("JUMP")
        garbage = bytes(self.rng.getrandbits(8) for _ in range(self.rng.randrange(1, 12)))
        p.raw(garbage).raw(b"\x7f" if self.rng.random() < 0.3 else b"")
        p.raw(b"\x00" * 32)  # whatever PUSH the garbage ended with, its data ends before the JUMPDEST
        p.mark(target)

    def loop(self, p):
        rng = self.rng
        top = Label()
        p.push(rng.randrange(1, 9))
        p.mark(top)
        self.snippet(p, budget=1)
        p.push(1).op("SWAP1", "SUB", "DUP1").push_label(top).op("JUMPI", "POP")

    def memory_edge(self, p):
        rng = self.rng
        name = rng.choice(["MLOAD", "MSTORE", "MSTORE8", "MCOPY", "CALLDATACOPY", "CODECOPY", "KECCAK256",
                           "RETURNDATACOPY", "EXTCODECOPY", "LOG0"])
        kinds = self.GENERIC.get(name, "v")
        for kind in reversed(kinds):
            if kind in "os" and rng.random() < 0.5:
                p.push(rng.choice(BIG_OFFSETS + [2**20 - 32, 2**22, 3 * 2**20]))
            else:
                p.push(self.operand(kind))
        p.op(name)
        for _ in range(OPCODES[name][2]):
            self.observe(p)

    def write_memory(self, p, offset, blob):
        """Puts blob into memory at offset with CODECOPY from a data blob."""
        label = p.data(blob)
        p.push(len(blob)).push_label(label).push(offset).op("CODECOPY")

    def call(self, p):
        rng = self.rng
        kind = rng.choices(["CALL", "CALLCODE", "DELEGATECALL", "STATICCALL"], weights=[6, 1, 2, 2])[0]
        roll = rng.random()
        if roll < 0.3:
            target = int(rng.choice(self.world.precompiles), 16)
        elif roll < 0.75:
            target = int(rng.choice(self.world.contracts), 16)
        else:
            target = self.world.address()
        args_offset = rng.choice([0, 0, 32, 64, 0x200])
        if target <= 0x0A and target > 0:
            blob = precompile_inputs.input_for(rng, target)
            args_size = len(blob) if rng.random() < 0.9 else rng.choice([0, 1, max(0, len(blob) - 1), len(blob) + 1])
        else:
            blob = bytes(32 * rng.randrange(0, 3))
            if blob:
                blob = b"".join(self.value().to_bytes(32, "big") for _ in range(len(blob) // 32))
            args_size = len(blob)
        if blob:
            self.write_memory(p, args_offset, blob)
        ret_offset = rng.choice([0, 0, 32, 0x200, RESULT_AREA + 0x200, self.offset()])
        ret_size = rng.choice([0, 32, 32, 64, 128, 1, self.size()])
        p.push(ret_size).push(ret_offset).push(args_size).push(args_offset)
        if kind in ("CALL", "CALLCODE"):
            value = rng.choice([0, 0, 0, 1, rng.randrange(0, 1000), 10**18, MASK])
            if value == 0 and rng.random() < 0.2:
                p.op("CALLVALUE")
            else:
                p.push(value)
        p.push(target)
        gas_roll = rng.random()
        if gas_roll < 0.12:
            p.op("GAS")
        elif gas_roll < 0.3:
            p.op("GAS").push(rng.choice([2, 64, 700, 3000, 10000])).op("SWAP1", "SUB")
        elif gas_roll < 0.9:
            p.push(rng.choice([0, 1, 100, 2300, 2600, 3000, 5000, 9000, 25000, 60000, 100000, 400000]))
        else:
            p.push(rng.choice([MASK, 2**64, 2**63]))
        p.op(kind)
        self.observe(p)
        if rng.random() < 0.6:
            p.op("RETURNDATASIZE")
            self.observe(p)
        if rng.random() < 0.4:
            p.op("RETURNDATASIZE").push(0).push(RESULT_AREA + 0x100).op("RETURNDATACOPY")
        if rng.random() < 0.3:
            p.push(ret_offset if ret_offset < 2**20 else 0).op("MLOAD")
            self.observe(p)

    def create(self, p):
        rng = self.rng
        init = self.init_code() if self.depth < 2 else bytes([0x60, 0x00, 0x60, 0x00, 0xF3])
        offset = rng.choice([0, 32, 0x200])
        self.write_memory(p, offset, init)
        size = len(init) if rng.random() < 0.93 else rng.choice(
            [0, len(init) + 7, 49153 if self.world.constrained else 49151, 49152])
        kind = "CREATE2" if rng.random() < 0.5 else "CREATE"
        salt = rng.choice([0, 1, self.value()])
        if kind == "CREATE2":
            p.push(salt)
        p.push(size).push(offset)
        p.push(rng.choice([0, 0, 0, 1, 77, 10**18, MASK]))
        p.op(kind)
        if kind == "CREATE2" and rng.random() < 0.2:
            # the same init code and salt again: the address is taken (EIP-684), or free again if
            # the first creation failed or self-destructed
            p.op("POP").push(salt).push(size).push(offset).push(0).op("CREATE2")
        if rng.random() < 0.5:
            p.op("DUP1")
            self.observe(p)
        if rng.random() < 0.5:
            # call the new contract (or the zero address if creation failed)
            p.push(0).push(0).push(0).push(0).push(rng.choice([0, 1])).op("DUP6")
            p.push(rng.choice([100000, 30000])).op("CALL")
            self.observe(p)
            p.op("EXTCODESIZE") if rng.random() < 0.5 else p.op("EXTCODEHASH")
        self.observe(p)
        if rng.random() < 0.3:
            p.op("RETURNDATASIZE")
            self.observe(p)

    def init_code(self):
        """Init code: a short program that ends by returning runtime code, or fails, or self-destructs."""
        rng = self.rng
        sub = Generator(rng, self.world, self.depth + 1)
        init = Program()
        for _ in range(rng.randrange(0, 4)):
            sub.snippet(init, budget=1)
        roll = rng.random()
        if roll < 0.62:
            runtime = sub.program(rng.randrange(0, 5), allow_calls=self.depth == 0) if rng.random() < 0.85 \
                else bytes([0xEF]) + bytes(rng.randrange(0, 4))
            label = init.data(runtime)
            init.push(len(runtime)).push_label(label).push(0).op("CODECOPY")
            init.push(len(runtime)).push(0).op("RETURN")
        elif roll < 0.72:
            init.push(rng.choice([0, 32])).push(0).op("REVERT")
        elif roll < 0.82:
            # to itself burns the balance (EIP-6780: created in this transaction, so deleted)
            init.op("ADDRESS") if rng.random() < 0.3 else init.push(self.world.address())
            init.op("SELFDESTRUCT")
        elif roll < 0.87:
            init.push(rng.choice([24576, 24577])).push(0).op("RETURN")
        elif roll < 0.92:
            init.op("INVALID")
        else:
            init.op("STOP")
        return init.build()

    def storage_sequence(self, p):
        """Several writes to one slot (EIP-2200/2929/3529 pricing and refunds depend on the slot's
        original, current and new values), a read back, and sometimes the same in transient storage."""
        rng = self.rng
        key = self.key() if rng.random() < 0.5 else rng.choice(sorted(self.world.stored_keys) or [0])
        store, load = ("TSTORE", "TLOAD") if rng.random() < 0.2 else ("SSTORE", "SLOAD")
        for _ in range(rng.randrange(2, 5)):
            roll = rng.random()
            if roll < 0.35:
                p.push(0)
            elif roll < 0.55:
                p.push(key).op(load)  # write back what is there
            elif roll < 0.75:
                p.push(self.world.stored_value.get(key, 1))  # the original value, if the pre-state has one
            else:
                p.push(rng.choice([1, 2, 3, MASK]))
            p.push(key).op(store)
        p.push(key).op(load)
        self.observe(p)

    def call_self(self, p):
        """A CALL (or DELEGATECALL) back into the running contract with other call data, so the
        reentered frame takes other branches, sees the outer frame's writes and may revert them."""
        rng = self.rng
        word = rng.choice([0, 1, 2, 3, MASK])
        p.push(word).push(0).op("MSTORE")
        p.push(rng.choice([0, 32])).push(RESULT_AREA + 0x300).push(32).push(0)
        kind = rng.choice(["CALL", "CALL", "DELEGATECALL", "STATICCALL", "CALLCODE"])
        if kind in ("CALL", "CALLCODE"):
            p.push(rng.choice([0, 0, 1]))
        p.op("ADDRESS")
        p.push(rng.choice([5000, 30000, 100000, 300000])) if rng.random() < 0.8 else p.op("GAS")
        p.op(kind)
        self.observe(p)

    def selfdestruct(self, p):
        """SELFDESTRUCT behind a calldata condition, so some calls into the contract survive."""
        skip = Label()
        p.push(self.rng.choice([0, 32])).op("CALLDATALOAD").push(self.rng.choice([1, 2, 3])).op("AND", "ISZERO")
        p.push_label(skip).op("JUMPI")
        p.op("ADDRESS") if self.rng.random() < 0.2 else p.push(self.world.address())
        p.op("SELFDESTRUCT")
        p.mark(skip)

    def zero_size_at_huge_offset(self, p):
        """A memory operand of size zero at an offset far beyond any memory: no expansion and no
        charge (Yellow Paper §9.1: M(s, f, 0) = s), so the frame goes on."""
        rng = self.rng
        huge = rng.choice([2**32, 2**64 - 1, 2**64, MASK, 2**255])
        name = rng.choice(["CALLDATACOPY", "CODECOPY", "RETURNDATACOPY", "MCOPY", "KECCAK256", "LOG1",
                           "EXTCODECOPY", "CALL", "STATICCALL", "CREATE"])
        if name in ("CALLDATACOPY", "CODECOPY", "RETURNDATACOPY"):
            p.push(0).push(rng.choice([0, huge])).push(huge)
        elif name == "MCOPY":
            p.push(0).push(rng.choice([0, huge])).push(huge)
        elif name == "KECCAK256":
            p.push(0).push(huge)
        elif name == "LOG1":
            p.push(self.value()).push(0).push(huge)
        elif name == "EXTCODECOPY":
            p.push(0).push(huge).push(huge).push(self.world.address())
        elif name == "CREATE":
            p.push(0).push(huge).push(0)
        else:
            p.push(0).push(huge).push(0).push(huge)
            if name == "CALL":
                p.push(0)
            p.push(self.world.address()).push(rng.choice([0, 5000]))
        p.op(name)
        for _ in range(OPCODES[name][2]):
            self.observe(p)
        if name in ("CALLDATACOPY", "CODECOPY", "RETURNDATACOPY", "MCOPY"):
            p.op("MSIZE")
            self.observe(p)

    def broken(self, p):
        """Something that halts the frame."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            target = Label()  # a 0x5B inside PUSH data is no jump destination
            p.push_label(target).op("JUMP")
            target.position = p.size + 1
            p.raw(bytes([0x62, 0x5B, 0x5B, 0x5B]))
            return
        if roll < 0.2:
            p.op(rng.choice(["ADD", "MSTORE", "SSTORE", "CALL", "LOG4", "DUP16", "SWAP16", "POP"]))  # underflow
        elif roll < 0.35:
            loop = Label()
            p.mark(loop).op("PUSH0").push_label(loop).op("JUMP")  # stack overflow at 1024
        elif roll < 0.55:
            p.push(rng.choice([0, 1, 3, 2**16 + 1, MASK])).op("JUMP")  # bad destination
        elif roll < 0.7:
            p.raw(bytes([rng.choice([b for b in range(256) if b not in DEFINED])]))
        elif roll < 0.8:
            p.op("INVALID")
        else:
            p.push(self.value()).push(self.value()).push(self.value()).op("ADDMOD", "POP")
            p.push(self.offset()).push(MASK).op("RETURNDATACOPY")  # out of bounds unless size 0

    def snippet(self, p, budget=3, allow_calls=True):
        rng = self.rng
        choices = [("generic", 30), ("stack", 6), ("computed", 8), ("calldata", 3), ("jump", 5), ("skip", 2),
                   ("loop", 3 if budget > 1 else 0), ("memory_edge", 1), ("zero_size", 1)]
        if allow_calls:
            choices += [("call", 14), ("create", 5 if self.depth < 2 else 1), ("selfdestruct", 2), ("call_self", 3)]
        choices.append(("storage", 5))
        choices.append(("broken", 1))
        name = rng.choices([c[0] for c in choices], weights=[c[1] for c in choices])[0]
        {"generic": self.generic, "stack": self.stack_ops, "computed": self.computed, "calldata": self.calldata_word,
         "jump": self.forward_jump, "skip": self.skip_garbage, "loop": self.loop, "memory_edge": self.memory_edge,
         "call": self.call, "create": self.create, "selfdestruct": self.selfdestruct, "broken": self.broken,
         "call_self": self.call_self, "storage": self.storage_sequence,
         "zero_size": self.zero_size_at_huge_offset}[name](p)

    def program(self, length, allow_calls=True):
        """A whole contract: snippets, then an ending."""
        rng = self.rng
        p = Program()
        for _ in range(length):
            self.snippet(p, allow_calls=allow_calls)
        roll = rng.random()
        if roll < 0.5:
            p.push(rng.choice([32, 64, 256, 0x400])).push(RESULT_AREA).op("RETURN")
        elif roll < 0.62:
            p.push(rng.choice([0, 32, 64])).push(RESULT_AREA).op("REVERT")
        elif roll < 0.75:
            p.op("STOP")
        elif roll < 0.82:
            p.push(self.world.address()).op("SELFDESTRUCT")
        # else: run off the end (or into the data blobs' STOP)
        return p.build()


def random_instructions(rng):
    """Unstructured code: defined opcodes mostly, with PUSH data, at random stack depths."""
    out = bytearray()
    for _ in range(rng.randrange(1, 80)):
        if rng.random() < 0.08:
            out.append(rng.getrandbits(8))
            continue
        byte = rng.choice(sorted(DEFINED))
        out.append(byte)
        if 0x60 <= byte <= 0x7F:
            width = byte - 0x5F
            value = rng.choice(EDGE_VALUES + [rng.getrandbits(8 * width), rng.randrange(0, 40)])
            out += (value % (1 << (8 * width))).to_bytes(width, "big")
    return bytes(out)


def mutate_bytes(rng, code):
    """Byte-level damage: flips, insertions, deletions, truncation."""
    code = bytearray(code)
    for _ in range(rng.randrange(1, 4)):
        roll = rng.random()
        if not code:
            code.append(rng.getrandbits(8))
        elif roll < 0.4:
            code[rng.randrange(len(code))] = rng.getrandbits(8)
        elif roll < 0.6:
            code.insert(rng.randrange(len(code) + 1), rng.choice([rng.getrandbits(8), BYTE["JUMPDEST"], 0x7F]))
        elif roll < 0.8:
            del code[rng.randrange(len(code))]
        else:
            del code[rng.randrange(len(code)):]
    return bytes(code)


def intrinsic_gas(data, is_create, access_list):
    """Intrinsic gas (Yellow Paper §6.2 with EIP-2028, EIP-2930, EIP-3860)."""
    gas = 21000 + sum(4 if b == 0 else 16 for b in data)
    if is_create:
        gas += 32000 + 2 * ((len(data) + 31) // 32)
    for address, keys in access_list:
        gas += 2400 + 1900 * len(keys)
    return gas


def recursion_program(rng):
    """A contract that calls itself with all its gas until the call fails (the 1024-frame depth
    limit, or too little gas), recording at each depth whether its call succeeded; run with
    tens of trillions of gas so the 63/64 rule (EIP-150) still leaves enough at depth 1024."""
    p = Program()
    p.push(0).op("CALLDATALOAD").push(1).op("ADD")  # depth + 1
    p.op("DUP1").push(0).op("MSTORE")
    if rng.random() < 0.5:
        p.op("DUP1").op("DUP1").op("TSTORE")  # transient storage at every depth
    p.push(0).push(0).push(32).push(0).push(rng.choice([0, 0, 1])).op("ADDRESS", "GAS")
    p.op(rng.choice(["CALL", "CALL", "DELEGATECALL", "CALLCODE"]))
    p.op("SWAP1").op("SSTORE")  # slot depth = did the deeper call succeed
    p.op("GAS").push(1).op("SSTORE")
    if rng.random() < 0.3:
        p.push(0).push(0).op("REVERT")
    return p.build()


def recursion_case(seed, rng):
    contract = address_text((rng.randrange(1, 2**150) << 8) + 0x10)
    gas_limit = rng.choice([2**36, 2**44, 2**46, 2**47])
    pre = {contract: {"balance": rng.choice([0, 10**18]), "nonce": 1, "code": recursion_program(rng), "storage": {}},
           SENDER: {"balance": 10**30, "nonce": 0, "code": b"", "storage": {}}}
    return {
        "name": f"random-{seed}",
        "env": {"currentCoinbase": address_text(0xC0FFEE), "currentNumber": "0x1", "currentTimestamp": "0x3e8",
                "currentGasLimit": hex(2**50), "currentBaseFee": "0x0", "currentRandom": "0x0",
                "currentExcessBlobGas": "0x0"},
        "pre": {address: encode_account(account) for address, account in pre.items()},
        "transaction": make_transaction(rng, 0, 0, gas_limit, contract, rng.choice([0, 1]), b"", []),
    }


def random_case(seed, constrained=True):
    """The case for one seed. `constrained` (the default) fits the case to what pyrevm can run
    (revm_side.py): base fee 0, one pre-state slot per account, accounts with storage in the access
    list. Without it, the case is for py-evm as the reference (difftest.py run --reference pyevm),
    and CREATE never gets init code over EIP-3860's limit: py-evm checks the creator's balance and
    nonce first and pushes 0 where the spec's generic_create, revm and GoldenGrain abort."""
    rng = random.Random(seed)
    if rng.random() < 0.004:
        return recursion_case(seed, rng)
    world = World(rng)
    world.constrained = constrained
    gen = Generator(rng, world)
    pre = {}
    storage_plan = {}
    for address in world.contracts:
        if rng.random() < 0.6:  # one slot at most: see revm_side.py
            key = gen.key() if rng.random() < 0.7 else 0x100 + rng.randrange(0, 8)
            storage_plan[address] = {key: rng.choice([1, 2, gen.value() or 1])}
            if not constrained:
                for _ in range(rng.randrange(0, 5)):
                    storage_plan[address][gen.key()] = rng.choice([1, 2, gen.value() or 1])
            for key, value in storage_plan[address].items():
                world.stored_keys.add(key)
                world.stored_value[key] = value
    for address in world.contracts:
        roll = rng.random()
        code = gen.program(rng.randrange(1, 14))
        if roll < 0.05:
            code = mutate_bytes(rng, code)
        elif roll < 0.08:
            code = random_instructions(rng)
        storage = storage_plan.get(address, {})
        pre[address] = {"balance": rng.choice([0, 0, 1, 10**18, rng.getrandbits(80)]),
                        "nonce": rng.choice([0, 1, 1, 1, 5, 2**64 - 2, 2**64 - 1]),
                        "code": code, "storage": storage}
    for address in world.eoas:
        pre[address] = {"balance": rng.choice([0, 1, 10**18]), "nonce": rng.choice([0, 1, 7]), "code": b"",
                        "storage": {}}
    gas_price = rng.choice([0, 0, 1, 10, 10**9])
    base_fee = 0 if constrained else rng.choice([0, 1, 7, 10**9])
    pre[world.sender] = {"balance": rng.choice([10**30, 2 * 10**24]), "nonce": rng.choice([0, 1, 2**20]),
                         "code": b"", "storage": {}}
    if world.coinbase not in pre and rng.random() < 0.2:
        pre[world.coinbase] = {"balance": rng.choice([0, 5]), "nonce": 0, "code": b"", "storage": {}}

    roll = rng.random()
    if roll < 0.72:
        to = world.contracts[0] if rng.random() < 0.75 else rng.choice(world.contracts)
    elif roll < 0.82:
        to = None
    elif roll < 0.92:
        to = rng.choice(world.precompiles)
    else:
        to = rng.choice(world.eoas + world.absent + [world.coinbase])
    if to is None:
        data = gen.init_code() if rng.random() < 0.9 else mutate_bytes(rng, gen.init_code())
        if rng.random() < 0.01:
            data = data + bytes(49153 - len(data))  # one byte over EIP-3860's limit: rejected
    elif to in world.precompiles:
        data = precompile_inputs.input_for(rng, int(to, 16))
    else:
        data = b"".join(gen.value().to_bytes(32, "big") for _ in range(rng.choice([0, 1, 1, 2, 3])))
        if rng.random() < 0.15:
            data = data[:rng.randrange(0, len(data) + 1)]
        if rng.random() < 0.02:
            data += bytes(rng.getrandbits(8) if rng.random() < 0.5 else 0 for _ in range(rng.randrange(100, 6000)))
    value = rng.choice([0, 0, 0, 1, 10**18, rng.getrandbits(64)])

    # Addresses that creations will take, funded in advance (a creation keeps the balance there).
    if rng.random() < 0.1:
        creators = [(world.sender, pre[world.sender]["nonce"])] + [(a, pre[a]["nonce"]) for a in world.contracts]
        creator, nonce = rng.choice(creators)
        target = create_address(creator, nonce + (0 if creator == world.sender else rng.choice([0, 0, 1])))
        if target not in pre:
            pre[target] = {"balance": rng.choice([1, 10**18]), "nonce": 0, "code": b"", "storage": {}}

    access_list = []
    for address in sorted(pre):
        if pre[address]["storage"]:
            if constrained:
                access_list.append((address, []))  # see revm_side.py: pyrevm warms accounts given storage
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        address = address_text(world.address() & (2**160 - 1))
        access_list.append((address, sorted({gen.key() for _ in range(rng.randrange(0, 3))})))
    if access_list and rng.random() < 0.1:
        access_list.append(rng.choice(access_list))  # a duplicate entry is paid for twice (EIP-2930)
    intrinsic = intrinsic_gas(data, to is None, access_list)
    roll = rng.random()
    if roll < 0.15:
        gas_limit = intrinsic + rng.randrange(0, 30000)  # near exhaustion
    elif roll < 0.85:
        gas_limit = intrinsic + rng.randrange(50000, 1_500_000)
    else:
        gas_limit = intrinsic + rng.randrange(1_500_000, 8_000_000)
    block_gas_limit = rng.choice([30_000_000, 30_000_000, gas_limit, 2**40])
    case = {
        "name": f"random-{seed}",
        "env": {
            "currentCoinbase": world.coinbase,
            "currentNumber": hex(rng.choice([1, 256, 257, rng.randrange(1, 2**32)])),
            "currentTimestamp": hex(rng.randrange(0, 2**40)),
            "currentGasLimit": hex(block_gas_limit),
            "currentBaseFee": hex(base_fee),
            "currentRandom": "0x" + format(rng.getrandbits(256), "064x"),
            "currentExcessBlobGas": hex(rng.choice([0, 0, 1, 3338477, 10**7, rng.randrange(0, 2**26)])),
        },
        "pre": {address: encode_account(account) for address, account in pre.items()},
        "transaction": make_transaction(rng, pre[world.sender]["nonce"], gas_price, gas_limit, to, value, data,
                                        access_list, base_fee),
    }
    return case


def create_address(creator, nonce):
    """CREATE's address: keccak256(RLP([creator, nonce]))[12:] (Yellow Paper §7)."""
    from eth_hash.auto import keccak
    from regression import encode
    nonce_bytes = nonce.to_bytes((nonce.bit_length() + 7) // 8, "big")
    return "0x" + keccak(encode([bytes.fromhex(creator[2:]), nonce_bytes]))[12:].hex()


def encode_account(account):
    return {"balance": hex(account["balance"]), "nonce": hex(account["nonce"]), "code": "0x" + account["code"].hex(),
            "storage": {hex(k): hex(v) for k, v in sorted(account["storage"].items()) if v}}


def make_transaction(rng, nonce, gas_price, gas_limit, to, value, data, access_list, base_fee=0):
    tx = {"nonce": hex(nonce), "gasLimit": [hex(gas_limit)], "to": to or "", "value": [hex(value)],
          "data": ["0x" + data.hex()], "sender": SENDER, "secretKey": "0x" + format(SENDER_KEY, "064x")}
    kind = rng.choice(["legacy", "accessList", "dynamicFee"]) if not access_list else rng.choice(
        ["accessList", "dynamicFee"])
    if kind == "dynamicFee":
        tx["maxFeePerGas"] = hex(base_fee + gas_price + rng.choice([0, 0, 5]))
        tx["maxPriorityFeePerGas"] = hex(min(gas_price + (rng.choice([0, 0, 3]) if base_fee else 0),
                                             int(tx["maxFeePerGas"], 16)))
    else:
        tx["gasPrice"] = hex(base_fee + gas_price)
    if kind != "legacy":
        tx["accessLists"] = [[{"address": address, "storageKeys": ["0x" + format(k, "064x") for k in keys]}
                              for address, keys in access_list]]
    return tx
