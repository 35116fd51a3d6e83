import EVM
import Execution
import Foundation
import Primitives
import State

// The full outcome of one state-test case, for differential testing against another EVM (revm
// through pyrevm, Tests/difftest): not just the root a state test checks, but everything a second
// engine can be compared on — how the transaction ended, its output, gas, refund and logs, and the
// post-state of every account the execution looked at. `goldengrain statetest --jsonl` reads cases
// as JSON lines and prints one of these per line, so thousands of cases run in one process.

/// Everything one case's execution produced.
public struct StateTestOutcome: Sendable {
    /// One account after the transaction, or nil in `accounts` for an address looked at that has
    /// no account (never existed, or deleted by EIP-161 or EIP-6780).
    public struct AccountState: Sendable {
        /// The nonce.
        public var nonce: UInt64
        /// The balance in wei.
        public var balance: UInt256
        /// keccak256 of the code.
        public var codeHash: Hash32
        /// The nonzero storage slots.
        public var storage: [UInt256: UInt256]
    }

    /// The case's display name.
    public var name: String
    /// The transaction's outcome, or nil if it was rejected (`rejection` says why).
    public var transaction: TransactionOutcome?
    /// Why the transaction was rejected (invalid under the state and block), or nil if it ran.
    public var rejection: String?
    /// Every address the state holds after the transaction (the pre-state and every address read
    /// or written), with its account or nil if none exists.
    public var accounts: [Address: AccountState?]
    /// The post-state root.
    public var stateRoot: Hash32

    /// The JSON line `goldengrain statetest --jsonl` prints:
    /// `{"name":…,"status":"success"|"revert"|"halt"|"rejected","reason":…,"output":"0x…",
    /// "gasUsed":N,"refund":N,"createdAddress":…,"logs":[{"address","topics","data"}],
    /// "logsHash":…,"stateRoot":…,"accounts":{"0x…":{"nonce","balance","codeHash","storage"}|null}}`.
    /// Numbers that can exceed 2^53 (balances, slots) are hex strings; addresses are lower case.
    public var jsonLine: String {
        var line = "{\"name\":\(StateTestResult.quoted(name)),"
        if let outcome = transaction {
            let status: String
            switch outcome.status {
            case .success: status = "success"
            case .revert: status = "revert"
            default: status = "halt"
            }
            line += "\"status\":\"\(status)\",\"reason\":\"\(outcome.status)\","
            line += "\"output\":\"\(Hex.encode(outcome.output))\",\"gasUsed\":\(outcome.gasUsed),"
            line += "\"refund\":\(outcome.gasRefunded),"
            line += "\"createdAddress\":" + (outcome.createdAddress.map { "\"\(Hex.encode($0.bytes))\"" } ?? "null") + ","
            line += "\"logs\":["
            for (index, log) in outcome.logs.enumerated() {
                if index > 0 { line += "," }
                line += "{\"address\":\"\(Hex.encode(log.address.bytes))\",\"topics\":["
                line += log.topics.map { "\"\($0)\"" }.joined(separator: ",")
                line += "],\"data\":\"\(Hex.encode(log.data))\"}"
            }
            line += "],\"logsHash\":\"\(Log.hash(of: outcome.logs))\","
        } else {
            line += "\"status\":\"rejected\",\"reason\":\(StateTestResult.quoted(rejection ?? "")),"
        }
        line += "\"stateRoot\":\"\(stateRoot)\",\"accounts\":{"
        var first = true
        for address in accounts.keys.sorted() {
            if !first { line += "," }
            first = false
            line += "\"\(Hex.encode(address.bytes))\":"
            guard let account = accounts[address] ?? nil else {
                line += "null"
                continue
            }
            line += "{\"nonce\":\(account.nonce),\"balance\":\"\(account.balance.hexQuantity)\","
            line += "\"codeHash\":\"\(account.codeHash)\",\"storage\":{"
            line += account.storage.keys.sorted().map { "\"\($0.hexQuantity)\":\"\(account.storage[$0]!.hexQuantity)\"" }
                .joined(separator: ",")
            line += "}}"
        }
        return line + "}}"
    }
}

extension StateTestRunner {
    /// Runs one case and reports everything it produced (for differential testing), rather than
    /// comparing with the case's expected root.
    /// - Parameters:
    ///   - testCase: the case (its expectations are ignored).
    ///   - tracer: receives every frame and opcode (EIP-3155), or nil.
    /// - Returns: the outcome, or a rejection with the pre-state.
    /// - Throws: `StateError` if the in-memory state fails to commit (it cannot over a `MemoryStore`).
    public func execute(_ testCase: StateTestCase, tracer: (any Tracer)? = nil) throws(StateError) -> StateTestOutcome {
        let (state, preRoot) = try Self.preState(of: testCase)
        var transactionOutcome: TransactionOutcome?
        var rejection: String?
        switch testCase.transaction {
        case _ where testCase.skipReason != nil:
            rejection = "skipped: \(testCase.skipReason!)"
        case .failure(let error):
            rejection = "invalid transaction: \(error)"
        case .success(let transaction):
            do { transactionOutcome = try processor.apply(transaction, in: testCase.block, to: state, tracer: tracer) } catch {
                rejection = error.description
            }
        }
        let root = rejection == nil ? try state.commit() : preRoot
        var accounts: [Address: StateTestOutcome.AccountState?] = [:]
        for address in state.cachedAddresses {
            guard let account = state.account(at: address) else {
                accounts[address] = .some(nil)
                continue
            }
            accounts[address] = StateTestOutcome.AccountState(
                nonce: account.nonce, balance: account.balance, codeHash: account.codeHash,
                storage: state.cachedStorage(of: address))
        }
        return StateTestOutcome(name: testCase.name, transaction: transactionOutcome, rejection: rejection,
                                accounts: accounts, stateRoot: root)
    }
}

extension StateTestLoader {
    /// Reads one case from a JSON line: a state test's `env`, `pre` and `transaction` (with
    /// `data`/`gasLimit`/`value` arrays, as in a filled test), and optionally `name` and
    /// `indexes` {"data","gas","value"} (zeros if absent). `post` is ignored: the outcome is
    /// reported, not checked.
    /// - Parameters:
    ///   - line: the JSON text of one object.
    ///   - defaultName: the name to use if the object has none.
    /// - Returns: the case.
    /// - Throws: `StateTestError` if the line is not such an object.
    public static func load(caseLine line: Data, defaultName: String) throws(StateTestError) -> StateTestCase {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                throw StateTestError.notJSON(path: defaultName, reason: "the line is not a JSON object")
            }
            object = parsed
        } catch let error as StateTestError {
            throw error
        } catch {
            throw .notJSON(path: defaultName, reason: "\(error.localizedDescription)")
        }
        let name = object["name"] as? String ?? defaultName
        guard let env = object["env"] as? [String: Any] else { throw .missingField(test: name, field: "env") }
        guard let pre = object["pre"] as? [String: Any] else { throw .missingField(test: name, field: "pre") }
        guard let transaction = object["transaction"] as? [String: Any] else {
            throw .missingField(test: name, field: "transaction")
        }
        let indexes = object["indexes"] as? [String: Any] ?? [:]
        let dataIndex = indexes["data"] as? Int ?? 0, gasIndex = indexes["gas"] as? Int ?? 0
        let valueIndex = indexes["value"] as? Int ?? 0
        let block = try loadEnvironment(env, test: name)
        let preState = try loadPreState(pre, test: name)
        var isBlobTransaction = transaction["blobVersionedHashes"] != nil || transaction["maxFeePerBlobGas"] != nil
        if let type = transaction["type"] as? String, type == "0x03" { isBlobTransaction = true }
        let built: Result<ExecutionTransaction, StateTestError>
        do {
            built = .success(try buildTransaction(transaction, dataIndex: dataIndex, gasIndex: gasIndex,
                                                  valueIndex: valueIndex, test: name))
        } catch {
            built = .failure(error)
        }
        return StateTestCase(name: name, fork: "Cancun", index: 0, block: block, preState: preState, transaction: built,
                             expectedStateRoot: .zero, expectedLogsHash: .zero, expectedException: nil,
                             skipReason: isBlobTransaction ? "EIP-4844 blob transaction is out of scope" : nil)
    }
}
