"""eth/68 messages, from devp2p caps/eth.md (as it stood for eth/68) and EIP-2124 (fork id).

Message ids are relative to the eth capability's offset (0x10 when eth is the only shared capability)."""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import rlp

from .base import ProtocolError, to_int
from .rlpx import keccak256
from .rlputil import split_list

ETH_VERSION = 68
STATUS, NEW_BLOCK_HASHES, TRANSACTIONS, GET_BLOCK_HEADERS, BLOCK_HEADERS = 0x00, 0x01, 0x02, 0x03, 0x04
GET_BLOCK_BODIES, BLOCK_BODIES, NEW_BLOCK = 0x05, 0x06, 0x07
NEW_POOLED_TRANSACTION_HASHES, GET_POOLED_TRANSACTIONS, POOLED_TRANSACTIONS = 0x08, 0x09, 0x0A
GET_RECEIPTS, RECEIPTS = 0x0F, 0x10
ETH_PROTOCOL_LENGTH = 17


@dataclass(frozen=True)
class ForkId:
    """EIP-2124: [fork-hash (4 bytes), fork-next]."""
    hash: bytes
    next: int = 0

    def encode_fields(self) -> list:
        return [self.hash, self.next]

    @classmethod
    def from_genesis(cls, genesis_hash: bytes, forks: tuple[int, ...] = ()) -> "ForkId":
        """CRC32 over the genesis hash, then each passed fork block / time as 8 big-endian bytes (EIP-2124).
        Forks at 0 are active at genesis and are not part of the checksum, as EIP-2124's gathering skips them."""
        checksum = zlib.crc32(genesis_hash)
        for fork in sorted(set(f for f in forks if f != 0)):
            checksum = zlib.crc32(fork.to_bytes(8, "big"), checksum)
        return cls(checksum.to_bytes(4, "big"), 0)


@dataclass
class Status:
    """eth/68 Status: [version, networkid, td, blockhash, genesis, forkid]."""
    version: int
    network_id: int
    total_difficulty: int
    head: bytes
    genesis: bytes
    fork_id: ForkId

    def encode(self) -> bytes:
        return rlp.encode([self.version, self.network_id, self.total_difficulty, self.head, self.genesis,
                           self.fork_id.encode_fields()])

    @classmethod
    def decode(cls, data: bytes) -> "Status":
        items = split_list(data)
        if len(items) < 6:
            raise ProtocolError(f"Status with {len(items)} elements, expected 6")
        version, network, td, head, genesis, fork = (rlp.decode(item) for item in items[:6])
        if len(head) != 32 or len(genesis) != 32:
            raise ProtocolError(f"Status hashes of {len(head)}/{len(genesis)} bytes, expected 32")
        if not isinstance(fork, list) or len(fork) < 2 or len(fork[0]) != 4:
            raise ProtocolError(f"Status fork id {fork!r} is not [4-byte hash, next]")
        return cls(to_int(version), to_int(network), to_int(td), head, genesis, ForkId(fork[0], to_int(fork[1])))


def encode_get_block_headers(request_id: int, origin: int | bytes, amount: int, skip: int = 0,
                             reverse: bool = False) -> bytes:
    """[request-id, [startblock: {number, hash}, limit, skip, reverse]]."""
    return rlp.encode([request_id, [origin, amount, skip, 1 if reverse else 0]])


def decode_get_block_headers(data: bytes) -> tuple[int, int | bytes, int, int, bool]:
    request_id, (origin, amount, skip, reverse) = rlp.decode(data)
    origin_value = origin if len(origin) == 32 else to_int(origin)
    return to_int(request_id), origin_value, to_int(amount), to_int(skip), to_int(reverse) == 1


def encode_block_headers(request_id: int, raw_headers: list[bytes]) -> bytes:
    """[request-id, [header₁, ...]] from headers already RLP-encoded."""
    return _list(rlp.encode(request_id) + _list(b"".join(raw_headers)))


def _list(payload: bytes) -> bytes:
    if len(payload) < 56:
        return bytes([0xC0 + len(payload)]) + payload
    size = len(payload).to_bytes((len(payload).bit_length() + 7) // 8, "big")
    return bytes([0xF7 + len(size)]) + size + payload


def decode_block_headers(data: bytes) -> tuple[int, list[bytes]]:
    """(request id, the raw RLP of each header as sent) of [request-id, [header₁, ...]]."""
    items = split_list(data)
    if len(items) != 2:
        raise ProtocolError(f"BlockHeaders with {len(items)} elements, expected 2")
    return to_int(rlp.decode(items[0])), split_list(items[1])


def header_hash(raw_header: bytes) -> bytes:
    return keccak256(raw_header)


def header_number(raw_header: bytes) -> int:
    """Field 8 of a header: [parent, ommers, coinbase, state, txs, receipts, bloom, difficulty, number, ...]."""
    return to_int(rlp.decode(split_list(raw_header)[8]))
