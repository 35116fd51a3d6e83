import Marketplace
import Primitives
import Testing

/// `goldengrain demo`'s comparison arithmetic on a hand-made report: gas per model sold, the ratios,
/// the price rule, first-fit block packing, and the number formats. Expected values are worked out
/// by hand in the comments.
@Suite struct DemoSummaryTests {
    static let ether = UInt256(1_000_000_000_000_000_000)

    /// Three models scored in the three modes, the plain mode's last two only in batches (not settled).
    static func report() -> DemoReport {
        var report = DemoReport(node: "test", rpcURL: "http://127.0.0.1:1", chainId: 31337, blockGasLimit: 30_000_000,
                                marketplace: .zero, enclave: .zero, relayer: .zero, provider: .zero, minAccuracyBps: 9_000,
                                maxPricePerModel: ether, budget: ether &* UInt256(2), testSamples: 360, testSetBytes: 23_412,
                                datasetHash: .zero)
        report.steps = [
            DemoStep(mode: .tee, name: "registerEnclave", from: .zero, gasUsed: 234_776, calldataBytes: 3_364, wallSeconds: 0),
            DemoStep(mode: .tee, name: "createTask", gasUsed: 480_623, calldataBytes: 644, wallSeconds: 0),
            DemoStep(mode: .plainEVM, name: "evaluator batch", model: "fair", gasUsed: 9_000_000, calldataBytes: 1, wallSeconds: 0),
        ]
        let accuracies: [UInt16] = [9_722, 9_305, 6_500]
        let names = ["good", "fair", "poor"]
        // TEE: submitResult; on chain: evaluateOnChain; plain: evaluateOnChain or the batches' sum.
        let gas: [DemoMode: [UInt64]] = [.tee: [112_306, 112_292, 80_072], .onChain: [792_080, 725_334, 667_327],
                                         .plainEVM: [23_669_154, 31_000_000, 10_832_496]]
        for index in 0..<3 {
            var model = DemoModelOutcome(spec: DemoModelSpec(name: names[index], hidden: 1, epochs: 1), developer: .zero, bytes: 1,
                                         modelHash: .zero, trainSeconds: 0,
                                         local: DemoLocalScore(correct: 0, total: 360, accuracyBps: accuracies[index], logitsHash: .zero))
            for mode in DemoMode.measured {
                let price = report.price(forAccuracy: accuracies[index])
                let settled = !(mode == .plainEVM && index > 0)
                let sold = settled && !price.isZero
                model.scores[mode] = DemoScore(modelId: UInt64(index + 1),
                                               status: settled ? (sold ? .sold : .scoredNotSold) : .submitted,
                                               accuracyBps: accuracies[index], logitsHash: nil, price: sold ? price : .zero,
                                               scoringGas: gas[mode]![index], keyReleased: sold && mode == .tee)
            }
            report.models.append(model)
        }
        report.plainEvaluations = [
            DemoPlainEvaluation(model: "good", fitsOneBlock: true, failure: nil, fullOutput: [], precompileFullOutput: [],
                                batches: [], blocksNeeded: 1),
            DemoPlainEvaluation(model: "fair", fitsOneBlock: false, failure: "out of gas", fullOutput: nil,
                                precompileFullOutput: [], batches: [], blocksNeeded: 2),
        ]
        return report
    }

    @Test func pricesFollowTheRule() {
        let report = Self.report()
        // ⌊10^18 × 722 / 1000⌋ = 722 × 10^15; ⌊10^18 × 305 / 1000⌋ = 305 × 10^15; below the minimum: 0.
        #expect(report.price(forAccuracy: 9_722) == UInt256(722_000_000_000_000_000))
        #expect(report.price(forAccuracy: 9_305) == UInt256(305_000_000_000_000_000))
        #expect(report.price(forAccuracy: 6_500) == .zero)
        #expect(report.price(forAccuracy: 9_000) == .zero)
        #expect(report.price(forAccuracy: 10_000) == Self.ether)
    }

    @Test func gasPerModelSold() throws {
        let summaries = Self.report().summaries
        let tee = try #require(summaries.first { $0.mode == .tee })
        let onChain = try #require(summaries.first { $0.mode == .onChain })
        let plain = try #require(summaries.first { $0.mode == .plainEVM })
        // TEE: (234,776 + 112,306 + 112,292 + 80,072) / 2 = 539,446 / 2 = 269,723.
        #expect(tee.attestationGas == 234_776)
        #expect(tee.modelsSold == 2 && !tee.soldIsProjected)
        #expect(tee.gasPerModelSold == 269_723)
        // (112,306 + 112,292 + 80,072) / 3 = 304,670 / 3 = 101,556 (rounded down).
        #expect(tee.meanScoringGas == 101_556)
        // TEE total: registerEnclave + createTask = 715,399.
        #expect(tee.totalGas == 715_399)
        // On chain: (792,080 + 725,334 + 667,327) / 2 = 2,184,741 / 2 = 1,092,370.
        #expect(onChain.attestationGas == 0)
        #expect(onChain.gasPerModelSold == 1_092_370)
        // Plain: good sold on chain; fair (93.05 %) sold by the rule from the batches' accuracy
        // (0.305 ETH ≤ 2 − 0.722 left), poor not: 2 sold, projected.
        // (23,669,154 + 31,000,000 + 10,832,496) / 2 = 65,501,650 / 2 = 32,750,825.
        #expect(plain.modelsSold == 2 && plain.soldIsProjected)
        #expect(plain.gasPerModelSold == 32_750_825)
        // The fair model's batch is its scoring, not an extra measurement: it stays in the total.
        #expect(plain.totalGas == 9_000_000)
    }

    @Test func ratios() throws {
        let report = Self.report()
        // 1,092,370 / 269,723 = 4.04997…; 32,750,825 / 269,723 = 121.42…; 32,750,825 / 1,092,370 = 29.98…
        #expect(abs(try #require(report.ratio(.onChain, to: .tee)) - 4.049970) < 1e-5)
        #expect(abs(try #require(report.ratio(.plainEVM, to: .tee)) - 121.4243) < 1e-3)
        #expect(abs(try #require(report.ratio(.plainEVM, to: .onChain)) - 29.98144) < 1e-4)
        #expect(report.ratio(.tee, to: .tee) == 1)
    }

    @Test func extraBatchMeasurementsLeaveTheTotal() {
        var report = Self.report()
        // A batch for "good", whose whole test set fit one evaluateOnChain, was only a measurement.
        report.steps.append(DemoStep(mode: .plainEVM, name: "evaluator batch", model: "good", gasUsed: 7_000_000,
                                     calldataBytes: 1, wallSeconds: 0))
        #expect(report.summaries.first { $0.mode == .plainEVM }?.totalGas == 9_000_000)
    }

    @Test(arguments: [
        // first fit: 20 M and 9 M share a block, the second 20 M takes another
        ([20_000_000, 20_000_000, 9_000_000] as [UInt64], 2),
        ([10_000_000, 10_000_000, 10_000_000], 1),  // exactly the limit
        ([10_000_000, 10_000_000, 10_000_001], 2),
        ([31_000_000], 1),  // above the limit: a block of its own
        ([], 0),
        ([6_915_457, 6_856_126, 6_882_774, 4_333_873], 1),  // the demo's four batches of the 64-hidden model
    ])
    func blocksNeeded(gas: [UInt64], blocks: Int) {
        #expect(DemoPlainEvaluation.blocksNeeded(gas, gasLimit: 30_000_000) == blocks)
    }

    @Test func formats() {
        #expect(DemoFormat.grouped(0) == "0")
        #expect(DemoFormat.grouped(999) == "999")
        #expect(DemoFormat.grouped(1_000) == "1,000")
        #expect(DemoFormat.grouped(23_669_154) == "23,669,154")
        #expect(DemoFormat.percent(9_722) == "97.22 %")
        #expect(DemoFormat.percent(9_005) == "90.05 %")
        #expect(DemoFormat.percent(10_000) == "100.00 %")
        #expect(DemoFormat.percent(0) == "0.00 %")
        #expect(DemoFormat.ratio(92.37824) == "92.4×")
        #expect(DemoFormat.ratio(4.04997) == "4.0×")
        #expect(DemoFormat.seconds(2.8224) == "2.822 s")
        #expect(DemoFormat.seconds(0.0004) == "0.000 s")
    }

    @Test func comparisonTableShowsEveryMode() {
        let lines = Self.report().comparisonLines
        #expect(lines[0].contains("TEE + precompiles") && lines[0].contains("on chain (INFERENCE_EVAL)")
                && lines[0].contains("plain EVM (PlainEvaluator.vy)"))
        #expect(lines.contains { $0.contains("**gas per model sold**") && $0.contains("**269,723**") && $0.contains("**1,092,370**") })
        #expect(lines.contains { $0.contains("ratio to TEE") && $0.contains("1.0×") && $0.contains("4.0×") && $0.contains("121.4×") })
        #expect(lines.contains { $0.contains("models sold") && $0.contains("2 (by the price rule)") })
    }
}
