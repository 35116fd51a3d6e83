import ChainTypes
import Consensus
import Foundation
import Metrics
import Primitives
import State

// Block production: automine, evm_mine, and the period-N sealing loop.

extension Node {
    /// Whether blocks are mined as soon as transactions arrive (anvil's automine).
    public var isAutomine: Bool { locked { dev.isAutomine } }

    /// Turns automine on or off (evm_setAutomine); turning it on mines what is pending and, as in
    /// anvil (whose miner has one mode at a time), ends interval mining.
    /// - Parameter isOn: the new setting.
    /// - Throws: `NodeError` if mining the pending transactions fails.
    public func setAutomine(_ isOn: Bool) throws(NodeError) {
        try locked { () throws(NodeError) in
            dev.isAutomine = isOn
            if isOn {
                dev.blockTime = nil
                try automineLocked()
            }
        }
    }

    /// Mines blocks on demand (evm_mine, anvil_mine), each with as many pending transactions as fit.
    /// - Parameters:
    ///   - blocks: how many blocks (at least 1).
    ///   - timestamp: the first block's timestamp; later ones follow at +1 s (or + period).
    /// - Returns: the new blocks' hashes.
    /// - Throws: `NodeError.invalidArgument` for more than `maximumBlocksPerMine` blocks or a
    ///   timestamp past `maximumTimestamp`, `.timestampNotAfterParent`, `.notASigner` or `.chain`.
    @discardableResult
    public func mine(blocks: Int = 1, timestamp: UInt64? = nil) throws(NodeError) -> [Hash32] {
        guard blocks <= Self.maximumBlocksPerMine else {
            throw .invalidArgument("cannot mine \(blocks) blocks in one call, at most \(Self.maximumBlocksPerMine)")
        }
        if let timestamp { try Self.checkTimestamp(timestamp) }
        return try locked { () throws(NodeError) -> [Hash32] in
            if let timestamp, timestamp <= chain.head.timestamp {
                throw .timestampNotAfterParent(timestamp: timestamp, parentTimestamp: chain.head.timestamp)
            }
            var hashes: [Hash32] = []
            for index in 0 ..< max(blocks, 1) {
                hashes.append(try mineBlockLocked(timestamp: index == 0 ? timestamp : nil, maximumTransactions: .max).hash)
            }
            return hashes
        }
    }

    /// Automine's group commit: every sender calls this after its transaction is pooled (outside
    /// the node lock). Senders queue on `miningLock`; the first one seals a block with every
    /// transaction that is ready by then, its own and those that arrived while the previous block
    /// was sealed, and the others find their transactions already mined and return at once.
    /// Sequential clients therefore still get one block per transaction, while concurrent ones
    /// share blocks instead of paying one seal and one store write each (anvil's instant miner
    /// behaves the same way). When this returns true, the caller's transaction is in a block unless
    /// it is queued behind a nonce gap or was dropped. Does nothing with automine off.
    /// - Parameter waiting: wait while another thread seals (true), or return false at once.
    /// - Returns: false only if `waiting` is false and another thread was sealing.
    /// - Throws: `NodeError` if sealing fails.
    @discardableResult
    public func automine(waiting: Bool) throws(NodeError) -> Bool {
        if waiting {
            miningLock.lock()
        } else if !miningLock.try() {
            return false
        }
        defer { miningLock.unlock() }
        try locked { () throws(NodeError) in try automineLocked() }
        return true
    }

    /// Mines while the pool has executable transactions, if automine is on (lock held).
    func automineLocked() throws(NodeError) {
        guard dev.isAutomine else { return }
        while true {
            let state = pendingState()
            guard !pool.pending(stateNonce: { state.nonce(of: $0) }).isEmpty else { return }
            let record = try mineBlockLocked(timestamp: nil, maximumTransactions: configuration.automineTransactionsPerBlock)
            if record.block.transactions.isEmpty { return }
        }
    }

    /// The most blocks one evm_mine or anvil_mine call may seal: the node's lock is held meanwhile,
    /// so a request for 2^64 blocks would stop the node for ever.
    public static let maximumBlocksPerMine = 10_000

    /// The latest block timestamp the dev controls accept (2^62 - 1 s, about 1.5 × 10^11 years):
    /// far beyond any real use, and low enough that the clock offset arithmetic, done in Int64,
    /// cannot overflow.
    package static let maximumTimestamp: UInt64 = (1 << 62) - 1

    /// Refuses a timestamp past `maximumTimestamp`.
    /// - Throws: `NodeError.invalidArgument` naming the timestamp and the limit.
    static func checkTimestamp(_ timestamp: UInt64) throws(NodeError) {
        guard timestamp <= maximumTimestamp else {
            throw .invalidArgument("timestamp \(timestamp) is past the latest this node accepts (\(maximumTimestamp))")
        }
    }

    /// The timestamp the next block gets (see the type's documentation): the one
    /// evm_setNextBlockTimestamp fixed, else parent + the anvil_setBlockTimestampInterval interval
    /// (as anvil, whose interval wins over the clock), else the dev clock; never before parent +
    /// max(period, 1). An interval step stops at `maximumTimestamp`, so no sequence of blocks can
    /// carry the clock arithmetic past Int64.
    func nextBlockTimestamp() -> UInt64 {
        if let nextTimestamp = dev.nextTimestamp { return nextTimestamp }
        let parent = chain.head.timestamp
        let earliest = parent + max(configuration.genesis.clique.period, 1)
        if let interval = dev.timestampInterval {
            let (stepped, overflow) = parent.addingReportingOverflow(interval)
            return max(overflow ? Self.maximumTimestamp : min(stepped, Self.maximumTimestamp), earliest)
        }
        let now = Int64(Date().timeIntervalSince1970) + dev.timeOffset
        return max(UInt64(max(now, 0)), earliest)
    }

    /// The base fee of the next block: the one anvil_setNextBlockBaseFeePerGas fixed, else
    /// EIP-1559's rule applied to the head (lock held).
    func nextBaseFeeLocked() -> UInt256 {
        dev.nextBaseFee ?? Header.nextBaseFee(parent: chain.head)
    }

    /// Builds, seals and stores one block on the head (lock held).
    func mineBlockLocked(timestamp: UInt64?, maximumTransactions: Int) throws(NodeError) -> BlockRecord {
        guard engine.signer != nil else { throw .notASigner }
        let started = ContinuousClock.now
        defer { NodeMetrics.sealTime.record(duration: started.duration(to: .now)) }
        let parent = chain.head
        let stamp = timestamp ?? nextBlockTimestamp()
        var header = Header(parentHash: chain.headHash, coinbase: .zero, stateRoot: .zero,
                            transactionsRoot: .zero, receiptsRoot: .zero, logsBloom: .empty, difficulty: .zero,
                            number: parent.number + 1, gasLimit: nextGasLimit(), gasUsed: 0, timestamp: stamp,
                            extraData: [], mixHash: .zero, nonce: 0, baseFeePerGas: nextBaseFeeLocked())
        let state = pendingState()
        // Whatever happens below, this state object may hold half a block: drop it unless the block lands.
        cachedState = nil
        do throws(ChainError) {
            try ChainError.consensusStep { () throws(ConsensusError) in try engine.prepare(&header, parent: parent, chain: chain) }
            let candidates = pool.pending(stateNonce: { state.nonce(of: $0) })
            let built = try executor.build(on: header, candidates: candidates, state: state, blockHashes: recentHashes,
                                           maximumTransactions: maximumTransactions)
            for rejection in built.rejected {
                log("dropped transaction \(rejection.hash) from \(rejection.sender): \(rejection.reason)")
                pool.remove(hash: rejection.hash)
            }
            let sealed = try ChainError.consensusStep { () throws(ConsensusError) in try engine.seal(built.block.header, chain: chain) }
            let block = Block(header: sealed, transactions: built.block.transactions)
            let record = try chain.append(block, receipts: built.executed.receipts, senders: built.executed.senders,
                                          stateBatch: built.executed.stateBatch)
            cachedState = state
            dev.nextTimestamp = nil
            dev.nextBaseFee = nil
            recentHashes[record.number] = record.hash
            if record.number >= 256 { recentHashes[record.number - 256] = nil }
            for sender in Set(record.senders) { pool.removeStale(of: sender, stateNonce: state.nonce(of: sender)) }
            publish(record, receipts: built.executed.receipts)
            return record
        } catch {
            throw .chain(error)
        }
    }

    /// The gas limit of the next block: the one evm_setBlockGasLimit fixed (exactly, as anvil sets
    /// it), else the configured one moved toward by at most parent/1024 − 1 per block (as geth's
    /// CalcGasLimit), or the parent's.
    func nextGasLimit() -> UInt64 {
        if let fixed = dev.blockGasLimit { return fixed }
        let parent = chain.head.gasLimit
        guard let desired = configuration.blockGasLimit, desired != parent else { return parent }
        let step = max(parent / BlockExecutor.gasLimitBoundDivisor, 1) - 1
        if desired > parent { return min(desired, parent + step) }
        return max(desired, parent - step, BlockExecutor.minimumGasLimit)
    }

    /// Starts sealing a block every `period` seconds on a background thread (period > 0), or every
    /// `blockTime` seconds with interval mining on (`setIntervalMining`); otherwise it does
    /// nothing. Out-of-turn signers wait the EIP-225 wiggle.
    public func startSealing() {
        guard configuration.genesis.clique.period > 0 || locked({ dev.blockTime != nil }) else { return }
        sealer.start(self)
    }

    /// Seconds between interval-mined blocks, or nil when interval mining is off.
    public var blockTime: UInt64? { locked { dev.blockTime } }

    /// Turns interval mining on (anvil's `--block-time N`: a block every `seconds` seconds on the
    /// wall clock, empty or not, and automine off) or off (nil or 0). Blocks are sealed on a
    /// fixed schedule from now, whole seconds apart, so consecutive timestamps step by exactly
    /// `seconds` unless the dev clock is moved; an evm_mine in between does not shift it (anvil's
    /// interval keeps ticking too). Only for a period-0 chain: a period-N chain already seals every
    /// N seconds. Call `startSealing()` (the CLI's sealer service does) for the blocks to come.
    /// - Parameter seconds: the interval, nil or 0 for off.
    public func setIntervalMining(_ seconds: UInt64?) {
        locked {
            guard let seconds, seconds > 0 else {
                dev.blockTime = nil
                return
            }
            dev.blockTime = seconds
            dev.isAutomine = false
            dev.nextIntervalSeal = Date().timeIntervalSince1970.rounded(.down) + Double(seconds)
        }
    }

    /// Moves the interval schedule past a seal the sealer just made (lock held): the next tick,
    /// skipping ticks already missed, so a stalled node does not seal a burst of blocks afterwards.
    func scheduleNextIntervalSeal() {
        guard let blockTime = dev.blockTime else { return }
        let now = Date().timeIntervalSince1970
        dev.nextIntervalSeal += Double(blockTime)
        if dev.nextIntervalSeal <= now {
            let missed = ((now - dev.nextIntervalSeal) / Double(blockTime)).rounded(.down) + 1
            dev.nextIntervalSeal += missed * Double(blockTime)
        }
    }

    /// Stops the sealing thread; when this returns, no seal is in progress and none will start.
    public func stopSealing() { sealer.stop(self) }

    /// When the next block's seal is due, in seconds since the epoch on the wall clock: the next
    /// timestamp (dev clock applied) plus the engine's delay (the out-of-turn wiggle; infinite
    /// while this node may not seal). Lock held.
    /// With interval mining on a period-0 chain, the schedule's next tick instead (still infinite
    /// while this node may not seal); with neither, never.
    func nextSealDue() -> Double {
        let timestamp = nextBlockTimestamp()
        var probe = chain.head
        probe.parentHash = chain.headHash
        probe.number += 1
        probe.timestamp = timestamp
        probe.difficulty = .zero
        let delay = engine.sealDelay(for: probe, chain: chain)
        guard configuration.genesis.clique.period > 0 else {
            guard dev.blockTime != nil, delay.isFinite else { return .infinity }
            return dev.nextIntervalSeal
        }
        return Double(Int64(timestamp) - dev.timeOffset) + delay
    }
}
