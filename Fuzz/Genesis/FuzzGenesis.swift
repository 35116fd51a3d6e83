import ChainTypes
import FuzzSupport
import Primitives

// Genesis files (ChainTypes; geth's genesis.json with the `goldengrain` section, DESIGN.md §3).
//
// If `Genesis(json:)` accepts the input:
// - a second read gives the same genesis;
// - the same JSON written compactly (`JSON.serializedBytes`) gives the same genesis: the reader
//   depends on the values, never on the layout;
// - the signers are those of the extra data's Clique layout, and that layout's bytes are the extra
//   data;
// - block 0's header holds the genesis fields and round-trips through its RLP decoder.
// Seeds: hand-written genesis texts below; Genesis/dev.json and Genesis/testnet-3.json are added in
// place by scripts/fuzz.sh.

@main
enum FuzzGenesis {
    static func main() { Fuzz.main(test: fuzzGenesis, seeds: genesisSeeds) }
}

func fuzzGenesis(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    guard let genesis = try? Genesis(json: input) else { return 0 }
    // Reading is deterministic: nothing may depend on a dictionary's order, which differs between instances.
    Fuzz.check((try? Genesis(json: input)) == genesis, "reading the same text twice gave different genesis values")
    if let json = try? JSON.parse(input) {
        let compact = json.serializedBytes
        do {
            Fuzz.check(try Genesis(json: compact) == genesis, "the compact form of the same JSON reads differently")
        } catch {
            Fuzz.check(false, "the compact form of an accepted genesis is refused: \(error)")
        }
    } else {
        Fuzz.check(false, "Genesis(json:) accepted text that JSON.parse refuses")
    }
    do {
        let extra = try CliqueExtraData(bytes: genesis.extraData)
        Fuzz.check(extra.signers == genesis.signers && extra.bytes == genesis.extraData, "signers differ from the extra data's")
    } catch {
        Fuzz.check(false, "an accepted genesis has extra data CliqueExtraData refuses: \(error)")
    }
    let header = genesis.header(stateRoot: Keccak256.hash([0x80]))
    Fuzz.check(header.extraData == genesis.extraData && header.gasLimit == genesis.gasLimit
               && header.timestamp == genesis.timestamp && header.baseFeePerGas == genesis.baseFeePerGas,
               "block 0's header does not carry the genesis fields")
    Fuzz.check((try? Header(encoded: header.encoded)) == header, "block 0's header does not round-trip")
    return 0
}

func genesisSeeds() -> [(name: String, bytes: [UInt8])] {
    let signer = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    let extra = "0x" + String(repeating: "00", count: 32) + signer + String(repeating: "00", count: 65)
    let texts: [(String, String)] = [
        ("minimal", #"{"config":{"chainId":1,"clique":{"period":0}},"extraData":"\#(extra)"}"#),
        ("full", #"""
        {"config":{"chainId":31337,"homesteadBlock":0,"londonBlock":0,"cancunTime":0,"clique":{"period":5,"epoch":30000}},
         "alloc":{"0x\#(signer)":{"balance":"0x21e19e0c9bab2400000","nonce":"0x1"},
                  "0x0000000000000000000000000000000000002000":{"balance":"0","code":"0x6000",
                      "storage":{"0x00":"0x01","0x0000000000000000000000000000000000000000000000000000000000000002":"0xff"}}},
         "extradata":"\#(extra)","gasLimit":"0x1c9c380","difficulty":"0x1","timestamp":"0x0","baseFeePerGas":"1000000000",
         "coinbase":"0x0000000000000000000000000000000000000000","mixHash":"0x0000000000000000000000000000000000000000000000000000000000000000",
         "nonce":"0x0","goldengrain":{}}
        """#),
        ("fork-activation", #"{"config":{"chainId":5,"berlinBlock":7,"clique":{"period":1}},"extraData":"\#(extra)"}"#),
    ]
    return texts.map { (name: $0.0, bytes: Array($0.1.utf8)) }
}
