import Primitives

/// The world state's cached view of one account: the trie fields, the code once loaded, and
/// whether the account exists at all (a record with `exists == false` caches "no such account",
/// so a database is asked once).
@usableFromInline
struct AccountRecord: Sendable {
    /// Nonce, balance, code hash, and the storage root as of the last commit.
    @usableFromInline var account: Account
    /// The code, nil until loaded from the database (always set for in-memory state).
    @usableFromInline var code: [UInt8]?
    /// Whether the account exists in the state trie sense (possibly empty).
    @usableFromInline var exists: Bool

    /// The record of an address with no account.
    @usableFromInline static let absent = AccountRecord(account: Account(), code: [], exists: false)

    @usableFromInline init(account: Account, code: [UInt8]?, exists: Bool) {
        self.account = account; self.code = code; self.exists = exists
    }
}
