import Primitives

/// What `registerEnclave(quote, enclavePublicKey)` takes as its first argument: an SGX DCAP v3 quote,
/// optionally followed by collateral in the on-chain layout (docs/formats.md, "Collateral on chain"):
///
///     quote        436 bytes of header and ISV report body, u32 LE signature data length at offset
///                  432, then that many bytes of signature data: nothing may follow inside the quote
///     collateral   "GGC1" (47 47 43 31), then the length-prefixed TCB Info, QE Identity, TCB Signing
///                  chain and CRLs
///
/// ATTESTATION_VERIFY finds the end of the quote from its own signature data length and reads what
/// follows as collateral, so the two are simply concatenated. A chain whose genesis sets
/// `goldengrain.attestation.requireCollateral` refuses a quote alone (empty output, so the contract
/// reverts with "quote rejected"); elsewhere collateral is optional and, when present, puts the
/// platform's TCB status and the collateral's issue date into the precompile's output.
///
/// Only the framing is checked here (this module does not link the verifier): the quote's declared
/// length, the collateral's magic and the contract's 16,384-byte bound on the argument. What the
/// collateral says is the chain's business.
public struct EnclaveEvidence: Hashable, Sendable, CustomStringConvertible {
    /// The quote's fixed part: header (48) and ISV report body (384), then the signature data length (4).
    public static let quoteFixedSize = 436
    /// Where the quote's little-endian u32 signature data length is.
    public static let signatureDataLengthOffset = 432
    /// The magic that starts collateral in the on-chain layout: "GGC1".
    public static let collateralMagic: [UInt8] = [0x47, 0x47, 0x43, 0x31]
    /// The longest argument `registerEnclave(quote: Bytes[16384], …)` accepts.
    public static let maximumSize = 16_384

    /// The DCAP quote, exactly as long as its signature data length says.
    public let quote: [UInt8]
    /// The collateral in the on-chain layout, or nil to register with the quote alone.
    public let collateral: [UInt8]?

    /// Checks the framing of a quote and its collateral.
    /// - Parameters:
    ///   - quote: the DCAP quote (nothing appended).
    ///   - collateral: the collateral in the on-chain layout (GGC1), or nil for the quote alone.
    /// - Throws: `EnclaveEvidenceError` naming the bad length or prefix and what was expected.
    public init(quote: [UInt8], collateral: [UInt8]?) throws(EnclaveEvidenceError) {
        guard quote.count >= Self.quoteFixedSize else {
            throw .quoteTooShort(length: quote.count, minimum: Self.quoteFixedSize)
        }
        let offset = Self.signatureDataLengthOffset
        let declared = Int(quote[offset]) | Int(quote[offset + 1]) << 8 | Int(quote[offset + 2]) << 16 | Int(quote[offset + 3]) << 24
        guard quote.count == Self.quoteFixedSize + declared else {
            throw .quoteLengthMismatch(length: quote.count, declaredSignatureDataLength: declared)
        }
        if let collateral {
            guard collateral.count > Self.collateralMagic.count, collateral.starts(with: Self.collateralMagic) else {
                throw .notCollateralLayout(prefix: Array(collateral.prefix(4)), length: collateral.count)
            }
        }
        let total = quote.count + (collateral?.count ?? 0)
        guard total <= Self.maximumSize else {
            throw .tooLarge(quote: quote.count, collateral: collateral?.count ?? 0, maximum: Self.maximumSize)
        }
        self.quote = quote
        self.collateral = collateral
    }

    /// `quote ‖ collateral`: the bytes registerEnclave passes to ATTESTATION_VERIFY.
    public var bytes: [UInt8] { quote + (collateral ?? []) }

    /// Whether collateral follows the quote.
    public var hasCollateral: Bool { collateral != nil }

    /// "a 3,791-byte quote and 2,968 bytes of collateral (6,759 bytes)" or "a 3,791-byte quote alone".
    public var description: String {
        guard let collateral else { return "a \(Self.grouped(quote.count))-byte quote alone, without collateral" }
        return "a \(Self.grouped(quote.count))-byte quote and \(Self.grouped(collateral.count)) bytes of collateral (\(Self.grouped(quote.count + collateral.count)) bytes)"
    }

    /// 6759 → "6,759".
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

/// Why a quote and its collateral cannot be registerEnclave's argument.
public enum EnclaveEvidenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The quote is shorter than its fixed part (header, report body, signature data length).
    case quoteTooShort(length: Int, minimum: Int)
    /// The quote's length is not 436 + its signature data length (bytes appended, or cut short).
    case quoteLengthMismatch(length: Int, declaredSignatureDataLength: Int)
    /// The collateral does not start with the on-chain layout's magic "GGC1", or holds nothing after it.
    case notCollateralLayout(prefix: [UInt8], length: Int)
    /// Quote and collateral together exceed registerEnclave's `Bytes[16384]`.
    case tooLarge(quote: Int, collateral: Int, maximum: Int)

    public var description: String {
        switch self {
        case .quoteTooShort(let length, let minimum):
            return "the quote is \(length) bytes, expected at least \(minimum) (header, report body and signature data length)"
        case .quoteLengthMismatch(let length, let declared):
            return "the quote is \(length) bytes but its signature data length (offset 432) makes it 436 + \(declared) = \(436 + declared): expected the quote alone, with no collateral or other bytes appended"
        case .notCollateralLayout(let prefix, let length):
            let hex = Hex.encode(prefix, prefix: false)
            return length <= 4
                ? "the collateral is \(length) bytes, expected the on-chain layout (\"GGC1\" and its fields)"
                : "the collateral starts with \(hex), expected 47474331 (\"GGC1\", the on-chain layout of docs/formats.md)"
        case .tooLarge(let quote, let collateral, let maximum):
            return "quote (\(quote) bytes) and collateral (\(collateral) bytes) make \(quote + collateral) bytes, expected at most \(maximum) (registerEnclave's Bytes[\(maximum)])"
        }
    }
}
