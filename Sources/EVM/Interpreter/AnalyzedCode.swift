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
        var position = 0
        while position < size {
            let opcode = padded[position]
            if opcode == Opcode.jumpdest.rawValue {
                bits[position >> 6] |= 1 << UInt64(position & 63)
            } else if opcode >= Opcode.push1.rawValue && opcode <= Opcode.push32.rawValue {
                position += Int(opcode - Opcode.push0.rawValue)  // skip PUSH1…PUSH32 immediates
            }
            position += 1
        }
    }

    deinit {
        paddedBytes.deallocate()
        jumpDestinationBits.deallocate()
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
