import Primitives

// Logging operations LOG0–LOG4, 0xa0–0xa4 (Yellow Paper appendix H.2). The table charges
// 375 + 375 per topic; here 8 gas per data byte and memory expansion. Forbidden in a static frame
// (EIP-214).

/// LOG0–LOG4.
@usableFromInline
enum Logging {
    /// LOGn: emits memory[μs[0] ..< μs[0] + μs[1]] with topics μs[2] … μs[n + 1].
    /// - Parameter topicCount: n, 0…4.
    @inlinable
    static func log<H: Host>(_ topicCount: Int, _ state: inout ExecutionState, host: H) -> StatusCode {
        if state.message.isStatic { return .staticModeViolation }
        let offset = state.stack.pop(), size = state.stack.pop()
        guard let region = state.memoryRegion(offset: offset, size: size),
              state.charge(GasCost.logData &* Int64(region.size)) else { return .outOfGas }
        var topics: [Hash32] = []
        topics.reserveCapacity(topicCount)
        for _ in 0..<topicCount { topics.append(state.stack.pop().hash32) }
        host.emitLog(address: state.message.recipient, topics: topics,
                     data: state.memory.copy(offset: region.offset, count: region.size))
        return .success
    }
}
