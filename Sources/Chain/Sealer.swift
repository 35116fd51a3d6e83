import Foundation
import Synchronization

/// The period-N sealer (EIP-225 with period > 0, or interval mining on a period-0 dev chain): a
/// thread that seals a block on the node's head whenever the node says this signer's seal is due
/// (`Node.nextSealDue`), waiting the out-of-turn wiggle.
/// One named part of the node; automine and evm_mine seal on the caller's thread instead.
final class Sealer: Sendable {
    private struct Running {
        var thread: Thread?
        var isStopped = true
    }

    private let running = Mutex(Running())

    /// Whether the sealer was stopped (or never started).
    var isStopped: Bool { running.withLock { $0.isStopped } }

    /// Starts the sealing thread for `node` if it is not running.
    func start(_ node: Node) {
        running.withLock { running in
            guard running.thread == nil else { return }
            running.isStopped = false
            let thread = Thread { [weak node, weak self] in
                guard let node, let self else { return }
                self.loop(node)
            }
            thread.name = "goldengrain-sealer"
            running.thread = thread
            thread.start()
        }
    }

    /// Stops the thread. When this returns no seal is in progress and none will start: the flag is
    /// checked under the node's lock, which this takes once after setting it.
    func stop(_ node: Node) {
        running.withLock { running in
            running.isStopped = true
            running.thread = nil
        }
        node.locked {}
    }

    private func loop(_ node: Node) {
        while true {
            let due: Double? = node.locked {
                if isStopped { return nil }
                return node.nextSealDue()
            }
            guard let due else { return }
            let wait = due - Date().timeIntervalSince1970
            if wait > 0 {
                Thread.sleep(forTimeInterval: min(wait, 0.25))
                continue
            }
            node.locked {
                // Still due? (Interval mining may have been switched off since the check above.)
                guard !isStopped, node.nextSealDue() <= Date().timeIntervalSince1970 else { return }
                do throws(NodeError) {
                    _ = try node.mineBlockLocked(timestamp: nil, maximumTransactions: .max)
                } catch {
                    node.log("sealing failed: \(error)")
                }
                node.scheduleNextIntervalSeal()
            }
            if isStopped { return }
        }
    }
}
