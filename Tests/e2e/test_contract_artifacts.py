"""The committed Marketplace artifact: it equals a fresh compile of its source, and its ABI is exactly
the external interface issue 11 fixes (written out below from the issue's text, not read from the
artifact). Extra entries are allowed only where the issue allows them: additional views."""
import hashlib
import subprocess
import sys

from marketplace_support import ARTIFACT_PATH, ROOT, SOURCE_PATH, artifact

# Issue 11, "The contract": name → (inputs as (name, type), outputs as types, mutability).
FUNCTIONS = {
    "owner": ([], ["address"], "view"),
    "setMeasurementTrusted": ([("mrEnclave", "bytes32"), ("trusted", "bool")], [], "nonpayable"),
    "isMeasurementTrusted": ([("mrEnclave", "bytes32")], ["bool"], "view"),
    "evaluator": ([], ["address"], "view"),
    "resultWindow": ([], ["uint256"], "view"),
    "registerEnclave": ([("quote", "bytes"), ("enclavePublicKey", "bytes")], ["address"], "nonpayable"),
    "isEnclave": ([("enclave", "address")], ["bool"], "view"),
    "enclavePublicKey": ([("enclave", "address")], ["bytes"], "view"),
    "createTask": ([("enclave", "address"), ("datasetHash", "bytes32"), ("datasetURI", "string"),
                    ("sealedDatasetKey", "bytes"), ("minAccuracyBps", "uint16"), ("maxPricePerModel", "uint256"),
                    ("deadline", "uint256"), ("buyerPublicKey", "bytes")], ["uint256"], "payable"),
    "submitModel": ([("taskId", "uint256"), ("modelHash", "bytes32"), ("modelURI", "string"),
                     ("sealedModelKey", "bytes")], ["uint256"], "nonpayable"),
    "submitResult": ([("modelId", "uint256"), ("accuracyBps", "uint16"), ("logitsHash", "bytes32"),
                      ("keyForBuyer", "bytes"), ("signature", "bytes")], [], "nonpayable"),
    "evaluateOnChain": ([("modelId", "uint256"), ("model", "bytes"), ("testSet", "bytes")], [], "nonpayable"),
    "refund": ([("taskId", "uint256")], [], "nonpayable"),
    "withdraw": ([], [], "nonpayable"),
    "budgetLeft": ([("taskId", "uint256")], ["uint256"], "view"),
    "modelStatus": ([("modelId", "uint256")], ["uint8"], "view"),
    "modelAccuracy": ([("modelId", "uint256")], ["uint16"], "view"),
    "credit": ([("account", "address")], ["uint256"], "view"),
    "domainSeparator": ([], ["bytes32"], "view"),
    "taskInfo": ([("taskId", "uint256")],
                 ["address", "address", "bytes32", "uint16", "uint256", "uint256", "uint256", "uint256"], "view"),
    "taskData": ([("taskId", "uint256")], ["string", "bytes", "bytes"], "view"),
    "modelInfo": ([("modelId", "uint256")], ["uint256", "address", "bytes32", "uint8", "uint16"], "view"),
    "modelData": ([("modelId", "uint256")], ["string", "bytes"], "view"),
}

CONSTRUCTOR = [("owner", "address"), ("trustedMeasurements", "bytes32[]"), ("evaluator", "address"),
               ("resultWindow", "uint256")]

# name → [(field, type, indexed)]. "taskId (indexed)" without a type in the issue is the uint256 task id.
EVENTS = {
    "EnclaveRegistered": [("enclave", "address", True), ("mrEnclave", "bytes32", False), ("isvSvn", "uint16", False)],
    "TaskCreated": [("taskId", "uint256", True), ("provider", "address", True), ("enclave", "address", False),
                    ("budget", "uint256", False), ("deadline", "uint256", False)],
    "ModelSubmitted": [("taskId", "uint256", True), ("modelId", "uint256", True), ("developer", "address", True),
                       ("modelHash", "bytes32", False)],
    "ModelSold": [("taskId", "uint256", True), ("modelId", "uint256", True), ("developer", "address", True),
                  ("accuracyBps", "uint16", False), ("price", "uint256", False), ("keyForBuyer", "bytes", False)],
    "ModelScored": [("taskId", "uint256", True), ("modelId", "uint256", True), ("accuracyBps", "uint16", False)],
    "Refunded": [("taskId", "uint256", True), ("amount", "uint256", False)],
    "Withdrawn": [("account", "address", True), ("amount", "uint256", False)],
}


def entries(kind):
    return [entry for entry in artifact()["abi"] if entry["type"] == kind]


def test_artifact_matches_a_fresh_compile():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_contracts.py"), "--check"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"build_contracts.py --check: {result.stdout}{result.stderr}"
    assert "match a fresh compile" in result.stdout


def test_artifact_provenance():
    data = artifact()
    assert data["contractName"] == "Marketplace"
    assert data["source"] == "Contracts/Marketplace.vy"
    assert data["sourceSha256"] == hashlib.sha256(SOURCE_PATH.read_bytes()).hexdigest()
    assert data["compiler"] == "vyper 0.4.3"
    assert data["bytecode"].startswith("0x") and data["deployedBytecode"].startswith("0x")
    assert len(data["deployedBytecode"]) > 2 and ARTIFACT_PATH.exists()


def test_functions_are_exactly_the_issue_interface():
    functions = {}
    for entry in entries("function"):
        assert entry["name"] not in functions, f"{entry['name']} is overloaded; the issue fixes one signature"
        functions[entry["name"]] = entry
    for name, (inputs, outputs, mutability) in FUNCTIONS.items():
        assert name in functions, f"function {name} missing from the ABI"
        entry = functions[name]
        assert [(i["name"], i["type"]) for i in entry["inputs"]] == inputs, f"{name} arguments"
        assert [o["type"] for o in entry["outputs"]] == outputs, f"{name} return types"
        assert entry["stateMutability"] == mutability, f"{name} is {entry['stateMutability']}, expected {mutability}"
    # "Add views if you need them; change nothing listed": anything beyond the issue is a view.
    for name, entry in functions.items():
        if name not in FUNCTIONS:
            assert entry["stateMutability"] in ("view", "pure"), f"extra function {name} is {entry['stateMutability']}"


def test_constructor_is_exactly_the_issue_signature():
    (constructor,) = entries("constructor")
    assert [(i["name"], i["type"]) for i in constructor["inputs"]] == CONSTRUCTOR
    assert constructor["stateMutability"] == "nonpayable"


def test_events_are_exactly_the_issue_events():
    events = {entry["name"]: entry for entry in entries("event")}
    for name, fields in EVENTS.items():
        assert name in events, f"event {name} missing from the ABI"
        entry = events[name]
        assert [(f["name"], f["type"], f["indexed"]) for f in entry["inputs"]] == fields, f"event {name} fields"
        assert entry["anonymous"] is False


def test_abi_has_no_fallback_or_receive():
    # Budgets enter only through createTask; plain transfers to the marketplace would be stranded.
    assert entries("fallback") == [] and entries("receive") == []
