internal import CSecp256k1
import Primitives

extension PrivateKey {
    /// Elliptic-curve Diffie–Hellman: the 32-byte x-coordinate of k·Q.
    ///
    /// libsecp256k1's default ECDH output is SHA-256(0x02|0x03 ‖ x), a hash of the compressed shared
    /// point. Ethereum's ECIES constructions (go-ethereum `crypto/ecies` `GenerateShared`, devp2p RLPx,
    /// eth-keys, eciespy) instead feed the raw x-coordinate into their KDF, as SEC 1 §3.3.1 defines
    /// the ECDH primitive. To interoperate with them we pass a hash callback that copies x unchanged.
    /// - Parameter publicKey: the other party's public key Q.
    /// - Returns: the 32 big-endian bytes of the shared point's x-coordinate.
    public func sharedSecret(with publicKey: PublicKey) -> [UInt8] {
        var point = publicKey.libsecp256k1Point
        var output = [UInt8](repeating: 0, count: 32)
        let status = output.withUnsafeMutableBufferPointer { out in
            scalar.withBigEndianBytes { key in
                secp256k1_ecdh(Secp256k1Context.shared.pointer, out.baseAddress!, &point, key,
                               copyXCoordinate, nil)
            }
        }
        // Fails only for an invalid scalar, and the key was validated on creation.
        precondition(status == 1, "libsecp256k1 ECDH failed with a validated key")
        return output
    }
}

/// The ECDH "hash function" that returns x itself: copies the 32 bytes of x and ignores y.
private let copyXCoordinate: secp256k1_ecdh_hash_function = { output, x, _, _ in
    guard let output, let x else { return 0 }
    output.update(from: x, count: 32)
    return 1
}
