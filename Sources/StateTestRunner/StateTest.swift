import EVM
import Execution
import Foundation
import Primitives

/// One account of a state test's `pre` allocation.
public struct PreStateAccount: Sendable {
    /// The address.
    public var address: Address
    /// The nonce.
    public var nonce: UInt64
    /// The balance in wei.
    public var balance: UInt256
    /// The code.
    public var code: [UInt8]
    /// The storage (zero values are dropped when loaded).
    public var storage: [UInt256: UInt256]

    /// Creates a pre-state account.
    /// - Parameters:
    ///   - address: the address.
    ///   - nonce: the nonce.
    ///   - balance: the balance.
    ///   - code: the code.
    ///   - storage: the storage.
    public init(address: Address, nonce: UInt64, balance: UInt256, code: [UInt8], storage: [UInt256: UInt256]) {
        self.address = address; self.nonce = nonce; self.balance = balance; self.code = code; self.storage = storage
    }
}

/// One case of a GeneralStateTests file: one fork's expectation for one choice of the
/// transaction's data, gas and value indexes (ethereum/tests `post.<fork>[i]`).
public struct StateTestCase: Sendable {
    /// The test's display name: "<file path relative to the folder run>:<test name>".
    public var name: String
    /// The fork ("Cancun").
    public var fork: String
    /// The position in `post.<fork>`.
    public var index: Int
    /// The block.
    public var block: BlockEnvironment
    /// The pre-state.
    public var preState: [PreStateAccount]
    /// The transaction, or why the test's JSON cannot describe a valid one (a value beyond 256
    /// bits, a gas limit beyond 64 bits): such a transaction is rejected, as a client would reject
    /// its encoding.
    public var transaction: Result<ExecutionTransaction, StateTestError>
    /// The expected post-state root (`hash`).
    public var expectedStateRoot: Hash32
    /// The expected logs hash (`logs`).
    public var expectedLogsHash: Hash32
    /// The exception the transaction must be rejected with (`expectException`), if any.
    public var expectedException: String?
    /// Why the case is skipped (an out-of-scope feature), or nil to run it.
    public var skipReason: String?
}

/// The outcome of running one case.
public struct StateTestResult: Sendable {
    /// The case's display name.
    public var name: String
    /// The fork.
    public var fork: String
    /// The case index.
    public var index: Int
    /// Whether the case passed (false for skipped cases).
    public var passed: Bool
    /// Why the case was skipped, or nil if it ran.
    public var skipReason: String?
    /// The computed post-state root (zero if skipped).
    public var stateRoot: Hash32
    /// The computed logs hash (zero if skipped).
    public var logsHash: Hash32
    /// What went wrong (a mismatch, or an unexpected or missing rejection), or the expected
    /// rejection's message; nil otherwise.
    public var error: String?

    /// Creates a result.
    /// - Parameters:
    ///   - name: the case's display name.
    ///   - fork: the fork.
    ///   - index: the case index.
    ///   - passed: whether it passed.
    ///   - skipReason: why it was skipped, or nil.
    ///   - stateRoot: the computed state root.
    ///   - logsHash: the computed logs hash.
    ///   - error: what went wrong, or nil.
    public init(name: String, fork: String, index: Int, passed: Bool, skipReason: String?, stateRoot: Hash32,
                logsHash: Hash32, error: String?) {
        self.name = name; self.fork = fork; self.index = index; self.passed = passed; self.skipReason = skipReason
        self.stateRoot = stateRoot; self.logsHash = logsHash; self.error = error
    }

    /// The JSON line `goldengrain statetest` prints for the case:
    /// {"name":…,"fork":…,"index":N,"pass":…,"stateRoot":…,"logsHash":…,"error":…}.
    public var jsonLine: String {
        var line = "{\"name\":\(Self.quoted(name)),\"fork\":\(Self.quoted(fork)),\"index\":\(index),"
        line += "\"pass\":\(passed),"
        if let skipReason { line += "\"skipped\":\(Self.quoted(skipReason)),"}
        line += "\"stateRoot\":\"\(stateRoot)\",\"logsHash\":\"\(logsHash)\","
        line += "\"error\":\(error.map(Self.quoted) ?? "null")}"
        return line
    }

    /// A JSON string literal.
    /// - Parameter text: the text.
    /// - Returns: the text quoted and escaped as a JSON string.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let digits = String(scalar.value, radix: 16); out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
