import Marketplace
import Primitives
import Testing

/// Random typed values (nested arrays, fixed arrays and tuples of every elementary type) encoded by
/// eth-abi 5 in the venv (scripts/marketplace_vectors.py abi): the Swift codec must produce the same
/// bytes and decode them back to the same values.
@Suite struct ABIEthABIPropertyTests {
    static let seeds = [1, 2, 3]
    static let casesPerSeed = 200

    @Test(arguments: seeds) func encodesAndDecodesLikeEthABI(seed: Int) throws {
        let cases = try TestSupport.vectors(["abi", "--seed", String(seed), "--count", String(Self.casesPerSeed)])
        #expect(cases.arrayElements.count == Self.casesPerSeed)
        var nestedDynamic = 0
        for (index, vector) in cases.arrayElements.enumerated() {
            let types = try vector["types"]!.arrayElements.map { try ABIType(parsing: $0.stringValue!) }
            let values = zip(types, vector["values"]!.arrayElements).map { Self.value($1, as: $0) }
            let expected = TestSupport.bytes(vector.string("encoding"))
            let label = "seed \(seed) case \(index): \(ABIType.tuple(types)) = \(values)"
            #expect(try ABI.encode(values, as: types) == expected, "\(label)")
            #expect(try ABI.decode(types, from: expected) == values, "\(label)")
            if types.contains(where: Self.hasNestedDynamic) { nestedDynamic += 1 }
        }
        // The generator must actually exercise dynamic types inside arrays and tuples.
        #expect(nestedDynamic >= Self.casesPerSeed / 10, "only \(nestedDynamic) cases nest dynamic types")
    }

    /// Whether a dynamic type sits inside an array or tuple.
    static func hasNestedDynamic(_ type: ABIType) -> Bool {
        switch type {
        case .array(let element), .fixedArray(let element, _): return element.isDynamic || hasNestedDynamic(element)
        case .tuple(let components): return components.contains { $0.isDynamic || hasNestedDynamic($0) }
        default: return false
        }
    }

    /// The script's JSON form of a value back into an `ABIValue`, guided by the type.
    static func value(_ json: JSON, as type: ABIType) -> ABIValue {
        switch type {
        case .uint: return .uint(UInt256(decimal: json.stringValue!)!)
        case .int:
            let text = json.stringValue!
            if text.hasPrefix("-") { return .int(UInt256(decimal: String(text.dropFirst()))!.negated) }
            return .int(UInt256(decimal: text)!)
        case .address: return .address(try! Address(hex: json.stringValue!))
        case .bool: return .bool(json == .bool(true))
        case .fixedBytes: return .fixedBytes(TestSupport.bytes(json.stringValue!))
        case .bytes: return .bytes(TestSupport.bytes(json.stringValue!))
        case .string: return .string(json.stringValue!)
        case .array(let element), .fixedArray(let element, _):
            return .array(json.arrayElements.map { value($0, as: element) })
        case .tuple(let components):
            return .tuple(zip(components, json.arrayElements).map { value($1, as: $0) })
        }
    }
}
