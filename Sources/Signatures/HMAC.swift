internal import COpenSSL
import Primitives

/// HMAC (RFC 2104) with SHA-256 or SHA-512, over OpenSSL's one-shot `HMAC()`.
///
/// HMAC-SHA512 drives BIP-32 key derivation; HMAC-SHA256 is there for HKDF-style uses and tests.
public enum HMAC {
    /// HMAC-SHA256.
    /// - Parameters:
    ///   - key: the key, any length (longer than 64 bytes is hashed first, as RFC 2104 says).
    ///   - message: the data to authenticate.
    /// - Returns: the 32-byte tag.
    public static func sha256(key: [UInt8], message: [UInt8]) -> Hash32 {
        let tag = compute(EVPAlgorithm.sha256.required("SHA-256"), key: key, message: message, length: 32)
        return Hash32(tag)
    }

    /// HMAC-SHA512.
    /// - Parameters:
    ///   - key: the key, any length.
    ///   - message: the data to authenticate.
    /// - Returns: the 64-byte tag.
    public static func sha512(key: [UInt8], message: [UInt8]) -> [UInt8] {
        compute(EVPAlgorithm.sha512.required("SHA-512"), key: key, message: message, length: 64)
    }

    private static func compute(_ digest: OpaquePointer, key: [UInt8], message: [UInt8], length: Int) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: length)
        var written: UInt32 = 0
        // OpenSSL treats a NULL key pointer as "reuse the previous key", so an empty key gets a
        // non-null pointer to a dummy byte with length 0.
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBytes { keyPointer in
            message.withUnsafeBufferPointer { messagePointer in
                tag.withUnsafeMutableBufferPointer { tagPointer in
                    COpenSSL.HMAC(digest, keyPointer.baseAddress, Int32(key.count),
                                  messagePointer.baseAddress, messagePointer.count, tagPointer.baseAddress, &written)
                }
            }
        }
        precondition(result != nil && Int(written) == length, "OpenSSL HMAC failed")
        return tag
    }
}
