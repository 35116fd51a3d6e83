import Foundation

/// BIP-39 mnemonic sentences, seed derivation only.
///
/// The seed is PBKDF2-HMAC-SHA512(password: NFKD(mnemonic), salt: "mnemonic" ‖ NFKD(passphrase),
/// 2048 iterations, 64 bytes) (BIP-39 "From mnemonic to seed"). The words are NOT checked against
/// the English wordlist and the checksum is NOT verified: BIP-39 derives the seed from any sentence,
/// and the dev chain only needs the well-known "test … junk" mnemonic. Validate user-typed
/// mnemonics elsewhere before relying on them.
public enum Mnemonic {
    /// The PBKDF2 iteration count BIP-39 fixes.
    public static let iterations = 2048

    /// Derives the 64-byte BIP-39 seed.
    ///
    /// Both strings are normalized to Unicode NFKD, as BIP-39 requires, with Foundation's
    /// `decomposedStringWithCompatibilityMapping`; ASCII text, which NFKD leaves unchanged, skips it.
    /// The sentence is used exactly as given otherwise (words separated by single spaces).
    /// - Parameters:
    ///   - mnemonic: the sentence, e.g. "test test test test test test test test test test test junk".
    ///   - passphrase: the optional BIP-39 passphrase (empty by default).
    /// - Returns: the 64-byte seed.
    public static func seed(from mnemonic: String, passphrase: String = "") -> [UInt8] {
        PBKDF2.sha512(password: normalizedBytes(mnemonic),
                      salt: Array("mnemonic".utf8) + normalizedBytes(passphrase),
                      iterations: iterations, outputByteCount: 64)
    }

    /// UTF-8 bytes of the NFKD form.
    private static func normalizedBytes(_ text: String) -> [UInt8] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
        return Array(text.decomposedStringWithCompatibilityMapping.utf8)
    }
}
