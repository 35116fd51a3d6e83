import Storage
import Testing

/// The one behaviour suite every `KeyValueStore` must pass; each test runs once per implementation on a
/// fresh, empty store.
@Suite("KeyValueStore behaviour")
struct KeyValueStoreBehaviourTests {
    @Test(arguments: StoreKind.allCases)
    func missingKeyReadsNil(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            #expect(try store.get(bytes("absent")) == nil)
            #expect(try store.get([]) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func putThenGetAndOverwrite(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            try store.put(bytes("one"), forKey: bytes("key"))
            #expect(try store.get(bytes("key")) == bytes("one"))
            try store.put(bytes("two, longer"), forKey: bytes("key"))
            #expect(try store.get(bytes("key")) == bytes("two, longer"))
            #expect(try entries(of: store) == [Entry(bytes("key"), bytes("two, longer"))])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteRemovesKeyAndDeletingMissingKeyIsNoError(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            try store.put([1], forKey: bytes("a"))
            try store.put([2], forKey: bytes("b"))
            try store.delete(bytes("a"))
            try store.delete(bytes("never stored"))
            try store.delete(bytes("a"))
            #expect(try store.get(bytes("a")) == nil)
            #expect(try store.get(bytes("b")) == [2])
            #expect(try entries(of: store) == [Entry(bytes("b"), [2])])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func emptyValueIsPresentNotMissing(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            try store.put([], forKey: bytes("empty"))
            #expect(try store.get(bytes("empty")) == [])
            #expect(try entries(of: store) == [Entry(bytes("empty"), [])])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func emptyKeyIsAnOrdinaryKey(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            try store.put([7], forKey: [])
            try store.put([8], forKey: [0x00])
            #expect(try store.get([]) == [7])
            #expect(try entries(of: store) == [Entry([], [7]), Entry([0x00], [8])])
            try store.delete([])
            #expect(try store.get([]) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func binaryKeysWithZeroAndFFBytes(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            let keys: [[UInt8]] = [[0x00], [0x00, 0x00], [0x00, 0xff, 0x00], [0xff], [0xff, 0xff], [0xff, 0x00]]
            for (index, key) in keys.enumerated() {
                try store.put([UInt8(index), 0x00, 0xff], forKey: key)
            }
            for (index, key) in keys.enumerated() {
                #expect(try store.get(key) == [UInt8(index), 0x00, 0xff], "key \(hex(key))")
            }
            // A key that is a prefix of another, or differs only after a 0x00, is its own key.
            #expect(try store.get([0x00, 0xff]) == nil)
            #expect(try store.get([0xff, 0xff, 0xff]) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func forEachVisitsPrefixInUnsignedByteOrder(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            // Inserted out of order, around the signed/unsigned boundary 0x7f | 0x80.
            let keys: [[UInt8]] = [
                [0x01, 0xff], [0x01, 0x80], [0x02], [0x01, 0x7f], [0x00, 0x01], [0x01, 0x80, 0x00],
                [0x01], [0x01, 0x00], [0x00], [0xff, 0x01],
            ]
            for key in keys {
                try store.put([UInt8(key.count)], forKey: key)
            }
            #expect(try entries(of: store, prefix: [0x01]) == [
                Entry([0x01], [1]), Entry([0x01, 0x00], [2]), Entry([0x01, 0x7f], [2]), Entry([0x01, 0x80], [2]),
                Entry([0x01, 0x80, 0x00], [3]), Entry([0x01, 0xff], [2]),
            ])
            #expect(try entries(of: store, prefix: [0x01, 0x80]) == [
                Entry([0x01, 0x80], [2]), Entry([0x01, 0x80, 0x00], [3]),
            ])
            #expect(try entries(of: store, prefix: [0xff]) == [Entry([0xff, 0x01], [2])])
            #expect(try entries(of: store, prefix: [0x03]) == [])
            #expect(try entries(of: store, prefix: [0xff, 0xff]) == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func forEachStopsWhenBodyReturnsFalse(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            for byte: UInt8 in [0x10, 0x11, 0x12, 0x13, 0x14] {
                try store.put([byte], forKey: [0xaa, byte])
            }
            var calls = 0
            try store.forEach(prefix: [0xaa]) { _, _ in
                calls += 1
                return calls < 2
            }
            #expect(calls == 2)
            #expect(try entries(of: store, prefix: [0xaa], limit: 3) == [
                Entry([0xaa, 0x10], [0x10]), Entry([0xaa, 0x11], [0x11]), Entry([0xaa, 0x12], [0x12]),
            ])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func forEachWithEmptyPrefixVisitsEverything(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            #expect(try entries(of: store) == [])
            let keys: [[UInt8]] = [[0xff, 0xff], [0x80], [0x7f], [0x00], [], [0x00, 0x00]]
            for key in keys {
                try store.put(key, forKey: key)
            }
            #expect(try entries(of: store) == [
                Entry([], []), Entry([0x00], [0x00]), Entry([0x00, 0x00], [0x00, 0x00]), Entry([0x7f], [0x7f]),
                Entry([0x80], [0x80]), Entry([0xff, 0xff], [0xff, 0xff]),
            ])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func batchAppliesInOrderLaterChangeWins(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            try store.put(bytes("old"), forKey: bytes("b"))
            var batch = WriteBatch()
            batch.put([1], forKey: bytes("a"))
            batch.put([2], forKey: bytes("a"))
            batch.delete(bytes("b"))
            batch.put([3], forKey: bytes("b"))
            batch.put([4], forKey: bytes("c"))
            batch.delete(bytes("c"))
            try store.write(batch)
            #expect(try entries(of: store) == [Entry(bytes("a"), [2]), Entry(bytes("b"), [3])])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func emptyBatchChangesNothing(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            try store.put([1], forKey: [1])
            let batch = WriteBatch()
            #expect(batch.isEmpty)
            try store.write(batch)
            #expect(try entries(of: store) == [Entry([1], [1])])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func batchOfPutsAndDeletesLandsTogether(kind: StoreKind) throws {
        try withFreshStore(kind) { store throws in
            for index: UInt8 in 0..<5 {
                try store.put([index], forKey: [0x01, index])
            }
            var batch = WriteBatch()
            for index: UInt8 in 0..<5 {
                batch.delete([0x01, index])
                batch.put([index &+ 100], forKey: [0x02, index])
            }
            #expect(batch.operations.count == 10)
            #expect(batch.operations[0] == .delete(key: [0x01, 0]))
            #expect(batch.operations[1] == .put(key: [0x02, 0], value: [100]))
            try store.write(batch)
            #expect(try entries(of: store, prefix: [0x01]) == [])
            let expected: [Entry] = (0..<5).map { (index: UInt8) -> Entry in Entry([0x02, index], [index + 100]) }
            #expect(try entries(of: store) == expected)
        }
    }

    /// A reader iterating concurrently with a writer that flips ten keys between "all present" and "all
    /// absent" in single batches must never see a mixture: `forEach` reads a snapshot and batches are atomic.
    @Test(arguments: StoreKind.allCases)
    func concurrentReaderNeverSeesHalfABatch(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store async throws in
            let rounds = 300
            let keyCount = 10
            let torn = try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    for round in 0..<rounds {
                        var batch = WriteBatch()
                        for index in 0..<keyCount {
                            if round % 2 == 0 {
                                batch.put([UInt8(round % 256)], forKey: [0x42, UInt8(index)])
                            } else {
                                batch.delete([0x42, UInt8(index)])
                            }
                        }
                        try store.write(batch)
                    }
                    return []
                }
                group.addTask {
                    var problems: [String] = []
                    for read in 0..<rounds {
                        let seen = try entries(of: store, prefix: [0x42])
                        let values = Set(seen.map(\.value))
                        if !(seen.isEmpty || (seen.count == keyCount && values.count == 1)) {
                            problems.append("read \(read) saw \(seen)")
                        }
                    }
                    return problems
                }
                var problems: [String] = []
                for try await result in group {
                    problems += result
                }
                return problems
            }
            #expect(torn == [])
        }
    }
}
