import EVM
import JSONRPC
import Primitives

/// geth's default tracer (`eth/tracers/logger.StructLogger`): one entry per opcode with `pc`,
/// `op`, `gas`, `gasCost`, `depth`, `stack`, and optionally `memory` and `storage`, then
/// `{gas, failed, returnValue, structLogs}`.
///
/// Hex as the execution-apis `OpcodeTransactionTrace` schema and geth write it (`returnValue`
/// since v1.15.6, #31216; memory and storage since v1.17.3, #34093): `returnValue` is
/// `0x`-prefixed (`"0x"` when empty; empty after a halt, the revert data after a revert), each
/// `memory` item is a `0x`-prefixed 32-byte word (the last one zero-padded), and `storage` keys and
/// values are `0x`-prefixed 32-byte words.
///
/// `gasCost` is the opcode's whole cost (base plus dynamic), found from the gas left at the next
/// opcode of the same frame; for an opcode that ends its frame or enters a new one only the base
/// cost is known. `storage` lists the slots this frame has read (SLOAD) or written (SSTORE) so far,
/// as geth does. The tracer is used by one execution at a time; the handler reads it only after
/// the execution has finished, hence `@unchecked Sendable`.
public final class StructLogTracer: Tracer, @unchecked Sendable {
    /// Which optional parts to record (geth's `logger.Config`).
    public struct Options: Sendable, Equatable {
        /// Record memory (`enableMemory`).
        package var enableMemory = false
        /// Leave out the stack (`disableStack`).
        package var disableStack = false
        /// Leave out storage (`disableStorage`).
        package var disableStorage = false
        /// Creates options with geth's defaults.
        public init() {}
    }

    struct Entry {
        var pc: Int
        var opcode: UInt8
        var gas: Int64
        var gasCost: Int64
        var depth: Int
        var stack: [UInt256]?
        var memory: [UInt8]?
        var storage: [(UInt256, UInt256)]?
    }

    private let options: Options
    private var entries: [Entry] = []
    /// Per open frame: the index of its last entry, and the slots it touched.
    private var frames: [(lastEntry: Int?, storage: [UInt256: UInt256], order: [UInt256], pendingLoad: UInt256?)] = []

    /// Creates a tracer.
    /// - Parameter options: what to record.
    public init(options: Options = Options()) { self.options = options }

    /// Opens a frame.
    public func frameDidStart(message: Message, code: AnalyzedCode) {
        frames.append((nil, [:], [], nil))
    }

    /// Records one opcode.
    public func willExecute(_ step: TraceStep) {
        guard !frames.isEmpty else { return }
        let frameIndex = frames.count - 1
        if let last = frames[frameIndex].lastEntry {
            entries[last].gasCost = entries[last].gas - step.gasLeft
            if let key = frames[frameIndex].pendingLoad, let value = step.stack.last {
                record(key, value, frame: frameIndex)
                if !options.disableStorage { entries[last].storage = storageSnapshot(frameIndex) }
            }
        }
        frames[frameIndex].pendingLoad = nil
        var entry = Entry(pc: step.pc, opcode: step.opcode, gas: step.gasLeft, gasCost: step.gasCost, depth: step.depth + 1)
        if !options.disableStack { entry.stack = Array(step.stack) }
        if options.enableMemory { entry.memory = Array(step.memory) }
        if !options.disableStorage {
            if step.opcode == Opcode.sload.rawValue, let key = step.stack.last {
                frames[frameIndex].pendingLoad = key
            } else if step.opcode == Opcode.sstore.rawValue, step.stack.count >= 2 {
                record(step.stack[step.stack.count - 1], step.stack[step.stack.count - 2], frame: frameIndex)
                entry.storage = storageSnapshot(frameIndex)
            }
        }
        entries.append(entry)
        frames[frameIndex].lastEntry = entries.count - 1
    }

    /// Closes a frame.
    public func frameDidEnd(message: Message, result: CallResult) {
        _ = frames.popLast()
    }

    private func record(_ key: UInt256, _ value: UInt256, frame: Int) {
        if frames[frame].storage[key] == nil { frames[frame].order.append(key) }
        frames[frame].storage[key] = value
    }

    private func storageSnapshot(_ frame: Int) -> [(UInt256, UInt256)] {
        frames[frame].order.map { ($0, frames[frame].storage[$0]!) }
    }

    /// The trace as geth writes it.
    /// - Parameters:
    ///   - status: how the execution ended.
    ///   - output: its return or revert data.
    ///   - gasUsed: the gas it used.
    /// - Returns: `{gas, failed, returnValue, structLogs}`.
    public func result(status: StatusCode, output: [UInt8], gasUsed: UInt64) -> JSON {
        let logs = entries.map { entry -> JSON in
            var members: [(String, JSON)] = [
                ("pc", .integer(entry.pc)),
                ("op", .string(InstructionTable.name(of: entry.opcode))),
                ("gas", .integer(entry.gas)),
                ("gasCost", .integer(entry.gasCost)),
                ("depth", .integer(entry.depth)),
            ]
            if let stack = entry.stack { members.append(("stack", .array(stack.map { .string($0.hexQuantity) }))) }
            if let memory = entry.memory, !memory.isEmpty {
                members.append(("memory", .array(stride(from: 0, to: memory.count, by: 32).map { start in
                    let word = memory[start..<min(start + 32, memory.count)]
                    return .string(Hex.encode(Array(word) + [UInt8](repeating: 0, count: 32 - word.count)))
                })))
            }
            if let storage = entry.storage {
                members.append(("storage", .object(storage.map {
                    (Hex.encode($0.0.bigEndianBytes), .string(Hex.encode($0.1.bigEndianBytes)))
                })))
            }
            return .object(members)
        }
        // geth returns the output of a success and the revert data of a revert; a halt has none.
        let returnValue = status == .success || status == .revert ? output : []
        return .object([
            ("gas", .integer(gasUsed)),
            ("failed", .bool(status != .success)),
            ("returnValue", .string(Hex.encode(returnValue))),
            ("structLogs", .array(logs)),
        ])
    }
}
