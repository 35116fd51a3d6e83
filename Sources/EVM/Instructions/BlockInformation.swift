import Primitives

// Block information, 0x40–0x4a (Yellow Paper appendix H.2), with EIP-4399 PREVRANDAO, EIP-1344
// CHAINID, EIP-1884 SELFBALANCE, EIP-3198 BASEFEE, EIP-4844 BLOBHASH and EIP-7516 BLOBBASEFEE.
// All values come from the host's `TransactionContext`; none has dynamic gas.

/// BLOCKHASH, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, CHAINID, SELFBALANCE, BASEFEE,
/// BLOBHASH, BLOBBASEFEE.
@usableFromInline
enum BlockInformation {
    /// BLOCKHASH: the hash of block μs[0] if it is one of the 256 before the current one, else 0.
    @inlinable
    static func blockhash<H: Host>(_ state: inout ExecutionState, host: H) {
        let current = host.transactionContext.number
        let lowest = current > 256 ? current - 256 : 0
        if let number = state.stack[0].uint64IfFits, number < current, number >= lowest {
            state.stack[0] = UInt256(host.blockHash(number: number))
        } else {
            state.stack[0] = .zero
        }
    }

    /// COINBASE: the block's beneficiary.
    @inlinable
    static func coinbase<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(Environment.word(host.transactionContext.coinbase))
    }

    /// TIMESTAMP: the block's timestamp.
    @inlinable
    static func timestamp<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(UInt256(host.transactionContext.timestamp))
    }

    /// NUMBER: the block's number.
    @inlinable
    static func number<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(UInt256(host.transactionContext.number))
    }

    /// PREVRANDAO (EIP-4399): the beacon chain's randomness, in the old DIFFICULTY slot.
    @inlinable
    static func prevrandao<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(UInt256(host.transactionContext.prevRandao))
    }

    /// GASLIMIT: the block's gas limit.
    @inlinable
    static func gaslimit<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(UInt256(host.transactionContext.gasLimit))
    }

    /// CHAINID (EIP-1344).
    @inlinable
    static func chainid<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(host.transactionContext.chainId)
    }

    /// SELFBALANCE (EIP-1884): the executing account's balance, with no access charge.
    @inlinable
    static func selfbalance<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(host.balance(of: state.message.recipient))
    }

    /// BASEFEE (EIP-3198).
    @inlinable
    static func basefee<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(host.transactionContext.baseFee)
    }

    /// BLOBHASH (EIP-4844): the transaction's versioned blob hash at index μs[0], 0 out of range.
    @inlinable
    static func blobhash<H: Host>(_ state: inout ExecutionState, host: H) {
        let hashes = host.transactionContext.blobHashes
        if let index = state.stack[0].uint64IfFits, index < UInt64(hashes.count) {
            state.stack[0] = UInt256(hashes[Int(index)])
        } else {
            state.stack[0] = .zero
        }
    }

    /// BLOBBASEFEE (EIP-7516).
    @inlinable
    static func blobbasefee<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(host.transactionContext.blobBaseFee)
    }
}
