import Storage
import Testing

/// What only the in-memory store needs checking: it stays fast with many keys.
@Suite("MemoryStore")
struct MemoryStoreTests {
    /// 100,000 keys in scrambled order, then interleaved writes and scans: sub-quadratic, exact order.
    @Test(.timeLimit(.minutes(1)))
    func hundredThousandKeysStayOrderedAndFast() throws {
        let store = MemoryStore()
        let keyCount = 100_000
        // Multiplying by an odd constant modulo 2^17 permutes 0..<2^17; keep those below keyCount.
        var inserted = 0
        for raw in 0..<(1 << 17) {
            let number = (raw &* 40_503) & ((1 << 17) - 1)
            guard number < keyCount else { continue }
            try store.put([UInt8(number & 0xff)], forKey: [UInt8(number >> 16), UInt8((number >> 8) & 0xff), UInt8(number & 0xff)])
            inserted += 1
        }
        #expect(inserted == keyCount)
        #expect(store.count == keyCount)

        var visited = 0
        var previous = -1
        var isOrdered = true
        try store.forEach(prefix: []) { key, value in
            let number = Int(key[0]) << 16 | Int(key[1]) << 8 | Int(key[2])
            isOrdered = isOrdered && number == previous + 1 && value == [key[2]]
            previous = number
            visited += 1
            return true
        }
        #expect(visited == keyCount)
        #expect(isOrdered)

        // Interleave deletes, re-puts and scans: each scan merges only the few changed keys.
        for round in 0..<200 {
            let number = round * 397
            let key = [UInt8(number >> 16), UInt8((number >> 8) & 0xff), UInt8(number & 0xff)]
            try store.delete(key)
            #expect(try entries(of: store, prefix: [key[0], key[1]], limit: 1).first?.key != key || number & 0xff != 0)
            try store.put([0xee], forKey: key)
        }
        #expect(store.count == keyCount)
        #expect(try store.get([0, 0, 0]) == [0xee])
        #expect(try entries(of: store, prefix: [0x01, 0x86, 0x9f]) == [Entry([0x01, 0x86, 0x9f], [0x9f])])
    }

    /// Random bursts of 0 to 300 puts and deletes between full scans, so that scans take every path of the
    /// lazy sorted index (insert a few, merge many, compact after many deletes, re-add a deleted key),
    /// checked against a plain dictionary sorted from scratch.
    @Test(arguments: [7, 0xBADC0DE] as [UInt64])
    func scansMatchASortedDictionaryAfterBursts(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let store = MemoryStore()
        var model: [[UInt8]: [UInt8]] = [:]
        for round in 0..<60 {
            let burst = Int.random(in: 0...300, using: &generator)
            let deleteShare = Int.random(in: 0...90, using: &generator)
            for _ in 0..<burst {
                let key = [UInt8.random(in: 0...15, using: &generator), UInt8.random(in: 0...255, using: &generator)]
                if Int.random(in: 0..<100, using: &generator) < deleteShare {
                    try store.delete(key)
                    model[key] = nil
                } else {
                    let value = [UInt8(round)]
                    try store.put(value, forKey: key)
                    model[key] = value
                }
            }
            let expected = model.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { Entry($0, model[$0]!) }
            let actual = try entries(of: store)
            guard actual == expected else {
                Issue.record("seed \(seed) round \(round): scan gave \(actual.count) entries, expected \(expected.count)")
                return
            }
            let prefix = [UInt8.random(in: 0...15, using: &generator)]
            #expect(try entries(of: store, prefix: prefix) == expected.filter { $0.key.first == prefix[0] },
                    "seed \(seed) round \(round) prefix \(hex(prefix))")
        }
        #expect(store.count == model.count)
    }
}
