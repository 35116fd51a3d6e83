/// Why an HD wallet key could not be derived.
public enum HDWalletError: Error, Equatable, CustomStringConvertible {
    /// A BIP-32 seed was not 16 to 64 bytes long.
    case invalidSeedLength(Int)
    /// The seed gave a master key of zero or ≥ n; BIP-32 calls such a seed invalid.
    case invalidMasterKey
    /// Deriving this child index gave an invalid key (probability below 2⁻¹²⁷); BIP-32 says to use the next index.
    case invalidChildKey(index: UInt32)
    /// The derivation path does not begin with "m".
    case pathMustStartWithM(path: String)
    /// A path component is empty or not a decimal number with an optional ' or h suffix.
    case invalidPathComponent(path: String, component: String)
    /// A path component's number is 2³¹ or more (hardened indices are written with ' instead).
    case pathIndexOutOfRange(path: String, component: String)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .invalidSeedLength(let length):
            return "BIP-32 seed is \(length) bytes, expected 16 to 64"
        case .invalidMasterKey:
            return "the seed gives an invalid BIP-32 master key (zero or not below n); use another seed"
        case .invalidChildKey(let index):
            return "BIP-32 child \(index) of this key is invalid; derive index \(index &+ 1) instead"
        case .pathMustStartWithM(let path):
            return "derivation path \"\(path)\" must start with \"m\", as in \"m/44'/60'/0'/0/0\""
        case .invalidPathComponent(let path, let component):
            return "derivation path \"\(path)\" has component \"\(component)\", expected a number optionally followed by ' or h"
        case .pathIndexOutOfRange(let path, let component):
            return "derivation path \"\(path)\" has index \"\(component)\", expected at most 2147483647 before the hardened mark"
        }
    }
}
