import NIOCore
import NIOPosix
import Primitives
import Signatures
import Synchronization

/// A devp2p node's network side (go-ethereum `p2p.Server`): listens for RLPx connections, keeps its
/// static peers (bootnodes, `admin_addPeer`) connected with redial and backoff, admits at most
/// `maximumPeers`, and runs the configured subprotocols with every peer that shares them.
public final class P2PServer: Sendable {
    /// What the server is and does.
    public struct Configuration: Sendable {
        /// The node key (identity).
        public var nodeKey: NodeKey
        /// The interface to listen on (go-ethereum listens on all: ":30303").
        public var listenHost: String
        /// The TCP port (0: any free port, read back from `listeningPort`).
        public var listenPort: Int
        /// The host other nodes reach us at, for our enode URL.
        public var advertisedHost: String
        /// The most peers at once (go-ethereum `--maxpeers`, default 50).
        public var maximumPeers: Int
        /// Our client name in Hello.
        public var clientId: String
        /// Peers to dial and keep connected.
        public var staticPeers: [Enode]
        /// The protocols to run.
        public var protocols: [any SubProtocol]
        /// Receives one line per notable event (a peer joining or leaving, a failed dial).
        public var log: @Sendable (String) -> Void

        public init(nodeKey: NodeKey, listenHost: String = "0.0.0.0", listenPort: Int = 30303,
                    advertisedHost: String = "127.0.0.1", maximumPeers: Int = 50, clientId: String,
                    staticPeers: [Enode] = [], protocols: [any SubProtocol], log: @escaping @Sendable (String) -> Void = { _ in }) {
            self.nodeKey = nodeKey
            self.listenHost = listenHost
            self.listenPort = listenPort
            self.advertisedHost = advertisedHost
            self.maximumPeers = maximumPeers
            self.clientId = clientId
            self.staticPeers = staticPeers
            self.protocols = protocols
            self.log = log
        }
    }

    /// The redial delays for a static peer: from 1 s, doubling to 30 s; a session that lasted
    /// longer than the maximum resets it.
    static let firstRedialDelay = 1.0
    static let maximumRedialDelay = 30.0

    public let configuration: Configuration

    private struct State {
        var peers: [[UInt8]: Peer] = [:]
        /// The static peers, each with its dialer once the server runs.
        var dialers: [[UInt8]: (enode: Enode, task: Task<Void, Never>?)] = [:]
        /// Nodes being dialled once (found by discovery).
        var dialing: Set<[UInt8]> = []
        var listeningPort: Int?
        var isRunning = false
    }

    private let state = Mutex(State())

    public init(configuration: Configuration) {
        self.configuration = configuration
        for enode in configuration.staticPeers { addPeer(enode) }
    }

    /// The TCP port the server listens on, once `run` has bound it.
    public var listeningPort: Int? { state.withLock { $0.listeningPort } }

    /// Our enode URL (with the bound port once listening).
    public var enode: Enode {
        let port = UInt16(clamping: listeningPort ?? configuration.listenPort)
        return Enode(publicKey: configuration.nodeKey.publicKey, host: Self.host(configuration.advertisedHost),
                     tcpPort: port, udpPort: port)
    }

    /// The connected peers.
    public var peers: [Peer] { state.withLock { Array($0.peers.values) } }

    /// Whether `run` has started and not yet ended (dials wait for it).
    package var isRunning: Bool { state.withLock { $0.isRunning } }

    /// The connected peers, for admin_peers.
    public var peerInfos: [PeerInfo] {
        peers.map { peer in
            let port = peer.hello.listenPort
            let url = Enode(publicKey: peer.publicKey, host: Self.host(String(peer.remoteAddress.split(separator: ":").dropLast().joined(separator: ":"))),
                            tcpPort: UInt16(clamping: port))
            return PeerInfo(enode: url.description, id: Hex.encode(url.id.bytes, prefix: false), name: peer.name,
                            capabilities: peer.hello.capabilities.map(\.description), localAddress: peer.localAddress,
                            remoteAddress: peer.remoteAddress, isInbound: peer.isInbound, isStatic: peer.isStatic)
        }
    }

    /// Binds the listening socket. Call before `run`, so that a busy port fails the start.
    /// - Throws: NIO's error when the port cannot be bound.
    public func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never> {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.listenHost, port: configuration.listenPort) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        state.withLock { $0.listeningPort = listener.channel.localAddress?.port }
        return listener
    }

    /// Accepts connections and dials the static peers until cancelled; then every session ends
    /// with Disconnect(quitting).
    /// - Parameter listener: the socket from `bind()`.
    public func run(_ listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) async throws {
        state.withLock { state in
            state.isRunning = true
            for (id, dialer) in state.dialers where dialer.task == nil {
                let enode = dialer.enode
                state.dialers[id] = (enode, Task { await self.keepConnected(enode) })
            }
        }
        defer {
            let dialers = state.withLock { state in
                state.isRunning = false
                defer { state.dialers.removeAll() }
                return state.dialers.values.compactMap(\.task)
            }
            for task in dialers { task.cancel() }
        }
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask {
                        let ending = await Session.run(channel: connection, dialed: nil, isStatic: false, context: self.context(isStatic: false))
                        self.note(ending, dialed: nil)
                    }
                }
            }
        }
    }

    /// Keeps a peer connected (admin_addPeer, --bootnodes): dials it now (or when the server
    /// starts running) and again whenever its session ends. Adding a peer already added does nothing.
    /// - Returns: true (go-ethereum's admin_addPeer answers true once the URL parses); false for
    ///   our own node.
    @discardableResult
    public func addPeer(_ enode: Enode) -> Bool {
        guard enode.publicKey != configuration.nodeKey.publicKey else { return false }
        state.withLock { state in
            guard state.dialers[enode.nodeId] == nil else { return }
            state.dialers[enode.nodeId] = (enode, state.isRunning ? Task { await self.keepConnected(enode) } : nil)
        }
        return true
    }

    /// Dials a node once, if there is room and it is neither connected nor being dialled (a node
    /// that discovery found; go-ethereum's dynamic dials). A failure is logged once and not retried
    /// here: discovery reports the node again when it sees it again.
    public func connect(_ enode: Enode) {
        guard enode.publicKey != configuration.nodeKey.publicKey, enode.host != nil else { return }
        let start = state.withLock { state -> Bool in
            guard state.isRunning, state.peers.count < configuration.maximumPeers,
                  state.peers[enode.nodeId] == nil, state.dialers[enode.nodeId] == nil,
                  !state.dialing.contains(enode.nodeId) else { return false }
            state.dialing.insert(enode.nodeId)
            return true
        }
        guard start else { return }
        Task {
            let ending = await dial(enode, isStatic: false)
            state.withLock { _ = $0.dialing.remove(enode.nodeId) }
            note(ending, dialed: enode)
        }
    }

    /// Stops keeping a peer connected and ends its session if there is one (admin_removePeer).
    @discardableResult
    public func removePeer(_ enode: Enode) -> Bool {
        // The dialer is not cancelled (that would cut the session short without a Disconnect): it
        // sees that the peer is no longer static and stops after the session ends.
        let peer = state.withLock { state in
            state.dialers[enode.nodeId] = nil
            return state.peers[enode.nodeId]
        }
        peer?.disconnect(.requested)
        return true
    }

    /// Dials a static peer until it is removed or the server stops, with backoff between failures.
    private func keepConnected(_ enode: Enode) async {
        var delay = Self.firstRedialDelay
        var lastProblem: String?
        while !Task.isCancelled && state.withLock({ $0.dialers[enode.nodeId] != nil }) {
            if state.withLock({ $0.peers[enode.nodeId] != nil }) {
                // Connected already (it dialed us): look again later.
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            let started = NIODeadline.now()
            let ending = await dial(enode)
            if Task.isCancelled { return }
            // A peer that stays away costs one line, and one more when it is back.
            let problem = "\(ending)"
            if problem != lastProblem { note(ending, dialed: enode) }
            lastProblem = problem
            if NIODeadline.now() - started > .seconds(Int64(Self.maximumRedialDelay)) { delay = Self.firstRedialDelay }
            let jitter = Double.random(in: 0 ... 0.25)
            try? await Task.sleep(for: .milliseconds(Int((delay + jitter) * 1000)))
            delay = min(delay * 2, Self.maximumRedialDelay)
        }
    }

    /// One connection to a node: TCP, then a session as initiator.
    private func dial(_ enode: Enode, isStatic: Bool = true) async -> P2PError {
        guard let host = enode.host else { return .transport("\(enode) has no host to dial") }
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host.description, port: Int(enode.tcpPort)) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return await Session.run(channel: channel, dialed: enode.publicKey, isStatic: isStatic, context: context(isStatic: isStatic))
        } catch {
            return .transport("dial \(host):\(enode.tcpPort): \(error)")
        }
    }

    private func context(isStatic: Bool) -> SessionContext {
        let capabilities = configuration.protocols.map(\.capability)
        let hello = Hello(clientId: configuration.clientId, capabilities: capabilities,
                          listenPort: UInt64(listeningPort ?? configuration.listenPort),
                          nodeId: configuration.nodeKey.nodeId)
        return SessionContext(nodeKey: configuration.nodeKey, hello: hello, protocols: configuration.protocols,
                              admit: { [self] peer in admit(peer) }, remove: { [self] peer, ending in remove(peer, ending: ending) },
                              log: configuration.log)
    }

    private func admit(_ peer: Peer) -> DisconnectReason? {
        if peer.publicKey == configuration.nodeKey.publicKey { return .connectedToSelf }
        let ourKey = configuration.nodeKey.publicKey.bytes
        let (refusal, replaced) = state.withLock { state -> (DisconnectReason?, Peer?) in
            if let existing = state.peers[peer.publicKey.bytes] {
                guard Self.survives(peer, over: existing, ourKey: ourKey) else { return (.alreadyConnected, nil) }
                state.peers[peer.publicKey.bytes] = peer
                return (nil, existing)
            }
            if state.peers.count >= configuration.maximumPeers && !peer.isStatic { return (.tooManyPeers, nil) }
            state.peers[peer.publicKey.bytes] = peer
            return (nil, nil)
        }
        replaced?.disconnect(.alreadyConnected)
        if refusal == nil { configuration.log("\(peer) connected (\(peer.isInbound ? "inbound" : "outbound"), \(peer.shared.map(\.capability.description).joined(separator: ", ")))") }
        return refusal
    }

    /// Which of two connections to the same node stays when both complete (the two nodes dialled
    /// each other at once, as they do when each finds the other by discovery): the one dialled by
    /// the node with the lower public key. Both ends apply the same rule to the same two
    /// connections, so they keep the same one. Keeping whichever came first instead (go-ethereum's
    /// DiscAlreadyConnected) lets each end keep a different one and drop the other's, which leaves
    /// the two nodes with no connection at all.
    static func survives(_ newcomer: Peer, over existing: Peer, ourKey: [UInt8]) -> Bool {
        func dialer(_ peer: Peer) -> [UInt8] { peer.isInbound ? peer.publicKey.bytes : ourKey }
        let (new, old) = (dialer(newcomer), dialer(existing))
        return new != old && new.lexicographicallyPrecedes(old)
    }

    private func remove(_ peer: Peer, ending: P2PError) {
        state.withLock { state in
            if state.peers[peer.publicKey.bytes] === peer { state.peers[peer.publicKey.bytes] = nil }
        }
        configuration.log("\(peer) left: \(ending)")
    }

    /// Logs why a connection that never became a peer ended (a failed dial, a refused handshake).
    private func note(_ ending: P2PError, dialed: Enode?) {
        switch ending {
        case .disconnected(.alreadyConnected, _), .disconnected(.quitting, false), .admittedAndEnded: return
        default: break
        }
        let who = dialed.map { "\(Hex.encode($0.nodeId, prefix: false).prefix(16))… at \($0.host.map(\.description) ?? "?"):\($0.tcpPort)" } ?? "inbound connection"
        configuration.log("p2p: \(who): \(ending)")
    }

    /// An enode host from text (an IPv4 or IPv6 literal, else a name).
    static func host(_ text: String) -> Enode.Host {
        let trimmed = text.trimmingPrefix("[").split(separator: "]").first.map(String.init) ?? text
        if let address = try? SocketAddress(ipAddress: trimmed, port: 0) {
            switch address {
            case .v4(let v4):
                return .ipv4(withUnsafeBytes(of: v4.address.sin_addr) { Array($0) })
            case .v6(let v6):
                return .ipv6(withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) })
            default: break
            }
        }
        return .name(trimmed)
    }
}
