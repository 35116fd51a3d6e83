"""The Python devp2p peer (Tests/e2e/devp2p, checked against published vectors in test_devp2p_peer_vectors.py) against
a running `goldengrain node --dev --p2p-port N`: RLPx handshake, Hello, eth/68 Status, GetBlockHeaders, Ping, and the
node dropping peers that are on another chain or that send a frame with a bad MAC.

Every expected value comes from the node's JSON-RPC (genesis, head, total difficulty, block hashes), from the specs
(eth/68, p2p version 5, EIP-2124 fork id = CRC32 of the genesis hash when every fork is active at genesis), or from
go-ethereum v1.13.15's behaviour (disconnect reason on a Status mismatch), never from the node's own p2p output.
"""
import re
import subprocess
import time

import pytest
import rlp

from conftest import BINARY, NodeProcess, free_port, rpc
from devp2p import base, eth, rlpx
from devp2p.peer import ConnectionClosed, Disconnected, Peer

ENODE = re.compile(r"enode://([0-9a-f]{128})@([0-9.]+):(\d+)")
# go-ethereum v1.13.15 eth/protocols/eth/handshake.go readStatus returns a wrapped errGenesisMismatch /
# errNetworkIDMismatch / errForkIDRejected (plain errors, neither DiscReason nor peerError), and p2p/peer_error.go
# discReasonForError maps such errors to DiscSubprotocolError: the Disconnect geth sends carries reason 0x10.
STATUS_MISMATCH_REASON = 0x10


def _node_help() -> str:
    if not BINARY.exists():
        return ""
    run = subprocess.run([str(BINARY), "node", "--help"], capture_output=True, text=True, timeout=30)
    return run.stdout + run.stderr


NODE_HELP = _node_help()


@pytest.fixture
def p2p_node(tmp_path):
    p2p_port = free_port()
    arguments = ["--dev", "--p2p-port", str(p2p_port)]
    if "--nodiscover" in NODE_HELP:
        arguments.append("--nodiscover")
    process = NodeProcess(tmp_path, arguments=arguments).start()
    try:
        deadline = time.time() + 30
        match = None
        while time.time() < deadline and match is None:
            match = ENODE.search(process.log_path.read_text(errors="replace"))
            if match is None:
                time.sleep(0.05)
        assert match, f"no enode://<128 hex>@host:port line in the banner within 30 s:\n{process.log_path.read_text()}"
        assert int(match.group(3)) == p2p_port, f"enode port {match.group(3)}, expected --p2p-port {p2p_port}"
        process.node_id = bytes.fromhex(match.group(1))
        process.p2p_port = p2p_port
        for _ in range(5):  # blocks 1–5 so that headers 0–4 exist
            reply = rpc(process.url, "evm_mine")
            assert "error" not in reply, f"evm_mine failed: {reply}"
        yield process
    finally:
        process.stop()


def block(node, tag):
    reply = rpc(node.url, "eth_getBlockByNumber", [tag, False])
    assert reply.get("result"), f"eth_getBlockByNumber({tag}) gave {reply}"
    return reply["result"]


def our_status(node, genesis_hash=None, network_id=None, fork_id=None) -> eth.Status:
    """A Status for a peer that has only the node's genesis block (or the given wrong values)."""
    genesis = block(node, "0x0")
    genesis_hash = genesis_hash or bytes.fromhex(genesis["hash"][2:])
    chain_id = int(rpc(node.url, "eth_chainId")["result"], 16)
    return eth.Status(68, network_id if network_id is not None else chain_id, int(genesis["difficulty"], 16),
                      genesis_hash, genesis_hash, fork_id or eth.ForkId.from_genesis(genesis_hash))


def connect(node, status=None) -> Peer:
    return Peer.connect("127.0.0.1", node.p2p_port, node.node_id, rlpx.private_key(), status=status)


def test_handshake_hello_and_status(p2p_node):
    genesis, latest = block(p2p_node, "0x0"), block(p2p_node, "latest")
    chain_id = int(rpc(p2p_node.url, "eth_chainId")["result"], 16)
    with connect(p2p_node, our_status(p2p_node)) as peer:
        hello = peer.remote_hello
        assert hello.version == 5, f"p2p version {hello.version}, expected 5 (rlpx.md)"
        assert ("eth", 68) in hello.capabilities, f"capabilities {hello.capabilities}, expected eth/68 among them"
        assert hello.node_id == p2p_node.node_id, "Hello node id differs from the banner's enode"
        status = peer.remote_status
        genesis_hash = bytes.fromhex(genesis["hash"][2:])
        want = {
            "version": 68, "network_id": chain_id, "total_difficulty": int(latest["totalDifficulty"], 16),
            "head": bytes.fromhex(latest["hash"][2:]), "genesis": genesis_hash,
            # EIP-2124: every fork of the dev chain is active at genesis, so the fork hash is CRC32(genesis hash)
            "fork_id": eth.ForkId.from_genesis(genesis_hash, ()),
        }
        got = {name: getattr(status, name) for name in want}
        assert got == want, f"node's Status {got}, expected {want}"
        peer.ping()


def test_get_block_headers(p2p_node):
    hashes = [bytes.fromhex(block(p2p_node, hex(number))["hash"][2:]) for number in range(6)]
    with connect(p2p_node, our_status(p2p_node)) as peer:
        headers = peer.get_block_headers(0, 5)
        got = [(eth.header_number(header), eth.header_hash(header)) for header in headers]
        assert got == [(number, hashes[number]) for number in range(5)], \
            f"headers 0..4 (number, keccak of the RLP) {[(n, h.hex()) for n, h in got]}, JSON-RPC hashes " \
            f"{[h.hex() for h in hashes[:5]]}"
        # By hash, reverse: 4, 3, 2
        reverse = peer.get_block_headers(hashes[4], 3, reverse=True)
        assert [eth.header_hash(header) for header in reverse] == [hashes[4], hashes[3], hashes[2]], \
            f"reverse from block 4: {[eth.header_number(header) for header in reverse]}, expected [4, 3, 2]"
        # Skip 1 from 0: 0, 2, 4
        skipping = peer.get_block_headers(0, 3, skip=1)
        assert [eth.header_hash(header) for header in skipping] == [hashes[0], hashes[2], hashes[4]], \
            f"skip 1 from block 0: {[eth.header_number(header) for header in skipping]}, expected [0, 2, 4]"
        # Past the head: an empty reply (eth.md: "The header list may be empty")
        assert peer.get_block_headers(10_000, 5) == [], "headers from 10000 on a 6-block chain, expected none"


def _expect_status_mismatch_disconnect(node, status, what):
    peer = Peer.connect("127.0.0.1", node.p2p_port, node.node_id, rlpx.private_key())
    try:
        with pytest.raises(Disconnected) as caught:
            peer.exchange_status(status)  # the node may send its own Status first, then the Disconnect
            peer.receive_until(0x7F, timeout=10)  # no such message: waits for the Disconnect
        assert caught.value.reason == STATUS_MISMATCH_REASON, \
            f"{what}: disconnect reason 0x{caught.value.reason:02x}, expected 0x10 (subprotocol error, as geth 1.13)"
    except ConnectionClosed as error:
        pytest.fail(f"{what}: the node closed the connection without a Disconnect message ({error})")
    finally:
        peer.close()


def test_wrong_genesis_is_disconnected_at_status(p2p_node):
    wrong = rlpx.keccak256(b"not this chain's genesis")
    _expect_status_mismatch_disconnect(p2p_node, our_status(p2p_node, genesis_hash=wrong), "wrong genesis")


def test_wrong_fork_id_is_disconnected_at_status(p2p_node):
    # A fork hash that is neither CRC32(genesis) nor a later one, with no future fork: EIP-2124 rule 1 rejects it.
    bad_fork = eth.ForkId(bytes.fromhex("deadbeef"), 0)
    _expect_status_mismatch_disconnect(p2p_node, our_status(p2p_node, fork_id=bad_fork), "wrong fork id")


def test_wrong_network_id_is_disconnected_at_status(p2p_node):
    chain_id = int(rpc(p2p_node.url, "eth_chainId")["result"], 16)
    _expect_status_mismatch_disconnect(p2p_node, our_status(p2p_node, network_id=chain_id + 1), "wrong network id")


def test_bad_frame_mac_drops_the_peer_and_the_node_stays_up(p2p_node):
    peer = connect(p2p_node, our_status(p2p_node))
    try:
        frame = bytearray(peer.codec.write_frame(rlp.encode(base.PING) + base.snappy_compress(base.PING_DATA)))
        frame[-1] ^= 0x01  # frame-mac no longer matches
        peer.sock.sendall(bytes(frame))
        peer.sock.settimeout(10)
        with pytest.raises((ConnectionClosed, ConnectionResetError, Disconnected, rlpx.RLPxError)):
            peer.receive_until(base.PONG, timeout=10)  # the node must not answer this Ping
    finally:
        peer.close()
    assert rpc(p2p_node.url, "eth_chainId").get("result"), "node stopped answering JSON-RPC after a bad MAC"
    with connect(p2p_node, our_status(p2p_node)) as again:
        again.ping()


def test_a_lying_peer_is_dropped_and_the_node_keeps_its_chain(p2p_node):
    """A peer that claims a far heavier chain but then serves no header for the head it announced: the node asks
    for that header (to catch up), gets an empty answer, drops the peer with DiscUselessPeer (0x03, geth's reason
    for a peer with nothing useful), keeps its own chain and keeps serving, and logs the peer's problem."""
    head_before = block(p2p_node, "latest")
    status = our_status(p2p_node)
    status.total_difficulty = 2**200
    status.head = rlpx.keccak256(b"a head nobody has")
    peer = connect(p2p_node, status)
    try:
        request = peer.receive_until(peer.eth_code(eth.GET_BLOCK_HEADERS), timeout=10)
        request_id, origin, amount, _, _ = eth.decode_get_block_headers(request)
        assert origin == status.head and amount == 1, \
            f"the node asked for {amount} header(s) from {origin!r}, expected 1 from the announced head"
        peer.send(peer.eth_code(eth.BLOCK_HEADERS), eth.encode_block_headers(request_id, []))
        with pytest.raises(Disconnected) as caught:
            peer.receive_until(0x7F, timeout=10)
        assert caught.value.reason == 0x03, f"disconnect reason 0x{caught.value.reason:02x}, expected 0x03 (useless peer)"
    finally:
        peer.close()
    assert block(p2p_node, "latest")["hash"] == head_before["hash"], "the node left its chain for a lying peer"
    assert "does not serve its header" in p2p_node.log_path.read_text(), "the lying peer was not logged"
    with connect(p2p_node, our_status(p2p_node)) as again:
        again.ping()


def test_an_invalid_block_drops_the_peer(p2p_node):
    """A NewBlock whose seal is not a signer's (the node's own block 1 re-sealed with a stranger's key is too much
    work here; a block 1 with a wrong state root does as well): header verification or execution refuses it, and the
    sender is dropped with a subprotocol error (0x10) while the node keeps its head."""
    raw = bytes.fromhex(rpc(p2p_node.url, "debug_getRawBlock", ["0x1"])["result"][2:])
    header, transactions, uncles = rlp.decode(raw)
    header = list(header)
    header[3] = rlpx.keccak256(b"not the state root")  # stateRoot: the Clique seal no longer matches either
    head_before = block(p2p_node, "latest")
    total_difficulty = int(head_before["totalDifficulty"], 16) + 10
    # Announce it as a block on top of genesis: the parent is known, so the node imports and must refuse it.
    new_block = rlp.encode([[header, transactions, uncles], total_difficulty])
    peer = connect(p2p_node, our_status(p2p_node))
    try:
        peer.send(peer.eth_code(eth.NEW_BLOCK), new_block)
        with pytest.raises(Disconnected) as caught:
            peer.receive_until(0x7F, timeout=10)
        assert caught.value.reason == 0x10, f"disconnect reason 0x{caught.value.reason:02x}, expected 0x10"
    finally:
        peer.close()
    assert block(p2p_node, "latest")["hash"] == head_before["hash"]


def test_an_oversized_eth_message_drops_the_peer(p2p_node):
    """eth messages are limited to 10 MiB (go-ethereum eth/protocols/eth `maxMessageSize`; its handler returns an
    error for a larger one, which geth sends as subprotocol error 0x10). 11 MiB of zeros compress to a few hundred
    kB, under the 16 MiB frame limit, so it is the eth layer that must refuse it; the node stays up."""
    peer = connect(p2p_node, our_status(p2p_node))
    try:
        peer.send(peer.eth_code(eth.TRANSACTIONS), rlp.encode([b"\x00" * (11 * 1024 * 1024)]))
        with pytest.raises(Disconnected) as caught:
            peer.receive_until(0x7F, timeout=10)
        assert caught.value.reason == 0x10, f"disconnect reason 0x{caught.value.reason:02x}, expected 0x10"
    finally:
        peer.close()
    assert rpc(p2p_node.url, "eth_chainId").get("result")
    size = len(rlp.encode([b"\x00" * (11 * 1024 * 1024)]))
    assert f"eth message 0x2 of {size} bytes, more than the 10485760 accepted" in p2p_node.log_path.read_text(), \
        "the size limit, not a decoding error, should have refused the message"


def test_a_message_announcing_more_than_16_mib_drops_the_peer(p2p_node):
    """devp2p rlpx.md: a message whose Snappy preamble announces more than 16 MiB must be refused before it is
    decompressed. The preamble here is the varint of 17 MiB followed by a few literal bytes (google/snappy
    format_description.txt); the node must drop the session (Disconnect or close) and stay up."""
    peer = connect(p2p_node, our_status(p2p_node))
    length = 17 * 1024 * 1024
    varint = bytearray()
    while True:
        byte, length = length & 0x7F, length >> 7
        varint.append(byte | (0x80 if length else 0))
        if not length:
            break
    try:
        bogus = bytes(varint) + bytes([0x0C]) + b"abcd"  # a 4-byte literal, then nothing
        peer.sock.sendall(peer.codec.write_frame(rlp.encode(peer.eth_code(eth.TRANSACTIONS)) + bogus))
        with pytest.raises((Disconnected, ConnectionClosed, ConnectionResetError)):
            peer.receive_until(0x7F, timeout=10)
    finally:
        peer.close()
    assert "snappy block decompresses to 17825792 bytes, more than the limit of 16777216" in \
        p2p_node.log_path.read_text(), "the node did not name the oversized message when dropping the peer"
    assert rpc(p2p_node.url, "eth_chainId").get("result")


def _dev_transfer(node, nonce=0):
    """An EIP-1559 transfer from test-mnemonic account 1 (eth-account signs it), mined by the dev node."""
    from eth_account import Account
    key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
    base_fee = int(block(node, "latest")["baseFeePerGas"], 16)
    signed = Account.from_key(key).sign_transaction({
        "to": "0x0000000000000000000000000000000000000042", "value": 4242, "gas": 21000, "nonce": nonce,
        "maxFeePerGas": 2 * base_fee + 10**9, "maxPriorityFeePerGas": 10**9, "chainId": 31337, "type": 2})
    reply = rpc(node.url, "eth_sendRawTransaction", ["0x" + signed.raw_transaction.hex()])
    assert "result" in reply, reply
    return bytes(signed.raw_transaction), reply["result"]


def test_get_block_bodies_and_receipts(p2p_node):
    """GetBlockBodies and GetReceipts (eth/66+ with request ids): the body of the block holding a type-2 transfer
    carries that transaction as a byte string (its keccak is the JSON-RPC hash), no uncles; its receipts list gives
    the transfer's status and cumulative gas as eth_getTransactionReceipt does; unknown hashes are skipped."""
    raw, tx_hash = _dev_transfer(p2p_node)
    receipt = rpc(p2p_node.url, "eth_getTransactionReceipt", [tx_hash])["result"]
    block_hash = bytes.fromhex(receipt["blockHash"][2:])
    unknown = rlpx.keccak256(b"no such block")
    with connect(p2p_node, our_status(p2p_node)) as peer:
        peer.send(peer.eth_code(eth.GET_BLOCK_BODIES), rlp.encode([7, [block_hash, unknown]]))
        request_id, bodies = rlp.decode(peer.receive_until(peer.eth_code(eth.BLOCK_BODIES)))
        assert int.from_bytes(request_id, "big") == 7 and len(bodies) == 1, f"{len(bodies)} bodies, expected 1"
        transactions, uncles = bodies[0][0], bodies[0][1]
        assert uncles == [] and len(transactions) == 1
        assert transactions[0] == raw, "the body's transaction is not the raw type-2 bytes sent"
        assert "0x" + rlpx.keccak256(transactions[0]).hex() == tx_hash

        peer.send(peer.eth_code(eth.GET_RECEIPTS), rlp.encode([8, [block_hash]]))
        request_id, receipts = rlp.decode(peer.receive_until(peer.eth_code(eth.RECEIPTS)))
        assert int.from_bytes(request_id, "big") == 8 and len(receipts) == 1 and len(receipts[0]) == 1
        typed = receipts[0][0]
        assert typed[0] == 2, f"receipt type byte {typed[0]}, expected 2 (EIP-1559)"
        status, cumulative_gas, bloom, logs = rlp.decode(typed[1:])
        assert int.from_bytes(status, "big") == int(receipt["status"], 16) == 1
        assert int.from_bytes(cumulative_gas, "big") == int(receipt["cumulativeGasUsed"], 16) == 21000
        assert logs == [] and bloom == b"\x00" * 256


def test_transactions_both_ways(tmp_path):
    """Transaction exchange on a node that does not mine at once (--no-automine): a transaction sent to it over
    JSON-RPC reaches our peer whole (Transactions: with one peer, √1 = 1 peer gets the full transaction) and is
    served by GetPooledTransactions; a transaction we announce only by hash (NewPooledTransactionHashes: type,
    size, hash) is fetched from us with GetPooledTransactions and enters the node's pool."""
    from eth_account import Account
    p2p_port = free_port()
    node = NodeProcess(tmp_path, arguments=["--dev", "--no-automine", "--no-enclave", "--p2p-port", str(p2p_port),
                                            "--nodiscover"]).start()
    try:
        match = ENODE.search(node.log_path.read_text())
        node.node_id, node.p2p_port = bytes.fromhex(match.group(1)), p2p_port
        with connect(node, our_status(node)) as peer:
            raw, tx_hash = _dev_transfer(node)
            payload = peer.receive_until(peer.eth_code(eth.TRANSACTIONS))
            assert rlp.decode(payload) == [raw], "the node did not pass the pooled transaction on whole"
            peer.send(peer.eth_code(eth.GET_POOLED_TRANSACTIONS), rlp.encode([9, [bytes.fromhex(tx_hash[2:])]]))
            request_id, pooled = rlp.decode(peer.receive_until(peer.eth_code(eth.POOLED_TRANSACTIONS)))
            assert int.from_bytes(request_id, "big") == 9 and pooled == [raw]

            # Ours: account 2's transfer, announced by hash only.
            key = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
            base_fee = int(block(node, "latest")["baseFeePerGas"], 16)
            ours = bytes(Account.from_key(key).sign_transaction({
                "to": "0x0000000000000000000000000000000000000043", "value": 7, "gas": 21000, "nonce": 0,
                "maxFeePerGas": 2 * base_fee + 10**9, "maxPriorityFeePerGas": 10**9, "chainId": 31337,
                "type": 2}).raw_transaction)
            our_hash = rlpx.keccak256(ours)
            peer.send(peer.eth_code(eth.NEW_POOLED_TRANSACTION_HASHES), rlp.encode([bytes([2]), [len(ours)], [our_hash]]))
            request_id, hashes = rlp.decode(peer.receive_until(peer.eth_code(eth.GET_POOLED_TRANSACTIONS)))
            assert hashes == [our_hash], "the node did not ask for the announced transaction"
            peer.send(peer.eth_code(eth.POOLED_TRANSACTIONS), rlp.encode([request_id, [ours]]))
            deadline = time.time() + 10
            while time.time() < deadline:
                found = rpc(node.url, "eth_getTransactionByHash", ["0x" + our_hash.hex()]).get("result")
                if found:
                    break
                time.sleep(0.05)
            assert found and found["blockHash"] is None, f"our transaction is not pending on the node: {found}"
    finally:
        node.stop()
