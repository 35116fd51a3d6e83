import Primitives
import Signatures

/// Hex helpers for the RLPx and ECIES vector tests.
enum RLPxTestSupport {
    /// Bytes from hex that may be split over lines and indented, as the EIP-8 and go-ethereum vectors are printed.
    static func bytes(_ hex: String) -> [UInt8] {
        let compact = hex.filter { !$0.isWhitespace }
        do { return try Hex.decode(compact) } catch { fatalError("bad hex literal in a test: \(hex)") }
    }

    /// A private key from hex.
    static func key(_ hex: String) -> PrivateKey {
        do { return try PrivateKey(bytes: bytes(hex)) } catch { fatalError("bad private key in a test: \(hex)") }
    }

    /// A 32-byte value from hex.
    static func hash(_ hex: String) -> Hash32 { Hash32(bytes(hex)) }
}
