/// The few DER encodings (ITU-T X.690 §8, §10) the simulated certificate authority writes by hand:
/// the outer Certificate SEQUENCE around an OpenSSL-encoded TBSCertificate, the signature
/// algorithm, the signature BIT STRING and extension values.
enum DER {
    /// A tag-length-value with a definite length in the shortest form.
    static func element(tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        if content.count < 0x80 {
            length = [UInt8(content.count)]
        } else {
            var value = content.count
            var digits: [UInt8] = []
            while value > 0 { digits.insert(UInt8(value & 0xff), at: 0); value >>= 8 }
            length = [0x80 | UInt8(digits.count)] + digits
        }
        return [tag] + length + content
    }

    /// SEQUENCE.
    static func sequence(_ content: [UInt8]) -> [UInt8] { element(tag: 0x30, content) }

    /// OCTET STRING.
    static func octetString(_ bytes: [UInt8]) -> [UInt8] { element(tag: 0x04, bytes) }

    /// A non-negative INTEGER from a machine integer (minimal two's-complement content, §8.3).
    static func integer(_ value: UInt64) -> [UInt8] {
        unsignedInteger((0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) })
    }

    /// ENUMERATED (§8.4: encoded as an INTEGER with tag 10).
    static func enumerated(_ value: UInt8) -> [UInt8] {
        var content = unsignedInteger([value])
        content[0] = 0x0a
        return content
    }

    /// OBJECT IDENTIFIER from its arcs (§8.19: the first two arcs as 40·a + b, then base 128,
    /// high bit set on every byte but the last of each arc).
    static func objectIdentifier(_ arcs: [UInt64]) -> [UInt8] {
        precondition(arcs.count >= 2 && arcs[0] <= 2, "an OID has at least two arcs, the first 0, 1 or 2")
        var content: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var digits: [UInt8] = [UInt8(arc & 0x7f)]
            var rest = arc >> 7
            while rest > 0 { digits.insert(UInt8(rest & 0x7f) | 0x80, at: 0); rest >>= 7 }
            content += digits
        }
        return element(tag: 0x06, content)
    }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    static func unsignedInteger(_ magnitude: [UInt8]) -> [UInt8] {
        var bytes = Array(magnitude.drop { $0 == 0 })
        if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return element(tag: 0x02, bytes)
    }

    /// BIT STRING with no unused bits.
    static func bitString(_ bytes: [UInt8]) -> [UInt8] { element(tag: 0x03, [0] + bytes) }

    /// AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2, RFC 5758 §3.2: parameters absent).
    static let ecdsaWithSHA256: [UInt8] = [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]

    /// An ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3) from r ‖ s.
    static func ecdsaSignature(_ rawSignature: [UInt8]) -> [UInt8] {
        sequence(unsignedInteger(Array(rawSignature[0..<32])) + unsignedInteger(Array(rawSignature[32..<64])))
    }

    /// A SEC 1 ECPrivateKey (RFC 5915 §3) for P-256 with the public key omitted; OpenSSL computes it.
    static func p256PrivateKey(_ scalar: [UInt8]) -> [UInt8] {
        let version: [UInt8] = [0x02, 0x01, 0x01]
        let privateKey = element(tag: 0x04, scalar)
        let prime256v1: [UInt8] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
        return sequence(version + privateKey + element(tag: 0xa0, prime256v1))
    }
}
