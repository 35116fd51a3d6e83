import Primitives

/// A BIP-32 extended private key (k, c): a secp256k1 private key and a 32-byte chain code.
///
/// Implements BIP-32 "Master key generation" and "Private parent key → private child key" (CKDpriv).
/// Public derivation (CKDpub) and Base58 xprv/xpub serialization are not provided; the node only
/// needs private keys along known paths.
public struct ExtendedPrivateKey: Hashable, Sendable {
    /// The private key k.
    public let privateKey: PrivateKey
    /// The chain code c.
    public let chainCode: [UInt8]

    /// Derives the master key from a seed: I = HMAC-SHA512(key "Bitcoin seed", seed), k = I_L, c = I_R.
    /// - Parameter seed: 16 to 64 bytes (BIP-32; BIP-39 seeds are 64).
    /// - Throws: `HDWalletError.invalidSeedLength`, or `.invalidMasterKey` if I_L is 0 or ≥ n.
    public init(seed: [UInt8]) throws(HDWalletError) {
        guard (16...64).contains(seed.count) else { throw .invalidSeedLength(seed.count) }
        let digest = HMAC.sha512(key: Array("Bitcoin seed".utf8), message: seed)
        guard let key = try? PrivateKey(bytes: digest[0..<32]) else { throw .invalidMasterKey }
        self.privateKey = key
        self.chainCode = Array(digest[32..<64])
    }

    /// Wraps a key and chain code.
    /// - Parameters:
    ///   - privateKey: k.
    ///   - chainCode: c, 32 bytes.
    public init(privateKey: PrivateKey, chainCode: [UInt8]) {
        precondition(chainCode.count == 32, "BIP-32 chain code must be 32 bytes, got \(chainCode.count)")
        self.privateKey = privateKey
        self.chainCode = chainCode
    }

    /// CKDpriv: derives child `index`.
    ///
    /// Hardened (index ≥ 2³¹): I = HMAC-SHA512(c, 0x00 ‖ ser256(k) ‖ ser32(i)).
    /// Normal: I = HMAC-SHA512(c, serP(k·G) ‖ ser32(i)), serP being the 33-byte compressed point.
    /// The child key is (I_L + k) mod n and its chain code I_R.
    /// - Parameter index: the child index; add `DerivationPath.hardenedOffset` for a hardened child.
    /// - Returns: the child extended key.
    /// - Throws: `HDWalletError.invalidChildKey` if I_L ≥ n or the child key is zero.
    public func derivedChild(at index: UInt32) throws(HDWalletError) -> ExtendedPrivateKey {
        var data: [UInt8]
        if index >= DerivationPath.hardenedOffset {
            data = [0x00] + privateKey.bytes
        } else {
            data = privateKey.publicKey.compressedBytes
        }
        data += [UInt8(truncatingIfNeeded: index >> 24), UInt8(truncatingIfNeeded: index >> 16),
                 UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)]
        let digest = HMAC.sha512(key: chainCode, message: data)
        guard let child = try? privateKey.adding(tweak: digest[0..<32]) else { throw .invalidChildKey(index: index) }
        return ExtendedPrivateKey(privateKey: child, chainCode: Array(digest[32..<64]))
    }

    /// Derives along a path from this key.
    /// - Parameter path: the indices to follow.
    /// - Returns: the extended key at the end of the path.
    /// - Throws: `HDWalletError.invalidChildKey` if any step is invalid.
    public func derived(along path: DerivationPath) throws(HDWalletError) -> ExtendedPrivateKey {
        var key = self
        for index in path.indices { key = try key.derivedChild(at: index) }
        return key
    }
}
