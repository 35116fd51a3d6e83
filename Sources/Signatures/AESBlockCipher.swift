internal import COpenSSL

extension EVPAlgorithm {
    /// AES-128 in ECB mode: the raw block function, for CTR keystreams and RLPx frame MACs.
    static let aes128ECB = EVPAlgorithm(pointer: EVP_CIPHER_fetch(nil, "AES-128-ECB", nil))
    /// AES-192 in ECB mode.
    static let aes192ECB = EVPAlgorithm(pointer: EVP_CIPHER_fetch(nil, "AES-192-ECB", nil))
    /// AES-256 in ECB mode.
    static let aes256ECB = EVPAlgorithm(pointer: EVP_CIPHER_fetch(nil, "AES-256-ECB", nil))
}

/// The AES block function (FIPS 197) in the encrypt direction, over OpenSSL's EVP ECB cipher.
///
/// ECB is never used here to encrypt messages: this is the building block for AES-CTR keystreams
/// (`AESCTR`) and for the devp2p RLPx frame MAC, which encrypts one 16-byte block with the
/// mac-secret (devp2p rlpx.md, "MAC"). Only whole blocks are accepted, and OpenSSL's padding is off,
/// so one call leaves no state behind in the context.
///
/// Value semantics: the keyed OpenSSL context lives in a private reference, and a copy that is about
/// to encrypt while another copy still shares that context first makes its own (copy-on-write), so
/// copies may be used on different threads.
public struct AESBlockCipher: Sendable {
    /// The block length: 16 bytes.
    public static let blockByteCount = 16

    private var context: AESContext

    /// Keys the block function.
    /// - Parameter key: 16, 24 or 32 bytes (AES-128, AES-192 or AES-256).
    /// - Throws: `AESError.invalidKeyLength` for another length.
    public init(key: [UInt8]) throws(AESError) {
        guard key.count == 16 || key.count == 24 || key.count == 32 else { throw .invalidKeyLength(key.count) }
        context = AESContext(key: key)
    }

    /// The key length in bytes: 16, 24 or 32.
    public var keyByteCount: Int { context.key.count }

    /// Encrypts one 16-byte block.
    /// - Parameter block: 16 bytes.
    /// - Returns: the 16-byte ciphertext block.
    /// - Throws: `AESError.partialBlock` if `block` is not 16 bytes.
    public mutating func encrypt(block: [UInt8]) throws(AESError) -> [UInt8] {
        guard block.count == Self.blockByteCount else { throw .partialBlock(length: block.count) }
        var output = [UInt8](repeating: 0, count: Self.blockByteCount)
        block.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { encryptBlocks(UnsafeRawBufferPointer(input), into: $0) }
        }
        return output
    }

    /// Encrypts consecutive whole blocks (ECB), `input.count` bytes into `output`.
    /// - Parameters:
    ///   - input: a multiple of 16 bytes.
    ///   - output: at least `input.count` bytes; may be the same memory as `input`.
    /// - Precondition: `input.count` is a multiple of 16 and `output` is large enough.
    public mutating func encryptBlocks(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(input.count % Self.blockByteCount == 0, "AES-ECB input of \(input.count) bytes is not whole blocks")
        precondition(output.count >= input.count, "AES-ECB output buffer is smaller than the input")
        guard input.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = AESContext(key: context.key) }
        context.encrypt(input, into: output)
    }
}

/// An OpenSSL cipher context keyed for AES-ECB encryption, freed with its owner.
private final class AESContext: @unchecked Sendable {
    let key: [UInt8]
    private let pointer: OpaquePointer

    init(key: [UInt8]) {
        self.key = key
        guard let pointer = EVP_CIPHER_CTX_new() else { fatalError("OpenSSL could not allocate a cipher context") }
        let algorithm: OpaquePointer
        switch key.count {
        case 16: algorithm = EVPAlgorithm.aes128ECB.required("AES-128-ECB")
        case 24: algorithm = EVPAlgorithm.aes192ECB.required("AES-192-ECB")
        default: algorithm = EVPAlgorithm.aes256ECB.required("AES-256-ECB")
        }
        let status = key.withUnsafeBufferPointer { EVP_EncryptInit_ex2(pointer, algorithm, $0.baseAddress, nil, nil) }
        precondition(status == 1, "EVP_EncryptInit_ex2(AES-ECB) failed")
        // Whole blocks only, so no padding and nothing held back between calls.
        EVP_CIPHER_CTX_set_padding(pointer, 0)
        self.pointer = pointer
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }

    /// Encrypts whole blocks in pieces that fit OpenSSL's `int` lengths.
    func encrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let source = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let destination = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let maximumChunk = 1 << 30
        var offset = 0
        while offset < input.count {
            let chunk = min(input.count - offset, maximumChunk)
            var written: Int32 = 0
            let status = EVP_EncryptUpdate(pointer, destination + offset, &written, source + offset, Int32(chunk))
            precondition(status == 1 && Int(written) == chunk, "EVP_EncryptUpdate(AES-ECB) failed")
            offset += chunk
        }
    }
}
