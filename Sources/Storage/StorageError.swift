/// Why a store operation failed. Never a crash: LevelDB's own message is carried through.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// The database could not be opened (missing directory, held lock, corruption); LevelDB's message.
    case openFailed(path: String, message: String)
    /// A read failed inside LevelDB; its message.
    case readFailed(String)
    /// A write or batch failed inside LevelDB; its message. Nothing of the batch was applied.
    case writeFailed(String)
    /// The store was closed and can no longer be used.
    case closed

    /// A one-line message for users, naming the path or LevelDB's own words.
    public var description: String {
        switch self {
        case .openFailed(let path, let message): return "cannot open database at \(path): \(message)"
        case .readFailed(let message): return "database read failed: \(message)"
        case .writeFailed(let message): return "database write failed: \(message)"
        case .closed: return "database is closed"
        }
    }
}
