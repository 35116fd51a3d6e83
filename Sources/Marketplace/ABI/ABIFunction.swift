import Primitives

/// A contract function: its name, argument and return types, and how calls to it are encoded
/// (spec: call data = the 4-byte selector, keccak256 of the canonical signature, then the arguments
/// encoded as a tuple; return data = the return values encoded as a tuple).
public struct ABIFunction: Hashable, Sendable, CustomStringConvertible {
    /// The function's name.
    public let name: String
    /// The argument types, in order.
    public let inputs: [ABIType]
    /// The return types, in order.
    public let outputs: [ABIType]
    /// Whether the function accepts ether (`payable`).
    public let isPayable: Bool

    /// Creates a function from its parts.
    /// - Parameters:
    ///   - name: the name.
    ///   - inputs: the argument types.
    ///   - outputs: the return types.
    ///   - isPayable: whether it accepts ether.
    public init(name: String, inputs: [ABIType], outputs: [ABIType] = [], isPayable: Bool = false) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.isPayable = isPayable
    }

    /// Parses a signature such as "baz(uint32,bool)" and an optional return tuple such as "(bool)".
    /// - Parameters:
    ///   - signature: `name(types…)`; `uint` is read as uint256.
    ///   - returns: the return types as a tuple, "()" for none.
    ///   - isPayable: whether it accepts ether.
    /// - Throws: `ABIError.invalidType` naming the bad part.
    public init(_ signature: String, returns: String = "()", isPayable: Bool = false) throws(ABIError) {
        guard let open = signature.firstIndex(of: "("), open != signature.startIndex else {
            throw .invalidType(signature, reason: "a signature is name(types…)")
        }
        let name = String(signature[..<open])
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "$") }) else {
            throw .invalidType(signature, reason: "\"\(name)\" is not an identifier")
        }
        guard case .tuple(let inputs) = try ABIType(parsing: String(signature[open...])) else {
            throw .invalidType(signature, reason: "the arguments are not a parenthesised list")
        }
        guard case .tuple(let outputs) = try ABIType(parsing: returns) else {
            throw .invalidType(returns, reason: "return types are written as a tuple, e.g. \"(bool)\"")
        }
        self.init(name: name, inputs: inputs, outputs: outputs, isPayable: isPayable)
    }

    /// The canonical signature, "name(type1,type2)".
    public var signature: String { name + ABIType.tuple(inputs).description }

    /// The canonical signature.
    public var description: String { signature }

    /// The 4-byte selector: the first bytes of keccak256(signature).
    public var selector: [UInt8] { ABI.selector(signature) }

    /// Call data for a call with these arguments.
    /// - Parameter arguments: one value per input.
    /// - Returns: selector ‖ encoded arguments.
    /// - Throws: `ABIError` naming the argument that does not fit.
    public func encodeCall(_ arguments: [ABIValue]) throws(ABIError) -> [UInt8] {
        selector + (try ABI.encode(arguments, as: inputs))
    }

    /// The arguments in call data made for this function.
    /// - Parameter callData: selector ‖ encoded arguments.
    /// - Returns: one value per input.
    /// - Throws: `ABIError.selectorMismatch` or a decoding error.
    public func decodeCall(_ callData: [UInt8]) throws(ABIError) -> [ABIValue] {
        let expected = selector
        guard callData.count >= 4, Array(callData.prefix(4)) == expected else {
            throw .selectorMismatch(function: signature, expected: Hex.encode(expected),
                                    actual: Hex.encode(callData.prefix(4)))
        }
        return try ABI.decode(inputs, from: Array(callData.dropFirst(4)))
    }

    /// The return values in a call's output.
    /// - Parameter returnData: the encoded return tuple.
    /// - Returns: one value per output.
    /// - Throws: a decoding error.
    public func decodeOutput(_ returnData: [UInt8]) throws(ABIError) -> [ABIValue] {
        try ABI.decode(outputs, from: returnData)
    }
}
