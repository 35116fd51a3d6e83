import Marketplace
import Primitives
import Testing

/// `--store DIR|URL` (parsing, file names and URIs: keccak256 of the ciphertext, `.gge`) and the
/// task states and times `market status` shows. Expected values are worked out by hand.
@Suite struct MarketStoreAndStatusTests {
    @Test func statusStates() {
        let one = UInt256(1)
        #expect(MarketStatusReport.state(now: 99, deadline: 100, windowEnd: 200, budgetLeft: one, refunded: .zero) == "open")
        #expect(MarketStatusReport.state(now: 100, deadline: 100, windowEnd: 200, budgetLeft: one, refunded: .zero) == "scoring")
        #expect(MarketStatusReport.state(now: 200, deadline: 100, windowEnd: 200, budgetLeft: one, refunded: .zero) == "scoring")
        #expect(MarketStatusReport.state(now: 201, deadline: 100, windowEnd: 200, budgetLeft: one, refunded: .zero) == "closed, refundable")
        #expect(MarketStatusReport.state(now: 201, deadline: 100, windowEnd: 200, budgetLeft: .zero, refunded: one) == "refunded")
        #expect(MarketStatusReport.state(now: 201, deadline: 100, windowEnd: 200, budgetLeft: .zero, refunded: .zero) == "closed")
        #expect(MarketStatusReport.utc(0) == "1970-01-01 00:00:00 UTC")
        #expect(MarketStatusReport.utc(1_700_000_000) == "2023-11-14 22:13:20 UTC")
        #expect(MarketStatusReport.relative(160, now: 100) == "in 1m")
        #expect(MarketStatusReport.relative(100, now: 5_500) == "1h30m ago")
    }

    @Test func storeParsing() throws {
        #expect(try MarketStore(parsing: "http://127.0.0.1:8000/files/") == .http("http://127.0.0.1:8000/files"))
        #expect(try MarketStore(parsing: "/tmp/gg-store") == .directory("/tmp/gg-store"))
        #expect(throws: MarketInputError.self) { try MarketStore(parsing: "ftp://host/x") }
        #expect(throws: MarketInputError.self) { try MarketStore(parsing: "") }
        // The file name is keccak256 of the ciphertext: keccak256("") = c5d2…a470.
        #expect(MarketStore.fileName(for: []) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470.gge")
        #expect(MarketStore.http("https://store.example/x").uri(for: []) ==
                "https://store.example/x/c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470.gge")
        #expect(MarketStore.directory("/tmp/a b").uri(for: []) ==
                "file:///tmp/a%20b/c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470.gge")
    }
}
