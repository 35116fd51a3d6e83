import Foundation

/// Where the tests find files, and how they read them: the project's own files (`Genesis/`,
/// `Examples/`) and the official vectors in `../shared/fixtures` and `../shared/vectors`, which are
/// read in place and never copied into the project (STYLE.md). Every test target uses this one
/// loader instead of finding the package root from its own `#filePath`.
///
/// Errors name the file and what was wrong with it; a loader that turns a missing fixture into a
/// failing test case (rather than a crash) catches `TestFileError` and reports its description.
public enum TestFiles {
    /// The package root: this file is `Tests/TestSupport/TestFiles.swift`.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The genesis files shipped with the project (`Genesis/`).
    public static let genesis = packageRoot.appendingPathComponent("Genesis")

    /// The shipped example data and models (`Examples/`).
    public static let examples = packageRoot.appendingPathComponent("Examples")

    /// The official test vectors (`../shared/fixtures`: ethereum/tests, precompile vectors,
    /// evm-benchmarks), beside the package checkout.
    public static let fixtures = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    /// Other shared vectors (`../shared/vectors`: real SGX DCAP quotes and Intel's root CA).
    public static let vectors = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")

    /// A file or folder under `../shared/fixtures`.
    /// - Parameter relativePath: the path below the fixtures folder, e.g. `"ethereum-tests/TrieTests"`.
    /// - Returns: its URL (whether or not it exists).
    public static func fixture(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent(relativePath)
    }

    /// Reads a file.
    /// - Parameter url: the file.
    /// - Returns: its contents.
    /// - Throws: `TestFileError` naming the file if it cannot be read.
    public static func data(at url: URL) throws(TestFileError) -> Data {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestFileError(description: "cannot read \(url.path): expected a readable file")
        }
        return data
    }

    /// Reads a file as bytes.
    /// - Parameter url: the file.
    /// - Returns: its contents.
    /// - Throws: `TestFileError` naming the file if it cannot be read.
    public static func bytes(at url: URL) throws(TestFileError) -> [UInt8] {
        [UInt8](try data(at: url))
    }

    /// Reads and decodes a JSON file.
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - url: the file.
    /// - Returns: the decoded value.
    /// - Throws: `TestFileError` naming the file if it cannot be read or does not decode as `type`.
    public static func decode<T: Decodable>(_ type: T.Type, at url: URL) throws(TestFileError) -> T {
        let contents = try data(at: url)
        do {
            return try JSONDecoder().decode(T.self, from: contents)
        } catch {
            throw TestFileError(description: "\(url.path) does not decode as \(T.self): \(error)")
        }
    }

    /// Reads a JSON file whose top level is an object (as every ethereum/tests file is).
    /// - Parameter url: the file.
    /// - Returns: the object's members.
    /// - Throws: `TestFileError` naming the file if it cannot be read or is not a JSON object.
    public static func jsonObject(at url: URL) throws(TestFileError) -> [String: Any] {
        let contents = try data(at: url)
        guard let object = try? JSONSerialization.jsonObject(with: contents) as? [String: Any] else {
            throw TestFileError(description: "\(url.path) is not a JSON object")
        }
        return object
    }

    /// Every `.json` file under a folder, its subfolders included, sorted by path.
    /// - Parameter folder: the folder.
    /// - Returns: the files.
    /// - Throws: `TestFileError` naming the folder if it does not exist or holds no JSON file.
    public static func jsonFiles(in folder: URL) throws(TestFileError) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw TestFileError(description: "cannot list \(folder.path): expected a folder of JSON files")
        }
        var files: [URL] = []
        while let url = enumerator.nextObject() as? URL {
            if url.pathExtension == "json" { files.append(url) }
        }
        guard !files.isEmpty else {
            throw TestFileError(description: "\(folder.path) holds no .json file: expected a folder of JSON files")
        }
        return files.sorted { $0.path < $1.path }
    }
}

/// A test file that is missing or not in the expected shape.
public struct TestFileError: Error, CustomStringConvertible {
    /// Which file, and what was expected of it.
    public let description: String
}
