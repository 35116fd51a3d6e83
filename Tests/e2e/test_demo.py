"""`goldengrain demo --json`: its JSON document checked for internal consistency (issue 12, "Tests").

The demo runs twice: with its own in-process dev node, and with --rpc against a `goldengrain node
--dev` this module starts (there also with --batch-samples and --report, and every transaction and
event cross-checked against the node with web3.py and eth-abi). The expected prices are computed
here from the accuracies and the task's terms with the rule of docs/protocol.md, not read back
from the demo.
"""
import json
import pathlib
import subprocess

import pytest
from eth_abi import decode
from eth_utils import keccak
from web3 import HTTPProvider, Web3

from conftest import BINARY, ROOT, NodeProcess

MODES = ["tee", "onchain", "plain"]
SMALL_BLOCK_GAS_LIMIT = 20_000_000
ARTIFACT = json.loads((ROOT / "Contracts" / "build" / "Marketplace.json").read_text())
SUBMIT_RESULT = "submitResult(uint256,uint16,bytes32,bytes,bytes)"


def run_demo(*arguments):
    completed = subprocess.run([str(BINARY), "demo", "--json", *arguments], cwd=ROOT, capture_output=True, timeout=300)
    assert completed.returncode == 0, completed.stderr.decode()[-4000:]
    return json.loads(completed.stdout)  # standard output holds the document and nothing else


@pytest.fixture(scope="module")
def separate_node(tmp_path_factory):
    process = NodeProcess(tmp_path_factory.mktemp("demo-node")).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-report")


@pytest.fixture(scope="module")
def in_process_demo():
    return run_demo()


@pytest.fixture(scope="module")
def rpc_demo(separate_node, report_dir):
    return run_demo("--rpc", separate_node.url, "--batch-samples", "120", "--report", str(report_dir))


@pytest.fixture(scope="module")
def small_block_demo(tmp_path_factory):
    """A dev chain whose blocks hold 20 M gas: PlainEvaluator on the 64-hidden model (≈ 23.7 M) no
    longer fits one, so the demo must say so and measure it in batches that do."""
    directory = tmp_path_factory.mktemp("small-block-node")
    genesis = json.loads((ROOT / "Genesis" / "dev.json").read_text())
    genesis["gasLimit"] = hex(SMALL_BLOCK_GAS_LIMIT)
    (directory / "genesis.json").write_text(json.dumps(genesis))
    process = NodeProcess(directory, arguments=["--dev", "--genesis", str(directory / "genesis.json")]).start()
    try:
        yield run_demo("--rpc", process.url)
    finally:
        process.stop()


@pytest.fixture(params=["in_process_demo", "rpc_demo", "small_block_demo"])
def demo(request):
    return request.getfixturevalue(request.param)


def expected_price(task, accuracy):
    minimum, max_price = task["minAccuracyBps"], int(task["maxPricePerModel"])
    if accuracy < minimum:
        return 0
    if minimum == 10_000:
        return max_price
    return max_price * (accuracy - minimum) // (10_000 - minimum)


def steps(document, mode, name, model=None):
    return [step for step in document["steps"] if step["mode"] == mode and step["name"] == name
            and (model is None or step["model"] == model)]


def test_every_step_present(demo):
    names = [model["name"] for model in demo["models"]]
    assert len(names) == 3
    for model in names:
        assert len(steps(demo, "setup", "train", model)) == 1
        for mode in MODES:
            assert len(steps(demo, mode, "submitModel", model)) == 1, (mode, model)
        assert len(steps(demo, "tee", "submitResult", model)) == 1
        assert len(steps(demo, "onchain", "evaluateOnChain", model)) == 1
        plain = steps(demo, "plain", "evaluateOnChain", model) + steps(demo, "plain", "evaluator batch", model)
        assert plain, model
    for mode in MODES:
        assert len(steps(demo, mode, "createTask")) == 1
        assert len(steps(demo, mode, "refund")) == 1
    assert len(steps(demo, "tee", "registerEnclave")) == 1
    assert len(steps(demo, "plain", "registerEnclave")) == 1
    assert len(steps(demo, "plain", "deploy PlainEvaluator")) == 1
    assert len(steps(demo, "plain", "deploy Marketplace")) == 1
    assert len(steps(demo, "tee", "fetch and re-score")) == 1
    for step in demo["steps"]:
        assert step["wallSeconds"] >= 0
        if step["transaction"] is not None:
            # 21,000 intrinsic gas plus at least 4 per call data byte
            assert step["gasUsed"] >= 21_000 + 4 * step["calldataBytes"], step
            assert step["calldataBytes"] >= 4, step
            assert step["block"] >= 1


def test_accuracies_agree_across_modes(demo):
    for model in demo["models"]:
        local = model["local"]
        assert local["accuracyBps"] == local["correct"] * 10_000 // local["total"]
        assert local["total"] == demo["task"]["testSamples"] == 360
        for mode in MODES:
            assert model["modes"][mode]["accuracyBps"] == local["accuracyBps"], (model["name"], mode)
        # the enclave's signed logitsHash (TEE) and INFERENCE_EVAL's (on chain) are the local kernel's
        assert model["modes"]["tee"]["logitsHash"] == model["modes"]["onchain"]["logitsHash"] == local["logitsHash"]
    accuracies = sorted(model["local"]["accuracyBps"] for model in demo["models"])
    assert accuracies[0] < demo["task"]["minAccuracyBps"] <= accuracies[1]  # one below the minimum, two above
    assert accuracies[2] - accuracies[1] >= 200 and accuracies[1] - accuracies[0] >= 1000


def test_plain_evaluator_equals_precompile(demo):
    assert len(demo["plainEvaluator"]) == 3
    by_name = {model["name"]: model for model in demo["models"]}
    for evaluation in demo["plainEvaluator"]:
        local = by_name[evaluation["model"]]["local"]
        full = bytes.fromhex(evaluation["precompileFullOutput"][2:])
        assert decode(["uint256", "uint256", "bytes32"], full) == (local["correct"], local["total"],
                                                                     bytes.fromhex(local["logitsHash"][2:]))
        if evaluation["fitsOneBlock"]:
            assert evaluation["fullOutput"] == evaluation["precompileFullOutput"]
            assert evaluation["blocksNeeded"] == 1
        else:
            assert evaluation["batches"], "a test set that does not fit a block is measured in batches"
        covered = 0
        correct = 0
        for batch in evaluation["batches"]:
            assert batch["firstSample"] == covered
            assert batch["plainOutput"] == batch["precompileOutput"]
            batch_correct, batch_total, _ = decode(["uint256", "uint256", "bytes32"], bytes.fromhex(batch["plainOutput"][2:]))
            assert batch_total == batch["sampleCount"]
            covered += batch["sampleCount"]
            correct += batch_correct
        if evaluation["batches"]:
            assert covered == local["total"] and correct == local["correct"]
            assert evaluation["batchGas"] == sum(batch["gasUsed"] for batch in evaluation["batches"])
            assert evaluation["batchBlocksNeeded"] >= -(-evaluation["batchGas"] // demo["blockGasLimit"])
        assert evaluation["outputsEqual"] is True


def test_prices_follow_the_rule(demo):
    task = demo["task"]
    for mode in MODES:
        budget_left = int(task["budget"])
        for model in demo["models"]:  # submitted and scored in this order
            score = model["modes"][mode]
            price = expected_price(task, score["accuracyBps"])
            if score["status"] == "submitted":
                # only a plain-EVM model whose whole test set does not fit a block stays unsettled
                evaluation = next(e for e in demo["plainEvaluator"] if e["model"] == model["name"])
                assert mode == "plain" and not evaluation["fitsOneBlock"] and int(score["price"]) == 0
                continue
            if price > 0 and price <= budget_left:
                assert score["status"] == "sold", (mode, model["name"])
                assert int(score["price"]) == price
                budget_left -= price
            else:
                assert score["status"] == "scored", (mode, model["name"])
                assert int(score["price"]) == 0
    # the walkthrough's numbers: 97.22 % → 0.722 ETH, 93.05 % → 0.305 ETH with min 90 % and 1 ETH
    assert task["minAccuracyBps"] == 9000 and int(task["maxPricePerModel"]) == 10**18


def test_unsold_model_keeps_its_key(demo):
    unsold = [model for model in demo["models"] if model["local"]["accuracyBps"] < demo["task"]["minAccuracyBps"]]
    assert len(unsold) == 1
    for mode in MODES:
        score = unsold[0]["modes"][mode]
        assert score["keyReleased"] is False and score["price"] == "0"
    assert unsold[0]["modes"]["tee"]["status"] == "scored"
    for model in demo["models"]:
        if model is not unsold[0]:
            assert model["modes"]["tee"]["keyReleased"] is True  # sold: keyForBuyer released with the payment
            assert model["modes"]["onchain"]["keyReleased"] is False  # on chain the model is public, no key


def test_mode_costs_ordered(demo):
    modes = demo["summary"]["modes"]
    for index in range(3):
        tee, onchain, plain = (modes[mode]["scoringGas"][index] for mode in MODES)
        assert tee < onchain < plain, (index, tee, onchain, plain)
    assert modes["tee"]["meanScoringGas"] < modes["onchain"]["meanScoringGas"] < modes["plain"]["meanScoringGas"]
    assert modes["tee"]["gasPerModelSold"] < modes["onchain"]["gasPerModelSold"] < modes["plain"]["gasPerModelSold"]


def test_summary_follows_its_definition(demo):
    modes = demo["summary"]["modes"]
    register = steps(demo, "tee", "registerEnclave")[0]["gasUsed"]
    assert modes["tee"]["attestationGas"] == register
    assert modes["onchain"]["attestationGas"] == modes["plain"]["attestationGas"] == 0
    for index, model in enumerate(demo["models"]):
        name = model["name"]
        assert modes["tee"]["scoringGas"][index] == steps(demo, "tee", "submitResult", name)[0]["gasUsed"]
        assert modes["onchain"]["scoringGas"][index] == steps(demo, "onchain", "evaluateOnChain", name)[0]["gasUsed"]
        plain = steps(demo, "plain", "evaluateOnChain", name)
        expected = plain[0]["gasUsed"] if plain else sum(step["gasUsed"] for step in steps(demo, "plain", "evaluator batch", name))
        assert modes["plain"]["scoringGas"][index] == expected
    for mode in MODES:
        summary = modes[mode]
        sold = sum(1 for model in demo["models"] if model["modes"][mode]["status"] == "sold")
        if not summary["modelsSoldProjected"]:
            assert summary["modelsSold"] == sold
        assert summary["gasPerModelSold"] == (summary["attestationGas"] + sum(summary["scoringGas"])) // summary["modelsSold"]
        assert summary["ratioToTee"] == pytest.approx(summary["gasPerModelSold"] / modes["tee"]["gasPerModelSold"], rel=1e-5)


def test_money_accounts_to_the_wei(demo):
    task = demo["task"]
    for account in demo["tasks"]:
        sold = [int(model["modes"][account["mode"]]["price"]) for model in demo["models"]
                if model["modes"][account["mode"]]["status"] == "sold"]
        assert int(account["paid"]) == sum(sold)
        assert int(account["budget"]) == int(task["budget"]) == int(account["paid"]) + int(account["refunded"])
        assert account["budgetLeftAfter"] == "0"
    for mode in MODES:
        for model in demo["models"]:
            withdrawn = [int(w["amount"]) for w in demo["withdrawals"] if w["mode"] == mode and w["account"] == model["developer"]]
            assert sum(withdrawn) == int(model["modes"][mode]["price"]), (mode, model["name"])
    for balance in demo["balances"]:
        fees = sum(int(step["fee"]) for step in demo["steps"] if step["from"] == balance["address"] and step["fee"])
        assert int(balance["fees"]) == fees
        assert int(balance["after"]) - int(balance["before"]) == int(balance["received"]) - int(balance["sent"]) - fees, balance
    provider = demo["balances"][0]
    assert int(provider["sent"]) == 3 * int(task["budget"])
    assert int(provider["received"]) == sum(int(account["refunded"]) for account in demo["tasks"])
    assert demo["marketplaceBalance"]["before"] == demo["marketplaceBalance"]["after"]
    assert demo["plainMarketplaceBalanceAfter"] == "0"


def test_buyer_rescores_the_signed_result(demo):
    buyer = demo["buyer"]
    assert buyer["hashMatches"] is True
    assert buyer["signer"] == demo["accounts"]["enclave"]
    assert buyer["rescored"]["accuracyBps"] == buyer["signedAccuracyBps"]
    assert buyer["rescored"]["logitsHash"] == buyer["signedLogitsHash"]
    model = next(model for model in demo["models"] if model["name"] == buyer["model"])
    assert model["modes"]["tee"]["status"] == "sold" and model["modes"]["tee"]["modelId"] == buyer["modelId"]


def test_attestation_figures_are_quoted_not_measured(demo):
    quoted = demo["attestationWithoutPrecompile"]
    assert quoted["measuredHere"] is False
    assert "automata-network/automata-dcap-attestation" in quoted["source"]
    assert (quoted["figures"][0]["gasLow"], quoted["figures"][0]["gasHigh"]) == (4_000_000, 5_000_000)
    assert {figure["gasLow"] for figure in quoted["figures"][1:]} == {351_000, 325_000, 410_000}


def test_a_test_set_too_big_for_a_block_is_measured_in_batches(small_block_demo):
    demo = small_block_demo
    assert demo["blockGasLimit"] == SMALL_BLOCK_GAS_LIMIT
    by_name = {evaluation["model"]: evaluation for evaluation in demo["plainEvaluator"]}
    good = by_name["good"]  # 64 hidden: ≈ 23.7 M gas for the whole split
    assert good["fitsOneBlock"] is False and good["failure"]
    assert good["fullOutput"] is None
    assert len(good["batches"]) >= 2
    assert all(batch["gasUsed"] <= SMALL_BLOCK_GAS_LIMIT for batch in good["batches"])
    assert good["blocksNeeded"] >= 2 and good["blocksNeeded"] >= -(-good["batchGas"] // SMALL_BLOCK_GAS_LIMIT)
    model = next(model for model in demo["models"] if model["name"] == "good")
    assert model["modes"]["plain"]["status"] == "submitted"  # the chain could not score it
    assert model["modes"]["plain"]["scoringGas"] == good["batchGas"]
    assert not steps(demo, "plain", "evaluateOnChain", "good")
    assert len(steps(demo, "plain", "evaluator batch", "good")) == len(good["batches"])
    for name in ("fair", "poor"):  # the smaller models still fit one block
        assert by_name[name]["fitsOneBlock"] is True and by_name[name]["batches"] == []
    plain = demo["summary"]["modes"]["plain"]
    assert plain["modelsSoldProjected"] is True and plain["modelsSold"] == 2
    task = next(task for task in demo["tasks"] if task["mode"] == "plain")
    fair = next(m for m in demo["models"] if m["name"] == "fair")["modes"]["plain"]
    assert fair["status"] == "sold"
    assert int(task["paid"]) == expected_price(demo["task"], fair["accuracyBps"])  # only the fair model was settled


def test_rpc_run_agrees_with_the_node(rpc_demo, separate_node, report_dir):
    """Against the separately started node: every figure is what the node's receipts and logs say."""
    demo = rpc_demo
    assert demo["rpcURL"] == separate_node.url
    w3 = Web3(HTTPProvider(separate_node.url))
    for step in demo["steps"]:
        if step["transaction"] is None:
            continue
        receipt = w3.eth.get_transaction_receipt(step["transaction"])
        transaction = w3.eth.get_transaction(step["transaction"])
        assert receipt.status == 1
        assert receipt.gasUsed == step["gasUsed"] and receipt.blockNumber == step["block"]
        assert len(transaction.input) == step["calldataBytes"], step["name"]
        assert receipt.gasUsed * receipt.effectiveGasPrice == int(step["fee"])
        assert transaction["from"] == step["from"]
    market = w3.eth.contract(address=demo["contracts"]["marketplace"], abi=ARTIFACT["abi"])
    plain = w3.eth.contract(address=demo["contracts"]["plainMarketplace"], abi=ARTIFACT["abi"])
    selector = keccak(text=SUBMIT_RESULT)[:4]
    for model in demo["models"]:
        tee = model["modes"]["tee"]
        result = w3.eth.get_transaction(steps(demo, "tee", "submitResult", model["name"])[0]["transaction"])
        assert bytes(result.input[:4]) == selector
        model_id, accuracy, logits_hash, key_for_buyer, signature = decode(
            ["uint256", "uint16", "bytes32", "bytes", "bytes"], bytes(result.input[4:]))
        assert (model_id, accuracy, "0x" + logits_hash.hex()) == (tee["modelId"], tee["accuracyBps"], tee["logitsHash"])
        assert len(signature) == 65
        for mode, contract in (("tee", market), ("onchain", market), ("plain", plain)):
            score = model["modes"][mode]
            sold = contract.events.ModelSold().get_logs(from_block=0, argument_filters={"modelId": score["modelId"]})
            sold = [log for log in sold if log.args.taskId == next(t["taskId"] for t in demo["tasks"] if t["mode"] == mode)]
            if score["status"] == "sold":
                assert len(sold) == 1 and sold[0].args.price == int(score["price"])
                assert sold[0].args.developer == model["developer"]
                assert (len(sold[0].args.keyForBuyer) > 0) == (mode == "tee")
            else:
                assert sold == [], f"{mode}: the unsold model {model['name']} must have no ModelSold (its key stays unreleased)"
                assert contract.functions.modelStatus(score["modelId"]).call() == 3
    # --report wrote the document, the Markdown report and both plots
    assert json.loads((report_dir / "demo.json").read_text())["summary"] == demo["summary"]
    text = (report_dir / "report.md").read_text()
    assert "## The three modes (gas)" in text and "gas_per_step.png" in text and "price_vs_accuracy.png" in text
    for plot in ("gas_per_step.png", "price_vs_accuracy.png"):
        assert (report_dir / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # --batch-samples 120: PlainEvaluator measured in three batches per model as well
    for evaluation in demo["plainEvaluator"]:
        assert [batch["sampleCount"] for batch in evaluation["batches"]] == [120, 120, 120]
