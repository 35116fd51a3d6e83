import Foundation
import Marketplace
import Primitives
import Signatures
#if canImport(Glibc)
import Glibc
#endif

/// A `goldengrain node --dev --ephemeral` process on a free port, as Tests/e2e/conftest.py starts
/// one: the release binary from `swift build -c release` (which `make test` runs first).
final class DevNode: @unchecked Sendable {
    /// The release binary.
    static let binary = TestSupport.packageRoot.appendingPathComponent(".build/release/goldengrain")
    /// Whether the binary has been built.
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }
    /// The dev chain's id.
    static let chainId: UInt64 = 31337
    /// The first dev accounts (anvil's keys from "test test … junk").
    static let keys: [PrivateKey] = [
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    ].map { try! PrivateKey(bytes: Hex.decode($0)) }

    let process = Process()
    let port: Int
    let logURL: URL
    let client: RPCClient

    /// Starts a node and waits until `eth_chainId` answers.
    /// - Parameter extraArguments: more `node` arguments.
    init(extraArguments: [String] = []) async throws {
        port = try Self.freePort()
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("marketplace-node-\(port).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = Self.binary
        process.arguments = ["node", "--dev", "--ephemeral", "--port", String(port)] + extraArguments
        process.currentDirectoryURL = TestSupport.packageRoot
        process.standardOutput = log
        process.standardError = log
        try process.run()
        client = RPCClient(url: "http://127.0.0.1:\(port)", requestTimeout: .seconds(5))
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw SubprocessFailure(description: "node exited with \(process.terminationStatus): \(logText)")
            }
            if (try? await client.chainId()) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw SubprocessFailure(description: "node did not answer within 30 s: \(logText)")
    }

    /// The node's log so far.
    var logText: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// A client with the default (long) timeout, for transactions.
    var rpc: RPCClient { RPCClient(url: client.url) }

    /// Stops the node (SIGTERM, then waits).
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }

    deinit { stop() }

    /// A TCP port nobody listens on now: bind port 0 and read what the kernel chose.
    static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw SubprocessFailure(description: "socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketDescriptor, generic, length) == 0 && getsockname(socketDescriptor, generic, &length) == 0
            }
        }
        guard bound else { throw SubprocessFailure(description: "bind() to a free port failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
