import Primitives

/// What a contract's revert data says (Solidity docs, "Error handling: Assert, Require, Revert and
/// Exceptions"; Vyper's `assert … , "reason"` and `raise "reason"` produce the same `Error(string)`).
///
/// - `Error(string)`, selector 0x08c379a0: a reason string from `require`/`revert`/`assert … , "…"`.
/// - `Panic(uint256)`, selector 0x4e487b71: a Solidity panic code (0x11 overflow, 0x12 division by
///   zero, 0x32 index out of bounds, …).
/// - Anything else is a custom error (a selector and its arguments) or nothing at all.
public enum ABIRevertReason: Hashable, Sendable, CustomStringConvertible {
    /// The revert carried no data (`revert()`, a bare `assert`, out-of-gas is not a revert).
    case empty
    /// `Error(string)` with its reason.
    case error(String)
    /// `Panic(uint256)` with its code.
    case panic(UInt256)
    /// Data that is neither: a custom error's selector and arguments, or malformed data.
    case custom(selector: [UInt8], arguments: [UInt8])

    /// The `Error(string)` function.
    public static let errorFunction = ABIFunction(name: "Error", inputs: [.string])
    /// The `Panic(uint256)` function.
    public static let panicFunction = ABIFunction(name: "Panic", inputs: [.uint256])

    /// Reads revert data.
    /// - Parameter data: the REVERT output (the `data` of a JSON-RPC error with code 3).
    public init(data: [UInt8]) {
        if data.isEmpty {
            self = .empty
        } else if let values = try? Self.errorFunction.decodeCall(data), let reason = values[0].stringValue {
            self = .error(reason)
        } else if let values = try? Self.panicFunction.decodeCall(data), let code = values[0].uintValue {
            self = .panic(code)
        } else {
            self = .custom(selector: Array(data.prefix(4)), arguments: Array(data.dropFirst(4)))
        }
    }

    /// The reason string of an `Error(string)`, else nil.
    public var reason: String? {
        if case .error(let reason) = self { return reason }
        return nil
    }

    /// What Solidity's panic codes mean (Solidity docs, "Panic via assert and Error via require").
    public static func panicMeaning(_ code: UInt256) -> String {
        switch code.uint64IfFits {
        case 0x00: return "generic compiler panic"
        case 0x01: return "assertion failed"
        case 0x11: return "arithmetic overflow or underflow"
        case 0x12: return "division or modulo by zero"
        case 0x21: return "invalid enum value"
        case 0x22: return "invalid storage byte array encoding"
        case 0x31: return "pop on an empty array"
        case 0x32: return "array index out of bounds"
        case 0x41: return "out of memory"
        case 0x51: return "call to an uninitialised internal function"
        default: return "unknown panic code"
        }
    }

    /// "reverted: <reason>", "panic 0x11 (arithmetic overflow or underflow)", "reverted without a reason".
    public var description: String {
        switch self {
        case .empty: return "reverted without a reason"
        case .error(let reason): return "reverted: \(reason)"
        case .panic(let code): return "panic \(code.hexQuantity) (\(Self.panicMeaning(code)))"
        case .custom(let selector, let arguments):
            return "reverted with custom error \(Hex.encode(selector))" + (arguments.isEmpty ? "" : " and \(arguments.count) bytes of arguments")
        }
    }
}
