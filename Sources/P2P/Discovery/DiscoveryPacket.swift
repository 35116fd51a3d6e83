import Primitives
import Signatures

/// A discovery v4 packet (devp2p discv4.md; go-ethereum v1.13 p2p/discover/v4wire).
///
/// On the wire: `hash(32) ‖ signature(65) ‖ packet-type(1) ‖ packet-data`, where packet-data is an
/// RLP list, the signature is a recoverable secp256k1 signature of keccak256(packet-type ‖ packet-data)
/// by the sender's node key, and hash = keccak256(signature ‖ packet-type ‖ packet-data). The
/// recovered public key is the sender's node id. A packet is at most 1280 bytes.
///
/// Forward compatibility (EIP-8): list items after the known fields are ignored (kept in
/// `extraFields`, each as its complete RLP encoding), any Ping version is accepted, and bytes after
/// the packet-data list are ignored. The optional enr-seq of Ping and Pong (EIP-868) is read only
/// when it is a canonical integer; anything else in its place counts as an extra field (EIP-8's
/// vectors put a list there).
public enum DiscoveryPacket: Hashable, Sendable {
    case ping(Ping)
    case pong(Pong)
    case findNode(FindNode)
    case neighbours(Neighbours)
    case enrRequest(ENRRequest)
    case enrResponse(ENRResponse)

    /// The largest datagram sent or accepted.
    public static let maximumSize = 1280
    /// Bytes before the packet-data: hash, signature, type.
    public static let headerSize = 32 + 65 + 1

    /// An endpoint: IP address (4 or 16 bytes as sent), UDP and TCP ports.
    public struct Endpoint: Hashable, Sendable {
        public var ip: [UInt8]
        public var udpPort: UInt16
        public var tcpPort: UInt16

        public init(ip: [UInt8], udpPort: UInt16, tcpPort: UInt16) {
            self.ip = ip
            self.udpPort = udpPort
            self.tcpPort = tcpPort
        }
    }

    /// Ping (type 1): `[version, from, to, expiration, enr-seq?, …]`.
    public struct Ping: Hashable, Sendable {
        /// The protocol version; 4 is sent, any is accepted.
        public var version: UInt64
        public var from: Endpoint
        public var to: Endpoint
        /// Unix time in seconds after which the packet is void.
        public var expiration: UInt64
        /// The sender's ENR sequence number (EIP-868), if sent.
        public var enrSequence: UInt64?
        public var extraFields: [[UInt8]]

        public init(version: UInt64 = 4, from: Endpoint, to: Endpoint, expiration: UInt64, enrSequence: UInt64? = nil, extraFields: [[UInt8]] = []) {
            self.version = version
            self.from = from
            self.to = to
            self.expiration = expiration
            self.enrSequence = enrSequence
            self.extraFields = extraFields
        }
    }

    /// Pong (type 2): `[to, ping-hash, expiration, enr-seq?, …]`.
    public struct Pong: Hashable, Sendable {
        /// The endpoint the Ping came from, as the replier saw it.
        public var to: Endpoint
        /// The hash of the Ping answered.
        public var pingHash: Hash32
        public var expiration: UInt64
        public var enrSequence: UInt64?
        public var extraFields: [[UInt8]]

        public init(to: Endpoint, pingHash: Hash32, expiration: UInt64, enrSequence: UInt64? = nil, extraFields: [[UInt8]] = []) {
            self.to = to
            self.pingHash = pingHash
            self.expiration = expiration
            self.enrSequence = enrSequence
            self.extraFields = extraFields
        }
    }

    /// FindNode (type 3): `[target, expiration, …]`; target is a 64-byte public key.
    public struct FindNode: Hashable, Sendable {
        public var target: [UInt8]
        public var expiration: UInt64
        public var extraFields: [[UInt8]]

        public init(target: [UInt8], expiration: UInt64, extraFields: [[UInt8]] = []) {
            self.target = target
            self.expiration = expiration
            self.extraFields = extraFields
        }
    }

    /// One node of a Neighbours packet: `[ip, udp-port, tcp-port, node-id]`.
    public struct Node: Hashable, Sendable {
        public var ip: [UInt8]
        public var udpPort: UInt16
        public var tcpPort: UInt16
        /// The 64-byte public key.
        public var nodeId: [UInt8]

        public init(ip: [UInt8], udpPort: UInt16, tcpPort: UInt16, nodeId: [UInt8]) {
            self.ip = ip
            self.udpPort = udpPort
            self.tcpPort = tcpPort
            self.nodeId = nodeId
        }

        /// The node as an enode (nil when the id is not a curve point or the address is not 4 or 16 bytes).
        public var enode: Enode? {
            guard let key = try? PublicKey(bytes: nodeId), let host = DiscoveryPacket.host(ip) else { return nil }
            return Enode(publicKey: key, host: host, tcpPort: tcpPort, udpPort: udpPort)
        }
    }

    /// Neighbours (type 4): `[[node, …], expiration, …]`.
    public struct Neighbours: Hashable, Sendable {
        public var nodes: [Node]
        public var expiration: UInt64
        public var extraFields: [[UInt8]]

        public init(nodes: [Node], expiration: UInt64, extraFields: [[UInt8]] = []) {
            self.nodes = nodes
            self.expiration = expiration
            self.extraFields = extraFields
        }
    }

    /// ENRRequest (type 5, EIP-868): `[expiration, …]`.
    public struct ENRRequest: Hashable, Sendable {
        public var expiration: UInt64
        public var extraFields: [[UInt8]]

        public init(expiration: UInt64, extraFields: [[UInt8]] = []) {
            self.expiration = expiration
            self.extraFields = extraFields
        }
    }

    /// ENRResponse (type 6, EIP-868): `[request-hash, record, …]`; the record's signature is not checked here (`ENR.verifyV4()`).
    public struct ENRResponse: Hashable, Sendable {
        public var requestHash: Hash32
        public var record: ENR
        public var extraFields: [[UInt8]]

        public init(requestHash: Hash32, record: ENR, extraFields: [[UInt8]] = []) {
            self.requestHash = requestHash
            self.record = record
            self.extraFields = extraFields
        }
    }

    /// A packet received: what it says, who signed it, and its hash (which a Pong echoes).
    public struct Received: Hashable, Sendable {
        public var packet: DiscoveryPacket
        public var sender: PublicKey
        public var hash: Hash32
    }

    /// The packet-type byte.
    public var type: UInt8 {
        switch self {
        case .ping: return 1
        case .pong: return 2
        case .findNode: return 3
        case .neighbours: return 4
        case .enrRequest: return 5
        case .enrResponse: return 6
        }
    }

    /// The packet's name for messages.
    public var name: String { Self.name(type) }

    static func name(_ type: UInt8) -> String {
        ["", "Ping", "Pong", "FindNode", "Neighbours", "ENRRequest", "ENRResponse"][Int(type)]
    }

    /// The expiration time (Unix seconds), nil for ENRResponse, which has none.
    public var expiration: UInt64? {
        switch self {
        case .ping(let p): return p.expiration
        case .pong(let p): return p.expiration
        case .findNode(let p): return p.expiration
        case .neighbours(let p): return p.expiration
        case .enrRequest(let p): return p.expiration
        case .enrResponse: return nil
        }
    }

    // MARK: Encoding

    /// The packet-data: the RLP list.
    public var packetData: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 256)
        writer.appendList { list in
            switch self {
            case .ping(let p):
                list.append(uint: p.version)
                Self.append(p.from, to: &list)
                Self.append(p.to, to: &list)
                list.append(uint: p.expiration)
                if let seq = p.enrSequence { list.append(uint: seq) }
                for field in p.extraFields { list.append(encoded: field) }
            case .pong(let p):
                Self.append(p.to, to: &list)
                list.append(bytes: p.pingHash.bytes)
                list.append(uint: p.expiration)
                if let seq = p.enrSequence { list.append(uint: seq) }
                for field in p.extraFields { list.append(encoded: field) }
            case .findNode(let p):
                list.append(bytes: p.target)
                list.append(uint: p.expiration)
                for field in p.extraFields { list.append(encoded: field) }
            case .neighbours(let p):
                list.appendList { nodes in
                    for node in p.nodes {
                        nodes.appendList { item in
                            item.append(bytes: node.ip)
                            item.append(uint: UInt64(node.udpPort))
                            item.append(uint: UInt64(node.tcpPort))
                            item.append(bytes: node.nodeId)
                        }
                    }
                }
                list.append(uint: p.expiration)
                for field in p.extraFields { list.append(encoded: field) }
            case .enrRequest(let p):
                list.append(uint: p.expiration)
                for field in p.extraFields { list.append(encoded: field) }
            case .enrResponse(let p):
                list.append(bytes: p.requestHash.bytes)
                list.append(encoded: p.record.encoded)
                for field in p.extraFields { list.append(encoded: field) }
            }
        }
        return writer.finish()
    }

    private static func append(_ endpoint: Endpoint, to list: inout RLPWriter) {
        list.appendList { item in
            item.append(bytes: endpoint.ip)
            item.append(uint: UInt64(endpoint.udpPort))
            item.append(uint: UInt64(endpoint.tcpPort))
        }
    }

    /// Signs and frames the packet.
    /// - Parameter key: the sender's node key.
    /// - Returns: the datagram and its hash.
    /// - Throws: `DiscoveryError.tooLarge` when the datagram would exceed 1280 bytes.
    public func encode(key: NodeKey) throws(DiscoveryError) -> (bytes: [UInt8], hash: Hash32) {
        let signed = [type] + packetData
        let size = Self.headerSize - 1 + signed.count
        guard size <= Self.maximumSize else { throw .tooLarge(size: size) }
        let signature = key.privateKey.sign(hash: Keccak256.hash(signed)).bytes
        let hash = Keccak256.hash(signature + signed)
        return (hash.bytes + signature + signed, hash)
    }

    // MARK: Decoding

    /// Checks and decodes a datagram.
    /// - Parameters:
    ///   - bytes: the datagram.
    ///   - now: the current Unix time; when given, an expired packet is refused.
    /// - Returns: the packet, its signer and its hash.
    /// - Throws: `DiscoveryError` naming what is wrong.
    public static func decode(_ bytes: [UInt8], now: UInt64? = nil) throws(DiscoveryError) -> Received {
        guard bytes.count >= headerSize else { throw .tooSmall(size: bytes.count) }
        guard bytes.count <= maximumSize else { throw .tooLarge(size: bytes.count) }
        let claimed = Hash32(bytes[0 ..< 32])
        let actual = Keccak256.hash(bytes[32...])
        guard claimed == actual else { throw .hashMismatch(expected: actual, actual: claimed) }
        let sender: PublicKey
        do throws(SignatureError) {
            let signature = try RecoverableSignature(bytes: bytes[32 ..< 97])
            sender = try signature.recoverPublicKey(from: Keccak256.hash(bytes[97...]))
        } catch {
            throw .invalidSignature(error)
        }
        let packet = try decodeBody(type: bytes[97], data: bytes[98...])
        if let now, let expiration = packet.expiration, expiration < now {
            throw .expired(packet: packet.name, expiration: expiration, now: now)
        }
        return Received(packet: packet, sender: sender, hash: claimed)
    }

    /// Decodes packet-type and packet-data (without hash or signature).
    /// - Throws: `DiscoveryError` naming the field.
    public static func decodeBody(type: UInt8, data: ArraySlice<UInt8>) throws(DiscoveryError) -> DiscoveryPacket {
        guard (1 ... 6).contains(type) else { throw .unknownPacketType(type) }
        var fields = FieldReader(packet: name(type), data: data)
        try fields.open()
        switch type {
        case 1:
            try fields.require(4)
            let version = try fields.uint("version")
            let from = try fields.endpoint("from")
            let to = try fields.endpoint("to")
            let expiration = try fields.uint("expiration")
            let seq = fields.optionalUInt()
            return .ping(Ping(version: version, from: from, to: to, expiration: expiration, enrSequence: seq, extraFields: try fields.rest()))
        case 2:
            try fields.require(3)
            let to = try fields.endpoint("to")
            let hash = try fields.read("ping-hash") { (r) throws(RLPError) in try r.readBytes(exactly: 32) }
            let expiration = try fields.uint("expiration")
            let seq = fields.optionalUInt()
            return .pong(Pong(to: to, pingHash: Hash32(hash), expiration: expiration, enrSequence: seq, extraFields: try fields.rest()))
        case 3:
            try fields.require(2)
            let target = try fields.read("target") { (r) throws(RLPError) in try r.readBytes() }
            guard target.count == 64 else { throw .invalidNodeId(field: "FindNode target", length: target.count) }
            let expiration = try fields.uint("expiration")
            return .findNode(FindNode(target: Array(target), expiration: expiration, extraFields: try fields.rest()))
        case 4:
            try fields.require(2)
            var list = try fields.read("nodes") { (r) throws(RLPError) in try r.enterList() }
            var nodes: [Node] = []
            while !list.isAtEnd {
                let field = "node \(nodes.count)"
                let item = try fields.read(field, from: &list) { (r) throws(RLPError) in try r.enterList() }
                var node = FieldReader(packet: fields.packet, reader: item)
                try node.require(4, what: field)
                let ip = try node.read(field + " ip") { (r) throws(RLPError) in try r.readBytes() }
                guard ip.count == 4 || ip.count == 16 else { throw .invalidAddress(field: "Neighbours \(field) ip", length: ip.count) }
                let udp = try node.port(field + " udp-port")
                let tcp = try node.port(field + " tcp-port")
                let id = try node.read(field + " node-id") { (r) throws(RLPError) in try r.readBytes() }
                guard id.count == 64 else { throw .invalidNodeId(field: "Neighbours \(field) node-id", length: id.count) }
                nodes.append(Node(ip: Array(ip), udpPort: udp, tcpPort: tcp, nodeId: Array(id)))
            }
            let expiration = try fields.uint("expiration")
            return .neighbours(Neighbours(nodes: nodes, expiration: expiration, extraFields: try fields.rest()))
        case 5:
            try fields.require(1)
            let expiration = try fields.uint("expiration")
            return .enrRequest(ENRRequest(expiration: expiration, extraFields: try fields.rest()))
        default:
            try fields.require(2)
            let hash = try fields.read("request-hash") { (r) throws(RLPError) in try r.readBytes(exactly: 32) }
            let raw = try fields.read("record") { (r) throws(RLPError) in try r.readRawItem() }
            let record: ENR
            do throws(ENRError) {
                record = try ENR(encoded: Array(raw))
            } catch {
                throw .invalidRecord(error)
            }
            return .enrResponse(ENRResponse(requestHash: Hash32(hash), record: record, extraFields: try fields.rest()))
        }
    }

    /// An enode host from 4 or 16 address bytes (IPv4-mapped IPv6 becomes IPv4).
    static func host(_ ip: [UInt8]) -> Enode.Host? {
        switch ip.count {
        case 4: return .ipv4(ip)
        case 16: return Enode.normalized(.ipv6(ip))
        default: return nil
        }
    }
}

/// Reads the fields of one packet's list, naming each field in errors.
private struct FieldReader {
    let packet: String
    var reader: RLPReader
    var outer: RLPReader?
    var count = 0

    init(packet: String, data: ArraySlice<UInt8>) {
        self.packet = packet
        self.reader = RLPReader(data)
        self.outer = RLPReader(data)
    }

    init(packet: String, reader: RLPReader) {
        self.packet = packet
        self.reader = reader
    }

    /// Enters the packet-data list; bytes after it are ignored (EIP-8).
    mutating func open() throws(DiscoveryError) {
        guard var outer else { return }
        reader = try read("packet-data", from: &outer) { (r) throws(RLPError) in try r.enterList() }
    }

    /// Checks that at least `expected` items are present.
    func require(_ expected: Int, what: String? = nil) throws(DiscoveryError) {
        var probe = reader
        var items = 0
        while !probe.isAtEnd {
            do throws(RLPError) { try probe.skipItem() } catch { throw .malformedField(packet: packet, field: what ?? "item \(items)", error) }
            items += 1
        }
        guard items >= expected else { throw .missingFields(packet: what.map { "\(packet) \($0)" } ?? packet, expected: expected, actual: items) }
    }

    mutating func read<T>(_ field: String, _ body: (inout RLPReader) throws(RLPError) -> T) throws(DiscoveryError) -> T {
        try read(field, from: &reader, body)
    }

    func read<T>(_ field: String, from reader: inout RLPReader, _ body: (inout RLPReader) throws(RLPError) -> T) throws(DiscoveryError) -> T {
        do throws(RLPError) {
            return try body(&reader)
        } catch {
            throw .malformedField(packet: packet, field: field, error)
        }
    }

    mutating func uint(_ field: String) throws(DiscoveryError) -> UInt64 {
        try read(field) { (r) throws(RLPError) in try r.readUInt64() }
    }

    mutating func port(_ field: String) throws(DiscoveryError) -> UInt16 {
        let value = try uint(field)
        guard value <= UInt64(UInt16.max) else { throw .invalidPort(field: "\(packet) \(field)", value: value) }
        return UInt16(value)
    }

    mutating func endpoint(_ field: String) throws(DiscoveryError) -> DiscoveryPacket.Endpoint {
        let list = try read(field) { (r) throws(RLPError) in try r.enterList() }
        var inner = FieldReader(packet: packet, reader: list)
        try inner.require(3, what: field)
        let ip = try inner.read(field + " ip") { (r) throws(RLPError) in try r.readBytes() }
        let udp = try inner.port(field + " udp-port")
        let tcp = try inner.port(field + " tcp-port")
        return DiscoveryPacket.Endpoint(ip: Array(ip), udpPort: udp, tcpPort: tcp)
    }

    /// Reads the next item as an integer if it is one; otherwise leaves it for `rest()`.
    mutating func optionalUInt() -> UInt64? {
        var probe = reader
        guard !probe.isAtEnd, let value = try? probe.readUInt64() else { return nil }
        reader = probe
        return value
    }

    /// The remaining items, each as its RLP encoding.
    mutating func rest() throws(DiscoveryError) -> [[UInt8]] {
        var extra: [[UInt8]] = []
        while !reader.isAtEnd {
            extra.append(Array(try read("extra field \(extra.count)") { (r) throws(RLPError) in try r.readRawItem() }))
        }
        return extra
    }
}
