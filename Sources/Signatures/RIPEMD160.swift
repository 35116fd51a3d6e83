internal import COpenSSL

/// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996), for the 0x03 precompile.
///
/// OpenSSL provides it when a loaded provider does (the default provider since 3.0.7; the legacy
/// provider before). Whether it does is checked once at run time; if not, a portable Swift version
/// (`RIPEMD160+Portable.swift`) answers, so the precompile never depends on OpenSSL's configuration.
public enum RIPEMD160 {
    /// Whether OpenSSL supplies the implementation in this process (otherwise the Swift one runs).
    public static var isProvidedByOpenSSL: Bool { EVPAlgorithm.ripemd160.pointer != nil }

    /// Hashes a message.
    /// - Parameter bytes: the message.
    /// - Returns: the 20-byte digest.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash(raw: $0) }
    }

    /// Hashes the bytes of a raw buffer.
    /// - Parameter raw: the message.
    /// - Returns: the 20-byte digest.
    public static func hash(raw: UnsafeRawBufferPointer) -> [UInt8] {
        guard let algorithm = EVPAlgorithm.ripemd160.pointer else { return portableHash(raw: raw) }
        var output = [UInt8](repeating: 0, count: 20)
        var empty: UInt8 = 0
        let status = output.withUnsafeMutableBufferPointer { out in
            withUnsafeMutablePointer(to: &empty) { emptyPointer in
                EVP_Digest(raw.baseAddress ?? UnsafeRawPointer(emptyPointer), raw.count, out.baseAddress, nil, algorithm, nil)
            }
        }
        precondition(status == 1, "EVP_Digest(RIPEMD-160) failed")
        return output
    }
}
