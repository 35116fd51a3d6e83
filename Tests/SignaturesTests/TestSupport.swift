import Foundation
import Primitives
import TestSupport

/// Small helpers shared by the Signatures tests.
enum TestSupport {
    /// Loads and decodes a file of ../shared/fixtures.
    static func load<T: Decodable>(_ type: T.Type, _ relativePath: String) -> T {
        do {
            return try TestFiles.decode(T.self, at: TestFiles.fixture(relativePath))
        } catch {
            fatalError("\(error)")
        }
    }

    /// Hex to bytes, for literals in the tests.
    static func bytes(_ hex: String) -> [UInt8] {
        do { return try Hex.decode(hex) } catch { fatalError("bad hex literal in a test: \(hex)") }
    }

    /// A decimal integer below 2²⁵⁶ as 32 big-endian bytes (schoolbook base-10 → base-256).
    static func decimalTo32Bytes(_ decimal: String) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        for character in decimal {
            guard let digit = character.wholeNumberValue else { fatalError("not a decimal digit: \(character)") }
            var carry = digit
            for index in stride(from: 31, through: 0, by: -1) {
                let value = Int(bytes[index]) * 10 + carry
                bytes[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            precondition(carry == 0, "decimal \(decimal) does not fit in 32 bytes")
        }
        return bytes
    }

    /// Decodes Base58Check (Bitcoin alphabet) and checks the 4-byte double-SHA-256 checksum
    /// with the supplied hash function; returns the payload.
    static func base58CheckDecode(_ text: String, sha256: ([UInt8]) -> [UInt8]) -> [UInt8] {
        let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
        var number = [UInt8]()  // big-endian base-256
        for character in text {
            guard let digit = alphabet.firstIndex(of: character) else { fatalError("not Base58: \(character)") }
            var carry = digit
            for index in stride(from: number.count - 1, through: 0, by: -1) {
                let value = Int(number[index]) * 58 + carry
                number[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            while carry > 0 { number.insert(UInt8(carry & 0xFF), at: 0); carry >>= 8 }
        }
        let leadingZeros = text.prefix { $0 == "1" }.count
        let decoded = [UInt8](repeating: 0, count: leadingZeros) + number
        let payload = Array(decoded.dropLast(4))
        precondition(Array(sha256(sha256(payload)).prefix(4)) == Array(decoded.suffix(4)), "Base58Check checksum mismatch for \(text)")
        return payload
    }
}
