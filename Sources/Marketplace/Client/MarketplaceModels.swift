import Primitives

/// A model's state on chain (`modelStatus`).
public enum ModelStatus: UInt8, Hashable, Sendable, CustomStringConvertible {
    /// No such model.
    case none = 0
    /// Submitted, not scored yet.
    case submitted = 1
    /// Scored and sold: the developer was credited and keyForBuyer released.
    case sold = 2
    /// Scored but not sold (below the minimum, a zero price, or a price the budget could not pay).
    case scoredNotSold = 3

    public var description: String {
        switch self {
        case .none: return "none"
        case .submitted: return "submitted"
        case .sold: return "sold"
        case .scoredNotSold: return "scored, not sold"
        }
    }
}

/// `taskInfo(taskId)`: a task's fixed terms and its budget. All zeros for an unknown id.
public struct TaskInfo: Hashable, Sendable {
    /// The provider (buyer) who escrowed the budget.
    public var provider: Address
    /// The enclave that benchmarks the task's models.
    public var enclave: Address
    /// keccak256 of the plaintext test-set file.
    public var datasetHash: Hash32
    /// The least accuracy that is paid.
    public var minAccuracyBps: UInt16
    /// The price of a perfect model.
    public var maxPricePerModel: UInt256
    /// Submissions close at this Unix time.
    public var deadline: UInt64
    /// Wei left in escrow.
    public var budgetLeft: UInt256
    /// Models submitted to the task.
    public var modelCount: UInt64

    /// Creates task terms (as `taskInfo` returns them).
    /// - Parameters:
    ///   - provider: the provider.
    ///   - enclave: the enclave.
    ///   - datasetHash: the test set's hash.
    ///   - minAccuracyBps: the least paid accuracy.
    ///   - maxPricePerModel: the price of a perfect model.
    ///   - deadline: when submissions close.
    ///   - budgetLeft: wei left.
    ///   - modelCount: models submitted.
    public init(provider: Address, enclave: Address, datasetHash: Hash32, minAccuracyBps: UInt16, maxPricePerModel: UInt256,
                deadline: UInt64, budgetLeft: UInt256, modelCount: UInt64) {
        self.provider = provider
        self.enclave = enclave
        self.datasetHash = datasetHash
        self.minAccuracyBps = minAccuracyBps
        self.maxPricePerModel = maxPricePerModel
        self.deadline = deadline
        self.budgetLeft = budgetLeft
        self.modelCount = modelCount
    }

    /// Whether the id named a task (an unknown id reads as all zeros).
    public var exists: Bool { provider != .zero }

    /// The price a score earns under the contract's rule: ⌊maxPrice × (acc − min) / (10000 − min)⌋ for
    /// acc ≥ min, the full price when min = acc = 10000, else zero. Whether it is paid also depends on
    /// the budget left (all or nothing).
    /// - Parameter accuracyBps: the score.
    /// - Returns: the price in wei.
    public func price(forAccuracy accuracyBps: UInt16) -> UInt256 {
        guard accuracyBps >= minAccuracyBps else { return .zero }
        if minAccuracyBps == 10_000 { return maxPricePerModel }
        let numerator = maxPricePerModel &* UInt256(UInt64(accuracyBps - minAccuracyBps))
        return numerator.quotient(dividingBy: UInt256(UInt64(10_000 - minAccuracyBps)))
    }
}

/// `taskData(taskId)`: where the test set is and the keys around it.
public struct TaskData: Hashable, Sendable {
    /// Where the encrypted test set is stored (`file://`, `http(s)://`).
    public var datasetURI: String
    /// The test set's key K, ECIES-sealed to the enclave.
    public var sealedDatasetKey: [UInt8]
    /// The buyer's secp256k1 public key (64 bytes x ‖ y) that model keys are re-sealed to.
    public var buyerPublicKey: [UInt8]

    /// Creates task data.
    /// - Parameters:
    ///   - datasetURI: the test set's URI.
    ///   - sealedDatasetKey: its key sealed to the enclave.
    ///   - buyerPublicKey: the buyer's public key.
    public init(datasetURI: String, sealedDatasetKey: [UInt8], buyerPublicKey: [UInt8]) {
        self.datasetURI = datasetURI
        self.sealedDatasetKey = sealedDatasetKey
        self.buyerPublicKey = buyerPublicKey
    }
}

/// `modelInfo(modelId)`: a model's owner, hash and score. All zeros for an unknown id.
public struct ModelInfo: Hashable, Sendable {
    /// The task it was submitted to.
    public var taskId: UInt64
    /// The developer who submitted it and is paid for it.
    public var developer: Address
    /// keccak256 of the plaintext model file.
    public var modelHash: Hash32
    /// Its state.
    public var status: ModelStatus
    /// Its score once scored.
    public var accuracyBps: UInt16

    /// Creates model facts.
    /// - Parameters:
    ///   - taskId: the task.
    ///   - developer: the developer.
    ///   - modelHash: the model's hash.
    ///   - status: its state.
    ///   - accuracyBps: its score.
    public init(taskId: UInt64, developer: Address, modelHash: Hash32, status: ModelStatus, accuracyBps: UInt16) {
        self.taskId = taskId
        self.developer = developer
        self.modelHash = modelHash
        self.status = status
        self.accuracyBps = accuracyBps
    }

    /// Whether the id named a model.
    public var exists: Bool { status != .none }
}

/// `modelData(modelId)`: where the model is and its sealed key.
public struct ModelData: Hashable, Sendable {
    /// Where the encrypted model is stored.
    public var modelURI: String
    /// The model's key K, ECIES-sealed to the task's enclave.
    public var sealedModelKey: [UInt8]

    /// Creates model data.
    /// - Parameters:
    ///   - modelURI: the model's URI.
    ///   - sealedModelKey: its key sealed to the enclave.
    public init(modelURI: String, sealedModelKey: [UInt8]) {
        self.modelURI = modelURI
        self.sealedModelKey = sealedModelKey
    }
}

/// A decoded marketplace log.
public enum MarketplaceEvent: Hashable, Sendable {
    /// An enclave passed attestation.
    case enclaveRegistered(enclave: Address, mrEnclave: Hash32, isvSvn: UInt16)
    /// A provider escrowed a budget.
    case taskCreated(taskId: UInt64, provider: Address, enclave: Address, budget: UInt256, deadline: UInt64)
    /// A developer submitted a model.
    case modelSubmitted(taskId: UInt64, modelId: UInt64, developer: Address, modelHash: Hash32)
    /// A model was paid for; keyForBuyer is its key sealed to the buyer (empty after on-chain evaluation).
    case modelSold(taskId: UInt64, modelId: UInt64, developer: Address, accuracyBps: UInt16, price: UInt256,
                   keyForBuyer: [UInt8])
    /// A model was scored but not sold: nothing paid, no key released.
    case modelScored(taskId: UInt64, modelId: UInt64, accuracyBps: UInt16)
    /// The provider took back what was left.
    case refunded(taskId: UInt64, amount: UInt256)
    /// An account took its credit.
    case withdrawn(account: Address, amount: UInt256)
    /// The owner trusted or distrusted a measurement.
    case measurementTrustChanged(mrEnclave: Hash32, trusted: Bool)

    /// The event's name as in the contract.
    public var name: String {
        switch self {
        case .enclaveRegistered: return "EnclaveRegistered"
        case .taskCreated: return "TaskCreated"
        case .modelSubmitted: return "ModelSubmitted"
        case .modelSold: return "ModelSold"
        case .modelScored: return "ModelScored"
        case .refunded: return "Refunded"
        case .withdrawn: return "Withdrawn"
        case .measurementTrustChanged: return "MeasurementTrustChanged"
        }
    }
}

/// A mined marketplace transaction: its receipt, the marketplace events it emitted, and the size of
/// its call data (for gas reports).
public struct MarketplaceTransaction: Hashable, Sendable {
    /// The contract function called.
    public var function: String
    /// The receipt.
    public var receipt: TransactionReceipt
    /// The marketplace's logs in the receipt, decoded.
    public var events: [MarketplaceEvent]
    /// Bytes of call data sent.
    public var callDataSize: Int

    /// The transaction hash.
    public var hash: Hash32 { receipt.transactionHash }
    /// Gas used.
    public var gasUsed: UInt64 { receipt.gasUsed }
}

/// Why a marketplace call failed; each case names the contract function.
public enum MarketplaceError: Error, Sendable, CustomStringConvertible {
    /// The contract reverted (in estimation, a call, or a mined transaction) with this reason.
    case reverted(function: String, reason: ABIRevertReason)
    /// The node could not be reached or answered with an error that is not a revert.
    case rpc(function: String, RPCClientError)
    /// A transaction method was called on a client made without a wallet.
    case noWallet(function: String)
    /// The contract's return data or logs did not decode as the interface says.
    case unexpectedOutput(function: String, reason: String)
    /// A transaction succeeded but lacks the event that carries its result.
    case missingEvent(function: String, event: String, transaction: Hash32)

    /// The revert reason, if the failure was a revert.
    public var revertReason: ABIRevertReason? {
        if case .reverted(_, let reason) = self { return reason }
        return nil
    }

    public var description: String {
        switch self {
        case .reverted(let function, let reason): return "\(function) \(reason)"
        case .rpc(let function, let error): return "\(function): \(error)"
        case .noWallet(let function): return "\(function) sends a transaction: the client needs a wallet (a key)"
        case .unexpectedOutput(let function, let reason): return "\(function) returned unexpected data: \(reason)"
        case .missingEvent(let function, let event, let transaction):
            return "\(function) transaction \(transaction) succeeded but emitted no \(event) event"
        }
    }
}
