/// Why a type could not be parsed, a value encoded, or bytes decoded (contract ABI specification).
public enum ABIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A type's text is not a supported ABI type.
    case invalidType(String, reason: String)
    /// A value's kind does not match its type (an `.int` where a `string` is expected).
    case typeMismatch(type: String, value: String)
    /// An integer does not fit its type's bit size, or a `bytes<M>` value is not M bytes.
    case outOfRange(type: String, value: String)
    /// A list of values has the wrong number of elements for its types or its fixed-length array.
    case wrongCount(type: String, expected: Int, actual: Int)
    /// The data ends before a word or a byte string that the type needs.
    case truncated(type: String, offset: Int, needed: Int, available: Int)
    /// An offset or a length read from the data points outside it or is too large.
    case invalidOffset(type: String, at: Int, value: String, dataLength: Int)
    /// A word holds a value its type cannot have (dirty high bits, a bool of 2, non-zero padding).
    case invalidEncoding(type: String, offset: Int, word: String, reason: String)
    /// A `string` holds bytes that are not UTF-8.
    case invalidUTF8(offset: Int)
    /// The data holds more nested pointers than it could in a canonical encoding (a decoding bomb).
    case tooManyPointers(dataLength: Int)
    /// Call data does not start with the function's selector.
    case selectorMismatch(function: String, expected: String, actual: String)
    /// A log's topics do not match the event.
    case topicMismatch(event: String, reason: String)
    /// A JSON ABI document is malformed.
    case invalidJSON(String)

    public var description: String {
        switch self {
        case .invalidType(let text, let reason): return "invalid ABI type \"\(text)\": \(reason)"
        case .typeMismatch(let type, let value): return "expected a value of type \(type), got \(value)"
        case .outOfRange(let type, let value): return "value \(value) does not fit type \(type)"
        case .wrongCount(let type, let expected, let actual):
            return "\(type) takes \(expected) value(s), got \(actual)"
        case .truncated(let type, let offset, let needed, let available):
            return "data too short reading \(type) at offset \(offset): needs \(needed) bytes, \(available) available"
        case .invalidOffset(let type, let at, let value, let dataLength):
            return "offset or length \(value) at byte \(at) for \(type) points outside the \(dataLength)-byte data"
        case .invalidEncoding(let type, let offset, let word, let reason):
            return "invalid \(type) at offset \(offset) (\(word)): \(reason)"
        case .invalidUTF8(let offset): return "string at offset \(offset) is not valid UTF-8"
        case .tooManyPointers(let dataLength):
            return "\(dataLength)-byte data holds more values than a canonical encoding can (overlapping offsets)"
        case .selectorMismatch(let function, let expected, let actual):
            return "call data selector \(actual) is not \(function)'s \(expected)"
        case .topicMismatch(let event, let reason): return "log is not a \(event) event: \(reason)"
        case .invalidJSON(let reason): return "invalid JSON ABI: \(reason)"
        }
    }
}
