# pragma version 0.4.3
# pragma evm-version cancun
"""
@title GoldenGrain model marketplace
@notice Developers sell trained models to MLaaS providers. A provider escrows a budget in a task;
        developers submit encrypted models; an attested enclave (registered once by its TEE quote)
        scores each model off chain and signs an EIP-712 result; the result's transaction pays the
        developer and releases the model key to the provider in one step, at a price that follows
        the accuracy. Without a TEE, anyone may score a model on chain after the deadline with the
        evaluator (INFERENCE_EVAL or PlainEvaluator.vy), which reveals model and test set.
        Protocol and threat model: docs/protocol.md. The external interface is fixed by issue 11.
@dev Money moves only by pull (withdraw) or to the provider (refund); every wei of a budget ends
     with a developer (a sale) or back with the provider (refund). State changes precede every
     transfer, and the two functions that transfer are non-reentrant.
"""

from snekmate.utils import ecdsa
from snekmate.utils import eip712_domain_separator as eip712

initializes: eip712

# EIP-5267: wallets and tools read the signing domain from the contract.
exports: eip712.eip712Domain


# The GoldenGrain attestation precompile (DESIGN.md §6): a DCAP quote, optionally followed by its
# collateral (docs/formats.md "Collateral on chain"), in; 10 ABI words out (mrEnclave, mrSigner,
# isvProdId, isvSvn, reportData0, reportData1, rootKeyHash, attributeFlags, tcbStatus,
# collateralIssueDate); empty output when the quote fails any check or the genesis policy refuses
# it (a TCB status it does not accept, or a quote without the collateral it requires).
ATTESTATION_VERIFY: constant(address) = 0x0000000000000000000000000000000000001000
# Only the first 8 words are read (raw_call copies min(returndatasize, max_outsize) bytes): the
# policy has already refused what must not register, so the status and issue date are not needed.
ATTESTATION_OUTPUT_SIZE: constant(uint256) = 256
# SGX ATTRIBUTES.FLAGS bit 1: the enclave runs in debug mode, its memory readable by the host.
SGX_FLAG_DEBUG: constant(uint256) = 2

BPS: constant(uint256) = 10_000

BENCHMARK_RESULT_TYPEHASH: constant(bytes32) = keccak256(
    "BenchmarkResult(uint256 taskId,uint256 modelId,bytes32 modelHash,bytes32 datasetHash,uint16 accuracyBps,bytes32 logitsHash,bytes32 keyForBuyerHash)"
)

# modelStatus values.
STATUS_NONE: constant(uint8) = 0
STATUS_SUBMITTED: constant(uint8) = 1
STATUS_SOLD: constant(uint8) = 2
STATUS_SCORED: constant(uint8) = 3


struct Task:
    provider: address
    enclave: address
    datasetHash: bytes32
    minAccuracyBps: uint16
    maxPricePerModel: uint256
    deadline: uint256
    budgetLeft: uint256
    modelCount: uint256


struct TaskData:
    datasetURI: String[256]
    sealedDatasetKey: Bytes[256]
    buyerPublicKey: Bytes[64]


struct Model:
    taskId: uint256
    developer: address
    modelHash: bytes32
    status: uint8
    accuracyBps: uint16


struct ModelData:
    modelURI: String[256]
    sealedModelKey: Bytes[256]


event EnclaveRegistered:
    enclave: indexed(address)
    mrEnclave: bytes32
    isvSvn: uint16

event TaskCreated:
    taskId: indexed(uint256)
    provider: indexed(address)
    enclave: address
    budget: uint256
    deadline: uint256

event ModelSubmitted:
    taskId: indexed(uint256)
    modelId: indexed(uint256)
    developer: indexed(address)
    modelHash: bytes32

event ModelSold:
    taskId: indexed(uint256)
    modelId: indexed(uint256)
    developer: indexed(address)
    accuracyBps: uint16
    price: uint256
    keyForBuyer: Bytes[256]

event ModelScored:
    taskId: indexed(uint256)
    modelId: indexed(uint256)
    accuracyBps: uint16

event Refunded:
    taskId: indexed(uint256)
    amount: uint256

event Withdrawn:
    account: indexed(address)
    amount: uint256

event MeasurementTrustChanged:
    mrEnclave: indexed(bytes32)
    trusted: bool


owner: public(address)
_trustedMeasurement: HashMap[bytes32, bool]
# The scorer evaluateOnChain calls (INFERENCE_EVAL or a contract with its calldata/return ABI) and
# the time after a task's deadline in which results are accepted; fixed at deployment.
EVALUATOR: immutable(address)
RESULT_WINDOW: immutable(uint256)

_enclavePublicKey: HashMap[address, Bytes[64]]
# The MRENCLAVE each enclave registered with: an enclave whose measurement the owner stops
# trusting can no longer take tasks or sign results.
_enclaveMeasurement: HashMap[address, bytes32]

taskCount: public(uint256)
modelCount: public(uint256)
_credit: HashMap[address, uint256]

_tasks: HashMap[uint256, Task]
_taskData: HashMap[uint256, TaskData]
_models: HashMap[uint256, Model]
_modelData: HashMap[uint256, ModelData]
_modelHashSubmitted: HashMap[uint256, HashMap[bytes32, bool]]


@deploy
def __init__(owner: address, trustedMeasurements: DynArray[bytes32, 16], evaluator: address,
             resultWindow: uint256):
    assert owner != empty(address), "owner is the zero address"
    assert evaluator != empty(address), "evaluator is the zero address"
    assert resultWindow > 0, "result window must be positive"
    eip712.__init__("GoldenGrain", "1")
    self.owner = owner
    for measurement: bytes32 in trustedMeasurements:
        self._trustedMeasurement[measurement] = True
        log MeasurementTrustChanged(mrEnclave=measurement, trusted=True)
    EVALUATOR = evaluator
    RESULT_WINDOW = resultWindow


# ---------------------------------------------------------------------------------------------
# Enclaves

@external
def setMeasurementTrusted(mrEnclave: bytes32, trusted: bool):
    """
    @notice Trusts or stops trusting an enclave measurement. Enclaves already registered with a
            measurement that is no longer trusted can take no new task and sign no result.
    """
    assert msg.sender == self.owner, "only the owner"
    self._trustedMeasurement[mrEnclave] = trusted
    log MeasurementTrustChanged(mrEnclave=mrEnclave, trusted=trusted)


@external
def registerEnclave(quote: Bytes[16384], enclavePublicKey: Bytes[64]) -> address:
    """
    @notice Registers the enclave that holds `enclavePublicKey`, proven by a TEE quote whose
            reportData0 is keccak256(enclavePublicKey ‖ chainId ‖ this contract), so the quote
            names this key and cannot be replayed on another chain or marketplace. `quote` is the
            quote followed by its collateral where the chain requires it (quote ‖ collateral,
            passed to ATTESTATION_VERIFY as is).
    @return The enclave's address, keccak256(enclavePublicKey)[12:].
    """
    assert len(enclavePublicKey) == 64, "enclave public key must be 64 bytes"
    enclave: address = self._address_of(enclavePublicKey)
    assert self._enclaveMeasurement[enclave] == empty(bytes32), "enclave already registered"

    attested: Bytes[ATTESTATION_OUTPUT_SIZE] = raw_call(
        ATTESTATION_VERIFY, quote, max_outsize=ATTESTATION_OUTPUT_SIZE, is_static_call=True)
    assert len(attested) == ATTESTATION_OUTPUT_SIZE, "quote rejected"
    mr_enclave: bytes32 = extract32(attested, 0)
    isv_svn: uint256 = extract32(attested, 96, output_type=uint256)
    report_data0: bytes32 = extract32(attested, 128)
    attribute_flags: uint256 = extract32(attested, 224, output_type=uint256)

    assert self._trustedMeasurement[mr_enclave], "untrusted measurement"
    assert attribute_flags & SGX_FLAG_DEBUG == 0, "debug enclave"
    assert report_data0 == keccak256(concat(enclavePublicKey, abi_encode(chain.id, self))), "report data mismatch"

    self._enclavePublicKey[enclave] = enclavePublicKey
    self._enclaveMeasurement[enclave] = mr_enclave
    log EnclaveRegistered(enclave=enclave, mrEnclave=mr_enclave, isvSvn=convert(isv_svn, uint16))
    return enclave


@view
@external
def evaluator() -> address:
    return EVALUATOR


@view
@external
def resultWindow() -> uint256:
    return RESULT_WINDOW


@view
@external
def isMeasurementTrusted(mrEnclave: bytes32) -> bool:
    return self._trustedMeasurement[mrEnclave]


@view
@external
def enclavePublicKey(enclave: address) -> Bytes[64]:
    """
    @notice The 64-byte public key an enclave registered with (empty for unknown addresses).
    """
    return self._enclavePublicKey[enclave]


@view
@external
def enclaveMeasurement(enclave: address) -> bytes32:
    """
    @notice The MRENCLAVE an enclave registered with (zero for unknown addresses).
    """
    return self._enclaveMeasurement[enclave]


@view
@external
def isEnclave(enclave: address) -> bool:
    """
    @notice True for a registered enclave whose measurement is still trusted.
    """
    return self._is_enclave(enclave)


# ---------------------------------------------------------------------------------------------
# Tasks and models

@payable
@external
def createTask(enclave: address, datasetHash: bytes32, datasetURI: String[256], sealedDatasetKey: Bytes[256],
               minAccuracyBps: uint16, maxPricePerModel: uint256, deadline: uint256,
               buyerPublicKey: Bytes[64]) -> uint256:
    """
    @notice Escrows msg.value as the task's budget. The test set (keccak256 = datasetHash) is
            encrypted under a key sealed to the enclave (sealedDatasetKey).
    @return The task id, counting from 1.
    """
    assert msg.value > 0, "budget must be positive"
    assert self._is_enclave(enclave), "unknown enclave"
    assert deadline > block.timestamp, "deadline must be in the future"
    assert convert(minAccuracyBps, uint256) <= BPS, "minimum accuracy above 10000 bps"
    assert maxPricePerModel > 0, "max price per model must be positive"
    # price = maxPricePerModel × (acc − min) / (10000 − min) must not overflow.
    assert maxPricePerModel <= max_value(uint256) // BPS, "max price per model too large"
    assert len(buyerPublicKey) == 64, "buyer public key must be 64 bytes"
    assert len(sealedDatasetKey) > 0, "sealed dataset key is empty"

    task_id: uint256 = self.taskCount + 1
    self.taskCount = task_id
    self._tasks[task_id] = Task(
        provider=msg.sender, enclave=enclave, datasetHash=datasetHash, minAccuracyBps=minAccuracyBps,
        maxPricePerModel=maxPricePerModel, deadline=deadline, budgetLeft=msg.value, modelCount=0)
    self._taskData[task_id] = TaskData(
        datasetURI=datasetURI, sealedDatasetKey=sealedDatasetKey, buyerPublicKey=buyerPublicKey)
    log TaskCreated(taskId=task_id, provider=msg.sender, enclave=enclave, budget=msg.value, deadline=deadline)
    return task_id


@external
def submitModel(taskId: uint256, modelHash: bytes32, modelURI: String[256], sealedModelKey: Bytes[256]) -> uint256:
    """
    @notice Offers a model (keccak256 of the plaintext GGM file = modelHash, encrypted under a
            fresh key sealed to the task's enclave) before the task's deadline.
    @return The model id, counting from 1 across all tasks.
    """
    assert self._tasks[taskId].provider != empty(address), "unknown task"
    assert block.timestamp < self._tasks[taskId].deadline, "task deadline passed"
    assert len(sealedModelKey) > 0, "sealed model key is empty"
    assert not self._modelHashSubmitted[taskId][modelHash], "model already submitted to this task"

    model_id: uint256 = self.modelCount + 1
    self.modelCount = model_id
    self._modelHashSubmitted[taskId][modelHash] = True
    self._tasks[taskId].modelCount += 1
    self._models[model_id] = Model(
        taskId=taskId, developer=msg.sender, modelHash=modelHash, status=STATUS_SUBMITTED, accuracyBps=0)
    self._modelData[model_id] = ModelData(modelURI=modelURI, sealedModelKey=sealedModelKey)
    log ModelSubmitted(taskId=taskId, modelId=model_id, developer=msg.sender, modelHash=modelHash)
    return model_id


@external
def submitResult(modelId: uint256, accuracyBps: uint16, logitsHash: bytes32, keyForBuyer: Bytes[256],
                 signature: Bytes[65]):
    """
    @notice Settles a model with its enclave-signed score. Anyone may relay it until the task's
            deadline + RESULT_WINDOW. The signature is the task's enclave's over the EIP-712
            BenchmarkResult; keyForBuyer (the model key sealed to the buyer) is released by
            ModelSold in the same transaction that pays, or not at all.
    """
    task_id: uint256 = self._scorable_task(modelId)
    assert block.timestamp <= self._tasks[task_id].deadline + RESULT_WINDOW, "result window closed"
    assert convert(accuracyBps, uint256) <= BPS, "accuracy above 10000 bps"
    assert len(signature) == 65, "signature must be 65 bytes"
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    assert v == 27 or v == 28, "signature v must be 27 or 28"

    enclave: address = self._tasks[task_id].enclave
    assert self._is_enclave(enclave), "enclave measurement no longer trusted"
    struct_hash: bytes32 = keccak256(abi_encode(
        BENCHMARK_RESULT_TYPEHASH, task_id, modelId, self._models[modelId].modelHash,
        self._tasks[task_id].datasetHash, accuracyBps, logitsHash, keccak256(keyForBuyer)))
    # snekmate's ECDSA refuses s > n/2 ("ecdsa: invalid signature `s` value") and a zero signer.
    signer: address = ecdsa._recover_sig(eip712._hash_typed_data_v4(struct_hash), signature)
    assert signer == enclave, "signer is not the task's enclave"

    self._settle(task_id, modelId, accuracyBps, keyForBuyer)


@external
def evaluateOnChain(modelId: uint256, model: Bytes[65536], testSet: Bytes[131072]):
    """
    @notice The baseline without a TEE: after the deadline and within the result window, anyone
            may reveal a model and the test set and have the evaluator score it; the model is then
            sold or scored exactly as by submitResult (no key: the model is public now).
    """
    task_id: uint256 = self._scorable_task(modelId)
    deadline: uint256 = self._tasks[task_id].deadline
    assert block.timestamp > deadline, "task deadline not passed"
    assert block.timestamp <= deadline + RESULT_WINDOW, "result window closed"
    assert keccak256(model) == self._models[modelId].modelHash, "model hash mismatch"
    assert keccak256(testSet) == self._tasks[task_id].datasetHash, "test set hash mismatch"

    # A failing evaluator (malformed model, or too little gas) reverts instead of scoring 0, so
    # no caller can score someone else's model 0 by starving the call of gas.
    success: bool = False
    scored: Bytes[96] = b""
    success, scored = raw_call(EVALUATOR, concat(model, testSet), max_outsize=96, is_static_call=True,
                               revert_on_failure=False)
    assert success and len(scored) == 96, "evaluator failed"
    correct: uint256 = extract32(scored, 0, output_type=uint256)
    total: uint256 = extract32(scored, 32, output_type=uint256)
    assert total > 0 and correct <= total, "evaluator returned an impossible score"
    self._settle(task_id, modelId, convert(correct * BPS // total, uint16), b"")


@nonreentrant
@external
def refund(taskId: uint256):
    """
    @notice The provider takes back what is left of the budget once the result window has closed.
    """
    provider: address = self._tasks[taskId].provider
    assert provider != empty(address), "unknown task"
    assert msg.sender == provider, "only the provider"
    assert block.timestamp > self._tasks[taskId].deadline + RESULT_WINDOW, "result window still open"
    amount: uint256 = self._tasks[taskId].budgetLeft
    assert amount > 0, "nothing to refund"
    self._tasks[taskId].budgetLeft = 0
    log Refunded(taskId=taskId, amount=amount)
    self._send(provider, amount)


@nonreentrant
@external
def withdraw():
    """
    @notice Sends the caller's credit (the price of the models they sold) to the caller.
    """
    amount: uint256 = self._credit[msg.sender]
    assert amount > 0, "nothing to withdraw"
    self._credit[msg.sender] = 0
    log Withdrawn(account=msg.sender, amount=amount)
    self._send(msg.sender, amount)


# ---------------------------------------------------------------------------------------------
# Views (unknown ids return zeros)

@view
@external
def credit(account: address) -> uint256:
    """
    @notice What `account` may withdraw: the prices of the models it sold, not yet withdrawn.
    """
    return self._credit[account]


@view
@external
def budgetLeft(taskId: uint256) -> uint256:
    return self._tasks[taskId].budgetLeft


@view
@external
def modelStatus(modelId: uint256) -> uint8:
    return self._models[modelId].status


@view
@external
def modelAccuracy(modelId: uint256) -> uint16:
    return self._models[modelId].accuracyBps


@view
@external
def domainSeparator() -> bytes32:
    return eip712._domain_separator_v4()


@view
@external
def taskInfo(taskId: uint256) -> (address, address, bytes32, uint16, uint256, uint256, uint256, uint256):
    """
    @return provider, enclave, datasetHash, minAccuracyBps, maxPricePerModel, deadline, budgetLeft, modelCount
    """
    task: Task = self._tasks[taskId]
    return (task.provider, task.enclave, task.datasetHash, task.minAccuracyBps, task.maxPricePerModel,
            task.deadline, task.budgetLeft, task.modelCount)


@view
@external
def taskData(taskId: uint256) -> (String[256], Bytes[256], Bytes[64]):
    """
    @return datasetURI, sealedDatasetKey, buyerPublicKey
    """
    data: TaskData = self._taskData[taskId]
    return (data.datasetURI, data.sealedDatasetKey, data.buyerPublicKey)


@view
@external
def modelInfo(modelId: uint256) -> (uint256, address, bytes32, uint8, uint16):
    """
    @return taskId, developer, modelHash, status, accuracyBps
    """
    model: Model = self._models[modelId]
    return (model.taskId, model.developer, model.modelHash, model.status, model.accuracyBps)


@view
@external
def modelData(modelId: uint256) -> (String[256], Bytes[256]):
    """
    @return modelURI, sealedModelKey
    """
    data: ModelData = self._modelData[modelId]
    return (data.modelURI, data.sealedModelKey)


# ---------------------------------------------------------------------------------------------
# Internals

@pure
@internal
def _address_of(public_key: Bytes[64]) -> address:
    return convert(convert(slice(keccak256(public_key), 12, 20), bytes20), address)


@view
@internal
def _is_enclave(enclave: address) -> bool:
    measurement: bytes32 = self._enclaveMeasurement[enclave]
    return measurement != empty(bytes32) and self._trustedMeasurement[measurement]


@view
@internal
def _scorable_task(model_id: uint256) -> uint256:
    """
    @dev The model's task, after checking the model exists and has not been scored.
    """
    status: uint8 = self._models[model_id].status
    assert status != STATUS_NONE, "unknown model"
    assert status == STATUS_SUBMITTED, "model already scored"
    return self._models[model_id].taskId


@internal
def _settle(task_id: uint256, model_id: uint256, accuracy_bps: uint16, key_for_buyer: Bytes[256]):
    """
    @dev All or nothing: the model is sold at its full price, with the key, or only scored.
         price = ⌊maxPricePerModel × (acc − min) / (10000 − min)⌋, the full price when min = 10000.
    """
    acc: uint256 = convert(accuracy_bps, uint256)
    minimum: uint256 = convert(self._tasks[task_id].minAccuracyBps, uint256)
    price: uint256 = 0
    if acc >= minimum:
        max_price: uint256 = self._tasks[task_id].maxPricePerModel
        if minimum == BPS:
            price = max_price
        else:
            price = max_price * (acc - minimum) // (BPS - minimum)

    self._models[model_id].accuracyBps = accuracy_bps
    budget: uint256 = self._tasks[task_id].budgetLeft
    if acc >= minimum and price > 0 and price <= budget:
        developer: address = self._models[model_id].developer
        self._tasks[task_id].budgetLeft = budget - price
        self._credit[developer] += price
        self._models[model_id].status = STATUS_SOLD
        log ModelSold(taskId=task_id, modelId=model_id, developer=developer, accuracyBps=accuracy_bps,
                      price=price, keyForBuyer=key_for_buyer)
    else:
        self._models[model_id].status = STATUS_SCORED
        log ModelScored(taskId=task_id, modelId=model_id, accuracyBps=accuracy_bps)


@internal
def _send(recipient: address, amount: uint256):
    # All remaining gas goes along, so a contract recipient with a costly fallback can collect.
    success: bool = raw_call(recipient, b"", value=amount, revert_on_failure=False)
    assert success, "transfer failed"
