import Primitives

// EIP-1559 base-fee evolution, following the EIP's pseudo-code: the gas target is half the gas
// limit (ELASTICITY_MULTIPLIER = 2); the base fee moves towards it by at most 1/8 per block
// (BASE_FEE_MAX_CHANGE_DENOMINATOR = 8), and rises by at least 1 wei when the parent was above target.

extension Header {
    /// EIP-1559's ELASTICITY_MULTIPLIER: the gas limit is twice the gas target.
    package static let elasticityMultiplier: UInt64 = 2
    /// EIP-1559's BASE_FEE_MAX_CHANGE_DENOMINATOR: the base fee changes by at most 1/8 per block.
    package static let baseFeeChangeDenominator: UInt64 = 8
    /// EIP-1559's INITIAL_BASE_FEE (1 gwei): the base fee of the first London block and this chain's default genesis base fee.
    package static let initialBaseFee = UInt256(1_000_000_000)

    /// The base fee of the block after `parent` (EIP-1559). A parent without a base fee (before
    /// London) gives `initialBaseFee`, as the fork block has.
    /// - Parameter parent: the parent header.
    /// - Returns: the child's base fee per gas.
    public static func nextBaseFee(parent: Header) -> UInt256 {
        guard let parentBaseFee = parent.baseFeePerGas else { return initialBaseFee }
        let target = parent.gasLimit / elasticityMultiplier
        guard target > 0, parent.gasUsed != target else { return parentBaseFee }
        let denominator = UInt256(target) &* UInt256(baseFeeChangeDenominator)
        if parent.gasUsed > target {
            let used = UInt256(parent.gasUsed - target)
            // parentBaseFee · used < 2^256 · 2^64: take the full product before dividing.
            let delta = max(quotient(parentBaseFee.multipliedFullWidth(by: used), denominator), .one)
            let (sum, overflow) = parentBaseFee.addingReportingOverflow(delta)
            return overflow ? .max : sum
        } else {
            let used = UInt256(target - parent.gasUsed)
            let delta = quotient(parentBaseFee.multipliedFullWidth(by: used), denominator)
            return delta >= parentBaseFee ? .zero : parentBaseFee &- delta
        }
    }

    /// ⌊(high·2^256 + low) / divisor⌋, saturating at `UInt256.max`.
    private static func quotient(_ product: (high: UInt256, low: UInt256), _ divisor: UInt256) -> UInt256 {
        if product.high.isZero { return product.low.quotient(dividingBy: divisor) }
        // Long division by bits: only reached for base fees near 2^256, which no real chain has.
        var remainder = UInt256.zero
        var result = UInt256.zero
        for bit in stride(from: 511, through: 0, by: -1) {
            let word = bit >= 256 ? product.high : product.low
            let carry = !(remainder >> 255).isZero
            remainder = remainder << 1 | ((word >> (bit % 256)) & .one)
            if carry || remainder >= divisor {
                remainder = remainder &- divisor
                if bit >= 256 { return .max }
                result = result | (UInt256.one << bit)
            }
        }
        return result
    }
}
