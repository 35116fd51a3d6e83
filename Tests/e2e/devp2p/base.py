"""The devp2p base ("p2p") protocol, from devp2p rlpx.md: Hello, Disconnect, Ping, Pong, message ids 0x00–0x0f,
and Snappy compression of msg-data after Hello (EIP-706), with the 16 MiB limit read from the Snappy length header
before decompressing."""
from __future__ import annotations

from dataclasses import dataclass, field

import cramjam
import rlp

from .rlputil import split_list

HELLO, DISCONNECT, PING, PONG = 0x00, 0x01, 0x02, 0x03
BASE_PROTOCOL_LENGTH = 0x10  # the first shared capability's ids start at 0x10
P2P_VERSION = 5
MAX_UNCOMPRESSED = 16 * 1024 * 1024

DISCONNECT_REASONS = {
    0x00: "disconnect requested", 0x01: "TCP sub-system error", 0x02: "breach of protocol", 0x03: "useless peer",
    0x04: "too many peers", 0x05: "already connected", 0x06: "incompatible P2P protocol version",
    0x07: "null node identity", 0x08: "client quitting", 0x09: "unexpected identity", 0x0A: "connected to self",
    0x0B: "ping timeout", 0x10: "subprotocol error",
}


class ProtocolError(Exception):
    pass


def to_int(value: bytes) -> int:
    if value[:1] == b"\x00":
        raise ProtocolError(f"integer with a leading zero byte: {value.hex()}")
    return int.from_bytes(value, "big")


@dataclass
class Hello:
    """[protocolVersion, clientId, [[cap, version], ...], listenPort, nodeId, ...]"""
    version: int
    client_id: str
    capabilities: list[tuple[str, int]]
    listen_port: int
    node_id: bytes
    rest: list = field(default_factory=list)

    def encode(self) -> bytes:
        caps = [[name.encode(), version] for name, version in self.capabilities]
        return rlp.encode([self.version, self.client_id.encode(), caps, self.listen_port, self.node_id])

    @classmethod
    def decode(cls, data: bytes) -> "Hello":
        items = split_list(data)
        if len(items) < 5:
            raise ProtocolError(f"Hello with {len(items)} elements, expected at least 5")
        version, client_id, caps, port, node_id = (rlp.decode(item) for item in items[:5])
        if len(node_id) != 64:
            raise ProtocolError(f"Hello node id of {len(node_id)} bytes, expected 64")
        capabilities = [(name.decode(), to_int(version_bytes)) for name, version_bytes, *_ in caps]
        return cls(to_int(version), client_id.decode(errors="replace"), capabilities, to_int(port), node_id,
                   list(items[5:]))


def encode_disconnect(reason: int) -> bytes:
    return rlp.encode([reason])


def decode_disconnect(data: bytes) -> int:
    """The reason of a Disconnect: [reason] as the spec writes it; also a bare integer, or [] (no reason: 0)."""
    value = rlp.decode(data, strict=False)
    if isinstance(value, list):
        return to_int(value[0]) if value else 0
    return to_int(value)


PING_DATA = PONG_DATA = rlp.encode([])  # 0xc0


def snappy_compress(data: bytes) -> bytes:
    return bytes(cramjam.snappy.compress_raw(data))


def snappy_uncompressed_length(data: bytes) -> int:
    """The varint at the start of a Snappy block: its uncompressed length."""
    value = shift = 0
    for index, byte in enumerate(data[:5]):
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value
        shift += 7
    raise ProtocolError(f"Snappy length header not terminated in {min(len(data), 5)} bytes")


def snappy_decompress(data: bytes, limit: int = MAX_UNCOMPRESSED) -> bytes:
    length = snappy_uncompressed_length(data)
    if length > limit:
        raise ProtocolError(f"Snappy block would decompress to {length} bytes, more than the limit {limit}")
    try:
        return bytes(cramjam.snappy.decompress_raw(data))
    except Exception as error:  # cramjam raises its own DecompressionError
        raise ProtocolError(f"corrupt Snappy block: {error}") from error
