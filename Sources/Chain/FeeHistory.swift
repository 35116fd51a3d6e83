import ChainTypes
import Primitives

/// The answer to eth_feeHistory: base fees, gas-used ratios and tip percentiles of a range of blocks.
public struct FeeHistory: Hashable, Sendable {
    /// The first block of the range.
    public var oldestBlock: UInt64
    /// The base fee of each block of the range, plus the next block's (one more than blocks).
    public var baseFeePerGas: [UInt256]
    /// gasUsed / gasLimit of each block.
    public var gasUsedRatio: [Double]
    /// For each block, the effective tip at each requested percentile (weighted by gas used); empty
    /// when no percentiles were asked for.
    public var reward: [[UInt256]]

    /// Creates a fee history.
    /// - Parameters:
    ///   - oldestBlock: the first block.
    ///   - baseFeePerGas: base fees (blocks + 1).
    ///   - gasUsedRatio: gas-used ratios.
    ///   - reward: tip percentiles per block.
    public init(oldestBlock: UInt64, baseFeePerGas: [UInt256], gasUsedRatio: [Double], reward: [[UInt256]]) {
        self.oldestBlock = oldestBlock; self.baseFeePerGas = baseFeePerGas
        self.gasUsedRatio = gasUsedRatio; self.reward = reward
    }
}
