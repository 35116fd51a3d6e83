"""geth's admin_ peer methods over devp2p (docs/rpc.md, Peers): admin_nodeInfo names the enode the banner printed,
admin_addPeer connects two nodes that were not given each other, admin_peers shows the session from both sides
(inbound on one, outbound and static on the other), net_peerCount counts it, blocks flow over it, admin_removePeer
ends it, and a malformed enode URL is refused with -32602. Expected shapes are go-ethereum 1.13's
(p2p/server.go NodeInfo, p2p/peer.go PeerInfo)."""
import re
import time

import coincurve

from conftest import ROOT, NodeProcess, free_port, rpc

ENODE = re.compile(r"devp2p:\s+(enode://([0-9a-f]{128})@127\.0\.0\.1:(\d+))")


def wait_for(condition, timeout, message):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def start(tmp_path, name, key_hex, extra=()):
    key_path = tmp_path / f"{name}.nodekey"
    key_path.write_text(key_hex)
    p2p_port = free_port()
    node = NodeProcess(tmp_path, datadir=tmp_path / name,
                       arguments=["--genesis", str(ROOT / "Genesis" / "dev.json"), "--timestamp", "1700000000",
                                  "--p2p-port", str(p2p_port), "--nodekey", str(key_path), *extra]).start()
    public = coincurve.PrivateKey(bytes.fromhex(key_hex)).public_key.format(compressed=False)[1:]
    node.enode = f"enode://{public.hex()}@127.0.0.1:{p2p_port}"
    node.node_id = public
    return node


def result(node, method, params=None):
    reply = rpc(node.url, method, params or [])
    assert "result" in reply, f"{method}: {reply}"
    return reply["result"]


def test_admin_node_info_add_peers_remove(tmp_path):
    first = start(tmp_path, "first", "%064x" % 0x1111)
    second = start(tmp_path, "second", "%064x" % 0x2222)
    try:
        banner = ENODE.search(first.log_path.read_text())
        assert banner and banner.group(1) == first.enode, f"banner enode {banner and banner.group(1)}, expected {first.enode}"

        info = result(first, "admin_nodeInfo")
        assert info["enode"] == first.enode
        # geth: id is the keccak256 of the 64-byte public key (enode.ID), hex without 0x
        from Crypto.Hash import keccak
        assert info["id"] == keccak.new(data=first.node_id, digest_bits=256).hexdigest()
        assert info["ports"] == {"discovery": int(first.enode.rsplit(":", 1)[1]),
                                 "listener": int(first.enode.rsplit(":", 1)[1])}
        genesis = result(first, "eth_getBlockByNumber", ["0x0", False])
        assert info["protocols"]["eth"]["genesis"] == genesis["hash"]
        assert info["protocols"]["eth"]["network"] == 31337
        assert result(first, "admin_peers") == [] and result(first, "net_peerCount") == "0x0"

        assert result(first, "admin_addPeer", [second.enode]) is True
        wait_for(lambda: result(first, "net_peerCount") == "0x1" and result(second, "net_peerCount") == "0x1", 10,
                 "admin_addPeer did not connect the two nodes")
        [outbound] = result(first, "admin_peers")
        [inbound] = result(second, "admin_peers")
        assert outbound["enode"].startswith(second.enode.rsplit("@", 1)[0])
        assert inbound["id"] == keccak.new(data=first.node_id, digest_bits=256).hexdigest()
        assert outbound["network"]["inbound"] is False and outbound["network"]["static"] is True
        assert inbound["network"]["inbound"] is True and inbound["network"]["static"] is False
        assert outbound["caps"] == ["eth/68"] and outbound["protocols"] == {"eth": {"version": 68}}

        # Neither node has a signer key: nothing seals; the session is still there after a ping interval's worth.
        removed = result(first, "admin_removePeer", [second.enode])
        assert removed is True
        wait_for(lambda: result(first, "net_peerCount") == "0x0" and result(second, "net_peerCount") == "0x0", 10,
                 "admin_removePeer did not end the session")
        time.sleep(2.5)  # longer than the first redial delay: a removed peer is not dialled again
        assert result(first, "net_peerCount") == "0x0"

        bad = rpc(first.url, "admin_addPeer", ["enode://1234@127.0.0.1:30303"])
        assert bad["error"]["code"] == -32602 and bad["error"]["message"].startswith("invalid enode: "), bad
    finally:
        first.stop()
        second.stop()


def test_nat_extip_sets_the_advertised_address(tmp_path):
    """geth's --nat extip:IP: the enode URL (banner and admin_nodeInfo) carries the given address instead of
    127.0.0.1; anything but extip:IP or none is refused, naming the value."""
    import subprocess
    from conftest import BINARY
    node = start(tmp_path, "nat", "%064x" % 0x3333, extra=("--nat", "extip:10.1.2.3"))
    try:
        info = result(node, "admin_nodeInfo")
        assert info["enode"] == node.enode.replace("@127.0.0.1:", "@10.1.2.3:")
        assert info["ip"] == "10.1.2.3"
        assert "@10.1.2.3:" in node.log_path.read_text()
    finally:
        node.stop()
    refused = subprocess.run([str(BINARY), "node", "--genesis", str(ROOT / "Genesis" / "dev.json"), "--ephemeral",
                              "--nat", "upnp"], capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0
    assert "--nat upnp: expected extip:IP (an IPv4 or IPv6 address) or none" in refused.stderr
