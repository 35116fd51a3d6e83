"""Edge inputs for the Cancun precompiles 0x01-0x0a: valid inputs (a real signature, curve
generators, a pairing that holds) and the ways they go wrong (bad lengths, points off the curve,
coordinates at or above the field prime, invalid blake2f flags, modexp lengths priced beyond
any gas). Curve constants: EIP-196/197 (alt_bn128), EIP-152 (blake2f), EIP-198/2565 (modexp).
"""

import hashlib

from eth_keys import keys

P = 21888242871839275222246405745257275088696311157297823662689037894645226208583  # alt_bn128 field
N = 21888242871839275222246405745257275088548364400416034343698204186575808495617  # group order
G1 = (1, 2)
# G2 generator, encoded as EIP-197 does: x = (x_imaginary, x_real), y likewise.
G2 = (11559732032986387107991004021392285783925812861821192530917403151452391805634,
      10857046999023057135944570762232829481370756359578518086990519993285655852781,
      4082367875863433681332203403145435568316851327593401208105741076214120093531,
      8495653923123431417604973247489272438418190587263600148770280649306958101930)
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

_KEY = keys.PrivateKey(bytes(range(1, 33)))
_HASH = hashlib.sha256(b"goldengrain difftest").digest()
_SIGNATURE = _KEY.sign_msg_hash(_HASH)


def word(value):
    return (value % (1 << 256)).to_bytes(32, "big")


def random_bytes(rng, length):
    return bytes(rng.getrandbits(8) for _ in range(length))


def ecrecover(rng):
    v, r, s = _SIGNATURE.v + 27, _SIGNATURE.r, _SIGNATURE.s
    roll = rng.random()
    if roll < 0.4:
        pass
    elif roll < 0.5:
        v = rng.choice([0, 1, 26, 29, 28 + 2**8, 27 + 2**255])
    elif roll < 0.6:
        r = rng.choice([0, SECP256K1_N, SECP256K1_N - 1, 2**256 - 1])
    elif roll < 0.7:
        s = rng.choice([0, SECP256K1_N, SECP256K1_N - s, 2**256 - 1])
    elif roll < 0.8:
        return random_bytes(rng, rng.choice([0, 31, 64, 127, 128, 129]))
    data = _HASH + word(v) + word(r) + word(s)
    if rng.random() < 0.1:
        data = data[:rng.randrange(0, 128)]
    return data


def modexp(rng):
    roll = rng.random()
    if roll < 0.15:
        lengths = [rng.choice([0, 1, 32, 64, 2**255, 2**256 - 1, 1024]) for _ in range(3)]
        return b"".join(word(x) for x in lengths) + random_bytes(rng, rng.randrange(0, 40))
    base_length = rng.choice([0, 1, 2, 31, 32, 33, 64, 100])
    exponent_length = rng.choice([0, 1, 2, 32, 33, 64, 200])
    modulus_length = rng.choice([0, 1, 2, 32, 33, 64, 100])

    def number(length):
        if length == 0:
            return b""
        kind = rng.random()
        if kind < 0.2:
            return bytes(length)
        if kind < 0.3:
            return bytes(length - 1) + b"\x01"
        if kind < 0.4:
            return b"\xff" * length
        return random_bytes(rng, length)

    body = number(base_length) + number(exponent_length) + number(modulus_length)
    if rng.random() < 0.15:
        body = body[:rng.randrange(0, len(body) + 1)]  # short input: the rest reads as zeros
    return word(base_length) + word(exponent_length) + word(modulus_length) + body


def g1_point(rng):
    roll = rng.random()
    if roll < 0.45:
        return G1
    if roll < 0.6:
        return (1, P - 2)  # -G1
    if roll < 0.7:
        return (0, 0)  # the point at infinity
    if roll < 0.8:
        return (1, 3)  # not on the curve
    if roll < 0.9:
        return (P, 2) if rng.random() < 0.5 else (1, P + 2)  # coordinate not below p
    return (rng.getrandbits(256), rng.getrandbits(256))


def bn_add(rng):
    a, b = g1_point(rng), g1_point(rng)
    data = word(a[0]) + word(a[1]) + word(b[0]) + word(b[1])
    if rng.random() < 0.2:
        data = data[:rng.randrange(0, 129)] if rng.random() < 0.7 else data + random_bytes(rng, 5)
    return data


def bn_mul(rng):
    point = g1_point(rng)
    scalar = rng.choice([0, 1, 2, N - 1, N, N + 1, 2**256 - 1, rng.getrandbits(256)])
    data = word(point[0]) + word(point[1]) + word(scalar)
    if rng.random() < 0.2:
        data = data[:rng.randrange(0, 97)] if rng.random() < 0.7 else data + random_bytes(rng, 5)
    return data


def g2_point(rng):
    roll = rng.random()
    if roll < 0.75:
        return G2
    if roll < 0.85:
        return (0, 0, 0, 0)
    if roll < 0.92:
        return (G2[0], G2[1], G2[2], G2[3] + 1)  # off the twist
    return (P, G2[1], G2[2], G2[3])  # coordinate not below p


def bn_pairing(rng):
    pairs = rng.choice([0, 1, 2, 2, 2, 3])
    data = b""
    for index in range(pairs):
        if pairs == 2 and rng.random() < 0.6:
            g1 = G1 if index == 0 else (1, P - 2)  # e(G1, G2) · e(-G1, G2) = 1
            g2 = G2
        else:
            g1, g2 = g1_point(rng), g2_point(rng)
        data += word(g1[0]) + word(g1[1]) + b"".join(word(x) for x in g2)
    if rng.random() < 0.1:
        data = data[:max(0, len(data) - rng.randrange(1, 64))]
    return data


def blake2f(rng):
    rounds = rng.choice([0, 1, 2, 12, 12, 100, rng.randrange(0, 2000)])
    final = rng.choice([0, 1, 1, 2])
    data = rounds.to_bytes(4, "big") + random_bytes(rng, 64 + 128 + 16) + bytes([final])
    if rng.random() < 0.1:
        data = data[:rng.choice([0, 212])] if rng.random() < 0.5 else data + b"\x00"
    return data


def point_evaluation(rng):
    return random_bytes(rng, rng.choice([0, 191, 192, 192, 193]))


def input_for(rng, number):
    """An input for precompile `number` (1-10)."""
    if number == 1:
        return ecrecover(rng)
    if number in (2, 3, 4):
        return random_bytes(rng, rng.choice([0, 1, 31, 32, 33, 55, 56, 64, 100, 200]))
    if number == 5:
        return modexp(rng)
    if number == 6:
        return bn_add(rng)
    if number == 7:
        return bn_mul(rng)
    if number == 8:
        return bn_pairing(rng)
    if number == 9:
        return blake2f(rng)
    return point_evaluation(rng)
