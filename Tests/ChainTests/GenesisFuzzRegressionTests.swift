import ChainTypes
import Primitives
import Testing

/// What the genesis fuzz target (Fuzz/Genesis; docs/reliability.md, "Coverage-guided fuzzing")
/// found: two spellings of one storage slot ("0x02" and "0x00…02") — or of one address — were read
/// in a dictionary's order, which differs from one instance to the next, so the same file gave a
/// different storage value on another read (the target saw the compact form of the same JSON read
/// differently). Such a file is now refused as naming the slot or account twice, in the order written.
@Suite struct GenesisFuzzRegressionTests {
    static let extraData = "0x" + String(repeating: "00", count: 32) + "f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
        + String(repeating: "00", count: 65)

    /// The fuzz input, reduced by hand to the storage it turned on (its other fields were the full
    /// seed's): slot 2 written as "0x02" = 1 and as its 32-byte form = 0xff.
    @Test func twoSpellingsOfOneStorageSlotAreRefused() {
        let text = #"""
            {"config":{"chainId":31337,"clique":{"period":5,"epoch":30000}},
             "alloc":{"0x0000000000000000000000000000000000002000":{"balance":"0","code":"0x6000",
                 "storage":{"0x02":"0x01","0x0000000000000000000000000000000000000000000000000000000000000002":"0xff"}}},
             "extradata":"\#(Self.extraData)"}
            """#
        let field = "alloc.0x0000000000000000000000000000000000002000.storage."
            + "0x0000000000000000000000000000000000000000000000000000000000000002"
        for _ in 0 ..< 20 {
            #expect(throws: GenesisError.duplicateField(field)) { try Genesis(json: Array(text.utf8)) }
        }
    }

    /// The same for an account: its EIP-55 spelling and its lowercase spelling.
    @Test func twoSpellingsOfOneAccountAreRefused() {
        let text = #"""
            {"config":{"chainId":1,"clique":{"period":0}},"extraData":"\#(Self.extraData)",
             "alloc":{"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266":{"balance":"1"},
                      "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266":{"balance":"2"}}}
            """#
        for _ in 0 ..< 20 {
            #expect(throws: GenesisError.duplicateField("alloc.0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")) {
                try Genesis(json: Array(text.utf8))
            }
        }
    }

    /// One spelling per slot still reads, whatever the member order.
    @Test func distinctSlotsInAnyOrderRead() throws {
        func genesis(_ storage: String) throws -> Genesis {
            try Genesis(json: Array(#"""
                {"config":{"chainId":1,"clique":{"period":0}},"extraData":"\#(Self.extraData)",
                 "alloc":{"0x0000000000000000000000000000000000002000":{"balance":"0","storage":{\#(storage)}}}}
                """#.utf8))
        }
        let forward = try genesis(#""0x01":"0x0a","0x02":"0x0b""#)
        let backward = try genesis(#""0x02":"0x0b","0x01":"0x0a""#)
        #expect(forward == backward)
        let account = forward.alloc[Address(high: 0, middle: 0, low: 0x2000)]
        #expect(account?.storage == [UInt256(1): UInt256(10), UInt256(2): UInt256(11)])
    }
}
