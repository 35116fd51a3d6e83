import Primitives

/// The contract ABI encoding (docs.soliditylang.org, "Contract ABI Specification", "Formal
/// Specification of the Encoding").
///
/// A list of values is encoded as the tuple of their types: first the heads of all components
/// (a static component in place, a dynamic one as the offset of its tail, counted from the start of
/// this tuple's encoding), then the tails in order. `bytes` and `string` are a length word and the
/// bytes right-padded to a multiple of 32; `T[]` is a length word and then the elements encoded
/// as the tuple `(T,…,T)`; `T[k]` is that tuple alone. Integers, addresses and bools are
/// right-aligned words (signed integers sign-extended); `bytes<M>` is left-aligned.
public enum ABI {
    /// Encodes values as the tuple of their types (function arguments, return values, event data).
    /// - Parameters:
    ///   - values: the values, one per type.
    ///   - types: their types.
    /// - Returns: the encoding, a multiple of 32 bytes.
    /// - Throws: `ABIError.wrongCount`, `.typeMismatch` or `.outOfRange` naming the value.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        var output: [UInt8] = []
        try appendTuple(values, types: types, context: ABIType.tuple(types).description, to: &output)
        return output
    }

    /// Encodes one value of one type on its own (`abi.encode(value)` for a single argument, which for
    /// a dynamic type starts with the offset 0x20).
    /// - Parameters:
    ///   - value: the value.
    ///   - type: its type.
    /// - Returns: the encoding.
    /// - Throws: as `encode(_:as:)`.
    public static func encode(_ value: ABIValue, as type: ABIType) throws(ABIError) -> [UInt8] {
        try encode([value], as: [type])
    }

    /// The first 4 bytes of keccak256 of a canonical signature ("baz(uint32,bool)").
    /// - Parameter signature: the canonical signature.
    /// - Returns: the 4-byte selector.
    public static func selector(_ signature: String) -> [UInt8] {
        Array(Keccak256.hash(Array(signature.utf8)).bytes.prefix(4))
    }

    // MARK: - Encoding

    static func appendTuple(_ values: [ABIValue], types: [ABIType], context: String,
                            to output: inout [UInt8]) throws(ABIError) {
        guard values.count == types.count else {
            throw .wrongCount(type: context, expected: types.count, actual: values.count)
        }
        // Each component is encoded first, so the head is sized from what the values really encode
        // to: a type's own `headSize` may be far larger than any value of it (`uint8[2^40]`) and is
        // only checked against the value once that value is encoded.
        var heads: [[UInt8]] = []
        var tails: [[UInt8]] = []
        heads.reserveCapacity(types.count)
        for (value, type) in zip(values, types) {
            var encoded: [UInt8] = []
            try appendValue(value, type: type, to: &encoded)
            if type.isDynamic {
                heads.append([])
                tails.append(encoded)
            } else {
                heads.append(encoded)
            }
        }
        let headSize = zip(heads, types).reduce(0) { $0 + ($1.1.isDynamic ? 32 : $1.0.count) }
        var tailOffset = headSize
        var tailIndex = 0
        for (head, type) in zip(heads, types) {
            if type.isDynamic {
                appendWord(UInt256(UInt64(tailOffset)), to: &output)
                tailOffset += tails[tailIndex].count
                tailIndex += 1
            } else {
                output.append(contentsOf: head)
            }
        }
        for tail in tails { output.append(contentsOf: tail) }
    }

    static func appendValue(_ value: ABIValue, type: ABIType, to output: inout [UInt8]) throws(ABIError) {
        switch (type, value) {
        case (.uint(let bits), .uint(let integer)):
            guard integer.bitWidth <= bits else { throw .outOfRange(type: type.description, value: value.description) }
            appendWord(integer, to: &output)
        case (.int(let bits), .int(let integer)):
            guard fitsSigned(integer, bits: bits) else {
                throw .outOfRange(type: type.description, value: value.description)
            }
            appendWord(integer, to: &output)
        case (.address, .address(let address)):
            output.append(contentsOf: address.word.bytes)
        case (.bool, .bool(let flag)):
            appendWord(flag ? .one : .zero, to: &output)
        case (.fixedBytes(let count), .fixedBytes(let bytes)):
            guard bytes.count == count else {
                throw .outOfRange(type: type.description, value: "\(value) (\(bytes.count) bytes)")
            }
            output.append(contentsOf: bytes)
            output.append(contentsOf: repeatElement(0, count: 32 - count))
        case (.bytes, .bytes(let bytes)):
            appendByteString(bytes, to: &output)
        case (.string, .string(let text)):
            appendByteString(Array(text.utf8), to: &output)
        case (.array(let element), .array(let elements)):
            guard !element.isZeroSized else {
                throw .invalidType(type.description, reason: "an array of a zero-sized type has a length no data can bound")
            }
            appendWord(UInt256(UInt64(elements.count)), to: &output)
            try appendTuple(elements, types: Array(repeating: element, count: elements.count),
                            context: type.description, to: &output)
        case (.fixedArray(let element, let count), .array(let elements)):
            guard !element.isZeroSized else {
                throw .invalidType(type.description, reason: "an array of a zero-sized type has a length no data can bound")
            }
            guard elements.count == count else {
                throw .wrongCount(type: type.description, expected: count, actual: elements.count)
            }
            try appendTuple(elements, types: Array(repeating: element, count: count), context: type.description,
                            to: &output)
        case (.tuple(let components), .tuple(let values)):
            try appendTuple(values, types: components, context: type.description, to: &output)
        default:
            throw .typeMismatch(type: type.description, value: "\(value.kindName) \(value)")
        }
    }

    /// Whether a two's-complement word lies in [−2^(bits−1), 2^(bits−1)): the bits above bit
    /// `bits − 1` all equal the sign bit.
    static func fitsSigned(_ value: UInt256, bits: Int) -> Bool {
        guard bits < 256 else { return true }
        let high = value.arithmeticShiftedRight(by: UInt256(UInt64(bits - 1)))
        return high.isZero || high == .max
    }

    static func appendWord(_ value: UInt256, to output: inout [UInt8]) {
        output.append(contentsOf: value.bigEndianBytes)
    }

    static func appendByteString(_ bytes: [UInt8], to output: inout [UInt8]) {
        appendWord(UInt256(UInt64(bytes.count)), to: &output)
        output.append(contentsOf: bytes)
        output.append(contentsOf: repeatElement(0, count: (32 - bytes.count % 32) % 32))
    }
}
