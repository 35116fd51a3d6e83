import NIOCore

/// The bytes a connection has received, read by exact counts (an RLPx packet or frame at a time)
/// from the channel's inbound stream. Owned by one task at a time: the handshake, then the read loop.
final class InboundBytes: @unchecked Sendable {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffer = ByteBuffer()

    init(_ stream: NIOAsyncChannelInboundStream<ByteBuffer>) {
        iterator = stream.makeAsyncIterator()
    }

    /// The next `count` bytes, waiting for them.
    /// - Throws: `P2PError.connectionClosed` when the peer closes first.
    func read(_ count: Int) async throws -> [UInt8] {
        while buffer.readableBytes < count {
            guard var next = try await iterator.next() else { throw P2PError.connectionClosed }
            if buffer.readableBytes == 0 { buffer.clear() } else if buffer.readerIndex > 65_536 { buffer.discardReadBytes() }
            buffer.writeBuffer(&next)
        }
        return buffer.readBytes(length: count)!
    }
}

/// Runs `operation` and gives up after `seconds`, throwing `P2PError.timeout(what)`.
func withTimeout<T: Sendable>(_ seconds: Double, _ what: String,
                              _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw P2PError.timeout(what) }
        return value
    }
}
