/// A BIP-39/BIP-32 hierarchical deterministic wallet, as anvil, Hardhat, MetaMask and go-ethereum's
/// `accounts/usbwallet` derive Ethereum keys: mnemonic → seed (BIP-39) → master key (BIP-32) →
/// keys along BIP-44 paths m/44'/60'/0'/0/i.
///
/// The mnemonic's words and checksum are not validated (see `Mnemonic`).
public struct HDWallet: Sendable {
    /// The default Ethereum account path prefix (BIP-44, SLIP-44 coin type 60); append the index.
    public static let ethereumPathPrefix = "m/44'/60'/0'/0"

    /// The master extended key.
    public let master: ExtendedPrivateKey

    /// Derives the master key from a mnemonic sentence.
    /// - Parameters:
    ///   - mnemonic: the BIP-39 sentence.
    ///   - passphrase: the optional BIP-39 passphrase.
    /// - Throws: `HDWalletError.invalidMasterKey` in the (probability 2⁻¹²⁷) case that the seed
    ///   gives an invalid master key.
    public init(mnemonic: String, passphrase: String = "") throws(HDWalletError) {
        master = try ExtendedPrivateKey(seed: Mnemonic.seed(from: mnemonic, passphrase: passphrase))
    }

    /// Derives the private key at a path.
    /// - Parameter path: e.g. "m/44'/60'/0'/0/3".
    /// - Returns: the private key at that node.
    /// - Throws: `HDWalletError` for a malformed path or an invalid derived key.
    public func derivePrivateKey(path: String) throws(HDWalletError) -> PrivateKey {
        try master.derived(along: DerivationPath(path)).privateKey
    }

    /// Derives the i-th Ethereum account key, m/44'/60'/0'/0/i (the list anvil and Hardhat print).
    /// - Parameter index: the account index, below 2³¹.
    /// - Returns: the private key.
    /// - Throws: `HDWalletError` if the index is out of range or the derived key is invalid.
    public func accountPrivateKey(index: UInt32) throws(HDWalletError) -> PrivateKey {
        try derivePrivateKey(path: "\(HDWallet.ethereumPathPrefix)/\(index)")
    }
}
