import Marketplace
import Primitives
import Testing

/// The worked examples of the Solidity "Contract ABI Specification" (docs/abi-spec.rst, sections
/// "Examples" and "Use of Dynamic Types"); the expected hex is typed from the spec text.
@Suite struct ABISpecExampleTests {
    @Test func bazUint32Bool() throws {
        let baz = try ABIFunction("baz(uint32,bool)", returns: "(bool)")
        #expect(baz.selector == TestSupport.bytes("cdcd77c0"))
        let callData = try baz.encodeCall([.uint(69), .bool(true)])
        #expect(callData == TestSupport.bytes("""
            0xcdcd77c0
            0000000000000000000000000000000000000000000000000000000000000045
            0000000000000000000000000000000000000000000000000000000000000001
            """))
        #expect(try baz.decodeCall(callData) == [.uint(69), .bool(true)])
        // "If, for example, it were to return false, its output would be the single byte array 0x00…00".
        #expect(try baz.decodeOutput([UInt8](repeating: 0, count: 32)) == [.bool(false)])
    }

    @Test func barFixedArrayOfBytes3() throws {
        let bar = try ABIFunction("bar(bytes3[2])")
        #expect(bar.selector == TestSupport.bytes("fce353f6"))
        let arguments: [ABIValue] = [.array([.fixedBytes(Array("abc".utf8)), .fixedBytes(Array("def".utf8))])]
        let callData = try bar.encodeCall(arguments)
        #expect(callData == TestSupport.bytes("""
            0xfce353f6
            6162630000000000000000000000000000000000000000000000000000000000
            6465660000000000000000000000000000000000000000000000000000000000
            """))
        #expect(try bar.decodeCall(callData) == arguments)
    }

    @Test func samBytesBoolUintArray() throws {
        // `uint` is replaced by its canonical uint256 in the signature.
        let sam = try ABIFunction("sam(bytes,bool,uint[])")
        #expect(sam.signature == "sam(bytes,bool,uint256[])")
        #expect(sam.selector == TestSupport.bytes("a5643bf2"))
        let arguments: [ABIValue] = [.bytes(Array("dave".utf8)), .bool(true), .array([.uint(1), .uint(2), .uint(3)])]
        let callData = try sam.encodeCall(arguments)
        #expect(callData.count == 292)
        #expect(callData == TestSupport.bytes("""
            0xa5643bf2
            0000000000000000000000000000000000000000000000000000000000000060
            0000000000000000000000000000000000000000000000000000000000000001
            00000000000000000000000000000000000000000000000000000000000000a0
            0000000000000000000000000000000000000000000000000000000000000004
            6461766500000000000000000000000000000000000000000000000000000000
            0000000000000000000000000000000000000000000000000000000000000003
            0000000000000000000000000000000000000000000000000000000000000001
            0000000000000000000000000000000000000000000000000000000000000002
            0000000000000000000000000000000000000000000000000000000000000003
            """))
        #expect(try sam.decodeCall(callData) == arguments)
    }

    @Test func dynamicTypesExampleF() throws {
        let f = try ABIFunction("f(uint,uint32[],bytes10,bytes)")
        #expect(f.signature == "f(uint256,uint32[],bytes10,bytes)")
        #expect(f.selector == TestSupport.bytes("8be65246"))
        let arguments: [ABIValue] = [.uint(0x123), .array([.uint(0x456), .uint(0x789)]),
                                     .fixedBytes(Array("1234567890".utf8)), .bytes(Array("Hello, world!".utf8))]
        let callData = try f.encodeCall(arguments)
        #expect(callData == TestSupport.bytes("""
            0x8be65246
            0000000000000000000000000000000000000000000000000000000000000123
            0000000000000000000000000000000000000000000000000000000000000080
            3132333435363738393000000000000000000000000000000000000000000000
            00000000000000000000000000000000000000000000000000000000000000e0
            0000000000000000000000000000000000000000000000000000000000000002
            0000000000000000000000000000000000000000000000000000000000000456
            0000000000000000000000000000000000000000000000000000000000000789
            000000000000000000000000000000000000000000000000000000000000000d
            48656c6c6f2c20776f726c642100000000000000000000000000000000000000
            """))
        #expect(try f.decodeCall(callData) == arguments)
    }

    @Test func dynamicTypesExampleG() throws {
        let g = try ABIFunction("g(uint[][],string[])")
        #expect(g.selector == TestSupport.bytes("2289b18c"))
        let arguments: [ABIValue] = [
            .array([.array([.uint(1), .uint(2)]), .array([.uint(3)])]),
            .array([.string("one"), .string("two"), .string("three")]),
        ]
        let callData = try g.encodeCall(arguments)
        // Lines 0–19 of the spec's table, with f = 0x40 and g = 0x140 as it computes them.
        #expect(callData == TestSupport.bytes("""
            0x2289b18c
            0000000000000000000000000000000000000000000000000000000000000040
            0000000000000000000000000000000000000000000000000000000000000140
            0000000000000000000000000000000000000000000000000000000000000002
            0000000000000000000000000000000000000000000000000000000000000040
            00000000000000000000000000000000000000000000000000000000000000a0
            0000000000000000000000000000000000000000000000000000000000000002
            0000000000000000000000000000000000000000000000000000000000000001
            0000000000000000000000000000000000000000000000000000000000000002
            0000000000000000000000000000000000000000000000000000000000000001
            0000000000000000000000000000000000000000000000000000000000000003
            0000000000000000000000000000000000000000000000000000000000000003
            0000000000000000000000000000000000000000000000000000000000000060
            00000000000000000000000000000000000000000000000000000000000000a0
            00000000000000000000000000000000000000000000000000000000000000e0
            0000000000000000000000000000000000000000000000000000000000000003
            6f6e650000000000000000000000000000000000000000000000000000000000
            0000000000000000000000000000000000000000000000000000000000000003
            74776f0000000000000000000000000000000000000000000000000000000000
            0000000000000000000000000000000000000000000000000000000000000005
            7468726565000000000000000000000000000000000000000000000000000000
            """))
        #expect(try g.decodeCall(callData) == arguments)
    }
}
