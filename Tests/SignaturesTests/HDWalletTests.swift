import Testing
import Primitives
import Signatures

/// BIP-39 seeds, BIP-32 derivation and the anvil/Hardhat development accounts.
@Suite struct HDWalletTests {
    static let devMnemonic = "test test test test test test test test test test test junk"

    /// The ten dev accounts at m/44'/60'/0'/0/i.
    /// Addresses: the Foundry book, "Anvil" page (getfoundry.sh/anvil), "Available Accounts" (0)–(9).
    /// Keys: accounts 0 and 1 as the Hardhat Network docs print them (hardhat.org/hardhat-network,
    /// "npx hardhat node"); the full list 0–9 as anvil prints it under "Private Keys", reproduced
    /// in many public projects (e.g. the ANVIL_KEYS constant documented on docs.rs/paralock-cli).
    static let devAccounts: [(address: String, key: String)] = [
        ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
        ("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
        ("0x90F79bf6EB2c4f870365E785982E1f101E93b906", "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
        ("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
        ("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
        ("0x976EA74026E726554dB657fA54763abd0C3a0aa9", "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
        ("0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
        ("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
        ("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"),
    ]

    static let devWallet = try! HDWallet(mnemonic: devMnemonic)

    @Test(arguments: 0..<10)
    func devAccount(_ index: Int) throws {
        let key = try Self.devWallet.derivePrivateKey(path: "m/44'/60'/0'/0/\(index)")
        #expect(key.bytes == TestSupport.bytes(Self.devAccounts[index].key))
        #expect(key.address == (try Address(hex: Self.devAccounts[index].address)))
        #expect(try Self.devWallet.accountPrivateKey(index: UInt32(index)) == key)
    }

    /// BIP-39 reference vectors (trezor/python-mnemonic vectors.json, quoted in BIP-39 "Test vectors"):
    /// "abandon … about" with passphrase "TREZOR".
    @Test func bip39TrezorVector() {
        let seed = Mnemonic.seed(from: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
                                 passphrase: "TREZOR")
        #expect(seed == TestSupport.bytes("c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"))
    }

    /// BIP-32 "Test vector 1", seed 000102…0f: each published xprv, Base58Check-decoded
    /// (78 bytes: version 4, depth 1, fingerprint 4, child number 4, chain code 32, 0x00 ‖ key 32).
    static let bip32Vector1: [(path: String, xprv: String)] = [
        ("m", "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"),
        ("m/0'", "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7"),
        ("m/0'/1", "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs"),
        ("m/0'/1/2'", "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM"),
        ("m/0'/1/2'/2", "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334"),
        ("m/0'/1/2'/2/1000000000", "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76"),
    ]

    @Test(arguments: bip32Vector1.indices)
    func bip32TestVector1(_ index: Int) throws {
        let (path, xprv) = Self.bip32Vector1[index]
        let payload = TestSupport.base58CheckDecode(xprv) { SHA256.hash($0).bytes }
        #expect(payload.count == 78)
        let master = try ExtendedPrivateKey(seed: TestSupport.bytes("000102030405060708090a0b0c0d0e0f"))
        let derived = try master.derived(along: DerivationPath(path))
        #expect(derived.chainCode == Array(payload[13..<45]))
        #expect(derived.privateKey.bytes == Array(payload[46..<78]))
    }

    @Test func pathParsing() throws {
        #expect(try DerivationPath("m/44'/60'/0'/0/3").indices == [0x8000_002C, 0x8000_003C, 0x8000_0000, 0, 3])
        #expect(try DerivationPath("m/44h/60H/0").indices == [0x8000_002C, 0x8000_003C, 0])
        #expect(try DerivationPath("m").indices == [])
        #expect(try DerivationPath("m/44'/60'/0'/0/3").description == "m/44'/60'/0'/0/3")
    }

    @Test func badPathsAreTyped() {
        #expect(throws: HDWalletError.pathMustStartWithM(path: "44'/60'")) { try DerivationPath("44'/60'") }
        #expect(throws: HDWalletError.invalidPathComponent(path: "m/44'/x", component: "x")) { try DerivationPath("m/44'/x") }
        #expect(throws: HDWalletError.invalidPathComponent(path: "m//1", component: "")) { try DerivationPath("m//1") }
        #expect(throws: HDWalletError.invalidPathComponent(path: "m/1/", component: "")) { try DerivationPath("m/1/") }
        #expect(throws: HDWalletError.invalidPathComponent(path: "m/-1", component: "-1")) { try DerivationPath("m/-1") }
        #expect(throws: HDWalletError.pathIndexOutOfRange(path: "m/2147483648", component: "2147483648")) {
            try DerivationPath("m/2147483648")
        }
        #expect(throws: HDWalletError.pathMustStartWithM(path: "n/0")) { try Self.devWallet.derivePrivateKey(path: "n/0") }
    }

    @Test func seedLengthIsChecked() {
        #expect(throws: HDWalletError.invalidSeedLength(15)) { try ExtendedPrivateKey(seed: [UInt8](repeating: 1, count: 15)) }
    }
}
