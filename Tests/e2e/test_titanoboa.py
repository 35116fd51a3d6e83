"""titanoboa, the Vyper authors' test tool, in network mode against `goldengrain node --dev`, unchanged:
it compiles Contracts/Marketplace.vy itself (snekmate imported from the venv), deploys it by
transaction, calls views, registers an enclave, creates a task, submits a model and sells it, and
checks a revert reason with `boa.reverts`.

In network mode boa first runs every transaction in its local py-evm fork of the node's state and
only then sends it. py-evm knows nothing of GoldenGrain's precompiles, so the one call that needs
one (registerEnclave → ATTESTATION_VERIFY at 0x…1000) gets a boa precompile that forwards the
input to the node's precompile with eth_call: the way a Vyper author would teach boa a chain's
extra precompiles, in a few lines and without touching boa.

boa 0.2.8 keeps a disk cache of the RPC answers its fork reads (~/.cache/titanoboa/fork), keyed by
chain id and block number only, so a restarted dev chain (anvil's or ours, both 31337) would be
answered from an earlier chain's cache: "local fork did not match node!" and stale reads
(vyperlang/titanoboa#441, fixed upstream after 0.2.8 by scoping the cache per loopback RPC). The
`isolated_boa_cache` fixture gives boa a fresh cache directory, and the test turns that warning
into an error so a stale read cannot pass unnoticed.
"""
import pytest
from eth_account.messages import encode_typed_data
from eth_keys import keys
from eth_utils import keccak
from web3 import HTTPProvider, Web3

import boa
from boa.vm.fork import CachingRPC
from boa.vm.py_evm import deregister_raw_precompile, register_raw_precompile
from marketplace_support import (
    CHAIN_ID, INFERENCE_EVAL, RESULT_WINDOW, SIMULATED_MRENCLAVE, SOURCE_PATH, Enclave, artifact, registration_quote,
    sign_result, typed_result,
)

ATTESTATION_VERIFY = "0x0000000000000000000000000000000000001000"
ENCLAVE = Enclave("GoldenGrain titanoboa enclave")
BUYER_PUBLIC_KEY = keys.PrivateKey(keccak(text="GoldenGrain titanoboa buyer")).public_key.to_bytes()
SEALED = bytes(range(125))
KEY_FOR_BUYER = bytes(range(9, 134))


def forward_to_node(w3, address):
    """A boa raw precompile that answers with the node's own precompile (eth_call) and charges the
    documented ATTESTATION_VERIFY gas (docs/gas.md: 66,000 + 2 per input byte)."""
    def precompile(computation):
        data = computation.msg.data_as_bytes
        computation.consume_gas(66_000 + 2 * len(data), reason="ATTESTATION_VERIFY (forwarded to the node)")
        computation.output = bytes(w3.eth.call({"to": address, "data": Web3.to_hex(data)}))
        return computation
    return precompile


@pytest.fixture
def isolated_boa_cache(tmp_path, monkeypatch):
    """boa's fork cache path is "~/.cache/titanoboa/fork/", expanded when a fork is made: a
    temporary HOME gives this test its own cache; boa's in-process cache of CachingRPCs is emptied
    too (it is keyed by URL, and a later node may reuse a port)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(CachingRPC, "_loaded", {})


# boa warns that the node has no debug_traceTransaction: it probes with a zero transaction hash and
# takes the node's (geth-style) "transaction … not found" error for a missing method. Tracing works
# (the other e2e tests use it); boa only skips its optional trace cross-check.
@pytest.mark.filterwarnings("ignore:debug_traceTransaction not available")
@pytest.mark.filterwarnings("error:local fork did not match node")
def test_titanoboa_network_mode(node, accounts, isolated_boa_cache):
    w3 = Web3(HTTPProvider(node.url))
    owner, developer = accounts[0], accounts[2]
    deployer = boa.load_partial(str(SOURCE_PATH))
    with boa.set_network_env(node.url):
        boa.env.add_account(owner, force_eoa=True)
        boa.env.add_account(developer)
        market = deployer.deploy(owner.address, [SIMULATED_MRENCLAVE], INFERENCE_EVAL, RESULT_WINDOW)

        # boa's compile of the source is the committed artifact's runtime code (immutables follow it).
        runtime = bytes.fromhex(artifact()["deployedBytecode"][2:])
        assert bytes(w3.eth.get_code(market.address))[:len(runtime)] == runtime

        assert market.owner() == owner.address
        assert market.evaluator() == Web3.to_checksum_address(INFERENCE_EVAL)
        assert market.resultWindow() == RESULT_WINDOW
        assert market.isMeasurementTrusted(SIMULATED_MRENCLAVE) is True
        domain = encode_typed_data(full_message=typed_result(CHAIN_ID, market.address, 1, 1, bytes(32), bytes(32), 0,
                                                             bytes(32), b""))
        assert market.domainSeparator() == domain.header

        register_raw_precompile(ATTESTATION_VERIFY, forward_to_node(w3, ATTESTATION_VERIFY), force=True)
        try:
            quote = registration_quote(ENCLAVE, CHAIN_ID, market.address)
            assert market.registerEnclave(quote, ENCLAVE.public_key) == ENCLAVE.address
        finally:
            deregister_raw_precompile(ATTESTATION_VERIFY)
        assert market.isEnclave(ENCLAVE.address) is True

        dataset_hash, model_hash = keccak(b"boa dataset"), keccak(b"boa model")
        deadline = w3.eth.get_block("latest").timestamp + 1000
        with boa.reverts("budget must be positive"):
            market.createTask(ENCLAVE.address, dataset_hash, "ipfs://boa", SEALED, 5000, 10**17, deadline,
                              BUYER_PUBLIC_KEY, value=0)
        task_id = market.createTask(ENCLAVE.address, dataset_hash, "ipfs://boa", SEALED, 5000, 10**17, deadline,
                                    BUYER_PUBLIC_KEY, value=10**18)
        assert task_id == 1
        assert market.taskInfo(1) == (owner.address, ENCLAVE.address, dataset_hash, 5000, 10**17, deadline, 10**18, 0)
        assert market.taskData(1) == ("ipfs://boa", SEALED, BUYER_PUBLIC_KEY)

        model_id = market.submitModel(1, model_hash, "ipfs://boa-model", SEALED, sender=developer.address)
        assert model_id == 1
        signature = sign_result(ENCLAVE, marketplace=market.address, task_id=1, model_id=1, model_hash=model_hash,
                                dataset_hash=dataset_hash, accuracy=9000, logits_hash=keccak(b"l"),
                                key_for_buyer=KEY_FOR_BUYER)
        market.submitResult(1, 9000, keccak(b"l"), KEY_FOR_BUYER, signature)
        price = 10**17 * 4000 // 5000  # ⌊max × (9000 − 5000) / (10000 − 5000)⌋ = 8 × 10**16
        assert market.modelInfo(1) == (1, developer.address, model_hash, 2, 9000)
        assert market.credit(developer.address) == price
        assert market.budgetLeft(1) == 10**18 - price

    # The same state, read by web3.py straight from the node: boa's transactions are on chain.
    contract = w3.eth.contract(address=market.address, abi=artifact()["abi"])
    assert contract.functions.modelStatus(1).call() == 2
    assert w3.eth.get_balance(market.address) == 10**18
