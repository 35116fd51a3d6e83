import Testing
import ETH
import Primitives

/// EIP-2124 fork ids. Vectors: go-ethereum v1.13.15 core/forkid/forkid_test.go (`TestCreation`'s
/// mainnet cases, `TestValidation`, `TestEncoding`), with mainnet's genesis hash and fork
/// activations from go-ethereum v1.13.15 params/config.go (`MainnetGenesisHash`,
/// `MainnetChainConfig`): Homestead 1,150,000; DAO 1,920,000; EIP-150 2,463,000; EIP-155/158
/// 2,675,000; Byzantium 4,370,000; Constantinople/Petersburg 7,280,000; Istanbul 9,069,000; Muir
/// Glacier 9,200,000; Berlin 12,244,000; London 12,965,000; Arrow Glacier 13,773,000; Gray Glacier
/// 15,050,000; Shanghai at time 1,681,338,455; Cancun at time 1,710,338,135. Mainnet's genesis
/// timestamp is 0.
@Suite struct ForkIDTests {
    static let mainnetGenesis = try! Hash32(hex: "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")
    static let mainnetBlockForks: [UInt64] = [1_150_000, 1_920_000, 2_463_000, 2_675_000, 2_675_000, 4_370_000, 7_280_000,
                                              7_280_000, 9_069_000, 9_200_000, 12_244_000, 12_965_000, 13_773_000, 15_050_000]
    static let mainnet = ForkSchedule(genesisHash: mainnetGenesis, genesisTime: 0, blockForks: mainnetBlockForks,
                                      timeForks: [1_681_338_455, 1_710_338_135])
    /// TestValidation's `legacyConfig`: mainnet without Shanghai and Cancun.
    static let legacy = ForkSchedule(genesisHash: mainnetGenesis, genesisTime: 0, blockForks: mainnetBlockForks, timeForks: [])

    struct CreationCase: Sendable, CustomTestStringConvertible {
        var head: UInt64, time: UInt64, hash: UInt32, next: UInt64
        var testDescription: String { "head \(head) time \(time)" }
    }

    static let creationCases: [CreationCase] = [
        .init(head: 0, time: 0, hash: 0xfc64ec04, next: 1150000),                  // Unsynced
        .init(head: 1149999, time: 0, hash: 0xfc64ec04, next: 1150000),            // Last Frontier block
        .init(head: 1150000, time: 0, hash: 0x97c2c34c, next: 1920000),            // First Homestead block
        .init(head: 1919999, time: 0, hash: 0x97c2c34c, next: 1920000),            // Last Homestead block
        .init(head: 1920000, time: 0, hash: 0x91d1f948, next: 2463000),            // First DAO block
        .init(head: 2462999, time: 0, hash: 0x91d1f948, next: 2463000),            // Last DAO block
        .init(head: 2463000, time: 0, hash: 0x7a64da13, next: 2675000),            // First Tangerine block
        .init(head: 2674999, time: 0, hash: 0x7a64da13, next: 2675000),            // Last Tangerine block
        .init(head: 2675000, time: 0, hash: 0x3edd5b10, next: 4370000),            // First Spurious block
        .init(head: 4369999, time: 0, hash: 0x3edd5b10, next: 4370000),            // Last Spurious block
        .init(head: 4370000, time: 0, hash: 0xa00bc324, next: 7280000),            // First Byzantium block
        .init(head: 7279999, time: 0, hash: 0xa00bc324, next: 7280000),            // Last Byzantium block
        .init(head: 7280000, time: 0, hash: 0x668db0af, next: 9069000),            // First Constantinople/Petersburg block
        .init(head: 9068999, time: 0, hash: 0x668db0af, next: 9069000),            // Last Petersburg block
        .init(head: 9069000, time: 0, hash: 0x879d6e30, next: 9200000),            // First Istanbul block
        .init(head: 9199999, time: 0, hash: 0x879d6e30, next: 9200000),            // Last Istanbul block
        .init(head: 9200000, time: 0, hash: 0xe029e991, next: 12244000),           // First Muir Glacier block
        .init(head: 12243999, time: 0, hash: 0xe029e991, next: 12244000),          // Last Muir Glacier block
        .init(head: 12244000, time: 0, hash: 0x0eb440f6, next: 12965000),          // First Berlin block
        .init(head: 12964999, time: 0, hash: 0x0eb440f6, next: 12965000),          // Last Berlin block
        .init(head: 12965000, time: 0, hash: 0xb715077d, next: 13773000),          // First London block
        .init(head: 13772999, time: 0, hash: 0xb715077d, next: 13773000),          // Last London block
        .init(head: 13773000, time: 0, hash: 0x20c327fc, next: 15050000),          // First Arrow Glacier block
        .init(head: 15049999, time: 0, hash: 0x20c327fc, next: 15050000),          // Last Arrow Glacier block
        .init(head: 15050000, time: 0, hash: 0xf0afd0e3, next: 1681338455),        // First Gray Glacier block
        .init(head: 20000000, time: 1681338454, hash: 0xf0afd0e3, next: 1681338455), // Last Gray Glacier block
        .init(head: 20000000, time: 1681338455, hash: 0xdce96c2d, next: 1710338135), // First Shanghai block
        .init(head: 30000000, time: 1710338134, hash: 0xdce96c2d, next: 1710338135), // Last Shanghai block
        .init(head: 40000000, time: 1710338135, hash: 0x9f3d2254, next: 0),        // First Cancun block
        .init(head: 50000000, time: 2000000000, hash: 0x9f3d2254, next: 0),        // Future Cancun block
    ]

    @Test(arguments: creationCases)
    func mainnetCreation(_ testCase: CreationCase) {
        #expect(Self.mainnet.forkID(head: testCase.head, time: testCase.time) == ForkID(hash: testCase.hash, next: testCase.next))
    }

    enum Outcome: Sendable { case accept, remoteStale, localIncompatible }

    struct ValidationCase: Sendable, CustomTestStringConvertible {
        var isLegacy: Bool, head: UInt64, time: UInt64, hash: UInt32, next: UInt64, outcome: Outcome
        var testDescription: String { "\(isLegacy ? "legacy" : "mainnet") head \(head) time \(time) remote \(String(hash, radix: 16))/\(next)" }
    }

    static let max = UInt64.max
    /// checksumUpdate(0xf0afd0e3, MaxUint64), checksumUpdate(0xdce96c2d, MaxUint64),
    /// checksumUpdate(0x9f3d2254, MaxUint64), computed with the CRC under test (as go-ethereum's test does).
    static let grayGlacierPlusMax = CRC32.update(0xf0afd0e3, fork: .max)
    static let shanghaiPlusMax = CRC32.update(0xdce96c2d, fork: .max)
    static let cancunPlusMax = CRC32.update(0x9f3d2254, fork: .max)

    static let validationCases: [ValidationCase] = [
        // Block based tests (legacyConfig)
        .init(isLegacy: true, head: 15050000, time: 0, hash: 0xf0afd0e3, next: 0, outcome: .accept),
        .init(isLegacy: true, head: 15050000, time: 0, hash: 0xf0afd0e3, next: max, outcome: .accept),
        .init(isLegacy: true, head: 7279999, time: 0, hash: 0xa00bc324, next: 0, outcome: .accept),
        .init(isLegacy: true, head: 7279999, time: 0, hash: 0xa00bc324, next: 7280000, outcome: .accept),
        .init(isLegacy: true, head: 7279999, time: 0, hash: 0xa00bc324, next: max, outcome: .accept),
        .init(isLegacy: true, head: 7280000, time: 0, hash: 0xa00bc324, next: 7280000, outcome: .accept),
        .init(isLegacy: true, head: 7987396, time: 0, hash: 0xa00bc324, next: 7280000, outcome: .accept),
        .init(isLegacy: true, head: 7987396, time: 0, hash: 0x3edd5b10, next: 4370000, outcome: .accept),
        .init(isLegacy: true, head: 7279999, time: 0, hash: 0x668db0af, next: 0, outcome: .accept),
        .init(isLegacy: true, head: 4369999, time: 0, hash: 0xa00bc324, next: 0, outcome: .accept),
        .init(isLegacy: true, head: 7987396, time: 0, hash: 0xa00bc324, next: 0, outcome: .remoteStale),
        .init(isLegacy: true, head: 7987396, time: 0, hash: 0x5cddc0e1, next: 0, outcome: .localIncompatible),
        .init(isLegacy: true, head: 7279999, time: 0, hash: 0x5cddc0e1, next: 0, outcome: .localIncompatible),
        .init(isLegacy: true, head: 7987396, time: 0, hash: 0xafec6b27, next: 0, outcome: .localIncompatible),
        .init(isLegacy: true, head: 88888888, time: 0, hash: 0xf0afd0e3, next: 88888888, outcome: .localIncompatible),
        .init(isLegacy: true, head: 7279999, time: 0, hash: 0xa00bc324, next: 7279999, outcome: .localIncompatible),
        // Block to timestamp transition tests
        .init(isLegacy: false, head: 15050000, time: 0, hash: 0xf0afd0e3, next: 0, outcome: .accept),
        .init(isLegacy: false, head: 15050000, time: 0, hash: 0xf0afd0e3, next: 1681338455, outcome: .accept),
        .init(isLegacy: false, head: 15050000, time: 0, hash: 0xf0afd0e3, next: max, outcome: .accept),
        .init(isLegacy: false, head: 20000000, time: 1681338455, hash: 0xf0afd0e3, next: 1681338455, outcome: .accept),
        .init(isLegacy: false, head: 20123456, time: 1681338456, hash: 0xf0afd0e3, next: 1681338455, outcome: .accept),
        .init(isLegacy: false, head: 20000000, time: 1681338455, hash: 0x20c327fc, next: 15050000, outcome: .accept),
        .init(isLegacy: false, head: 15050000, time: 0, hash: 0xdce96c2d, next: 0, outcome: .accept),
        .init(isLegacy: false, head: 13773000, time: 0, hash: 0xf0afd0e3, next: 0, outcome: .accept),
        .init(isLegacy: false, head: 20000000, time: 1681338455, hash: 0xf0afd0e3, next: 0, outcome: .remoteStale),
        .init(isLegacy: false, head: 15050000, time: 0, hash: grayGlacierPlusMax, next: 0, outcome: .localIncompatible),
        .init(isLegacy: false, head: 15050000, time: 0, hash: shanghaiPlusMax, next: 0, outcome: .localIncompatible),
        .init(isLegacy: false, head: 888888888, time: 1660000000, hash: 0xf0afd0e3, next: 1660000000, outcome: .localIncompatible),
        .init(isLegacy: false, head: 19999999, time: 1667999999, hash: 0xf0afd0e3, next: 1667999999, outcome: .localIncompatible),
        // Timestamp based tests
        .init(isLegacy: false, head: 20000000, time: 1681338455, hash: 0xdce96c2d, next: 0, outcome: .accept),
        .init(isLegacy: false, head: 20000000, time: 1681338455, hash: 0xdce96c2d, next: max, outcome: .accept),
        .init(isLegacy: false, head: 20000000, time: 1668000000, hash: 0xdce96c2d, next: 0, outcome: .accept),
        .init(isLegacy: false, head: 20000000, time: 1668000000, hash: 0xdce96c2d, next: 1710338135, outcome: .accept),
        .init(isLegacy: false, head: 20000000, time: 1668000000, hash: 0xdce96c2d, next: max, outcome: .accept),
        .init(isLegacy: false, head: 21000000, time: 1710338135, hash: 0xdce96c2d, next: 1710338135, outcome: .accept),
        .init(isLegacy: false, head: 21123456, time: 1710338136, hash: 0xdce96c2d, next: 1710338135, outcome: .accept),
        .init(isLegacy: false, head: 21000000, time: 1700000000, hash: 0x9f3d2254, next: 0, outcome: .accept),
        .init(isLegacy: false, head: 21000000, time: 1710338135, hash: 0xdce96c2d, next: 0, outcome: .remoteStale),
        .init(isLegacy: false, head: 20000000, time: 1681338455, hash: shanghaiPlusMax, next: 0, outcome: .localIncompatible),
        .init(isLegacy: false, head: 20000000, time: 1668000000, hash: cancunPlusMax, next: 0, outcome: .localIncompatible),
        .init(isLegacy: false, head: 20000000, time: 1681338455, hash: 0x12345678, next: 0, outcome: .localIncompatible),
        .init(isLegacy: false, head: 88888888, time: 8888888888, hash: 0x9f3d2254, next: 8888888888, outcome: .localIncompatible),
        .init(isLegacy: false, head: 20999999, time: 1699999999, hash: 0x71147644, next: 1700000000, outcome: .localIncompatible),
    ]

    @Test(arguments: validationCases)
    func validation(_ testCase: ValidationCase) {
        let schedule = testCase.isLegacy ? Self.legacy : Self.mainnet
        let remote = ForkID(hash: testCase.hash, next: testCase.next)
        do {
            try schedule.validate(remote, head: testCase.head, time: testCase.time)
            #expect(testCase.outcome == .accept)
        } catch {
            switch error {
            case .remoteStale:
                #expect(testCase.outcome == .remoteStale, "\(error)")
                #expect(error.description.hasPrefix("remote needs update"))
            case .localIncompatibleOrStale:
                #expect(testCase.outcome == .localIncompatible, "\(error)")
                #expect(error.description.hasPrefix("local incompatible or needs update"))
            }
        }
    }

    @Test(arguments: [
        (ForkID(hash: 0, next: 0), "c6840000000080"),
        (ForkID(hash: 0xdeadbeef, next: 0xBADDCAFE), "ca84deadbeef84baddcafe"),
        (ForkID(hash: .max, next: .max), "ce84ffffffff88ffffffffffffffff"),
    ])
    func encoding(id: ForkID, hex: String) throws {
        let bytes = try [UInt8](hex: hex)
        #expect(id.encoded == bytes)
        #expect(try ForkID(encoded: bytes) == id)
    }

    /// CRC-32/IEEE check value: crc32("123456789") = 0xcbf43926 (the catalogue's standard check).
    @Test func crcCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xcbf43926)
    }

    /// go-ethereum TestTimeBasedForkInGenesis's rule: timestamped forks at or before the genesis time
    /// do not enter the checksum; the first later one is `next`.
    @Test func timedForksAtOrBeforeGenesisAreSkipped() {
        let genesis = Hash32((0 ..< 32).map { UInt8($0) })
        let time: UInt64 = 1690475657
        let expected = ForkID(hash: CRC32.checksum(genesis.bytes), next: time + 1)
        for (shanghai, cancun) in [(time - 1, time + 1), (time, time + 1), (time + 1, time + 2)] {
            let schedule = ForkSchedule(genesisHash: genesis, genesisTime: time, blockForks: [0, 0, 0], timeForks: [shanghai, cancun])
            #expect(schedule.forkID(head: 0, time: time) == expected)
        }
    }

    /// GoldenGrain activates every fork at genesis: the fork id is CRC32(genesis hash), no next fork,
    /// and the same id is compatible with itself and nothing else.
    @Test func goldenGrainForkIdIsTheGenesisChecksum() throws {
        let schedule = ForkSchedule.goldenGrain(genesisHash: Self.mainnetGenesis)
        // With mainnet's genesis hash the checksum is mainnet's Frontier one (TestCreation's 0xfc64ec04).
        #expect(schedule.forkID(head: 123, time: 1_700_000_000) == ForkID(hash: 0xfc64ec04, next: 0))
        try schedule.validate(ForkID(hash: 0xfc64ec04, next: 0), head: 5, time: 5)
        #expect(throws: ForkIDError.self) { try schedule.validate(ForkID(hash: 0x12345678, next: 0), head: 5, time: 5) }
    }
}
