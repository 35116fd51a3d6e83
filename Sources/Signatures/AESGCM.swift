internal import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) over OpenSSL's EVP cipher interface.
///
/// Layout of a sealed message: ciphertext (as long as the plaintext) ‖ 16-byte tag. The nonce is
/// not included; callers store it (ECIES puts it in front; see docs/formats.md). A nonce must
/// never repeat under one key: use `SecureRandom.bytes(count: 12)` for a fresh key per message or
/// a counter. Messages are processed in chunks, so their size is not limited by OpenSSL's `int` lengths.
public enum AESGCM {
    /// The key length: 32 bytes.
    public static let keyByteCount = 32
    /// The nonce (IV) length: 12 bytes.
    public static let nonceByteCount = 12
    /// The tag length: 16 bytes.
    public static let tagByteCount = 16

    /// Encrypts and authenticates.
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - nonce: 12 bytes, unique per key.
    ///   - plaintext: the message.
    ///   - aad: additional authenticated data, covered by the tag but not encrypted.
    /// - Returns: ciphertext ‖ tag (plaintext length + 16 bytes).
    /// - Throws: `AESGCMError.invalidKeyLength` or `.invalidNonceLength`.
    public static func seal(key: [UInt8], nonce: [UInt8], plaintext: [UInt8], aad: [UInt8] = []) throws(AESGCMError) -> [UInt8] {
        try checkLengths(key: key, nonce: nonce)
        let context = makeContext()
        defer { EVP_CIPHER_CTX_free(context) }
        var initialized = key.withUnsafeBufferPointer { keyPointer in
            nonce.withUnsafeBufferPointer { noncePointer in
                EVP_EncryptInit_ex2(context, EVPAlgorithm.aes256GCM.required("AES-256-GCM"),
                                    keyPointer.baseAddress, noncePointer.baseAddress, nil)
            }
        }
        precondition(initialized == 1, "EVP_EncryptInit_ex2(AES-256-GCM) failed")
        var output = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        output.withUnsafeMutableBufferPointer { outputPointer in
            absorbAAD(aad, context: context, encrypting: true)
            let written = transform(plaintext, into: outputPointer.baseAddress!, context: context, encrypting: true)
            var finalLength: Int32 = 0
            initialized = EVP_EncryptFinal_ex(context, outputPointer.baseAddress! + written, &finalLength)
            precondition(initialized == 1 && finalLength == 0, "EVP_EncryptFinal_ex(AES-256-GCM) failed")
            let tagged = EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount),
                                             outputPointer.baseAddress! + plaintext.count)
            precondition(tagged == 1, "AES-256-GCM could not produce its tag")
        }
        return output
    }

    /// Checks the tag and decrypts.
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - nonce: the 12-byte nonce used to seal.
    ///   - sealed: ciphertext ‖ tag, as `seal` returned it.
    ///   - aad: the additional authenticated data used to seal.
    /// - Returns: the plaintext.
    /// - Throws: `AESGCMError.invalidKeyLength`, `.invalidNonceLength`, `.sealedDataTooShort`, or
    ///   `.authenticationFailed` if the tag does not verify (no plaintext is released then).
    public static func open(key: [UInt8], nonce: [UInt8], sealed: [UInt8], aad: [UInt8] = []) throws(AESGCMError) -> [UInt8] {
        try checkLengths(key: key, nonce: nonce)
        guard sealed.count >= tagByteCount else { throw .sealedDataTooShort(sealed.count) }
        let ciphertextCount = sealed.count - tagByteCount
        let context = makeContext()
        defer { EVP_CIPHER_CTX_free(context) }
        let initialized = key.withUnsafeBufferPointer { keyPointer in
            nonce.withUnsafeBufferPointer { noncePointer in
                EVP_DecryptInit_ex2(context, EVPAlgorithm.aes256GCM.required("AES-256-GCM"),
                                    keyPointer.baseAddress, noncePointer.baseAddress, nil)
            }
        }
        precondition(initialized == 1, "EVP_DecryptInit_ex2(AES-256-GCM) failed")
        var plaintext = [UInt8](repeating: 0, count: ciphertextCount)
        let verified: Bool = sealed.withUnsafeBufferPointer { sealedPointer in
            plaintext.withUnsafeMutableBufferPointer { plaintextPointer in
                absorbAAD(aad, context: context, encrypting: false)
                let written = transform(UnsafeBufferPointer(rebasing: sealedPointer[0..<ciphertextCount]),
                                        into: plaintextPointer.baseAddress ?? UnsafeMutablePointer<UInt8>(bitPattern: 1)!,
                                        context: context, encrypting: false)
                // The tag is an input here; OpenSSL's ctrl takes a non-const pointer but only reads it.
                var tag = Array(sealedPointer[ciphertextCount...])
                let tagSet = EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &tag)
                precondition(tagSet == 1, "AES-256-GCM could not take the tag")
                var finalLength: Int32 = 0
                var scratch: UInt8 = 0
                let status = withUnsafeMutablePointer(to: &scratch) { scratchPointer in
                    EVP_DecryptFinal_ex(context, plaintextPointer.baseAddress.map { $0 + written } ?? scratchPointer, &finalLength)
                }
                return status == 1
            }
        }
        guard verified else {
            plaintext.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            throw .authenticationFailed
        }
        return plaintext
    }

    private static func checkLengths(key: [UInt8], nonce: [UInt8]) throws(AESGCMError) {
        guard key.count == keyByteCount else { throw .invalidKeyLength(key.count) }
        guard nonce.count == nonceByteCount else { throw .invalidNonceLength(nonce.count) }
    }

    private static func makeContext() -> OpaquePointer {
        guard let context = EVP_CIPHER_CTX_new() else { fatalError("OpenSSL could not allocate a cipher context") }
        return context
    }

    /// Feeds the AAD (an update with no output buffer).
    private static func absorbAAD(_ aad: [UInt8], context: OpaquePointer, encrypting: Bool) {
        guard !aad.isEmpty else { return }
        aad.withUnsafeBufferPointer { aadPointer in
            var offset = 0
            while offset < aadPointer.count {
                let chunk = min(aadPointer.count - offset, maximumChunk)
                var ignored: Int32 = 0
                let status = encrypting
                    ? EVP_EncryptUpdate(context, nil, &ignored, aadPointer.baseAddress! + offset, Int32(chunk))
                    : EVP_DecryptUpdate(context, nil, &ignored, aadPointer.baseAddress! + offset, Int32(chunk))
                precondition(status == 1, "AES-256-GCM rejected the associated data")
                offset += chunk
            }
        }
    }

    /// Encrypts or decrypts `input` into `output` in chunks that fit OpenSSL's `int` lengths.
    /// - Returns: the number of bytes written (GCM is a stream mode: the input length).
    private static func transform(_ input: [UInt8], into output: UnsafeMutablePointer<UInt8>,
                                  context: OpaquePointer, encrypting: Bool) -> Int {
        input.withUnsafeBufferPointer { transform($0, into: output, context: context, encrypting: encrypting) }
    }

    private static func transform(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>,
                                  context: OpaquePointer, encrypting: Bool) -> Int {
        var offset = 0
        while offset < input.count {
            let chunk = min(input.count - offset, maximumChunk)
            var written: Int32 = 0
            let status = encrypting
                ? EVP_EncryptUpdate(context, output + offset, &written, input.baseAddress! + offset, Int32(chunk))
                : EVP_DecryptUpdate(context, output + offset, &written, input.baseAddress! + offset, Int32(chunk))
            precondition(status == 1 && Int(written) == chunk, "AES-256-GCM update failed")
            offset += chunk
        }
        return offset
    }

    /// The largest piece handed to OpenSSL at once (its lengths are `int`).
    private static let maximumChunk = 1 << 30
}
