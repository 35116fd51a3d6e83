import Inference
import Primitives
import Signatures

/// The enclave's scoring of one model on one task's test set (docs/protocol.md, message 4), with
/// no I/O: the caller fetches the encrypted files, this opens the sealed keys with the enclave key
/// (ECIES), decrypts (GGE1), checks both keccak-256 hashes against the chain's, parses the GGD and
/// GGM files and runs the deterministic int8 forward pass, the same evaluation INFERENCE_EVAL runs:
/// correct, total and logitsHash, accuracyBps = ⌊10000·correct/total⌋. K is then sealed again to the
/// buyer's public key (keyForBuyer).
///
/// Failures split by whose they are:
/// - the **test set** (`openTestSet`) and the **buyer key** (`buyerKey`) are the provider's: an
///   error is thrown and the task's models are left unscored (a developer's model is not scored 0
///   for a broken task);
/// - the **model** (`scoreModel`) is the developer's: a model that cannot be opened, decrypted or
///   parsed, whose hash differs, or that does not fit the test set, scores 0 with logitsHash 0 and
///   an empty keyForBuyer, and the score carries the reason.
public enum Benchmark {
    /// Opens a task's test set.
    /// - Parameters:
    ///   - encrypted: the GGE1 file fetched from datasetURI.
    ///   - sealedKey: sealedDatasetKey from taskData (ECIES to the enclave).
    ///   - expectedHash: datasetHash from taskInfo: keccak-256 of the plaintext GGD file.
    ///   - enclaveKey: the enclave's private key.
    /// - Returns: the parsed dataset.
    /// - Throws: `BenchmarkError` naming the step and the values.
    public static func openTestSet(encrypted: [UInt8], sealedKey: [UInt8], expectedHash: Hash32,
                                   enclaveKey: PrivateKey) throws(BenchmarkError) -> Dataset {
        let plaintext = try open(encrypted: encrypted, sealedKey: sealedKey, expectedHash: expectedHash,
                                 enclaveKey: enclaveKey, file: .testSet).plaintext
        do {
            return try Dataset(bytes: plaintext)
        } catch {
            throw .unparsable(.testSet, error)
        }
    }

    /// Scores a model on an opened test set; never throws: a model that fails any step scores 0.
    /// - Parameters:
    ///   - encrypted: the GGE1 file fetched from modelURI.
    ///   - sealedKey: sealedModelKey from modelData (ECIES to the enclave).
    ///   - expectedHash: modelHash from modelInfo: keccak-256 of the plaintext GGM file.
    ///   - testSet: the task's test set (`openTestSet`).
    ///   - enclaveKey: the enclave's private key.
    ///   - buyer: the task's buyer key (`buyerKey(_:)`), which K is sealed to again.
    ///   - threadCount: GEMM threads (the result does not depend on it).
    /// - Returns: the score, or a zero score with the reason.
    public static func scoreModel(encrypted: [UInt8], sealedKey: [UInt8], expectedHash: Hash32, testSet: Dataset,
                                  enclaveKey: PrivateKey, buyer: PublicKey, threadCount: Int = 1) -> BenchmarkScore {
        do {
            return try evaluate(encrypted: encrypted, sealedKey: sealedKey, expectedHash: expectedHash, testSet: testSet,
                                enclaveKey: enclaveKey, buyer: buyer, threadCount: threadCount)
        } catch {
            return .zero(because: error)
        }
    }

    /// The buyer's public key from taskData, checked: K is sealed to it.
    /// - Parameter bytes: buyerPublicKey (64 bytes x ‖ y).
    /// - Returns: the key.
    /// - Throws: `BenchmarkError.invalidBuyerKey` if it is not a secp256k1 point.
    public static func buyerKey(_ bytes: [UInt8]) throws(BenchmarkError) -> PublicKey {
        guard bytes.count == 64 else {
            throw .invalidBuyerKey(length: bytes.count, reason: "expected 64 bytes x ‖ y")
        }
        do { return try PublicKey(bytes: bytes) } catch {
            throw .invalidBuyerKey(length: bytes.count, reason: "\(error)")
        }
    }

    static func evaluate(encrypted: [UInt8], sealedKey: [UInt8], expectedHash: Hash32, testSet: Dataset,
                         enclaveKey: PrivateKey, buyer: PublicKey, threadCount: Int) throws(BenchmarkError) -> BenchmarkScore {
        let (plaintext, key) = try open(encrypted: encrypted, sealedKey: sealedKey, expectedHash: expectedHash,
                                        enclaveKey: enclaveKey, file: .model)
        let model: QuantizedModel
        do { model = try QuantizedModel(bytes: plaintext) } catch { throw .unparsable(.model, error) }
        let result: EvaluationResult
        do { result = try model.evaluate(on: testSet, threadCount: threadCount) } catch { throw .incompatible(error) }
        return BenchmarkScore(accuracyBps: UInt16(result.accuracyBasisPoints), logitsHash: result.logitsHash,
                              keyForBuyer: ECIES.seal(key, to: buyer), correct: result.correct,
                              total: result.total, failure: nil)
    }

    /// Opens one encrypted file: unseal K, decrypt, check the hash.
    static func open(encrypted: [UInt8], sealedKey: [UInt8], expectedHash: Hash32, enclaveKey: PrivateKey,
                     file: BenchmarkError.File) throws(BenchmarkError) -> (plaintext: [UInt8], key: [UInt8]) {
        let key: [UInt8]
        do { key = try ECIES.open(sealedKey, with: enclaveKey) } catch { throw .keyNotOpened(file, error) }
        guard key.count == AESGCM.keyByteCount else { throw .wrongKeyLength(file, key.count) }
        let plaintext: [UInt8]
        do { plaintext = try EncryptedModel.open(encrypted, key: key) } catch { throw .notDecrypted(file, error) }
        let actual = Keccak256.hash(plaintext)
        guard actual == expectedHash else { throw .hashMismatch(file, expected: expectedHash, actual: actual) }
        return (plaintext, key)
    }
}

/// What the enclave signs about one model, and how it was reached.
public struct BenchmarkScore: Equatable, Sendable {
    /// ⌊10000·correct/total⌋, or 0 for a model that failed.
    public var accuracyBps: UInt16
    /// keccak-256 of all logits (as INFERENCE_EVAL), or zero for a model that failed.
    public var logitsHash: Hash32
    /// K sealed to the buyer, or empty for a model that failed.
    public var keyForBuyer: [UInt8]
    /// Samples classified correctly.
    public var correct: Int
    /// Samples scored.
    public var total: Int
    /// Why the model scored 0 without being evaluated; nil for a real evaluation.
    public var failure: BenchmarkError?

    /// Creates a score.
    public init(accuracyBps: UInt16, logitsHash: Hash32, keyForBuyer: [UInt8], correct: Int, total: Int,
                failure: BenchmarkError?) {
        self.accuracyBps = accuracyBps
        self.logitsHash = logitsHash
        self.keyForBuyer = keyForBuyer
        self.correct = correct
        self.total = total
        self.failure = failure
    }

    /// The score of a model that could not be evaluated: 0 bps, logitsHash 0, no key.
    /// - Parameter error: why.
    /// - Returns: the zero score carrying the reason.
    public static func zero(because error: BenchmarkError) -> BenchmarkScore {
        BenchmarkScore(accuracyBps: 0, logitsHash: .zero, keyForBuyer: [], correct: 0, total: 0, failure: error)
    }
}

/// Why a test set or a model could not be scored. Each case names the file and the values.
public enum BenchmarkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which of the two files.
    public enum File: String, Hashable, Sendable {
        /// The task's test set (GGD).
        case testSet = "test set"
        /// The developer's model (GGM).
        case model = "model"
    }

    /// The file could not be fetched from its URI.
    case notFetched(File, URIFetchError)
    /// The sealed key does not open with the enclave key (ECIES).
    case keyNotOpened(File, ECIESError)
    /// The sealed key opened to something other than a 32-byte AES-256 key.
    case wrongKeyLength(File, Int)
    /// The GGE1 file does not decrypt with the key (altered, truncated, or another key).
    case notDecrypted(File, InferenceError)
    /// keccak-256 of the plaintext differs from the hash on chain.
    case hashMismatch(File, expected: Hash32, actual: Hash32)
    /// The plaintext is not a valid GGD / GGM file.
    case unparsable(File, InferenceError)
    /// The model does not fit the test set (feature count, classes).
    case incompatible(InferenceError)
    /// The task's buyerPublicKey is not a secp256k1 point: K cannot be sealed to it.
    case invalidBuyerKey(length: Int, reason: String)

    /// Whether trying again later may succeed (only a transient fetch failure).
    public var isTransient: Bool {
        if case .notFetched(_, let error) = self { return error.isTransient }
        return false
    }

    public var description: String {
        switch self {
        case .notFetched(let file, let error): return "\(file.rawValue) not fetched: \(error)"
        case .keyNotOpened(let file, let error):
            return "\(file.rawValue) key does not open with the enclave key: \(error)"
        case .wrongKeyLength(let file, let count):
            return "\(file.rawValue) key opened to \(count) bytes, expected 32 (AES-256)"
        case .notDecrypted(let file, let error): return "\(file.rawValue) does not decrypt: \(error)"
        case .hashMismatch(let file, let expected, let actual):
            return "\(file.rawValue) hash mismatch: keccak-256 of the decrypted file is \(actual), the chain says \(expected)"
        case .unparsable(let file, let error):
            return "\(file.rawValue) is not a valid \(file == .model ? "GGM" : "GGD") file: \(error)"
        case .incompatible(let error): return "model does not fit the test set: \(error)"
        case .invalidBuyerKey(let length, let reason):
            return "the task's buyer public key (\(length) bytes) is not a secp256k1 point: \(reason)"
        }
    }
}
