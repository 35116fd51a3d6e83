import Glibc
import Primitives
import Signatures

/// The node's long-term identity: a secp256k1 private key (devp2p rlpx.md "Node Identity").
///
/// The node id other peers know it by is the 64-byte uncompressed public key without the 0x04
/// prefix (x ‖ y). In a data directory the key lives in the file `nodekey` as 64 lower-case hex
/// characters and nothing else, the format go-ethereum's `crypto.SaveECDSA` writes and
/// `crypto.LoadECDSA` reads (a trailing newline is accepted on reading). The file is created with
/// permissions 0600, since whoever holds the key can impersonate the node.
public struct NodeKey: Hashable, Sendable, CustomStringConvertible {
    /// The name of the key file inside the data directory.
    public static let fileName = "nodekey"

    /// The private key.
    public let privateKey: PrivateKey
    /// The public key, computed once.
    public let publicKey: PublicKey

    /// Wraps a private key.
    /// - Parameter privateKey: the key.
    public init(privateKey: PrivateKey) {
        self.privateKey = privateKey
        self.publicKey = privateKey.publicKey
    }

    /// Generates a fresh random key.
    /// - Returns: a new node key.
    public static func generate() -> NodeKey { NodeKey(privateKey: .generate()) }

    /// The node id: the 64-byte public key x ‖ y.
    public var nodeId: [UInt8] { publicKey.bytes }

    /// The key as stored in the key file: 64 lower-case hex characters without a prefix.
    public var hexString: String { Hex.encode(privateKey.bytes, prefix: false) }

    /// Shows the node id only, never the secret.
    public var description: String { "NodeKey(id: \(Hex.encode(nodeId, prefix: false)))" }

    /// Parses the contents of a key file: exactly 64 hex characters, optionally followed by "\n" or "\r\n".
    /// - Parameters:
    ///   - contents: the file's bytes.
    ///   - path: the file path, for error messages.
    /// - Throws: `NodeKeyError.malformed` saying what was found and expected, or `.invalidKey`.
    public init(fileContents contents: [UInt8], path: String) throws(NodeKeyError) {
        var body = contents[...]
        if body.last == UInt8(ascii: "\n") {
            body = body.dropLast()
            if body.last == UInt8(ascii: "\r") { body = body.dropLast() }
        }
        guard body.count == 64 else {
            throw .malformed(path: path, reason: body.count < 64
                ? "key file too short: \(body.count) characters, expected 64 hex characters"
                : "key file too long: \(body.count) characters, expected 64 hex characters")
        }
        let text = String(decoding: body, as: UTF8.self)
        let bytes: [UInt8]
        do throws(HexError) {
            bytes = try Hex.decode(text)
        } catch {
            throw .malformed(path: path, reason: "\(error), expected 64 hex characters")
        }
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            throw .malformed(path: path, reason: "key starts with \"0x\", expected 64 hex characters without a prefix")
        }
        do throws(SignatureError) {
            self.init(privateKey: try PrivateKey(bytes: bytes))
        } catch {
            throw .invalidKey(path: path, error)
        }
    }

    /// Reads a key file.
    /// - Parameter path: the file.
    /// - Returns: the key.
    /// - Throws: `NodeKeyError.unreadable`, `.malformed` or `.invalidKey`.
    public static func load(path: String) throws(NodeKeyError) -> NodeKey {
        let contents = try FileIO.read(path: path, limit: 1024)
        return try NodeKey(fileContents: contents, path: path)
    }

    /// Writes the key to a new file with permissions 0600; an existing file is never overwritten.
    /// - Parameter path: the file to create.
    /// - Throws: `NodeKeyError.unwritable` (also when the file exists).
    public func save(path: String) throws(NodeKeyError) {
        try FileIO.createExclusive(path: path, contents: Array(hexString.utf8), mode: 0o600)
    }

    /// Loads `<datadir>/nodekey`, or creates it with a fresh key if it does not exist.
    /// - Parameter dataDirectory: the node's data directory, which must exist.
    /// - Returns: the node key.
    /// - Throws: `NodeKeyError` from reading or writing the file; a malformed file is never replaced.
    public static func loadOrCreate(dataDirectory: String) throws(NodeKeyError) -> NodeKey {
        let path = dataDirectory.hasSuffix("/") ? dataDirectory + fileName : dataDirectory + "/" + fileName
        if FileIO.exists(path: path) { return try load(path: path) }
        let key = NodeKey.generate()
        do throws(NodeKeyError) {
            try key.save(path: path)
        } catch {
            // Another process may have created it between the check and the write: use that one.
            if FileIO.exists(path: path) { return try load(path: path) }
            throw error
        }
        return key
    }
}

/// Why a node key could not be read or written.
public enum NodeKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key file could not be opened or read (the path and the system's reason).
    case unreadable(path: String, reason: String)
    /// The key file could not be created or written (the path and the system's reason).
    case unwritable(path: String, reason: String)
    /// The key file's contents are not 64 hex characters (the path and what was wrong).
    case malformed(path: String, reason: String)
    /// The 32 bytes are not a valid secp256k1 private key (zero, or not below the group order).
    case invalidKey(path: String, SignatureError)

    /// A user-facing message naming the file and what was expected.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read node key \(path): \(reason)"
        case .unwritable(let path, let reason): return "cannot write node key \(path): \(reason)"
        case .malformed(let path, let reason): return "node key file \(path) is malformed: \(reason)"
        case .invalidKey(let path, let error): return "node key file \(path) holds an invalid secp256k1 key: \(error)"
        }
    }
}

/// The few POSIX file operations the node key needs.
enum FileIO {
    static func exists(path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func read(path: String, limit: Int) throws(NodeKeyError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            out.append(contentsOf: buffer[0 ..< count])
            if out.count > limit {
                throw .malformed(path: path, reason: "file is larger than \(limit) bytes, expected 64 hex characters")
            }
        }
        return out
    }

    static func createExclusive(path: String, contents: [UInt8], mode: mode_t) throws(NodeKeyError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        // The umask may have narrowed the mode; it can only have removed bits, but set it exactly.
        _ = fchmod(fd, mode)
        var written = 0
        while written < contents.count {
            let count = contents[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(path)
                throw .unwritable(path: path, reason: reason)
            }
            written += count
        }
        let synced = fsync(fd) == 0
        let syncError = errno
        let closed = close(fd) == 0
        if !synced || !closed {
            let reason = String(cString: strerror(synced ? errno : syncError))
            unlink(path)
            throw .unwritable(path: path, reason: reason)
        }
    }
}
