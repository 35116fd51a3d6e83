"""Vector tests for the Python devp2p peer (Tests/e2e/devp2p): no node needed.

Every expected value comes from a published source, named where it is used: EIP-8's test vectors
(https://eips.ethereum.org/EIPS/eip-8, ethereum/EIPs EIPS/eip-8.md), go-ethereum v1.13.15's p2p/rlpx/rlpx_test.go,
crypto/ecies/ecies_test.go, eth/protocols/eth/protocol_test.go and core/forkid/forkid_test.go, EIP-2124's own
examples, and byte layouts derived by hand from the RLP rules (said where). The last tests run two instances of the
peer against each other over a socket pair.
"""
import io
import socket
import threading

import pytest
import rlp

from devp2p import base, eth, rlpx
from devp2p.peer import Disconnected, Peer, shared_capabilities


@pytest.fixture(scope="session", autouse=True)
def binary():
    """These tests need no node: override conftest's session fixture that skips when the binary is not built."""
    return None


def unhex(text: str) -> bytes:
    return bytes.fromhex("".join(text.split()))


# --- EIP-8 "RLPx Handshake" test vectors (ethereum/EIPs EIPS/eip-8.md, section Test Vectors) -------------------------
KEY_A = rlpx.private_key("49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee")  # Static Key A
KEY_B = rlpx.private_key("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")  # Static Key B
EPHEMERAL_A = rlpx.private_key("869d6ecf5211f1cc60418a13b9d870b22959d0c16f02bec714c960dd2298a32d")
EPHEMERAL_B = rlpx.private_key("e238eb8e04fee6511ab04c6dd3c89ce097b11f25d584863ac2b6d5b35b1847e4")
NONCE_A = unhex("7e968bba13b6c50e2c4cd7f241cc0d64d1ac25c7f5952df231ac6a2bda8ee5d6")
NONCE_B = unhex("559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd")

AUTH_2 = unhex("""
    01b304ab7578555167be8154d5cc456f567d5ba302662433674222360f08d5f1534499d3678b513b
    0fca474f3a514b18e75683032eb63fccb16c156dc6eb2c0b1593f0d84ac74f6e475f1b8d56116b84
    9634a8c458705bf83a626ea0384d4d7341aae591fae42ce6bd5c850bfe0b999a694a49bbbaf3ef6c
    da61110601d3b4c02ab6c30437257a6e0117792631a4b47c1d52fc0f8f89caadeb7d02770bf999cc
    147d2df3b62e1ffb2c9d8c125a3984865356266bca11ce7d3a688663a51d82defaa8aad69da39ab6
    d5470e81ec5f2a7a47fb865ff7cca21516f9299a07b1bc63ba56c7a1a892112841ca44b6e0034dee
    70c9adabc15d76a54f443593fafdc3b27af8059703f88928e199cb122362a4b35f62386da7caad09
    c001edaeb5f8a06d2b26fb6cb93c52a9fca51853b68193916982358fe1e5369e249875bb8d0d0ec3
    6f917bc5e1eafd5896d46bd61ff23f1a863a8a8dcd54c7b109b771c8e61ec9c8908c733c0263440e
    2aa067241aaa433f0bb053c7b31a838504b148f570c0ad62837129e547678c5190341e4f1693956c
    3bf7678318e2d5b5340c9e488eefea198576344afbdf66db5f51204a6961a63ce072c8926c
""")

AUTH_3 = unhex("""
    01b8044c6c312173685d1edd268aa95e1d495474c6959bcdd10067ba4c9013df9e40ff45f5bfd6f7
    2471f93a91b493f8e00abc4b80f682973de715d77ba3a005a242eb859f9a211d93a347fa64b597bf
    280a6b88e26299cf263b01b8dfdb712278464fd1c25840b995e84d367d743f66c0e54a586725b7bb
    f12acca27170ae3283c1073adda4b6d79f27656993aefccf16e0d0409fe07db2dc398a1b7e8ee93b
    cd181485fd332f381d6a050fba4c7641a5112ac1b0b61168d20f01b479e19adf7fdbfa0905f63352
    bfc7e23cf3357657455119d879c78d3cf8c8c06375f3f7d4861aa02a122467e069acaf513025ff19
    6641f6d2810ce493f51bee9c966b15c5043505350392b57645385a18c78f14669cc4d960446c1757
    1b7c5d725021babbcd786957f3d17089c084907bda22c2b2675b4378b114c601d858802a55345a15
    116bc61da4193996187ed70d16730e9ae6b3bb8787ebcaea1871d850997ddc08b4f4ea668fbf3740
    7ac044b55be0908ecb94d4ed172ece66fd31bfdadf2b97a8bc690163ee11f5b575a4b44e36e2bfb2
    f0fce91676fd64c7773bac6a003f481fddd0bae0a1f31aa27504e2a533af4cef3b623f4791b2cca6
    d490
""")

ACK_2 = unhex("""
    01ea0451958701280a56482929d3b0757da8f7fbe5286784beead59d95089c217c9b917788989470
    b0e330cc6e4fb383c0340ed85fab836ec9fb8a49672712aeabbdfd1e837c1ff4cace34311cd7f4de
    05d59279e3524ab26ef753a0095637ac88f2b499b9914b5f64e143eae548a1066e14cd2f4bd7f814
    c4652f11b254f8a2d0191e2f5546fae6055694aed14d906df79ad3b407d94692694e259191cde171
    ad542fc588fa2b7333313d82a9f887332f1dfc36cea03f831cb9a23fea05b33deb999e85489e645f
    6aab1872475d488d7bd6c7c120caf28dbfc5d6833888155ed69d34dbdc39c1f299be1057810f34fb
    e754d021bfca14dc989753d61c413d261934e1a9c67ee060a25eefb54e81a4d14baff922180c395d
    3f998d70f46f6b58306f969627ae364497e73fc27f6d17ae45a413d322cb8814276be6ddd13b885b
    201b943213656cde498fa0e9ddc8e0b8f8a53824fbd82254f3e2c17e8eaea009c38b4aa0a3f306e8
    797db43c25d68e86f262e564086f59a2fc60511c42abfb3057c247a8a8fe4fb3ccbadde17514b7ac
    8000cdb6a912778426260c47f38919a91f25f4b5ffb455d6aaaf150f7e5529c100ce62d6d92826a7
    1778d809bdf60232ae21ce8a437eca8223f45ac37f6487452ce626f549b3b5fdee26afd2072e4bc7
    5833c2464c805246155289f4
""")

ACK_3 = unhex("""
    01f004076e58aae772bb101ab1a8e64e01ee96e64857ce82b1113817c6cdd52c09d26f7b90981cd7
    ae835aeac72e1573b8a0225dd56d157a010846d888dac7464baf53f2ad4e3d584531fa203658fab0
    3a06c9fd5e35737e417bc28c1cbf5e5dfc666de7090f69c3b29754725f84f75382891c561040ea1d
    dc0d8f381ed1b9d0d4ad2a0ec021421d847820d6fa0ba66eaf58175f1b235e851c7e2124069fbc20
    2888ddb3ac4d56bcbd1b9b7eab59e78f2e2d400905050f4a92dec1c4bdf797b3fc9b2f8e84a482f3
    d800386186712dae00d5c386ec9387a5e9c9a1aca5a573ca91082c7d68421f388e79127a5177d4f8
    590237364fd348c9611fa39f78dcdceee3f390f07991b7b47e1daa3ebcb6ccc9607811cb17ce51f1
    c8c2c5098dbdd28fca547b3f58c01a424ac05f869f49c6a34672ea2cbbc558428aa1fe48bbfd6115
    8b1b735a65d99f21e70dbc020bfdface9f724a0d1fb5895db971cc81aa7608baa0920abb0a565c9c
    436e2fd13323428296c86385f2384e408a31e104670df0791d93e743a3a5194ee6b076fb6323ca59
    3011b7348c16cf58f66b9633906ba54a2ee803187344b394f75dd2e663a57b956cb830dd7a908d4f
    39a2336a61ef9fda549180d4ccde21514d117b6c6fd07a9102b5efe710a32af4eeacae2cb3b1dec0
    35b9593b48b9d3ca4c13d245d5f04169b0b1
""")

# EIP-8: "Node B derives the connection secrets for (Auth₂, Ack₂) as follows"
WANT_AES_SECRET = unhex("80e8632c05fed6fc2a13b0f8d31a3cf645366239170ea067065aba8e28bac487")
WANT_MAC_SECRET = unhex("2ea74ec5dae199227dff1af715362700e989d889d7a493cb0639691efb8e5f98")
WANT_INGRESS_MAC_FOO = unhex("0c7ec6340062cc46f5e9f1e3cf86f8c8c403c5a0964f5df0ebd34a75ddc86db5")
# go-ethereum v1.13.15 p2p/rlpx/rlpx_test.go TestHandshakeForwardCompatibility: authSignature in Auth₂ and Auth₃
WANT_AUTH_SIGNATURE = unhex("299ca6acfd35e3d72d8ba3d1e2b60b5561d5af5218eb5bc182045769eb4226910a301acae3b369ff"
                            "fc4a4899d6b02531e89fd4fe36a2cf0d93607ba470b50f7800")


@pytest.mark.parametrize("name, packet, want_version, want_rest", [
    # go-ethereum v1.13.15 rlpx_test.go eip8HandshakeAuthTests: Auth₂ version 4, no extra elements;
    # Auth₃ version 56 with extra elements 0x01, 0x02, [4, 5]
    ("Auth2", AUTH_2, 4, []),
    ("Auth3", AUTH_3, 56, [b"\x01", b"\x02", b"\xc2\x04\x05"]),
])
def test_eip8_auth_decrypts_with_key_b(name, packet, want_version, want_rest):
    message = rlpx.AuthMessage.decode(rlpx.open_handshake_packet(KEY_B, packet))
    assert message.version == want_version, f"{name}: version {message.version}, expected {want_version}"
    assert message.rest == want_rest, f"{name}: extra elements {message.rest}, expected {want_rest}"
    assert message.initiator_pubkey == rlpx.public_key_bytes(KEY_A), f"{name}: initiator {message.initiator_pubkey.hex()}"
    assert message.nonce == NONCE_A, f"{name}: nonce {message.nonce.hex()}, expected {NONCE_A.hex()}"
    assert message.signature == WANT_AUTH_SIGNATURE, f"{name}: signature {message.signature.hex()}"
    # The signature recovers to Ephemeral Key A over static-shared-secret ^ initiator-nonce.
    recipient = rlpx.Recipient(KEY_B)
    recipient.handle_auth(packet)
    assert recipient.remote_ephemeral == rlpx.public_key_bytes(EPHEMERAL_A), \
        f"{name}: recovered ephemeral {recipient.remote_ephemeral.hex()}, expected Ephemeral Key A's"


@pytest.mark.parametrize("name, packet, want_version, want_rest", [
    # go-ethereum v1.13.15 rlpx_test.go eip8HandshakeRespTests: Ack₂ version 4; Ack₃ version 57 with 6, [7, 8], 0xfa
    ("Ack2", ACK_2, 4, []),
    ("Ack3", ACK_3, 57, [b"\x06", b"\xc2\x07\x08", b"\x81\xfa"]),
])
def test_eip8_ack_decrypts_with_key_a(name, packet, want_version, want_rest):
    message = rlpx.AckMessage.decode(rlpx.open_handshake_packet(KEY_A, packet))
    assert message.version == want_version, f"{name}: version {message.version}, expected {want_version}"
    assert message.rest == want_rest, f"{name}: extra elements {message.rest}, expected {want_rest}"
    assert message.ephemeral_pubkey == rlpx.public_key_bytes(EPHEMERAL_B), f"{name}: ephemeral {message.ephemeral_pubkey.hex()}"
    assert message.nonce == NONCE_B, f"{name}: nonce {message.nonce.hex()}, expected {NONCE_B.hex()}"


def test_auth_body_we_build_is_auth2s_body_but_for_the_signature():
    """A with Ephemeral Key A and Nonce A builds Auth₂'s body: the same fields, version 4, no extras. The signature
    bytes differ: Auth₂'s (geth's authSignature) was not made with RFC 6979's k, which libsecp256k1 uses, so only
    what it proves can be compared: both recover to Ephemeral Key A over static-shared-secret ^ initiator-nonce.
    (Auth₂'s ECIES key and IV are not given, so the comparison is on the decrypted plaintext, before its padding.)"""
    ours = rlpx.Initiator(KEY_A, rlpx.public_key_bytes(KEY_B), ephemeral=EPHEMERAL_A, nonce=NONCE_A).auth_message()
    plaintext = rlpx.open_handshake_packet(KEY_B, AUTH_2)
    theirs = rlpx.AuthMessage.decode(plaintext)
    token = rlpx.xor(rlpx.ecdh_x(KEY_A, rlpx.public_key_bytes(KEY_B)), NONCE_A)
    for name, signature in [("ours", ours.signature), ("Auth2's", theirs.signature)]:
        recovered = rlpx.recover(signature, token)
        assert recovered == rlpx.public_key_bytes(EPHEMERAL_A), f"{name} signature recovers to {recovered.hex()}"
    body = rlpx.AuthMessage(theirs.signature, ours.initiator_pubkey, ours.nonce, ours.version).encode()
    assert plaintext[:len(body)] == body, f"our auth body {body.hex()}, Auth2's plaintext {plaintext.hex()}"
    assert len(plaintext) - len(body) >= 100, f"Auth2 padding {len(plaintext) - len(body)} bytes, EIP-8 says 100+"


def test_ack_body_we_build_is_ack2s_body():
    recipient = rlpx.Recipient(KEY_B, ephemeral=EPHEMERAL_B, nonce=NONCE_B)
    body = recipient.ack_message().encode()
    plaintext = rlpx.open_handshake_packet(KEY_A, ACK_2)
    assert plaintext[:len(body)] == body, f"our ack body {body.hex()}, Ack2's plaintext {plaintext.hex()}"


def test_eip8_secrets_of_recipient_b_for_auth2_ack2():
    recipient = rlpx.Recipient(KEY_B, ephemeral=EPHEMERAL_B, nonce=NONCE_B)
    recipient.handle_auth(AUTH_2)
    recipient.ack = ACK_2  # the ack B sent (its ECIES randomness is not given, so use the packet itself)
    secrets = recipient.secrets()
    assert secrets.aes == WANT_AES_SECRET, f"aes-secret {secrets.aes.hex()}, expected {WANT_AES_SECRET.hex()}"
    assert secrets.mac == WANT_MAC_SECRET, f"mac-secret {secrets.mac.hex()}, expected {WANT_MAC_SECRET.hex()}"
    secrets.ingress_mac.update(b"foo")
    got = secrets.ingress_mac.digest()
    assert got == WANT_INGRESS_MAC_FOO, f"ingress-mac('foo') {got.hex()}, expected {WANT_INGRESS_MAC_FOO.hex()}"


def test_eip8_secrets_of_initiator_a_mirror_recipient_b():
    """A's view of the same (Auth₂, Ack₂) exchange: the same secrets, with ingress and egress swapped."""
    initiator = rlpx.Initiator(KEY_A, rlpx.public_key_bytes(KEY_B), ephemeral=EPHEMERAL_A, nonce=NONCE_A)
    initiator.auth = AUTH_2
    secrets = initiator.handle_ack(ACK_2)
    assert (secrets.aes, secrets.mac) == (WANT_AES_SECRET, WANT_MAC_SECRET), \
        f"A derived aes {secrets.aes.hex()} mac {secrets.mac.hex()}"
    secrets.egress_mac.update(b"foo")  # A's egress state is B's ingress state
    assert secrets.egress_mac.digest() == WANT_INGRESS_MAC_FOO, f"A egress-mac('foo') {secrets.egress_mac.digest().hex()}"


def test_auth_with_the_wrong_key_fails_the_ecies_tag():
    with pytest.raises(rlpx.RLPxError, match="ECIES tag"):
        rlpx.open_handshake_packet(KEY_A, AUTH_2)


def test_tampered_size_prefix_fails_the_ecies_tag():
    """The 2-byte size is ECIES auth data (EIP-8): the same ciphertext under another prefix must not verify."""
    tampered = bytearray(AUTH_2)
    tampered[-1] ^= 0x01
    with pytest.raises(rlpx.RLPxError, match="ECIES tag"):
        rlpx.open_handshake_packet(KEY_B, bytes(tampered))


# --- go-ethereum v1.13.15 crypto/ecies/ecies_test.go ---------------------------------------------------------------------

@pytest.mark.parametrize("length, want", [
    # TestKDF: concatKDF(sha256, "input", nil, length)
    (6, "858b192fa2ed"),
    (32, "858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0"),
    (48, "858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0700f1ab918a5f0413b8140f9940d6955"),
    (64, "858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0700f1ab918a5f0413b8140f9940d6955"
         "f3467fd6672cce1024c5b1effccc0f61"),
])
def test_concat_kdf_geth_vectors(length, want):
    got = rlpx.concat_kdf(b"input", length)
    assert got.hex() == want, f"KDF({length}) {got.hex()}, expected {want}"


def test_shared_key_static_geth_vector():
    # TestSharedKeyStatic: both directions give 167ccc13…df62
    key1 = rlpx.private_key("7ebbc6a8358bc76dd73ebc557056702c8cfc34e5cfcd90eb83af0347575fd2ad")
    key2 = rlpx.private_key("6a3d6396903245bba5837752b9e0348874e72db0c4e11e9c485a81b4ea4353b9")
    want = "167ccc13ac5e8a26b131c3446030c60fbfac6aa8e31149d0869f93626a4cdf62"
    one = rlpx.ecdh_x(key1, rlpx.public_key_bytes(key2))
    two = rlpx.ecdh_x(key2, rlpx.public_key_bytes(key1))
    assert (one.hex(), two.hex()) == (want, want), f"shared keys {one.hex()} / {two.hex()}, expected {want}"


def test_ecies_round_trip_and_wrong_key():
    # TestBox's shape: encrypt to key 2, key 2 decrypts "Hello, world.", key 1 cannot.
    key1 = rlpx.private_key("4b50fa71f5c3eeb8fdc452224b2395af2fcc3d125e06c32c82e048c0559db03f")
    key2 = rlpx.private_key("d0b043b4c5d657670778242d82d68a29d25d7d711127d17b8e299f156dad361a")
    sealed = rlpx.ecies_encrypt(rlpx.public_key_bytes(key2), b"Hello, world.", b"\x00\x2a")
    assert len(sealed) == len(b"Hello, world.") + 113, f"ECIES length {len(sealed)}, expected 13 + 113"
    assert rlpx.ecies_decrypt(key2, sealed, b"\x00\x2a") == b"Hello, world."
    with pytest.raises(rlpx.RLPxError, match="ECIES tag"):
        rlpx.ecies_decrypt(key1, sealed, b"\x00\x2a")


# --- go-ethereum v1.13.15 p2p/rlpx/rlpx_test.go TestFrameReadWrite ------------------------------------------------------

class FakeHash:
    """rlpx_test.go's fakeHash: writes are ignored, Sum always returns the same 32 bytes."""

    def __init__(self, value: bytes):
        self.value = value

    def update(self, data: bytes) -> None:
        pass

    def digest(self) -> bytes:
        return self.value


def fake_hash_codec() -> rlpx.FrameCodec:
    empty_keccak = rlpx.keccak256(b"")  # AES and MAC secrets are crypto.Keccak256() of nothing
    fake = bytes([1]) * 32
    secrets = rlpx.Secrets(empty_keccak, empty_keccak, rlpx.MacState(empty_keccak, FakeHash(fake)),
                           rlpx.MacState(empty_keccak, FakeHash(fake)), b"")
    return rlpx.FrameCodec(secrets)


GOLDEN_FRAME = unhex("""
    00828ddae471818bb0bfa6b551d1cb42
    01010101010101010101010101010101
    ba628a4ba590cb43f7848f41c4382885
    01010101010101010101010101010101
""")


def test_geth_frame_write():
    frame_data = rlp.encode(8) + rlp.encode([1, 2, 3, 4])  # msgCode 8, msg []uint{1, 2, 3, 4}
    got = fake_hash_codec().write_frame(frame_data)
    assert got == GOLDEN_FRAME, f"frame {got.hex()}, expected {GOLDEN_FRAME.hex()}"


def test_geth_frame_read():
    got = fake_hash_codec().read_frame(io.BytesIO(GOLDEN_FRAME).read)
    assert got == unhex("08C401020304"), f"frame content {got.hex()}, expected 08c401020304"


def test_frame_with_a_flipped_mac_bit_is_refused():
    bad = bytearray(GOLDEN_FRAME)
    bad[16] ^= 0x80
    with pytest.raises(rlpx.RLPxError, match="bad header MAC"):
        fake_hash_codec().read_frame(io.BytesIO(bytes(bad)).read)


# --- EIP-8 "devp2p Base Protocol" Hello vector ---------------------------------------------------------------------------

EIP8_HELLO = unhex("""
    f87137916b6e6574682f76302e39312f706c616e39cdc5836574683dc6846d6f726b1682270fb840
    fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569
    bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877c883666f6f836261720304
""")


def test_eip8_hello_with_extra_elements():
    hello = base.Hello.decode(EIP8_HELLO)
    # EIP-8's prose says "advertising version 22", but the bytes say 0x37 (55); 22 (0x16) is the version of its
    # "mork" capability. We check the bytes.
    assert hello.version == 0x37, f"Hello version {hello.version}, expected 55 (0x37 in the vector)"
    assert hello.client_id == "kneth/v0.91/plan9", f"client id {hello.client_id!r}"
    assert hello.capabilities == [("eth", 61), ("mork", 22)], f"capabilities {hello.capabilities}"
    assert hello.listen_port == 9999, f"listen port {hello.listen_port}"
    assert hello.node_id == rlpx.public_key_bytes(KEY_A), f"node id {hello.node_id.hex()}, expected Static Key A's"
    assert hello.rest == [unhex("c883666f6f83626172"), b"\x03", b"\x04"], f"extra elements {hello.rest}"


# --- eth/68 messages: go-ethereum v1.13.15 eth/protocols/eth/protocol_test.go TestMessages / TestEmptyMessages --------

def test_get_block_headers_by_hash_geth_vector():
    hash_deadc0de = (0xDEADC0DE).to_bytes(32, "big")
    got = eth.encode_get_block_headers(1111, hash_deadc0de, 5, 5, False)
    want = unhex("e8820457e4a000000000000000000000000000000000000000000000000000000000deadc0de050580")
    assert got == want, f"GetBlockHeaders by hash {got.hex()}, expected {want.hex()}"
    assert eth.decode_get_block_headers(want) == (1111, hash_deadc0de, 5, 5, False)


def test_get_block_headers_by_number_geth_vector():
    got = eth.encode_get_block_headers(1111, 9999, 5, 5, False)
    want = unhex("ca820457c682270f050580")
    assert got == want, f"GetBlockHeaders by number {got.hex()}, expected {want.hex()}"
    assert eth.decode_get_block_headers(want) == (1111, 9999, 5, 5, False)


GETH_BLOCK_HEADERS = unhex("""
    f90202820457f901fcf901f9a00000000000000000000000000000000000000000000000000000000000000000a000000000
    00000000000000000000000000000000000000000000000000000000940000000000000000000000000000000000000000a0
    0000000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000
    000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000000000000b901
    0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    000000000000008208ae820d0582115c8215b3821a0a827788a0000000000000000000000000000000000000000000000000
    0000000000000000880000000000000000
""")


def test_block_headers_geth_vector():
    # BlockHeadersPacket{1111, [Header{Difficulty 2222, Number 3333, GasLimit 4444, GasUsed 5555, Time 6666,
    # Extra 0x7788}]}
    request_id, headers = eth.decode_block_headers(GETH_BLOCK_HEADERS)
    assert request_id == 1111 and len(headers) == 1, f"request {request_id}, {len(headers)} headers"
    assert eth.header_number(headers[0]) == 3333, f"header number {eth.header_number(headers[0])}, expected 3333"
    fields = rlp.decode(headers[0])
    assert [int.from_bytes(fields[i], "big") for i in (7, 9, 10, 11)] == [2222, 4444, 5555, 6666]
    assert fields[12] == b"\x77\x88", f"extra {fields[12].hex()}"
    assert eth.encode_block_headers(1111, headers) == GETH_BLOCK_HEADERS


def test_empty_block_headers_geth_vector():
    # TestEmptyMessages: every empty packet with request id 1111 encodes as c4820457c0
    assert eth.encode_block_headers(1111, []) == unhex("c4820457c0")
    assert eth.decode_block_headers(unhex("c4820457c0")) == (1111, [])


# --- EIP-2124 fork id (its spec text and go-ethereum v1.13.15 core/forkid/forkid_test.go) -------------------------------

MAINNET_GENESIS = unhex("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")  # params.MainnetGenesisHash


@pytest.mark.parametrize("forks, want", [
    # EIP-2124 / forkid_test.go mainnet cases: unsynced fc64ec04, Homestead 97c2c34c, DAO 91d1f948,
    # Tangerine Whistle 7a64da13, Spurious Dragon 3edd5b10
    ((), "fc64ec04"),
    ((1150000,), "97c2c34c"),
    ((1150000, 1920000), "91d1f948"),
    ((1150000, 1920000, 2463000), "7a64da13"),
    ((1150000, 1920000, 2463000, 2675000), "3edd5b10"),
])
def test_fork_hash_mainnet(forks, want):
    got = eth.ForkId.from_genesis(MAINNET_GENESIS, forks).hash.hex()
    assert got == want, f"fork hash after {forks}: {got}, expected {want}"


def test_fork_at_genesis_is_not_in_the_checksum():
    # EIP-2124: forks at block 0 are not gathered (forkid_test.go TestTimeBasedForkInGenesis likewise for time 0)
    assert eth.ForkId.from_genesis(MAINNET_GENESIS, (0, 0)).hash.hex() == "fc64ec04"


@pytest.mark.parametrize("fork_id, want", [
    # forkid_test.go TestEncoding
    (eth.ForkId((0).to_bytes(4, "big"), 0), "c6840000000080"),
    (eth.ForkId((0xDEADBEEF).to_bytes(4, "big"), 0xBADDCAFE), "ca84deadbeef84baddcafe"),
    (eth.ForkId((0xFFFFFFFF).to_bytes(4, "big"), 2**64 - 1), "ce84ffffffff88ffffffffffffffff"),
])
def test_fork_id_encoding(fork_id, want):
    got = rlp.encode(fork_id.encode_fields()).hex()
    assert got == want, f"fork id RLP {got}, expected {want}"


def test_status_encoding_by_hand():
    """eth/68 Status [68, 1, td, head, genesis, [fork-hash, fork-next]] for mainnet at genesis: assembled byte by byte
    from the RLP rules (no published vector exists for eth/68 Status in geth v1.13.15's protocol_test.go)."""
    status = eth.Status(68, 1, 0x400000000, MAINNET_GENESIS, MAINNET_GENESIS,
                        eth.ForkId(unhex("fc64ec04"), 1150000))
    payload = (b"\x44"                                   # 68
               + b"\x01"                                 # network id 1
               + b"\x85" + unhex("0400000000")           # td 17179869184 (mainnet genesis difficulty), 5 bytes
               + b"\xa0" + MAINNET_GENESIS               # head
               + b"\xa0" + MAINNET_GENESIS               # genesis
               + b"\xc9" + b"\x84" + unhex("fc64ec04") + b"\x83" + unhex("118c30"))  # [hash, 1150000]
    want = b"\xf8" + bytes([len(payload)]) + payload      # 84 bytes: long-list form f8 54
    assert len(payload) == 84
    assert status.encode() == want, f"Status {status.encode().hex()}, expected {want.hex()}"
    assert eth.Status.decode(want) == status


# --- Snappy (format_description.txt) and base-protocol messages --------------------------------------------------------

def test_snappy_hand_built_literal_block():
    # varint length 3, literal tag (3 - 1) << 2 = 0x08, then "abc"
    assert base.snappy_decompress(unhex("0308") + b"abc") == b"abc"


def test_snappy_refuses_more_than_16_mib_before_decompressing():
    # varint 16 MiB + 1 = 0x1000001 -> 81 80 80 08, followed by nothing: refused on the header alone
    with pytest.raises(base.ProtocolError, match="16777217 bytes"):
        base.snappy_decompress(unhex("81808008"))


def test_snappy_round_trip():
    data = bytes(range(256)) * 100
    assert base.snappy_decompress(base.snappy_compress(data)) == data


def test_disconnect_encodings():
    assert base.encode_disconnect(0x10) == unhex("c110")
    assert base.decode_disconnect(unhex("c110")) == 0x10  # [reason], as rlpx.md writes it
    assert base.decode_disconnect(unhex("03")) == 0x03    # a bare reason, as some clients sent it
    assert base.decode_disconnect(unhex("c0")) == 0x00    # no reason
    assert base.PING_DATA == unhex("c0")


def test_shared_capabilities_offsets():
    # rlpx.md: shared capabilities, highest shared version, ids from 0x10; unknown caps ignored
    assert shared_capabilities([("eth", 68)], [("eth", 67), ("eth", 68), ("snap", 1)]) == {"eth": (68, 0x10)}
    assert shared_capabilities([("eth", 68)], [("eth", 67)]) == {}


# --- two instances of this peer over a socket pair ---------------------------------------------------------------------

def _pair(status_a=None, status_b=None):
    left, right = socket.socketpair()
    key_a, key_b = rlpx.private_key(), rlpx.private_key()
    result = {}

    def serve():
        try:
            result["b"] = Peer.accept(right, key_b)
            if status_b is not None:
                result["b_status"] = result["b"].exchange_status(status_b)
        except Exception as error:  # reported by the main thread
            result["error"] = error

    thread = threading.Thread(target=serve)
    thread.start()
    a = Peer.initiate(left, rlpx.public_key_bytes(key_b), key_a, status_a)
    a_status = a.remote_status
    thread.join(10)
    assert "error" not in result, f"recipient failed: {result.get('error')!r}"
    return a, result["b"], key_a, key_b, a_status, result.get("b_status")


def test_in_process_handshake_secrets_match():
    a, b, key_a, key_b, _, _ = _pair()
    sa, sb = a.codec.secrets, b.codec.secrets
    assert (sa.aes, sa.mac) == (sb.aes, sb.mac), "initiator and recipient derived different secrets"
    assert sa.egress_mac.digest() == sb.ingress_mac.digest() and sa.ingress_mac.digest() == sb.egress_mac.digest()
    assert a.remote_pubkey == rlpx.public_key_bytes(key_b) and b.remote_pubkey == rlpx.public_key_bytes(key_a)
    assert a.snappy and b.snappy, "both sides speak p2p version 5: Snappy must be on after Hello"
    assert a.capabilities == b.capabilities == {"eth": (68, 0x10)}
    a.close(), b.close()


def test_in_process_status_headers_ping_and_disconnect():
    genesis = bytes(range(32))
    status = eth.Status(68, 1337, 1, genesis, genesis, eth.ForkId.from_genesis(genesis))
    a, b, _, _, a_got, b_got = _pair(status, status)
    assert a_got == status and b_got == status, f"Status exchange: A got {a_got}, B got {b_got}"
    # B answers one GetBlockHeaders with a header from geth's vector, in a thread, then pings and disconnects.
    _, geth_headers = eth.decode_block_headers(GETH_BLOCK_HEADERS)

    def serve():
        request = b.receive_until(b.eth_code(eth.GET_BLOCK_HEADERS))
        request_id, origin, amount, skip, reverse = eth.decode_get_block_headers(request)
        b.send(b.eth_code(eth.BLOCK_HEADERS), eth.encode_block_headers(request_id, geth_headers * amount))
        b.send(base.PING, base.PING_DATA)
        b.receive_until(base.PONG)
        b.disconnect(0x10)

    thread = threading.Thread(target=serve)
    thread.start()
    headers = a.get_block_headers(3333, 2)
    assert headers == geth_headers * 2, f"headers {[h.hex()[:20] for h in headers]}"
    with pytest.raises(Disconnected) as caught:
        a.receive_until(0x7F)  # answers B's Ping on the way, then sees the Disconnect
    assert caught.value.reason == 0x10, f"disconnect reason 0x{caught.value.reason:02x}, expected 0x10"
    thread.join(10)
    a.close()


def test_in_process_large_message_spans_one_frame():
    a, b, _, _, _, _ = _pair()
    payload = rlp.encode([bytes(range(256)) * 4096])  # 1 MiB, compressible
    a.send(0x20, payload)
    code, got = b.receive()
    assert (code, got) == (0x20, payload), f"code 0x{code:02x}, {len(got)} bytes"
    a.close(), b.close()


@pytest.mark.parametrize("where, index, error", [
    ("header ciphertext", 0, "bad header MAC"),
    ("header MAC", 16, "bad header MAC"),
    ("frame ciphertext", 32, "bad frame MAC"),
    ("frame MAC", -1, "bad frame MAC"),
])
def test_in_process_tampered_frame_is_refused(where, index, error):
    """rlpx.md: MACs are checked before decrypting; one flipped bit anywhere in a frame fails a MAC."""
    a, b, _, _, _, _ = _pair()
    frame = bytearray(a.codec.write_frame(rlp.encode(base.PING) + base.snappy_compress(base.PING_DATA)))
    frame[index] ^= 0x01
    a.sock.sendall(bytes(frame))
    with pytest.raises(rlpx.RLPxError, match=error):
        b.receive()
    a.close(), b.close()


def test_frames_round_trip_at_every_size_class():
    """Seeded property: frames of 0–70,000 bytes (around the 16-byte padding and the 56-byte RLP boundaries) written
    by the initiator's codec are read back by the recipient's, and the reverse, with the MAC states kept in step."""
    import random
    generator = random.Random(15)
    key_a, key_b = rlpx.private_key(), rlpx.private_key()
    initiator = rlpx.Initiator(key_a, rlpx.public_key_bytes(key_b))
    recipient = rlpx.Recipient(key_b)
    recipient.handle_auth(initiator.auth_packet())
    a = rlpx.FrameCodec(initiator.handle_ack(recipient.ack_packet()))
    b = rlpx.FrameCodec(recipient.secrets())
    sizes = [0, 1, 15, 16, 17, 31, 32, 33, 55, 56, 57, 1023, 1024, 65535, 65536, 70000]
    sizes += [generator.randrange(0, 70000) for _ in range(40)]
    for index, size in enumerate(sizes):
        data = generator.randbytes(size)
        writer, reader = (a, b) if index % 2 == 0 else (b, a)
        frame = writer.write_frame(data)
        assert len(frame) == 32 + size + (-size % 16) + 16, f"frame of {size} bytes is {len(frame)} bytes long"
        got = reader.read_frame(io.BytesIO(frame).read)
        assert got == data, f"frame {index} of {size} bytes came back as {len(got)} different bytes"
