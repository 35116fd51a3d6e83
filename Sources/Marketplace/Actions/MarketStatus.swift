import Foundation
import Primitives

/// The marketplace's tasks and models as `market status` shows them: terms and budget from the
/// TaskCreated logs and `taskInfo`, models from the ModelSubmitted logs and `modelInfo`, prices
/// from ModelSold, refunds from Refunded; times compared with the latest block's timestamp.
public struct MarketStatusReport: Sendable {
    /// One model.
    public struct Model: Sendable {
        /// Its id.
        public var modelId: UInt64
        /// Its task.
        public var taskId: UInt64
        /// Who submitted it.
        public var developer: Address
        /// keccak256 of the plaintext model.
        public var modelHash: Hash32
        /// Its state.
        public var status: ModelStatus
        /// Its score (0 until scored).
        public var accuracyBps: UInt16
        /// The price paid, for a sold model.
        public var price: UInt256?
    }

    /// One task.
    public struct Task: Sendable {
        /// Its id.
        public var taskId: UInt64
        /// The provider.
        public var provider: Address
        /// The benchmarking enclave.
        public var enclave: Address
        /// keccak256 of the plaintext test set.
        public var datasetHash: Hash32
        /// Where the encrypted test set is.
        public var datasetURI: String
        /// The least paid accuracy.
        public var minAccuracyBps: UInt16
        /// The price of a perfect model.
        public var maxPricePerModel: UInt256
        /// The budget escrowed at creation.
        public var budget: UInt256
        /// Wei left in escrow.
        public var budgetLeft: UInt256
        /// Wei paid to developers.
        public var paid: UInt256
        /// Wei refunded to the provider.
        public var refunded: UInt256
        /// Submissions close (Unix time).
        public var deadline: UInt64
        /// Results are accepted until this time; refunds after it.
        public var resultWindowEnd: UInt64
        /// "open", "scoring", "closed, refundable", "refunded", "closed".
        public var state: String
        /// Its models, by id.
        public var models: [Model]
    }

    /// The contract.
    public var marketplace: Address
    /// The latest block's timestamp.
    public var chainTime: UInt64
    /// The contract's result window in seconds.
    public var resultWindow: UInt64
    /// The tasks, by id.
    public var tasks: [Task]

    /// A task's state at a time.
    /// - Parameters:
    ///   - now: the chain's time.
    ///   - deadline: the task's deadline.
    ///   - windowEnd: deadline + result window.
    ///   - budgetLeft: wei left.
    ///   - refunded: wei refunded so far.
    /// - Returns: "open" (submissions accepted), "scoring" (results still accepted), "closed,
    ///   refundable" (budget left to refund), "refunded" or "closed".
    public static func state(now: UInt64, deadline: UInt64, windowEnd: UInt64, budgetLeft: UInt256, refunded: UInt256) -> String {
        if now < deadline { return "open" }
        if now <= windowEnd { return "scoring" }
        if !budgetLeft.isZero { return "closed, refundable" }
        return refunded.isZero ? "closed" : "refunded"
    }

    /// A time relative to now: "in 59m", "1h30m ago", "now".
    /// - Parameters:
    ///   - time: the time.
    ///   - now: the reference.
    /// - Returns: the text.
    public static func relative(_ time: UInt64, now: UInt64) -> String {
        if time == now { return "now" }
        return time > now ? "in \(MarketDuration.format(time - now))" : "\(MarketDuration.format(now - time)) ago"
    }

    /// A Unix time in UTC, "2025-01-31 12:00:00 UTC".
    /// - Parameter time: Unix seconds.
    /// - Returns: the text.
    public static func utc(_ time: UInt64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time))) + " UTC"
    }

    /// The tasks table and the models table.
    public var tables: (tasks: TextTable, models: TextTable) {
        let tasksTable = TextTable(
            header: ["Task", "State", "Deadline", "Min Accuracy", "Max Price (ETH)", "Budget (ETH)", "Budget Left (ETH)", "Models", "Provider"],
            rows: tasks.map { task in
                [String(task.taskId), task.state, "\(Self.utc(task.deadline)) (\(Self.relative(task.deadline, now: chainTime)))",
                 BasisPoints.percent(task.minAccuracyBps), Ether.format(task.maxPricePerModel), Ether.format(task.budget),
                 Ether.format(task.budgetLeft), String(task.models.count), task.provider.checksummed]
            })
        let modelsTable = TextTable(
            header: ["Model", "Task", "Status", "Accuracy", "Price (ETH)", "Developer"],
            rows: tasks.flatMap(\.models).map { model in
                let scored = model.status == .sold || model.status == .scoredNotSold
                return [String(model.modelId), String(model.taskId), model.status.description,
                        scored ? BasisPoints.percent(model.accuracyBps) : "-",
                        model.price.map(Ether.format) ?? "-", model.developer.checksummed]
            })
        return (tasksTable, modelsTable)
    }

    /// Both tables as text, with a line naming the marketplace and the chain time.
    public var rendered: String {
        var text = "marketplace \(marketplace.checksummed), chain time \(Self.utc(chainTime)), result window \(MarketDuration.format(resultWindow))\n\n"
        if tasks.isEmpty { return text + "no tasks\n" }
        let (tasksTable, modelsTable) = tables
        text += tasksTable.rendered
        text += "\n"
        text += modelsTable.rows.isEmpty ? "no models\n" : modelsTable.rendered
        return text
    }

    /// The report as JSON: wei amounts as decimal strings (exact), times as Unix seconds.
    public var json: JSON {
        .object([
            ("marketplace", .string(marketplace.checksummed)),
            ("chainTime", .integer(chainTime)),
            ("resultWindow", .integer(resultWindow)),
            ("tasks", .array(tasks.map { task in
                .object([
                    ("taskId", .integer(task.taskId)),
                    ("state", .string(task.state)),
                    ("provider", .string(task.provider.checksummed)),
                    ("enclave", .string(task.enclave.checksummed)),
                    ("datasetHash", .string(task.datasetHash.description)),
                    ("datasetURI", .string(task.datasetURI)),
                    ("minAccuracyBps", .integer(task.minAccuracyBps)),
                    ("maxPricePerModelWei", .string(task.maxPricePerModel.description)),
                    ("budgetWei", .string(task.budget.description)),
                    ("budgetLeftWei", .string(task.budgetLeft.description)),
                    ("paidWei", .string(task.paid.description)),
                    ("refundedWei", .string(task.refunded.description)),
                    ("deadline", .integer(task.deadline)),
                    ("resultWindowEnd", .integer(task.resultWindowEnd)),
                    ("modelCount", .integer(task.models.count)),
                    ("models", .array(task.models.map { model in
                        .object([
                            ("modelId", .integer(model.modelId)),
                            ("taskId", .integer(model.taskId)),
                            ("developer", .string(model.developer.checksummed)),
                            ("modelHash", .string(model.modelHash.description)),
                            ("status", .string(model.status.description)),
                            ("statusCode", .integer(model.status.rawValue)),
                            ("accuracyBps", .integer(model.accuracyBps)),
                            ("priceWei", model.price.map { .string($0.description) } ?? .null),
                        ])
                    })),
                ])
            })),
        ])
    }
}

extension MarketActions {
    /// Reads the marketplace's tasks and models.
    /// - Parameter taskId: one task, or nil for all.
    /// - Returns: the report.
    /// - Throws: `MarketActionError` (`.state` for an unknown task id).
    public func status(taskId: UInt64? = nil) async throws(MarketActionError) -> MarketStatusReport {
        try await requireContract()
        let now = try await chainTime()
        let window: UInt64
        let logs: [(event: MarketplaceEvent, log: LogEntry)]
        do {
            window = try await marketplace.resultWindow()
            logs = try await marketplace.events(
                only: [MarketplaceABI.taskCreated, MarketplaceABI.modelSubmitted, MarketplaceABI.modelSold,
                       MarketplaceABI.modelScored, MarketplaceABI.refunded],
                indexed: taskId.map { [[$0.topicWord]] } ?? [])
        } catch { throw .contract(error) }

        var budgets: [UInt64: UInt256] = [:]
        var taskOrder: [UInt64] = []
        var modelsByTask: [UInt64: [UInt64]] = [:]
        var prices: [UInt64: UInt256] = [:]
        var refunds: [UInt64: UInt256] = [:]
        for (event, _) in logs {
            switch event {
            case .taskCreated(let id, _, _, let budget, _):
                if budgets[id] == nil { taskOrder.append(id) }
                budgets[id] = budget
            case .modelSubmitted(let task, let model, _, _):
                modelsByTask[task, default: []].append(model)
            case .modelSold(_, let model, _, _, let price, _):
                prices[model] = price
            case .refunded(let task, let amount):
                refunds[task] = (refunds[task] ?? .zero) &+ amount
            default:
                break
            }
        }
        if let taskId, budgets[taskId] == nil {
            _ = try await existingTask(taskId)  // throws the "does not exist" message
            budgets[taskId] = .zero             // created without a log in range (e.g. in genesis)
            taskOrder.append(taskId)
        }

        var tasks: [MarketStatusReport.Task] = []
        for id in taskOrder.sorted() {
            let info: TaskInfo, data: TaskData
            do {
                info = try await marketplace.taskInfo(taskId: id)
                data = try await marketplace.taskData(taskId: id)
            } catch { throw .contract(error) }
            var models: [MarketStatusReport.Model] = []
            for modelId in (modelsByTask[id] ?? []).sorted() {
                let model: ModelInfo
                do { model = try await marketplace.modelInfo(modelId: modelId) } catch { throw .contract(error) }
                models.append(.init(modelId: modelId, taskId: id, developer: model.developer, modelHash: model.modelHash,
                                    status: model.status, accuracyBps: model.accuracyBps,
                                    price: model.status == .sold ? prices[modelId] : nil))
            }
            let paid = models.reduce(UInt256.zero) { $0 &+ ($1.price ?? .zero) }
            let refunded = refunds[id] ?? .zero
            let windowEnd = info.deadline &+ window
            tasks.append(.init(taskId: id, provider: info.provider, enclave: info.enclave, datasetHash: info.datasetHash,
                               datasetURI: data.datasetURI, minAccuracyBps: info.minAccuracyBps,
                               maxPricePerModel: info.maxPricePerModel, budget: budgets[id] ?? .zero, budgetLeft: info.budgetLeft,
                               paid: paid, refunded: refunded, deadline: info.deadline, resultWindowEnd: windowEnd,
                               state: MarketStatusReport.state(now: now, deadline: info.deadline, windowEnd: windowEnd,
                                                               budgetLeft: info.budgetLeft, refunded: refunded),
                               models: models))
        }
        return MarketStatusReport(marketplace: marketplace.address, chainTime: now, resultWindow: window, tasks: tasks)
    }
}
