import ChainTypes
import Primitives
import State

/// Transactions waiting for a block, per sender in nonce order (after go-ethereum's
/// core/txpool/legacypool): a transaction is *pending* (executable) when every nonce from the
/// sender's state nonce up to its own is pooled, and *queued* (future) when there is a gap before it.
///
/// Admission checks, in order, each with geth's message: "already known"; the size limit
/// ("oversized data"); the stateless rules of `Transaction.validateWithoutState()` ("intrinsic gas too
/// low", "max priority fee per gas higher than max fee per gas", …); "exceeds block gas limit"; "max
/// fee per gas less than block base fee" (anvil's rule: such a transaction could never be mined on
/// a dev chain whose base fee only falls when blocks are empty); "nonce too low" against the state;
/// EIP-3607 "sender not an eoa"; "insufficient funds for gas * price + value", first against the
/// balance alone, then against the balance less the cost of the sender's pending transactions (a
/// replacement counts only what it adds), as geth's `ValidateTransactionWithState` does; then room
/// (see below); then replacement: the same sender and nonce is accepted only if both the fee cap and
/// the tip rise by at least `priceBumpPercent` (and strictly), else "replacement transaction
/// underpriced"; then the per-sender queue limit.
///
/// Room, as `TransactionPoolLimits` describes it: a transaction that does not fit in
/// `limits.capacity` slots must pay more than the cheapest pooled one ("transaction underpriced");
/// the cheapest transactions that pay less than it are then evicted until it fits ("txpool is full"
/// when they are not enough), except that a queued transaction may not evict pending ones ("future
/// transaction tries to replace pending"). Price order is geth's: the effective tip at the next base
/// fee, then the fee cap, then the tip; among equals the higher nonce, then the later arrival, goes
/// first. After an addition the executable part is cut back to `globalSlots` transactions from the
/// senders holding the most above `accountSlots`, and the queued part to `globalQueue` from the
/// senders least recently active, as geth's `truncatePending`/`truncateQueue` do; where geth would
/// then silently drop the transaction just added, this pool refuses it instead ("txpool is full",
/// "account limit exceeded"), so that an accepted hash is always pooled.
///
/// A value type: the node keeps one under its lock, and evm_snapshot copies it.
public struct TransactionPool: Sendable {
    /// The bounds.
    public let limits: TransactionPoolLimits
    private var bySender: [Address: [UInt64: PooledTransaction]] = [:]
    private var byHash: [Hash32: PooledTransaction] = [:]
    /// When each transaction arrived, for a stable eviction order among equal prices.
    private var arrival: [Hash32: UInt64] = [:]
    /// When each sender last added a transaction (geth's heartbeat), for queue truncation.
    private var heartbeats: [Address: UInt64] = [:]
    private var clock: UInt64 = 0
    /// The slots all pooled transactions take.
    public private(set) var slots = 0

    /// Creates an empty pool.
    /// - Parameter limits: the bounds.
    public init(limits: TransactionPoolLimits = TransactionPoolLimits()) {
        self.limits = limits
    }

    /// How many transactions the pool holds.
    public var count: Int { byHash.count }

    /// The pooled transaction with this hash.
    /// - Parameter hash: the transaction hash.
    /// - Returns: it, or nil.
    public func transaction(hash: Hash32) -> PooledTransaction? { byHash[hash] }

    /// Validates a transaction against the head state and adds it, evicting cheaper transactions
    /// or trimming the pool to its limits as needed.
    /// - Parameters:
    ///   - pooled: the transaction with its sender.
    ///   - state: the state the next block builds on (read only).
    ///   - baseFee: the next block's base fee.
    ///   - blockGasLimit: the next block's gas limit.
    /// - Returns: the hash of the transaction it replaced, if any.
    /// - Throws: `TransactionPoolError` naming the first rule broken; the pool is then unchanged.
    @discardableResult
    public mutating func add(_ pooled: PooledTransaction, state: WorldState, baseFee: UInt256,
                             blockGasLimit: UInt64) throws(TransactionPoolError) -> Hash32? {
        let transaction = pooled.transaction
        if byHash[pooled.hash] != nil { throw .alreadyKnown(pooled.hash) }
        let size = transaction.encoded.count
        if size > limits.maximumTransactionSize { throw .oversizedData(size: size, limit: limits.maximumTransactionSize) }
        do throws(TransactionError) { try transaction.validateWithoutState() } catch {
            if case .intrinsicGasTooLow(let gasLimit, let intrinsicGas) = error {
                throw .intrinsicGasTooLow(gasLimit: gasLimit, intrinsicGas: intrinsicGas)
            }
            throw .invalid(error)
        }
        if transaction.gasLimit > blockGasLimit {
            throw .exceedsBlockGasLimit(gasLimit: transaction.gasLimit, blockGasLimit: blockGasLimit)
        }
        if transaction.maxFeePerGas < baseFee {
            throw .maxFeeBelowBaseFee(sender: pooled.sender, maxFeePerGas: transaction.maxFeePerGas, baseFee: baseFee)
        }
        let sender = pooled.sender
        let stateNonce = state.nonce(of: sender)
        if transaction.nonce < stateNonce { throw .nonceTooLow(nextNonce: stateNonce, transactionNonce: transaction.nonce) }
        if state.codeHash(of: sender) != .emptyKeccak { throw .senderNotEOA(sender: sender) }
        try checkFunds(pooled, balance: state.balance(of: sender), stateNonce: stateNonce)

        let queue = bySender[sender] ?? [:]
        let existing = queue[transaction.nonce]
        let pendingNonce = pendingNonce(of: sender, stateNonce: stateNonce)
        let isGapped = transaction.nonce > pendingNonce
        let newSlots = TransactionPoolLimits.slots(forSize: size)
        var evicted = try roomFor(pooled, slots: newSlots, replacing: existing, isGapped: isGapped, baseFee: baseFee,
                                  stateNonce: { state.nonce(of: $0) })
        if let existing { try checkReplacement(of: existing.transaction, by: transaction) }
        if existing == nil && isGapped {
            let queued = queue.keys.filter { $0 > pendingNonce }
            if queued.count >= limits.accountQueue, let furthest = queued.max() {
                // geth caps the queue by dropping its highest nonces, which here would be this one.
                guard transaction.nonce < furthest else { throw .accountLimitExceeded(sender: sender, limit: limits.accountQueue) }
                if let dropped = queue[furthest], !evicted.contains(dropped.hash) { evicted.append(dropped.hash) }
            }
        }

        if let existing { evicted.append(existing.hash) }
        if count - evicted.count + 1 <= min(limits.globalSlots, limits.globalQueue) {
            // Below both truncation limits nothing can be cut: change the pool in place.
            for hash in evicted { remove(hash: hash) }
            insert(pooled)
        } else {
            // Truncation may refuse the addition after other changes: work on a copy.
            var updated = self
            for hash in evicted { updated.remove(hash: hash) }
            updated.insert(pooled)
            try updated.truncate(keeping: pooled, stateNonce: { state.nonce(of: $0) })
            self = updated
        }
        return existing?.hash
    }

    // MARK: Admission rules

    /// gasLimit × fee cap + value (geth's `tx.Cost()`), saturating at 2^256 − 1.
    static func cost(of transaction: Transaction) -> UInt256 {
        let (high, low) = transaction.maxFeePerGas.multipliedFullWidth(by: UInt256(transaction.gasLimit))
        let (sum, overflow) = low.addingReportingOverflow(transaction.value)
        return high.isZero && !overflow ? sum : .max
    }

    /// The balance must cover this transaction alone, then on top of the sender's pending ones.
    private func checkFunds(_ pooled: PooledTransaction, balance: UInt256, stateNonce: UInt64) throws(TransactionPoolError) {
        let cost = Self.cost(of: pooled.transaction)
        if balance < cost { throw .insufficientFunds(balance: balance, cost: cost) }
        var pendingCost = UInt256.zero
        var replacedCost: UInt256?
        if let queue = bySender[pooled.sender] {
            var nonce = stateNonce
            while let next = queue[nonce] {
                let nextCost = Self.cost(of: next.transaction)
                let (sum, overflow) = pendingCost.addingReportingOverflow(nextCost)
                pendingCost = overflow ? .max : sum
                if nonce == pooled.transaction.nonce { replacedCost = nextCost }
                nonce += 1
            }
        }
        if let replacedCost {
            let (need, overflow) = (pendingCost &- replacedCost).addingReportingOverflow(cost)
            if overflow || balance < need {
                throw .insufficientFundsForReplacement(balance: balance, pendingCost: pendingCost, cost: cost,
                                                       replacedCost: replacedCost)
            }
        } else {
            let (need, overflow) = pendingCost.addingReportingOverflow(cost)
            if overflow || balance < need {
                throw .insufficientFundsWithPending(balance: balance, pendingCost: pendingCost, cost: cost)
            }
        }
    }

    /// A replacement must raise both the fee cap and the tip strictly and by the price bump.
    private func checkReplacement(of old: Transaction, by transaction: Transaction) throws(TransactionPoolError) {
        let bump = limits.priceBumpPercent
        let feeThreshold = Self.bumped(old.maxFeePerGas, percent: bump)
        let tipThreshold = Self.bumped(old.maxPriorityFeePerGas, percent: bump)
        let raisesStrictly = transaction.maxFeePerGas > old.maxFeePerGas && transaction.maxPriorityFeePerGas > old.maxPriorityFeePerGas
        guard raisesStrictly, transaction.maxFeePerGas >= feeThreshold, transaction.maxPriorityFeePerGas >= tipThreshold else {
            throw .replacementUnderpriced(existingMaxFee: old.maxFeePerGas, existingTip: old.maxPriorityFeePerGas,
                                          maxFee: transaction.maxFeePerGas, tip: transaction.maxPriorityFeePerGas, bumpPercent: bump)
        }
    }

    /// value × (100 + percent) / 100, as geth computes the replacement threshold.
    private static func bumped(_ value: UInt256, percent: UInt64) -> UInt256 {
        let (high, low) = value.multipliedFullWidth(by: UInt256(100 + percent))
        guard high.isZero else { return .max }
        return low.quotient(dividingBy: UInt256(100))
    }

    /// The transactions to evict so that `pooled` fits in the capacity (none if it fits).
    private func roomFor(_ pooled: PooledTransaction, slots newSlots: Int, replacing existing: PooledTransaction?,
                         isGapped: Bool, baseFee: UInt256,
                         stateNonce: (Address) -> UInt64) throws(TransactionPoolError) -> [Hash32] {
        let freedByReplacement = existing.map { TransactionPoolLimits.slots(forSize: $0.transaction.encoded.count) } ?? 0
        var needed = slots - freedByReplacement + newSlots - limits.capacity
        guard needed > 0 else { return [] }
        let ranked = byHash.values.filter { $0.hash != existing?.hash }.sorted { evictsBefore($0, $1, baseFee: baseFee) }
        if let cheapest = ranked.first, Self.comparePrice(cheapest.transaction, pooled.transaction, baseFee: baseFee) >= 0 {
            throw .underpriced(tip: pooled.transaction.maxPriorityFeePerGas, maxFee: pooled.transaction.maxFeePerGas,
                               cheapestTip: cheapest.transaction.maxPriorityFeePerGas,
                               cheapestMaxFee: cheapest.transaction.maxFeePerGas, capacity: limits.capacity)
        }
        let shortfall = needed
        var evicted: [PooledTransaction] = []
        for candidate in ranked where needed > 0 {
            guard Self.comparePrice(candidate.transaction, pooled.transaction, baseFee: baseFee) < 0 else { break }
            evicted.append(candidate)
            needed -= TransactionPoolLimits.slots(forSize: candidate.transaction.encoded.count)
        }
        if needed > 0 { throw .poolFull(capacity: limits.capacity, slotsNeeded: shortfall, slotsFreeable: shortfall - needed) }
        if isGapped, evicted.contains(where: { isPending($0, stateNonce: stateNonce($0.sender)) }) {
            throw .futureReplacesPending(sender: pooled.sender, nonce: pooled.transaction.nonce)
        }
        return evicted.map(\.hash)
    }

    /// Whether a pooled transaction is executable now.
    private func isPending(_ pooled: PooledTransaction, stateNonce: UInt64) -> Bool {
        pooled.transaction.nonce < pendingNonce(of: pooled.sender, stateNonce: stateNonce)
    }

    /// Compares what two transactions pay, as geth's `priceHeap.cmp`: the effective tip at the base
    /// fee (negative when the fee cap is below it), then the fee cap, then the tip.
    /// - Returns: -1, 0 or 1 as `a` pays less than, as much as, or more than `b`.
    static func comparePrice(_ a: Transaction, _ b: Transaction, baseFee: UInt256) -> Int {
        func effectiveTip(_ transaction: Transaction) -> (isNegative: Bool, magnitude: UInt256) {
            guard transaction.maxFeePerGas >= baseFee else { return (true, baseFee &- transaction.maxFeePerGas) }
            return (false, min(transaction.maxPriorityFeePerGas, transaction.maxFeePerGas &- baseFee))
        }
        func order(_ x: UInt256, _ y: UInt256) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        let (tipA, tipB) = (effectiveTip(a), effectiveTip(b))
        if tipA.isNegative != tipB.isNegative { return tipA.isNegative ? -1 : 1 }
        let tipOrder = tipA.isNegative ? order(tipB.magnitude, tipA.magnitude) : order(tipA.magnitude, tipB.magnitude)
        if tipOrder != 0 { return tipOrder }
        let feeOrder = order(a.maxFeePerGas, b.maxFeePerGas)
        if feeOrder != 0 { return feeOrder }
        return order(a.maxPriorityFeePerGas, b.maxPriorityFeePerGas)
    }

    /// The eviction order: cheapest first; among equals the higher nonce, then the later arrival.
    private func evictsBefore(_ a: PooledTransaction, _ b: PooledTransaction, baseFee: UInt256) -> Bool {
        let price = Self.comparePrice(a.transaction, b.transaction, baseFee: baseFee)
        if price != 0 { return price < 0 }
        if a.transaction.nonce != b.transaction.nonce { return a.transaction.nonce > b.transaction.nonce }
        return arrival[a.hash, default: 0] > arrival[b.hash, default: 0]
    }

    // MARK: Bookkeeping

    private mutating func insert(_ pooled: PooledTransaction) {
        clock += 1
        bySender[pooled.sender, default: [:]][pooled.transaction.nonce] = pooled
        byHash[pooled.hash] = pooled
        arrival[pooled.hash] = clock
        heartbeats[pooled.sender] = clock
        slots += TransactionPoolLimits.slots(forSize: pooled.transaction.encoded.count)
    }

    /// Cuts the executable part back to `globalSlots` transactions and the queued part back to
    /// `globalQueue`, as geth's `truncatePending` and `truncateQueue` do after an addition.
    /// - Throws: if the cut would take `kept`, the transaction being added.
    private mutating func truncate(keeping kept: PooledTransaction, stateNonce: (Address) -> UInt64) throws(TransactionPoolError) {
        guard count > min(limits.globalSlots, limits.globalQueue) else { return }
        var pending: [Address: [PooledTransaction]] = [:]
        var queued: [Address: [PooledTransaction]] = [:]
        for (sender, queue) in bySender {
            let next = pendingNonce(of: sender, stateNonce: stateNonce(sender))
            for pooled in queue.values.sorted(by: { $0.transaction.nonce < $1.transaction.nonce }) {
                if pooled.transaction.nonce < next { pending[sender, default: []].append(pooled) } else { queued[sender, default: []].append(pooled) }
            }
        }
        var pendingCount = pending.values.reduce(0) { $0 + $1.count }
        while pendingCount > limits.globalSlots {
            // The sender with the most executable transactions above its guaranteed ones gives up its last.
            guard let (offender, list) = pending.filter({ $0.value.count > limits.accountSlots })
                .max(by: { $0.value.count != $1.value.count ? $0.value.count < $1.value.count : $0.key > $1.key }) else { break }
            let dropped = list[list.count - 1]
            if dropped.hash == kept.hash { throw .pendingFull(limit: limits.globalSlots, sender: offender, pending: list.count) }
            remove(hash: dropped.hash)
            pending[offender]!.removeLast()
            pendingCount -= 1
        }
        var queuedCount = queued.values.reduce(0) { $0 + $1.count }
        guard queuedCount > limits.globalQueue else { return }
        // The least recently active senders lose their queued transactions, furthest nonces first.
        for sender in queued.keys.sorted(by: { heartbeats[$0, default: 0] < heartbeats[$1, default: 0] }) {
            for dropped in queued[sender]!.reversed() where queuedCount > limits.globalQueue {
                if dropped.hash == kept.hash { throw .accountLimitExceeded(sender: sender, limit: limits.globalQueue) }
                remove(hash: dropped.hash)
                queuedCount -= 1
            }
        }
    }

    // MARK: Views

    /// The nonce the sender's next transaction should carry: the state nonce, moved past every
    /// consecutive pooled nonce (eth_getTransactionCount with "pending").
    /// - Parameters:
    ///   - sender: the account.
    ///   - stateNonce: its nonce in the head state.
    /// - Returns: the pending nonce.
    package func pendingNonce(of sender: Address, stateNonce: UInt64) -> UInt64 {
        guard let queue = bySender[sender] else { return stateNonce }
        var nonce = stateNonce
        while queue[nonce] != nil { nonce += 1 }
        return nonce
    }

    /// The executable transactions, per sender in nonce order (senders in address order, so the
    /// result is deterministic).
    /// - Parameter stateNonce: each sender's nonce in the state the next block builds on.
    /// - Returns: one non-empty list per sender with something executable.
    public func pending(stateNonce: (Address) -> UInt64) -> [[PooledTransaction]] {
        var result: [[PooledTransaction]] = []
        for sender in bySender.keys.sorted() {
            let queue = bySender[sender]!
            var nonce = stateNonce(sender)
            var list: [PooledTransaction] = []
            while let next = queue[nonce] { list.append(next); nonce += 1 }
            if !list.isEmpty { result.append(list) }
        }
        return result
    }

    /// The transactions waiting behind a nonce gap, per sender in nonce order.
    /// - Parameter stateNonce: each sender's state nonce.
    /// - Returns: the queued transactions.
    public func queued(stateNonce: (Address) -> UInt64) -> [[PooledTransaction]] {
        var result: [[PooledTransaction]] = []
        for sender in bySender.keys.sorted() {
            let next = pendingNonce(of: sender, stateNonce: stateNonce(sender))
            let list = bySender[sender]!.values.filter { $0.transaction.nonce > next }
                .sorted { $0.transaction.nonce < $1.transaction.nonce }
            if !list.isEmpty { result.append(list) }
        }
        return result
    }

    /// Drops every transaction of `sender` whose nonce is below `stateNonce` (mined or superseded).
    /// - Parameters:
    ///   - sender: the account.
    ///   - stateNonce: its nonce after the latest block.
    package mutating func removeStale(of sender: Address, stateNonce: UInt64) {
        guard let queue = bySender[sender] else { return }
        for (nonce, pooled) in queue where nonce < stateNonce { remove(hash: pooled.hash) }
    }

    /// Removes one transaction (and leaves the sender's later ones queued behind the gap).
    /// - Parameter hash: the transaction hash.
    public mutating func remove(hash: Hash32) {
        guard let pooled = byHash.removeValue(forKey: hash) else { return }
        arrival[hash] = nil
        slots -= TransactionPoolLimits.slots(forSize: pooled.transaction.encoded.count)
        bySender[pooled.sender]?[pooled.transaction.nonce] = nil
        if bySender[pooled.sender]?.isEmpty == true {
            bySender[pooled.sender] = nil
            heartbeats[pooled.sender] = nil
        }
    }

    /// The senders with pooled transactions.
    public var senders: [Address] { Array(bySender.keys) }
}
