import Testing
import Glibc
import P2P
import Primitives
import Signatures

/// The node key and its file. The known key is EIP-778's example key
/// b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291, whose compressed public key the
/// EIP gives (03ca634cae…3138); its uncompressed form is the enode id quoted below (the x
/// coordinate equals the compressed key's, and the odd last byte of y matches the 03 prefix).
@Suite struct NodeKeyTests {
    static let keyHex = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"
    static let nodeIdHex = "ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"
        + "7574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f"

    static func temporaryDirectory() -> String {
        var template = Array("/tmp/goldengrain-nodekey-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(path != nil, "mkdtemp failed")
        return String(cString: path!)
    }

    static func write(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0)
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    @Test func nodeIdIsTheUncompressedPublicKey() throws {
        let key = try NodeKey(fileContents: Array(Self.keyHex.utf8), path: "nodekey")
        #expect(key.nodeId == (try [UInt8](hex: Self.nodeIdHex)))
        let compressed = try [UInt8](hex: "03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138")
        #expect(try PublicKey(bytes: compressed).bytes == key.nodeId)
        #expect(key.hexString == Self.keyHex)
        #expect(!key.description.contains(Self.keyHex))
    }

    @Test func trailingNewlineIsAccepted() throws {
        let plain = try NodeKey(fileContents: Array(Self.keyHex.utf8), path: "k")
        #expect(try NodeKey(fileContents: Array((Self.keyHex + "\n").utf8), path: "k") == plain)
        #expect(try NodeKey(fileContents: Array((Self.keyHex + "\r\n").utf8), path: "k") == plain)
    }

    @Test func loadOrCreateWritesA0600FileAndReadsItBack() throws {
        let directory = Self.temporaryDirectory()
        let created = try NodeKey.loadOrCreate(dataDirectory: directory)
        let path = directory + "/nodekey"
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_size == 64)
        let again = try NodeKey.loadOrCreate(dataDirectory: directory)
        #expect(again == created)
        #expect(try NodeKey.load(path: path).hexString == created.hexString)
        unlink(path)
        rmdir(directory)
    }

    @Test func savedFileIsPlainHexAsGethWritesIt() throws {
        let directory = Self.temporaryDirectory()
        let path = directory + "/nodekey"
        let key = try NodeKey(fileContents: Array(Self.keyHex.utf8), path: path)
        try key.save(path: path)
        #expect(try NodeKey.load(path: path).nodeId == (try [UInt8](hex: Self.nodeIdHex)))
        // Never overwritten.
        #expect(throws: NodeKeyError.self) { try NodeKey.generate().save(path: path) }
        unlink(path)
        rmdir(directory)
    }

    @Test(arguments: [
        ("abc", "too short"),
        (String(repeating: "a", count: 65), "too long"),
        (String(repeating: "z", count: 64), "non-hex"),
        ("0x" + String(repeating: "a", count: 62), "without a prefix"),
    ])
    func malformedFileNamesPathAndExpectation(contents: String, reason: String) throws {
        let directory = Self.temporaryDirectory()
        let path = directory + "/nodekey"
        Self.write(contents, to: path)
        do {
            _ = try NodeKey.loadOrCreate(dataDirectory: directory)
            Issue.record("expected an error for \(contents)")
        } catch {
            guard case .malformed = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains(path))
            #expect(error.description.contains(reason))
            #expect(error.description.contains("64 hex characters"))
        }
        // The malformed file is left alone.
        #expect(throws: NodeKeyError.self) { try NodeKey.load(path: path) }
        unlink(path)
        rmdir(directory)
    }

    @Test func zeroKeyIsInvalid() throws {
        #expect(throws: NodeKeyError.invalidKey(path: "k", .privateKeyOutOfRange)) {
            try NodeKey(fileContents: Array(String(repeating: "0", count: 64).utf8), path: "k")
        }
    }

    @Test func missingFileIsUnreadable() {
        do {
            _ = try NodeKey.load(path: "/nonexistent/nodekey")
            Issue.record("expected an error")
        } catch {
            guard case .unreadable(let path, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(path == "/nonexistent/nodekey")
        }
    }
}
