import Primitives

/// A log record emitted by LOG0–LOG4 (Yellow Paper §4.3.1): the emitting account, up to four
/// topics and opaque data.
public struct Log: Sendable, Hashable {
    /// The account whose code executed the LOG opcode.
    public var address: Address
    /// Zero to four indexed topics.
    public var topics: [Hash32]
    /// The unindexed payload.
    public var data: [UInt8]

    /// Creates a log record.
    /// - Parameters:
    ///   - address: the emitting account.
    ///   - topics: the topics, at most four.
    ///   - data: the payload.
    public init(address: Address, topics: [Hash32], data: [UInt8]) {
        self.address = address; self.topics = topics; self.data = data
    }

    /// Appends RLP([address, [topic…], data]), the encoding receipts use.
    /// - Parameter writer: the writer to append to.
    public func append(to writer: inout RLPWriter) {
        let list = writer.beginList()
        writer.append(bytes: address.bytes)
        let topicList = writer.beginList()
        for topic in topics { writer.append(bytes: topic.bytes) }
        writer.endList(topicList)
        writer.append(bytes: data)
        writer.endList(list)
    }

    /// keccak256 of the RLP list of `logs`, the "logs hash" that state tests compare.
    /// - Parameter logs: the logs of one transaction, in emission order.
    /// - Returns: keccak256(RLP([log…])).
    public static func hash(of logs: [Log]) -> Hash32 {
        var writer = RLPWriter()
        let list = writer.beginList()
        for log in logs { log.append(to: &writer) }
        writer.endList(list)
        return Keccak256.hash(writer.finish())
    }
}
