import Primitives
import State

/// Decoding of State's `Log` from receipts: RLP `[address (20 bytes), [topic (32 bytes), …], data]`.
extension Log {
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
