import JSONRPC
import Primitives

/// The `web3_` namespace: the client version and Keccak-256.
public struct Web3Handler: Sendable {
    /// The version string, geth's "Name/vVersion/os-arch/compiler" shape.
    package static let clientVersion = "GoldenGrain/v0.1.0/linux-x86_64/swift6.3"

    /// Creates the handler.
    public init() {}

    /// Adds `web3_clientVersion` and `web3_sha3`.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        methods.register("web3_clientVersion") { parameters in
            try parameters.expectAtMost(0)
            return .string(Self.clientVersion)
        }
        methods.register("web3_sha3") { parameters in
            try parameters.expectAtMost(1)
            let data = try parameters.required(0, HexArgument.bytes)
            return Quantity.json(Keccak256.hash(data))
        }
    }
}

/// The `net_` namespace: network id, listening flag and peer count of a single dev node.
public struct NetHandler: Sendable {
    /// The chain id, which is also the network id.
    public let chainId: UInt64

    /// Creates the handler.
    /// - Parameters:
    ///   - chainId: the chain id.
    ///   - peerCount: how many peers answer, or nil for none.
    public init(chainId: UInt64, peerCount: (@Sendable () -> Int)? = nil) {
        self.chainId = chainId
        self.peerCount = peerCount
    }

    /// Where net_peerCount's answer comes from (nil: no peers).
    public let peerCount: (@Sendable () -> Int)?

    /// Adds `net_version`, `net_listening` and `net_peerCount`.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let chainId = self.chainId
        methods.register("net_version") { parameters in
            try parameters.expectAtMost(0)
            return .string(String(chainId))
        }
        methods.register("net_listening") { parameters in
            try parameters.expectAtMost(0)
            return .bool(true)
        }
        let peerCount = self.peerCount
        methods.register("net_peerCount") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(UInt64(peerCount?() ?? 0))
        }
    }
}
