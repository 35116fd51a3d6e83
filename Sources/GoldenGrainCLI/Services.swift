import Chain
import Dispatch
import Foundation
import Logging
import ServiceLifecycle

// The long-running parts of `goldengrain node` and `goldengrain enclave serve` as services of one
// swift-service-lifecycle ServiceGroup (as Hummingbird applications run): SIGINT and SIGTERM start
// a graceful shutdown that stops the services in the reverse of their start order, so the node
// stops taking requests before it stops sealing, and the store is closed only after all of them.

/// The period-N sealer (`Node.startSealing`): seals until the group shuts down. With automine or a
/// period of 0 it has nothing to do and just waits.
struct SealerService: Service {
    let node: Node

    func run() async throws {
        node.startSealing()
        try? await gracefulShutdown()
        node.stopSealing()
    }
}

/// One log line per new block on standard output, until the group shuts down.
struct BlockLogService: Service {
    let node: Node

    func run() async throws {
        let stream = node.newHeads()
        for await record in stream.cancelOnGracefulShutdown() where node.isLoggingEnabled {
            // anvil_setLoggingEnabled(false) silences these lines as it silences anvil's.
            NodeStartup.say("Block #\(record.number)  transactions: \(record.block.transactions.count)  gas used: \(record.header.gasUsed)  hash: \(record.hash)")
        }
    }
}

/// A piece of async work as a service that is cancelled when the group shuts down (the enclave
/// worker: `EnclaveWorker.run` stops at cancellation). Whatever the work throws once cancelled is
/// the shutdown itself, not a failure.
struct TaskService: Service, CustomStringConvertible {
    let description: String
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            do { try await body() } catch { if !Task.isCancelled { throw error } }
        }
    }
}

enum ServiceRunner {
    /// How long services get to stop after a signal before they are cancelled, and then how long
    /// cancellation may take before the process exits anyway.
    static let gracefulShutdownLimit: Duration = .seconds(10)
    static let cancellationLimit: Duration = .seconds(5)

    /// A service that must keep running: its end (error or not) shuts the whole group down.
    static func essential(_ service: any Service, name: String) -> ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup,
              failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: name)
    }

    /// A service whose end (error or not) the others outlive (the block log, the in-node worker).
    static func optional(_ service: any Service, name: String) -> ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: service, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore,
              serviceName: name)
    }

    /// Runs the services in one group until SIGINT or SIGTERM (or an essential service ends), and
    /// blocks the calling thread meanwhile: the commands of this CLI are synchronous, and the node's
    /// tasks run on the NIO event loops (the global executor), never on this thread.
    /// - Parameter services: the services, in start order (they stop in reverse).
    /// - Returns: nil after a graceful shutdown; the error an essential service ended with otherwise.
    static func run(_ services: [ServiceGroupConfiguration.ServiceConfiguration]) -> (any Error)? {
        var logger = Logger(label: "goldengrain.services")
        logger.logLevel = .warning
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger)
        configuration.maximumGracefulShutdownDuration = gracefulShutdownLimit
        configuration.maximumCancellationDuration = cancellationLimit
        let group = ServiceGroup(configuration: configuration)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await group.run() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        return outcome.error
    }

    private final class Outcome: @unchecked Sendable {
        var error: (any Error)?
    }
}
