/// Why a state-test file could not be read. A case whose transaction is invalid is not a
/// `StateTestError`: it is a result to compare with `expectException`.
public enum StateTestError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not JSON, or its top level is not an object of tests.
    case notJSON(path: String, reason: String)
    /// A required field is missing or has the wrong JSON type.
    case missingField(test: String, field: String)
    /// A field's text is not the hex number, address or bytes expected.
    case invalidValue(test: String, field: String, value: String, expected: String)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .notJSON(let path, let reason): return "\(path) is not a JSON object of state tests: \(reason)"
        case .missingField(let test, let field): return "test \(test): missing field \"\(field)\""
        case .invalidValue(let test, let field, let value, let expected):
            return "test \(test): field \"\(field)\" is \"\(value.prefix(80))\", expected \(expected)"
        }
    }
}
