"""A Hypothesis state machine over the marketplace on a real node: random sequences of createTask,
submitModel, submitResult (valid and invalid signatures, random accuracies), evaluateOnChain, time
jumps, refund and withdraw by six accounts.

The machine keeps its own model of issue 11 (budgets, credits, statuses, the price formula, the
time rules, every wei each account paid or received) and predicts each transaction's outcome: a
success, or a revert whose reason must be one of the rules the transaction breaks (the issue does
not fix the order of the checks). After every step: the contract's balance equals the sum of the
budgets left plus the sum of the credits, both as the contract reports them and as the model
expects. At the end of every example: time passes every window, every provider takes its refund,
every developer withdraws; the contract holds 0 wei and each account's balance is exactly its
starting balance − gas + (models sold) − (models bought).

Every transaction's block timestamp is fixed (evm_setNextBlockTimestamp), so the time rules are
predicted to the second. Each example runs from an evm_snapshot of the deployed marketplace and is
reverted afterwards; runs are derandomized (CI-sized, deterministic).
"""
import os
import struct
from collections import defaultdict
from types import SimpleNamespace

import pytest
import requests
from eth_utils import keccak
from eth_keys import keys
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle, RuleBasedStateMachine, initialize, invariant, multiple, rule, run_state_machine_as_test,
)
from web3 import HTTPProvider, Web3
from web3.logs import DISCARD

from conftest import NodeProcess
from marketplace_support import (
    BPS, RESULT_WINDOW, REVERT_GAS, Enclave, selector, decode_reason, deploy_marketplace, gas_cost, high_s, latest_timestamp,
    next_block_at, price, register, revert_data, revert_to, sign_result, snapshot, transact,
)

ENCLAVE = Enclave("GoldenGrain property-test enclave")
IMPOSTOR = Enclave("GoldenGrain property-test impostor")
BUYER_PUBLIC_KEY = keys.PrivateKey(keccak(text="GoldenGrain property-test buyer")).public_key.to_bytes()
SEALED = bytes(range(125))
KEY_FOR_BUYER = bytes(range(1, 126))
LOGITS_HASH = keccak(b"property logits")
EVAL_GAS = 1_000_000
COVERAGE = defaultdict(int)  # outcomes seen across all examples
SESSION = requests.Session()


# Tiny GGM models (docs/formats.md): input size 1, Dense 1→2 (final: multiplier 0, shift 0), Argmax.
def tiny_model(w0, w1, b0, b1) -> bytes:
    dense = bytes([1]) + struct.pack("<II", 2, 1) + struct.pack("<bb", w0, w1) + struct.pack("<ii", b0, b1) \
        + struct.pack("<iB", 0, 0)
    return b"GGM1" + struct.pack("<III", 1, 1, 2) + dense + bytes([3])


MODEL_WEIGHTS = [(1, -1, 0, 0), (-1, 1, 0, 0), (0, 0, 5, 0), (0, 0, 0, 5), (1, 0, 0, 3), (2, -1, -1, 4)]
MODELS = [tiny_model(*weights) for weights in MODEL_WEIGHTS]
FEATURES = [-3, -1, 0, 1, 2, 3, 5, -2]
LABELS = [1, 1, 0, 0, 1, 0, 0, 1]
TEST_SET = b"GGD1" + struct.pack("<II", len(FEATURES), 1) + struct.pack(f"<{len(FEATURES)}b", *FEATURES) + bytes(LABELS)
DATASET_HASH = keccak(TEST_SET)


def tiny_accuracy(weights) -> int:
    """The model's score by hand: logits w·x + b, argmax with ties to the first index, ⌊10000·c/n⌋."""
    w0, w1, b0, b1 = weights
    correct = sum(int((0 if w0 * x + b0 >= w1 * x + b1 else 1) == label) for x, label in zip(FEATURES, LABELS))
    return BPS * correct // len(FEATURES)


ACCURACIES = [tiny_accuracy(weights) for weights in MODEL_WEIGHTS]

MINIMUM = st.sampled_from([0, 2500, 5000, 8750, 10000])
MAX_PRICE = st.sampled_from([1_000_000, 3, 1, 999_999_999_999])
EXTRA = st.sampled_from([0, 1, 999])


@pytest.fixture(scope="module")
def env(tmp_path_factory, accounts):
    process = NodeProcess(tmp_path_factory.mktemp("properties")).start()
    w3 = Web3(HTTPProvider(process.url, request_kwargs={"timeout": 60}))
    market, _ = deploy_marketplace(w3, accounts[0].address)
    register(w3, market, ENCLAVE, accounts[0].address)
    yield SimpleNamespace(w3=w3, url=process.url, market=market, actors=[account.address for account in accounts[1:7]])
    process.stop()


# Ids drawn from those the machine created, or any small id (unknown ones included).
class MarketMachine(RuleBasedStateMachine):
    task_ids = Bundle("task_ids")
    model_ids = Bundle("model_ids")

    def __init__(self, env):
        super().__init__()
        self.w3, self.market, self.actors, self.url = env.w3, env.market, env.actors, env.url
        self.snapshot_id = snapshot(self.w3)
        self.now = latest_timestamp(self.w3)
        self.start_balance = {a: self.w3.eth.get_balance(a) for a in self.actors}
        self.start_market_balance = self.w3.eth.get_balance(self.market.address)
        assert self.start_market_balance == 0
        self.gas = defaultdict(int)
        self.escrowed = defaultdict(int)  # budgets paid in, per provider
        self.received = defaultdict(int)  # refunds and withdrawals paid out, per account
        self.earned = defaultdict(int)  # prices of models sold, per developer
        self.spent = defaultdict(int)  # prices of models bought, per provider
        self.tasks = {}  # id → SimpleNamespace(provider, minimum, max_price, deadline, left, hashes)
        self.models = {}  # id → SimpleNamespace(task, developer, variant, status, accuracy)
        self.credit = defaultdict(int)
        self.counts = COVERAGE
        self.session = SESSION

    # -- sending and predicting ----------------------------------------------------------------

    def send(self, function, sender, violations, value=0, gas=REVERT_GAS):
        """Mines the call one second after the last block; it must succeed if `violations` is empty,
        else revert with one of them."""
        self.now += 1
        next_block_at(self.w3, self.now)
        receipt = transact(self.w3, function, sender, value=value, gas=gas)
        assert receipt.blockNumber and self.w3.eth.get_block(receipt.blockNumber).timestamp == self.now
        self.gas[sender] += gas_cost(receipt)
        reason = decode_reason(revert_data(self.w3, receipt.transactionHash)) if receipt.status == 0 else None
        if violations:
            assert receipt.status == 0, f"{function.fn_name} succeeded; expected one of {sorted(violations)}"
            assert reason in violations, f"{function.fn_name} reverted with {reason!r}; expected {sorted(violations)}"
            self.counts[f"{function.fn_name} rejected"] += 1
        else:
            assert receipt.status == 1, f"{function.fn_name} reverted with {reason!r}; expected success"
            self.counts[f"{function.fn_name} ok"] += 1
        return receipt

    def settle(self, model, accuracy):
        """Rule 4's all-or-nothing sale in the model."""
        task = self.tasks[model.task]
        model.accuracy = accuracy
        amount = price(task.max_price, task.minimum, accuracy)
        if accuracy >= task.minimum and 0 < amount <= task.left:
            task.left -= amount
            self.credit[model.developer] += amount
            self.earned[model.developer] += amount
            self.spent[task.provider] += amount
            model.status = 2
            return amount
        model.status = 3
        return None

    # -- rules ---------------------------------------------------------------------------------

    @initialize(target=model_ids, provider=st.integers(0, 5), budget_prices=st.integers(1, 3), extra=EXTRA,
                minimum=MINIMUM, max_price=MAX_PRICE, duration=st.sampled_from([60, 600, 3000]),
                submissions=st.lists(st.tuples(st.integers(0, 5), st.integers(0, len(MODELS) - 1)), min_size=1,
                                     max_size=3, unique_by=lambda pair: pair[1]))
    def a_task_with_models(self, provider, budget_prices, extra, minimum, max_price, duration, submissions):
        """Every example starts with one open task and a few models, so that the rules have targets."""
        task_id = self.create_task(provider, budget_prices, extra, minimum, max_price, duration)
        return multiple(*[self.submit_model(developer, task_id, variant) for developer, variant in submissions])

    @rule(target=task_ids, actor=st.integers(0, 5), budget_prices=st.integers(0, 3), extra=EXTRA, minimum=MINIMUM,
          max_price=MAX_PRICE, duration=st.sampled_from([600, 60, 3000, 1, 0, -1]))
    def create_task(self, actor, budget_prices, extra, minimum, max_price, duration):
        """budget = a few full prices plus change, so that sales, partial budgets and refusals all occur."""
        provider = self.actors[actor]
        budget = budget_prices * max_price + extra
        deadline = self.now + 1 + duration
        violations = set()
        if budget == 0:
            violations.add("budget must be positive")
        if deadline <= self.now + 1:
            violations.add("deadline must be in the future")
        receipt = self.send(self.market.functions.createTask(ENCLAVE.address, DATASET_HASH, "ipfs://tiny", SEALED,
                                                             minimum, max_price, deadline, BUYER_PUBLIC_KEY),
                            provider, violations, value=budget)
        if receipt.status == 1:
            task_id = len(self.tasks) + 1
            self.tasks[task_id] = SimpleNamespace(provider=provider, minimum=minimum, max_price=max_price,
                                                  deadline=deadline, left=budget, hashes=set())
            self.escrowed[provider] += budget
            return task_id
        return multiple()

    @rule(target=model_ids, actor=st.integers(0, 5), task_id=st.one_of(task_ids, st.integers(0, 6)), variant=st.integers(0, len(MODELS) - 1))
    def submit_model(self, actor, task_id, variant):
        developer = self.actors[actor]
        hash_ = keccak(MODELS[variant])
        task = self.tasks.get(task_id)
        violations = set()
        if task is None:
            violations.add("unknown task")
        else:
            if self.now + 1 >= task.deadline:
                violations.add("task deadline passed")
            if hash_ in task.hashes:
                violations.add("model already submitted to this task")
        receipt = self.send(self.market.functions.submitModel(task_id, hash_, "ipfs://tiny-model", SEALED),
                            developer, violations)
        if receipt.status == 1:
            model_id = len(self.models) + 1
            task.hashes.add(hash_)
            self.models[model_id] = SimpleNamespace(task=task_id, developer=developer, variant=variant, status=1,
                                                    accuracy=0)
            return model_id
        return multiple()

    @rule(actor=st.integers(0, 5), model_id=st.one_of(model_ids, st.integers(0, 10)),
          accuracy=st.one_of(st.sampled_from([BPS, 9722, 9000, 6000, 2500, 0, BPS + 1]), st.integers(0, BPS)),
          forgery=st.sampled_from([None, None, None, "impostor", "tampered accuracy", "high s", "short"]))
    def submit_result(self, actor, model_id, accuracy, forgery):
        model = self.models.get(model_id)
        task_id = model.task if model else 1
        hash_ = keccak(MODELS[model.variant]) if model else keccak(b"no such model")
        signer = IMPOSTOR if forgery == "impostor" else ENCLAVE
        signed_accuracy = accuracy
        if forgery == "tampered accuracy":
            signed_accuracy = accuracy - 1 if accuracy > 0 else accuracy + 1
        signature = sign_result(signer, marketplace=self.market.address, task_id=task_id, model_id=model_id,
                                model_hash=hash_, dataset_hash=DATASET_HASH, accuracy=signed_accuracy,
                                logits_hash=LOGITS_HASH, key_for_buyer=KEY_FOR_BUYER)
        if forgery == "high s":
            signature = high_s(signature)
        if forgery == "short":
            signature = signature[:64]
        violations = set()
        if model is None:
            violations.add("unknown model")
        else:
            if model.status != 1:
                violations.add("model already scored")
            if self.now + 1 > self.tasks[model.task].deadline + RESULT_WINDOW:
                violations.add("result window closed")
        if accuracy > BPS:
            violations.add("accuracy above 10000 bps")
        violations |= {"impostor": {"signer is not the task's enclave"},
                       "tampered accuracy": {"signer is not the task's enclave"},
                       "high s": {"ecdsa: invalid signature `s` value"},
                       "short": {"signature must be 65 bytes"}}.get(forgery, set())
        receipt = self.send(self.market.functions.submitResult(model_id, accuracy, LOGITS_HASH, KEY_FOR_BUYER,
                                                               signature), self.actors[actor], violations)
        if receipt.status == 1:
            self.check_settlement(receipt, model_id, accuracy, KEY_FOR_BUYER)

    @rule(actor=st.integers(0, 5), model_id=st.one_of(model_ids, st.integers(0, 10)))
    def evaluate_on_chain(self, actor, model_id):
        model = self.models.get(model_id)
        violations = set()
        if model is None:
            violations.add("unknown model")
            model_bytes = MODELS[0]
        else:
            model_bytes = MODELS[model.variant]
            if model.status != 1:
                violations.add("model already scored")
            deadline = self.tasks[model.task].deadline
            if self.now + 1 <= deadline:
                violations.add("task deadline not passed")
            if self.now + 1 > deadline + RESULT_WINDOW:
                violations.add("result window closed")
        receipt = self.send(self.market.functions.evaluateOnChain(model_id, model_bytes, TEST_SET),
                            self.actors[actor], violations, gas=EVAL_GAS)
        if receipt.status == 1:
            self.check_settlement(receipt, model_id, ACCURACIES[model.variant], b"")

    def check_settlement(self, receipt, model_id, accuracy, key):
        model = self.models[model_id]
        sold_price = self.settle(model, accuracy)
        sold = self.market.events.ModelSold().process_receipt(receipt, errors=DISCARD)
        scored = self.market.events.ModelScored().process_receipt(receipt, errors=DISCARD)
        self.counts["sold" if sold_price is not None else "scored"] += 1
        if sold_price is None:
            assert sold == () and [dict(e.args) for e in scored] == [
                {"taskId": model.task, "modelId": model_id, "accuracyBps": accuracy}]
        else:
            assert scored == () and [dict(e.args) for e in sold] == [
                {"taskId": model.task, "modelId": model_id, "developer": model.developer, "accuracyBps": accuracy,
                 "price": sold_price, "keyForBuyer": key}]
        assert self.market.functions.modelInfo(model_id).call() == [
            model.task, model.developer, keccak(MODELS[model.variant]), model.status, accuracy]

    @rule(seconds=st.sampled_from([1, 60, 900, 1800, 3600, 5000]))
    def time_passes(self, seconds):
        self.now += seconds

    @rule(actor=st.integers(0, 5), task_id=st.one_of(task_ids, st.integers(0, 6)))
    def refund(self, actor, task_id):
        sender = self.actors[actor]
        task = self.tasks.get(task_id)
        violations = set()
        if task is None:
            violations.add("unknown task")
        else:
            if sender != task.provider:
                violations.add("only the provider")
            if self.now + 1 <= task.deadline + RESULT_WINDOW:
                violations.add("result window still open")
            if task.left == 0:
                violations.add("nothing to refund")
        receipt = self.send(self.market.functions.refund(task_id), sender, violations)
        if receipt.status == 1:
            self.received[sender] += task.left
            task.left = 0

    @rule(actor=st.integers(0, 5))
    def withdraw(self, actor):
        sender = self.actors[actor]
        receipt = self.send(self.market.functions.withdraw(), sender,
                            {"nothing to withdraw"} if self.credit[sender] == 0 else set())
        if receipt.status == 1:
            self.received[sender] += self.credit[sender]
            self.credit[sender] = 0

    # -- invariants ----------------------------------------------------------------------------

    def read_escrow(self):
        """The marketplace's balance, budgetLeft of every task and credit of every account, in one
        JSON-RPC batch (one HTTP round trip per step)."""
        calls = [("eth_getBalance", [self.market.address, "latest"])]
        for task_id in self.tasks:
            data = selector("budgetLeft(uint256)") + task_id.to_bytes(32, "big")
            calls.append(("eth_call", [{"to": self.market.address, "data": "0x" + data.hex()}, "latest"]))
        for account in self.actors:
            data = selector("credit(address)") + bytes(12) + bytes.fromhex(account[2:])
            calls.append(("eth_call", [{"to": self.market.address, "data": "0x" + data.hex()}, "latest"]))
        body = [{"jsonrpc": "2.0", "id": index, "method": method, "params": params}
                for index, (method, params) in enumerate(calls)]
        replies = sorted(self.session.post(self.url, json=body, timeout=30).json(), key=lambda reply: reply["id"])
        values = [int(reply["result"], 16) for reply in replies]
        held, budgets, credits = values[0], values[1:1 + len(self.tasks)], values[1 + len(self.tasks):]
        return held, budgets, dict(zip(self.actors, credits))

    @invariant()
    def escrow_is_budgets_plus_credits(self):
        held, budgets, credits = self.read_escrow()
        expected = sum(task.left for task in self.tasks.values()) + sum(self.credit.values())
        assert held == expected, f"marketplace holds {held} wei, the model expects {expected}"
        assert held == sum(budgets) + sum(credits.values())
        assert budgets == [task.left for task in self.tasks.values()]
        assert credits == {a: self.credit[a] for a in self.actors}

    def teardown(self):
        try:
            self.settle_everything()
        finally:
            revert_to(self.w3, self.snapshot_id)

    def settle_everything(self):
        """Past every window: all refunds, all withdrawals; every wei is back with someone."""
        if self.tasks:
            self.now = max(self.now, max(task.deadline for task in self.tasks.values()) + RESULT_WINDOW)
        for task_id, task in self.tasks.items():
            if task.left > 0:
                self.refund(self.actors.index(task.provider), task_id)
        for index, account in enumerate(self.actors):
            if self.credit[account] > 0:
                self.withdraw(index)
        assert self.w3.eth.get_balance(self.market.address) == 0
        for account in self.actors:
            balance = self.w3.eth.get_balance(account)
            assert balance == self.start_balance[account] - self.gas[account] - self.escrowed[account] \
                + self.received[account]
            # Escrow in, refunds and withdrawals out: the net is what the account sold minus what it bought.
            assert self.received[account] - self.escrowed[account] == self.earned[account] - self.spent[account]
        assert sum(self.earned.values()) == sum(self.spent.values())


def test_marketplace_state_machine(env):
    # Shrinking a failure takes minutes against a node; it is off unless GOLDENGRAIN_SHRINK=1, and a
    # failing run prints its whole (deterministic) step sequence instead.
    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    if os.environ.get("GOLDENGRAIN_SHRINK") == "1":
        phases.append(Phase.shrink)
    run_state_machine_as_test(
        lambda: MarketMachine(env),
        settings=settings(max_examples=25, stateful_step_count=25, deadline=None, derandomize=True, database=None,
                          phases=phases, suppress_health_check=[HealthCheck.too_slow]))
    print(dict(sorted(COVERAGE.items())))
    # The fixed seed must reach every kind of outcome, or the property says little.
    for outcome in ["createTask ok", "createTask rejected", "submitModel ok", "submitModel rejected",
                    "submitResult ok", "submitResult rejected", "evaluateOnChain ok", "evaluateOnChain rejected",
                    "refund ok", "refund rejected", "withdraw ok", "withdraw rejected", "sold", "scored"]:
        assert COVERAGE[outcome] > 0, f"no '{outcome}' in {dict(COVERAGE)}"
