import Chain
import ChainTypes
import Clique
import Primitives
import Signatures

/// The accounts of the scenario tables, named "A", "B", "C"… as in EIP-225's test cases, each with
/// a fixed private key: keccak256("goldengrain clique tester " ‖ name).
enum TestAccounts {
    /// The private key of the account called `name`.
    static func key(_ name: String) -> PrivateKey {
        try! PrivateKey(bytes: Keccak256.hash(Array("goldengrain clique tester \(name)".utf8)).bytes)
    }

    /// The address of the account called `name`.
    static func address(_ name: String) -> Address {
        key(name).address
    }

    /// The addresses of the named accounts, sorted ascending as Clique orders signers.
    static func sortedAddresses(_ names: [String]) -> [Address] {
        names.map(address).sorted()
    }
}

/// Test chains: a genesis header listing signers, and children built on it.
enum TestChain {
    /// The genesis timestamp of every test chain.
    static let genesisTime: UInt64 = 1_700_000_000

    /// A header with the given Clique fields and fixed execution fields.
    static func header(number: UInt64, parentHash: Hash32, timestamp: UInt64, coinbase: Address = .zero,
                       nonce: UInt64 = 0, difficulty: UInt256 = 1, extraData: [UInt8]) -> Header {
        Header(parentHash: parentHash, coinbase: coinbase, stateRoot: .zero, transactionsRoot: .zero,
               receiptsRoot: .zero, logsBloom: .empty, difficulty: difficulty, number: number,
               gasLimit: 30_000_000, gasUsed: 0, timestamp: timestamp, extraData: extraData, mixHash: .zero,
               nonce: nonce, baseFeePerGas: 1_000_000_000)
    }

    /// Extra data of 32 zero vanity bytes, the listed signers (sorted), and a 65-byte zero seal.
    static func extraData(signers: [Address] = []) -> [UInt8] {
        CliqueExtraData(signers: signers.sorted()).bytes
    }

    /// Block 0 listing the named signers.
    static func genesis(signers names: [String]) -> Header {
        header(number: 0, parentHash: .zero, timestamp: genesisTime,
               extraData: extraData(signers: TestAccounts.sortedAddresses(names)))
    }
}

/// A generator that always returns the same word, to pin the random choices of the engine.
///
/// The standard library draws `random(in: 0 ..< n)` by Lemire's multiply-and-reject method: the
/// word 1 gives the lowest value (0) and `.max` the highest (n − 1). The word 0 is rejected for most
/// n, so a generator stuck at 0 would loop forever: never use it.
struct ConstantGenerator: RandomNumberGenerator {
    let value: UInt64
    mutating func next() -> UInt64 { value }
}

/// SplitMix64, a small seeded generator for loops over random draws.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }
}
