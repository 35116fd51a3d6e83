/// A subprotocol name and version a peer announces in Hello, such as eth/68 (devp2p rlpx.md).
///
/// Capabilities sort by name, then by version, as go-ethereum's `Cap.Cmp` orders them.
///
/// The name is kept as the bytes the peer sent (go-ethereum's `Cap.Name` is a Go string, which holds
/// any bytes): a name that is not UTF-8 simply matches no protocol of ours, and a decoded Hello
/// re-encodes to the bytes it came from (found by the p2p fuzz target, Fuzz/Findings/p2p).
public struct Capability: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The protocol name's bytes, such as "eth" (at most 8 ASCII characters by convention; not enforced).
    public var nameBytes: [UInt8]
    /// The protocol version.
    public var version: UInt64

    /// Creates a capability.
    /// - Parameters:
    ///   - name: the protocol name.
    ///   - version: the protocol version.
    public init(name: String, version: UInt64) {
        self.init(nameBytes: Array(name.utf8), version: version)
    }

    /// Creates a capability from the name's bytes as a peer sent them.
    /// - Parameters:
    ///   - nameBytes: the protocol name's bytes.
    ///   - version: the protocol version.
    public init(nameBytes: [UInt8], version: UInt64) {
        self.nameBytes = nameBytes
        self.version = version
    }

    /// The protocol name as text (bytes that are not UTF-8 show as U+FFFD).
    public var name: String { String(decoding: nameBytes, as: UTF8.self) }

    /// "name/version", as go-ethereum prints it.
    public var description: String { "\(name)/\(version)" }

    /// Orders by name (byte-wise), then version.
    public static func < (a: Capability, b: Capability) -> Bool {
        if a.nameBytes != b.nameBytes { return a.nameBytes.lexicographicallyPrecedes(b.nameBytes) }
        return a.version < b.version
    }
}

/// A subprotocol this node runs: its capability and how many message codes it uses.
public struct LocalProtocol: Hashable, Sendable {
    /// The capability it answers to.
    public var capability: Capability
    /// How many consecutive message codes it occupies (eth/68: 17).
    public var messageCount: UInt64

    /// Creates a local protocol description.
    /// - Parameters:
    ///   - capability: its name and version.
    ///   - messageCount: the number of message codes it uses.
    public init(capability: Capability, messageCount: UInt64) {
        self.capability = capability
        self.messageCount = messageCount
    }
}

/// A subprotocol both peers run, with the message-code range the session gives it.
public struct SharedCapability: Hashable, Sendable {
    /// The capability (the highest version both sides have for its name).
    public var capability: Capability
    /// The first message code of the protocol on this session.
    public var offset: UInt64
    /// How many message codes it occupies, from `offset`.
    public var messageCount: UInt64

    /// Creates a shared capability.
    /// - Parameters:
    ///   - capability: the capability.
    ///   - offset: its first message code.
    ///   - messageCount: its number of message codes.
    public init(capability: Capability, offset: UInt64, messageCount: UInt64) {
        self.capability = capability
        self.offset = offset
        self.messageCount = messageCount
    }

    /// Whether a session-wide message code falls into this protocol's range.
    /// - Parameter code: the code as read from the frame.
    /// - Returns: true when `offset ≤ code < offset + messageCount`.
    public func contains(code: UInt64) -> Bool {
        code >= offset && code - offset < messageCount
    }

    /// Matches the remote capabilities against ours (devp2p rlpx.md "Message ID-based multiplexing";
    /// go-ethereum `matchProtocols`): the capabilities both sides have, sorted by name, keeping for
    /// each name only the highest version both share; offsets are assigned in that order from
    /// `BaseProtocol.reservedCodeCount` (0x10), each protocol taking `messageCount` codes.
    /// - Parameters:
    ///   - local: the protocols this node runs.
    ///   - remote: the capabilities the peer announced (any order, duplicates allowed).
    /// - Returns: the shared protocols in offset order; empty when nothing matches.
    public static func match(local: [LocalProtocol], remote: [Capability]) -> [SharedCapability] {
        var result: [SharedCapability] = []
        var offset = BaseProtocol.reservedCodeCount
        for capability in remote.sorted() {
            guard let ours = local.first(where: { $0.capability == capability }) else { continue }
            // Sorted input puts versions of one name together, lowest first: a higher match replaces
            // the lower one and takes over its offset.
            if let last = result.last, last.capability.nameBytes == capability.nameBytes {
                offset -= last.messageCount
                result.removeLast()
            }
            result.append(SharedCapability(capability: capability, offset: offset, messageCount: ours.messageCount))
            offset += ours.messageCount
        }
        return result
    }
}
