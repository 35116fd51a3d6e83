"""A blocking devp2p peer over one TCP socket: RLPx handshake (either role), Hello, Status, GetBlockHeaders.

    peer = Peer.connect("127.0.0.1", 30303, remote_pubkey, our_key, status=our_status)
    peer.remote_hello, peer.remote_status          # what the node sent
    headers = peer.get_block_headers(0, 5)          # raw RLP of each header
    peer.close()

Pings are answered with Pongs while waiting; a Disconnect raises `Disconnected(reason)`.
"""
from __future__ import annotations

import itertools
import socket
import struct
import time

import coincurve
import rlp

from . import base, eth
from .rlpx import FrameCodec, Initiator, Recipient, RLPxError, public_key_bytes
from .rlputil import item_bounds

DEFAULT_CLIENT_ID = "goldengrain-e2e-pypeer/1"


class Disconnected(Exception):
    def __init__(self, reason: int):
        self.reason = reason
        super().__init__(f"peer disconnected: reason 0x{reason:02x} ({base.DISCONNECT_REASONS.get(reason, 'unknown')})")


class ConnectionClosed(Exception):
    pass


def _recv_exact(sock: socket.socket, length: int) -> bytes:
    data = bytearray()
    while len(data) < length:
        chunk = sock.recv(length - len(data))
        if not chunk:
            raise ConnectionClosed(f"connection closed after {len(data)} of {length} bytes")
        data += chunk
    return bytes(data)


def _read_handshake_packet(sock: socket.socket) -> bytes:
    prefix = _recv_exact(sock, 2)
    return prefix + _recv_exact(sock, struct.unpack(">H", prefix)[0])


def shared_capabilities(ours, theirs) -> dict[str, tuple[int, int]]:
    """{name: (version, offset)}: shared (name, version) pairs, the highest version per name, ids from 0x10
    in alphabetical order of name, each capability taking as many ids as it defines (rlpx.md)."""
    lengths = {("eth", 68): eth.ETH_PROTOCOL_LENGTH}
    shared = {}
    for name, version in set(ours) & set(theirs):
        if (name, version) in lengths and version > shared.get(name, -1):
            shared[name] = version
    result, offset = {}, base.BASE_PROTOCOL_LENGTH
    for name in sorted(shared):
        result[name] = (shared[name], offset)
        offset += lengths[(name, shared[name])]
    return result


class Peer:
    def __init__(self, sock: socket.socket, codec: FrameCodec, our_key: coincurve.PrivateKey):
        self.sock, self.codec, self.our_key = sock, codec, our_key
        self.remote_pubkey = codec.secrets.remote_pubkey
        self.snappy = False
        self.remote_hello: base.Hello | None = None
        self.remote_status: eth.Status | None = None
        self.capabilities: dict[str, tuple[int, int]] = {}
        self.request_ids = itertools.count(1)
        self.ignored: list[tuple[int, bytes]] = []  # messages received while waiting for something else

    # --- setting up ---------------------------------------------------------------------------------------------------

    @classmethod
    def connect(cls, host: str, port: int, remote_pubkey: bytes, our_key: coincurve.PrivateKey,
                status: eth.Status | None = None, client_id: str = DEFAULT_CLIENT_ID,
                capabilities=(("eth", eth.ETH_VERSION),), timeout: float = 10.0) -> "Peer":
        """Dial, handshake as initiator, exchange Hello; exchange Status too when `status` is given."""
        sock = socket.create_connection((host, port), timeout=timeout)
        try:
            return cls.initiate(sock, remote_pubkey, our_key, status, client_id, capabilities)
        except BaseException:
            sock.close()
            raise

    @classmethod
    def initiate(cls, sock: socket.socket, remote_pubkey: bytes, our_key: coincurve.PrivateKey,
                 status: eth.Status | None = None, client_id: str = DEFAULT_CLIENT_ID,
                 capabilities=(("eth", eth.ETH_VERSION),)) -> "Peer":
        """The initiator side on a connected socket: send auth, read ack, exchange Hello (and Status if given)."""
        initiator = Initiator(our_key, remote_pubkey)
        sock.sendall(initiator.auth_packet())
        secrets = initiator.handle_ack(_read_handshake_packet(sock))
        peer = cls(sock, FrameCodec(secrets), our_key)
        peer.exchange_hello(client_id, capabilities)
        if status is not None:
            peer.exchange_status(status)
        return peer

    @classmethod
    def accept(cls, sock: socket.socket, our_key: coincurve.PrivateKey, client_id: str = DEFAULT_CLIENT_ID,
               capabilities=(("eth", eth.ETH_VERSION),), hello: bool = True) -> "Peer":
        """The recipient side on an accepted socket: read auth, send ack, exchange Hello."""
        recipient = Recipient(our_key)
        recipient.handle_auth(_read_handshake_packet(sock))
        sock.sendall(recipient.ack_packet())
        peer = cls(sock, FrameCodec(recipient.secrets()), our_key)
        if hello:
            peer.exchange_hello(client_id, capabilities)
        return peer

    def exchange_hello(self, client_id: str = DEFAULT_CLIENT_ID, capabilities=(("eth", eth.ETH_VERSION),)):
        ours = base.Hello(base.P2P_VERSION, client_id, list(capabilities), 0, public_key_bytes(self.our_key))
        self.send(base.HELLO, ours.encode())
        code, payload = self.receive()
        if code == base.DISCONNECT:
            raise Disconnected(base.decode_disconnect(payload))
        if code != base.HELLO:
            raise base.ProtocolError(f"first message has code 0x{code:02x}, expected Hello (0x00)")
        self.remote_hello = base.Hello.decode(payload)
        if self.remote_hello.node_id != self.remote_pubkey:
            raise base.ProtocolError(f"Hello node id {self.remote_hello.node_id.hex()} is not the handshake's key "
                                     f"{self.remote_pubkey.hex()}")
        self.snappy = self.remote_hello.version >= 5
        self.capabilities = shared_capabilities(list(capabilities), self.remote_hello.capabilities)
        return self.remote_hello

    def eth_code(self, code: int) -> int:
        if "eth" not in self.capabilities:
            raise base.ProtocolError(f"eth is not shared: ours vs theirs {self.remote_hello.capabilities}")
        return self.capabilities["eth"][1] + code

    def exchange_status(self, status: eth.Status, timeout: float = 10.0) -> eth.Status:
        self.send(self.eth_code(eth.STATUS), status.encode())
        payload = self.receive_until(self.eth_code(eth.STATUS), timeout)
        self.remote_status = eth.Status.decode(payload)
        return self.remote_status

    # --- requests -----------------------------------------------------------------------------------------------------

    def get_block_headers(self, origin: int | bytes, amount: int, skip: int = 0, reverse: bool = False,
                          timeout: float = 10.0) -> list[bytes]:
        request_id = next(self.request_ids)
        self.send(self.eth_code(eth.GET_BLOCK_HEADERS),
                  eth.encode_get_block_headers(request_id, origin, amount, skip, reverse))
        deadline = time.monotonic() + timeout
        while True:
            payload = self.receive_until(self.eth_code(eth.BLOCK_HEADERS), deadline - time.monotonic())
            reply_id, headers = eth.decode_block_headers(payload)
            if reply_id == request_id:
                return headers
            self.ignored.append((self.eth_code(eth.BLOCK_HEADERS), payload))

    def ping(self, timeout: float = 10.0) -> None:
        self.send(base.PING, base.PING_DATA)
        self.receive_until(base.PONG, timeout)

    # --- messages -----------------------------------------------------------------------------------------------------

    def send(self, code: int, payload: bytes) -> None:
        data = base.snappy_compress(payload) if self.snappy else payload
        self.sock.sendall(self.codec.write_frame(rlp.encode(code) + data))

    def receive(self) -> tuple[int, bytes]:
        """The next message (code, msg-data), decompressed."""
        frame = self.codec.read_frame(lambda length: _recv_exact(self.sock, length))
        _, end, is_list = item_bounds(frame, 0)
        if is_list:
            raise base.ProtocolError(f"msg-id is an RLP list in frame {frame[:16].hex()}")
        code = rlp.decode(frame[:end], sedes=rlp.sedes.big_endian_int)
        payload = frame[end:]
        if self.snappy:
            payload = base.snappy_decompress(payload)
        return code, payload

    def receive_until(self, wanted: int, timeout: float = 10.0) -> bytes:
        """Reads until a message with code `wanted`; answers Ping, raises Disconnected, keeps others in `ignored`."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no message 0x{wanted:02x} within {timeout} s; other messages: "
                                   f"{[hex(code) for code, _ in self.ignored]}")
            self.sock.settimeout(remaining)
            code, payload = self.receive()
            if code == wanted:
                return payload
            if code == base.DISCONNECT:
                raise Disconnected(base.decode_disconnect(payload))
            if code == base.PING:
                self.send(base.PONG, base.PONG_DATA)
                continue
            self.ignored.append((code, payload))

    def disconnect(self, reason: int = 0x00) -> None:
        try:
            self.send(base.DISCONNECT, base.encode_disconnect(reason))
        except OSError:
            pass
        self.close()

    def close(self) -> None:
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


__all__ = ["Peer", "Disconnected", "ConnectionClosed", "RLPxError", "shared_capabilities"]
