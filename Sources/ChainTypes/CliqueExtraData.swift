import Primitives

/// The Clique layout of a header's extra data (EIP-225):
///
///     vanity (32 bytes) ‖ signers (N × 20 bytes, checkpoint blocks only) ‖ seal (65 bytes)
///
/// The genesis block is a checkpoint: it lists the initial signers and carries a zero seal.
public struct CliqueExtraData: Hashable, Sendable {
    /// EXTRA_VANITY: the bytes a signer may fill freely.
    public static let vanityLength = 32
    /// EXTRA_SEAL: the secp256k1 signature r ‖ s ‖ v over the header's seal hash.
    public static let sealLength = 65

    /// The 32 vanity bytes.
    public var vanity: [UInt8]
    /// The signers, in the order listed (ascending address order on checkpoints written by geth).
    public var signers: [Address]
    /// The 65-byte seal (all zero on the genesis block).
    public var seal: [UInt8]

    /// Creates extra data from its parts.
    /// - Parameters:
    ///   - vanity: 32 bytes (default zeros).
    ///   - signers: the signer list.
    ///   - seal: 65 bytes (default zeros).
    /// - Precondition: `vanity.count == 32` and `seal.count == 65`.
    public init(vanity: [UInt8] = [UInt8](repeating: 0, count: 32), signers: [Address],
                seal: [UInt8] = [UInt8](repeating: 0, count: 65)) {
        precondition(vanity.count == Self.vanityLength && seal.count == Self.sealLength,
                     "Clique vanity is 32 bytes and seal 65, got \(vanity.count) and \(seal.count)")
        self.vanity = vanity
        self.signers = signers
        self.seal = seal
    }

    /// Splits extra data into vanity, signers and seal.
    /// - Parameter bytes: a header's extra data.
    /// - Throws: `GenesisError.invalidExtraData` if it is shorter than 97 bytes or the signer section
    ///   is not a multiple of 20 bytes.
    public init(bytes: [UInt8]) throws(GenesisError) {
        let fixed = Self.vanityLength + Self.sealLength
        guard bytes.count >= fixed else { throw .invalidExtraData(length: bytes.count, reason: "is too short (fewer than \(fixed))") }
        let signerBytes = bytes.count - fixed
        guard signerBytes % 20 == 0 else {
            throw .invalidExtraData(length: bytes.count, reason: "leave a signer section of \(signerBytes) bytes, not a multiple of 20,")
        }
        vanity = Array(bytes[0 ..< Self.vanityLength])
        signers = stride(from: Self.vanityLength, to: Self.vanityLength + signerBytes, by: 20).map {
            Address(bytes[$0 ..< $0 + 20])
        }
        seal = Array(bytes[(bytes.count - Self.sealLength)...])
    }

    /// The concatenated bytes vanity ‖ signers ‖ seal.
    public var bytes: [UInt8] {
        vanity + signers.flatMap(\.bytes) + seal
    }
}
