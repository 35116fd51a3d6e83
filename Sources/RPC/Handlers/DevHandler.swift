import Primitives

/// The dev conveniences contract authors know from anvil and Hardhat Network: `evm_` mining,
/// snapshots and time travel, and `anvil_`/`hardhat_` state setters, impersonation and mining.
///
/// Results follow anvil: `evm_snapshot` returns a quantity id, `evm_revert` a boolean,
/// `evm_increaseTime` the total offset as a quantity, `anvil_setStorageAt` true, the other setters
/// null. Numbers may be JSON numbers or hex quantities, as both tools accept.
public struct DevHandler: Sendable {
    /// The node.
    public let backend: any NodeBackend

    /// Creates the handler.
    /// - Parameter backend: the node.
    public init(backend: any NodeBackend) { self.backend = backend }

    /// Adds the `evm_`, `anvil_` and `hardhat_` methods.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let backend = self.backend
        methods.register("evm_mine") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            var timestamp: UInt64?
            if !parameters.isAbsent(0), case .object = parameters.values[0] {
                let options = parameters.values[0]
                timestamp = try RPCParameters([options["timestamp"] ?? .null]).optional(0, SimpleArgument.integerOrQuantity)
                let blocks = try RPCParameters([options["blocks"] ?? .null]).optional(0, SimpleArgument.integerOrQuantity) ?? 1
                do throws(NodeBackendError) { try await backend.mine(count: blocks, interval: nil, timestamp: timestamp) } catch { throw RPCError(error) }
                return .string("0x0")
            }
            timestamp = try parameters.optional(0, SimpleArgument.integerOrQuantity)
            do throws(NodeBackendError) { try await backend.mine(count: 1, interval: nil, timestamp: timestamp) } catch { throw RPCError(error) }
            return .string("0x0")
        }
        for name in ["anvil_mine", "hardhat_mine"] {
            methods.register(name) { parameters throws(RPCError) in
                try parameters.expectAtMost(2)
                let count = try parameters.optional(0, SimpleArgument.integerOrQuantity) ?? 1
                let interval = try parameters.optional(1, SimpleArgument.integerOrQuantity)
                do throws(NodeBackendError) { try await backend.mine(count: count, interval: interval, timestamp: nil) } catch { throw RPCError(error) }
                return .null
            }
        }
        methods.register("evm_snapshot") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return Quantity.json(await backend.snapshot())
        }
        methods.register("evm_revert") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.integerOrQuantity)
            return .bool(await backend.revert(to: id))
        }
        methods.register("evm_increaseTime") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let seconds = try parameters.required(0, SimpleArgument.integerOrQuantity)
            return Quantity.json(await backend.increaseTime(by: seconds))
        }
        methods.register("evm_setNextBlockTimestamp") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let timestamp = try parameters.required(0, SimpleArgument.integerOrQuantity)
            do throws(NodeBackendError) { try await backend.setNextBlockTimestamp(timestamp) } catch { throw RPCError(error) }
            return .null
        }
        methods.register("evm_setAutomine") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            await backend.setAutomine(try parameters.required(0, SimpleArgument.bool))
            return .null
        }
        for prefix in ["anvil", "hardhat"] {
            methods.register("\(prefix)_getAutomine") { parameters throws(RPCError) in
                try parameters.expectAtMost(0)
                return .bool(await backend.isAutomineEnabled())
            }
            methods.register("\(prefix)_setBalance") { parameters throws(RPCError) in
                try parameters.expectAtMost(2)
                let address = try parameters.required(0, HexArgument.address)
                await backend.setBalance(try parameters.required(1, HexArgument.quantity), of: address)
                return .null
            }
            methods.register("\(prefix)_setCode") { parameters throws(RPCError) in
                try parameters.expectAtMost(2)
                let address = try parameters.required(0, HexArgument.address)
                await backend.setCode(try parameters.required(1, HexArgument.bytes), of: address)
                return .null
            }
            methods.register("\(prefix)_setNonce") { parameters throws(RPCError) in
                try parameters.expectAtMost(2)
                let address = try parameters.required(0, HexArgument.address)
                let nonce = try parameters.required(1, HexArgument.quantity)
                guard let small = nonce.uint64IfFits else { throw .invalidParams("invalid argument 1: hex number > 64 bits") }
                await backend.setNonce(small, of: address)
                return .null
            }
            methods.register("\(prefix)_setStorageAt") { parameters throws(RPCError) in
                try parameters.expectAtMost(3)
                let address = try parameters.required(0, HexArgument.address)
                let slot = try parameters.required(1, EthHandler.decodeStorageSlot)
                let value = try parameters.required(2, HexArgument.hash)
                await backend.setStorage(UInt256(value), at: slot, of: address)
                return .bool(true)
            }
            methods.register("\(prefix)_impersonateAccount") { parameters throws(RPCError) in
                try parameters.expectAtMost(1)
                await backend.impersonate(try parameters.required(0, HexArgument.address))
                return .null
            }
            methods.register("\(prefix)_stopImpersonatingAccount") { parameters throws(RPCError) in
                try parameters.expectAtMost(1)
                await backend.stopImpersonating(try parameters.required(0, HexArgument.address))
                return .null
            }
        }
    }
}
