import AsyncHTTPClient
import Foundation
import NIOCore

/// Reads the bytes a marketplace URI names: `file://` (a local file) or `http://` / `https://`
/// (one GET over AsyncHTTPClient). The enclave worker fetches encrypted test sets and models with
/// it; `datasetURI` and `modelURI` on chain are plain strings the contract cannot check, so every
/// failure is a value that names the URI and what went wrong.
///
/// - `file://` URIs take an absolute path, percent-decoded (`file:///tmp/a%20b.gge`); the host
///   must be empty or `localhost`.
/// - `http(s)://` URIs must answer 200 within `timeout` with at most `maximumBytes` of body.
/// - Anything else (a bare path, `ftp://`, `ipfs://`) is refused with the schemes expected.
public struct URIFetcher: Sendable {
    /// The largest file read (256 MiB by default: a GGD of 1 M samples × 256 features).
    public var maximumBytes: Int
    /// How long one HTTP exchange may take.
    public var timeout: Duration
    let httpClient: HTTPClient

    /// Creates a fetcher.
    /// - Parameters:
    ///   - maximumBytes: the largest body or file accepted.
    ///   - timeout: the deadline of one HTTP exchange.
    ///   - httpClient: the HTTP client (the process-wide shared one by default).
    public init(maximumBytes: Int = 256 << 20, timeout: Duration = .seconds(30), httpClient: HTTPClient = .shared) {
        self.maximumBytes = maximumBytes
        self.timeout = timeout
        self.httpClient = httpClient
    }

    /// Reads what `uri` names.
    /// - Parameter uri: a `file://`, `http://` or `https://` URI.
    /// - Returns: the bytes.
    /// - Throws: `URIFetchError` naming the URI and the reason.
    public func fetch(_ uri: String) async throws(URIFetchError) -> [UInt8] {
        guard let parsed = URL(string: uri), let scheme = parsed.scheme?.lowercased() else {
            throw URIFetchError(uri: uri, reason: "not a URI, expected file://, http:// or https://", isTransient: false)
        }
        switch scheme {
        case "file": return try readFile(parsed, uri: uri)
        case "http", "https": return try await download(uri)
        default:
            throw URIFetchError(uri: uri, reason: "unsupported scheme \"\(scheme)\", expected file, http or https",
                                isTransient: false)
        }
    }

    func readFile(_ url: URL, uri: String) throws(URIFetchError) -> [UInt8] {
        if let host = url.host, !host.isEmpty, host != "localhost" {
            throw URIFetchError(uri: uri, reason: "file URI names host \"\(host)\", expected an empty host or localhost",
                                isTransient: false)
        }
        let path = url.path
        guard path.hasPrefix("/") else {
            throw URIFetchError(uri: uri, reason: "file URI has no absolute path, expected file:///absolute/path",
                                isTransient: false)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw URIFetchError(uri: uri, reason: "no such file \(path)", isTransient: false)
        }
        guard !isDirectory.boolValue else {
            throw URIFetchError(uri: uri, reason: "\(path) is a directory, expected a file", isTransient: false)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > maximumBytes {
            throw URIFetchError(uri: uri, reason: "file is \(size) bytes, more than the \(maximumBytes) accepted",
                                isTransient: false)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw URIFetchError(uri: uri, reason: "cannot read \(path) (permissions?)", isTransient: false)
        }
        return [UInt8](data)
    }

    func download(_ uri: String) async throws(URIFetchError) -> [UInt8] {
        var request = HTTPClientRequest(url: uri)
        request.method = .GET
        let status: UInt
        let body: [UInt8]
        do {
            let nanoseconds = Int64(timeout.components.seconds) * 1_000_000_000
                + timeout.components.attoseconds / 1_000_000_000
            let response = try await httpClient.execute(request, timeout: .nanoseconds(nanoseconds))
            status = response.status.code
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumBytes {
                throw URIFetchError(uri: uri, reason: "Content-Length \(length) is more than the \(maximumBytes) bytes accepted",
                                    isTransient: false)
            }
            let buffer = try await response.body.collect(upTo: maximumBytes)
            body = Array(buffer.readableBytesView)
        } catch let error as URIFetchError {
            throw error
        } catch let error as NIOTooManyBytesError {
            throw URIFetchError(uri: uri, reason: "body is more than the \(maximumBytes) bytes accepted (\(error))",
                                isTransient: false)
        } catch {
            throw URIFetchError(uri: uri, reason: "HTTP GET failed: \(error)", isTransient: true)
        }
        guard status == 200 else {
            // 5xx and 429 may pass; 404 and other 4xx will not.
            let transient = status >= 500 || status == 429 || status == 408
            throw URIFetchError(uri: uri, reason: "HTTP status \(status), expected 200", isTransient: transient)
        }
        return body
    }
}

/// A URI that could not be read.
public struct URIFetchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URI as given.
    public var uri: String
    /// What went wrong, naming the value and what was expected.
    public var reason: String
    /// Whether trying again later may succeed (a network failure, a 5xx answer), unlike a missing
    /// file, a 404 or an unsupported scheme.
    public var isTransient: Bool

    /// Creates an error.
    /// - Parameters:
    ///   - uri: the URI.
    ///   - reason: the reason.
    ///   - isTransient: whether a retry may succeed.
    public init(uri: String, reason: String, isTransient: Bool) {
        self.uri = uri
        self.reason = reason
        self.isTransient = isTransient
    }

    public var description: String { "cannot fetch \(uri): \(reason)" }
}
