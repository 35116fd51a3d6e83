internal import COpenSSL

/// PBKDF2 (RFC 8018 §5.2) with HMAC-SHA512, over OpenSSL's `PKCS5_PBKDF2_HMAC`; BIP-39 uses it to
/// turn a mnemonic into a seed.
///
/// `PKCS5_PBKDF2_HMAC` runs the KDF in its plain PKCS #5 mode, without the SP 800-132 lower bounds
/// (128-bit salt, 1000 iterations) that OpenSSL's EVP_KDF applies by default; BIP-39's salt
/// "mnemonic" is only 8 bytes, so those bounds would reject it.
public enum PBKDF2 {
    /// Derives key material with PBKDF2-HMAC-SHA512.
    /// - Parameters:
    ///   - password: the password bytes.
    ///   - salt: the salt bytes.
    ///   - iterations: the iteration count c (BIP-39: 2048); at least 1.
    ///   - outputByteCount: how many bytes to derive (BIP-39: 64).
    /// - Returns: the derived bytes.
    public static func sha512(password: [UInt8], salt: [UInt8], iterations: Int, outputByteCount: Int) -> [UInt8] {
        precondition(iterations >= 1 && iterations <= Int(Int32.max), "PBKDF2 iterations \(iterations) outside 1...\(Int32.max)")
        precondition(outputByteCount >= 1 && outputByteCount <= Int(Int32.max), "PBKDF2 output length \(outputByteCount) invalid")
        var output = [UInt8](repeating: 0, count: outputByteCount)
        // A zero-length password still needs a valid pointer; OpenSSL reads `count` bytes of it.
        let passwordBytes: [CChar] = password.isEmpty ? [0] : password.map { CChar(bitPattern: $0) }
        let status = passwordBytes.withUnsafeBufferPointer { passwordPointer in
            (salt.isEmpty ? [0] : salt).withUnsafeBufferPointer { saltPointer in
                output.withUnsafeMutableBufferPointer { outputPointer in
                    PKCS5_PBKDF2_HMAC(passwordPointer.baseAddress, Int32(password.count),
                                      saltPointer.baseAddress, Int32(salt.count), Int32(iterations),
                                      EVPAlgorithm.sha512.required("SHA-512"), Int32(outputByteCount),
                                      outputPointer.baseAddress)
                }
            }
        }
        precondition(status == 1, "OpenSSL PKCS5_PBKDF2_HMAC failed")
        return output
    }
}
