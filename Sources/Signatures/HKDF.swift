internal import COpenSSL

/// HKDF (RFC 5869) with SHA-256, over OpenSSL 3.0's `EVP_KDF` "HKDF"; ECIES derives its AES key with it.
public enum HKDF {
    /// Extracts and expands key material with HKDF-SHA256.
    /// - Parameters:
    ///   - inputKeyMaterial: IKM, e.g. an ECDH shared secret.
    ///   - salt: the salt; empty means RFC 5869's default (32 zero bytes, which HMAC treats the same).
    ///   - info: context and application-specific information.
    ///   - outputByteCount: L, at most 255 × 32 = 8160 bytes (RFC 5869 §2.3).
    /// - Returns: the output keying material (OKM).
    public static func sha256(inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8], outputByteCount: Int) -> [UInt8] {
        precondition(outputByteCount >= 1 && outputByteCount <= 255 * 32,
                     "HKDF-SHA256 output length \(outputByteCount) is outside 1...8160 (RFC 5869 §2.3)")
        guard let context = EVP_KDF_CTX_new(EVPAlgorithm.hkdf.required("HKDF")) else {
            fatalError("OpenSSL could not allocate a KDF context")
        }
        defer { EVP_KDF_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: outputByteCount)
        // OSSL_PARAM holds pointers: every buffer must stay alive until EVP_KDF_derive returns.
        var key = inputKeyMaterial.isEmpty ? [0] : inputKeyMaterial
        var saltBytes = salt
        var infoBytes = info
        var digestName = Array("SHA256".utf8CString)
        let status = digestName.withUnsafeMutableBufferPointer { digestPointer in
            key.withUnsafeMutableBytes { keyPointer in
                saltBytes.withUnsafeMutableBytes { saltPointer in
                    infoBytes.withUnsafeMutableBytes { infoPointer in
                        var parameters: [OSSL_PARAM] = [
                            OSSL_PARAM_construct_utf8_string(OpenSSLParameterKey.digest.cString, digestPointer.baseAddress, 0),
                            OSSL_PARAM_construct_octet_string(OpenSSLParameterKey.key.cString, keyPointer.baseAddress, inputKeyMaterial.count),
                        ]
                        if !salt.isEmpty {
                            parameters.append(OSSL_PARAM_construct_octet_string(OpenSSLParameterKey.salt.cString, saltPointer.baseAddress, salt.count))
                        }
                        if !info.isEmpty {
                            parameters.append(OSSL_PARAM_construct_octet_string(OpenSSLParameterKey.info.cString, infoPointer.baseAddress, info.count))
                        }
                        parameters.append(OSSL_PARAM_construct_end())
                        return output.withUnsafeMutableBufferPointer { outputPointer in
                            EVP_KDF_derive(context, outputPointer.baseAddress, outputByteCount, parameters)
                        }
                    }
                }
            }
        }
        precondition(status == 1, "OpenSSL HKDF-SHA256 derivation failed")
        return output
    }
}
