import AsyncHTTPClient
import Foundation
import NIOCore
import Primitives

/// Where `market task create` and `market model submit` put encrypted files, and the URI that goes
/// on chain. The file's name is the keccak256 of its ciphertext in hex, with the extension `.gge`.
///
/// - `directory(path)`: writes `path/<hash>.gge`; the URI is its `file://` URL (absolute,
///   percent-encoded), which the enclave worker reads on the same machine.
/// - `http(base)`: sends `PUT base/<hash>.gge` (AsyncHTTPClient) and expects 200, 201 or 204; the
///   URI is that URL, which the worker GETs.
public enum MarketStore: Sendable, Equatable, CustomStringConvertible {
    /// A local directory (absolute path).
    case directory(String)
    /// An HTTP(S) base URL, without a trailing slash.
    case http(String)

    /// The longest URI the contract stores (`String[256]`).
    public static let maximumURIBytes = 256

    /// Reads `--store DIR|URL`: an http:// or https:// URL, else a directory path (relative paths are
    /// taken from the working directory).
    /// - Parameter text: the option's value.
    /// - Throws: `MarketInputError` for an empty value, a URL without a host, or a path that is a file.
    public init(parsing text: String) throws(MarketInputError) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            guard let url = URL(string: text), url.host?.isEmpty == false else {
                throw MarketInputError("--store \"\(text)\": not a URL with a host; expected a directory or http(s)://host[:port]/path")
            }
            var base = text
            while base.hasSuffix("/") { base.removeLast() }
            self = .http(base)
            return
        }
        guard !text.isEmpty else { throw MarketInputError("--store is empty; expected a directory or an http(s):// URL") }
        if lowered.contains("://") {
            throw MarketInputError("--store \"\(text)\": unsupported scheme; expected a directory or an http(s):// URL")
        }
        let absolute = URL(fileURLWithPath: text).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw MarketInputError("--store \(text): is a file; expected a directory (created if missing) or an http(s):// URL")
        }
        self = .directory(absolute)
    }

    public var description: String {
        switch self {
        case .directory(let path): return path
        case .http(let base): return base
        }
    }

    /// The file name an encrypted file is stored under: hex keccak256 of its bytes, ".gge".
    /// - Parameter encrypted: the file.
    /// - Returns: "<64 hex digits>.gge".
    public static func fileName(for encrypted: [UInt8]) -> String {
        Hex.encode(Keccak256.hash(encrypted).bytes, prefix: false) + ".gge"
    }

    /// The URI a file will have once stored (known before storing, so a transaction can be
    /// simulated first).
    /// - Parameter encrypted: the file.
    /// - Returns: the URI.
    public func uri(for encrypted: [UInt8]) -> String {
        switch self {
        case .directory(let path):
            return URL(fileURLWithPath: path).appendingPathComponent(Self.fileName(for: encrypted)).absoluteString
        case .http(let base):
            return base + "/" + Self.fileName(for: encrypted)
        }
    }

    /// Checks that the URI fits the contract's `String[256]`.
    /// - Parameter encrypted: the file.
    /// - Returns: the URI.
    /// - Throws: `MarketActionError.store` naming the URI and its length.
    public func checkedURI(for encrypted: [UInt8]) throws(MarketActionError) -> String {
        let uri = uri(for: encrypted)
        guard uri.utf8.count <= Self.maximumURIBytes else {
            throw .store("the URI \(uri) is \(uri.utf8.count) bytes; the contract stores at most 256: use a shorter --store")
        }
        return uri
    }

    /// Stores an encrypted file.
    /// - Parameters:
    ///   - encrypted: the file.
    ///   - httpClient: the HTTP client (the shared one by default).
    ///   - timeout: the deadline of the upload.
    /// - Returns: the URI it can be read from.
    /// - Throws: `MarketActionError.store` naming the path or URL and what went wrong.
    public func put(_ encrypted: [UInt8], httpClient: HTTPClient = .shared,
                    timeout: Duration = .seconds(300)) async throws(MarketActionError) -> String {
        let uri = try checkedURI(for: encrypted)
        switch self {
        case .directory(let path):
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .store("cannot create the directory \(path): \(error.localizedDescription)")
            }
            let file = URL(fileURLWithPath: path).appendingPathComponent(Self.fileName(for: encrypted))
            do {
                try Data(encrypted).write(to: file, options: .atomic)
            } catch {
                throw .store("cannot write \(file.path): \(error.localizedDescription)")
            }
        case .http:
            var request = HTTPClientRequest(url: uri)
            request.method = .PUT
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: encrypted))
            let status: UInt
            do {
                let nanoseconds = Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
                let response = try await httpClient.execute(request, timeout: .nanoseconds(nanoseconds))
                status = response.status.code
                _ = try? await response.body.collect(upTo: 1 << 20)
            } catch {
                throw .store("PUT \(uri) failed: \(error)")
            }
            guard status == 200 || status == 201 || status == 204 else {
                throw .store("PUT \(uri) answered HTTP \(status), expected 200, 201 or 204")
            }
        }
        return uri
    }
}
