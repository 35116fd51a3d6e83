import Chain
import ChainTypes
import JSONRPC
import Primitives

/// The dev conveniences contract authors know from anvil and Hardhat Network: `evm_` mining,
/// snapshots and time travel, and `anvil_`/`hardhat_` state setters, impersonation and mining.
///
/// Results follow anvil: `evm_snapshot` returns a quantity id, `evm_revert` a boolean,
/// `evm_increaseTime` the total offset as a quantity, `anvil_setStorageAt` true, the other setters
/// null. Numbers may be JSON numbers or hex quantities, as both tools accept.
public struct DevHandler: Sendable {
    /// The node.
    public let node: Node

    /// Creates the handler.
    /// - Parameter node: the node.
    public init(node: Node) { self.node = node }

    /// Mines `count` blocks, the first at `timestamp` if given, later ones `interval` seconds apart if given.
    static func mine(_ node: Node, count: UInt64, interval: UInt64?, timestamp: UInt64?) throws {
        guard count <= UInt64(Node.maximumBlocksPerMine) else {
            throw RPCError.invalidParams("cannot mine \(count) blocks in one call, at most \(Node.maximumBlocksPerMine)")
        }
        guard let interval else {
            _ = try node.mine(blocks: Int(clamping: count), timestamp: timestamp)
            return
        }
        var next = timestamp
        for _ in 0..<count {
            _ = try node.mine(blocks: 1, timestamp: next)
            let (sum, overflow) = node.headHeader.timestamp.addingReportingOverflow(interval)
            next = overflow ? .max : sum
        }
    }

    /// Adds the `evm_`, `anvil_` and `hardhat_` methods.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        registerSettings(on: &methods)
        registerState(on: &methods)
        let node = self.node
        methods.register("evm_mine") { parameters in
            try parameters.expectAtMost(1)
            var timestamp: UInt64?
            if !parameters.isAbsent(0), case .object = parameters.values[0] {
                let options = parameters.values[0]
                timestamp = try RPCParameters([options["timestamp"] ?? .null]).optional(0, SimpleArgument.integerOrQuantity)
                let blocks = try RPCParameters([options["blocks"] ?? .null]).optional(0, SimpleArgument.integerOrQuantity) ?? 1
                try Self.mine(node, count: blocks, interval: nil, timestamp: timestamp)
                return .string("0x0")
            }
            timestamp = try parameters.optional(0, SimpleArgument.integerOrQuantity)
            try Self.mine(node, count: 1, interval: nil, timestamp: timestamp)
            return .string("0x0")
        }
        for name in ["anvil_mine", "hardhat_mine"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(2)
                let count = try parameters.optional(0, SimpleArgument.integerOrQuantity) ?? 1
                let interval = try parameters.optional(1, SimpleArgument.integerOrQuantity)
                try Self.mine(node, count: count, interval: interval, timestamp: nil)
                return .null
            }
        }
        methods.register("evm_snapshot") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(node.snapshot())
        }
        methods.register("evm_revert") { parameters in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.integerOrQuantity)
            do throws(NodeError) {
                try node.revert(to: id)
                return .bool(true)
            } catch {
                if case .unknownSnapshot = error { return .bool(false) }
                throw error
            }
        }
        methods.register("evm_increaseTime") { parameters in
            try parameters.expectAtMost(1)
            let seconds = try parameters.required(0, SimpleArgument.integerOrQuantity)
            return Quantity.json(UInt64(max(node.increaseTime(by: seconds), 0)))
        }
        methods.register("evm_setNextBlockTimestamp") { parameters in
            try parameters.expectAtMost(1)
            let timestamp = try parameters.required(0, SimpleArgument.integerOrQuantity)
            try node.setNextBlockTimestamp(timestamp)
            return .null
        }
        methods.register("evm_setAutomine") { parameters in
            try parameters.expectAtMost(1)
            let isOn = try parameters.required(0, SimpleArgument.bool)
            try node.setAutomine(isOn)
            return .null
        }
        for prefix in ["anvil", "hardhat"] {
            methods.register("\(prefix)_getAutomine") { parameters in
                try parameters.expectAtMost(0)
                return .bool(node.isAutomine)
            }
            methods.register("\(prefix)_setBalance") { parameters in
                try parameters.expectAtMost(2)
                let address = try parameters.required(0, HexArgument.address)
                let balance = try parameters.required(1, HexArgument.quantity)
                try node.setBalance(balance, of: address)
                return .null
            }
            methods.register("\(prefix)_setCode") { parameters in
                try parameters.expectAtMost(2)
                let address = try parameters.required(0, HexArgument.address)
                let code = try parameters.required(1, HexArgument.bytes)
                try node.setCode(code, of: address)
                return .null
            }
            methods.register("\(prefix)_setNonce") { parameters in
                try parameters.expectAtMost(2)
                let address = try parameters.required(0, HexArgument.address)
                let nonce = try parameters.required(1, HexArgument.quantity)
                guard let small = nonce.uint64IfFits else { throw RPCError.invalidParams("invalid argument 1: hex number > 64 bits") }
                try node.setNonce(small, of: address)
                return .null
            }
            methods.register("\(prefix)_setStorageAt") { parameters in
                try parameters.expectAtMost(3)
                let address = try parameters.required(0, HexArgument.address)
                let slot = try parameters.required(1, EthHandler.decodeStorageSlot)
                let value = try parameters.required(2, HexArgument.hash)
                try node.setStorage(UInt256(value), of: address, key: slot)
                return .bool(true)
            }
            methods.register("\(prefix)_impersonateAccount") { parameters in
                try parameters.expectAtMost(1)
                node.impersonate(try parameters.required(0, HexArgument.address))
                return .null
            }
            methods.register("\(prefix)_stopImpersonatingAccount") { parameters in
                try parameters.expectAtMost(1)
                node.stopImpersonating(try parameters.required(0, HexArgument.address))
                return .null
            }
        }
    }
}
