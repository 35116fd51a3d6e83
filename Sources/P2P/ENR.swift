import Primitives
import Signatures

/// An Ethereum Node Record (EIP-778; devp2p enr.md): a signed, versioned set of key/value pairs
/// describing a node, with the "v4" identity scheme.
///
/// Encoding: `rlp([signature, seq, k₁, v₁, k₂, v₂, …])` with keys sorted and unique, at most 300
/// bytes. Text form: "enr:" followed by the URL-safe base64 of the encoding without padding.
/// The "v4" scheme signs keccak256(rlp([seq, k₁, v₁, …])) with secp256k1 and stores r ‖ s (64
/// bytes, no recovery id); the record's "secp256k1" pair holds the 33-byte compressed public key,
/// and the node id is keccak256(x ‖ y).
public struct ENR: Hashable, Sendable, CustomStringConvertible {
    /// The largest encoded record accepted (EIP-778).
    public static let maximumSize = 300

    /// One key/value pair; the value is kept as its complete RLP encoding.
    ///
    /// The key is kept as the record's bytes: EIP-778 keys are byte strings (every defined key is
    /// ASCII), and the v4 signature covers those bytes, so a key read as lossy text would change
    /// the signed content (found by the p2p fuzz target, Fuzz/Findings/p2p).
    public struct Pair: Hashable, Sendable {
        /// The key's bytes, such as "ip" or "secp256k1".
        public var keyBytes: [UInt8]
        /// The value's RLP encoding.
        public var encodedValue: [UInt8]

        /// Creates a pair.
        /// - Parameters:
        ///   - key: the key.
        ///   - encodedValue: the value's RLP encoding.
        public init(key: String, encodedValue: [UInt8]) {
            self.init(keyBytes: Array(key.utf8), encodedValue: encodedValue)
        }

        /// Creates a pair from the key's bytes as a record holds them.
        /// - Parameters:
        ///   - keyBytes: the key's bytes.
        ///   - encodedValue: the value's RLP encoding.
        public init(keyBytes: [UInt8], encodedValue: [UInt8]) {
            self.keyBytes = keyBytes
            self.encodedValue = encodedValue
        }

        /// The key as text (bytes that are not UTF-8 show as U+FFFD).
        public var key: String { String(decoding: keyBytes, as: UTF8.self) }
    }

    /// The signature over the content (64 bytes r ‖ s for "v4").
    public var signature: [UInt8]
    /// The sequence number; a newer record of the same node has a higher one.
    public var sequence: UInt64
    /// The pairs, sorted by key.
    public var pairs: [Pair]

    /// Creates a record from its parts without checking the signature.
    /// - Parameters:
    ///   - signature: the signature.
    ///   - sequence: the sequence number.
    ///   - pairs: the pairs (sorted here by key).
    public init(signature: [UInt8], sequence: UInt64, pairs: [Pair]) {
        self.signature = signature
        self.sequence = sequence
        self.pairs = pairs.sorted { $0.keyBytes.lexicographicallyPrecedes($1.keyBytes) }
    }

    /// Builds and signs a "v4" record; the "id" and "secp256k1" pairs are added here.
    /// - Parameters:
    ///   - sequence: the sequence number.
    ///   - pairs: other pairs ("ip", "tcp", "udp", …).
    ///   - key: the node's private key.
    /// - Returns: the signed record.
    public static func signV4(sequence: UInt64, pairs: [Pair], key: PrivateKey) -> ENR {
        var all = pairs.filter { $0.key != "id" && $0.key != "secp256k1" }
        all.append(Pair(key: "id", encodedValue: RLP.encode(bytes: Array("v4".utf8))))
        all.append(Pair(key: "secp256k1", encodedValue: RLP.encode(bytes: key.publicKey.compressedBytes)))
        var record = ENR(signature: [], sequence: sequence, pairs: all)
        let signature = key.sign(hash: Keccak256.hash(record.content))
        record.signature = signature.r.bytes + signature.s.bytes
        return record
    }

    /// The signed content, `rlp([seq, k₁, v₁, …])`.
    public var content: [UInt8] {
        var writer = RLPWriter()
        writer.appendList { list in appendContent(to: &list) }
        return writer.finish()
    }

    /// The record's RLP encoding.
    public var encoded: [UInt8] {
        var writer = RLPWriter()
        writer.appendList { list in
            list.append(bytes: signature)
            appendContent(to: &list)
        }
        return writer.finish()
    }

    private func appendContent(to list: inout RLPWriter) {
        list.append(uint: sequence)
        for pair in pairs {
            list.append(bytes: pair.keyBytes)
            list.append(encoded: pair.encodedValue)
        }
    }

    /// The text form, "enr:" + URL-safe base64 without padding.
    public var description: String { "enr:" + Base64URL.encode(encoded) }

    /// Decodes a record from its RLP, checking the size, the key order and the shape; the signature
    /// is checked by `verifyV4()`.
    /// - Parameter encoded: the record's RLP.
    /// - Throws: `ENRError`.
    public init(encoded: [UInt8]) throws(ENRError) {
        guard encoded.count <= ENR.maximumSize else { throw .tooLarge(encoded.count) }
        do {
            var outer = RLPReader(encoded)
            var list = try outer.enterList()
            try outer.expectEnd()
            signature = Array(try list.readBytes())
            sequence = try list.readUInt64()
            pairs = []
            while !list.isAtEnd {
                let key = Array(try list.readBytes())
                guard !list.isAtEnd else { throw ENRError.missingValue(key: ENRError.text(key)) }
                let value = Array(try list.readRawItem())
                if let previous = pairs.last?.keyBytes, !previous.lexicographicallyPrecedes(key) {
                    throw ENRError.unsortedKeys(previous: ENRError.text(previous), key: ENRError.text(key))
                }
                pairs.append(Pair(keyBytes: key, encodedValue: value))
            }
        } catch let error as RLPError {
            throw .malformed(error)
        } catch let error as ENRError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// Decodes the text form.
    /// - Parameter text: "enr:" followed by URL-safe base64.
    /// - Throws: `ENRError.missingPrefix`, `.invalidBase64`, or an error of `init(encoded:)`.
    public init(text: String) throws(ENRError) {
        guard text.hasPrefix("enr:") else { throw .missingPrefix }
        guard let bytes = Base64URL.decode(text.dropFirst(4)) else { throw .invalidBase64(String(text.dropFirst(4))) }
        try self.init(encoded: bytes)
    }

    /// The raw value of a pair, as its RLP encoding.
    /// - Parameter key: the key.
    /// - Returns: the encoded value, or nil.
    public func encodedValue(forKey key: String) -> [UInt8]? {
        let keyBytes = Array(key.utf8)
        return pairs.first { $0.keyBytes == keyBytes }?.encodedValue
    }

    /// The value of a pair that holds a byte string.
    /// - Parameter key: the key.
    /// - Returns: the bytes, or nil if absent or not a byte string.
    public func bytes(forKey key: String) -> [UInt8]? {
        guard let value = encodedValue(forKey: key) else { return nil }
        var reader = RLPReader(value)
        return try? Array(reader.readBytes())
    }

    /// The identity scheme name ("v4"), or nil.
    public var identityScheme: String? { bytes(forKey: "id").map { String(decoding: $0, as: UTF8.self) } }

    /// The "ip" pair (4 bytes), or nil.
    public var ipv4: [UInt8]? { bytes(forKey: "ip").flatMap { $0.count == 4 ? $0 : nil } }

    /// The "ip6" pair (16 bytes), or nil.
    public var ipv6: [UInt8]? { bytes(forKey: "ip6").flatMap { $0.count == 16 ? $0 : nil } }

    /// The "udp" port, or nil.
    public var udpPort: UInt16? { port(forKey: "udp") }

    /// The "tcp" port, or nil.
    public var tcpPort: UInt16? { port(forKey: "tcp") }

    private func port(forKey key: String) -> UInt16? {
        guard let value = encodedValue(forKey: key) else { return nil }
        var reader = RLPReader(value)
        guard let number = try? reader.readUInt64(), number <= UInt64(UInt16.max) else { return nil }
        return UInt16(number)
    }

    /// The public key in the "secp256k1" pair.
    /// - Throws: `ENRError.missingPublicKey` or `.invalidPublicKey`.
    public func publicKey() throws(ENRError) -> PublicKey {
        guard let bytes = bytes(forKey: "secp256k1") else { throw .missingPublicKey }
        do throws(SignatureError) {
            return try PublicKey(bytes: bytes)
        } catch {
            throw .invalidPublicKey(error)
        }
    }

    /// The node id under the "v4" scheme: keccak256(x ‖ y) of the record's public key.
    /// - Throws: as `publicKey()`.
    public func nodeId() throws(ENRError) -> Hash32 {
        Keccak256.hash(try publicKey().bytes)
    }

    /// Checks the "v4" signature: the scheme is "v4", the signature is 64 bytes, and it was made
    /// over keccak256(content) by the record's public key.
    /// - Throws: `ENRError.unsupportedScheme`, `.missingPublicKey`, `.invalidPublicKey` or `.invalidSignature`.
    public func verifyV4() throws(ENRError) {
        let scheme = identityScheme
        guard scheme == "v4" else { throw .unsupportedScheme(scheme) }
        let key = try publicKey()
        guard signature.count == 64 else { throw .invalidSignature }
        let hash = Keccak256.hash(content)
        // The record omits the recovery id: try both and compare with the stated key.
        for recoveryId: UInt8 in 0 ... 1 {
            guard let candidate = try? RecoverableSignature(r: signature[0 ..< 32], s: signature[32 ..< 64], recoveryId: recoveryId),
                  let recovered = try? candidate.recoverPublicKey(from: hash) else { continue }
            if recovered == key { return }
        }
        throw .invalidSignature
    }
}

/// Why a node record was refused.
public enum ENRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text does not start with "enr:".
    case missingPrefix
    /// The text after "enr:" is not URL-safe base64 without padding.
    case invalidBase64(String)
    /// The record is larger than 300 bytes.
    case tooLarge(Int)
    /// The record is not a well-formed RLP list of signature, sequence and pairs.
    case malformed(RLPError)
    /// A key has no value after it.
    case missingValue(key: String)
    /// Keys are not in strictly ascending order (or repeat).
    case unsortedKeys(previous: String, key: String)
    /// The identity scheme is not "v4".
    case unsupportedScheme(String?)
    /// The record has no "secp256k1" pair.
    case missingPublicKey
    /// The "secp256k1" pair is not a valid compressed public key.
    case invalidPublicKey(SignatureError)
    /// The signature was not made by the record's key over its content.
    case invalidSignature

    /// A key as an error message shows it: the text if the bytes are UTF-8, else "0x" and hex.
    static func text(_ key: [UInt8]) -> String {
        String(validating: key, as: UTF8.self) ?? Hex.encode(key)
    }

    /// A user-facing message.
    public var description: String {
        switch self {
        case .missingPrefix: return "missing 'enr:' prefix for base64-encoded record"
        case .invalidBase64(let text): return "record text \"\(text.prefix(80))\" is not URL-safe base64 without padding"
        case .tooLarge(let size): return "record is \(size) bytes, expected at most \(ENR.maximumSize)"
        case .malformed(let error): return "malformed record: \(error)"
        case .missingValue(let key): return "record key \"\(key)\" has no value"
        case .unsortedKeys(let previous, let key): return "record keys out of order: \"\(key)\" after \"\(previous)\", expected strictly ascending keys"
        case .unsupportedScheme(let scheme): return "identity scheme \(scheme.map { "\"\($0)\"" } ?? "(none)"), expected \"v4\""
        case .missingPublicKey: return "record has no \"secp256k1\" key"
        case .invalidPublicKey(let error): return "record's secp256k1 key is invalid: \(error)"
        case .invalidSignature: return "invalid signature on node record"
        }
    }
}

/// URL-safe base64 without padding (RFC 4648 §5), as node records' text form uses it.
enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index ..< min(index + 3, bytes.count)]
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            for position in 0 ... chunk.count { out.append(alphabet[(value >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var accumulator = 0
        var bits = 0
        for character in text.utf8 {
            let value: Int
            switch character {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"): value = Int(character - UInt8(ascii: "A"))
            case UInt8(ascii: "a") ... UInt8(ascii: "z"): value = Int(character - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): value = Int(character - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            accumulator = (accumulator << 6 | value) & 0xffffff
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> bits) & 0xff))
            }
        }
        // A lone trailing character (6 bits) cannot end a valid encoding; leftover bits must be zero.
        if bits >= 6 || (accumulator & ((1 << bits) - 1)) != 0 { return nil }
        return out
    }
}
