import Chain
import ChainTypes
import JSONRPC
import Primitives
import Signatures

/// `eth_sign` and `personal_sign` with the node's unlocked dev keys: an EIP-191 personal message
/// signature (`keccak256("\x19Ethereum Signed Message:\n" + len(message) + message)`), returned as
/// 65 bytes r ‖ s ‖ v with v = 27 or 28, as geth and anvil return it.
public struct SignHandler: Sendable {
    /// The node, whose `configuration.unlockedKeys` sign.
    public let node: Node

    /// Creates the handler.
    /// - Parameter node: the node.
    public init(node: Node) { self.node = node }

    /// The EIP-191 signature of a message by a key.
    /// - Parameters:
    ///   - message: the message bytes.
    ///   - key: the signing key.
    /// - Returns: r ‖ s ‖ v (v = 27 + recovery id).
    package static func personalSignature(of message: [UInt8], with key: PrivateKey) -> [UInt8] {
        let prefix = Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8)
        let signature = key.sign(hash: Keccak256.hash(prefix + message))
        var bytes = signature.bytes
        bytes[64] += 27
        return bytes
    }

    /// Adds `eth_sign(address, data)` and `personal_sign(data, address)`.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let keys = node.configuration.unlockedKeys
        @Sendable func sign(_ address: Address, _ message: [UInt8]) throws(RPCError) -> JSON {
            guard let key = keys.first(where: { $0.address == address }) else { throw RPCError.server("unknown account") }
            return Quantity.data(Self.personalSignature(of: message, with: key))
        }
        methods.register("eth_sign") { parameters in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            return try sign(address, try parameters.required(1, HexArgument.bytes))
        }
        methods.register("personal_sign") { parameters in
            try parameters.expectAtMost(3)
            let message = try parameters.required(0, HexArgument.bytes)
            return try sign(try parameters.required(1, HexArgument.address), message)
        }
    }
}
