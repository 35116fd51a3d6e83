import Chain
import ChainTypes
import Foundation
import Primitives
import Signatures
import Testing
import TestSupport

/// Genesis parsing, the genesis state root and header, and the shipped genesis files.
/// Expected roots and hashes come from go-ethereum (cited) or from py-trie/rlp (trie 3.x, rlp 4.x)
/// run once in a throwaway venv; the dev accounts from eth-account's HD derivation and anvil's docs.
@Suite struct GenesisTests {
    static let mnemonic = "test test test test test test test test test test test junk"

    /// A minimal valid genesis with one signer; tests replace one piece at a time.
    static func json(config: String = #""chainId": 31337, "clique": {"period": 0, "epoch": 30000}"#,
                     extraData: String = "0x" + String(repeating: "00", count: 32)
                         + "f39fd6e51aad88f6f4ce6ab8827279cfffb92266" + String(repeating: "00", count: 65),
                     alloc: String = #"{"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266": {"balance": "0x21e19e0c9bab2400000"}}"#,
                     extra: String = "") -> [UInt8] {
        Array(#"{"config": {\#(config)}, "extraData": "\#(extraData)", "alloc": \#(alloc)\#(extra)}"#.utf8)
    }

    static func loadShipped(_ name: String) throws -> Genesis {
        try Genesis(contentsOfFile: TestFiles.genesis.appendingPathComponent(name).path)
    }

    // MARK: Shipped files

    @Test func devGenesisFundsTheTenAnvilAccountsAndAccountZeroSigns() throws {
        let genesis = try Self.loadShipped("dev.json")
        let wallet = try HDWallet(mnemonic: Self.mnemonic)
        let accounts = try (0..<10).map { index in try wallet.derivePrivateKey(path: "m/44'/60'/0'/0/\(index)").address }
        // anvil's documented account 0.
        #expect(accounts[0] == ChainTestSupport.address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"))
        // The ten accounts and the predeployed marketplace (Genesis/README.md), nothing else.
        let marketplace = ChainTestSupport.address("0x0000000000000000000000000000000000002000")
        #expect(Set(genesis.alloc.keys) == Set(accounts + [marketplace]))
        let tenThousandEther = UInt256(10_000) &* UInt256(1_000_000_000_000_000_000)
        #expect(accounts.allSatisfy { account in
            genesis.alloc[account].map { $0.balance == tenThousandEther && $0.code.isEmpty && $0.nonce == 0 } ?? false
        })
        let market = try #require(genesis.alloc[marketplace])
        #expect(market.balance == .zero && market.nonce == 1 && !market.code.isEmpty && market.storage.count == 6)
        #expect(genesis.signers == [accounts[0]])
        #expect(genesis.chainId == 31337)
        #expect(genesis.clique == CliqueConfig(period: 0, epoch: 30000))
        #expect(genesis.gasLimit == 30_000_000)
        #expect(genesis.baseFeePerGas == 1_000_000_000)
        // The SIMULATED, insecure test root of `goldengrain enclave` (Genesis/README.md).
        #expect(genesis.goldenGrain.trustedRoots.map(\.sha256)
            == [ChainTestSupport.hash("0683343b7c52a645d8bc41f3e08d898768f20ce6c102cee9d1f18bee68c44e4c")])
        #expect(genesis.goldenGrain.attestationPrecompile == GoldenGrainConfig.defaultAttestationPrecompile)
        #expect(genesis.goldenGrain.inferencePrecompile == GoldenGrainConfig.defaultInferencePrecompile)
    }

    @Test func devGenesisRootAndHashMatchPyTrie() throws {
        let genesis = try Self.loadShipped("dev.json")
        // With the marketplace at 0x…2000 (code and six storage slots): the root from py-evm 0.12.1b1's
        // AccountDB over the file's alloc (PyEVMTransfersScript.swift, "genesis root"), the hash from
        // rlp 5 + eth-hash over the London header (the same script gave bdf796f3…c8b9 for the earlier
        // accounts-only root e914d7e6…8632, the values this test held before the marketplace).
        #expect(genesis.stateRoot == ChainTestSupport.hash("ed3dbfb3db5331a426b3467791f26be1b9d252be72ce01447d1b846548e5758e"))
        let block = genesis.block
        #expect(block.hash == ChainTestSupport.hash("a33f49600557f12fd6c6f56a82b06bb82547e09b821576d97cf61c8f383c3860"))
        #expect(block.header.number == 0 && block.header.difficulty == 1)
    }

    @Test func testnetGenesisHasThreeSignersFromTheMnemonic() throws {
        let genesis = try Self.loadShipped("testnet-3.json")
        let wallet = try HDWallet(mnemonic: Self.mnemonic)
        let signers = try (0..<3).map { index in try wallet.derivePrivateKey(path: "m/44'/60'/0'/0/\(index)").address }
        #expect(genesis.signers == signers.sorted())
        #expect(genesis.chainId == 7777)
        #expect(genesis.clique.period == 2)
        #expect(genesis.block.hash == ChainTestSupport.hash("9cfc1f5e4e860034c6c31ed92fcfec4ef1ec7ba0de7f4945b7a6b2db4fcf2a93"))
    }

    // MARK: State root

    @Test func goEthereumCustomGenesisHash() {
        // go-ethereum core/genesis_test.go testSetupGenesis: customg = {Alloc: {{1}: {Balance: 1,
        // Storage: {{1}: {1}}}}} with geth's defaults (gas limit 4712388, difficulty 131072, no base
        // fee before London) hashes to customghash.
        let one = Address([1] + [UInt8](repeating: 0, count: 19))
        let word = UInt256(bigEndianBytes: [1] + [UInt8](repeating: 0, count: 31))
        let root = Genesis.stateRoot(of: [one: GenesisAccount(balance: 1, storage: [word: word])])
        let header = Header(parentHash: .zero, coinbase: .zero, stateRoot: root,
                            transactionsRoot: MerklePatriciaTrieRoots.empty, receiptsRoot: MerklePatriciaTrieRoots.empty,
                            logsBloom: .empty, difficulty: 131_072, number: 0, gasLimit: 4_712_388, gasUsed: 0,
                            timestamp: 0, extraData: [], mixHash: .zero, nonce: 0, baseFeePerGas: nil)
        #expect(header.hash == ChainTestSupport.hash("89c99d90b79719238d2645c7642f2c9295246e80775b38cfd162b696817fbd50"))
    }

    @Test func stateRootWithCodeNonceAndStorageMatchesPyTrie() throws {
        let genesis = try Genesis(json: Self.json(alloc: #"""
            {"00000000000000000000000000000000000000aa": {"balance": "5", "nonce": "0x1", "code": "0x6001600055",
              "storage": {"0x01": "0x2a", "0xdead": "0x8000000000000000000000000000000000000000000000000000000000000000",
                          "0x02": "0x00"}}}
            """#))
        #expect(genesis.stateRoot == ChainTestSupport.hash("ebdbb7f66b0b7d5518d4f117956fafd999d56800175aa7a6d29973b95a9aadf0"))
    }

    // MARK: Defaults and accepted forms

    @Test func defaultsAndDecimalForms() throws {
        let genesis = try Genesis(json: Self.json(config: #""chainId": "0x7a69", "clique": {"period": "5"}, "londonBlock": 0"#,
                                                  alloc: #"{"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266": {"balance": "100000000000000000000000"}}"#))
        #expect(genesis.chainId == 31337)
        #expect(genesis.clique == CliqueConfig(period: 5, epoch: 30000))
        #expect(genesis.gasLimit == Genesis.defaultGasLimit)
        #expect(genesis.difficulty == 1)
        #expect(genesis.baseFeePerGas == Header.initialBaseFee)
        #expect(genesis.alloc.values.first?.balance == UInt256(decimal: "100000000000000000000000"))
    }

    @Test func lowercaseExtradataKeyIsAccepted() throws {
        let bytes = Array(String(decoding: Self.json(), as: UTF8.self).replacingOccurrences(of: "extraData", with: "extradata").utf8)
        #expect(try Genesis(json: bytes).signers.count == 1)
    }

    // MARK: Errors name the field and the value

    @Test func missingChainId() {
        #expect(throws: GenesisError.missingField("config.chainId")) {
            try Genesis(json: Self.json(config: #""clique": {"period": 0}"#))
        }
    }

    @Test func nonNumericChainId() {
        let error = #expect(throws: GenesisError.invalidNumber(field: "config.chainId", value: "\"abc\"")) {
            try Genesis(json: Self.json(config: #""chainId": "abc", "clique": {"period": 0}"#))
        }
        #expect(error?.description.hasPrefix("genesis field config.chainId: \"abc\" is not a number") == true)
    }

    @Test func nonHexBalance() {
        #expect(throws: GenesisError.invalidNumber(field: "alloc.0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.balance",
                                                   value: "\"0xzz\"")) {
            try Genesis(json: Self.json(alloc: #"{"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266": {"balance": "0xzz"}}"#))
        }
    }

    @Test func badAddressKeyInAlloc() {
        #expect(throws: GenesisError.invalidAddress(field: "alloc.0x1234", value: "\"0x1234\"")) {
            try Genesis(json: Self.json(alloc: #"{"0x1234": {"balance": "1"}}"#))
        }
    }

    @Test func badChecksumInAllocKey() {
        // One letter of the EIP-55 checksum flipped to lower case.
        #expect(throws: GenesisError.self) {
            try Genesis(json: Self.json(alloc: #"{"0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266": {"balance": "1"}}"#))
        }
    }

    @Test func extraDataTooShort() {
        let error = #expect(throws: GenesisError.invalidExtraData(length: 50, reason: "is too short (fewer than 97)")) {
            try Genesis(json: Self.json(extraData: "0x" + String(repeating: "00", count: 50)))
        }
        #expect(error?.description.contains("50 bytes is too short") == true)
    }

    @Test func extraDataSignerSectionNotAMultipleOf20() {
        #expect(throws: GenesisError.invalidExtraData(length: 107, reason: "leave a signer section of 10 bytes, not a multiple of 20,")) {
            try Genesis(json: Self.json(extraData: "0x" + String(repeating: "00", count: 107)))
        }
    }

    @Test func extraDataWithoutSigners() {
        #expect(throws: GenesisError.noSigners) {
            try Genesis(json: Self.json(extraData: "0x" + String(repeating: "00", count: 97)))
        }
    }

    @Test(arguments: [("-1", "-1"), ("\"-1\"", "\"-1\""), ("1.5", "1.5"), ("\"two\"", "\"two\"")])
    func negativeOrNonNumericPeriod(literal: String, quoted: String) {
        #expect(throws: GenesisError.invalidNumber(field: "config.clique.period", value: quoted)) {
            try Genesis(json: Self.json(config: #""chainId": 1, "clique": {"period": \#(literal)}"#))
        }
    }

    @Test func missingCliqueSection() {
        #expect(throws: GenesisError.missingField("config.clique")) {
            try Genesis(json: Self.json(config: #""chainId": 1"#))
        }
    }

    @Test func laterForkActivationIsRejected() {
        #expect(throws: GenesisError.unsupportedForkActivation(field: "config.londonBlock", value: "5")) {
            try Genesis(json: Self.json(config: #""chainId": 1, "clique": {"period": 0}, "londonBlock": 5"#))
        }
    }

    @Test func chainIdTooLarge() {
        #expect(throws: GenesisError.numberTooLarge(field: "config.chainId", value: "18446744073709551616",
                                                    maximum: "18446744073709551615")) {
            try Genesis(json: Self.json(config: #""chainId": 18446744073709551616, "clique": {"period": 0}"#))
        }
    }

    @Test func aMemberGivenTwiceIsRefusedByName() {
        #expect(throws: GenesisError.duplicateField("config.chainId")) {
            try Genesis(json: Self.json(config: #""chainId": 1, "chainId": 2, "clique": {"period": 0}"#))
        }
    }

    @Test func invalidJSONNamesTheOffset() {
        #expect(throws: GenesisError.invalidJSON(offset: 11, message: "found '}', expected a value")) {
            try Genesis(json: Array(#"{"config": }"#.utf8))
        }
    }

    @Test func measurementMustBe32Bytes() {
        #expect(throws: GenesisError.wrongLength(field: "goldengrain.attestation.trustedMeasurements[0]", value: "\"0x01\"",
                                                 expected: 32, actual: 1)) {
            try Genesis(json: Self.json(extra: #", "goldengrain": {"attestation": {"trustedMeasurements": ["0x01"]}}"#))
        }
    }

    @Test func trustedRootDigestIsChecked() throws {
        let der: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x01]
        let digest = SHA256.hash(der)
        let good = #", "goldengrain": {"attestation": {"trustedRoots": [{"sha256": "\#(digest)", "derHex": "0x3003020101"}]}, "marketplace": "0x5FbDB2315678afecb367f032d93F642f64180aa3"}"#
        let genesis = try Genesis(json: Self.json(extra: good))
        #expect(genesis.goldenGrain.trustedRoots == [GoldenGrainConfig.TrustedRoot(certificate: der)])
        #expect(genesis.goldenGrain.marketplace == ChainTestSupport.address("0x5FbDB2315678afecb367f032d93F642f64180aa3"))
        let bad = #", "goldengrain": {"attestation": {"trustedRoots": [{"sha256": "0x\#(String(repeating: "00", count: 32))", "derHex": "0x3003020101"}]}}"#
        #expect(throws: GenesisError.certificateDigestMismatch(field: "goldengrain.attestation.trustedRoots[0]", declared: .zero, actual: digest)) {
            try Genesis(json: Self.json(extra: bad))
        }
    }

    @Test func pemTrustedRootIsDecoded() throws {
        let der: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x01]
        let pem = "-----BEGIN CERTIFICATE-----\\nMAMCAQE=\\n-----END CERTIFICATE-----\\n"
        let genesis = try Genesis(json: Self.json(extra: #", "goldengrain": {"attestation": {"trustedRoots": [{"sha256": "\#(SHA256.hash(der))", "pem": "\#(pem)"}]}}"#))
        #expect(genesis.goldenGrain.trustedRoots.first?.certificate == der)
    }

    @Test func precompileOnAStandardAddressIsRejected() {
        #expect(throws: GenesisError.precompileAddressClash(field: "goldengrain.precompiles.inference",
                                                            address: ChainTestSupport.address("0x0000000000000000000000000000000000000001"))) {
            try Genesis(json: Self.json(extra: #", "goldengrain": {"precompiles": {"inference": "0x0000000000000000000000000000000000000001"}}"#))
        }
    }

    @Test func cliqueExtraDataRoundTrips() throws {
        let signers = [ChainTestSupport.address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
                       ChainTestSupport.address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
        let extra = CliqueExtraData(signers: signers)
        #expect(extra.bytes.count == 32 + 40 + 65)
        #expect(try CliqueExtraData(bytes: extra.bytes) == extra)
    }
}

/// The empty trie root, spelled out for the geth genesis test.
enum MerklePatriciaTrieRoots {
    /// keccak256(rlp("")), the root of an empty trie.
    static let empty = ChainTestSupport.hash("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
}
