import Synchronization

/// Admits calls into a resource until it is closed, then lets the closer wait for the calls in flight.
///
/// This is what makes `LevelDBStore.close()` safe to race with `get`, `put`, `forEach` and the rest:
/// a call enters the gate before it touches the LevelDB handle and leaves it afterwards; `shut()`
/// stops new entries at once and returns only when every admitted call has left, so the handle is
/// never freed under a running call.
///
/// The state is one atomic word: bit 0 is the "closed" flag and the remaining bits count the calls in
/// flight (in steps of 2). Entering is one atomic add, so concurrent readers never serialise on a lock.
///
/// Invariants and limits:
/// - `enter()` and `leave()` pair up exactly; `leave()` without a successful `enter()` is our bug.
/// - Entries nest (a `forEach` body may call `get` on the same store), because entering only adds.
/// - `shut()` must not be called by a thread that is itself inside the gate (for example from a
///   `forEach` body of the same store): it would wait for itself forever.
final class UseGate: Sendable {
    /// Bit 0: closed. Bits 1...: number of calls in flight, times two.
    private let state = Atomic<Int>(0)

    /// The closed bit of `state`.
    private static let closedBit = 1
    /// The amount one call in flight adds to `state`.
    private static let oneCall = 2

    /// Creates an open gate with no call in flight.
    init() {}

    /// Admits one call, unless the gate is shut.
    /// - Returns: true if the call was admitted (it must then call `leave()`), false if the gate is shut.
    func enter() -> Bool {
        let previous = state.wrappingAdd(Self.oneCall, ordering: .acquiring).oldValue
        if previous & Self.closedBit != 0 {
            // Shut already: undo our count so the closer's drain still reaches zero.
            state.wrappingSubtract(Self.oneCall, ordering: .releasing)
            return false
        }
        return true
    }

    /// Ends a call admitted by `enter()`.
    func leave() {
        let previous = state.wrappingSubtract(Self.oneCall, ordering: .releasing).oldValue
        precondition(previous >= Self.oneCall, "UseGate.leave() without a matching enter()")
    }

    /// Whether the gate has been shut.
    var isShut: Bool { state.load(ordering: .acquiring) & Self.closedBit != 0 }

    /// Stops new calls from entering and waits until every admitted call has left.
    /// - Returns: true for the one caller that shut the gate (it now owns the teardown), false if the gate
    ///   was already shut by someone else.
    func shut() -> Bool {
        let previous = state.bitwiseOr(Self.closedBit, ordering: .acquiringAndReleasing).oldValue
        guard previous & Self.closedBit == 0 else { return false }
        // Calls in flight are short (one LevelDB call, or one forEach), so a polite spin is enough.
        var spins = 0
        while state.load(ordering: .acquiring) != Self.closedBit {
            spins += 1
            if spins < 1_000 {
                continue
            }
            yieldProcessor()
        }
        return true
    }
}

#if canImport(Glibc)
import Glibc
/// Gives the processor to another thread while `UseGate.shut()` waits.
private func yieldProcessor() { _ = sched_yield() }
#elseif canImport(Darwin)
import Darwin
/// Gives the processor to another thread while `UseGate.shut()` waits.
private func yieldProcessor() { _ = sched_yield() }
#else
/// Gives the processor to another thread while `UseGate.shut()` waits.
private func yieldProcessor() {}
#endif
