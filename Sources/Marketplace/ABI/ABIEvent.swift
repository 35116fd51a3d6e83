import Primitives

/// A contract event and how its logs are laid out (spec, "Events"): topics[0] = keccak256 of the
/// canonical signature (absent for an anonymous event), then one topic per indexed parameter, and
/// the non-indexed parameters ABI-encoded as a tuple in the log's data.
///
/// An indexed parameter of a value type (at most 32 bytes: integers, address, bool, bytes<M>) is its
/// ABI word in the topic. An indexed `bytes`, `string`, array or tuple is stored as the keccak256 of
/// its special in-place encoding, so it cannot be recovered: decoding returns that hash as a
/// `.fixedBytes` of 32 bytes.
public struct ABIEvent: Hashable, Sendable, CustomStringConvertible {
    /// One parameter of an event.
    public struct Parameter: Hashable, Sendable {
        /// The parameter's name (may be empty).
        public let name: String
        /// Its type.
        public let type: ABIType
        /// Whether it is a topic rather than part of the data.
        public let isIndexed: Bool

        /// Creates a parameter.
        /// - Parameters:
        ///   - name: the name.
        ///   - type: the type.
        ///   - isIndexed: whether it is indexed.
        public init(_ name: String, _ type: ABIType, indexed isIndexed: Bool = false) {
            self.name = name
            self.type = type
            self.isIndexed = isIndexed
        }
    }

    /// The event's name.
    public let name: String
    /// Its parameters in declaration order.
    public let parameters: [Parameter]
    /// Whether the log carries no signature topic.
    public let isAnonymous: Bool

    /// Creates an event.
    /// - Parameters:
    ///   - name: the name.
    ///   - parameters: the parameters in declaration order (at most 3 indexed, 4 if anonymous).
    ///   - isAnonymous: whether topics[0] is omitted.
    public init(name: String, parameters: [Parameter], isAnonymous: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.isAnonymous = isAnonymous
    }

    /// The canonical signature, "Name(type1,type2)" (indexed or not).
    public var signature: String { name + ABIType.tuple(parameters.map(\.type)).description }

    /// The canonical signature.
    public var description: String { signature }

    /// topics[0]: keccak256 of the signature.
    public var topic: Hash32 { Keccak256.hash(Array(signature.utf8)) }

    /// Whether a log's first topic names this event (always false for an anonymous event).
    /// - Parameter topics: the log's topics.
    /// - Returns: whether topics[0] is this event's signature hash.
    public func matches(topics: [Hash32]) -> Bool {
        !isAnonymous && topics.first == topic
    }

    /// Decodes a log of this event.
    /// - Parameters:
    ///   - topics: the log's topics.
    ///   - data: the log's data.
    /// - Returns: one value per parameter, in declaration order; an indexed dynamic parameter is its
    ///   32-byte topic hash.
    /// - Throws: `ABIError.topicMismatch` for a wrong signature topic or topic count, or a decoding error.
    public func decode(topics: [Hash32], data: [UInt8]) throws(ABIError) -> [ABIValue] {
        var topicIndex = 0
        if !isAnonymous {
            guard let first = topics.first else { throw .topicMismatch(event: signature, reason: "the log has no topics") }
            guard first == topic else {
                throw .topicMismatch(event: signature, reason: "topic 0 is \(first), expected \(topic)")
            }
            topicIndex = 1
        }
        let indexed = parameters.filter(\.isIndexed)
        guard topics.count == topicIndex + indexed.count else {
            throw .topicMismatch(event: signature,
                                 reason: "\(topics.count) topics, expected \(topicIndex + indexed.count)")
        }
        let dataValues = try ABI.decode(parameters.filter { !$0.isIndexed }.map(\.type), from: data)
        var dataIndex = 0
        var values: [ABIValue] = []
        for parameter in parameters {
            if parameter.isIndexed {
                let topic = topics[topicIndex]
                topicIndex += 1
                if parameter.type.isIndexedAsHash {
                    values.append(.fixedBytes(topic.bytes))
                } else {
                    values.append(try ABI.decode(parameter.type, from: topic.bytes))
                }
            } else {
                values.append(dataValues[dataIndex])
                dataIndex += 1
            }
        }
        return values
    }

    /// The topics and data of a log of this event with these values (what the contract emits).
    /// - Parameter values: one value per parameter, in declaration order.
    /// - Returns: the topics and the data. Indexed dynamic parameters are not supported here.
    /// - Throws: `ABIError` if a value does not fit, or `.invalidType` for an indexed dynamic parameter.
    public func encodeLog(_ values: [ABIValue]) throws(ABIError) -> (topics: [Hash32], data: [UInt8]) {
        guard values.count == parameters.count else {
            throw .wrongCount(type: signature, expected: parameters.count, actual: values.count)
        }
        var topics: [Hash32] = isAnonymous ? [] : [topic]
        var dataValues: [ABIValue] = [], dataTypes: [ABIType] = []
        for (parameter, value) in zip(parameters, values) {
            if parameter.isIndexed {
                guard !parameter.type.isIndexedAsHash else {
                    throw .invalidType(parameter.type.description, reason: "indexed dynamic parameters are not encoded here")
                }
                topics.append(Hash32(try ABI.encode(value, as: parameter.type)))
            } else {
                dataValues.append(value)
                dataTypes.append(parameter.type)
            }
        }
        return (topics, try ABI.encode(dataValues, as: dataTypes))
    }
}

extension ABIType {
    /// Whether an indexed parameter of this type is stored as a hash (every type not a single word).
    var isIndexedAsHash: Bool {
        switch self {
        case .bytes, .string, .array, .fixedArray, .tuple: return true
        default: return false
        }
    }
}
