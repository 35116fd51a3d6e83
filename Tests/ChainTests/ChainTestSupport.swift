import Foundation
import Primitives

/// Locations and small helpers shared by the Chain tests.
enum ChainTestSupport {
    /// The package root: this file is Tests/ChainTests/ChainTestSupport.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared official fixtures, read in place from the checkout's sibling folder `shared`.
    static let fixtures = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    /// The genesis files shipped with the project.
    static let genesisFolder = packageRoot.appendingPathComponent("Genesis")

    /// Hex to bytes, for literals in the tests.
    static func bytes(_ hex: String) -> [UInt8] {
        do { return try Hex.decode(hex) } catch { fatalError("bad hex literal in a test: \(hex)") }
    }

    /// Hex to a 32-byte hash, for literals in the tests.
    static func hash(_ hex: String) -> Hash32 {
        do { return try Hash32(hex: hex) } catch { fatalError("bad hash literal in a test: \(hex)") }
    }

    /// Hex to an address, for literals in the tests.
    static func address(_ hex: String) -> Address {
        do { return try Address(hex: hex) } catch { fatalError("bad address literal in a test: \(hex)") }
    }

    /// Hex to a word, for literals in the tests.
    static func word(_ hex: String) -> UInt256 {
        do { return try UInt256(hex: hex) } catch { fatalError("bad word literal in a test: \(hex)") }
    }
}
