/// A BIP-32 derivation path such as "m/44'/60'/0'/0/3" (BIP-32 "The key tree"; BIP-44 for the
/// Ethereum layout m / purpose' / coin_type' / account' / change / address_index).
///
/// Text form: "m", then "/"-separated decimal indices below 2³¹, each optionally followed by "'"
/// or "h" (or "H") for a hardened index i + 2³¹. Whitespace is not allowed.
public struct DerivationPath: Hashable, Sendable, CustomStringConvertible {
    /// The offset of hardened indices, 2³¹.
    public static let hardenedOffset: UInt32 = 0x8000_0000

    /// The child indices from the master key down; hardened ones include the 2³¹ offset.
    public let indices: [UInt32]

    /// Creates a path from indices.
    /// - Parameter indices: the child indices, hardened ones with the 2³¹ offset.
    public init(indices: [UInt32]) {
        self.indices = indices
    }

    /// Parses a path.
    /// - Parameter text: e.g. "m/44'/60'/0'/0/3"; "m" alone is the master key.
    /// - Throws: `HDWalletError.pathMustStartWithM`, `.invalidPathComponent` or `.pathIndexOutOfRange`.
    public init(_ text: String) throws(HDWalletError) {
        var components = text.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = components.first, first == "m" || first == "M" else { throw .pathMustStartWithM(path: text) }
        components.removeFirst()
        var indices: [UInt32] = []
        indices.reserveCapacity(components.count)
        for component in components {
            var digits = Substring(component)
            var isHardened = false
            if let last = digits.last, last == "'" || last == "h" || last == "H" {
                isHardened = true
                digits = digits.dropLast()
            }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidPathComponent(path: text, component: String(component))
            }
            guard let value = UInt32(digits), value < DerivationPath.hardenedOffset else {
                throw .pathIndexOutOfRange(path: text, component: String(component))
            }
            indices.append(isHardened ? value | DerivationPath.hardenedOffset : value)
        }
        self.indices = indices
    }

    /// The text form, with "'" marking hardened indices.
    public var description: String {
        (["m"] + indices.map { $0 >= DerivationPath.hardenedOffset ? "\($0 - DerivationPath.hardenedOffset)'" : "\($0)" })
            .joined(separator: "/")
    }
}
