import Chain
import ChainTypes
import JSONRPC
import Primitives

/// The `debug_` tracing methods: `debug_traceTransaction`, `debug_traceBlockByNumber`,
/// `debug_traceBlockByHash` and `debug_traceCall` (with geth's `stateOverrides` and
/// `blockOverrides`), with geth's
/// default struct logger, `{"tracer": "callTracer", "tracerConfig": {"onlyTopCall": bool,
/// "withLog": bool}}` or `{"tracer": "4byteTracer"}`.
public struct DebugHandler: Sendable {
    /// The node.
    public let node: Node

    /// Creates the handler.
    /// - Parameter node: the node.
    public init(node: Node) { self.node = node }

    /// The tracer a request asks for.
    enum TracerChoice {
        case structLogs(StructLogTracer.Options)
        /// The callTracer with its raw `tracerConfig` (decoded when the tracer is made, where geth
        /// reports a bad one as -32000, not as a bad argument).
        case callTracer(JSON?)
        /// geth's `4byteTracer` (no config).
        case fourByte
        /// geth's `prestateTracer` with its raw `tracerConfig`.
        case prestate(JSON?)
    }

    /// geth's `PrestateTracerConfig`, decoded as Go does (unknown keys ignored, null keeps the
    /// default, a mistyped value is -32000 with Go's message).
    static func prestateOptions(_ config: JSON?) throws(RPCError) -> PrestateTracer.Options {
        var options = PrestateTracer.Options()
        guard let config, !config.isNull else { return options }
        guard case .object(let members) = config else {
            throw RPCError.server("json: cannot unmarshal \(JSONKind.of(config)) into Go value of type native.PrestateTracerConfig")
        }
        for (key, value) in members where !value.isNull {
            guard ["diffMode", "disableCode", "disableStorage", "includeEmpty"].contains(key) else { continue }
            guard case .bool(let flag) = value else {
                throw RPCError.server("json: cannot unmarshal \(JSONKind.of(value)) into Go struct field PrestateTracerConfig.\(key) of type bool")
            }
            switch key {
            case "diffMode": options.diffMode = flag
            case "disableCode": options.disableCode = flag
            case "disableStorage": options.disableStorage = flag
            default: options.includeEmpty = flag
            }
        }
        if options.diffMode && options.includeEmpty { throw RPCError.server("cannot use diffMode with includeEmpty") }
        return options
    }

    /// geth's `callTracerConfig`, decoded as Go's encoding/json decodes it: unknown keys ignored,
    /// null leaves the default, other mistyped values are errors.
    /// - Parameter config: the `tracerConfig` value, if any.
    /// - Returns: the options.
    /// - Throws: `RPCError` -32000 with Go's message.
    static func callTracerOptions(_ config: JSON?) throws(RPCError) -> CallTracer.Options {
        var options = CallTracer.Options()
        guard let config, !config.isNull else { return options }
        guard case .object(let members) = config else {
            throw RPCError.server("json: cannot unmarshal \(JSONKind.of(config)) into Go value of type native.callTracerConfig")
        }
        for (key, value) in members where !value.isNull {
            guard key == "onlyTopCall" || key == "withLog" else { continue }
            guard case .bool(let flag) = value else {
                throw RPCError.server("json: cannot unmarshal \(JSONKind.of(value)) into Go struct field callTracerConfig.\(key) of type bool")
            }
            if key == "onlyTopCall" { options.onlyTopCall = flag } else { options.withLog = flag }
        }
        return options
    }

    static func decodeTracerConfig(_ value: JSON) throws(ArgumentError) -> TracerChoice {
        guard case .object = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type tracers.TraceConfig")
        }
        if let tracer = value["tracer"], !tracer.isNull {
            guard case .string(let name) = tracer else {
                throw ArgumentError("json: cannot unmarshal \(JSONKind.of(tracer)) into Go struct field TraceConfig.tracer of type string")
            }
            if name == "4byteTracer" { return .fourByte }
            if name == "prestateTracer" { return .prestate(value["tracerConfig"]) }
            guard name == "callTracer" else { throw ArgumentError("tracer not found: \(name)") }
            return .callTracer(value["tracerConfig"])
        }
        var options = StructLogTracer.Options()
        if case .bool(let flag)? = value["enableMemory"] { options.enableMemory = flag }
        if case .bool(let flag)? = value["disableStack"] { options.disableStack = flag }
        if case .bool(let flag)? = value["disableStorage"] { options.disableStorage = flag }
        return .structLogs(options)
    }

    /// The overrides of debug_traceCall's config (geth's `TraceCallConfig`: `stateOverrides` and
    /// `blockOverrides`, names matched case-insensitively as Go's decoder matches untagged fields).
    static func decodeTraceCallOverrides(_ value: JSON) throws(ArgumentError) -> CallOverrides {
        guard case .object(let members) = value else { return .none }
        var overrides = CallOverrides()
        for (key, member) in members where !member.isNull {
            switch key.lowercased() {
            case "stateoverrides":
                do throws(ArgumentError) { overrides.accounts = try OverrideArgument.state(member) } catch {
                    throw OverrideArgument.structField(error, structName: "TraceCallConfig", field: "StateOverrides")
                }
            case "blockoverrides":
                do throws(ArgumentError) { overrides.block = try OverrideArgument.block(member) } catch {
                    throw OverrideArgument.structField(error, structName: "TraceCallConfig", field: "BlockOverrides")
                }
            default: continue
            }
        }
        return overrides
    }

    /// geth's `traceBlock` result: `[{txHash, result}]`, each transaction traced in order on the
    /// block's pre-state with a tracer of its own.
    static func traceBlock(_ record: BlockRecord, choice: TracerChoice, node: Node) throws -> JSON {
        let transactions = record.block.transactions
        switch choice {
        case .structLogs(let options):
            var tracers: [StructLogTracer] = []
            let outcomes = try node.traceBlock(hash: record.hash) { _, _ in
                let tracer = StructLogTracer(options: options)
                tracers.append(tracer)
                return tracer
            }
            return .array(outcomes.enumerated().map { index, item in
                .object([("txHash", Quantity.json(item.hash)),
                         ("result", tracers[index].result(status: item.outcome.status, output: item.outcome.output,
                                                          gasUsed: item.outcome.gasUsed))])
            })
        case .callTracer(let config):
            let options = try Self.callTracerOptions(config)
            var tracers: [CallTracer] = []
            let outcomes = try node.traceBlock(hash: record.hash) { _, _ in
                let tracer = CallTracer(options: options)
                tracers.append(tracer)
                return tracer
            }
            return .array(outcomes.enumerated().map { index, item in
                .object([("txHash", Quantity.json(item.hash)),
                         ("result", tracers[index].result(gasLimit: transactions[index].gasLimit,
                                                          gasUsed: item.outcome.gasUsed))])
            })
        case .fourByte:
            var tracers: [FourByteTracer] = []
            let outcomes = try node.traceBlock(hash: record.hash) { _, _ in
                let tracer = FourByteTracer(precompiles: node.configuration.precompiles.addresses)
                tracers.append(tracer)
                return tracer
            }
            return .array(outcomes.enumerated().map { index, item in
                .object([("txHash", Quantity.json(item.hash)), ("result", tracers[index].result())])
            })
        case .prestate(let config):
            let options = try Self.prestateOptions(config)
            var tracers: [PrestateTracer] = []
            var results: [JSON] = []
            let outcomes = try node.traceBlock(hash: record.hash, makeTracer: { _, _ in
                // The previous transaction has ended: its post-state is the live state now.
                if let last = tracers.last { results.append(last.result()) }
                let tracer = PrestateTracer(options: options)
                tracers.append(tracer)
                return tracer
            }, onStart: { start in tracers.last?.begin(start) })
            if let last = tracers.last { results.append(last.result()) }
            return .array(outcomes.enumerated().map { index, item in
                .object([("txHash", Quantity.json(item.hash)), ("result", results[index])])
            })
        }
    }

    /// Adds `debug_traceTransaction` and `debug_traceCall`.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let node = self.node
        methods.register("debug_traceTransaction") { parameters in
            try parameters.expectAtMost(2)
            let hash = try parameters.required(0, HexArgument.hash)
            let choice = try parameters.optional(1, Self.decodeTracerConfig) ?? .structLogs(.init())
            guard let record = try node.transaction(hash: hash),
                  record.blockHash != nil else {
                throw RPCError.server("transaction \(Hex.encode(hash.bytes)) not found")
            }
            let gasLimit = record.transaction.gasLimit
            switch choice {
            case .structLogs(let options):
                let tracer = StructLogTracer(options: options)
                let outcome = try node.traceTransaction(hash, tracer: tracer)
                return tracer.result(status: outcome.status, output: outcome.output, gasUsed: outcome.gasUsed)
            case .callTracer(let config):
                let tracer = CallTracer(options: try Self.callTracerOptions(config))
                let outcome = try node.traceTransaction(hash, tracer: tracer)
                return tracer.result(gasLimit: gasLimit, gasUsed: outcome.gasUsed)
            case .fourByte:
                let tracer = FourByteTracer(precompiles: node.configuration.precompiles.addresses)
                _ = try node.traceTransaction(hash, tracer: tracer)
                return tracer.result()
            case .prestate(let config):
                let tracer = PrestateTracer(options: try Self.prestateOptions(config))
                _ = try node.traceTransaction(hash, tracer: tracer, onStart: { tracer.begin($0) })
                return tracer.result()
            }
        }
        methods.register("debug_traceBlockByNumber") { parameters in
            try parameters.expectAtMost(2)
            let tag = try parameters.required(0, BlockArgument.number)
            let choice = try parameters.optional(1, Self.decodeTracerConfig) ?? .structLogs(.init())
            guard let record = try node.block(tag) else {
                if case .number(let number) = tag { throw RPCError.server("block #\(number) not found") }
                throw RPCError.server("block \(tag) not found")
            }
            return try Self.traceBlock(record, choice: choice, node: node)
        }
        methods.register("debug_traceBlockByHash") { parameters in
            try parameters.expectAtMost(2)
            let hash = try parameters.required(0, HexArgument.hash)
            let choice = try parameters.optional(1, Self.decodeTracerConfig) ?? .structLogs(.init())
            guard let record = try node.block(.hash(hash)) else {
                throw RPCError.server("block \(Hex.encode(hash.bytes)) not found")
            }
            return try Self.traceBlock(record, choice: choice, node: node)
        }
        methods.register("debug_traceCall") { parameters in
            try parameters.expectAtMost(3)
            let request = try parameters.required(0, CallArgument.decode)
            let selection = try parameters.blockSelection(1)
            let choice = try parameters.optional(2, Self.decodeTracerConfig) ?? .structLogs(.init())
            let overrides = try parameters.optional(2, Self.decodeTraceCallOverrides) ?? .none
            let tag = try node.resolve(selection)
            switch choice {
            case .structLogs(let options):
                let tracer = StructLogTracer(options: options)
                let outcome = try node.call(request, at: tag, tracer: tracer, overrides: overrides)
                return tracer.result(status: outcome.status, output: outcome.output, gasUsed: outcome.gasUsed)
            case .callTracer(let config):
                let tracer = CallTracer(options: try Self.callTracerOptions(config))
                let outcome = try node.call(request, at: tag, tracer: tracer, overrides: overrides)
                return tracer.result(gasLimit: request.gas, gasUsed: outcome.gasUsed)
            case .fourByte:
                let tracer = FourByteTracer(precompiles: node.configuration.precompiles.addresses)
                _ = try node.call(request, at: tag, tracer: tracer, overrides: overrides)
                return tracer.result()
            case .prestate(let config):
                let tracer = PrestateTracer(options: try Self.prestateOptions(config))
                _ = try node.call(request, at: tag, tracer: tracer, overrides: overrides, onStart: { tracer.begin($0) })
                return tracer.result()
            }
        }
    }
}
