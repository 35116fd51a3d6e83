import Primitives

// Environmental information, 0x30–0x3f (Yellow Paper appendix H.2), with EIP-211 return data,
// EIP-1052 EXTCODEHASH and EIP-2929 cold/warm account access: BALANCE, EXTCODESIZE, EXTCODECOPY
// and EXTCODEHASH carry the warm cost (100) in the table and add 2500 here when the account is
// cold, so a cold access costs 2600 in all.

/// ADDRESS, BALANCE, ORIGIN, CALLER, CALLVALUE, CALLDATA*, CODE*, GASPRICE, EXTCODE*, RETURNDATA*.
@usableFromInline
enum Environment {
    /// EIP-2929: the surcharge on top of the warm cost for a cold account.
    @usableFromInline static let coldAccountSurcharge = GasCost.coldAccountAccess - GasCost.warmAccess

    /// The address in the low 20 bytes of a stack word.
    @inlinable @inline(__always)
    static func address(from word: UInt256) -> Address {
        Address(lowBytesOf: word.hash32)
    }

    /// A word holding an address, left-padded with zeros.
    @inlinable @inline(__always)
    static func word(_ address: Address) -> UInt256 {
        UInt256(address.word)
    }

    /// Marks `address` accessed and charges the EIP-2929 cold surcharge if it was cold.
    /// - Returns: false when the frame is out of gas.
    @inlinable @inline(__always)
    static func chargeAccountAccess<H: Host>(_ address: Address, _ state: inout ExecutionState, host: H) -> Bool {
        if host.accessAccount(address) == .cold {
            return state.charge(coldAccountSurcharge)
        }
        return true
    }

    /// ADDRESS: the executing account.
    @inlinable @inline(__always)
    static func address(_ state: inout ExecutionState) {
        state.stack.push(word(state.message.recipient))
    }

    /// BALANCE: the balance of account μs[0].
    @inlinable
    static func balance<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        let account = address(from: state.stack[0])
        guard chargeAccountAccess(account, &state, host: host) else { return .outOfGas }
        state.stack[0] = host.balance(of: account)
        return .success
    }

    /// ORIGIN: the transaction's sender.
    @inlinable
    static func origin<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(word(host.transactionContext.origin))
    }

    /// CALLER: the frame's sender.
    @inlinable @inline(__always)
    static func caller(_ state: inout ExecutionState) {
        state.stack.push(word(state.message.sender))
    }

    /// CALLVALUE: the value sent with the frame.
    @inlinable @inline(__always)
    static func callvalue(_ state: inout ExecutionState) {
        state.stack.push(state.message.value)
    }

    /// CALLDATALOAD: the 32 bytes of call data at μs[0], zero-padded past the end.
    @inlinable @inline(__always)
    static func calldataload(_ state: inout ExecutionState) {
        let offset = state.stack[0]
        state.stack[0] = state.message.input.withUnsafeBytes { input -> UInt256 in
            guard let start = offset.uint64IfFits, start < UInt64(input.count) else { return .zero }
            let begin = Int(start)
            if input.count &- begin >= 32 {
                return UInt256(loadingBigEndianFrom: input.baseAddress! + begin)
            }
            // Fewer than 32 bytes left: copy them into a zeroed scratch word.
            return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { scratch in
                scratch.initializeMemory(as: UInt8.self, repeating: 0)
                scratch.baseAddress!.copyMemory(from: input.baseAddress! + begin, byteCount: input.count &- begin)
                return UInt256(loadingBigEndianFrom: UnsafeRawPointer(scratch.baseAddress!))
            }
        }
    }

    /// CALLDATASIZE: the call data's length.
    @inlinable @inline(__always)
    static func calldatasize(_ state: inout ExecutionState) {
        state.stack.push(UInt256(UInt64(state.message.input.count)))
    }

    /// Charges memory expansion and 3 gas per word, then copies `source` (CALLDATACOPY, CODECOPY).
    /// Stack: memory offset, source offset, size.
    @inlinable
    static func copy(_ state: inout ExecutionState, from source: UnsafeRawBufferPointer) -> StatusCode {
        let memoryOffset = state.stack.pop(), sourceOffset = state.stack.pop(), size = state.stack.pop()
        guard let region = state.memoryRegion(offset: memoryOffset, size: size),
              state.charge(GasCost.copyWord &* GasCost.wordCount(region.size)) else { return .outOfGas }
        state.copyToMemory(from: source, sourceOffset: sourceOffset, memoryOffset: region.offset, count: region.size)
        return .success
    }

    /// CALLDATACOPY: copies call data into memory.
    @inlinable
    static func calldatacopy(_ state: inout ExecutionState) -> StatusCode {
        let input = state.message.input
        return input.withUnsafeBytes { copy(&state, from: $0) }
    }

    /// CODESIZE: the running code's length.
    @inlinable @inline(__always)
    static func codesize(_ state: inout ExecutionState) {
        state.stack.push(UInt256(UInt64(state.code.size)))
    }

    /// CODECOPY: copies the running code into memory.
    @inlinable
    static func codecopy(_ state: inout ExecutionState) -> StatusCode {
        copy(&state, from: UnsafeRawBufferPointer(start: state.codeBytes, count: state.code.size))
    }

    /// GASPRICE: the transaction's effective gas price.
    @inlinable
    static func gasprice<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack.push(host.transactionContext.gasPrice)
    }

    /// EXTCODESIZE: the code length of account μs[0].
    @inlinable
    static func extcodesize<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        let account = address(from: state.stack[0])
        guard chargeAccountAccess(account, &state, host: host) else { return .outOfGas }
        state.stack[0] = UInt256(UInt64(host.codeSize(of: account)))
        return .success
    }

    /// EXTCODECOPY: copies account μs[0]'s code into memory. Stack: address, memory offset, code
    /// offset, size.
    @inlinable
    static func extcodecopy<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        let account = address(from: state.stack.pop())
        let memoryOffset = state.stack.pop(), codeOffset = state.stack.pop(), size = state.stack.pop()
        guard let region = state.memoryRegion(offset: memoryOffset, size: size),
              state.charge(GasCost.copyWord &* GasCost.wordCount(region.size)),
              chargeAccountAccess(account, &state, host: host) else { return .outOfGas }
        if region.size > 0 {
            let code = host.code(of: account)
            code.withUnsafeBytes {
                state.copyToMemory(from: $0, sourceOffset: codeOffset, memoryOffset: region.offset, count: region.size)
            }
        }
        return .success
    }

    /// RETURNDATASIZE (EIP-211): the length of the last nested call's output.
    @inlinable @inline(__always)
    static func returndatasize(_ state: inout ExecutionState) {
        state.stack.push(UInt256(UInt64(state.returnData.count)))
    }

    /// RETURNDATACOPY (EIP-211): copies the last nested call's output into memory. Reading past
    /// its end halts with `invalidMemoryAccess`.
    @inlinable
    static func returndatacopy(_ state: inout ExecutionState) -> StatusCode {
        let memoryOffset = state.stack.pop(), dataOffset = state.stack.pop(), size = state.stack.pop()
        guard let region = state.memoryRegion(offset: memoryOffset, size: size) else { return .outOfGas }
        let available = state.returnData.count
        guard let start = dataOffset.uint64IfFits, start <= UInt64(available),
              UInt64(available) - start >= UInt64(region.size) else { return .invalidMemoryAccess }
        guard state.charge(GasCost.copyWord &* GasCost.wordCount(region.size)) else { return .outOfGas }
        if region.size > 0 {
            let destination = state.memory.bytes + region.offset
            state.returnData.withUnsafeBytes {
                destination.copyMemory(from: $0.baseAddress! + Int(start), byteCount: region.size)
            }
        }
        return .success
    }

    /// EXTCODEHASH (EIP-1052): the code hash of account μs[0], zero if it does not exist.
    @inlinable
    static func extcodehash<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        let account = address(from: state.stack[0])
        guard chargeAccountAccess(account, &state, host: host) else { return .outOfGas }
        state.stack[0] = UInt256(host.codeHash(of: account))
        return .success
    }
}
