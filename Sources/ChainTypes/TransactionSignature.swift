import Primitives

/// The ECDSA signature a transaction carries: y-parity, r and s, as the RLP fields hold them.
///
/// Values are kept as decoded, unchecked, so that any well-formed encoding round-trips; the range
/// checks (1 ≤ r, s < n, and s ≤ n/2 per EIP-2) happen in `Transaction.recoverSender(chainId:)`.
/// A legacy transaction stores the parity inside v (27/28, or chainId·2 + 35/36 per EIP-155); typed
/// transactions store it as its own field `yParity` (EIP-2930, EIP-1559).
public struct TransactionSignature: Hashable, Sendable {
    /// The parity of the y-coordinate of the signature's nonce point R: 0 or 1 (the recovery id).
    public var yParity: UInt8
    /// The r component.
    public var r: UInt256
    /// The s component.
    public var s: UInt256

    /// Creates a signature from its components.
    /// - Parameters:
    ///   - yParity: 0 or 1.
    ///   - r: the r component.
    ///   - s: the s component.
    /// - Precondition: `yParity <= 1`.
    public init(yParity: UInt8, r: UInt256, s: UInt256) {
        precondition(yParity <= 1, "y-parity must be 0 or 1, got \(yParity)")
        self.yParity = yParity
        self.r = r
        self.s = s
    }
}
