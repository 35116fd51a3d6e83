internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`, OpenSSL 3.0
/// EVP_RAND(7)), seeded from the operating system.
public enum SecureRandom {
    /// Returns fresh random bytes.
    /// - Parameter count: how many bytes to return.
    /// - Returns: `count` random bytes.
    /// - Precondition: OpenSSL's generator works; a failure (no entropy source) stops the process,
    ///   because no caller can continue safely without randomness.
    public static func bytes(count: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBytes { fill($0) }
        return output
    }

    /// Overwrites a buffer with random bytes.
    /// - Parameter buffer: the buffer to fill.
    /// - Precondition: OpenSSL's generator works (see `bytes(count:)`).
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let status = RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count))
        precondition(status == 1, "OpenSSL RAND_bytes failed: no secure randomness available")
    }
}
