import Primitives

/// The comparison of the three modes (issue 12, §4: "gas per model sold in each mode and the ratios
/// between them").
///
/// Definitions (also printed with the table and in docs/gas.md, "The three modes"):
/// - **scoring gas of a model**: the gas of the transactions that turn its accuracy into a price on
///   chain. TEE: its submitResult. On chain: its evaluateOnChain with INFERENCE_EVAL. Plain EVM: its
///   evaluateOnChain with PlainEvaluator when the whole test set fits a block, else the sum of
///   PlainEvaluator's batches (the evaluator alone: a lower bound, since the marketplace cannot
///   combine batches).
/// - **attestation gas**: what a mode pays once so that results can be trusted: registerEnclave
///   (ATTESTATION_VERIFY) for the TEE; nothing for the two on-chain modes, whose scorer is public code.
/// - **gas per model sold** = (attestation gas + the scoring gas of every model submitted, sold or
///   not) ÷ the models sold. Creating the task and submitting models cost the same in every mode
///   and are left out; so are the deployments (the plain-EVM marketplace and evaluator, once per chain).
/// - **ratio**: a mode's gas per model sold ÷ the TEE's.
public struct DemoModeSummary: Sendable {
    /// The mode.
    public var mode: DemoMode
    /// Once-per-enclave gas (registerEnclave) counted in this mode.
    public var attestationGas: UInt64
    /// Scoring gas per model, in model order (nil for a model the mode could not score).
    public var scoringGas: [UInt64?]
    /// Models sold (for a model PlainEvaluator could only score in batches: sold if the task's rule
    /// pays for the accuracy those batches measured).
    public var modelsSold: Int
    /// Whether `modelsSold` counts models the chain did not settle (plain EVM in batches).
    public var soldIsProjected: Bool
    /// Σ gas of every transaction of the mode (task, models, scoring, money, its deployments), less
    /// PlainEvaluator batches run only as a measurement (--batch-samples).
    public var totalGas: UInt64

    /// Mean scoring gas per model scored.
    public var meanScoringGas: UInt64 {
        let values = scoringGas.compactMap { $0 }
        return values.isEmpty ? 0 : values.reduce(0, +) / UInt64(values.count)
    }

    /// (attestation + Σ scoring) ÷ models sold; nil when nothing was sold.
    public var gasPerModelSold: UInt64? {
        guard modelsSold > 0 else { return nil }
        return (attestationGas + scoringGas.compactMap { $0 }.reduce(0, +)) / UInt64(modelsSold)
    }
}

extension DemoReport {
    /// The price the task's rule gives an accuracy (docs/protocol.md, "Price").
    public func price(forAccuracy accuracy: UInt16) -> UInt256 {
        TaskInfo(provider: .zero, enclave: .zero, datasetHash: .zero, minAccuracyBps: minAccuracyBps,
                 maxPricePerModel: maxPricePerModel, deadline: 0, budgetLeft: budget, modelCount: 0).price(forAccuracy: accuracy)
    }

    /// The three modes' figures.
    public var summaries: [DemoModeSummary] {
        DemoMode.measured.map { mode in
            let attestation = mode == .tee
                ? steps.filter { $0.mode == .tee && $0.name == "registerEnclave" }.compactMap(\.gasUsed).reduce(0, +) : 0
            var sold = 0
            var projected = false
            var budgetLeft = budget
            for model in models {
                guard let score = model.scores[mode] else { continue }
                if score.status == .sold {
                    sold += 1
                    budgetLeft = budgetLeft &- score.price
                } else if score.status == .submitted, let accuracy = score.accuracyBps {
                    let price = price(forAccuracy: accuracy)
                    if accuracy >= minAccuracyBps, !price.isZero, price <= budgetLeft {
                        sold += 1
                        projected = true
                        budgetLeft = budgetLeft &- price
                    }
                }
            }
            return DemoModeSummary(mode: mode, attestationGas: attestation,
                                   scoringGas: models.map { $0.scores[mode]?.scoringGas }, modelsSold: sold,
                                   soldIsProjected: projected,
                                   totalGas: steps.filter { $0.mode == mode && !isExtraMeasurement($0) }.compactMap(\.gasUsed).reduce(0, +))
        }
    }

    /// A batch of PlainEvaluator run only to measure it (--batch-samples) for a model whose whole
    /// test set was scored in one evaluateOnChain: not part of the mode's story.
    func isExtraMeasurement(_ step: DemoStep) -> Bool {
        step.name == "evaluator batch" && plainEvaluations.contains { $0.model == step.model && $0.fitsOneBlock }
    }

    /// A mode's gas per model sold ÷ another's (nil if either sold nothing).
    public func ratio(_ mode: DemoMode, to base: DemoMode) -> Double? {
        let all = summaries
        guard let top = all.first(where: { $0.mode == mode })?.gasPerModelSold,
              let bottom = all.first(where: { $0.mode == base })?.gasPerModelSold, bottom > 0 else { return nil }
        return Double(top) / Double(bottom)
    }

    /// The definitions printed under the comparison.
    public static let definitions = [
        "scoring gas of a model: TEE = its submitResult; on chain = its evaluateOnChain (INFERENCE_EVAL); plain EVM = its evaluateOnChain (PlainEvaluator) when the whole test set fits a block, else the sum of PlainEvaluator's batches (the evaluator alone: a lower bound).",
        "attestation gas: registerEnclave (ATTESTATION_VERIFY), once per enclave, counted in the TEE mode only; the on-chain modes need none (their scorer is public code).",
        "gas per model sold = (attestation gas + scoring gas of every submitted model, sold or not) / models sold. createTask and submitModel cost the same in every mode and are left out, as are one-time deployments.",
        "ratio = a mode's gas per model sold / the TEE mode's.",
    ]
}

/// Number formatting shared by the text and Markdown renderings.
public enum DemoFormat {
    /// 1234567 → "1,234,567".
    public static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return out
    }

    /// Seconds with three decimals: "0.042 s".
    public static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        return "\(millis / 1000).\(String(format3(millis % 1000))) s"
    }

    static func format3(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }

    /// 9722 bps → "97.22 %".
    public static func percent(_ bps: UInt16) -> String {
        let hundredths = Int(bps) % 100
        return "\(Int(bps) / 100).\(hundredths < 10 ? "0" : "")\(hundredths) %"
    }

    /// A ratio with one decimal: "7.1×".
    public static func ratio(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)×"
    }
}
