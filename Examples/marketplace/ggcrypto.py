"""GoldenGrain's two file-sealing formats in plain Python (docs/formats.md), for scripts that trade
on the marketplace without the Swift CLI: ECIES v1 (seal a 32-byte key to a secp256k1 public key)
and the GGE1 encrypted file (AES-256-GCM under that key).

This is an independent implementation of the formats, written from docs/formats.md: the
end-to-end tests use it to check that the Swift side (`goldengrain market`, the enclave worker)
and a Python client interoperate. It needs only pycryptodome; the secp256k1 point arithmetic is
the textbook affine formulas (slow but fine for a few operations; not constant time: fine for a
walkthrough, not for a wallet).
"""
import hashlib
import secrets

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import HKDF

# secp256k1 (SEC 2 §2.4.1)
P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)

ECIES_INFO = b"GoldenGrain ECIES v1"
GGE_MAGIC = b"GGE1"


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        slope = 3 * a[0] * a[0] * pow(2 * a[1], -1, P) % P
    else:
        slope = (b[1] - a[1]) * pow(b[0] - a[0], -1, P) % P
    x = (slope * slope - a[0] - b[0]) % P
    return x, (slope * (a[0] - x) - a[1]) % P


def _multiply(k, point):
    result = None
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


def public_key(private_key: bytes) -> bytes:
    """The 64-byte uncompressed public key (x ‖ y, no 0x04 prefix) of a 32-byte private key."""
    x, y = _multiply(int.from_bytes(private_key, "big"), G)
    return x.to_bytes(32, "big") + y.to_bytes(32, "big")


def _point(public: bytes):
    if len(public) == 65 and public[0] == 4:
        public = public[1:]
    if len(public) != 64:
        raise ValueError(f"a public key is 64 bytes (x ‖ y) or 65 with 0x04, not {len(public)}")
    x, y = int.from_bytes(public[:32], "big"), int.from_bytes(public[32:], "big")
    if (y * y - x * x * x - 7) % P != 0:
        raise ValueError("public key is not a point on secp256k1")
    return x, y


def _key(shared_x: int) -> bytes:
    return HKDF(shared_x.to_bytes(32, "big"), 32, b"\x00" * 32, SHA256, context=ECIES_INFO)


def ecies_seal(recipient_public_key: bytes, message: bytes) -> bytes:
    """R (65) ‖ nonce (12) ‖ ciphertext ‖ tag (16), as docs/formats.md "ECIES" specifies."""
    recipient = _point(recipient_public_key)
    ephemeral = secrets.randbelow(N - 1) + 1
    rx, ry = _multiply(ephemeral, G)
    shared_x, _ = _multiply(ephemeral, recipient)
    nonce = secrets.token_bytes(12)
    ciphertext, tag = AES.new(_key(shared_x), AES.MODE_GCM, nonce=nonce).encrypt_and_digest(message)
    return b"\x04" + rx.to_bytes(32, "big") + ry.to_bytes(32, "big") + nonce + ciphertext + tag


def ecies_open(private_key: bytes, sealed: bytes) -> bytes:
    """Opens an ECIES v1 message; raises ValueError if it does not authenticate."""
    if len(sealed) < 93:
        raise ValueError(f"ECIES message of {len(sealed)} bytes is shorter than 93")
    ephemeral = _point(sealed[:65])
    shared_x, _ = _multiply(int.from_bytes(private_key, "big"), ephemeral)
    nonce, body, tag = sealed[65:77], sealed[77:-16], sealed[-16:]
    return AES.new(_key(shared_x), AES.MODE_GCM, nonce=nonce).decrypt_and_verify(body, tag)


def gge_encrypt(key: bytes, plaintext: bytes) -> bytes:
    """GGE1 ‖ nonce (12) ‖ ciphertext ‖ tag (16), AAD = "GGE1" (docs/formats.md "Encrypted model file")."""
    nonce = secrets.token_bytes(12)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    cipher.update(GGE_MAGIC)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return GGE_MAGIC + nonce + ciphertext + tag


def gge_decrypt(key: bytes, data: bytes) -> bytes:
    if len(data) < 32 or data[:4] != GGE_MAGIC:
        raise ValueError("not a GGE1 file")
    cipher = AES.new(key, AES.MODE_GCM, nonce=data[4:16])
    cipher.update(GGE_MAGIC)
    return cipher.decrypt_and_verify(data[16:-16], data[-16:])


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
