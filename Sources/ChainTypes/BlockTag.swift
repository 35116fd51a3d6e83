import Primitives

/// Which block a request means: a number, a hash (EIP-1898), or one of the tags web3 clients send.
///
/// On this single-authority (or small PoA) chain every sealed block is final at once, so `safe` and
/// `finalized` name the head, as they do on anvil. `pending` names the head too for state reads
/// (the pool's pending nonce is `Node.nonce(of:at:)` with `.pending`), and for `blockByTag` the
/// block the next `mine` would seal is not built in advance, so it returns the head.
public enum BlockTag: Hashable, Sendable, CustomStringConvertible {
    /// The head block.
    case latest
    /// Block 0.
    case earliest
    /// The head state plus the pool (nonces); the head block otherwise.
    case pending
    /// The head (PoA blocks are final when sealed).
    case safe
    /// The head (PoA blocks are final when sealed).
    case finalized
    /// The canonical block with this number.
    case number(UInt64)
    /// The block with this hash (canonical or not).
    case hash(Hash32)

    /// The tag as JSON-RPC writes it ("latest", "0x1a", a hash).
    public var description: String {
        switch self {
        case .latest: return "latest"
        case .earliest: return "earliest"
        case .pending: return "pending"
        case .safe: return "safe"
        case .finalized: return "finalized"
        case .number(let number): return "0x" + String(number, radix: 16)
        case .hash(let hash): return hash.description
        }
    }
}
