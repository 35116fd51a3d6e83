/// The marketplace contract's fixed external interface (issue 11; Contracts/Marketplace.vy), as
/// ABI definitions. Vyper's `Bytes[N]` is ABI `bytes`, `String[N]` is `string`, `DynArray[T, N]` is
/// `T[]`. The tests check every entry against the compiled artifact Contracts/build/Marketplace.json.
public enum MarketplaceABI {
    // MARK: Administration

    /// `__init__(owner, trustedMeasurements, evaluator, resultWindow)`: the constructor's arguments.
    public static let constructorInputs: [ABIType] = [.address, .array(.bytes32), .address, .uint256]
    /// `owner() -> address`.
    public static let owner = ABIFunction(name: "owner", inputs: [], outputs: [.address])
    /// `setMeasurementTrusted(mrEnclave, trusted)`, owner only.
    public static let setMeasurementTrusted = ABIFunction(name: "setMeasurementTrusted", inputs: [.bytes32, .bool])
    /// `isMeasurementTrusted(mrEnclave) -> bool`.
    public static let isMeasurementTrusted = ABIFunction(name: "isMeasurementTrusted", inputs: [.bytes32], outputs: [.bool])
    /// `evaluator() -> address`.
    public static let evaluator = ABIFunction(name: "evaluator", inputs: [], outputs: [.address])
    /// `resultWindow() -> uint256`.
    public static let resultWindow = ABIFunction(name: "resultWindow", inputs: [], outputs: [.uint256])

    // MARK: Enclaves

    /// `registerEnclave(quote, enclavePublicKey) -> address`.
    public static let registerEnclave = ABIFunction(name: "registerEnclave", inputs: [.bytes, .bytes], outputs: [.address])
    /// `isEnclave(enclave) -> bool`.
    public static let isEnclave = ABIFunction(name: "isEnclave", inputs: [.address], outputs: [.bool])
    /// `enclavePublicKey(enclave) -> bytes`.
    public static let enclavePublicKey = ABIFunction(name: "enclavePublicKey", inputs: [.address], outputs: [.bytes])

    // MARK: Tasks, models, results

    /// `createTask(enclave, datasetHash, datasetURI, sealedDatasetKey, minAccuracyBps, maxPricePerModel,
    /// deadline, buyerPublicKey) payable -> uint256`.
    public static let createTask = ABIFunction(
        name: "createTask",
        inputs: [.address, .bytes32, .string, .bytes, .uint(bits: 16), .uint256, .uint256, .bytes],
        outputs: [.uint256], isPayable: true)
    /// `submitModel(taskId, modelHash, modelURI, sealedModelKey) -> uint256`.
    public static let submitModel = ABIFunction(name: "submitModel", inputs: [.uint256, .bytes32, .string, .bytes],
                                                outputs: [.uint256])
    /// `submitResult(modelId, accuracyBps, logitsHash, keyForBuyer, signature)`.
    public static let submitResult = ABIFunction(name: "submitResult",
                                                 inputs: [.uint256, .uint(bits: 16), .bytes32, .bytes, .bytes])
    /// `evaluateOnChain(modelId, model, testSet)`.
    public static let evaluateOnChain = ABIFunction(name: "evaluateOnChain", inputs: [.uint256, .bytes, .bytes])
    /// `refund(taskId)`, provider only.
    public static let refund = ABIFunction(name: "refund", inputs: [.uint256])
    /// `withdraw()`.
    public static let withdraw = ABIFunction(name: "withdraw", inputs: [])

    // MARK: Views

    /// `budgetLeft(taskId) -> uint256`.
    public static let budgetLeft = ABIFunction(name: "budgetLeft", inputs: [.uint256], outputs: [.uint256])
    /// `modelStatus(modelId) -> uint8`.
    public static let modelStatus = ABIFunction(name: "modelStatus", inputs: [.uint256], outputs: [.uint(bits: 8)])
    /// `modelAccuracy(modelId) -> uint16`.
    public static let modelAccuracy = ABIFunction(name: "modelAccuracy", inputs: [.uint256], outputs: [.uint(bits: 16)])
    /// `credit(account) -> uint256`.
    public static let credit = ABIFunction(name: "credit", inputs: [.address], outputs: [.uint256])
    /// `domainSeparator() -> bytes32`.
    public static let domainSeparator = ABIFunction(name: "domainSeparator", inputs: [], outputs: [.bytes32])
    /// `taskInfo(taskId) -> (provider, enclave, datasetHash, minAccuracyBps, maxPricePerModel, deadline,
    /// budgetLeft, modelCount)`.
    public static let taskInfo = ABIFunction(
        name: "taskInfo", inputs: [.uint256],
        outputs: [.address, .address, .bytes32, .uint(bits: 16), .uint256, .uint256, .uint256, .uint256])
    /// `taskData(taskId) -> (datasetURI, sealedDatasetKey, buyerPublicKey)`.
    public static let taskData = ABIFunction(name: "taskData", inputs: [.uint256], outputs: [.string, .bytes, .bytes])
    /// `modelInfo(modelId) -> (taskId, developer, modelHash, status, accuracyBps)`.
    public static let modelInfo = ABIFunction(name: "modelInfo", inputs: [.uint256],
                                              outputs: [.uint256, .address, .bytes32, .uint(bits: 8), .uint(bits: 16)])
    /// `modelData(modelId) -> (modelURI, sealedModelKey)`.
    public static let modelData = ABIFunction(name: "modelData", inputs: [.uint256], outputs: [.string, .bytes])

    /// Every function of the fixed interface.
    public static let functions: [ABIFunction] = [
        owner, setMeasurementTrusted, isMeasurementTrusted, evaluator, resultWindow, registerEnclave, isEnclave,
        enclavePublicKey, createTask, submitModel, submitResult, evaluateOnChain, refund, withdraw, budgetLeft,
        modelStatus, modelAccuracy, credit, domainSeparator, taskInfo, taskData, modelInfo, modelData,
    ]

    // MARK: Events

    /// `EnclaveRegistered(address indexed enclave, bytes32 mrEnclave, uint16 isvSvn)`.
    public static let enclaveRegistered = ABIEvent(name: "EnclaveRegistered", parameters: [
        .init("enclave", .address, indexed: true), .init("mrEnclave", .bytes32), .init("isvSvn", .uint(bits: 16)),
    ])
    /// `TaskCreated(uint256 indexed taskId, address indexed provider, address enclave, uint256 budget, uint256 deadline)`.
    public static let taskCreated = ABIEvent(name: "TaskCreated", parameters: [
        .init("taskId", .uint256, indexed: true), .init("provider", .address, indexed: true),
        .init("enclave", .address), .init("budget", .uint256), .init("deadline", .uint256),
    ])
    /// `ModelSubmitted(uint256 indexed taskId, uint256 indexed modelId, address indexed developer, bytes32 modelHash)`.
    public static let modelSubmitted = ABIEvent(name: "ModelSubmitted", parameters: [
        .init("taskId", .uint256, indexed: true), .init("modelId", .uint256, indexed: true),
        .init("developer", .address, indexed: true), .init("modelHash", .bytes32),
    ])
    /// `ModelSold(uint256 indexed taskId, uint256 indexed modelId, address indexed developer, uint16 accuracyBps,
    /// uint256 price, bytes keyForBuyer)`.
    public static let modelSold = ABIEvent(name: "ModelSold", parameters: [
        .init("taskId", .uint256, indexed: true), .init("modelId", .uint256, indexed: true),
        .init("developer", .address, indexed: true), .init("accuracyBps", .uint(bits: 16)),
        .init("price", .uint256), .init("keyForBuyer", .bytes),
    ])
    /// `ModelScored(uint256 indexed taskId, uint256 indexed modelId, uint16 accuracyBps)`: scored, not sold.
    public static let modelScored = ABIEvent(name: "ModelScored", parameters: [
        .init("taskId", .uint256, indexed: true), .init("modelId", .uint256, indexed: true),
        .init("accuracyBps", .uint(bits: 16)),
    ])
    /// `Refunded(uint256 indexed taskId, uint256 amount)`.
    public static let refunded = ABIEvent(name: "Refunded", parameters: [
        .init("taskId", .uint256, indexed: true), .init("amount", .uint256),
    ])
    /// `Withdrawn(address indexed account, uint256 amount)`.
    public static let withdrawn = ABIEvent(name: "Withdrawn", parameters: [
        .init("account", .address, indexed: true), .init("amount", .uint256),
    ])
    /// `MeasurementTrustChanged(bytes32 indexed mrEnclave, bool trusted)` (an addition of the
    /// contract beyond the fixed list).
    public static let measurementTrustChanged = ABIEvent(name: "MeasurementTrustChanged", parameters: [
        .init("mrEnclave", .bytes32, indexed: true), .init("trusted", .bool),
    ])

    /// Every event this client decodes.
    public static let events: [ABIEvent] = [
        enclaveRegistered, taskCreated, modelSubmitted, modelSold, modelScored, refunded, withdrawn, measurementTrustChanged,
    ]
}
