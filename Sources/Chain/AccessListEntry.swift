import Primitives

/// One entry of an EIP-2930 access list: an address and the storage slots of it that the
/// transaction declares it will touch, which are then warm from the start (EIP-2929 pricing).
///
/// RLP: `[address (20 bytes), [slot (32 bytes), …]]`; an access list is a list of these.
public struct AccessListEntry: Hashable, Sendable {
    /// The account whose access is declared.
    public var address: Address
    /// The declared storage slots, as 32-byte keys; duplicates are allowed and each is charged.
    public var storageKeys: [Hash32]

    /// Creates an access-list entry.
    /// - Parameters:
    ///   - address: the account.
    ///   - storageKeys: its declared storage slots.
    public init(address: Address, storageKeys: [Hash32] = []) {
        self.address = address
        self.storageKeys = storageKeys
    }
}
