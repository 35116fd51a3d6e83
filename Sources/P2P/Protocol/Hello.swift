import Primitives

/// The Hello message (base protocol code 0x00), the first message of each side of a session
/// (devp2p rlpx.md; go-ethereum `protoHandshake`).
///
/// Encoding: `rlp([protocolVersion, clientId, [[capName, capVersion], …], listenPort, nodeId, …])`.
/// Items after the node id are ignored on decode, as EIP-8 asks for forward compatibility (go-ethereum
/// keeps them in `Rest`); they are kept in `extraFields` so that a decoded Hello re-encodes to the
/// same bytes. A higher protocol version than ours is accepted (EIP-8).
public struct Hello: Hashable, Sendable {
    /// The base protocol version (GoldenGrain sends `BaseProtocol.version`, 5).
    public var protocolVersion: UInt64
    /// The client's name and version as the sender's bytes, such as "GoldenGrain/v0.1.0/linux-x86_64"
    /// (kept raw, as go-ethereum keeps `Name`, so that a decoded Hello re-encodes to its bytes).
    public var clientIdBytes: [UInt8]
    /// The subprotocols the sender runs.
    public var capabilities: [Capability]
    /// The TCP port the sender listens on (0 if it does not), informational only.
    public var listenPort: UInt64
    /// The sender's node id: its 64-byte public key, x ‖ y.
    public var nodeId: [UInt8]
    /// Items after the node id, each as its complete RLP encoding, ignored by this node.
    public var extraFields: [[UInt8]]

    /// Creates a Hello.
    /// - Parameters:
    ///   - protocolVersion: the base protocol version (default 5).
    ///   - clientId: the client name.
    ///   - capabilities: the subprotocols offered.
    ///   - listenPort: the TCP listening port.
    ///   - nodeId: the 64-byte public key.
    ///   - extraFields: encoded items to append after the node id (default none).
    public init(protocolVersion: UInt64 = BaseProtocol.version, clientId: String, capabilities: [Capability],
                listenPort: UInt64, nodeId: [UInt8], extraFields: [[UInt8]] = []) {
        self.protocolVersion = protocolVersion
        self.clientIdBytes = Array(clientId.utf8)
        self.capabilities = capabilities
        self.listenPort = listenPort
        self.nodeId = nodeId
        self.extraFields = extraFields
    }

    /// The client id as text (bytes that are not UTF-8 show as U+FFFD), as admin_peers reports it.
    public var clientId: String { String(decoding: clientIdBytes, as: UTF8.self) }

    /// The message payload.
    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 128)
        writer.appendList { list in
            list.append(uint: protocolVersion)
            list.append(bytes: clientIdBytes)
            list.appendList { caps in
                for capability in capabilities {
                    caps.appendList { pair in
                        pair.append(bytes: capability.nameBytes)
                        pair.append(uint: capability.version)
                    }
                }
            }
            list.append(uint: listenPort)
            list.append(bytes: nodeId)
            for field in extraFields { list.append(encoded: field) }
        }
        return writer.finish()
    }

    /// Decodes a Hello payload. Fields after the node id are kept but not interpreted.
    /// - Parameter encoded: the payload.
    /// - Throws: `BaseProtocolError.malformedField` naming the field, `.missingFields` for fewer than
    ///   five items, `.wrongCapabilityFieldCount`, or `.invalidNodeIdLength`.
    public init(encoded: [UInt8]) throws(BaseProtocolError) {
        let message = "Hello"
        var outer = RLPReader(encoded)
        var fields = try readField(message, "Hello", from: &outer) { (reader) throws(RLPError) in try reader.enterList() }
        _ = try readField(message, "Hello", from: &outer) { (reader) throws(RLPError) in try reader.expectEnd() }
        var count = 0
        func present(_ name: String) throws(BaseProtocolError) {
            if fields.isAtEnd { throw .missingFields(message: message, expected: "at least 5 (protocolVersion, clientId, capabilities, listenPort, nodeId)", actual: count) }
            count += 1
        }
        try present("protocolVersion")
        protocolVersion = try readField(message, "protocolVersion", from: &fields) { (reader) throws(RLPError) in try reader.readUInt64() }
        try present("clientId")
        let name = try readField(message, "clientId", from: &fields) { (reader) throws(RLPError) in try reader.readBytes() }
        clientIdBytes = Array(name)
        try present("capabilities")
        var capabilityReader = try readField(message, "capabilities", from: &fields) { (reader) throws(RLPError) in try reader.enterList() }
        capabilities = []
        while !capabilityReader.isAtEnd {
            let index = capabilities.count
            let field = "capability \(index)"
            var pair = try readField(message, field, from: &capabilityReader) { (reader) throws(RLPError) in try reader.enterList() }
            var items = 0
            var probe = pair
            while !probe.isAtEnd {
                _ = try readField(message, field, from: &probe) { (reader) throws(RLPError) in try reader.skipItem() }
                items += 1
            }
            guard items == 2 else { throw .wrongCapabilityFieldCount(index: index, actual: items) }
            let capName = try readField(message, field + " name", from: &pair) { (reader) throws(RLPError) in try reader.readBytes() }
            let version = try readField(message, field + " version", from: &pair) { (reader) throws(RLPError) in try reader.readUInt64() }
            capabilities.append(Capability(nameBytes: Array(capName), version: version))
        }
        try present("listenPort")
        listenPort = try readField(message, "listenPort", from: &fields) { (reader) throws(RLPError) in try reader.readUInt64() }
        try present("nodeId")
        let id = try readField(message, "nodeId", from: &fields) { (reader) throws(RLPError) in try reader.readBytes() }
        guard id.count == 64 else { throw .invalidNodeIdLength(id.count) }
        nodeId = Array(id)
        extraFields = []
        while !fields.isAtEnd {
            let field = "extra field \(extraFields.count)"
            extraFields.append(Array(try readField(message, field, from: &fields) { (reader) throws(RLPError) in try reader.readRawItem() }))
        }
    }
}
