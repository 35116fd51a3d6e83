import ChainTypes
import Primitives

// The chain store's key schema, explained once (after go-ethereum's core/rawdb/schema.go; numbers
// are 8-byte big-endian so that one block's records sort together and by height):
//
// | key                                   | value                                                        |
// |---------------------------------------|--------------------------------------------------------------|
// | "h" ‖ number ‖ hash                   | the header's RLP                                             |
// | "H" ‖ hash                            | number (8 bytes): which height a hash is at                  |
// | "n" ‖ number                          | the canonical block hash at that height                      |
// | "b" ‖ number ‖ hash                   | the body: RLP list of each transaction's EIP-2718 encoding   |
// | "r" ‖ number ‖ hash                   | the receipts: RLP list of each receipt's EIP-2718 encoding   |
// | "s" ‖ number ‖ hash                   | the senders: 20 bytes per transaction, concatenated          |
// | "t" ‖ number ‖ hash                   | the total difficulty, minimal big-endian                     |
// | "p" ‖ number ‖ hash                   | the pre-state root, only when dev methods changed the parent's |
// |                                       | post-state before the block (else the parent's state root)   |
// | "l" ‖ transaction hash                | number (8) ‖ block hash (32) ‖ index (4, big-endian)         |
// | "LastBlock"                           | the head block's hash                                        |
// | "DevStateRoot"                        | the state root the next block builds on, when dev methods    |
// |                                       | (setBalance, setCode, …) changed the head state              |
// | hash (32 bytes)                       | a state or storage trie node (WorldState's hash scheme)      |
// | "c" ‖ code hash                       | contract code (WorldState)                                   |
// | "secure-key-" ‖ keccak256(key)        | a secure-trie key's preimage: an address or a 32-byte slot   |
// |                                       | (WorldState; go-ethereum's preimage store, for state dumps)  |
//
// No two kinds collide: trie nodes are the only 32-byte keys, and every other key starts with a
// distinct letter and has a fixed length per letter (9, 33 or 41 bytes) or is a named pointer
// (preimage keys start with "s" but are 43 bytes long, senders' keys 41).

/// The key builders of the chain store's schema (see the table at the top of this file).
enum ChainStoreSchema {
    static let headKey = Array("LastBlock".utf8)
    static let devStateRootKey = Array("DevStateRoot".utf8)

    static func numberBytes(_ number: UInt64) -> [UInt8] {
        withUnsafeBytes(of: number.bigEndian) { Array($0) }
    }

    static func readNumber(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func headerKey(_ number: UInt64, _ hash: Hash32) -> [UInt8] { [UInt8(ascii: "h")] + numberBytes(number) + hash.bytes }
    static func numberKey(_ hash: Hash32) -> [UInt8] { [UInt8(ascii: "H")] + hash.bytes }
    static func canonicalKey(_ number: UInt64) -> [UInt8] { [UInt8(ascii: "n")] + numberBytes(number) }
    static func bodyKey(_ number: UInt64, _ hash: Hash32) -> [UInt8] { [UInt8(ascii: "b")] + numberBytes(number) + hash.bytes }
    static func receiptsKey(_ number: UInt64, _ hash: Hash32) -> [UInt8] { [UInt8(ascii: "r")] + numberBytes(number) + hash.bytes }
    static func sendersKey(_ number: UInt64, _ hash: Hash32) -> [UInt8] { [UInt8(ascii: "s")] + numberBytes(number) + hash.bytes }
    static func totalDifficultyKey(_ number: UInt64, _ hash: Hash32) -> [UInt8] { [UInt8(ascii: "t")] + numberBytes(number) + hash.bytes }
    static func preStateRootKey(_ number: UInt64, _ hash: Hash32) -> [UInt8] { [UInt8(ascii: "p")] + numberBytes(number) + hash.bytes }
    static func lookupKey(_ transactionHash: Hash32) -> [UInt8] { [UInt8(ascii: "l")] + transactionHash.bytes }
}
