import Primitives
import Signatures

/// The enclave's signed statement about one model (issue 11, rule 4; DESIGN.md §5 step 4):
///
///     BenchmarkResult(uint256 taskId,uint256 modelId,bytes32 modelHash,bytes32 datasetHash,
///                     uint16 accuracyBps,bytes32 logitsHash,bytes32 keyForBuyerHash)
///
/// in the domain {name "GoldenGrain", version "1", chainId, verifyingContract = the marketplace}.
/// keyForBuyerHash is keccak256 of keyForBuyer (the model key K sealed to the buyer). The contract
/// accepts the 65-byte r ‖ s ‖ v signature when the signer is the task's enclave.
public struct BenchmarkResult: Hashable, Sendable {
    /// The task.
    public var taskId: UInt256
    /// The model (global id).
    public var modelId: UInt256
    /// keccak256 of the plaintext model file.
    public var modelHash: Hash32
    /// keccak256 of the plaintext test-set file.
    public var datasetHash: Hash32
    /// Accuracy in basis points, 0…10000.
    public var accuracyBps: UInt16
    /// keccak256 of all logits (docs/formats.md, "Inference precompile input").
    public var logitsHash: Hash32
    /// keccak256 of keyForBuyer.
    public var keyForBuyerHash: Hash32

    /// Creates a result.
    /// - Parameters:
    ///   - taskId: the task.
    ///   - modelId: the model.
    ///   - modelHash: keccak256 of the model file.
    ///   - datasetHash: keccak256 of the test-set file.
    ///   - accuracyBps: accuracy in basis points.
    ///   - logitsHash: keccak256 of the logits.
    ///   - keyForBuyerHash: keccak256 of the sealed key for the buyer.
    public init(taskId: UInt256, modelId: UInt256, modelHash: Hash32, datasetHash: Hash32, accuracyBps: UInt16,
                logitsHash: Hash32, keyForBuyerHash: Hash32) {
        self.taskId = taskId
        self.modelId = modelId
        self.modelHash = modelHash
        self.datasetHash = datasetHash
        self.accuracyBps = accuracyBps
        self.logitsHash = logitsHash
        self.keyForBuyerHash = keyForBuyerHash
    }

    /// The struct's EIP-712 definition.
    public static let types = EIP712Types(["BenchmarkResult": [
        .init("taskId", "uint256"), .init("modelId", "uint256"), .init("modelHash", "bytes32"),
        .init("datasetHash", "bytes32"), .init("accuracyBps", "uint16"), .init("logitsHash", "bytes32"),
        .init("keyForBuyerHash", "bytes32"),
    ]])

    /// encodeType, exactly as issue 11 writes it.
    public static let encodedType =
        "BenchmarkResult(uint256 taskId,uint256 modelId,bytes32 modelHash,bytes32 datasetHash,uint16 accuracyBps,bytes32 logitsHash,bytes32 keyForBuyerHash)"

    /// The members as a tuple, in order.
    public var value: ABIValue {
        .tuple([.uint(taskId), .uint(modelId), .bytes32(modelHash), .bytes32(datasetHash),
                .uint(UInt256(UInt64(accuracyBps))), .bytes32(logitsHash), .bytes32(keyForBuyerHash)])
    }

    /// hashStruct(result).
    public var structHash: Hash32 {
        do {
            return try Self.types.hashStruct("BenchmarkResult", value)
        } catch {
            preconditionFailure("BenchmarkResult's fixed members failed to hash: \(error)")
        }
    }

    /// The digest the enclave signs in a domain.
    /// - Parameter domain: the marketplace's domain.
    /// - Returns: keccak256(0x1901 ‖ domainSeparator ‖ structHash).
    public func digest(in domain: EIP712Domain) -> Hash32 {
        EIP712.digest(domainSeparator: domain.separator, structHash: structHash)
    }

    /// Signs the result as the enclave.
    /// - Parameters:
    ///   - key: the enclave's key.
    ///   - domain: the marketplace's domain.
    /// - Returns: 65 bytes r ‖ s ‖ v, v ∈ {27, 28}, low s.
    public func signature(with key: PrivateKey, in domain: EIP712Domain) -> [UInt8] {
        EIP712.sign(digest: digest(in: domain), with: key)
    }

    /// The address that signed this result.
    /// - Parameters:
    ///   - signature: r ‖ s ‖ v.
    ///   - domain: the marketplace's domain.
    /// - Returns: the signer.
    /// - Throws: `EIP712Error.invalidSignature`.
    public func signer(of signature: [UInt8], in domain: EIP712Domain) throws(EIP712Error) -> Address {
        try EIP712.recoverSigner(digest: digest(in: domain), signature: signature)
    }
}
