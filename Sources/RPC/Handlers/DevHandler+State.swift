import Chain
import JSONRPC
import Primitives
import State

// anvil's state methods (foundry crates/anvil, `EthRequest::DumpState`, `LoadState`, `Reset`):
// anvil_dumpState answers hex of gzip-compressed JSON in anvil's `SerializableState` format
// (`AnvilState`), anvil_loadState merges such a dump (gzip or plain JSON, as anvil reads it) into
// the head state, anvil_reset returns to block 0. `hardhat_` aliases are served as anvil has them.

extension DevHandler {
    /// anvil_loadState's argument: hex bytes, "0x" optional (alloy's `Bytes` takes both).
    /// - Parameter value: the JSON value.
    /// - Returns: the bytes.
    /// - Throws: `ArgumentError` naming the value.
    static func stateBytes(_ value: JSON) throws(ArgumentError) -> [UInt8] {
        guard case .string(let text) = value else {
            throw ArgumentError("\(AnvilState.brief(value)) is not a hex string (anvil_dumpState's answer)")
        }
        do { return try Hex.decode(text) } catch { throw ArgumentError("not hex: \(error)") }
    }

    /// anvil_reset's optional argument: null or `{}` resets; forking options are refused, since
    /// this node has no fork mode.
    /// - Parameter value: the JSON value.
    /// - Throws: `ArgumentError` for forking options or a value of another type.
    static func resetOptions(_ value: JSON) throws(ArgumentError) {
        guard case .object(let members) = value else {
            throw ArgumentError("\(AnvilState.brief(value)), expected {\"forking\": {...}} or nothing")
        }
        for (name, member) in members where ["forking", "jsonRpcUrl", "blockNumber"].contains(name) && !member.isNull {
            throw ArgumentError("forking is not supported: this node never forks another chain (\(name): \(AnvilState.brief(member)))")
        }
    }

    /// Adds anvil_/hardhat_ dumpState, loadState and reset.
    /// - Parameter methods: the table to add to.
    func registerState(on methods: inout RPCMethods) {
        let node = self.node
        for prefix in ["anvil", "hardhat"] {
            methods.register("\(prefix)_dumpState") { parameters in
                try parameters.expectAtMost(1)
                // preserve_historical_states: taken and ignored (no historical states are dumped).
                _ = try parameters.optional(0, SimpleArgument.bool)
                let json = AnvilState.json(of: try node.dumpState())
                return .string(Hex.encode(Gzip.compress(json.serializedBytes)))
            }
            methods.register("\(prefix)_loadState") { parameters in
                try parameters.expectAtMost(1)
                let bytes = try parameters.required(0, Self.stateBytes)
                let accounts: [Address: DumpedAccount]
                do { accounts = try AnvilState.accounts(from: bytes) } catch {
                    throw RPCError.invalidParams("invalid argument 0: \(error)")
                }
                try node.loadState(accounts)
                return .bool(true)
            }
            methods.register("\(prefix)_reset") { parameters in
                try parameters.expectAtMost(1)
                _ = try parameters.optional(0, Self.resetOptions)
                try node.reset()
                return .null
            }
        }
    }
}
