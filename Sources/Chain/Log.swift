import Primitives

/// A log entry emitted by LOG0–LOG4 (Yellow Paper §4.3.1).
///
/// RLP: `[address (20 bytes), [topic (32 bytes), …], data]`.
public struct Log: Hashable, Sendable {
    /// The contract that emitted the log.
    public var address: Address
    /// Zero to four 32-byte topics.
    public var topics: [Hash32]
    /// The unindexed data.
    public var data: [UInt8]

    /// Creates a log entry.
    /// - Parameters:
    ///   - address: the emitting contract.
    ///   - topics: zero to four topics.
    ///   - data: the unindexed data.
    public init(address: Address, topics: [Hash32], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }

    /// Appends the log's RLP list.
    /// - Parameter writer: the writer to append to.
    func append(to writer: inout RLPWriter) {
        writer.appendList { list in
            list.append(bytes: address.bytes)
            list.appendList { topicList in
                for topic in topics { topicList.append(bytes: topic.bytes) }
            }
            list.append(bytes: data)
        }
    }

    /// Reads one log's RLP list.
    static func read(from reader: inout RLPReader) throws(BlockError) -> Log {
        var fields = try readField("log", "log", { (reader) throws(RLPError) in try reader.enterList() }, from: &reader)
        let address = try readField("log", "address", { (reader) throws(RLPError) in try reader.readBytes(exactly: 20) }, from: &fields)
        var topicReader = try readField("log", "topics", { (reader) throws(RLPError) in try reader.enterList() }, from: &fields)
        var topics: [Hash32] = []
        while !topicReader.isAtEnd {
            topics.append(try readField("log", "topic", { (reader) throws(RLPError) in try reader.readHash32() }, from: &topicReader))
        }
        let data = try readField("log", "data", { (reader) throws(RLPError) in try reader.readBytes() }, from: &fields)
        do throws(RLPError) { try fields.expectEnd() } catch { throw .malformedField(structure: "log", field: "log", error) }
        return Log(address: Address(address), topics: topics, data: Array(data))
    }
}
