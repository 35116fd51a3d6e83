import Primitives

/// The demo's report as Markdown: what `goldengrain demo` prints and `--report` writes to report.md.
extension DemoReport {
    /// A Markdown table with numeric columns right-aligned.
    struct Table {
        var header: [String]
        var rightAligned: Set<Int>
        var rows: [[String]] = []

        var lines: [String] {
            var widths = header.map(\.count)
            for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
            func render(_ cells: [String]) -> String {
                "| " + cells.enumerated().map { index, cell in
                    let pad = String(repeating: " ", count: widths[index] - cell.count)
                    return rightAligned.contains(index) ? pad + cell : cell + pad
                }.joined(separator: " | ") + " |"
            }
            let rule = "|" + widths.enumerated().map { index, width in
                rightAligned.contains(index) ? String(repeating: "-", count: width + 1) + ":" : String(repeating: "-", count: width + 2)
            }.joined(separator: "|") + "|"
            return [render(header), rule] + rows.map(render)
        }
    }

    /// The three-mode comparison (the table docs/gas.md and the README show).
    public var comparisonLines: [String] {
        let all = summaries
        var table = Table(header: [""] + all.map(\.mode.title), rightAligned: Set(1...all.count))
        table.rows.append(["attestation, once per enclave"] + all.map { $0.attestationGas > 0 ? DemoFormat.grouped($0.attestationGas) : "—" })
        for (index, model) in models.enumerated() {
            let accuracy = model.scores[.tee]?.accuracyBps ?? model.local.accuracyBps
            table.rows.append(["scoring gas, model \(model.spec.name) (\(DemoFormat.percent(accuracy)))"] + all.map { summary in
                guard let gas = summary.scoringGas[index] else { return "—" }
                if summary.mode == .plainEVM, let evaluation = plainEvaluations.first(where: { $0.model == model.spec.name }),
                   !evaluation.fitsOneBlock {
                    return "\(DemoFormat.grouped(gas)) (\(evaluation.batches.count) batches, ≥ \(evaluation.blocksNeeded) blocks)"
                }
                return DemoFormat.grouped(gas)
            })
        }
        table.rows.append(["models sold"] + all.map { "\($0.modelsSold)\($0.soldIsProjected ? " (by the price rule)" : "")" })
        table.rows.append(["**gas per model sold**"] + all.map { $0.gasPerModelSold.map { "**\(DemoFormat.grouped($0))**" } ?? "—" })
        table.rows.append(["ratio to TEE"] + all.map { ratio($0.mode, to: .tee).map(DemoFormat.ratio) ?? "—" })
        table.rows.append(["all gas of the mode's transactions"] + all.map { DemoFormat.grouped($0.totalGas) })
        return table.lines
    }

    /// The models, their accuracy in each mode and the price each got.
    public var priceLines: [String] {
        var table = Table(header: ["model", "trained", "developer", "local int8", "TEE", "on chain", "plain EVM", "price rule"],
                          rightAligned: [3, 7])
        for model in models {
            var row = [model.spec.name, model.spec.shape, "\(model.developer)".prefix(10) + "…", DemoFormat.percent(model.local.accuracyBps)]
            for mode in DemoMode.measured {
                guard let score = model.scores[mode], let accuracy = score.accuracyBps else { row.append("—"); continue }
                switch score.status {
                case .sold: row.append("\(DemoFormat.percent(accuracy)): sold, \(Ether.format(score.price)) ETH")
                case .scoredNotSold: row.append("\(DemoFormat.percent(accuracy)): not sold, no key")
                default: row.append("\(DemoFormat.percent(accuracy)) (batches, not settled)")
                }
            }
            row.append("\(Ether.format(price(forAccuracy: model.local.accuracyBps))) ETH")
            table.rows.append(row)
        }
        return table.lines
    }

    /// Every step.
    public var stepLines: [String] {
        var table = Table(header: ["mode", "step", "model", "gas used", "calldata B", "wall time", "note"], rightAligned: [3, 4, 5])
        for step in steps {
            table.rows.append([step.mode.rawValue, step.name, step.model ?? "", step.gasUsed.map(DemoFormat.grouped) ?? "",
                               step.calldataBytes.map { DemoFormat.grouped(UInt64($0)) } ?? "", DemoFormat.seconds(step.wallSeconds),
                               step.note ?? ""])
        }
        return table.lines
    }

    /// The whole report as Markdown.
    /// - Parameters:
    ///   - command: the command that made it.
    ///   - plots: relative paths of the plots to link (report.md), none for the terminal.
    /// - Returns: the text.
    public func markdown(command: String, plots: [(title: String, path: String)] = []) -> String {
        var lines = ["# GoldenGrain demo: one trade in three execution modes", "",
                     "Made by `\(command)` on \(node) (\(rpcURL), chain \(chainId), block gas limit \(DemoFormat.grouped(blockGasLimit))) in \(DemoFormat.seconds(totalSeconds)).",
                     "Task terms in every mode: minimum \(minAccuracyBps) bps, up to \(Ether.format(maxPricePerModel)) ETH a model, budget \(Ether.format(budget)) ETH; test set Examples/digits/test.ggd (\(testSamples) samples, \(DemoFormat.grouped(UInt64(testSetBytes))) B).",
                     "", "## The three modes (gas)", ""]
        lines += comparisonLines
        lines += [""] + Self.definitions.map { "- " + $0 }
        lines += ["", "Attestation without the ATTESTATION_VERIFY precompile — Automata's published figures, **not measured here** (source: \(DemoPublishedAttestationCost.source)):", ""]
        lines += DemoPublishedAttestationCost.figures.map { "- \($0.method): \($0.gas)" }
        lines += ["", "## Models and prices", ""]
        lines += priceLines
        lines += ["", "price = ⌊maxPricePerModel × (accuracy − minimum) / (10000 − minimum)⌋ for accuracy ≥ minimum, paid only in full from the budget left (docs/protocol.md, \"Price\")."]
        if !plainEvaluations.isEmpty {
            lines += ["", "## Plain EVM evaluator", ""]
            for evaluation in plainEvaluations {
                if evaluation.fitsOneBlock {
                    var line = "- model \(evaluation.model): the whole test set fits one block (evaluateOnChain: \(DemoFormat.grouped(models.first { $0.spec.name == evaluation.model }?.scores[.plainEVM]?.scoringGas ?? 0)) gas)"
                    if !evaluation.batches.isEmpty {
                        line += "; PlainEvaluator alone in \(evaluation.batches.count) batches of \(evaluation.batches.map { String($0.sampleCount) }.joined(separator: " + ")) samples (--batch-samples): \(DemoFormat.grouped(evaluation.batchGas)) gas in all, at least \(evaluation.batchBlocksNeeded) block\(evaluation.batchBlocksNeeded == 1 ? "" : "s")"
                    }
                    lines.append(line + "; PlainEvaluator's answers equal INFERENCE_EVAL's byte for byte: \(evaluation.outputsEqual ? "yes" : "NO").")
                } else {
                    let sizes = evaluation.batches.map { String($0.sampleCount) }.joined(separator: " + ")
                    lines.append("- model \(evaluation.model): the whole test set (\(testSamples) samples) does **not** fit one block of \(DemoFormat.grouped(blockGasLimit)) gas; PlainEvaluator alone in \(evaluation.batches.count) batches of \(sizes) samples: \(DemoFormat.grouped(evaluation.batchGas)) gas in all, at least \(evaluation.blocksNeeded) blocks; every batch's answer equals INFERENCE_EVAL's byte for byte: \(evaluation.outputsEqual ? "yes" : "NO").")
                }
            }
        }
        if let check = buyerCheck {
            lines += ["", "## The buyer's check", "",
                      "Model \(check.model) (id \(check.modelId)): keyForBuyer opened with the buyer's key, \(DemoFormat.grouped(UInt64(check.bytes))) B decrypted, keccak256 \(check.hashMatches ? "equals" : "DIFFERS FROM") the modelHash on chain; re-scored locally \(DemoFormat.percent(check.rescored.accuracyBps)) (\(check.rescored.correct)/\(check.rescored.total)), logitsHash \(check.rescored.logitsHash); signed in submitResult \(check.resultTransaction): \(DemoFormat.percent(check.signedAccuracyBps)), \(check.signedLogitsHash), by \(check.signer)."]
        }
        lines += ["", "## Money", ""]
        var money = Table(header: ["mode", "marketplace", "task", "budget (ETH)", "paid to developers (ETH)", "refunded (ETH)"],
                          rightAligned: [2, 3, 4, 5])
        for task in tasks {
            money.rows.append([task.mode.rawValue, "\(task.marketplace)", String(task.taskId), Ether.format(task.budget),
                               Ether.format(task.paid), Ether.format(task.refunded)])
        }
        lines += money.lines
        if !plots.isEmpty {
            lines += ["", "## Plots", ""]
            lines += plots.map { "![\($0.title)](\($0.path))" }
        }
        lines += ["", "## Steps", ""]
        lines += stepLines
        return lines.joined(separator: "\n") + "\n"
    }
}
