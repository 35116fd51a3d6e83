import Primitives

/// Intel's collateral for SGX DCAP quotes, as the Provisioning Certification Service serves it:
/// the signed TCB Info and QE Identity, the TCB Signing certificate chain that signs both, and
/// the two CRLs. The fields are the raw bytes each signature covers, so nothing is re-encoded
/// before it is checked.
///
/// Loaders (Intel's `{"tcbInfo":…,"signature":…}` files, dcap-qvl's collateral.json) and the
/// on-chain length-prefixed layout (docs/formats.md) produce this value; `CollateralCheck`
/// verifies it.
public struct Collateral: Hashable, Sendable {
    /// The exact bytes of the `tcbInfo` JSON object, as signed (TCB Info v3, id "SGX").
    public var tcbInfoBody: [UInt8]
    /// The TCB Info signature: ECDSA P-256 r ‖ s, 64 bytes, by the TCB Signing certificate's key.
    public var tcbInfoSignature: [UInt8]
    /// The exact bytes of the `enclaveIdentity` JSON object, as signed (QE Identity v2, id "QE").
    public var qeIdentityBody: [UInt8]
    /// The QE Identity signature: ECDSA P-256 r ‖ s, 64 bytes, by the TCB Signing certificate's key.
    public var qeIdentitySignature: [UInt8]
    /// The TCB Signing certificate chain, DER certificates leaf first (TCB Signing, then the root
    /// CA; the root must be a trusted root).
    public var tcbSigningChain: [[UInt8]]
    /// The Root CA CRL (DER), issued by the root CA: revokes intermediate CAs.
    public var rootCACRL: [UInt8]
    /// The PCK Platform or Processor CA CRL (DER), issued by the PCK chain's intermediate CA:
    /// revokes PCK certificates.
    public var pckCRL: [UInt8]

    /// Creates collateral from its raw parts.
    public init(tcbInfoBody: [UInt8], tcbInfoSignature: [UInt8], qeIdentityBody: [UInt8], qeIdentitySignature: [UInt8],
                tcbSigningChain: [[UInt8]], rootCACRL: [UInt8], pckCRL: [UInt8]) {
        self.tcbInfoBody = tcbInfoBody
        self.tcbInfoSignature = tcbInfoSignature
        self.qeIdentityBody = qeIdentityBody
        self.qeIdentitySignature = qeIdentitySignature
        self.tcbSigningChain = tcbSigningChain
        self.rootCACRL = rootCACRL
        self.pckCRL = pckCRL
    }
}
