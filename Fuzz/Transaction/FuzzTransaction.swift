import Chain
import ChainTypes
import FuzzChainSupport
import FuzzSupport
import Primitives

// Transactions (ChainTypes; validation in Chain): the EIP-2718 decoder and what runs on a decoded transaction.
//
// 1. The input as a raw transaction (eth_sendRawTransaction): if `Transaction(encoded:)` accepts it,
//    re-encoding gives the same bytes (the decoder is strict: canonical RLP, exact field counts and
//    widths), and hashing, the signing hash, sender recovery and the state-free validation run
//    without trapping.
// 2. The input as a recipe for a transaction of any type (`ChainFuzzing.transaction`):
//    decode(encode(x)) == x, and a transaction signed by the test key recovers to its address.

@main
enum FuzzTransaction {
    static func main() { Fuzz.main(test: fuzzTransaction, seeds: transactionSeeds) }
}

func fuzzTransaction(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    if let transaction = try? Transaction(encoded: input) {
        let encoded = transaction.encoded
        Fuzz.check(encoded == input, "encode(decode(b)) != b: b = \(Fuzz.hex(input)), re-encoded \(Fuzz.hex(encoded))")
        exercise(transaction)
    }
    var reader = FuzzReader(input)
    let made = ChainFuzzing.transaction(from: &reader)
    let encoded = made.encoded
    do {
        let decoded = try Transaction(encoded: encoded)
        Fuzz.check(decoded == made, "decode(encode(x)) != x for \(Fuzz.hex(encoded))")
    } catch {
        Fuzz.check(false, "the decoder rejects the encoder's \(Fuzz.hex(encoded)): \(error)")
    }
    exercise(made)
    return 0
}

/// Runs what the pool and the block executor run on a decoded transaction; errors are fine.
func exercise(_ transaction: Transaction) {
    _ = transaction.hash
    _ = transaction.signingHash
    _ = transaction.intrinsicGas
    _ = try? transaction.validateWithoutState()
    _ = transaction.effectiveGasPrice(baseFee: 7)
    _ = transaction.effectivePriorityFee(baseFee: 7)
    let chainId = transaction.chainId ?? 1
    if let sender = try? transaction.recoverSender(chainId: chainId), transaction.signature != nil {
        // Recovery is deterministic: a second recovery names the same sender.
        let again = try? transaction.recoverSender(chainId: chainId)
        Fuzz.check(again == sender, "sender recovery is not deterministic")
    }
}

func transactionSeeds() -> [(name: String, bytes: [UInt8])] {
    var seeds = ChainFuzzing.sampleTransactions().map { (name: $0.name, bytes: $0.transaction.encoded) }
    // Recipes for the second half: each type, signed and with raw signature values.
    for selector: UInt8 in [0x00, 0x41, 0x42, 0x80, 0xc0] {
        seeds.append((name: "recipe-\(selector)", bytes: [selector, 8, 0, 0, 0, 0, 0, 0, 0x7a, 0x69, 1, 5, 2, 1, 0,
                                                          3, 0x52, 0x08] + [UInt8](repeating: 0x33, count: 40)))
    }
    return seeds
}
