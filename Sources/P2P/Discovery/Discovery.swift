import Glibc
import NIOCore
import NIOPosix
import Primitives
import Signatures
import Synchronization

/// Node discovery v4 over UDP (devp2p discv4.md; go-ethereum v1.13 p2p/discover/v4_udp.go for the
/// design): answers Ping with Pong and FindNode with Neighbours, keeps a Kademlia table of bonded
/// nodes, and finds nodes by iterative lookups.
///
/// Bonding, as go-ethereum does it: a node enters the table only once it has answered our Ping with a
/// Pong (its endpoint is proved); a Ping from a node we have not verified is answered and then pinged
/// back. FindNode is answered only for a node that answered our Ping within 24 hours (no reply
/// amplification towards spoofed addresses), and before sending FindNode we make sure the node has
/// pinged us (it checks the same thing on its side).
///
/// On start the service bonds with the bootnodes and looks up its own id; then every
/// `refreshInterval` it revalidates one table entry and looks up its own id and a random one (again
/// bonding with the bootnodes if the table is empty). A node that enters the table with a TCP port
/// is reported through `onNode`, and again when it answers after `reportInterval` (so a failed
/// dial is tried again, as go-ethereum's dial history expires after 35 s).
public final class Discovery: Sendable {
    /// The bound UDP socket.
    public typealias Channel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>

    /// Nodes asked at once in a lookup (Kademlia α).
    public static let concurrency = 3
    /// How long a bond lasts (go-ethereum `bondExpiration`).
    static let bondExpiration = TimeAmount.hours(24)
    /// The most nodes whose last Ping and Pong times are remembered.
    static let maximumBonds = 10_000
    /// How long packets stay valid (go-ethereum `expiration`), seconds.
    static let packetLifetime: UInt64 = 20
    /// How long after reporting a node through `onNode` it is reported again when it answers.
    static let reportInterval = TimeAmount.seconds(35)

    public let nodeKey: NodeKey
    public let host: String
    public let port: Int
    public let advertisedHost: String
    public let tcpPort: UInt16
    public let bootnodes: [Enode]
    /// Seconds between table refreshes.
    public let refreshInterval: Double
    /// How long to wait for a Pong or for Neighbours.
    public let responseTimeout: TimeAmount
    private let log: @Sendable (String) -> Void
    private let onNode: @Sendable (Enode) -> Void

    /// Waiters for one Ping's Pong; two pings to one node within a second are the same bytes, so
    /// one hash can have several waiters, each with its own timeout.
    private struct PendingPing {
        var node: Enode
        var waiters: [Int: CheckedContinuation<Bool, Never>]
    }

    private struct PendingFind {
        var nodes: [DiscoveryPacket.Node]
        var continuation: CheckedContinuation<[DiscoveryPacket.Node], Never>
    }

    private struct State {
        var table: KademliaTable
        var outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>?
        var localPort: Int?
        var pendingPings: [Hash32: PendingPing] = [:]
        var nextWaiter = 0
        var pendingFinds: [[UInt8]: PendingFind] = [:]
        var lastPingReceived: [[UInt8]: NIODeadline] = [:]
        var lastPongReceived: [[UInt8]: NIODeadline] = [:]
        /// When each node was last reported through `onNode`.
        var reported: [[UInt8]: NIODeadline] = [:]
    }

    private let state: Mutex<State>

    /// Creates the service; nothing happens until `bind` and `run`.
    /// - Parameters:
    ///   - nodeKey: the node key (the same as RLPx's).
    ///   - host: the interface to listen on.
    ///   - port: the UDP port (go-ethereum: the TCP listener's port; 0 = any free port).
    ///   - advertisedHost: the IP address others reach us at, sent in Ping.
    ///   - tcpPort: our RLPx port, sent in Ping and Neighbours.
    ///   - bootnodes: nodes to bond with first.
    ///   - refreshInterval: seconds between refreshes (default 30).
    ///   - responseTimeout: how long to wait for a reply (default 500 ms, go-ethereum `respTimeout`).
    ///   - log: receives one line per notable event.
    ///   - onNode: receives each node that enters the table with a TCP port, once.
    public init(nodeKey: NodeKey, host: String = "0.0.0.0", port: Int, advertisedHost: String = "127.0.0.1",
                tcpPort: UInt16, bootnodes: [Enode], refreshInterval: Double = 30,
                responseTimeout: TimeAmount = .milliseconds(500),
                log: @escaping @Sendable (String) -> Void = { _ in },
                onNode: @escaping @Sendable (Enode) -> Void) {
        self.nodeKey = nodeKey
        self.host = host
        self.port = port
        self.advertisedHost = advertisedHost
        self.tcpPort = tcpPort
        self.bootnodes = bootnodes.filter { $0.publicKey != nodeKey.publicKey }
        self.refreshInterval = refreshInterval
        self.responseTimeout = responseTimeout
        self.log = log
        self.onNode = onNode
        state = Mutex(State(table: KademliaTable(selfId: Keccak256.hash(nodeKey.nodeId))))
    }

    /// The UDP port, once bound.
    public var localPort: Int? { state.withLock { $0.localPort } }

    /// The nodes in the table.
    public var nodes: [Enode] { state.withLock { $0.table.nodes } }

    /// Our own node as others should see it.
    public var selfNode: Enode {
        let udp = UInt16(clamping: localPort ?? port)
        return Enode(publicKey: nodeKey.publicKey, host: P2PServer.host(advertisedHost), tcpPort: tcpPort, udpPort: udp)
    }

    /// Binds the UDP socket. Call before `run`, so that a busy port fails the start.
    /// - Throws: NIO's error when the port cannot be bound.
    public func bind() async throws -> Channel {
        let channel = try await Self.bindUDP(host: host, port: port)
        state.withLock { $0.localPort = channel.channel.localAddress?.port }
        return channel
    }

    /// A UDP socket as an async channel of datagrams (also for tests that speak raw packets).
    /// - Throws: NIO's error when the port cannot be bound.
    public static func bindUDP(host: String, port: Int) async throws -> Channel {
        try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Channel(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Answers packets and keeps the table filled until cancelled.
    /// - Parameter channel: the socket from `bind()`.
    public func run(_ channel: Channel) async throws {
        try await channel.executeThenClose { inbound, outbound in
            state.withLock { $0.outbound = outbound }
            defer { state.withLock { $0.outbound = nil } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.maintain() }
                group.addTask {
                    for try await envelope in inbound {
                        await self.handle(envelope)
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }

    // MARK: Table maintenance

    private func maintain() async {
        await bootstrap()
        _ = await lookup(target: nodeKey.nodeId)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int(refreshInterval * 1000)))
            if Task.isCancelled { return }
            if state.withLock({ $0.table.count == 0 }) { await bootstrap() }
            prune()
            await revalidate()
            _ = await lookup(target: nodeKey.nodeId)
            _ = await lookup(target: PrivateKey.generate().publicKey.bytes)
        }
    }

    /// Forgets bonds older than 24 hours, and the oldest ones beyond `maximumBonds` (pings from many
    /// keys must not grow memory without bound), and reports older than `reportInterval`.
    private func prune() {
        state.withLock { state in
            for key in [\State.lastPingReceived, \State.lastPongReceived] {
                var times = state[keyPath: key].filter { Self.isFresh($0.value) }
                if times.count > Self.maximumBonds {
                    let keep = times.sorted { $0.value > $1.value }.prefix(Self.maximumBonds)
                    times = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
                }
                state[keyPath: key] = times
            }
            let now = NIODeadline.now()
            state.reported = state.reported.filter { now - $0.value < Self.reportInterval }
        }
    }

    private func bootstrap() async {
        await withTaskGroup(of: Void.self) { group in
            for node in bootnodes {
                group.addTask {
                    if !(await self.ensureBond(node)) {
                        self.log("discovery: bootnode \(node.host.map(\.description) ?? "?"):\(node.udpPort) did not answer")
                    }
                }
            }
        }
    }

    /// Pings one table entry; one that does not answer is removed (a replacement takes its place).
    private func revalidate() async {
        guard let node = state.withLock({ $0.table.revalidationCandidate(seed: Int.random(in: 0 ..< Int.max)) }) else { return }
        if !(await ping(node)) {
            state.withLock { _ = $0.table.remove(node) }
        }
    }

    /// Finds the nodes closest to a target by asking the closest known nodes, α at a time, until no
    /// closer unasked node remains (discv4.md "Recursive Lookup").
    /// - Parameter target: a 64-byte public key.
    /// - Returns: the closest nodes found (at most 16), closest first.
    public func lookup(target: [UInt8]) async -> [Enode] {
        let targetId = Keccak256.hash(target)
        var result = state.withLock { $0.table.closest(to: targetId, count: KademliaTable.bucketSize) }
        var seen = Set(result.map(\.nodeId))
        seen.insert(nodeKey.nodeId)
        var asked: Set<[UInt8]> = []
        while !Task.isCancelled {
            let batch = Array(result.filter { !asked.contains($0.nodeId) }.prefix(Self.concurrency))
            if batch.isEmpty { break }
            for node in batch { asked.insert(node.nodeId) }
            let found = await withTaskGroup(of: [Enode].self) { group in
                for node in batch { group.addTask { await self.findNode(node, target: target) } }
                var all: [Enode] = []
                for await nodes in group { all += nodes }
                return all
            }
            for node in found where !seen.contains(node.nodeId) {
                seen.insert(node.nodeId)
                result.append(node)
                // Every node learned is pinged, so that it can enter the table and be reported even
                // if the lookup does not ask it.
                if !state.withLock({ Self.isFresh($0.lastPongReceived[node.nodeId]) }) {
                    Task { _ = await self.ping(node) }
                }
            }
            result.sort { KademliaTable.isCloser($0.id, than: $1.id, to: targetId) }
            result = Array(result.prefix(KademliaTable.bucketSize))
        }
        return result
    }

    // MARK: Requests

    private func now() -> UInt64 { UInt64(max(0, time(nil))) }

    /// Pings a node and waits for its Pong; a node that answers enters the table.
    /// - Returns: whether the Pong came.
    func ping(_ node: Enode) async -> Bool {
        guard let address = Self.socketAddress(node) else { return false }
        let packet = DiscoveryPacket.ping(.init(from: selfEndpoint, to: Self.endpoint(of: node),
                                                expiration: now() + Self.packetLifetime))
        guard let (bytes, hash) = try? packet.encode(key: nodeKey) else { return false }
        let timeout = responseTimeout
        return await withCheckedContinuation { continuation in
            let token = state.withLock { state in
                state.nextWaiter += 1
                state.pendingPings[hash, default: PendingPing(node: node, waiters: [:])].waiters[state.nextWaiter] = continuation
                return state.nextWaiter
            }
            Task {
                await self.send(bytes, to: address)
                try? await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                let expired = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    let waiter = state.pendingPings[hash]?.waiters.removeValue(forKey: token)
                    if state.pendingPings[hash]?.waiters.isEmpty == true { state.pendingPings[hash] = nil }
                    return waiter
                }
                expired?.resume(returning: false)
            }
        }
    }

    /// Makes sure both sides have verified each other: we have the node's Pong (else ping it) and it
    /// has pinged us (else wait up to the response timeout for its Ping).
    /// - Returns: false when the node does not answer.
    func ensureBond(_ node: Enode) async -> Bool {
        let (pongFresh, pingFresh) = state.withLock { state in
            (Self.isFresh(state.lastPongReceived[node.nodeId]), Self.isFresh(state.lastPingReceived[node.nodeId]))
        }
        if !pongFresh {
            guard await ping(node) else { return false }
        } else {
            addVerified(node)
        }
        if pingFresh { return true }
        let deadline = NIODeadline.now() + responseTimeout
        while NIODeadline.now() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            if state.withLock({ Self.isFresh($0.lastPingReceived[node.nodeId]) }) { return true }
        }
        return true
    }

    /// Asks a node for the nodes closest to a target and collects its Neighbours until 16 nodes
    /// arrive or the response timeout passes.
    func findNode(_ node: Enode, target: [UInt8]) async -> [Enode] {
        guard await ensureBond(node), let address = Self.socketAddress(node) else { return [] }
        let packet = DiscoveryPacket.findNode(.init(target: target, expiration: now() + Self.packetLifetime))
        guard let (bytes, _) = try? packet.encode(key: nodeKey) else { return [] }
        let timeout = responseTimeout
        let id = node.nodeId
        let nodes: [DiscoveryPacket.Node] = await withCheckedContinuation { continuation in
            let busy = state.withLock { state in
                if state.pendingFinds[id] != nil { return true }
                state.pendingFinds[id] = PendingFind(nodes: [], continuation: continuation)
                return false
            }
            if busy { continuation.resume(returning: []); return }
            Task {
                await self.send(bytes, to: address)
                try? await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                if let pending = self.state.withLock({ $0.pendingFinds.removeValue(forKey: id) }) {
                    pending.continuation.resume(returning: pending.nodes)
                }
            }
        }
        return nodes.compactMap { item in
            guard let enode = item.enode, enode.publicKey != nodeKey.publicKey, enode.udpPort != 0 else { return nil }
            return enode
        }
    }

    // MARK: Handling packets

    private func handle(_ envelope: AddressedEnvelope<ByteBuffer>) async {
        let bytes = Array(envelope.data.readableBytesView)
        let received: DiscoveryPacket.Received
        do throws(DiscoveryError) {
            received = try DiscoveryPacket.decode(bytes, now: now())
        } catch {
            return
        }
        let sender = received.sender
        let source = envelope.remoteAddress
        switch received.packet {
        case .ping(let ping):
            guard let ip = Self.ipBytes(source), let udp = source.port, let host = DiscoveryPacket.host(ip) else { return }
            let pong = DiscoveryPacket.pong(.init(to: .init(ip: ip, udpPort: UInt16(clamping: udp), tcpPort: ping.from.tcpPort),
                                                  pingHash: received.hash, expiration: now() + Self.packetLifetime))
            if let (reply, _) = try? pong.encode(key: nodeKey) { await send(reply, to: source) }
            let node = Enode(publicKey: sender, host: host, tcpPort: ping.from.tcpPort, udpPort: UInt16(clamping: udp))
            let verified = state.withLock { state in
                state.lastPingReceived[sender.bytes] = .now()
                return Self.isFresh(state.lastPongReceived[sender.bytes])
            }
            if verified {
                addVerified(node)
            } else {
                Task { _ = await self.ping(node) }
            }
        case .pong(let pong):
            let pending: PendingPing? = state.withLock { state in
                guard let pending = state.pendingPings[pong.pingHash], pending.node.publicKey == sender else { return nil }
                state.pendingPings[pong.pingHash] = nil
                state.lastPongReceived[sender.bytes] = .now()
                return pending
            }
            guard let pending else { return }
            addVerified(pending.node)
            for waiter in pending.waiters.values { waiter.resume(returning: true) }
        case .findNode(let request):
            guard state.withLock({ Self.isFresh($0.lastPongReceived[sender.bytes]) }) else { return }
            let closest = state.withLock { $0.table.closest(to: Keccak256.hash(request.target), count: KademliaTable.bucketSize) }
            for packet in neighbourPackets(closest) { await send(packet, to: source) }
        case .neighbours(let reply):
            let done: PendingFind? = state.withLock { state in
                guard var pending = state.pendingFinds[sender.bytes] else { return nil }
                pending.nodes += reply.nodes
                if pending.nodes.count >= KademliaTable.bucketSize {
                    state.pendingFinds[sender.bytes] = nil
                    return pending
                }
                state.pendingFinds[sender.bytes] = pending
                return nil
            }
            done?.continuation.resume(returning: done!.nodes)
        case .enrRequest, .enrResponse:
            return
        }
    }

    /// Neighbours packets holding `nodes`, as many per packet as fit in 1280 bytes.
    func neighbourPackets(_ nodes: [Enode]) -> [[UInt8]] {
        let items = nodes.compactMap { node -> DiscoveryPacket.Node? in
            guard case let host? = node.host, let ip = Self.ipBytes(host) else { return nil }
            return DiscoveryPacket.Node(ip: ip, udpPort: node.udpPort, tcpPort: node.tcpPort, nodeId: node.nodeId)
        }
        return Self.neighbourPackets(items, expiration: now() + Self.packetLifetime, key: nodeKey)
    }

    /// Splits nodes into signed Neighbours packets of at most 1280 bytes each.
    /// - Returns: the datagrams (none for no nodes).
    public static func neighbourPackets(_ nodes: [DiscoveryPacket.Node], expiration: UInt64, key: NodeKey) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var batch: [DiscoveryPacket.Node] = []
        func size(_ nodes: [DiscoveryPacket.Node]) -> Int {
            DiscoveryPacket.headerSize + DiscoveryPacket.neighbours(.init(nodes: nodes, expiration: expiration)).packetData.count
        }
        for node in nodes {
            if !batch.isEmpty && size(batch + [node]) > DiscoveryPacket.maximumSize {
                if let (bytes, _) = try? DiscoveryPacket.neighbours(.init(nodes: batch, expiration: expiration)).encode(key: key) { packets.append(bytes) }
                batch = []
            }
            batch.append(node)
        }
        if !batch.isEmpty, let (bytes, _) = try? DiscoveryPacket.neighbours(.init(nodes: batch, expiration: expiration)).encode(key: key) {
            packets.append(bytes)
        }
        return packets
    }

    /// Puts a node that answered a Ping into the table and reports it the first time.
    private func addVerified(_ node: Enode) {
        let isNew = state.withLock { state -> Bool in
            let addition = state.table.add(node)
            guard addition == .added || addition == .updated, node.tcpPort != 0 else { return false }
            let now = NIODeadline.now()
            if let last = state.reported[node.nodeId], now - last < Self.reportInterval { return false }
            state.reported[node.nodeId] = now
            return true
        }
        if isNew {
            log("discovery: found \(node)")
            onNode(node)
        }
    }

    private func send(_ bytes: [UInt8], to address: SocketAddress) async {
        guard let outbound = state.withLock({ $0.outbound }) else { return }
        let envelope = AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes))
        try? await outbound.write(envelope)
    }

    // MARK: Addresses

    private var selfEndpoint: DiscoveryPacket.Endpoint {
        let ip = Self.ipBytes(P2PServer.host(advertisedHost)) ?? []
        return .init(ip: ip, udpPort: UInt16(clamping: localPort ?? port), tcpPort: tcpPort)
    }

    private static func endpoint(of node: Enode) -> DiscoveryPacket.Endpoint {
        .init(ip: node.host.flatMap(ipBytes) ?? [], udpPort: node.udpPort, tcpPort: node.tcpPort)
    }

    private static func isFresh(_ time: NIODeadline?) -> Bool {
        guard let time else { return false }
        return NIODeadline.now() - time < bondExpiration
    }

    static func ipBytes(_ host: Enode.Host) -> [UInt8]? {
        switch host {
        case .ipv4(let bytes), .ipv6(let bytes): return bytes
        case .name: return nil
        }
    }

    static func ipBytes(_ address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if case .ipv4(let mapped) = Enode.normalized(.ipv6(bytes)) { return mapped }
            return bytes
        default: return nil
        }
    }

    static func socketAddress(_ node: Enode) -> SocketAddress? {
        guard let host = node.host else { return nil }
        switch host {
        case .ipv4, .ipv6: return try? SocketAddress(ipAddress: host.description, port: Int(node.udpPort))
        case .name(let name): return try? SocketAddress.makeAddressResolvingHost(name, port: Int(node.udpPort))
        }
    }
}
