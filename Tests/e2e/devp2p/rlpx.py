"""RLPx transport, written from the specifications (devp2p rlpx.md, EIP-8), not from GoldenGrain's Swift code.

- ECIES: secp256k1 ECDH (raw x coordinate), NIST SP 800-56 concatenation KDF over SHA-256,
  AES-128-CTR, HMAC-SHA256 keyed with sha256(kM) over iv || c || auth-data.
- EIP-8 auth / ack: RLP bodies, a 2-byte size prefix that is also the ECIES auth data, random padding,
  extra list elements and other versions ignored on read.
- Secrets: ephemeral ECDH, shared secret, aes-secret, mac-secret, the two keccak-256 MAC states.
- Frames: AES-256-CTR (one running stream per direction, IV zero), header / frame MACs seeded through
  AES-256 (ECB, one block) of the running keccak digest.

Crypto comes from coincurve (libsecp256k1) and pycryptodome (AES, keccak with update_after_digest).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import struct
from dataclasses import dataclass, field

import coincurve
import rlp
from Crypto.Cipher import AES
from Crypto.Hash import keccak

from .rlputil import split_list

ECIES_OVERHEAD = 65 + 16 + 32  # R (uncompressed point) || iv || ... || HMAC-SHA256 tag
FRAME_HEADER_DATA = bytes.fromhex("c28080")  # header-data = [capability-id 0, context-id 0]
MAX_FRAME_SIZE = (1 << 24) - 1  # frame-size is a 24-bit integer


class RLPxError(Exception):
    """Any failure of the transport: bad MAC, bad ECIES tag, malformed handshake message."""


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def xor(a: bytes, b: bytes) -> bytes:
    if len(a) != len(b):
        raise ValueError(f"xor of {len(a)} and {len(b)} bytes")
    return bytes(x ^ y for x, y in zip(a, b))


# --- keys -------------------------------------------------------------------------------------------------------------

def private_key(secret: bytes | str | None = None) -> coincurve.PrivateKey:
    """A secp256k1 private key from 32 bytes or hex; a random one when None."""
    if secret is None:
        return coincurve.PrivateKey()
    if isinstance(secret, str):
        secret = bytes.fromhex(secret.removeprefix("0x"))
    return coincurve.PrivateKey(secret)


def public_key_bytes(key: coincurve.PrivateKey) -> bytes:
    """The 64-byte node id: the uncompressed public key without its 0x04 prefix."""
    return key.public_key.format(compressed=False)[1:]


def public_key_from_bytes(pub64: bytes) -> coincurve.PublicKey:
    if len(pub64) != 64:
        raise RLPxError(f"public key of {len(pub64)} bytes, expected 64")
    try:
        return coincurve.PublicKey(b"\x04" + pub64)
    except ValueError as error:
        raise RLPxError(f"invalid public key {pub64.hex()}: {error}") from error


def ecdh_x(key: coincurve.PrivateKey, remote_pub64: bytes) -> bytes:
    """ecdh.agree: the x coordinate of key * remote (32 bytes, no hashing)."""
    point = public_key_from_bytes(remote_pub64).multiply(key.secret)
    return point.format(compressed=False)[1:33]


def sign_recoverable(key: coincurve.PrivateKey, digest32: bytes) -> bytes:
    """65 bytes r || s || v with v in {0, 1}, over a 32-byte value used as the message hash itself."""
    return key.sign_recoverable(digest32, hasher=None)


def recover(signature: bytes, digest32: bytes) -> bytes:
    """The 64-byte public key that made `signature` over `digest32`."""
    try:
        pub = coincurve.PublicKey.from_signature_and_message(signature, digest32, hasher=None)
    except Exception as error:  # coincurve raises ValueError / Exception for bad signatures
        raise RLPxError(f"cannot recover signature {signature.hex()}: {error}") from error
    return pub.format(compressed=False)[1:]


# --- ECIES ------------------------------------------------------------------------------------------------------------

def concat_kdf(z: bytes, length: int, other_info: bytes = b"") -> bytes:
    """NIST SP 800-56A 5.8.1 concatenation KDF with SHA-256: counter (32-bit big-endian, from 1) || Z || OtherInfo."""
    out = b""
    counter = 1
    while len(out) < length:
        out += hashlib.sha256(struct.pack(">I", counter) + z + other_info).digest()
        counter += 1
    return out[:length]


def aes_ctr(key: bytes, iv: bytes, data: bytes) -> bytes:
    return AES.new(key, AES.MODE_CTR, nonce=b"", initial_value=iv).encrypt(data)


def ecies_encrypt(remote_pub64: bytes, message: bytes, auth_data: bytes = b"",
                  ephemeral: coincurve.PrivateKey | None = None, iv: bytes | None = None) -> bytes:
    """R || iv || c || d with c = AES-128-CTR(kE, iv, m), d = HMAC-SHA256(sha256(kM), iv || c || auth_data)."""
    ephemeral = ephemeral or coincurve.PrivateKey()
    iv = iv if iv is not None else os.urandom(16)
    key = concat_kdf(ecdh_x(ephemeral, remote_pub64), 32)
    k_e, k_m = key[:16], hashlib.sha256(key[16:]).digest()
    ciphertext = aes_ctr(k_e, iv, message)
    tag = hmac.new(k_m, iv + ciphertext + auth_data, hashlib.sha256).digest()
    return ephemeral.public_key.format(compressed=False) + iv + ciphertext + tag


def ecies_decrypt(key: coincurve.PrivateKey, data: bytes, auth_data: bytes = b"") -> bytes:
    if len(data) < ECIES_OVERHEAD:
        raise RLPxError(f"ECIES message of {len(data)} bytes, shorter than the {ECIES_OVERHEAD}-byte overhead")
    if data[0] != 0x04:
        raise RLPxError(f"ECIES message starts with 0x{data[0]:02x}, expected 0x04 (uncompressed point)")
    r_pub, iv, ciphertext, tag = data[1:65], data[65:81], data[81:-32], data[-32:]
    shared = concat_kdf(ecdh_x(key, r_pub), 32)
    k_e, k_m = shared[:16], hashlib.sha256(shared[16:]).digest()
    expected = hmac.new(k_m, iv + ciphertext + auth_data, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, tag):
        raise RLPxError(f"ECIES tag {tag.hex()} does not match {expected.hex()}")
    return aes_ctr(k_e, iv, ciphertext)


# --- EIP-8 handshake messages -----------------------------------------------------------------------------------------

def _int(value: bytes) -> int:
    return int.from_bytes(value, "big")


@dataclass
class AuthMessage:
    """auth-body = [sig, initiator-pubk, initiator-nonce, auth-vsn, ...]"""
    signature: bytes
    initiator_pubkey: bytes
    nonce: bytes
    version: int = 4
    rest: list = field(default_factory=list)  # raw RLP of the extra elements

    def encode(self) -> bytes:
        return _encode_with_raw_rest([rlp.encode(self.signature), rlp.encode(self.initiator_pubkey),
                                      rlp.encode(self.nonce), rlp.encode(self.version)], self.rest)

    @classmethod
    def decode(cls, plaintext: bytes) -> "AuthMessage":
        items = _body_items(plaintext, 4, "auth")
        signature, pubkey, nonce = (rlp.decode(item) for item in items[:3])
        if len(signature) != 65 or len(pubkey) != 64 or len(nonce) != 32:
            raise RLPxError(f"auth body field sizes {len(signature)}/{len(pubkey)}/{len(nonce)}, expected 65/64/32")
        return cls(signature, pubkey, nonce, _int(rlp.decode(items[3])), list(items[4:]))


@dataclass
class AckMessage:
    """ack-body = [recipient-ephemeral-pubk, recipient-nonce, ack-vsn, ...]"""
    ephemeral_pubkey: bytes
    nonce: bytes
    version: int = 4
    rest: list = field(default_factory=list)

    def encode(self) -> bytes:
        return _encode_with_raw_rest([rlp.encode(self.ephemeral_pubkey), rlp.encode(self.nonce),
                                      rlp.encode(self.version)], self.rest)

    @classmethod
    def decode(cls, plaintext: bytes) -> "AckMessage":
        items = _body_items(plaintext, 3, "ack")
        pubkey, nonce = (rlp.decode(item) for item in items[:2])
        if len(pubkey) != 64 or len(nonce) != 32:
            raise RLPxError(f"ack body field sizes {len(pubkey)}/{len(nonce)}, expected 64/32")
        return cls(pubkey, nonce, _int(rlp.decode(items[2])), list(items[3:]))


def _encode_with_raw_rest(encoded_items: list[bytes], rest: list[bytes]) -> bytes:
    payload = b"".join(encoded_items) + b"".join(rest)
    return _list_prefix(len(payload)) + payload


def _list_prefix(length: int) -> bytes:
    if length < 56:
        return bytes([0xC0 + length])
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0xF7 + len(size)]) + size


def _body_items(plaintext: bytes, minimum: int, what: str) -> list[bytes]:
    """The raw items of the RLP list at the start of plaintext; trailing padding is ignored."""
    try:
        items = split_list(plaintext, allow_trailing=True)
    except ValueError as error:
        raise RLPxError(f"{what} body is not an RLP list: {error}") from error
    if len(items) < minimum:
        raise RLPxError(f"{what} body has {len(items)} elements, expected at least {minimum}")
    return items


def seal_handshake_packet(remote_pub64: bytes, body: bytes, padding: bytes | None = None,
                          ephemeral: coincurve.PrivateKey | None = None, iv: bytes | None = None) -> bytes:
    """size || ecies.encrypt(remote, body || padding, size): EIP-8 requires the padding (we send 100–250 bytes)."""
    padding = padding if padding is not None else os.urandom(100 + os.urandom(1)[0] % 151)
    plaintext = body + padding
    size = struct.pack(">H", len(plaintext) + ECIES_OVERHEAD)
    return size + ecies_encrypt(remote_pub64, plaintext, size, ephemeral, iv)


def open_handshake_packet(key: coincurve.PrivateKey, packet: bytes) -> bytes:
    """The plaintext (body || padding) of a size-prefixed EIP-8 handshake packet."""
    if len(packet) < 2:
        raise RLPxError("handshake packet shorter than its size prefix")
    size = struct.unpack(">H", packet[:2])[0]
    if len(packet) != 2 + size:
        raise RLPxError(f"handshake packet of {len(packet)} bytes, its prefix says {2 + size}")
    return ecies_decrypt(key, packet[2:], packet[:2])


# --- secrets and MAC states -------------------------------------------------------------------------------------------

class MacState:
    """One direction's keccak-256 MAC accumulator (`hash_state` is swappable for go-ethereum's fakeHash test)."""

    def __init__(self, mac_secret: bytes, hash_state=None):
        self.hash = hash_state if hash_state is not None else keccak.new(digest_bits=256, update_after_digest=True)
        self.cipher = AES.new(mac_secret, AES.MODE_ECB)

    @classmethod
    def init(cls, mac_secret: bytes, nonce: bytes, packet: bytes) -> "MacState":
        state = cls(mac_secret)
        state.hash.update(xor(mac_secret, nonce) + packet)
        return state

    def update(self, data: bytes) -> None:
        self.hash.update(data)

    def digest(self) -> bytes:
        return self.hash.digest()

    def _compute(self, seed: bytes) -> bytes:
        encrypted = self.cipher.encrypt(self.hash.digest()[:16])
        self.hash.update(xor(encrypted, seed))
        return self.hash.digest()[:16]

    def header_mac(self, header_ciphertext: bytes) -> bytes:
        return self._compute(header_ciphertext)

    def frame_mac(self, frame_ciphertext: bytes) -> bytes:
        self.hash.update(frame_ciphertext)
        return self._compute(self.hash.digest()[:16])


@dataclass
class Secrets:
    aes: bytes
    mac: bytes
    egress_mac: MacState
    ingress_mac: MacState
    remote_pubkey: bytes


def derive_secrets(initiator: bool, ephemeral_key: coincurve.PrivateKey, remote_ephemeral_pub: bytes,
                   initiator_nonce: bytes, recipient_nonce: bytes, auth_packet: bytes, ack_packet: bytes,
                   remote_pubkey: bytes) -> Secrets:
    ephemeral_shared = ecdh_x(ephemeral_key, remote_ephemeral_pub)
    shared_secret = keccak256(ephemeral_shared + keccak256(recipient_nonce + initiator_nonce))
    aes_secret = keccak256(ephemeral_shared + shared_secret)
    mac_secret = keccak256(ephemeral_shared + aes_secret)
    mac_of_auth = MacState.init(mac_secret, recipient_nonce, auth_packet)
    mac_of_ack = MacState.init(mac_secret, initiator_nonce, ack_packet)
    if initiator:
        return Secrets(aes_secret, mac_secret, mac_of_auth, mac_of_ack, remote_pubkey)
    return Secrets(aes_secret, mac_secret, mac_of_ack, mac_of_auth, remote_pubkey)


class Initiator:
    """The dialing side: `auth_packet()`, then `handle_ack(packet)` -> Secrets."""

    def __init__(self, key: coincurve.PrivateKey, remote_pubkey: bytes,
                 ephemeral: coincurve.PrivateKey | None = None, nonce: bytes | None = None):
        self.key, self.remote_pubkey = key, remote_pubkey
        self.ephemeral = ephemeral or coincurve.PrivateKey()
        self.nonce = nonce if nonce is not None else os.urandom(32)
        self.auth = None

    def auth_message(self) -> AuthMessage:
        token = ecdh_x(self.key, self.remote_pubkey)
        signature = sign_recoverable(self.ephemeral, xor(token, self.nonce))
        return AuthMessage(signature, public_key_bytes(self.key), self.nonce, 4)

    def auth_packet(self, padding: bytes | None = None) -> bytes:
        self.auth = seal_handshake_packet(self.remote_pubkey, self.auth_message().encode(), padding)
        return self.auth

    def handle_ack(self, packet: bytes) -> Secrets:
        ack = AckMessage.decode(open_handshake_packet(self.key, packet))
        self.ack_message = ack
        return derive_secrets(True, self.ephemeral, ack.ephemeral_pubkey, self.nonce, ack.nonce, self.auth, packet,
                              self.remote_pubkey)


class Recipient:
    """The listening side: `handle_auth(packet)`, then `ack_packet()` -> bytes and `secrets()`."""

    def __init__(self, key: coincurve.PrivateKey, ephemeral: coincurve.PrivateKey | None = None,
                 nonce: bytes | None = None):
        self.key = key
        self.ephemeral = ephemeral or coincurve.PrivateKey()
        self.nonce = nonce if nonce is not None else os.urandom(32)
        self.auth = self.ack = None

    def handle_auth(self, packet: bytes) -> AuthMessage:
        message = AuthMessage.decode(open_handshake_packet(self.key, packet))
        token = ecdh_x(self.key, message.initiator_pubkey)
        self.remote_ephemeral = recover(message.signature, xor(token, message.nonce))
        self.auth, self.auth_message, self.remote_pubkey = packet, message, message.initiator_pubkey
        return message

    def ack_message(self) -> AckMessage:
        return AckMessage(public_key_bytes(self.ephemeral), self.nonce, 4)

    def ack_packet(self, padding: bytes | None = None) -> bytes:
        self.ack = seal_handshake_packet(self.remote_pubkey, self.ack_message().encode(), padding)
        return self.ack

    def secrets(self) -> Secrets:
        return derive_secrets(False, self.ephemeral, self.remote_ephemeral, self.auth_message.nonce, self.nonce,
                              self.auth, self.ack, self.remote_pubkey)


# --- frames -----------------------------------------------------------------------------------------------------------

def _pad16(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % 16)


class FrameCodec:
    """Frame encryption and MACs for one session; `write_frame` and `read_frame` keep their streams running."""

    def __init__(self, secrets: Secrets):
        self.secrets = secrets
        zero_iv = b"\x00" * 16
        self.encryptor = AES.new(secrets.aes, AES.MODE_CTR, nonce=b"", initial_value=zero_iv)
        self.decryptor = AES.new(secrets.aes, AES.MODE_CTR, nonce=b"", initial_value=zero_iv)

    def write_frame(self, frame_data: bytes) -> bytes:
        """header-ciphertext || header-mac || frame-ciphertext || frame-mac for frame-data (msg-id || msg-data)."""
        if len(frame_data) > MAX_FRAME_SIZE:
            raise RLPxError(f"frame of {len(frame_data)} bytes exceeds the 24-bit size field")
        header = _pad16(len(frame_data).to_bytes(3, "big") + FRAME_HEADER_DATA)
        header_ciphertext = self.encryptor.encrypt(header)
        header_mac = self.secrets.egress_mac.header_mac(header_ciphertext)
        frame_ciphertext = self.encryptor.encrypt(_pad16(frame_data))
        frame_mac = self.secrets.egress_mac.frame_mac(frame_ciphertext)
        return header_ciphertext + header_mac + frame_ciphertext + frame_mac

    def read_header(self, head: bytes) -> int:
        """Checks the 32 bytes header-ciphertext || header-mac; returns frame-size."""
        header_ciphertext, header_mac = head[:16], head[16:32]
        expected = self.secrets.ingress_mac.header_mac(header_ciphertext)
        if not hmac.compare_digest(expected, header_mac):
            raise RLPxError(f"bad header MAC {header_mac.hex()}, expected {expected.hex()}")
        header = self.decryptor.decrypt(header_ciphertext)
        return int.from_bytes(header[:3], "big")

    @staticmethod
    def body_length(frame_size: int) -> int:
        return frame_size + (-frame_size % 16) + 16

    def read_body(self, frame_size: int, body: bytes) -> bytes:
        """Checks frame-ciphertext || frame-mac (body_length(frame_size) bytes); returns frame-data."""
        frame_ciphertext, frame_mac = body[:-16], body[-16:]
        expected = self.secrets.ingress_mac.frame_mac(frame_ciphertext)
        if not hmac.compare_digest(expected, frame_mac):
            raise RLPxError(f"bad frame MAC {frame_mac.hex()}, expected {expected.hex()}")
        return self.decryptor.decrypt(frame_ciphertext)[:frame_size]

    def read_frame(self, recv_exact) -> bytes:
        """One frame's frame-data, reading through `recv_exact(n) -> bytes`."""
        size = self.read_header(recv_exact(32))
        return self.read_body(size, recv_exact(self.body_length(size)))
