import Marketplace
import Primitives
import Testing

/// The gas report's statistics (as forge's crates/common/src/calc.rs computes them) and its table
/// and JSON (forge's gas_report.rs layout). Expected figures are worked out by hand.
@Suite struct GasReportTests {
    @Test func statisticsAsForgeComputesThem() {
        // forge's own calc tests: median of 7 sorted values is the middle one; of 8 the mean of the two middle ones.
        #expect(GasStatistics(samples: [29, 30, 31, 40, 59, 61, 71]).median == 40)
        #expect(GasStatistics(samples: [80, 90, 30, 40, 50, 60, 10, 20]).median == 45)
        #expect(GasStatistics(samples: [0, 1, 2, 3, 4, 5, 6]).mean == 3)
        // Floors: (3 + 4) / 2 = 3.5 → 3; Σ = 10, 10 / 4 = 2.5 → 2.
        let even = GasStatistics(samples: [4, 1, 3, 2])
        #expect(even == GasStatistics(samples: [1, 2, 3, 4]))
        #expect((even.calls, even.min, even.mean, even.median, even.max) == (4, 1, 2, 2, 4))
        let odd = GasStatistics(samples: [21_000, 50_000, 23_000])
        #expect((odd.calls, odd.min, odd.mean, odd.median, odd.max) == (3, 21_000, 31_333, 23_000, 50_000))
        let empty = GasStatistics(samples: [])
        #expect((empty.calls, empty.min, empty.mean, empty.median, empty.max) == (0, 0, 0, 0, 0))
        // No overflow in the sum or the midpoint.
        let huge = GasStatistics(samples: [UInt64.max, UInt64.max - 1])
        #expect(huge.mean == UInt64.max - 1 && huge.median == UInt64.max - 1)
    }

    func sampleReport() -> GasReport {
        var report = GasReport(fromBlock: 0, toBlock: 9)
        var counter = GasReport.Contract(name: "src/Counter.sol:Counter")
        counter.deploymentGas = 106_715
        counter.deploymentSize = 277
        counter.samples = ["setNumber": ["setNumber(uint256)": [43_542, 23_582, 43_866]],
                           "increment": ["increment()": [43_404]],
                           "set": ["set(uint256)": [100], "set(int256)": [200, 300]]]
        report.contracts[counter.name] = counter
        var idle = GasReport.Contract(name: "Idle")  // deployed, never called: left out, as forge does
        idle.deploymentGas = 1
        report.contracts[idle.name] = idle
        return report
    }

    @Test func tableLayout() {
        // Rows sorted by function name (byte order), overloads shown by signature and sorted by it.
        // setNumber: sorted 23582, 43542, 43866 → mean ⌊110990 / 3⌋ = 36996, median 43542.
        let expected = """
        | src/Counter.sol:Counter Contract |                 |       |        |       |         |
        |----------------------------------|-----------------|-------|--------|-------|---------|
        | Deployment Cost                  | Deployment Size |       |        |       |         |
        | 106715                           | 277             |       |        |       |         |
        |                                  |                 |       |        |       |         |
        | Function Name                    | Min             | Avg   | Median | Max   | # Calls |
        | increment                        | 43404           | 43404 | 43404  | 43404 | 1       |
        | set(int256)                      | 200             | 250   | 250    | 300   | 2       |
        | set(uint256)                     | 100             | 100   | 100    | 100   | 1       |
        | setNumber                        | 23582           | 36996 | 43542  | 43866 | 3       |


        """
        #expect(sampleReport().renderedTables == expected)
    }

    @Test func jsonLikeForge() {
        let expected = #"[{"contract":"src/Counter.sol:Counter","deployment":{"gas":106715,"size":277},"functions":{"increment()":{"calls":1,"min":43404,"mean":43404,"median":43404,"max":43404},"set(int256)":{"calls":2,"min":200,"mean":250,"median":250,"max":300},"set(uint256)":{"calls":1,"min":100,"mean":100,"median":100,"max":100},"setNumber(uint256)":{"calls":3,"min":23582,"mean":36996,"median":43542,"max":43866}}}]"#
        #expect(sampleReport().json.serialized == expected)
    }

    @Test func readsArtifactsAndPlainABIs() throws {
        let artifact = try GasReportSource.load(path: TestSupport.packageRoot.appendingPathComponent("Contracts/build/Marketplace.json").path)
        #expect(artifact.name == "Contracts/Marketplace.vy:Marketplace")
        #expect(artifact.isMatchedByCode)
        #expect(artifact.initCode?.isEmpty == false && artifact.runtimeCode?.isEmpty == false)
        // withdraw() = 0x3ccfd60b.
        #expect(artifact.function(forInput: [0x3c, 0xcf, 0xd6, 0x0b])?.signature == "withdraw()")
        #expect(artifact.function(forInput: [0x3c, 0xcf]) == nil)
    }
}
