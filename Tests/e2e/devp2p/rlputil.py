"""A few raw-RLP helpers the `rlp` package does not offer: the raw bytes of each item of a list (to hash block
headers exactly as they were sent, and to keep unknown extra elements of handshake messages)."""
from __future__ import annotations


def item_bounds(data: bytes, offset: int = 0) -> tuple[int, int, bool]:
    """(payload start, end, is_list) of the RLP item starting at data[offset]."""
    if offset >= len(data):
        raise ValueError(f"no RLP item at offset {offset} of {len(data)} bytes")
    prefix = data[offset]
    if prefix < 0x80:
        return offset, offset + 1, False
    if prefix < 0xB8:
        start, length, is_list = offset + 1, prefix - 0x80, False
    elif prefix < 0xC0:
        size = prefix - 0xB7
        start, length, is_list = offset + 1 + size, int.from_bytes(data[offset + 1:offset + 1 + size], "big"), False
    elif prefix < 0xF8:
        start, length, is_list = offset + 1, prefix - 0xC0, True
    else:
        size = prefix - 0xF7
        start, length, is_list = offset + 1 + size, int.from_bytes(data[offset + 1:offset + 1 + size], "big"), True
    if start + length > len(data):
        raise ValueError(f"RLP item at offset {offset} claims {length} bytes, only {len(data) - start} remain")
    return start, start + length, is_list


def split_list(data: bytes, allow_trailing: bool = False) -> list[bytes]:
    """The raw encodings of the items of the RLP list `data` (which may be followed by padding if allowed)."""
    start, end, is_list = item_bounds(data, 0)
    if not is_list:
        raise ValueError(f"expected an RLP list, found a string (prefix 0x{data[0]:02x})")
    if end != len(data) and not allow_trailing:
        raise ValueError(f"{len(data) - end} bytes after the RLP list")
    items, offset = [], start
    while offset < end:
        _, item_end, _ = item_bounds(data, offset)
        if item_end > end:
            raise ValueError(f"item at offset {offset} runs past its list")
        items.append(data[offset:item_end])
        offset = item_end
    return items
