import Chain
import ChainTypes
import Foundation
import Primitives
import Testing
import TestSupport

/// One case of ethereum/tests TransactionTests: a raw transaction and what Cancun makes of it.
struct TransactionVector: Sendable, CustomTestStringConvertible {
    /// "folder/file/caseName".
    var name: String
    var transactionBytes: [UInt8]
    /// The fork whose result is used: Cancun, or the latest fork the case lists when it lists no Cancun.
    var fork: String
    /// The expected exception name (e.g. "TransactionException.INVALID_CHAINID"), or nil if valid.
    var exception: String?
    var expectedHash: Hash32?
    var expectedSender: Address?
    var expectedIntrinsicGas: UInt64?

    var testDescription: String { name }
}

/// Loads TransactionTests in place from ../shared/fixtures/ethereum-tests/TransactionTests.
enum TransactionVectors {
    /// The chain id the vectors are signed for (mainnet).
    static let chainId: UInt64 = 1

    /// Forks from oldest to newest; a case without a Cancun result is judged by the newest it lists
    /// (61 cases of ttWrongRLP and ttSignature stop at Shanghai or London: pure decoding failures
    /// whose outcome no later fork changes).
    static let forkOrder = ["Frontier", "Homestead", "EIP150", "EIP158", "Byzantium", "Constantinople",
                            "ConstantinopleFix", "Istanbul", "Berlin", "London", "Paris", "Shanghai", "Cancun"]

    static let folder = TestFiles.fixture("ethereum-tests/TransactionTests")

    /// Every case of every file, sorted by name.
    static let all: [TransactionVector] = load()

    /// Blob (EIP-4844, type 3) cases: out of scope, skipped.
    static let blobCases = all.filter { $0.transactionBytes.first == 0x03 }

    /// The cases that run.
    static let inScope = all.filter { $0.transactionBytes.first != 0x03 }

    static func load() -> [TransactionVector] {
        // A missing folder gives no cases, which the count test reports.
        let files = (try? TestFiles.jsonFiles(in: folder)) ?? []
        var vectors: [TransactionVector] = []
        for file in files {
            let relative = file.path.replacingOccurrences(of: folder.path + "/", with: "")
                .replacingOccurrences(of: ".json", with: "")
            let object: [String: Any]
            do { object = try TestFiles.jsonObject(at: file) } catch { fatalError("\(error)") }
            for (caseName, value) in object {
                guard let body = value as? [String: Any], let raw = body["txbytes"] as? String,
                      let results = body["result"] as? [String: Any],
                      let fork = forkOrder.last(where: { results[$0] != nil }),
                      let result = results[fork] as? [String: Any] else {
                    fatalError("unexpected shape of \(relative) \(caseName)")
                }
                let intrinsic = (result["intrinsicGas"] as? String).map { ChainTestSupport.word($0).low64 }
                vectors.append(TransactionVector(
                    name: "\(relative)/\(caseName)",
                    transactionBytes: ChainTestSupport.bytes(raw),
                    fork: fork,
                    exception: result["exception"] as? String,
                    expectedHash: (result["hash"] as? String).map(ChainTestSupport.hash),
                    expectedSender: (result["sender"] as? String).map(ChainTestSupport.address),
                    expectedIntrinsicGas: intrinsic))
            }
        }
        return vectors.sorted { $0.name < $1.name }
    }

    /// Whether a thrown error is the kind the vector's exception names.
    static func matches(_ error: TransactionError, exception: String) -> Bool {
        let name = exception.replacingOccurrences(of: "TransactionException.", with: "")
        switch (name, error) {
        case ("INTRINSIC_GAS_TOO_LOW", .intrinsicGasTooLow),
             ("NONCE_TOO_BIG", .nonceAtMaximum),
             ("GASLIMIT_PRICE_PRODUCT_OVERFLOW", .gasCostOverflow),
             ("PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS", .priorityFeeAboveMaxFee),
             ("PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2", .priorityFeeAboveMaxFee),
             ("INITCODE_SIZE_EXCEEDED", .initCodeTooLarge),
             ("EC_RECOVERY_FAIL", .recoveryFailed),
             ("INVALID_CHAINID", .chainIdMismatch), ("INVALID_CHAINID", .invalidV),
             ("TYPE_NOT_SUPPORTED", .unsupportedType), ("TYPE_NOT_SUPPORTED", .invalidEnvelope):
            return true
        case ("INVALID_SIGNATURE_VRS", .signatureValueOutOfRange), ("INVALID_SIGNATURE_VRS", .highS),
             ("INVALID_SIGNATURE_VRS", .invalidYParity), ("INVALID_SIGNATURE_VRS", .invalidV):
            // A legacy v of 0 or 1 is reported as a bad v, r, s by the fillers and as a bad v here.
            return true
        case ("INVALID_SIGNATURE_VRS", .malformedField(let field, _)):
            return ["v", "r", "s", "yParity"].contains(field)
        case ("ADDRESS_TOO_SHORT", .invalidAddressLength(let field, let length)):
            return field == "to" && length < 20
        case ("ADDRESS_TOO_LONG", .invalidAddressLength(let field, let length)):
            return field == "to" && length > 20
        case ("RLP_INVALID_ACCESS_LIST_ADDRESS_TOO_SHORT", .invalidAddressLength(let field, let length)):
            return field == "accessList address" && length < 20
        case ("RLP_INVALID_ACCESS_LIST_ADDRESS_TOO_LONG", .invalidAddressLength(let field, let length)):
            return field == "accessList address" && length > 20
        case ("RLP_INVALID_ACCESS_LIST_STORAGE_TOO_SHORT", .invalidStorageKeyLength(let length)):
            return length < 32
        case ("RLP_INVALID_ACCESS_LIST_STORAGE_TOO_LONG", .invalidStorageKeyLength(let length)):
            return length > 32
        case ("NONCE_OVERFLOW", .malformedField("nonce", .integerTooLarge)),
             ("GASPRICE_OVERFLOW", .malformedField("gasPrice", .integerTooLarge)),
             ("GASPRICE_OVERFLOW", .malformedField("maxFeePerGas", .integerTooLarge)),
             ("PRIORITY_OVERFLOW", .malformedField("maxPriorityFeePerGas", .integerTooLarge)),
             ("VALUE_OVERFLOW", .malformedField("value", .integerTooLarge)):
            return true
        case ("GASLIMIT_OVERFLOW", .malformedField("gasLimit", let rlpError)):
            // TransactionWithGasLimitOverflowZeros64 is both too wide and zero-padded; the strict
            // reader reports the leading zero first.
            switch rlpError {
            case .integerTooLarge, .leadingZeroInInteger: return true
            default: return false
            }
        case (_, .malformedField(let field, .leadingZeroInInteger)) where name.hasPrefix("RLP_LEADING_ZEROS_"):
            let leadingZeroField = ["NONCE": "nonce", "GASPRICE": "gasPrice", "GASLIMIT": "gasLimit", "VALUE": "value",
                                    "R": "r", "S": "s", "V": "v", "BASEFEE": "maxFeePerGas",
                                    "PRIORITY_FEE": "maxPriorityFeePerGas"]
            return leadingZeroField[String(name.dropFirst("RLP_LEADING_ZEROS_".count))] == field
        case (_, .malformedField), (_, .wrongFieldCount), (_, .emptyInput), (_, .invalidEnvelope):
            // Other RLP-level rejections (sizes, headers, list-for-string, element counts).
            return name.hasPrefix("RLP_")
        default:
            return false
        }
    }
}

/// ethereum/tests TransactionTests, every case by name (fixtures read in place).
@Suite("TransactionTests vectors")
struct TransactionVectorTests {
    @Test("TransactionTests case", arguments: TransactionVectors.inScope)
    func transactionCase(_ vector: TransactionVector) throws {
        let outcome: Result<(Transaction, Address), TransactionError>
        var decoded: Transaction?
        do throws(TransactionError) {
            let transaction = try Transaction(encoded: vector.transactionBytes)
            decoded = transaction
            let sender = try transaction.recoverSender(chainId: TransactionVectors.chainId)
            try transaction.validateWithoutState()
            outcome = .success((transaction, sender))
        } catch {
            outcome = .failure(error)
        }
        if let transaction = decoded, let expected = vector.expectedIntrinsicGas, expected != 0 {
            #expect(transaction.intrinsicGas == expected, "intrinsic gas")
        }
        switch (outcome, vector.exception) {
        case (.success(let (transaction, sender)), nil):
            #expect(transaction.hash == vector.expectedHash)
            #expect(sender == vector.expectedSender)
            #expect(transaction.encoded == vector.transactionBytes, "re-encoding is byte-identical")
        case (.success, let exception?):
            Issue.record("accepted, expected \(exception) (\(vector.fork))")
        case (.failure(let error), nil):
            Issue.record("rejected with \"\(error)\", expected valid")
        case (.failure(let error), let exception?):
            #expect(TransactionVectors.matches(error, exception: exception),
                    "rejected with \"\(error)\", expected \(exception) (\(vector.fork))")
        }
    }

    @Test func vectorCountsAreComplete() {
        // 210 files, one case each; ttData/String10MbData* are absent from the snapshot (fixtures README).
        #expect(TransactionVectors.all.count == 210)
        // No blob (type 3) transaction appears in this snapshot of TransactionTests; any would be skipped.
        #expect(TransactionVectors.blobCases.count == 0)
        #expect(TransactionVectors.inScope.count == 210)
        #expect(TransactionVectors.inScope.filter { $0.exception == nil }.count == 50)
    }
}
