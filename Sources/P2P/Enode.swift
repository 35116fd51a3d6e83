import Glibc
import Primitives
import Signatures

/// A node's address as an `enode://` URL (devp2p enode-url-scheme.md; go-ethereum v1.13.15
/// p2p/enode/urlv4.go).
///
/// Form: `enode://<node id: 128 hex digits>@<host>:<tcp port>[?discport=<udp port>]`, where the
/// node id is the 64-byte public key x ‖ y and the host is an IPv4 address, an IPv6 address in
/// brackets, or a DNS name. Without `discport` the UDP (discovery) port equals the TCP port. An
/// incomplete URL, `enode://<node id>`, names a node without an address.
///
/// Parsing is pure: a DNS name is kept as `.name` and resolved only by `resolved(using:)`, so that a
/// caller decides when to do network lookups (go-ethereum resolves while parsing).
public struct Enode: Hashable, Sendable, CustomStringConvertible {
    /// Where the node is reached.
    public enum Host: Hashable, Sendable, CustomStringConvertible {
        /// A 4-byte IPv4 address.
        case ipv4([UInt8])
        /// A 16-byte IPv6 address.
        case ipv6([UInt8])
        /// A DNS name still to be resolved.
        case name(String)

        /// The address as text: dotted quad, RFC 5952 IPv6 (without brackets), or the name.
        public var description: String {
            switch self {
            case .ipv4(let bytes), .ipv6(let bytes): return Enode.format(address: bytes)
            case .name(let name): return name
            }
        }
    }

    /// The node's public key (its identity).
    public var publicKey: PublicKey
    /// The host, or nil for an incomplete URL.
    public var host: Host?
    /// The TCP (RLPx) port; 0 when there is no host.
    public var tcpPort: UInt16
    /// The UDP (discovery) port; 0 when there is no host.
    public var udpPort: UInt16

    /// Creates a node address.
    /// - Parameters:
    ///   - publicKey: the node's public key.
    ///   - host: its host, or nil.
    ///   - tcpPort: the RLPx port.
    ///   - udpPort: the discovery port (default: the TCP port).
    public init(publicKey: PublicKey, host: Host?, tcpPort: UInt16, udpPort: UInt16? = nil) {
        self.publicKey = publicKey
        self.host = host
        self.tcpPort = tcpPort
        self.udpPort = udpPort ?? tcpPort
    }

    /// The node id: the 64-byte public key x ‖ y.
    public var nodeId: [UInt8] { publicKey.bytes }

    /// The node's address in the discovery table: keccak256(x ‖ y) (go-ethereum `enode.ID`).
    public var id: Hash32 { Keccak256.hash(publicKey.bytes) }

    /// The URL, as go-ethereum's `URLv4` writes it.
    public var description: String {
        let id = Hex.encode(publicKey.bytes, prefix: false)
        guard let host else { return "enode://" + id }
        var text = "enode://\(id)@"
        switch host {
        case .ipv6: text += "[\(host)]"
        default: text += host.description
        }
        text += ":\(tcpPort)"
        if udpPort != tcpPort { text += "?discport=\(udpPort)" }
        return text
    }

    /// Parses an `enode://` URL, or an `enr:` node record as go-ethereum's `enode.Parse` also accepts.
    /// - Parameter text: the URL or record.
    /// - Throws: `EnodeError` naming what is wrong: a missing `enode://` prefix, a public key of the
    ///   wrong length or off the curve, an invalid port or discport, an unparsable host, or an invalid record.
    public init(parsing text: String) throws(EnodeError) {
        if text.hasPrefix("enr:") {
            // go-ethereum's enode.Parse takes node records too: checked, then read for key and endpoints.
            do throws(ENRError) {
                let record = try ENR(text: text)
                try record.verifyV4()
                self = try Enode(record: record)
                return
            } catch {
                throw .invalidRecord(error)
            }
        }
        let scheme = "enode://"
        guard text.hasPrefix(scheme) else { throw .missingPrefix(text) }
        var rest = Substring(text.dropFirst(scheme.count))
        guard let at = rest.firstIndex(of: "@") else {
            // Incomplete URL: the id alone.
            publicKey = try Enode.parsePublicKey(rest)
            host = nil
            tcpPort = 0
            udpPort = 0
            return
        }
        publicKey = try Enode.parsePublicKey(rest[..<at])
        rest = rest[rest.index(after: at)...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        // Host and port: "[v6]:port", "v4:port" or "name:port".
        let hostText: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidHost(String(rest)) }
            hostText = rest[rest.index(after: rest.startIndex) ..< close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { throw .invalidPort(String(after)) }
            portText = after.dropFirst()
            guard let bytes = Enode.parseAddress(hostText, family: AF_INET6) else { throw .invalidHost(String(hostText)) }
            host = Enode.normalized(.ipv6(bytes))
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw .invalidPort("") }
            hostText = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
            if let bytes = Enode.parseAddress(hostText, family: AF_INET) {
                host = .ipv4(bytes)
            } else if Enode.isValidHostName(hostText) {
                host = .name(String(hostText))
            } else {
                throw .invalidHost(String(hostText))
            }
        }
        guard let tcp = Enode.parsePort(portText) else { throw .invalidPort(String(portText)) }
        tcpPort = tcp
        udpPort = tcp
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == "discport" else { continue }
            let value = parts.count > 1 ? parts[1] : ""
            if value.isEmpty { continue }  // go-ethereum treats an empty discport as absent
            guard let udp = Enode.parsePort(value) else { throw .invalidDiscoveryPort(String(value)) }
            udpPort = udp
            break  // the first value counts, as url.Values.Get returns it
        }
    }

    /// The address a node record gives: its public key, "ip" (or else "ip6"), "tcp" and "udp" (0 when absent).
    /// The record's signature is not checked here; see `ENR.verifyV4()`.
    /// - Parameter record: the record.
    /// - Throws: `ENRError.missingPublicKey` or `.invalidPublicKey`.
    public init(record: ENR) throws(ENRError) {
        publicKey = try record.publicKey()
        if let ip = record.ipv4 {
            host = .ipv4(ip)
        } else if let ip = record.ipv6 {
            host = Enode.normalized(.ipv6(ip))
        } else {
            host = nil
        }
        tcpPort = record.tcpPort ?? 0
        udpPort = record.udpPort ?? 0
    }

    /// Replaces a DNS name by the first address `lookup` gives for it; an IP host is returned as is.
    /// - Parameter lookup: resolves a name to addresses (4 or 16 bytes each), or returns nil if it cannot.
    /// - Returns: the node with an IP host.
    /// - Throws: `EnodeError.unresolvableHost` when `lookup` returns nil or nothing usable.
    public func resolved(using lookup: (String) -> [[UInt8]]?) throws(EnodeError) -> Enode {
        guard case .name(let name) = host else { return self }
        guard let first = lookup(name)?.first(where: { $0.count == 4 || $0.count == 16 }) else {
            throw .unresolvableHost(name)
        }
        var copy = self
        copy.host = Enode.normalized(first.count == 4 ? .ipv4(first) : .ipv6(first))
        return copy
    }

    // MARK: Parsing helpers

    static func parsePublicKey(_ text: Substring) throws(EnodeError) -> PublicKey {
        let bytes: [UInt8]
        do throws(HexError) {
            guard !text.hasPrefix("0x") && !text.hasPrefix("0X") else { throw .invalidCharacter(String(text), position: 1) }
            bytes = try Hex.decode(text)
        } catch {
            throw .invalidPublicKeyHex(String(text), error)
        }
        guard bytes.count == 64 else { throw .wrongPublicKeyLength(hexDigits: text.count) }
        do throws(SignatureError) {
            return try PublicKey(bytes: bytes)
        } catch {
            throw .invalidPublicKey(error)
        }
    }

    /// A decimal port 0…65535 without sign or spaces (go-ethereum `strconv.ParseUint(s, 10, 16)`).
    static func parsePort(_ text: Substring) -> UInt16? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt16(text)
    }

    static func isValidHostName(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        }
    }

    /// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes the IPv4 address, as go-ethereum's `To4` does.
    static func normalized(_ host: Host) -> Host {
        if case .ipv6(let bytes) = host, bytes[0 ..< 10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return .ipv4(Array(bytes[12...]))
        }
        return host
    }

    static func parseAddress(_ text: Substring, family: Int32) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: family == AF_INET ? 4 : 16)
        let ok = bytes.withUnsafeMutableBytes { inet_pton(family, String(text), $0.baseAddress) }
        return ok == 1 ? bytes : nil
    }

    static func format(address bytes: [UInt8]) -> String {
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let result = bytes.withUnsafeBytes { source in
            buffer.withUnsafeMutableBufferPointer { inet_ntop(family, source.baseAddress, $0.baseAddress, socklen_t($0.count)) }
        }
        precondition(result != nil, "inet_ntop failed on a \(bytes.count)-byte address")
        return String(cString: buffer)
    }
}

/// Why an `enode://` URL was refused.
public enum EnodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text does not start with "enode://".
    case missingPrefix(String)
    /// The node id is not hex.
    case invalidPublicKeyHex(String, HexError)
    /// The node id does not have 128 hex digits (64 bytes).
    case wrongPublicKeyLength(hexDigits: Int)
    /// The node id is not a point of secp256k1.
    case invalidPublicKey(SignatureError)
    /// The host is neither an IP address nor a DNS name.
    case invalidHost(String)
    /// The TCP port is missing or not a number in 0…65535.
    case invalidPort(String)
    /// The discport query parameter is not a number in 0…65535.
    case invalidDiscoveryPort(String)
    /// An "enr:" record is malformed or its signature does not verify.
    case invalidRecord(ENRError)
    /// A DNS name did not resolve to any address.
    case unresolvableHost(String)

    /// A user-facing message naming the bad value and what was expected.
    public var description: String {
        switch self {
        case .missingPrefix(let text):
            return "invalid node URL \"\(text.prefix(160))\": missing 'enode://' prefix"
        case .invalidPublicKeyHex(_, let error):
            return "invalid public key (\(error)), expected 128 hex digits"
        case .wrongPublicKeyLength(let digits):
            return "invalid public key (wrong length, want 128 hex chars): \(digits) hex digits"
        case .invalidPublicKey(let error):
            return "invalid public key (\(error))"
        case .invalidHost(let host):
            return "invalid host \"\(host)\", expected an IPv4 address, a bracketed IPv6 address or a DNS name"
        case .invalidPort(let port):
            return "invalid port \"\(port)\", expected a TCP port 0–65535"
        case .invalidDiscoveryPort(let port):
            return "invalid discport in query: \"\(port)\", expected a UDP port 0–65535"
        case .invalidRecord(let error):
            return "invalid node record: \(error)"
        case .unresolvableHost(let name):
            return "lookup \(name): no such host"
        }
    }
}
