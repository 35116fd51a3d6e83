import Primitives

/// `goldengrain demo --json`: one JSON document with every step and figure. Gas, bytes, counts and
/// accuracies are numbers; wei amounts are decimal strings (exact beyond 2⁵³); hashes, addresses and
/// byte strings are 0x-hex.
extension DemoReport {
    /// The document.
    /// - Parameter command: the command line that made it.
    /// - Returns: the JSON value.
    public func json(command: String) -> JSON {
        .object([
            ("command", .string(command)),
            ("node", .string(node)),
            ("rpcURL", .string(rpcURL)),
            ("chainId", .integer(chainId)),
            ("blockGasLimit", .integer(blockGasLimit)),
            ("contracts", .object([
                ("marketplace", address(marketplace)), ("plainMarketplace", address(plainMarketplace)),
                ("plainEvaluator", address(plainEvaluator)),
                ("inferenceEval", address(MarketplaceClient.inferenceEvaluator)),
            ])),
            ("accounts", .object([
                ("provider", address(provider)), ("enclave", address(enclave)), ("relayer", address(relayer)),
                ("developers", .array(models.map { address($0.developer) })),
            ])),
            ("task", .object([
                ("minAccuracyBps", .integer(minAccuracyBps)), ("maxPricePerModel", wei(maxPricePerModel)),
                ("budget", wei(budget)), ("testSamples", .integer(testSamples)), ("testSetBytes", .integer(testSetBytes)),
                ("datasetHash", .string(datasetHash.description)),
            ])),
            ("steps", .array(steps.map(stepJSON))),
            ("models", .array(models.map(modelJSON))),
            ("plainEvaluator", .array(plainEvaluations.map(plainJSON))),
            ("buyer", buyerCheck.map(buyerJSON) ?? .null),
            ("tasks", .array(tasks.map { task in
                .object([
                    ("mode", .string(task.mode.rawValue)), ("marketplace", address(task.marketplace)),
                    ("taskId", .integer(task.taskId)), ("deadline", .integer(task.deadline)), ("budget", wei(task.budget)),
                    ("paid", wei(task.paid)), ("refunded", wei(task.refunded)), ("budgetLeftAfter", wei(task.budgetLeftAfter)),
                ])
            })),
            ("withdrawals", .array(withdrawals.map { withdrawal in
                .object([
                    ("mode", .string(withdrawal.mode.rawValue)), ("marketplace", address(withdrawal.marketplace)),
                    ("account", address(withdrawal.account)), ("amount", wei(withdrawal.amount)),
                ])
            })),
            ("balances", .array(balances.map { balance in
                .object([
                    ("role", .string(balance.role)), ("address", address(balance.address)), ("before", wei(balance.before)),
                    ("after", wei(balance.after)), ("fees", wei(balance.fees)), ("sent", wei(balance.sent)),
                    ("received", wei(balance.received)),
                ])
            })),
            ("marketplaceBalance", .object([("before", wei(marketplaceBalanceBefore)), ("after", wei(marketplaceBalanceAfter))])),
            ("plainMarketplaceBalanceAfter", wei(plainMarketplaceBalanceAfter)),
            ("summary", summaryJSON()),
            ("attestationWithoutPrecompile", .object([
                ("measuredHere", .bool(false)),
                ("source", .string(DemoPublishedAttestationCost.source)),
                ("figures", .array(DemoPublishedAttestationCost.figures.map { figure in
                    .object([("method", .string(figure.method)), ("published", .string(figure.gas)),
                             ("gasLow", .integer(figure.low)), ("gasHigh", .integer(figure.high))])
                })),
            ])),
            ("totalSeconds", number(totalSeconds)),
        ])
    }

    func summaryJSON() -> JSON {
        let all = summaries
        var modes: [(String, JSON)] = []
        for summary in all {
            modes.append((summary.mode.rawValue, .object([
                ("title", .string(summary.mode.title)),
                ("attestationGas", .integer(summary.attestationGas)),
                ("scoringGas", .array(summary.scoringGas.map { $0.map { .integer($0) } ?? .null })),
                ("meanScoringGas", .integer(summary.meanScoringGas)),
                ("modelsSold", .integer(summary.modelsSold)),
                ("modelsSoldProjected", .bool(summary.soldIsProjected)),
                ("gasPerModelSold", summary.gasPerModelSold.map { .integer($0) } ?? .null),
                ("ratioToTee", ratio(summary.mode, to: .tee).map(number) ?? .null),
                ("totalGas", .integer(summary.totalGas)),
            ])))
        }
        return .object([
            ("definitions", .array(Self.definitions.map(JSON.string))),
            ("modes", .object(modes)),
            ("ratios", .object([
                ("onchainToTee", ratio(.onChain, to: .tee).map(number) ?? .null),
                ("plainToTee", ratio(.plainEVM, to: .tee).map(number) ?? .null),
                ("plainToOnchain", ratio(.plainEVM, to: .onChain).map(number) ?? .null),
            ])),
        ])
    }

    func stepJSON(_ step: DemoStep) -> JSON {
        .object([
            ("mode", .string(step.mode.rawValue)), ("name", .string(step.name)), ("model", step.model.map(JSON.string) ?? .null),
            ("from", step.from.map(address) ?? .null), ("transaction", step.transaction.map { .string($0.description) } ?? .null),
            ("block", step.block.map { .integer($0) } ?? .null), ("gasUsed", step.gasUsed.map { .integer($0) } ?? .null),
            ("calldataBytes", step.calldataBytes.map { .integer($0) } ?? .null), ("fee", step.fee.map(wei) ?? .null),
            ("wallSeconds", number(step.wallSeconds)), ("note", step.note.map(JSON.string) ?? .null),
        ])
    }

    func modelJSON(_ model: DemoModelOutcome) -> JSON {
        var modes: [(String, JSON)] = []
        for mode in DemoMode.measured {
            guard let score = model.scores[mode] else { continue }
            modes.append((mode.rawValue, .object([
                ("modelId", .integer(score.modelId)), ("status", .string(Self.statusName(score.status))),
                ("accuracyBps", score.accuracyBps.map { .integer($0) } ?? .null),
                ("logitsHash", score.logitsHash.map { .string($0.description) } ?? .null),
                ("price", wei(score.price)), ("scoringGas", score.scoringGas.map { .integer($0) } ?? .null),
                ("keyReleased", .bool(score.keyReleased)),
            ])))
        }
        return .object([
            ("name", .string(model.spec.name)), ("hidden", .integer(model.spec.hidden)), ("epochs", .integer(model.spec.epochs)),
            ("seed", .integer(model.spec.seed)), ("developer", address(model.developer)), ("bytes", .integer(model.bytes)),
            ("modelHash", .string(model.modelHash.description)), ("trainSeconds", number(model.trainSeconds)),
            ("local", localJSON(model.local)),
            ("modes", .object(modes)),
        ])
    }

    func plainJSON(_ evaluation: DemoPlainEvaluation) -> JSON {
        .object([
            ("model", .string(evaluation.model)), ("fitsOneBlock", .bool(evaluation.fitsOneBlock)),
            ("failure", evaluation.failure.map(JSON.string) ?? .null),
            ("fullOutput", evaluation.fullOutput.map { .string(Hex.encode($0)) } ?? .null),
            ("precompileFullOutput", .string(Hex.encode(evaluation.precompileFullOutput))),
            ("outputsEqual", .bool(evaluation.outputsEqual)),
            ("batchGas", .integer(evaluation.batchGas)), ("blocksNeeded", .integer(evaluation.blocksNeeded)),
            ("batchBlocksNeeded", .integer(evaluation.batchBlocksNeeded)),
            ("batches", .array(evaluation.batches.map { batch in
                .object([
                    ("firstSample", .integer(batch.firstSample)), ("sampleCount", .integer(batch.sampleCount)),
                    ("gasUsed", .integer(batch.gasUsed)), ("calldataBytes", .integer(batch.calldataBytes)),
                    ("transaction", .string(batch.transaction.description)),
                    ("plainOutput", .string(Hex.encode(batch.plainOutput))),
                    ("precompileOutput", .string(Hex.encode(batch.precompileOutput))),
                ])
            })),
        ])
    }

    func buyerJSON(_ check: DemoBuyerCheck) -> JSON {
        .object([
            ("model", .string(check.model)), ("modelId", .integer(check.modelId)),
            ("resultTransaction", .string(check.resultTransaction.description)),
            ("signedAccuracyBps", .integer(check.signedAccuracyBps)), ("signedLogitsHash", .string(check.signedLogitsHash.description)),
            ("signer", address(check.signer)), ("rescored", localJSON(check.rescored)), ("hashMatches", .bool(check.hashMatches)),
            ("bytes", .integer(check.bytes)),
        ])
    }

    func localJSON(_ score: DemoLocalScore) -> JSON {
        .object([("correct", .integer(score.correct)), ("total", .integer(score.total)),
                 ("accuracyBps", .integer(score.accuracyBps)), ("logitsHash", .string(score.logitsHash.description))])
    }

    static func statusName(_ status: ModelStatus) -> String {
        switch status {
        case .none: return "none"
        case .submitted: return "submitted"
        case .sold: return "sold"
        case .scoredNotSold: return "scored"
        }
    }

    func address(_ value: Address) -> JSON { .string(value.checksummed) }
    func wei(_ value: UInt256) -> JSON { .string(value.description) }
    func number(_ value: Double) -> JSON {
        let micros = (value * 1_000_000).rounded()
        return .number(micros == 0 ? "0" : String(micros / 1_000_000))
    }
}
