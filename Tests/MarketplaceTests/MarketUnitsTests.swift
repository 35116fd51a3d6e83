import Marketplace
import Primitives
import Testing

/// `goldengrain market`'s value parsing: decimal ether (exact), durations, basis points, and the
/// Markdown table the status and the gas report print. Expected values are worked out by hand.
@Suite struct MarketUnitsTests {
    @Test(arguments: [
        ("1", "1000000000000000000"),
        ("0.5", "500000000000000000"),
        (".25", "250000000000000000"),
        ("3.", "3000000000000000000"),
        ("0", "0"),
        ("0.000000000000000001", "1"),
        ("2.000000000000000001", "2000000000000000001"),
        ("1000000", "1000000000000000000000000"),
        ("0.1", "100000000000000000"),  // exactly 10^17: no binary floating point on the way
        // 2^256 − 1 wei = 115792089237316195423570985008687907853269984665640564039457.584007913129639935 ether
        ("115792089237316195423570985008687907853269984665640564039457.584007913129639935",
         "115792089237316195423570985008687907853269984665640564039457584007913129639935"),
    ])
    func parsesEther(text: String, wei: String) throws {
        #expect(try Ether.parse(text) == UInt256(decimal: wei)!)
    }

    @Test(arguments: ["", ".", "1.2.3", "-1", "+1", "1e18", " 1", "1 ", "0x10", "abc", "1,5",
                      "0.0000000000000000001",  // 19 decimals: below one wei
                      "115792089237316195423570985008687907853269984665640564039457.584007913129639936"])  // 2^256 wei
    func rejectsBadEther(text: String) {
        #expect(throws: MarketInputError.self) { try Ether.parse(text, name: "--budget") }
    }

    @Test func etherErrorsNameTheValueAndTheExpectation() {
        do {
            _ = try Ether.parse("1.5x", name: "--budget")
            Issue.record("accepted 1.5x")
        } catch {
            #expect(error.description.contains("--budget \"1.5x\""))
            #expect(error.description.contains("expected a decimal ether amount"))
        }
        do {
            _ = try Ether.parse("0.0000000000000000001", name: "--max-price")
            Issue.record("accepted 19 decimals")
        } catch {
            #expect(error.description.contains("19 decimals, expected at most 18"))
        }
    }

    @Test(arguments: [
        ("0", "0"), ("1", "0.000000000000000001"), ("500000000000000000", "0.5"), ("1000000000000000000", "1"),
        ("1500000000000000000", "1.5"), ("1000000000000000000000", "1000"), ("123456789012345678901", "123.456789012345678901"),
    ])
    func formatsEther(wei: String, text: String) {
        #expect(Ether.format(UInt256(decimal: wei)!) == text)
    }

    @Test(arguments: [("90s", UInt64(90)), ("30m", 1_800), ("1h", 3_600), ("2d", 172_800), ("1h30m", 5_400),
                      ("1d2h3m4s", 93_784), ("0h5m", 300), ("3600s", 3_600)])
    func parsesDurations(text: String, seconds: UInt64) throws {
        #expect(try MarketDuration.parse(text) == seconds)
    }

    @Test(arguments: ["", "10", "1x", "h", "30m1h", "1h1h", "0s", "-1h", "1.5h", "1H", " 1h", "1h ", "m30"])
    func rejectsBadDurations(text: String) {
        #expect(throws: MarketInputError.self) { try MarketDuration.parse(text, name: "--deadline") }
    }

    @Test func durationErrorsNameTheValue() {
        do {
            _ = try MarketDuration.parse("10", name: "--deadline")
            Issue.record("accepted a bare number")
        } catch {
            #expect(error.description == "--deadline \"10\": \"10\" has no unit; expected a duration such as 90s, 30m, 1h, 2d or 1h30m")
        }
    }

    @Test(arguments: [(UInt64(0), "0s"), (59, "59s"), (60, "1m"), (3_600, "1h"), (5_400, "1h30m"), (93_784, "1d2h3m4s")])
    func formatsDurations(seconds: UInt64, text: String) {
        #expect(MarketDuration.format(seconds) == text)
    }

    @Test func basisPoints() throws {
        #expect(try BasisPoints.parse("0") == 0)
        #expect(try BasisPoints.parse("10000") == 10_000)
        #expect(throws: MarketInputError.self) { try BasisPoints.parse("10001") }
        #expect(throws: MarketInputError.self) { try BasisPoints.parse("90%") }
        #expect(throws: MarketInputError.self) { try BasisPoints.parse("0.9") }
        #expect(BasisPoints.percent(9_250) == "92.50%")
        #expect(BasisPoints.percent(9_205) == "92.05%")
        #expect(BasisPoints.percent(10_000) == "100.00%")
        #expect(BasisPoints.percent(7) == "0.07%")
    }

    @Test func tableMatchesForgesMarkdownLayout() {
        // Column widths: max("Name", "a", "long name") = 9; max("Value", "12345") = 5; the third column only "x" = 1.
        let table = TextTable(header: ["Name", "Value"], rows: [["a", "12345", "x"], ["long name"], []])
        #expect(table.lines == [
            "| Name      | Value |   |",
            "|-----------|-------|---|",
            "| a         | 12345 | x |",
            "| long name |       |   |",
            "|           |       |   |",
        ])
        #expect(table.rendered == table.lines.map { $0 + "\n" }.joined())
    }
}
