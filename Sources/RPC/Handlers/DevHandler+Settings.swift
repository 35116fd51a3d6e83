import Chain
import ChainTypes
import JSONRPC
import Primitives

// anvil's block-environment, pool and switch methods (foundry crates/anvil, `EthRequest` and
// `EthApi`): the next block's base fee and gas limit, the timestamp interval, dropping pooled
// transactions, the node's facts, logging, traces and auto-impersonation. Names, parameters and
// results are anvil's; where anvil has a `hardhat_` alias, it is served too.

extension DevHandler {
    /// anvil's message for anvil_setMinGasPrice on a chain with EIP-1559 (every chain here).
    static let minimumGasPriceRefusal = "anvil_setMinGasPrice is not supported when EIP-1559 is active"

    /// A non-negative JSON number or hex quantity below 2^256 (anvil's `deserialize_number_seq`
    /// takes both).
    /// - Parameter value: the JSON value.
    /// - Returns: the number.
    /// - Throws: `ArgumentError` naming what is wrong.
    static func numberOrQuantity(_ value: JSON) throws(ArgumentError) -> UInt256 {
        switch value {
        case .number(let text):
            guard let number = UInt256(decimal: text) else {
                throw ArgumentError("json: cannot unmarshal number \(text) into Go value of type *hexutil.Big")
            }
            return number
        case .string:
            return try HexArgument.quantity(value)
        default:
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type *hexutil.Big")
        }
    }

    /// Adds anvil_setNextBlockBaseFeePerGas, anvil_setMinGasPrice, evm_/anvil_setBlockGasLimit,
    /// anvil_setBlockTimestampInterval, anvil_removeBlockTimestampInterval, anvil_dropTransaction,
    /// anvil_dropAllTransactions, anvil_nodeInfo, anvil_setLoggingEnabled, anvil_enableTraces and
    /// anvil_autoImpersonateAccount.
    /// - Parameter methods: the table to add to.
    func registerSettings(on methods: inout RPCMethods) {
        let node = self.node
        for name in ["anvil_setNextBlockBaseFeePerGas", "hardhat_setNextBlockBaseFeePerGas"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(1)
                node.setNextBlockBaseFee(try parameters.required(0, Self.numberOrQuantity))
                return .null
            }
        }
        // anvil refuses a minimum gas price whenever EIP-1559 is active, which it always is here.
        for name in ["anvil_setMinGasPrice", "hardhat_setMinGasPrice"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(1)
                _ = try parameters.required(0, Self.numberOrQuantity)
                throw RPCError.invalidParams(Self.minimumGasPriceRefusal)
            }
        }
        for name in ["anvil_setBlockGasLimit", "evm_setBlockGasLimit"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(1)
                let gasLimit = try parameters.required(0, Self.numberOrQuantity)
                guard let small = gasLimit.uint64IfFits else {
                    throw RPCError.invalidParams("gas limit \(gasLimit) exceeds the most a block may have (\(Node.maximumBlockGasLimit))")
                }
                try node.setBlockGasLimit(small)
                return .bool(true)
            }
        }
        methods.register("anvil_setBlockTimestampInterval") { parameters in
            try parameters.expectAtMost(1)
            try node.setBlockTimestampInterval(try parameters.required(0, SimpleArgument.integerOrQuantity))
            return .null
        }
        methods.register("anvil_removeBlockTimestampInterval") { parameters in
            try parameters.expectAtMost(0)
            return .bool(node.removeBlockTimestampInterval())
        }
        for name in ["anvil_dropTransaction", "hardhat_dropTransaction"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(1)
                let hash = try parameters.required(0, HexArgument.hash)
                return node.dropTransaction(hash: hash).map { Quantity.json($0) } ?? .null
            }
        }
        for name in ["anvil_dropAllTransactions", "hardhat_dropAllTransactions"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(0)
                node.dropAllTransactions()
                return .null
            }
        }
        methods.register("anvil_nodeInfo") { parameters in
            try parameters.expectAtMost(0)
            return Self.nodeInfo(node)
        }
        for name in ["anvil_setLoggingEnabled", "hardhat_setLoggingEnabled"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(1)
                node.setLoggingEnabled(try parameters.required(0, SimpleArgument.bool))
                return .null
            }
        }
        // anvil never implemented it (-32603 "Not implemented" until Feb 2026, then removed,
        // foundry#13499). Here every mined transaction can be traced at any time
        // (debug_traceTransaction), so there is nothing to switch on: it answers null.
        methods.register("anvil_enableTraces") { parameters in
            try parameters.expectAtMost(0)
            return .null
        }
        for name in ["anvil_autoImpersonateAccount", "hardhat_autoImpersonateAccount"] {
            methods.register(name) { parameters in
                try parameters.expectAtMost(1)
                node.setAutoImpersonation(try parameters.required(0, SimpleArgument.bool))
                return .null
            }
        }
    }

    /// anvil's `NodeInfo` (alloy `rpc-types-anvil`), members in its order: the head's number (a
    /// quantity), timestamp (a JSON number) and hash, the hard fork, the block-building order
    /// ("fees": the highest tip first, as anvil's default), the next block's environment
    /// (`baseFee`, `chainId` as a number, `gasLimit`, `gasPrice` as eth_gasPrice answers) and an
    /// empty fork configuration (this node never forks another chain).
    /// - Parameter node: the node.
    /// - Returns: the JSON object.
    static func nodeInfo(_ node: Node) -> JSON {
        let head = node.headHeader
        let environment: JSON = .object([
            ("baseFee", Quantity.json(node.nextBaseFee)),
            ("chainId", .number(String(node.chainId))),
            ("gasLimit", Quantity.json(node.nextBlockGasLimit)),
            ("gasPrice", Quantity.json(node.gasPrice())),
        ])
        return .object([
            ("currentBlockNumber", Quantity.json(head.number)),
            ("currentBlockTimestamp", .number(String(head.timestamp))),
            ("currentBlockHash", Quantity.json(node.headHash)),
            ("hardFork", .string("Cancun")),
            ("transactionOrder", .string("fees")),
            ("environment", environment),
            ("forkConfig", .object([("forkUrl", .null), ("forkBlockNumber", .null), ("forkRetryBackoff", .null)])),
        ])
    }
}
