"""Several authorities form one chain (DESIGN.md §8): the three signers of Genesis/testnet-3.json
(test-mnemonic accounts 0-2), each a separate `goldengrain node` process with its own LevelDB
datadir, signer key and devp2p node key, peered over loopback with --bootnodes (RLPx + eth/68). They must agree on every block hash and
state root, carry a transaction sent to any one of them, keep going when one of the three is
killed (a minority), and take the lost node back when it restarts."""
import json
import time

import coincurve

from conftest import ROOT, NodeProcess, free_port
from eth_account import Account
from web3 import Web3
from web3.middleware import ExtraDataToPOAMiddleware

SIGNER_KEYS = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
]
# Test-mnemonic account 5, funded by testnet-3.json, signs the user transaction.
USER_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"


# devp2p node keys (any three secp256k1 keys; the enode URLs below are derived from them).
NODE_KEYS = ["%064x" % (0x6e6f64656b6579 + index) for index in range(3)]


def enode(node_key_hex, port):
    """The enode URL of a node key at a loopback port: the uncompressed public key without 0x04."""
    public = coincurve.PrivateKey(bytes.fromhex(node_key_hex)).public_key.format(compressed=False)[1:]
    return f"enode://{public.hex()}@127.0.0.1:{port}"


def wait_for(condition, timeout, message):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def start_network(tmp_path):
    genesis = json.loads((ROOT / "Genesis" / "testnet-3.json").read_text())
    genesis["config"]["clique"]["period"] = 1  # one block a second keeps the test short
    genesis_path = tmp_path / "genesis.json"
    genesis_path.write_text(json.dumps(genesis))
    ports = [free_port() for _ in SIGNER_KEYS]
    p2p_ports = [free_port() for _ in SIGNER_KEYS]
    nodes = []
    for index, key in enumerate(SIGNER_KEYS):
        key_path = tmp_path / f"signer{index}.key"
        key_path.write_text(key[2:] + "\n")
        node_key_path = tmp_path / f"nodekey{index}"
        node_key_path.write_text(NODE_KEYS[index])
        bootnodes = ",".join(enode(NODE_KEYS[other], p2p_ports[other]) for other in range(3) if other != index)
        arguments = ["--genesis", str(genesis_path), "--signer-key", str(key_path), "--nodekey", str(node_key_path),
                     "--p2p-port", str(p2p_ports[index]), "--bootnodes", bootnodes]
        nodes.append(NodeProcess(tmp_path, datadir=tmp_path / f"node{index}", arguments=arguments, port=ports[index]))
    for node in nodes:
        node.start()
    return nodes


def connect(node):
    """web3.py as a user connects to a proof-of-authority chain: with the POA extraData middleware."""
    w3 = Web3(Web3.HTTPProvider(node.url))
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    return w3


def test_three_authorities_form_one_chain_and_survive_losing_one(tmp_path):
    nodes = start_network(tmp_path)
    try:
        clients = [connect(node) for node in nodes]
        assert all(w3.eth.chain_id == 7777 for w3 in clients)
        wait_for(lambda: min(w3.eth.block_number for w3 in clients) >= 4, 30, "the three nodes did not reach block 4")
        assert [w3.net.peer_count for w3 in clients] == [2, 2, 2]

        # Every block up to 4 is the same block with the same state on all three nodes, and the
        # signers took turns (a signer may seal only one of any two consecutive blocks).
        for number in range(1, 5):
            blocks = [w3.eth.get_block(number) for w3 in clients]
            assert len({block.hash for block in blocks}) == 1, f"block {number} differs between nodes"
            assert len({block.stateRoot for block in blocks}) == 1
        assert [Account.from_key(key).address for key in SIGNER_KEYS] == [
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"]  # the three signers testnet-3.json lists
        # Each snapshot's recents name the sealers of its last two blocks: all three authorities seal.
        wait_for(lambda: clients[0].eth.block_number >= 7, 30, "the chain did not reach block 7")
        sealers = set()
        for number in range(1, 8):
            snapshot = clients[0].provider.make_request("clique_getSnapshot", [hex(number)])["result"]
            sealers.update(address.lower() for address in snapshot["recents"].values())
        assert sealers == {Account.from_key(key).address.lower() for key in SIGNER_KEYS}

        # A transfer sent to node 2 is sealed by whoever's turn it is and reaches every node.
        user = Account.from_key(USER_KEY)
        base_fee = clients[2].eth.get_block("latest").baseFeePerGas
        signed = user.sign_transaction({"to": "0x0000000000000000000000000000000000000042", "value": 4242,
                                        "gas": 21000, "maxFeePerGas": base_fee * 2 + 10**9,
                                        "maxPriorityFeePerGas": 10**9, "nonce": 0, "chainId": 7777, "type": 2})
        transaction_hash = clients[2].eth.send_raw_transaction(signed.raw_transaction)
        receipt = clients[0].eth.wait_for_transaction_receipt(transaction_hash, timeout=20)
        assert receipt.status == 1
        wait_for(lambda: all(_has(w3, transaction_hash) for w3 in clients), 20, "the transfer did not reach every node")
        for w3 in clients:
            assert w3.eth.get_balance("0x0000000000000000000000000000000000000042") == 4242

        # Kill node 2 (a minority): the other two go on alternating and stay in agreement.
        nodes[2].kill()
        height = max(w3.eth.block_number for w3 in clients[:2])
        wait_for(lambda: min(w3.eth.block_number for w3 in clients[:2]) >= height + 4, 30,
                 "two of three signers did not go on sealing")
        number = min(w3.eth.block_number for w3 in clients[:2])
        assert [w3.net.peer_count for w3 in clients[:2]] == [1, 1]
        assert clients[0].eth.get_block(number).hash == clients[1].eth.get_block(number).hash
        assert clients[0].eth.get_block(number).stateRoot == clients[1].eth.get_block(number).stateRoot

        # Node 2 restarts on its LevelDB datadir and catches up with the chain it missed.
        nodes[2] = NodeProcess(tmp_path, datadir=nodes[2].datadir, arguments=nodes[2].arguments, port=nodes[2].port).start()
        restarted = connect(nodes[2])
        target = clients[0].eth.block_number
        wait_for(lambda: restarted.eth.block_number >= target, 30, "the restarted node did not catch up")
        assert restarted.eth.get_block(target).hash == clients[0].eth.get_block(target).hash
        assert restarted.eth.get_balance("0x0000000000000000000000000000000000000042") == 4242
    finally:
        for node in nodes:
            node.stop()


def _has(w3, transaction_hash):
    try:
        return w3.eth.get_transaction_receipt(transaction_hash) is not None
    except Exception:
        return False


def test_a_follower_catches_up_with_a_dev_node(tmp_path):
    """A node without a signer key (`--genesis Genesis/dev.json --timestamp T --bootnodes ENODE`) follows a dev
    node (`--dev --p2p-port N`) that is 300 blocks ahead: over eth/68 it finds the common ancestor, fetches
    headers and bodies in batches, checks every seal and root, and ends on the same head; eth_syncing is false
    once it is there. (A peer that lies is dropped: test_devp2p_peer.py.)"""
    leader_p2p_port = free_port()
    node_key = tmp_path / "leader.nodekey"
    node_key.write_text(NODE_KEYS[0])
    leader = NodeProcess(tmp_path, arguments=["--dev", "--p2p-port", str(leader_p2p_port),
                                              "--nodekey", str(node_key)]).start()
    follower = None
    try:
        w3 = Web3(Web3.HTTPProvider(leader.url))
        account = Account.from_key(SIGNER_KEYS[1])
        signed = account.sign_transaction({"to": "0x0000000000000000000000000000000000000042", "value": 7, "gas": 21000,
                                           "gasPrice": 2 * 10**9, "nonce": 0, "chainId": 31337})
        w3.eth.send_raw_transaction(signed.raw_transaction)
        w3.provider.make_request("anvil_mine", [300])
        head = w3.eth.get_block("latest")
        assert head.number == 301
        # The leader's block 0 carries the time it started (node --dev): the follower builds the
        # same block 0 from the same file with that timestamp.
        genesis_time = str(w3.eth.get_block(0).timestamp)
        follower = NodeProcess(tmp_path, arguments=["--genesis", str(ROOT / "Genesis" / "dev.json"),
                                                    "--timestamp", genesis_time,
                                                    "--bootnodes", enode(NODE_KEYS[0], leader_p2p_port)]).start()
        f3 = Web3(Web3.HTTPProvider(follower.url))
        f3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
        wait_for(lambda: f3.eth.block_number == 301, 60, "the follower did not catch up")
        assert f3.eth.get_block(301).hash == head.hash
        assert f3.eth.get_block(301).stateRoot == head.stateRoot
        assert f3.eth.get_balance("0x0000000000000000000000000000000000000042") == 7
        assert f3.eth.syncing is False
        assert f3.net.peer_count == 1
    finally:
        leader.stop()
        if follower:
            follower.stop()


def test_three_nodes_given_one_bootnode_find_each_other(tmp_path):
    """Discovery v4: nodes 1 and 2 are each given only node 0's enode URL; node 0 is given none. Over UDP they bond
    with node 0, look themselves up, learn of each other from node 0's Neighbours, and connect over RLPx: every node
    ends with two peers, and admin_peers on node 1 names node 2's id."""
    genesis = ROOT / "Genesis" / "testnet-3.json"
    p2p_ports = [free_port() for _ in range(3)]
    nodes = []
    try:
        for index in range(3):
            node_key_path = tmp_path / f"nodekey{index}"
            node_key_path.write_text(NODE_KEYS[index])
            arguments = ["--genesis", str(genesis), "--nodekey", str(node_key_path), "--p2p-port", str(p2p_ports[index])]
            if index > 0:
                arguments += ["--bootnodes", enode(NODE_KEYS[0], p2p_ports[0])]
            nodes.append(NodeProcess(tmp_path, datadir=tmp_path / f"node{index}", arguments=arguments).start())
        clients = [Web3(Web3.HTTPProvider(node.url)) for node in nodes]
        # Usually seconds; 75 s leaves room for a dial that failed under load to be retried (discovery
        # reports a node again 35 s after it reported it, checked at the 30 s table refreshes).
        wait_for(lambda: [w3.net.peer_count for w3 in clients] == [2, 2, 2], 75,
                 "the three nodes did not all connect to each other through discovery")
        peers = clients[1].provider.make_request("admin_peers", [])["result"]
        node2_id = enode(NODE_KEYS[2], p2p_ports[2]).split("//")[1].split("@")[0]
        assert any(peer["enode"].startswith(f"enode://{node2_id}@") for peer in peers), peers
    finally:
        for node in nodes:
            node.stop()
