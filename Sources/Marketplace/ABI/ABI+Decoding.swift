import Primitives

/// Decoding the contract ABI encoding strictly: every word must hold a value its type can have
/// (clean high bits for uint<M> and address, sign extension for int<M>, 0 or 1 for bool, zero
/// padding after bytes<M>, bytes and string), every offset and length must stay inside the data,
/// and strings must be UTF-8. Trailing bytes after the encoding are ignored, as eth-abi and
/// Solidity's `abi.decode` ignore them.
///
/// Offsets may point anywhere inside the data, so a hostile encoding could make many pointers share
/// one tail and decode to far more values than its size (a decoding bomb). A canonical encoding
/// reads each of its words at most once, so the decoder stops after reading more words than a
/// generous multiple of the data's size.
extension ABI {
    /// Decodes data as the tuple of `types` (return values, event data, arguments after the selector).
    /// - Parameters:
    ///   - types: the types.
    ///   - data: the encoding.
    /// - Returns: one value per type.
    /// - Throws: `ABIError` naming the type, the offset and what is wrong.
    public static func decode(_ types: [ABIType], from data: [UInt8]) throws(ABIError) -> [ABIValue] {
        var decoder = ABIDecoder(data: data)
        return try decoder.decodeTuple(types, at: 0, context: ABIType.tuple(types).description)
    }

    /// Decodes data holding one value of one type (the inverse of `encode(_:as:)` for one value).
    /// - Parameters:
    ///   - type: the type.
    ///   - data: the encoding.
    /// - Returns: the value.
    /// - Throws: as `decode(_:from:)`.
    public static func decode(_ type: ABIType, from data: [UInt8]) throws(ABIError) -> ABIValue {
        try decode([type], from: data)[0]
    }
}

/// A cursor-free reader: every read names its absolute offset, so errors can say where.
struct ABIDecoder {
    let data: [UInt8]
    /// Words read so far, against the decoding-bomb limit.
    var wordsRead = 0
    let wordLimit: Int

    init(data: [UInt8]) {
        self.data = data
        self.wordLimit = 4 * (data.count / 32) + 64
    }

    mutating func word(at offset: Int, for type: String) throws(ABIError) -> [UInt8] {
        guard offset >= 0, offset <= data.count, data.count - offset >= 32 else {
            throw .truncated(type: type, offset: offset, needed: 32, available: max(0, data.count - offset))
        }
        wordsRead += 1
        guard wordsRead <= wordLimit else { throw .tooManyPointers(dataLength: data.count) }
        return Array(data[offset..<(offset + 32)])
    }

    /// Reads a word that is an offset or a length and must be small enough to index the data.
    mutating func size(at offset: Int, for type: String) throws(ABIError) -> Int {
        let value = UInt256(bigEndianBytes: try word(at: offset, for: type))
        guard let size = value.intIfFits, size <= data.count else {
            throw .invalidOffset(type: type, at: offset, value: value.description, dataLength: data.count)
        }
        return size
    }

    mutating func decodeTuple(_ types: [ABIType], at start: Int, context: String) throws(ABIError) -> [ABIValue] {
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var headPosition = start
        for type in types {
            if type.isDynamic {
                let offset = try size(at: headPosition, for: type.description)
                guard start + offset <= data.count else {
                    throw .invalidOffset(type: type.description, at: headPosition, value: String(offset),
                                         dataLength: data.count)
                }
                values.append(try decodeValue(type, at: start + offset))
                headPosition += 32
            } else {
                values.append(try decodeValue(type, at: headPosition))
                headPosition += type.headSize
            }
        }
        return values
    }

    mutating func decodeValue(_ type: ABIType, at offset: Int) throws(ABIError) -> ABIValue {
        let name = type.description
        switch type {
        case .uint(let bits):
            let value = UInt256(bigEndianBytes: try word(at: offset, for: name))
            guard value.bitWidth <= bits else {
                throw .invalidEncoding(type: name, offset: offset, word: value.hexQuantity,
                                       reason: "high bits above bit \(bits) are set")
            }
            return .uint(value)
        case .int(let bits):
            let value = UInt256(bigEndianBytes: try word(at: offset, for: name))
            guard ABI.fitsSigned(value, bits: bits) else {
                throw .invalidEncoding(type: name, offset: offset, word: value.hexQuantity,
                                       reason: "not sign-extended from bit \(bits - 1)")
            }
            return .int(value)
        case .address:
            let bytes = try word(at: offset, for: name)
            guard bytes[0..<12].allSatisfy({ $0 == 0 }) else {
                throw .invalidEncoding(type: name, offset: offset, word: Hex.encode(bytes),
                                       reason: "the 12 bytes before the address are not zero")
            }
            return .address(Address(bytes[12...]))
        case .bool:
            let value = UInt256(bigEndianBytes: try word(at: offset, for: name))
            guard value <= .one else {
                throw .invalidEncoding(type: name, offset: offset, word: value.hexQuantity, reason: "a bool is 0 or 1")
            }
            return .bool(value == .one)
        case .fixedBytes(let count):
            let bytes = try word(at: offset, for: name)
            guard bytes[count...].allSatisfy({ $0 == 0 }) else {
                throw .invalidEncoding(type: name, offset: offset, word: Hex.encode(bytes),
                                       reason: "padding after the \(count) bytes is not zero")
            }
            return .fixedBytes(Array(bytes[..<count]))
        case .bytes:
            return .bytes(try byteString(at: offset, for: name))
        case .string:
            let bytes = try byteString(at: offset, for: name)
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(offset: offset) }
            return .string(text)
        case .array(let element):
            guard !element.isZeroSized else {
                throw .invalidType(name, reason: "an array of a zero-sized type has a length no data can bound")
            }
            let count = try size(at: offset, for: name)
            // Each element takes at least its head in the data, so a count beyond that is a lie.
            guard count <= (data.count - offset - 32) / max(1, element.headSize) else {
                throw .invalidOffset(type: name, at: offset, value: "\(count) elements", dataLength: data.count)
            }
            return .array(try decodeTuple(Array(repeating: element, count: count), at: offset + 32, context: name))
        case .fixedArray(let element, let count):
            // Zero-sized elements have no heads, so no data bounds their count: `()[100000000]` made
            // 10^8 values from 31 bytes (a fuzz finding); refused as `()[]` is.
            guard !element.isZeroSized else {
                throw .invalidType(name, reason: "an array of a zero-sized type has a length no data can bound")
            }
            // The elements' heads lie in place; a count whose heads cannot fit in the data is refused
            // before any element is made (`uint256[2^40]` would otherwise allocate first).
            let (needed, overflow) = element.headSize.multipliedReportingOverflow(by: count)
            guard !overflow, offset >= 0, offset <= data.count, needed <= data.count - offset else {
                throw .truncated(type: name, offset: offset, needed: overflow ? .max : needed,
                                 available: max(0, data.count - max(0, offset)))
            }
            return .array(try decodeTuple(Array(repeating: element, count: count), at: offset, context: name))
        case .tuple(let components):
            return .tuple(try decodeTuple(components, at: offset, context: name))
        }
    }

    /// A length word, the bytes and their zero padding to a multiple of 32.
    mutating func byteString(at offset: Int, for name: String) throws(ABIError) -> [UInt8] {
        let length = try size(at: offset, for: name)
        let start = offset + 32
        let padded = (length + 31) / 32 * 32
        guard data.count - start >= padded else {
            throw .truncated(type: name, offset: start, needed: padded, available: data.count - start)
        }
        guard data[(start + length)..<(start + padded)].allSatisfy({ $0 == 0 }) else {
            throw .invalidEncoding(type: name, offset: start + length, word: Hex.encode(data[(start + length)..<(start + padded)]),
                                   reason: "padding after the \(length) bytes is not zero")
        }
        return Array(data[start..<(start + length)])
    }
}
