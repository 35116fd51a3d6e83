"""`goldengrain gas-report` (issue 12 §5): a known set of transactions on a dev node, then the report's
figures checked exactly against the receipts' gasUsed, summarised here in Python the way forge does
(crates/forge/src/gas_report.rs, crates/common/src/calc.rs): min, max, mean = ⌊Σ/n⌋, median = the
middle sample, or ⌊(a + b)/2⌋ of the two middle ones for an even count.

Contracts: the Marketplace artifact (matched by code: its creation by init code, its calls by the
runtime code — also the copy predeployed at 0x…2000) and a small Vyper counter compiled here whose
plain ABI array is given without code (matched by selector; `add` is overloaded through a default
argument, so its rows carry signatures).
"""
import json
import subprocess

import pytest
import vyper
from eth_utils import keccak
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess
from marketplace_support import (ARTIFACT_PATH, CHAIN_ID, INFERENCE_EVAL, SIMULATED_MRENCLAVE, Enclave, artifact,
                                 cli_registration_quote)

COUNTER_SOURCE = """# pragma version 0.4.3
# pragma evm-version cancun
count: public(uint256)

@external
def set(amount: uint256):
    self.count = amount

@external
def increment():
    self.count += 1

@external
def add(a: uint256, b: uint256 = 1):
    self.count += a * b
"""
MARKETPLACE_NAME = "Contracts/Marketplace.vy:Marketplace"
PREDEPLOYED = "0x0000000000000000000000000000000000002000"


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) // 2


def summary(samples):
    return {"calls": len(samples), "min": min(samples), "mean": sum(samples) // len(samples),
            "median": median(samples), "max": max(samples)}


class Recorder:
    """Sends transactions and remembers, per contract and signature, the receipts' gasUsed."""

    def __init__(self, w3):
        self.w3 = w3
        self.calls = []        # (block, contract name, signature, gasUsed)
        self.deployments = []  # (block, contract name, gasUsed, input length)

    def call(self, name, signature, function, sender, gas=None):
        parameters = {"from": sender}
        if gas is not None:
            parameters["gas"] = gas
        receipt = self.w3.eth.wait_for_transaction_receipt(function.transact(parameters))
        self.calls.append((receipt.blockNumber, name, signature, receipt.gasUsed))
        return receipt

    def deploy(self, name, contract, arguments, sender):
        transaction_hash = contract.constructor(*arguments).transact({"from": sender})
        receipt = self.w3.eth.wait_for_transaction_receipt(transaction_hash)
        assert receipt.status == 1
        size = len(self.w3.eth.get_transaction(transaction_hash).input)
        if name is not None:
            self.deployments.append((receipt.blockNumber, name, receipt.gasUsed, size))
        return self.w3.eth.contract(address=receipt.contractAddress, abi=contract.abi), receipt

    def expected(self, first=0, last=None):
        """forge's JSON for the blocks first…last."""
        last = last if last is not None else 10**9
        report = {}
        for block, name, signature, gas in self.calls:
            if first <= block <= last:
                report.setdefault(name, {"gas": 0, "size": 0, "functions": {}})["functions"].setdefault(signature, []).append(gas)
        for block, name, gas, size in self.deployments:
            if first <= block <= last and name in report:
                report[name]["gas"], report[name]["size"] = gas, size
        return [{"contract": name, "deployment": {"gas": entry["gas"], "size": entry["size"]},
                 "functions": {signature: summary(samples) for signature, samples in sorted(entry["functions"].items())}}
                for name, entry in sorted(report.items())]


@pytest.fixture
def chain(tmp_path):
    process = NodeProcess(tmp_path, arguments=["--dev", "--no-enclave"]).start()
    yield process
    process.stop()


def gas_report(url, *arguments):
    result = subprocess.run([str(BINARY), "gas-report", "--rpc", url, *arguments], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def test_gas_report_matches_receipts(chain, tmp_path):
    w3 = Web3(HTTPProvider(chain.url))
    accounts = w3.eth.accounts
    owner, provider, stranger = accounts[0], accounts[1], accounts[2]
    recorder = Recorder(w3)

    compiled = vyper.compile_code(COUNTER_SOURCE, output_formats=["abi", "bytecode"])
    abi_file = tmp_path / "Counter.json"
    abi_file.write_text(json.dumps(compiled["abi"]))  # a plain ABI array: no code to match by
    counter, _ = recorder.deploy(None, w3.eth.contract(abi=compiled["abi"], bytecode=compiled["bytecode"]), [], owner)
    add_one = counter.get_function_by_signature("add(uint256)")
    add_two = counter.get_function_by_signature("add(uint256,uint256)")
    first_counter_call = w3.eth.block_number + 1
    for value in (5, 7, 0, 9):  # zero → non-zero, non-zero → non-zero, → zero, zero → non-zero: four different costs
        recorder.call("Counter", "set(uint256)", counter.functions.set(value), stranger)
    for _ in range(3):
        recorder.call("Counter", "increment()", counter.functions.increment(), stranger)
    recorder.call("Counter", "add(uint256)", add_one(2), stranger)
    recorder.call("Counter", "add(uint256,uint256)", add_two(2, 3), stranger)
    recorder.call("Counter", "add(uint256,uint256)", add_two(4, 0), stranger)
    last_counter_call = w3.eth.block_number

    market_contract = w3.eth.contract(abi=artifact()["abi"], bytecode=artifact()["bytecode"])
    market, _ = recorder.deploy(MARKETPLACE_NAME, market_contract, [owner, [SIMULATED_MRENCLAVE], INFERENCE_EVAL, 3600], owner)
    for measurement, trusted in ((b"\x01" * 32, True), (b"\x02" * 32, True), (b"\x01" * 32, False)):
        recorder.call(MARKETPLACE_NAME, "setMeasurementTrusted(bytes32,bool)",
                      market.functions.setMeasurementTrusted(measurement, trusted), owner)
    enclave = Enclave("gas-report test enclave")
    quote = cli_registration_quote(enclave.private_key, CHAIN_ID, market.address)
    recorder.call(MARKETPLACE_NAME, "registerEnclave(bytes,bytes)", market.functions.registerEnclave(quote, enclave.public_key), owner)
    deadline = w3.eth.get_block("latest").timestamp + 3600
    for uri in ("file:///a.gge", "https://store.example/" + "b" * 120 + ".gge"):
        function = market.functions.createTask(enclave.address, keccak(uri.encode()), uri, b"\x07" * 125, 8000, 10**18,
                                               deadline, enclave.public_key)
        receipt = w3.eth.wait_for_transaction_receipt(function.transact({"from": provider, "value": 10**18}))
        recorder.calls.append((receipt.blockNumber, MARKETPLACE_NAME,
                               "createTask(address,bytes32,string,bytes,uint16,uint256,uint256,bytes)", receipt.gasUsed))
    # A reverted call counts, as forge counts reverted calls.
    receipt = recorder.call(MARKETPLACE_NAME, "withdraw()", market.functions.withdraw(), stranger, gas=100_000)
    assert receipt.status == 0
    # The copy predeployed by the dev genesis has the same runtime code: the same contract.
    predeployed = w3.eth.contract(address=PREDEPLOYED, abi=artifact()["abi"])
    recorder.call(MARKETPLACE_NAME, "setMeasurementTrusted(bytes32,bool)",
                  predeployed.functions.setMeasurementTrusted(b"\x03" * 32, True), owner)
    # A plain transfer and a call with an unknown selector belong to no function.
    w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": owner, "to": stranger, "value": 1}))
    w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": owner, "to": counter.address, "data": "0xdeadbeef",
                                                                 "gas": 100_000}))

    abi_arguments = ["--abi", str(ARTIFACT_PATH), str(abi_file)]
    report = json.loads(gas_report(chain.url, *abi_arguments, "--json").stdout)
    expected = recorder.expected()
    assert report == expected
    # Spot checks of the expectation itself: the figures are the receipts', the shapes forge's.
    assert [entry["contract"] for entry in report] == [MARKETPLACE_NAME, "Counter"]
    assert report[1]["deployment"] == {"gas": 0, "size": 0}  # a plain ABI has no code to recognise its creation
    assert report[0]["deployment"]["size"] == len(bytes.fromhex(artifact()["bytecode"][2:])) + 4 * 32 + 2 * 32
    assert report[0]["functions"]["setMeasurementTrusted(bytes32,bool)"]["calls"] == 4
    assert report[1]["functions"]["set(uint256)"]["calls"] == 4

    # The tables: forge's header rows, then one row per function with the same figures.
    tables = gas_report(chain.url, *abi_arguments)
    assert "blocks 0–" in tables.stderr and "3 not attributed" in tables.stderr
    lines = tables.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("| Counter Contract ")))
    assert [cell.strip() for cell in lines[start].split("|")[1:-1]] == ["Counter Contract", "", "", "", "", ""]
    assert set(lines[start + 1]) == {"|", "-"}
    assert [cell.strip() for cell in lines[start + 2].split("|")[1:-1]] == ["Deployment Cost", "Deployment Size", "", "", "", ""]
    assert [cell.strip() for cell in lines[start + 3].split("|")[1:-1]] == ["0", "0", "", "", "", ""]
    assert [cell.strip() for cell in lines[start + 5].split("|")[1:-1]] == ["Function Name", "Min", "Avg", "Median", "Max", "# Calls"]
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines[start + 6:start + 10]]
    counter_functions = expected[1]["functions"]
    expected_rows = [[label] + [str(counter_functions[signature][key]) for key in ("min", "mean", "median", "max", "calls")]
                     for label, signature in (("add(uint256)", "add(uint256)"),
                                              ("add(uint256,uint256)", "add(uint256,uint256)"),
                                              ("increment", "increment()"), ("set", "set(uint256)"))]
    assert rows == expected_rows
    assert all(len(line) == len(lines[start]) for line in lines[start:start + 10])
    assert lines[0].startswith(f"| {MARKETPLACE_NAME} Contract ")

    # A block range: only its transactions; the Marketplace's creation is outside it, its later
    # calls still named by their target's code.
    ranged = json.loads(gas_report(chain.url, *abi_arguments, "--from", str(first_counter_call + 2),
                                   "--to", str(last_counter_call + 3), "--json").stdout)
    assert ranged == recorder.expected(first_counter_call + 2, last_counter_call + 3)
    assert [entry["contract"] for entry in ranged] == [MARKETPLACE_NAME, "Counter"]
    assert ranged[0]["deployment"]["gas"] > 0
    after_deployment = json.loads(gas_report(chain.url, *abi_arguments, "--from", str(last_counter_call + 2), "--json").stdout)
    assert after_deployment == recorder.expected(last_counter_call + 2)
    assert [entry["contract"] for entry in after_deployment] == [MARKETPLACE_NAME]
    assert after_deployment[0]["deployment"] == {"gas": 0, "size": 0}


def test_gas_report_errors_name_the_value(chain, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "an abi"}')
    result = subprocess.run([str(BINARY), "gas-report", "--rpc", chain.url, "--abi", str(bad)], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 1 and result.stderr.strip() == f'gas-report: --abi {bad}: invalid JSON ABI: the object has no "abi" array'
    result = subprocess.run([str(BINARY), "gas-report", "--rpc", chain.url, "--abi", str(ARTIFACT_PATH), "--to", "99"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and result.stderr.strip() == "gas-report: --to 99: the node's head is block 0; expected at most 0"
    result = subprocess.run([str(BINARY), "gas-report", "--rpc", chain.url], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "give at least one --abi FILE" in result.stderr
