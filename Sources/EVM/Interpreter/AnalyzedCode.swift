import Primitives

/// Bytecode prepared for execution: padded so PUSH immediates never need a bounds check, and with
/// its valid jump destinations found once (Yellow Paper §9.4.3, D(c)).
///
/// Layout invariants the interpreter relies on:
/// - the buffer holds the code followed by at least 33 zero bytes, so a PUSH32 in the last byte
///   reads zeros, and the byte after the last immediate is 0x00 (STOP): running off the end of the
///   code stops, as the Yellow Paper says, without a `pc < size` check per opcode;
/// - the jump-destination bitmap has one bit per code byte, set only at a JUMPDEST (0x5b) that is
///   an opcode, never inside PUSH data.
///
/// Instances are immutable after creation and safe to share between threads; `CodeCache` keeps
/// them by code hash so contract code is analysed once.
///
/// Basic blocks (after evmone's "advanced" analysis, fitted to a loop over the bytes): the code is
/// cut into runs that are entered only at their start (offset 0, the byte after a JUMPI, the byte
/// after an opcode that reads the gas left: GAS, CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE,
/// CREATE2, SSTORE) or by a jump to a JUMPDEST inside them, and that end with a halt, a JUMP, a
/// JUMPI or one of those opcodes. Once a run is entered, every opcode from the entry to the run's
/// end executes unless one fails, so the dispatch loop checks the stack bounds and charges the base
/// gas from the entry to the end once, on entry, instead of per opcode: `BlockCheck` holds those
/// figures for every entry (the run's start and each JUMPDEST), `blockStartBits` marks the entries
/// and `blockRanks` (the number of entries before each 64-byte word) turns an offset into its index
/// in `blocks` with one population count. Falling through a JUMPDEST costs nothing: the run's entry
/// charged it.
public final class AnalyzedCode: @unchecked Sendable {
    /// Zero bytes after the code: 32 for the widest PUSH immediate, 1 for the implicit STOP.
    public static let paddingSize = 33

    /// No code: what a tracer is shown for a frame that runs none (a precompile, an account
    /// without code). Immutable, so one instance serves every such frame.
    public static let empty = AnalyzedCode([])

    /// The code length in bytes (CODESIZE).
    public let size: Int
    /// The code, then `paddingSize` zero bytes.
    @usableFromInline let paddedBytes: UnsafeMutablePointer<UInt8>
    /// Bit `i` is set when byte `i` is a JUMPDEST opcode.
    @usableFromInline let jumpDestinationBits: UnsafeMutablePointer<UInt64>
    /// Bit `i` is set when a block is entered at offset `i` (0 ≤ i ≤ size): an entry.
    @usableFromInline let blockStartBits: UnsafeMutablePointer<UInt64>
    /// Entry `w`: the number of entries below offset 64·w.
    @usableFromInline let blockRanks: UnsafeMutablePointer<UInt32>
    /// The checks of the entries, in code order.
    @usableFromInline let blocks: UnsafeMutablePointer<BlockCheck>

    /// Analyses bytecode.
    /// - Parameter code: the contract or init code.
    public init(_ code: [UInt8]) {
        let size = code.count
        let padded = UnsafeMutablePointer<UInt8>.allocate(capacity: size + AnalyzedCode.paddingSize)
        padded.initialize(repeating: 0, count: size + AnalyzedCode.paddingSize)
        code.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { padded.update(from: base, count: size) }
        }
        let wordCount = max(1, (size + 63) / 64)
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
        bits.initialize(repeating: 0, count: wordCount)
        self.size = size
        self.paddedBytes = padded
        self.jumpDestinationBits = bits
        // Entries: offsets 0...size where a block check can be made (size: after a JUMPI or GAS in
        // the last byte, where the implicit STOP runs).
        let startWordCount = size / 64 + 1
        let starts = UnsafeMutablePointer<UInt64>.allocate(capacity: startWordCount)
        starts.initialize(repeating: 0, count: startWordCount)
        var blockList: [BlockCheck] = []
        let facts = AnalyzedCode.opcodeFacts
        // The current run: its first offset (nil after a halt or JUMP until the next opcode) and
        // its opcodes.
        var runStart: Int? = 0
        var run: [(offset: Int, fact: OpcodeFact)] = []
        var entries: [(offset: Int, check: BlockCheck)] = []
        func closeRun() {
            guard let start = runStart else { return }
            // Backwards over the run, keeping the check of the suffix from each opcode to the run's
            // end; it is recorded at the run's start and at every JUMPDEST (jump targets).
            var suffix = BlockAccumulator()
            entries.removeAll(keepingCapacity: true)
            if run.isEmpty { entries.append((start, suffix.check)) }  // only the implicit STOP
            for (offset, fact) in run.reversed() {
                suffix.prepend(fact)
                if offset == start || padded[offset] == Opcode.jumpdest.rawValue { entries.append((offset, suffix.check)) }
            }
            for (offset, check) in entries.reversed() {
                starts[offset >> 6] |= 1 << UInt64(offset & 63)
                blockList.append(check)
            }
            run.removeAll(keepingCapacity: true)
            runStart = nil
        }
        var position = 0
        while position < size {
            let opcode = padded[position]
            if opcode == Opcode.jumpdest.rawValue { bits[position >> 6] |= 1 << UInt64(position & 63) }
            if runStart == nil { runStart = position }  // a JUMPDEST, or unreachable code after a halt
            let fact = facts[Int(opcode)]
            run.append((position, fact))
            let next = position + 1
            if opcode >= Opcode.push1.rawValue && opcode <= Opcode.push32.rawValue {
                position += Int(opcode - Opcode.push0.rawValue)  // skip PUSH1…PUSH32 immediates
            } else if fact.flow == .startsNextBlock {
                closeRun()
                runStart = next
            } else if fact.flow == .ends {
                closeRun()
            }
            position += 1
        }
        closeRun()
        let ranks = UnsafeMutablePointer<UInt32>.allocate(capacity: startWordCount)
        var running: UInt32 = 0
        for word in 0..<startWordCount {
            ranks[word] = running
            running += UInt32(starts[word].nonzeroBitCount)
        }
        precondition(Int(running) == blockList.count, "block analysis: \(running) starts, \(blockList.count) blocks")
        let blockStorage = UnsafeMutablePointer<BlockCheck>.allocate(capacity: max(1, blockList.count))
        blockList.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { blockStorage.initialize(from: base, count: source.count) }
        }
        self.blockStartBits = starts
        self.blockRanks = ranks
        self.blocks = blockStorage
    }

    deinit {
        paddedBytes.deallocate()
        jumpDestinationBits.deallocate()
        blockStartBits.deallocate()
        blockRanks.deallocate()
        blocks.deallocate()
    }

    /// Whether an opcode reads the gas left, so that its block must end after it for the value it
    /// reads to be exact (GAS pushes it, the calls and creates forward all but 1/64 of it, SSTORE
    /// fails at or below the 2300 stipend, EIP-2200). The dispatch loop checks the next block after
    /// these, as after a JUMPI that falls through.
    @inlinable @inline(__always)
    static func readsGasLeft(_ opcode: UInt8) -> Bool {
        switch opcode {
        case Opcode.gas.rawValue, Opcode.call.rawValue, Opcode.callcode.rawValue, Opcode.delegatecall.rawValue,
             Opcode.staticcall.rawValue, Opcode.create.rawValue, Opcode.create2.rawValue, Opcode.sstore.rawValue:
            return true
        default:
            return false
        }
    }

    /// Per opcode byte, what the block analysis needs: base gas, stack items in and out, and how
    /// the opcode bounds a block. Built once from `InstructionTable.rows`.
    static let opcodeFacts: [OpcodeFact] = (0...255).map { byte -> OpcodeFact in
        let opcode = UInt8(byte)
        let row = InstructionTable.rows[byte]
        let flow: OpcodeFact.Flow
        switch opcode {
        case Opcode.stop.rawValue, Opcode.jump.rawValue, Opcode.return.rawValue, Opcode.revert.rawValue,
             Opcode.invalid.rawValue, Opcode.selfdestruct.rawValue:
            flow = .ends
        case Opcode.jumpi.rawValue:
            flow = .startsNextBlock
        default:
            flow = row.name == nil ? .ends : readsGasLeft(opcode) ? .startsNextBlock : .continues
        }
        return OpcodeFact(gas: row.baseGas, stackIn: row.stackIn, stackOut: row.stackOut, flow: flow)
    }

    /// The checks of the block that starts at `offset`, which must be a block start.
    @inlinable @inline(__always)
    func block(at offset: Int) -> BlockCheck {
        BlockTable(self).block(at: offset)
    }

    /// Whether a block starts at `offset` (for tests and assertions).
    public func isBlockStart(_ offset: Int) -> Bool {
        guard offset >= 0 && offset <= size else { return false }
        return blockStartBits[offset >> 6] & (1 << UInt64(offset & 63)) != 0
    }

    /// The base gas of the block starting at `offset`, and the stack heights (in items) it needs at
    /// its start: at least `minimumHeight` so no opcode in it underflows, at most `maximumHeight` so
    /// none overflows. `nil` when no block starts there. For tests.
    public func blockFacts(at offset: Int) -> (gas: Int64, minimumHeight: Int, maximumHeight: Int)? {
        guard isBlockStart(offset) else { return nil }
        let check = block(at: offset)
        return (check.gas, Int(check.minimumByteHeight) / 32, Int(check.maximumByteHeight) / 32)
    }

    /// The code bytes, without padding (a copy).
    public var bytes: [UInt8] {
        [UInt8](UnsafeBufferPointer(start: paddedBytes, count: size))
    }

    /// Whether JUMP/JUMPI may go to `destination`.
    /// - Parameter destination: a code offset.
    /// - Returns: true when `destination` is inside the code and holds a JUMPDEST opcode.
    @inlinable @inline(__always)
    public func isValidJumpDestination(_ destination: Int) -> Bool {
        guard destination >= 0 && destination < size else { return false }
        return jumpDestinationBits[destination >> 6] & (1 << UInt64(destination & 63)) != 0
    }
}

/// The checks made on entering a block (see `AnalyzedCode`), with stack heights in bytes (32 per
/// item) as the loop measures them.
@usableFromInline
struct BlockCheck {
    /// The sum of the block's base gas.
    @usableFromInline let gas: Int64
    /// A lower stack at the start would underflow some opcode of the block.
    @usableFromInline let minimumByteHeight: Int32
    /// A higher stack at the start would overflow (negative: the block always does).
    @usableFromInline let maximumByteHeight: Int32
}

/// One opcode's part in the block analysis.
struct OpcodeFact {
    /// How an opcode bounds a basic block.
    enum Flow {
        /// The next opcode belongs to the same block (unless it is a JUMPDEST).
        case continues
        /// Control never reaches the next byte (a halt, JUMP, an undefined byte).
        case ends
        /// A new block starts at the next byte (JUMPI, and the opcodes that read the gas left).
        case startsNextBlock
    }

    let gas: Int64
    let stackIn: Int
    let stackOut: Int
    let flow: Flow
}

/// The base gas and stack needs of a suffix of a run, built backwards one opcode at a time.
struct BlockAccumulator {
    var gas: Int64 = 0
    /// The fewest items the suffix needs at its start.
    var required = 0
    /// The largest growth over the start height within the suffix (0 at least: the start itself).
    var growth = 0

    /// Puts an opcode in front of the suffix: it needs its own inputs, and after its change of
    /// the height the rest of the suffix needs `required`.
    mutating func prepend(_ fact: OpcodeFact) {
        let change = fact.stackOut - fact.stackIn
        gas += fact.gas
        required = max(fact.stackIn, required - change)
        growth = max(0, change + growth)
    }

    var check: BlockCheck {
        // More than the stack limit is as good as infinite (the check always fails); clamped so
        // that arbitrarily long code cannot overflow the 32-bit fields.
        let limit = InstructionTable.stackLimit
        return BlockCheck(gas: gas, minimumByteHeight: Int32(32 * min(required, limit + 1)),
                          maximumByteHeight: Int32(32 * max(-1, limit - growth)))
    }
}

/// The block tables of an `AnalyzedCode` as plain pointers, for the dispatch loop (no reference
/// counting per use); the frame keeps the code alive.
@usableFromInline
struct BlockTable {
    @usableFromInline let startBits: UnsafePointer<UInt64>
    @usableFromInline let ranks: UnsafePointer<UInt32>
    @usableFromInline let blocks: UnsafePointer<BlockCheck>

    @inlinable
    init(_ code: AnalyzedCode) {
        startBits = UnsafePointer(code.blockStartBits)
        ranks = UnsafePointer(code.blockRanks)
        blocks = UnsafePointer(code.blocks)
    }

    /// The checks of the block entered at `offset`, which must be an entry: its index is the
    /// number of entries below `offset`.
    @inlinable @inline(__always)
    func block(at offset: Int) -> BlockCheck {
        let word = offset >> 6
        let below = startBits[word] & ((1 << UInt64(offset & 63)) &- 1)
        return blocks[Int(ranks[word]) &+ below.nonzeroBitCount]
    }
}
