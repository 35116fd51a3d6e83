/// A 256-bit unsigned integer: the EVM word (Yellow Paper §9.1, "the word size of the machine is 256 bits").
///
/// Stored as four 64-bit limbs in little-endian limb order (`w0` is the least significant), so a value
/// is a plain 32-byte struct: no heap storage, no reference counting, and every arithmetic operation
/// below runs without allocating. Arithmetic wraps modulo 2^256 (`&+`, `&-`, `&*`, `power`), and
/// the EVM opcode semantics of Yellow Paper appendix H live beside it: division and modulo by zero
/// give zero, the signed operations read the word as two's complement, and shifts by 256 or more
/// clear the word (EIP-145).
///
/// The type is split by facet: `UInt256+Arithmetic.swift` (add, subtract, multiply, bitwise, power),
/// `UInt256+Division.swift` (Knuth's algorithm D, ADDMOD, MULMOD), `UInt256+Shifts.swift`
/// (SHL, SHR, SAR, BYTE, SIGNEXTEND), `UInt256+Signed.swift` (SDIV, SMOD, SLT, SGT),
/// `UInt256+Bytes.swift` (big-endian bytes and `Hash32`) and `UInt256+Text.swift` (decimal and hex).
public struct UInt256: Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Bits 0–63, the least significant limb.
    public var w0: UInt64
    /// Bits 64–127.
    public var w1: UInt64
    /// Bits 128–191.
    public var w2: UInt64
    /// Bits 192–255, the most significant limb.
    public var w3: UInt64

    /// Creates a value from its four limbs, least significant first.
    /// - Parameters:
    ///   - w0: bits 0–63.
    ///   - w1: bits 64–127.
    ///   - w2: bits 128–191.
    ///   - w3: bits 192–255.
    @inlinable @inline(__always)
    public init(words w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Creates a value that equals a 64-bit unsigned integer.
    /// - Parameter value: the value, which becomes the low limb.
    @inlinable @inline(__always)
    public init(_ value: UInt64) {
        self.init(words: value, 0, 0, 0)
    }

    /// Creates a value from an integer literal that fits in 64 bits.
    /// - Parameter value: the literal.
    @inlinable @inline(__always)
    public init(integerLiteral value: UInt64) {
        self.init(words: value, 0, 0, 0)
    }

    /// Creates a value equal to a non-negative `Int`, or fails for a negative one.
    /// - Parameter value: the integer to convert.
    /// - Returns: `nil` if `value` is negative.
    @inlinable
    public init?(exactly value: Int) {
        guard value >= 0 else { return nil }
        self.init(words: UInt64(value), 0, 0, 0)
    }

    /// Zero.
    public static let zero = UInt256(words: 0, 0, 0, 0)
    /// One.
    public static let one = UInt256(words: 1, 0, 0, 0)
    /// 2^256 − 1, every bit set (also −1 read as two's complement).
    public static let max = UInt256(words: .max, .max, .max, .max)

    /// Whether the value is zero.
    @inlinable
    public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// The low 64 bits, dropping the rest.
    @inlinable
    public var low64: UInt64 { w0 }

    /// The value as a `UInt64`, or `nil` if it exceeds `UInt64.max`.
    @inlinable
    public var uint64IfFits: UInt64? { (w1 | w2 | w3) == 0 ? w0 : nil }

    /// The value as an `Int`, or `nil` if it exceeds `Int.max` (handy for memory offsets and sizes).
    @inlinable
    public var intIfFits: Int? { (w1 | w2 | w3) == 0 && w0 <= UInt64(Int.max) ? Int(w0) : nil }

    /// The number of zero bits above the highest set bit: 256 for zero, 0 when bit 255 is set.
    @inlinable
    public var leadingZeroBitCount: Int {
        if w3 != 0 { return w3.leadingZeroBitCount }
        if w2 != 0 { return 64 + w2.leadingZeroBitCount }
        if w1 != 0 { return 128 + w1.leadingZeroBitCount }
        return 192 + w0.leadingZeroBitCount
    }

    /// The number of bits needed to write the value: 0 for zero, 256 when bit 255 is set.
    @inlinable
    public var bitWidth: Int { 256 - leadingZeroBitCount }

    /// The number of bytes needed to write the value: 0 for zero, 32 when the top byte is non-zero.
    @inlinable
    public var byteWidth: Int { (bitWidth + 7) >> 3 }

    /// Compares two values as unsigned integers.
    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand.
    /// - Returns: whether `a` is less than `b` (the EVM's LT).
    @inlinable
    public static func < (a: UInt256, b: UInt256) -> Bool {
        // The verdict of the lower limbs ripples up like a borrow; a higher limb that differs decides.
        var borrow = a.w0 < b.w0
        borrow = a.w1 < b.w1 || (a.w1 == b.w1 && borrow)
        borrow = a.w2 < b.w2 || (a.w2 == b.w2 && borrow)
        return a.w3 < b.w3 || (a.w3 == b.w3 && borrow)
    }

    /// Tests two values for equality.
    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand.
    /// - Returns: whether every limb is equal (the EVM's EQ).
    @inlinable
    public static func == (a: UInt256, b: UInt256) -> Bool {
        ((a.w0 ^ b.w0) | (a.w1 ^ b.w1) | (a.w2 ^ b.w2) | (a.w3 ^ b.w3)) == 0
    }
}
