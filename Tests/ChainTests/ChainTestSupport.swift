import Foundation
import Primitives

/// Small helpers shared by the Chain tests (files are found through `TestFiles`).
enum ChainTestSupport {
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
