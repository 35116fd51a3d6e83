import ChainTypes
import Primitives
import Signatures

/// The development accounts anvil and Hardhat print: BIP-44 keys m/44'/60'/0'/0/i of the mnemonic
/// "test test test test test test test test test test test junk" (Genesis/dev.json funds the first
/// ten; account 0, 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, is the dev chain's Clique signer).
public enum DevAccounts {
    /// The well-known test mnemonic. Its keys are public: never use them on a real network.
    public static let mnemonic = "test test test test test test test test test test test junk"
    /// The derivation path prefix; account i is at `derivationPath` + "/i".
    public static let derivationPath = HDWallet.ethereumPathPrefix
    /// How many accounts the dev genesis funds.
    public static let count = 10

    /// Derives the first `count` account keys of a mnemonic.
    /// - Parameters:
    ///   - count: how many keys (default 10).
    ///   - mnemonic: the BIP-39 sentence (default the test mnemonic).
    /// - Returns: the keys, account 0 first.
    /// - Throws: `HDWalletError` if derivation fails.
    public static func keys(count: Int = DevAccounts.count,
                            mnemonic: String = DevAccounts.mnemonic) throws(HDWalletError) -> [PrivateKey] {
        let wallet = try HDWallet(mnemonic: mnemonic)
        var keys: [PrivateKey] = []
        for index in 0 ..< UInt32(count) { keys.append(try wallet.accountPrivateKey(index: index)) }
        return keys
    }
}
