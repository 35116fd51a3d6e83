import EVM
import Execution
import Primitives
import State
import Storage

/// Runs state-test cases (evmone `test/statetest/statetest_runner.cpp` is the model): builds the
/// pre-state in a fresh in-memory `WorldState`, applies the transaction, commits, and compares the
/// state root and logs hash with the expected ones.
///
/// A case with `expectException` passes iff the transaction is rejected and the state root is
/// the pre-state root. Skipped cases (EIP-4844) are reported, never run.
public struct StateTestRunner: Sendable {
    /// The transaction processor (Cancun precompiles, shared code cache).
    public let processor: TransactionProcessor

    /// Creates a runner.
    /// - Parameter precompiles: the precompiles of the fork under test (0x01–0x09 for Cancun here,
    ///   without the KZG precompile 0x0a).
    public init(precompiles: PrecompileRegistry) {
        processor = TransactionProcessor(precompiles: precompiles)
    }

    /// Builds a case's pre-state in a fresh in-memory state and commits it.
    /// - Parameter testCase: the case.
    /// - Returns: the state and its root.
    /// - Throws: `StateError` if the commit fails (it cannot over a `MemoryStore`).
    public static func preState(of testCase: StateTestCase) throws(StateError) -> (WorldState, Hash32) {
        let state = WorldState(store: MemoryStore())
        for account in testCase.preState {
            state.insertAccount(account.address, nonce: account.nonce, balance: account.balance, code: account.code,
                                storage: account.storage)
        }
        let root = try state.commit()
        return (state, root)
    }

    /// The Cancun precompiles as state tests see them: 0x01–0x09 of `PrecompileRegistry.cancun()`,
    /// the always-failing `PointEvaluationStandIn` at 0x0a (KZG is out of scope, but the address
    /// must be warm and priced as in mainnet Cancun), and not GoldenGrain's P256VERIFY at 0x100,
    /// which mainnet Cancun does not have (a call there must find an empty account).
    /// - Returns: the registry.
    public static func cancunPrecompiles() -> PrecompileRegistry {
        let all = PrecompileRegistry.cancun()
        var registry = PrecompileRegistry()
        for number in 1...9 {
            let address = Address(high: 0, middle: 0, low: UInt32(number))
            if let precompile = all.precompile(at: address) { registry.register(precompile, at: address) }
        }
        registry.register(PointEvaluationStandIn(), at: PointEvaluationStandIn.address)
        return registry
    }

    /// Runs one case.
    /// - Parameters:
    ///   - testCase: the case.
    ///   - tracer: receives every frame and opcode (EIP-3155), or nil.
    /// - Returns: whether it passed, the computed root and logs hash, and what went wrong.
    public func run(_ testCase: StateTestCase, tracer: (any Tracer)? = nil) -> StateTestResult {
        var result = StateTestResult(name: testCase.name, fork: testCase.fork, index: testCase.index, passed: false,
                                     skipReason: testCase.skipReason, stateRoot: .zero, logsHash: .zero, error: nil)
        if testCase.skipReason != nil { return result }
        let state: WorldState, preRoot: Hash32
        do { (state, preRoot) = try Self.preState(of: testCase) } catch {
            result.error = "pre-state: \(error)"
            return result
        }
        let emptyLogsHash = Log.hash(of: [])
        var rejection: String?
        var logsHash = emptyLogsHash
        switch testCase.transaction {
        case .failure(let error):
            rejection = "invalid transaction: \(error)"
        case .success(let transaction):
            do {
                let outcome = try processor.apply(transaction, in: testCase.block, to: state, tracer: tracer)
                logsHash = Log.hash(of: outcome.logs)
            } catch {
                rejection = error.description
            }
        }
        let root: Hash32
        do { root = rejection == nil ? try state.commit() : preRoot } catch {
            result.error = "commit: \(error)"
            return result
        }
        result.stateRoot = root
        result.logsHash = logsHash
        switch (testCase.expectedException, rejection) {
        case (let expected?, nil):
            result.error = "expected rejection \(expected), but the transaction was applied"
        case (nil, let message?):
            result.error = "unexpected rejection: \(message)"
        case (_?, let message?):
            if root == testCase.expectedStateRoot {
                result.passed = true
                result.error = message
            } else {
                result.error = "rejected (\(message)) but pre-state root \(root) differs from expected \(testCase.expectedStateRoot)"
            }
        case (nil, nil):
            if root != testCase.expectedStateRoot {
                result.error = "state root \(root), expected \(testCase.expectedStateRoot)"
            } else if logsHash != testCase.expectedLogsHash {
                result.error = "logs hash \(logsHash), expected \(testCase.expectedLogsHash)"
            } else {
                result.passed = true
            }
        }
        return result
    }
}
