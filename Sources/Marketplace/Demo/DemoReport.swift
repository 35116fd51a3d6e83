import Primitives

/// The three ways a model can be scored (issue 12, §3), plus the steps every mode shares.
public enum DemoMode: String, CaseIterable, Hashable, Sendable {
    /// Training and other work outside the chain that no mode owns.
    case setup
    /// TEE + GoldenGrain precompiles: registerEnclave (ATTESTATION_VERIFY) once, submitResult per model.
    case tee
    /// On chain with INFERENCE_EVAL: evaluateOnChain with the evaluator 0x…1001.
    case onChain = "onchain"
    /// Plain EVM: a Marketplace whose evaluator is Contracts/PlainEvaluator.vy.
    case plainEVM = "plain"

    /// The column title in tables.
    public var title: String {
        switch self {
        case .setup: return "setup"
        case .tee: return "TEE + precompiles"
        case .onChain: return "on chain (INFERENCE_EVAL)"
        case .plainEVM: return "plain EVM (PlainEvaluator.vy)"
        }
    }

    /// The three execution modes, in the order of the comparison.
    public static let measured: [DemoMode] = [.tee, .onChain, .plainEVM]
}

/// One step of the story: a transaction (gas, calldata, block) or work off chain (wall time only).
public struct DemoStep: Sendable {
    /// The mode the step belongs to.
    public var mode: DemoMode
    /// What was done: a contract function ("submitResult"), "deploy Marketplace", "train", …
    public var name: String
    /// The model the step is about, if any (its name in `DemoModelSpec`).
    public var model: String?
    /// Who sent the transaction.
    public var from: Address?
    /// The transaction, nil for work off chain.
    public var transaction: Hash32?
    /// The block it was mined in.
    public var block: UInt64?
    /// Gas used (from the receipt).
    public var gasUsed: UInt64?
    /// Bytes of call data (or init code) in the transaction.
    public var calldataBytes: Int?
    /// Wei paid for gas: gasUsed × effectiveGasPrice.
    public var fee: UInt256?
    /// Seconds from the start of the step until its receipt (or its end, off chain).
    public var wallSeconds: Double
    /// A remark printed beside the figures.
    public var note: String?

    /// Creates a step.
    public init(mode: DemoMode, name: String, model: String? = nil, from: Address? = nil, transaction: Hash32? = nil,
                block: UInt64? = nil, gasUsed: UInt64? = nil, calldataBytes: Int? = nil, fee: UInt256? = nil,
                wallSeconds: Double, note: String? = nil) {
        self.mode = mode
        self.name = name
        self.model = model
        self.from = from
        self.transaction = transaction
        self.block = block
        self.gasUsed = gasUsed
        self.calldataBytes = calldataBytes
        self.fee = fee
        self.wallSeconds = wallSeconds
        self.note = note
    }
}

/// How one model fared in one mode.
public struct DemoScore: Sendable {
    /// Its id in that mode's marketplace.
    public var modelId: UInt64
    /// Its state after scoring (sold, scored but not sold, or still submitted if it could not be scored).
    public var status: ModelStatus
    /// The accuracy the chain recorded.
    public var accuracyBps: UInt16?
    /// The logits hash: signed by the enclave (TEE), or returned by the evaluator for the full test set.
    public var logitsHash: Hash32?
    /// The price paid (ModelSold), zero if not sold.
    public var price: UInt256
    /// Gas of the transactions that scored it (submitResult; evaluateOnChain; or the evaluator's batches).
    public var scoringGas: UInt64?
    /// Whether ModelSold released a key for it (TEE: keyForBuyer; on chain the key is empty).
    public var keyReleased: Bool

    /// Creates a score.
    public init(modelId: UInt64, status: ModelStatus, accuracyBps: UInt16?, logitsHash: Hash32?, price: UInt256,
                scoringGas: UInt64?, keyReleased: Bool) {
        self.modelId = modelId
        self.status = status
        self.accuracyBps = accuracyBps
        self.logitsHash = logitsHash
        self.price = price
        self.scoringGas = scoringGas
        self.keyReleased = keyReleased
    }
}

/// One call of the plain-EVM evaluator on part of the test set, beside INFERENCE_EVAL's answer.
public struct DemoEvaluatorBatch: Sendable {
    /// The first sample of the batch.
    public var firstSample: Int
    /// Samples in the batch.
    public var sampleCount: Int
    /// Gas of the transaction that ran PlainEvaluator on it.
    public var gasUsed: UInt64
    /// Bytes of call data (model + batch as a GGD file).
    public var calldataBytes: Int
    /// The transaction.
    public var transaction: Hash32
    /// PlainEvaluator's 96-byte answer (correct, total, logitsHash) by eth_call.
    public var plainOutput: [UInt8]
    /// INFERENCE_EVAL's answer to the same input.
    public var precompileOutput: [UInt8]

    /// Creates a batch record.
    public init(firstSample: Int, sampleCount: Int, gasUsed: UInt64, calldataBytes: Int, transaction: Hash32,
                plainOutput: [UInt8], precompileOutput: [UInt8]) {
        self.firstSample = firstSample
        self.sampleCount = sampleCount
        self.gasUsed = gasUsed
        self.calldataBytes = calldataBytes
        self.transaction = transaction
        self.plainOutput = plainOutput
        self.precompileOutput = precompileOutput
    }
}

/// The plain-EVM evaluator on one model: the whole test set in one evaluateOnChain when it fits a
/// block, else the evaluator alone in batches of samples.
public struct DemoPlainEvaluation: Sendable {
    /// The model.
    public var model: String
    /// Whether the full test set fit one call within the block gas limit.
    public var fitsOneBlock: Bool
    /// Why it did not fit (the node's answer), when it did not.
    public var failure: String?
    /// PlainEvaluator's answer on the full test set, when it fit.
    public var fullOutput: [UInt8]?
    /// INFERENCE_EVAL's answer on the full test set.
    public var precompileFullOutput: [UInt8]
    /// The batches, when it did not fit.
    public var batches: [DemoEvaluatorBatch]
    /// Blocks the scoring needs: 1 when the whole test set fits, else the batches' gas packed
    /// first-fit into blocks of the gas limit.
    public var blocksNeeded: Int
    /// Blocks the batches alone need (first fit), 0 without batches.
    public var batchBlocksNeeded: Int = 0

    /// Creates an evaluation record.
    public init(model: String, fitsOneBlock: Bool, failure: String?, fullOutput: [UInt8]?, precompileFullOutput: [UInt8],
                batches: [DemoEvaluatorBatch], blocksNeeded: Int) {
        self.model = model
        self.fitsOneBlock = fitsOneBlock
        self.failure = failure
        self.fullOutput = fullOutput
        self.precompileFullOutput = precompileFullOutput
        self.batches = batches
        self.blocksNeeded = blocksNeeded
    }

    /// Σ gas of the batches.
    public var batchGas: UInt64 { batches.reduce(0) { $0 + $1.gasUsed } }
    /// The least number of blocks of `gasLimit` gas that hold transactions of these gas amounts,
    /// packed first fit in the given order (a transaction above the limit takes a block alone).
    /// - Parameters:
    ///   - gas: each transaction's gas.
    ///   - gasLimit: the block gas limit.
    /// - Returns: the number of blocks.
    public static func blocksNeeded(_ gas: [UInt64], gasLimit: UInt64) -> Int {
        var blocks: [UInt64] = []
        for amount in gas {
            if let index = blocks.firstIndex(where: { $0 + amount <= gasLimit }) { blocks[index] += amount } else { blocks.append(amount) }
        }
        return blocks.count
    }

    /// Whether every answer of PlainEvaluator equals INFERENCE_EVAL's byte for byte.
    public var outputsEqual: Bool {
        batches.allSatisfy { $0.plainOutput == $0.precompileOutput } && (fullOutput.map { $0 == precompileFullOutput } ?? true)
    }
}

/// A model trained for the demo and what each mode made of it.
public struct DemoModelOutcome: Sendable {
    /// How it was trained.
    public var spec: DemoModelSpec
    /// The developer who sells it.
    public var developer: Address
    /// The GGM file's size.
    public var bytes: Int
    /// keccak256 of the GGM file.
    public var modelHash: Hash32
    /// Wall time of training and quantization.
    public var trainSeconds: Double
    /// Its local score on the test set (the int8 kernel, before anything is sent).
    public var local: DemoLocalScore
    /// The score in each mode.
    public var scores: [DemoMode: DemoScore] = [:]

    /// Creates an outcome with no scores yet.
    public init(spec: DemoModelSpec, developer: Address, bytes: Int, modelHash: Hash32, trainSeconds: Double,
                local: DemoLocalScore) {
        self.spec = spec
        self.developer = developer
        self.bytes = bytes
        self.modelHash = modelHash
        self.trainSeconds = trainSeconds
        self.local = local
    }
}

/// A score computed locally with the int8 kernel.
public struct DemoLocalScore: Sendable {
    /// Samples right.
    public var correct: Int
    /// Samples in all.
    public var total: Int
    /// ⌊10000·correct/total⌋.
    public var accuracyBps: UInt16
    /// keccak256 of every logit, as INFERENCE_EVAL.
    public var logitsHash: Hash32

    /// Creates a score.
    public init(correct: Int, total: Int, accuracyBps: UInt16, logitsHash: Hash32) {
        self.correct = correct
        self.total = total
        self.accuracyBps = accuracyBps
        self.logitsHash = logitsHash
    }
}

/// The buyer's check of one sold model: fetch, decrypt, re-score, compare with the signed result.
public struct DemoBuyerCheck: Sendable {
    /// The model.
    public var model: String
    /// Its id in the TEE task.
    public var modelId: UInt64
    /// The submitResult transaction the signed figures were read from.
    public var resultTransaction: Hash32
    /// accuracyBps and logitsHash as signed by the enclave (the submitResult input).
    public var signedAccuracyBps: UInt16
    /// The signed logits hash.
    public var signedLogitsHash: Hash32
    /// Who signed the result (recovered from the EIP-712 signature in the input).
    public var signer: Address
    /// The buyer's own score of the decrypted model.
    public var rescored: DemoLocalScore
    /// Whether the decrypted file's keccak256 is the modelHash on chain.
    public var hashMatches: Bool
    /// The decrypted model's size.
    public var bytes: Int
}

/// One task's money: what went in, what was paid, what came back.
public struct DemoTaskAccount: Sendable {
    /// The mode.
    public var mode: DemoMode
    /// The marketplace.
    public var marketplace: Address
    /// The task id there.
    public var taskId: UInt64
    /// Its deadline.
    public var deadline: UInt64
    /// The budget escrowed.
    public var budget: UInt256
    /// Σ prices of its sold models.
    public var paid: UInt256
    /// What refund returned.
    public var refunded: UInt256
    /// budgetLeft after the refund (0).
    public var budgetLeftAfter: UInt256
}

/// A developer's withdraw() in one mode.
public struct DemoWithdrawal: Sendable {
    /// The mode whose sales it collects.
    public var mode: DemoMode
    /// The marketplace.
    public var marketplace: Address
    /// The developer.
    public var account: Address
    /// The credit withdrawn (the Withdrawn event's amount).
    public var amount: UInt256
}

/// An account's balance over the demo and the marketplace money that moved it.
public struct DemoBalance: Sendable {
    /// Its role ("provider", "developer 1", …).
    public var role: String
    /// The account.
    public var address: Address
    /// Balance before the first step.
    public var before: UInt256
    /// Balance after the last.
    public var after: UInt256
    /// Σ fees of the demo's transactions it sent.
    public var fees: UInt256
    /// Σ value it sent to the marketplaces (budgets).
    public var sent: UInt256
    /// Σ it received from the marketplaces (withdrawals, refunds).
    public var received: UInt256
}

/// Everything the demo measured.
public struct DemoReport: Sendable {
    /// The node: "in-process ephemeral dev node" or the URL given.
    public var node: String
    /// Its RPC URL.
    public var rpcURL: String
    /// The chain id.
    public var chainId: UInt64
    /// The block gas limit.
    public var blockGasLimit: UInt64
    /// The predeployed marketplace (modes TEE and on chain).
    public var marketplace: Address
    /// The plain-EVM marketplace deployed by the demo.
    public var plainMarketplace: Address
    /// The PlainEvaluator contract.
    public var plainEvaluator: Address
    /// The demo's SIMULATED enclave.
    public var enclave: Address
    /// The enclave worker's relayer.
    public var relayer: Address
    /// The provider (buyer).
    public var provider: Address
    /// The task terms used in every mode.
    public var minAccuracyBps: UInt16
    /// The price of a perfect model.
    public var maxPricePerModel: UInt256
    /// Each task's budget.
    public var budget: UInt256
    /// The test set: samples and bytes.
    public var testSamples: Int
    /// Bytes of the GGD test file.
    public var testSetBytes: Int
    /// keccak256 of the test file.
    public var datasetHash: Hash32
    /// Every step, in order.
    public var steps: [DemoStep] = []
    /// The models.
    public var models: [DemoModelOutcome] = []
    /// The plain-EVM evaluator per model.
    public var plainEvaluations: [DemoPlainEvaluation] = []
    /// The buyer's re-score.
    public var buyerCheck: DemoBuyerCheck?
    /// The tasks' money.
    public var tasks: [DemoTaskAccount] = []
    /// The developers' withdrawals, per mode.
    public var withdrawals: [DemoWithdrawal] = []
    /// The people's balances.
    public var balances: [DemoBalance] = []
    /// Marketplace balances before and after (the demo's escrow must be gone).
    public var marketplaceBalanceBefore: UInt256 = .zero
    /// After the last step.
    public var marketplaceBalanceAfter: UInt256 = .zero
    /// The plain marketplace's balance at the end.
    public var plainMarketplaceBalanceAfter: UInt256 = .zero
    /// Wall time of the whole story.
    public var totalSeconds: Double = 0

    /// Creates an empty report for a node.
    public init(node: String, rpcURL: String, chainId: UInt64, blockGasLimit: UInt64, marketplace: Address,
                enclave: Address, relayer: Address, provider: Address, minAccuracyBps: UInt16,
                maxPricePerModel: UInt256, budget: UInt256, testSamples: Int, testSetBytes: Int, datasetHash: Hash32) {
        self.node = node
        self.rpcURL = rpcURL
        self.chainId = chainId
        self.blockGasLimit = blockGasLimit
        self.marketplace = marketplace
        self.plainMarketplace = .zero
        self.plainEvaluator = .zero
        self.enclave = enclave
        self.relayer = relayer
        self.provider = provider
        self.minAccuracyBps = minAccuracyBps
        self.maxPricePerModel = maxPricePerModel
        self.budget = budget
        self.testSamples = testSamples
        self.testSetBytes = testSetBytes
        self.datasetHash = datasetHash
    }
}

/// Automata's published gas of verifying an SGX DCAP quote without a precompile — quoted, not
/// measured here (automata-network/automata-dcap-attestation, README, "On-Chain vs SNARK Attestations").
public enum DemoPublishedAttestationCost {
    /// Where the figures come from.
    public static let source = "the README of automata-network/automata-dcap-attestation, \"On-Chain vs SNARK Attestations\", https://github.com/automata-network/automata-dcap-attestation"
    /// (method, gas as published).
    public static let figures: [(method: String, gas: String, low: UInt64, high: UInt64)] = [
        ("fully on chain (V3/V4 QuoteVerifier)", "~4-5M gas (varies by collateral size)", 4_000_000, 5_000_000),
        ("Groth16 proof, RISC Zero", "351k gas", 351_000, 351_000),
        ("Groth16 proof, SP1", "325k gas", 325_000, 325_000),
        ("Plonk proof, SP1", "410k gas", 410_000, 410_000),
    ]
}
