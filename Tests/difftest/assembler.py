"""A tiny EVM assembler for the generator: bytes, labels (JUMPDESTs and data blobs) resolved to
PUSH2 offsets when the program is finished, and the Cancun opcode table (stack inputs/outputs).

Labels are always pushed with PUSH2 (programs stay far below 64 KiB), so offsets are known before
the layout is: code first, then the data blobs (init code, precompile inputs) after a STOP.
"""

# Cancun opcodes: name -> (byte, stack inputs, stack outputs). Yellow Paper appendix H, EIP-3855
# (PUSH0), EIP-1153 (TLOAD/TSTORE), EIP-5656 (MCOPY), EIP-4844 (BLOBHASH), EIP-7516 (BLOBBASEFEE).
OPCODES = {
    "STOP": (0x00, 0, 0), "ADD": (0x01, 2, 1), "MUL": (0x02, 2, 1), "SUB": (0x03, 2, 1),
    "DIV": (0x04, 2, 1), "SDIV": (0x05, 2, 1), "MOD": (0x06, 2, 1), "SMOD": (0x07, 2, 1),
    "ADDMOD": (0x08, 3, 1), "MULMOD": (0x09, 3, 1), "EXP": (0x0A, 2, 1), "SIGNEXTEND": (0x0B, 2, 1),
    "LT": (0x10, 2, 1), "GT": (0x11, 2, 1), "SLT": (0x12, 2, 1), "SGT": (0x13, 2, 1), "EQ": (0x14, 2, 1),
    "ISZERO": (0x15, 1, 1), "AND": (0x16, 2, 1), "OR": (0x17, 2, 1), "XOR": (0x18, 2, 1),
    "NOT": (0x19, 1, 1), "BYTE": (0x1A, 2, 1), "SHL": (0x1B, 2, 1), "SHR": (0x1C, 2, 1), "SAR": (0x1D, 2, 1),
    "KECCAK256": (0x20, 2, 1),
    "ADDRESS": (0x30, 0, 1), "BALANCE": (0x31, 1, 1), "ORIGIN": (0x32, 0, 1), "CALLER": (0x33, 0, 1),
    "CALLVALUE": (0x34, 0, 1), "CALLDATALOAD": (0x35, 1, 1), "CALLDATASIZE": (0x36, 0, 1),
    "CALLDATACOPY": (0x37, 3, 0), "CODESIZE": (0x38, 0, 1), "CODECOPY": (0x39, 3, 0), "GASPRICE": (0x3A, 0, 1),
    "EXTCODESIZE": (0x3B, 1, 1), "EXTCODECOPY": (0x3C, 4, 0), "RETURNDATASIZE": (0x3D, 0, 1),
    "RETURNDATACOPY": (0x3E, 3, 0), "EXTCODEHASH": (0x3F, 1, 1),
    "BLOCKHASH": (0x40, 1, 1), "COINBASE": (0x41, 0, 1), "TIMESTAMP": (0x42, 0, 1), "NUMBER": (0x43, 0, 1),
    "PREVRANDAO": (0x44, 0, 1), "GASLIMIT": (0x45, 0, 1), "CHAINID": (0x46, 0, 1), "SELFBALANCE": (0x47, 0, 1),
    "BASEFEE": (0x48, 0, 1), "BLOBHASH": (0x49, 1, 1), "BLOBBASEFEE": (0x4A, 0, 1),
    "POP": (0x50, 1, 0), "MLOAD": (0x51, 1, 1), "MSTORE": (0x52, 2, 0), "MSTORE8": (0x53, 2, 0),
    "SLOAD": (0x54, 1, 1), "SSTORE": (0x55, 2, 0), "JUMP": (0x56, 1, 0), "JUMPI": (0x57, 2, 0),
    "PC": (0x58, 0, 1), "MSIZE": (0x59, 0, 1), "GAS": (0x5A, 0, 1), "JUMPDEST": (0x5B, 0, 0),
    "TLOAD": (0x5C, 1, 1), "TSTORE": (0x5D, 2, 0), "MCOPY": (0x5E, 3, 0), "PUSH0": (0x5F, 0, 1),
    "LOG0": (0xA0, 2, 0), "LOG1": (0xA1, 3, 0), "LOG2": (0xA2, 4, 0), "LOG3": (0xA3, 5, 0), "LOG4": (0xA4, 6, 0),
    "CREATE": (0xF0, 3, 1), "CALL": (0xF1, 7, 1), "CALLCODE": (0xF2, 7, 1), "RETURN": (0xF3, 2, 0),
    "DELEGATECALL": (0xF4, 6, 1), "CREATE2": (0xF5, 4, 1), "STATICCALL": (0xFA, 6, 1), "REVERT": (0xFD, 2, 0),
    "INVALID": (0xFE, 0, 0), "SELFDESTRUCT": (0xFF, 1, 0),
}
for _n in range(1, 33):
    OPCODES[f"PUSH{_n}"] = (0x5F + _n, 0, 1)
for _n in range(1, 17):
    OPCODES[f"DUP{_n}"] = (0x7F + _n, _n, _n + 1)
    OPCODES[f"SWAP{_n}"] = (0x8F + _n, _n + 1, _n + 1)

BYTE = {name: spec[0] for name, spec in OPCODES.items()}
NAME = {spec[0]: name for name, spec in OPCODES.items()}
DEFINED = set(NAME)


class Label:
    """A position in the program (a JUMPDEST or a data blob), resolved when the program is built."""

    __slots__ = ("position",)

    def __init__(self):
        self.position = None


class Program:
    """Bytecode under construction: opcodes, pushes, label references and trailing data blobs."""

    def __init__(self):
        self.parts = []  # bytes, or ("label", Label) for a PUSH2 of a label's position
        self.size = 0
        self.blobs = []  # (Label, bytes)

    def op(self, *names):
        for name in names:
            self.raw(bytes([BYTE[name]]))
        return self

    def raw(self, data):
        self.parts.append(bytes(data))
        self.size += len(data)
        return self

    def push(self, value, width=None):
        """PUSH the smallest encoding of value (PUSH0 for zero unless a width is given)."""
        value &= (1 << 256) - 1
        if width is None:
            if value == 0:
                return self.op("PUSH0")
            width = (value.bit_length() + 7) // 8
        self.raw(bytes([0x5F + width]) + value.to_bytes(width, "big"))
        return self

    def push_label(self, label):
        self.parts.append(("label", label))
        self.size += 3
        return self

    def mark(self, label):
        """Places a JUMPDEST here and binds label to it."""
        label.position = self.size
        return self.op("JUMPDEST")

    def data(self, blob):
        """A data blob appended after the code; returns its label (push it for CODECOPY)."""
        label = Label()
        self.blobs.append((label, bytes(blob)))
        return label

    def build(self, terminate=True):
        out = bytearray()
        for part in self.parts:
            if isinstance(part, tuple):
                out += b"\x00\x00\x00"  # patched below
            else:
                out += part
        if self.blobs:
            if terminate:
                out.append(0x00)
            for label, blob in self.blobs:
                label.position = len(out)
                out += blob
        offset = 0
        for part in self.parts:
            if isinstance(part, tuple):
                position = part[1].position
                assert position is not None and position < 0x10000, "unbound or too distant label"
                out[offset:offset + 3] = bytes([0x61, position >> 8, position & 0xFF])
                offset += 3
            else:
                offset += len(part)
        return bytes(out)


def opcode_names(code):
    """Walks code as the EVM does (skipping PUSH data) and yields (pc, byte)."""
    pc = 0
    while pc < len(code):
        byte = code[pc]
        yield pc, byte
        pc += 1 + (byte - 0x5F if 0x60 <= byte <= 0x7F else 0)
