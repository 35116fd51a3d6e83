import FuzzSupport
import Inference
import Marketplace
import Primitives
import Signatures

// The openers of sealed data: ECIES (Signatures), AES-256-GCM (Signatures), the GGE1 encrypted file
// (Inference) and the marketplace's key handling (Marketplace.Sealing); docs/formats.md.
//
// 1. The input as sealed data under fixed test keys: ECIES.open, AESGCM.open (nonce = the first 12
//    bytes), EncryptedModel.open and Sealing.decrypt/openKey/resealKey reject it or, for a seed
//    sealed to those keys, open it; a re-sealed key opens again with the new recipient's key. The
//    input's prefixes are also read as a recipient public key (33, 64 or 65 bytes).
// 2. The input as a plaintext: open(seal(x)) == x for all three constructions, and flipping any one
//    bit of the sealed form makes opening fail (no plaintext without a valid tag).

@main
enum FuzzSealed {
    static func main() { Fuzz.main(test: fuzzSealed, seeds: sealedSeeds) }
}

func testKey(_ label: String) -> PrivateKey {
    do {
        return try PrivateKey(bytes: Keccak256.hash(Array(label.utf8)).bytes)
    } catch {
        fatalError("test key \(label) is not a valid secp256k1 key: \(error)")
    }
}

let recipient = testKey("GoldenGrain fuzz ECIES recipient")
let buyer = testKey("GoldenGrain fuzz ECIES buyer")
let fileKey = Keccak256.hash(Array("GoldenGrain fuzz file key".utf8)).bytes
let fixedNonce: [UInt8] = Array(0 ..< 12)

func fuzzSealed(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    openHostile(input)
    roundTrip(input)
    return 0
}

func openHostile(_ input: [UInt8]) {
    if let plaintext = try? ECIES.open(input, with: recipient) {
        Fuzz.check(plaintext.count == input.count - ECIES.overhead, "ECIES opened \(plaintext.count) bytes from \(input.count)")
        if let key = try? Sealing.openKey(input, with: recipient) {
            Fuzz.check(key == plaintext, "Sealing.openKey and ECIES.open disagree")
            do {
                let resealed = try Sealing.resealKey(input, with: recipient, to: buyer.publicKey.bytes)
                Fuzz.check(try Sealing.openKey(resealed, with: buyer) == key, "a re-sealed key opens to another key")
            } catch {
                Fuzz.check(false, "re-sealing an openable key failed: \(error)")
            }
        }
    }
    _ = try? AESGCM.open(key: fileKey, nonce: Array(input.prefix(12)), sealed: Array(input.dropFirst(12)))
    _ = try? AESGCM.open(key: fileKey, nonce: Array(input.prefix(12)), sealed: Array(input.dropFirst(12)), aad: Array("GGE1".utf8))
    if let plaintext = try? EncryptedModel.open(input, key: fileKey) {
        Fuzz.check(plaintext.count == input.count - 32, "GGE1 opened \(plaintext.count) bytes from \(input.count)")
        Fuzz.check((try? Sealing.decrypt(input, key: fileKey, expectedHash: Keccak256.hash(plaintext))) == plaintext,
                   "Sealing.decrypt and EncryptedModel.open disagree")
    }
    _ = try? Sealing.decrypt(input, key: Array(input.prefix(32)))
    for length in [33, 64, 65] where input.count >= length {
        _ = try? Sealing.sealKey(fileKey, to: Array(input.prefix(length)))
    }
}

func roundTrip(_ input: [UInt8]) {
    var reader = FuzzReader(input)
    let flip = Int(reader.uint64(byteCount: 2))
    let aad = reader.chunk()
    let plaintext = Array(reader.remaining)
    do {
        let sealed = try AESGCM.seal(key: fileKey, nonce: fixedNonce, plaintext: plaintext, aad: aad)
        Fuzz.check(try AESGCM.open(key: fileKey, nonce: fixedNonce, sealed: sealed, aad: aad) == plaintext, "AES-GCM: open(seal(x)) != x")
        var altered = sealed
        altered[flip % (altered.count * 8) / 8] ^= UInt8(1 << (flip % 8))
        Fuzz.check((try? AESGCM.open(key: fileKey, nonce: fixedNonce, sealed: altered, aad: aad)) == nil,
                   "AES-GCM opened a message with bit \(flip % (altered.count * 8)) flipped")

        let file = try EncryptedModel.seal(plaintext, key: fileKey, nonce: fixedNonce)
        Fuzz.check(try EncryptedModel.open(file, key: fileKey) == plaintext, "GGE1: open(seal(x)) != x")
        var alteredFile = file
        alteredFile[flip % (alteredFile.count * 8) / 8] ^= UInt8(1 << (flip % 8))
        Fuzz.check((try? EncryptedModel.open(alteredFile, key: fileKey)) == nil, "GGE1 opened a file with a bit flipped")

        let message = ECIES.seal(plaintext, to: recipient.publicKey)
        Fuzz.check(try ECIES.open(message, with: recipient) == plaintext, "ECIES: open(seal(x)) != x")
        Fuzz.check((try? ECIES.open(message, with: buyer)) == nil, "ECIES opened with the wrong key")
        var alteredMessage = message
        alteredMessage[flip % (alteredMessage.count * 8) / 8] ^= UInt8(1 << (flip % 8))
        Fuzz.check((try? ECIES.open(alteredMessage, with: recipient)) == nil, "ECIES opened a message with a bit flipped")
    } catch {
        Fuzz.check(false, "sealing or opening valid data failed: \(error)")
    }
}

func sealedSeeds() -> [(name: String, bytes: [UInt8])] {
    do {
        let key = Keccak256.hash(Array("a model key".utf8)).bytes
        let model: [UInt8] = Array("GGM1".utf8) + [UInt8](repeating: 7, count: 60)
        return [
            (name: "ecies-model-key", bytes: ECIES.seal(key, to: recipient.publicKey)),
            (name: "ecies-empty", bytes: ECIES.seal([], to: recipient.publicKey)),
            (name: "ecies-other-recipient", bytes: ECIES.seal(key, to: buyer.publicKey)),
            (name: "gge1-model", bytes: try EncryptedModel.seal(model, key: fileKey, nonce: fixedNonce)),
            (name: "gge1-empty", bytes: try EncryptedModel.seal([], key: fileKey, nonce: fixedNonce)),
            (name: "aes-gcm", bytes: fixedNonce + (try AESGCM.seal(key: fileKey, nonce: fixedNonce, plaintext: model))),
            (name: "public-key-uncompressed", bytes: recipient.publicKey.uncompressedBytes),
            (name: "public-key-compressed", bytes: recipient.publicKey.compressedBytes),
            (name: "round-trip-aad", bytes: [0x12, 0x34, 4] + Array("GGE1".utf8) + model),
        ]
    } catch {
        fatalError("sealed seeds: \(error)")
    }
}
