import Synchronization

/// One kind of event delivered to any number of subscribers as async streams (geth's
/// `event.Feed`): the node has three, new heads, logs and pending transaction hashes, and they
/// share this one registry instead of three hand-copied ones.
///
/// A subscriber may give a predicate (a log filter) so it receives only the events it wants. Each
/// stream buffers the newest `bufferLimit` events, so a slow subscriber loses its oldest events
/// instead of holding up the node; a stream leaves the feed when its consumer stops iterating.
/// Thread safety: the subscriber table is behind its own mutex, never the node's lock, so
/// publishing from under the node's lock cannot deadlock with a subscriber leaving.
public final class EventFeed<Event: Sendable>: Sendable {
    private struct Subscriber {
        let wants: @Sendable (Event) -> Bool
        let continuation: AsyncStream<Event>.Continuation
    }

    private struct Table {
        var subscribers: [Int: Subscriber] = [:]
        var nextId = 0
    }

    private let table = Mutex(Table())
    private let bufferLimit: Int

    /// Creates a feed.
    /// - Parameter bufferLimit: how many undelivered events each subscriber's stream keeps.
    public init(bufferLimit: Int) { self.bufferLimit = bufferLimit }

    deinit { finishAll() }

    /// A new subscription.
    /// - Parameter wants: which events this subscriber receives (all by default).
    /// - Returns: the stream of events sent from now on.
    public func subscribe(where wants: @escaping @Sendable (Event) -> Bool = { _ in true }) -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(bufferLimit))
        let id = table.withLock { table in
            table.nextId += 1
            table.subscribers[table.nextId] = Subscriber(wants: wants, continuation: continuation)
            return table.nextId
        }
        continuation.onTermination = { [weak self] _ in
            self?.table.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Whether anyone is subscribed (so a publisher can skip building events nobody reads).
    package var hasSubscribers: Bool { table.withLock { !$0.subscribers.isEmpty } }

    /// Delivers events, in order, to every subscriber that wants them.
    /// - Parameter events: the events.
    public func send(_ events: some Sequence<Event>) {
        let subscribers = table.withLock { Array($0.subscribers.values) }
        guard !subscribers.isEmpty else { return }
        for event in events {
            for subscriber in subscribers where subscriber.wants(event) { subscriber.continuation.yield(event) }
        }
    }

    /// Delivers one event to every subscriber that wants it.
    /// - Parameter event: the event.
    public func send(_ event: Event) { send(CollectionOfOne(event)) }

    /// Ends every subscription (the node is going away).
    package func finishAll() {
        let subscribers = table.withLock { table in
            defer { table.subscribers = [:] }
            return Array(table.subscribers.values)
        }
        for subscriber in subscribers { subscriber.continuation.finish() }
    }
}
