import Testing
import Primitives
import Signatures

/// One case of go-ethereum's core/vm/testdata/precompiles files, read in place from
/// ../shared/fixtures/precompiles (commit noted in ../shared/fixtures/README.md).
struct PrecompileVector: Decodable, Sendable, CustomTestStringConvertible {
    let Input: String
    let Expected: String
    let Name: String

    var testDescription: String { Name }

    static let ecRecover = TestSupport.load([PrecompileVector].self, "precompiles/ecRecover.json")
    static let p256Verify = TestSupport.load([PrecompileVector].self, "precompiles/p256Verify.json")
}

/// The ecrecover precompile (0x01, Yellow Paper appendix E) built from the public API: input is
/// hash ‖ v ‖ r ‖ s (32 bytes each, right-padded with zeros if short); v must be 27 or 28 with the
/// upper 31 bytes zero; output is the address left-padded to 32 bytes, or empty on any failure.
func ecrecoverPrecompile(_ input: [UInt8]) -> [UInt8] {
    let padded = input + [UInt8](repeating: 0, count: max(0, 128 - input.count))
    let v = padded[32..<64]
    guard v.prefix(31).allSatisfy({ $0 == 0 }), v.last == 27 || v.last == 28 else { return [] }
    guard let signature = try? RecoverableSignature(r: padded[64..<96], s: padded[96..<128], recoveryId: v.last! - 27),
          let address = try? signature.recoverAddress(from: Hash32(padded[0..<32])) else { return [] }
    return [UInt8](repeating: 0, count: 12) + address.bytes
}

/// P256VERIFY (EIP-7951) built from the public API: exactly 160 bytes hash ‖ r ‖ s ‖ qx ‖ qy,
/// output 32-byte 1 on success and empty otherwise.
func p256VerifyPrecompile(_ input: [UInt8]) -> [UInt8] {
    guard input.count == 160 else { return [] }
    let valid = P256.verify(hash: Hash32(input[0..<32]), r: Hash32(input[32..<64]), s: Hash32(input[64..<96]),
                            publicKeyX: Hash32(input[96..<128]), publicKeyY: Hash32(input[128..<160]))
    return valid ? [UInt8](repeating: 0, count: 31) + [1] : []
}

@Suite struct PrecompileVectorTests {
    @Test(arguments: PrecompileVector.ecRecover)
    func ecRecover(_ vector: PrecompileVector) {
        #expect(ecrecoverPrecompile(TestSupport.bytes(vector.Input)) == TestSupport.bytes(vector.Expected))
    }

    @Test(arguments: PrecompileVector.p256Verify)
    func p256Verify(_ vector: PrecompileVector) {
        #expect(p256VerifyPrecompile(TestSupport.bytes(vector.Input)) == TestSupport.bytes(vector.Expected))
    }

    /// EIP-7951: any input length other than 160 gives empty output.
    @Test func p256WrongLengthIsEmpty() {
        let valid = TestSupport.bytes(PrecompileVector.p256Verify[0].Input)
        #expect(p256VerifyPrecompile(valid) == [UInt8](repeating: 0, count: 31) + [1])
        #expect(p256VerifyPrecompile(Array(valid.dropLast())).isEmpty)
        #expect(p256VerifyPrecompile(valid + [0]).isEmpty)
    }

    /// The attestation-module form: r ‖ s and x ‖ y as 64-byte blobs over a pre-hashed message
    /// agrees with the raw form on the first vector (the hash argument is the same 32 bytes).
    @Test func p256RawKeyForm() throws {
        let input = TestSupport.bytes(PrecompileVector.p256Verify[0].Input)
        let key = try P256PublicKey(rawRepresentation: input[96..<160])
        #expect(key.rawRepresentation == Array(input[96..<160]))
        #expect(key.isValidSignature(r: Hash32(input[32..<64]), s: Hash32(input[64..<96]), hash: Hash32(input[0..<32])))
        #expect(!key.isValidSignature(r: Hash32(input[32..<64]), s: Hash32(input[64..<96]), hash: .zero))
    }

    /// EIP-7951: coordinates ≥ p and the (0, 0) encoding of infinity are rejected as keys.
    @Test func p256InvalidKeys() {
        let p = Hash32(TestSupport.bytes("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"))
        #expect(throws: P256Error.coordinateOutOfRange(coordinate: "x", value: p.description)) {
            try P256PublicKey(x: p, y: .zero)
        }
        #expect(throws: P256Error.publicKeyNotOnCurve(Hex.encode([UInt8](repeating: 0, count: 64)))) {
            try P256PublicKey(x: .zero, y: .zero)
        }
        #expect(throws: P256Error.invalidPublicKeyLength(65)) {
            try P256PublicKey(rawRepresentation: [UInt8](repeating: 4, count: 65))
        }
    }
}
