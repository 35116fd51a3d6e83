import ArgumentParser
import Dispatch
import Foundation

/// Running async operations (the Marketplace module's, binding the node's devp2p sockets) from the
/// synchronous commands of this CLI: the work runs as a detached task and the command's thread waits for it.
enum MarketRuntime {
    final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }

    /// Runs an async body to completion and returns its result or rethrows its error.
    /// - Parameter body: the work.
    /// - Returns: what the body returned.
    /// - Throws: what the body threw.
    static func run<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get()
    }

    /// Writes a line to standard error (progress and notes; standard output stays for results).
    /// - Parameter message: the line.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes a line to standard output right away (unbuffered, so progress and results interleave).
    /// - Parameter message: the line.
    static func say(_ message: String) {
        FileHandle.standardOutput.write(Data((message + "\n").utf8))
    }
}

/// A failure the CLI reports as one line ("market: …") with exit status 1.
struct MarketFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension MarketRuntime {
    /// Runs a command's body; a failure is printed as one line "<prefix>: <message>" on standard
    /// error and the process exits with status 1 (ArgumentParser's own errors pass through).
    /// - Parameters:
    ///   - prefix: the command's name ("market", "gas-report").
    ///   - body: the work.
    /// - Throws: `ExitCode.failure` after printing, or ArgumentParser's errors.
    static func reporting(_ prefix: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch let error as MarketFailure {
            note("\(prefix): \(error.description)")
            throw ExitCode.failure
        } catch {
            note("\(prefix): \(error)")
            throw ExitCode.failure
        }
    }
}
