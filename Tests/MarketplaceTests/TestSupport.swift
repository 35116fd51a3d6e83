import Foundation
import Marketplace
import Primitives

/// Locations and helpers shared by the Marketplace tests.
enum TestSupport {
    /// The package root: this file is Tests/MarketplaceTests/TestSupport.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The venv's interpreter (`make deps` creates it before `make test` runs).
    static let python = packageRoot.appendingPathComponent(".venv/bin/python")

    /// Hex to bytes, for literals in the tests.
    static func bytes(_ hex: String) -> [UInt8] {
        do { return try Hex.decode(hex.filter { !$0.isWhitespace }) } catch { fatalError("bad hex literal in a test: \(hex)") }
    }

    /// Runs scripts/marketplace_vectors.py in the venv and parses its JSON output.
    /// - Parameter arguments: the script's arguments ("abi", "--seed", "1", …).
    /// - Returns: the parsed JSON.
    static func vectors(_ arguments: [String]) throws -> JSON {
        let output = try run(python.path, [packageRoot.appendingPathComponent("scripts/marketplace_vectors.py").path] + arguments)
        return try JSON.parse(output)
    }

    /// Runs a program to completion and returns its standard output.
    /// - Throws: `SubprocessFailure` if it cannot start or exits non-zero.
    static func run(_ executable: String, _ arguments: [String]) throws -> [UInt8] {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SubprocessFailure(description: "\(executable) is missing: run `make deps` to create the venv")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and block the child.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SubprocessFailure(description: "\(executable) \(arguments.joined(separator: " ")) exited with "
                                    + "\(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))")
        }
        return Array(data)
    }
}

/// A helper program failed.
struct SubprocessFailure: Error, CustomStringConvertible {
    var description: String
}

extension JSON {
    /// The elements of an array (empty for anything else).
    var arrayElements: [JSON] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// A member that must be a string.
    func string(_ key: String) -> String {
        guard let text = self[key]?.stringValue else { fatalError("vector has no string member \(key): \(self.serialized.prefix(200))") }
        return text
    }

    /// A member that must be a decimal string or number.
    func uint256(_ key: String) -> UInt256 {
        switch self[key] {
        case .string(let text)?, .number(let text)?:
            guard let value = UInt256(decimal: text) else { fatalError("member \(key) is not a decimal: \(text)") }
            return value
        default: fatalError("vector has no integer member \(key)")
        }
    }
}
