import Storage
import Testing

/// Several tasks writing disjoint keys and reading at the same time; the final contents are exact.
@Suite("Concurrent use")
struct ConcurrencyTests {
    static let taskCount = 4
    static let keysPerTask = 500

    static func key(task: Int, index: Int) -> [UInt8] { [UInt8(task), UInt8(index >> 8), UInt8(index & 0xff)] }
    static func value(task: Int, index: Int) -> [UInt8] { [UInt8(index & 0xff), UInt8(task), 0xab] }

    @Test(arguments: StoreKind.allCases)
    func disjointWritersAndReadersEndExact(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store async throws in
            let problems = try await withThrowingTaskGroup(of: [String].self) { group in
                for task in 0..<Self.taskCount {
                    group.addTask {
                        var problems: [String] = []
                        var index = 0
                        while index < Self.keysPerTask {
                            if index % 50 == 0 {
                                // Every 50th key goes in a batch of 10, with a delete of a scratch key.
                                var batch = WriteBatch()
                                for offset in 0..<10 {
                                    batch.put(Self.value(task: task, index: index + offset),
                                              forKey: Self.key(task: task, index: index + offset))
                                }
                                batch.put([1], forKey: [0xf0, UInt8(task)])
                                batch.delete([0xf0, UInt8(task)])
                                try store.write(batch)
                                index += 10
                            } else {
                                try store.put(Self.value(task: task, index: index), forKey: Self.key(task: task, index: index))
                                index += 1
                            }
                            let probe = index / 2
                            let read = try store.get(Self.key(task: task, index: probe))
                            if read != Self.value(task: task, index: probe) {
                                problems.append("task \(task) read \(probe) gave \(read.map(hex) ?? "nil")")
                            }
                            // Read another task's range too; only check it is well-formed.
                            let other = (task + 1) % Self.taskCount
                            for entry in try entries(of: store, prefix: [UInt8(other)], limit: 3)
                            where entry.key.count != 3 || entry.value.count != 3 {
                                problems.append("task \(task) saw malformed \(entry)")
                            }
                        }
                        return problems
                    }
                }
                var problems: [String] = []
                for try await result in group {
                    problems += result
                }
                return problems
            }
            #expect(problems == [])
            var expected: [Entry] = []
            for task in 0..<Self.taskCount {
                for index in 0..<Self.keysPerTask {
                    expected.append(Entry(Self.key(task: task, index: index), Self.value(task: task, index: index)))
                }
            }
            #expect(try entries(of: store) == expected)
        }
    }
}
