import Marketplace
import Primitives
import Signatures
import Testing

/// EIP-712 against the EIP's own Mail example (assets/eip-712/Example.js and Example.sol) and
/// against eth-account's `encode_typed_data` + `Account.sign_message` on random BenchmarkResults.
@Suite struct EIP712Tests {
    static let mailTypes = EIP712Types([
        "Person": [.init("name", "string"), .init("wallet", "address")],
        "Mail": [.init("from", "Person"), .init("to", "Person"), .init("contents", "string")],
    ])

    static func mail() throws -> ABIValue {
        .tuple([
            .tuple([.string("Cow"), .address(try Address(hex: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"))]),
            .tuple([.string("Bob"), .address(try Address(hex: "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"))]),
            .string("Hello, Bob!"),
        ])
    }

    @Test func mailExampleFromTheEIP() throws {
        #expect(try Self.mailTypes.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        let domain = EIP712Domain(name: "Ether Mail", version: "1", chainId: 1,
                                  verifyingContract: try Address(hex: "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"))
        #expect(domain.separator == (try Hash32(hex: "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")))
        let structHash = try Self.mailTypes.hashStruct("Mail", try Self.mail())
        #expect(structHash == (try Hash32(hex: "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")))
        let digest = EIP712.digest(domainSeparator: domain.separator, structHash: structHash)
        #expect(digest == (try Hash32(hex: "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")))
        // Example.js signs with keccak256("cow"); Example.sol checks v = 28 and these r, s.
        let cow = try PrivateKey(bytes: Keccak256.hash(Array("cow".utf8)).bytes)
        #expect(cow.address == (try Address(hex: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")))
        let signature = EIP712.sign(digest: digest, with: cow)
        #expect(signature == TestSupport.bytes("""
            4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d
            07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562
            1c
            """))
        #expect(try EIP712.recoverSigner(digest: digest, signature: signature) == cow.address)
    }

    @Test func benchmarkResultTypeIsTheIssuesString() throws {
        #expect(try BenchmarkResult.types.encodeType("BenchmarkResult") == BenchmarkResult.encodedType)
        #expect(BenchmarkResult.encodedType == "BenchmarkResult(uint256 taskId,uint256 modelId,bytes32 modelHash,"
                + "bytes32 datasetHash,uint16 accuracyBps,bytes32 logitsHash,bytes32 keyForBuyerHash)")
    }

    @Test(arguments: [11, 12]) func benchmarkResultMatchesEthAccount(seed: Int) throws {
        let cases = try TestSupport.vectors(["eip712", "--seed", String(seed), "--count", "40"]).arrayElements
        #expect(cases.count == 40)
        for (index, vector) in cases.enumerated() {
            let key = try PrivateKey(bytes: TestSupport.bytes(vector.string("key")))
            let domain = EIP712Domain.goldenGrain(chainId: vector.uint256("chainId"),
                                                  marketplace: try Address(hex: vector.string("verifyingContract")))
            let result = BenchmarkResult(
                taskId: vector.uint256("taskId"), modelId: vector.uint256("modelId"),
                modelHash: try Hash32(hex: vector.string("modelHash")), datasetHash: try Hash32(hex: vector.string("datasetHash")),
                accuracyBps: UInt16(vector.uint256("accuracyBps").low64),
                logitsHash: try Hash32(hex: vector.string("logitsHash")),
                keyForBuyerHash: try Hash32(hex: vector.string("keyForBuyerHash")))
            let label = "seed \(seed) case \(index)"
            #expect(domain.separator == (try Hash32(hex: vector.string("domainSeparator"))), "\(label)")
            #expect(result.structHash == (try Hash32(hex: vector.string("structHash"))), "\(label)")
            #expect(result.digest(in: domain) == (try Hash32(hex: vector.string("digest"))), "\(label)")
            let signature = result.signature(with: key, in: domain)
            #expect(signature == TestSupport.bytes(vector.string("signature")), "\(label)")
            #expect(try result.signer(of: signature, in: domain) == (try Address(hex: vector.string("address"))), "\(label)")
        }
    }

    @Test func signerChecksTheContractsRules() throws {
        let key = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [7])
        let result = BenchmarkResult(taskId: 1, modelId: 2, modelHash: .zero, datasetHash: .zero, accuracyBps: 9000,
                                     logitsHash: .zero, keyForBuyerHash: .zero)
        let domain = EIP712Domain.goldenGrain(chainId: 31337, marketplace: try Address(hex: "0x0000000000000000000000000000000000002000"))
        let signature = result.signature(with: key, in: domain)
        #expect(signature[64] == 27 || signature[64] == 28)
        #expect(try result.signer(of: signature, in: domain) == key.address)
        // Another chain id, another marketplace or another accuracy recover someone else.
        #expect(try result.signer(of: signature, in: .goldenGrain(chainId: 1, marketplace: domain.verifyingContract!)) != key.address)
        var altered = result
        altered.accuracyBps = 9001
        #expect(try altered.signer(of: signature, in: domain) != key.address)
        // v of 0/1, 64 bytes, and the high-s twin are refused.
        var lowV = signature
        lowV[64] -= 27
        #expect(throws: EIP712Error.self) { try result.signer(of: lowV, in: domain) }
        #expect(throws: EIP712Error.self) { try result.signer(of: Array(signature.prefix(64)), in: domain) }
        let n = try UInt256(hex: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        let highS = n &- UInt256(bigEndianBytes: signature[32..<64])
        let twin = Array(signature[0..<32]) + highS.bigEndianBytes + [signature[64] == 27 ? 28 : 27]
        #expect(throws: EIP712Error.self) { try result.signer(of: twin, in: domain) }
    }

    @Test func nestedArraysAndBytesFollowTheEncodingRules() throws {
        // encodeData of T[] is keccak256 of the elements' words; bytes and string are keccak256 of their contents.
        let types = EIP712Types(["Batch": [.init("ids", "uint64[]"), .init("blob", "bytes"), .init("tags", "string[2]")]])
        let value = ABIValue.tuple([.array([.uint(1), .uint(2)]), .bytes([0xab]), .array([.string("a"), .string("b")])])
        let typeHash = Keccak256.hash(Array("Batch(uint64[] ids,bytes blob,string[2] tags)".utf8))
        let ids = Keccak256.hash(UInt256(1).bigEndianBytes + UInt256(2).bigEndianBytes)
        let blob = Keccak256.hash([0xab])
        let tags = Keccak256.hash(Keccak256.hash(Array("a".utf8)).bytes + Keccak256.hash(Array("b".utf8)).bytes)
        #expect(try types.hashStruct("Batch", value) == Keccak256.hash(typeHash.bytes + ids.bytes + blob.bytes + tags.bytes))
        #expect(throws: EIP712Error.self) {
            try types.hashStruct("Batch", .tuple([.array([.uint(1)]), .bytes([]), .array([.string("only one")])]))
        }
        #expect(throws: EIP712Error.unknownType("Missing")) { try types.hashStruct("Missing", .tuple([])) }
    }
}
