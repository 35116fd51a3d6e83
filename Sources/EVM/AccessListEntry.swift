import Primitives

/// One entry of an EIP-2930 access list: an address and storage keys to pre-warm.
public struct AccessListEntry: Sendable, Hashable {
    /// The account to warm.
    public var address: Address
    /// Its storage keys to warm.
    public var storageKeys: [UInt256]

    /// Creates an entry.
    /// - Parameters:
    ///   - address: the account.
    ///   - storageKeys: the slots.
    public init(address: Address, storageKeys: [UInt256]) {
        self.address = address; self.storageKeys = storageKeys
    }
}
