import NIOCore
import Primitives
import Signatures
import Synchronization

/// What a session needs from the server that runs it.
struct SessionContext: Sendable {
    /// Our node key.
    let nodeKey: NodeKey
    /// Our Hello (with our capabilities, listen port and node id).
    let hello: Hello
    /// The protocols we run.
    let protocols: [any SubProtocol]
    /// Decides whether a peer may join (nil) or must be sent away with a reason: already connected,
    /// too many peers, ourselves. Registers the peer when it returns nil.
    let admit: @Sendable (Peer) -> DisconnectReason?
    /// Called once when an admitted peer's session has ended, with why.
    let remove: @Sendable (Peer, P2PError) -> Void
    /// Receives one line per notable event.
    let log: @Sendable (String) -> Void
}

/// Limits of a session (go-ethereum p2p/server.go and p2p/peer.go).
enum SessionLimits {
    /// Time for the encryption handshake and for Hello (go-ethereum `handshakeTimeout`).
    static let handshakeSeconds = 5.0
    /// A Ping every 15 s (go-ethereum `pingInterval`); a peer silent for 30 s is dropped
    /// (`frameReadTimeout`).
    static let pingInterval: Duration = .seconds(15)
    static let silenceSeconds = 30.0
}

/// The frame reader of a session: owns the connection's inbound bytes and the ingress MAC state.
final class FrameReader: @unchecked Sendable {
    private let input: InboundBytes
    private var codec: RLPxFrameCodec
    var isCompressed = false
    /// When the last frame arrived (for the silence limit).
    let lastRead = Atomic<UInt64>(0)

    init(input: InboundBytes, codec: RLPxFrameCodec) {
        self.input = input
        self.codec = codec
    }

    /// The next message: its session-wide code and its payload (decompressed once Snappy is on).
    func next() async throws -> (code: UInt64, payload: [UInt8]) {
        let header = try await input.read(RLPxFrame.headerByteCount)
        let size: Int
        do { size = try codec.decodeHeader(header) } catch { throw P2PError.transport("\(error)") }
        let body = try await input.read(RLPxFrame.encryptedBodyLength(frameSize: size))
        let frame: (code: UInt64, payload: [UInt8])
        do { frame = try codec.decodeFrame(body: body) } catch { throw P2PError.transport("\(error)") }
        lastRead.store(NIODeadline.now().uptimeNanoseconds, ordering: .relaxed)
        guard isCompressed else { return frame }
        do {
            return (frame.code, try Snappy.decompress(frame.payload))
        } catch {
            throw P2PError.protocolBreach("message 0x\(String(frame.code, radix: 16)): \(error)")
        }
    }
}

/// The frame writer of a session: owns the egress MAC state. Used by one task at a time (the
/// writer loop, then the session's last Disconnect).
final class FrameWriter: @unchecked Sendable {
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var codec: RLPxFrameCodec
    var isCompressed = false

    init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, codec: RLPxFrameCodec) {
        self.outbound = outbound
        self.codec = codec
    }

    func write(code: UInt64, payload: [UInt8]) async throws {
        let body = isCompressed ? Snappy.compress(payload) : payload
        let frame: [UInt8]
        do { frame = try codec.encodeFrame(code: code, payload: body) } catch { throw P2PError.transport("\(error)") }
        try await outbound.write(ByteBuffer(bytes: frame))
    }
}

/// One devp2p session over a TCP connection (go-ethereum p2p/rlpx + p2p/peer.go): the RLPx
/// handshake in our role, Hello both ways, then the base protocol (Ping/Pong, Disconnect) and the
/// shared subprotocols side by side until one side ends it.
enum Session {
    /// Runs a session to its end.
    /// - Parameters:
    ///   - channel: the connection.
    ///   - dialed: the node we dialed (we are the initiator), or nil for an inbound connection.
    ///   - isStatic: whether the peer is one we keep connected.
    ///   - context: the server's side.
    /// - Returns: why the session ended.
    static func run(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, dialed: PublicKey?, isStatic: Bool,
                    context: SessionContext) async -> P2PError {
        let remoteAddress = channel.channel.remoteAddress.map(Self.text) ?? "unknown"
        let localAddress = channel.channel.localAddress.map(Self.text) ?? "unknown"
        do {
            return try await channel.executeThenClose { inbound, outbound in
                let input = InboundBytes(inbound)
                let (remoteKey, codec) = try await handshake(input: input, outbound: outbound, dialed: dialed,
                                                             nodeKey: context.nodeKey)
                let reader = FrameReader(input: input, codec: codec)
                let writer = FrameWriter(outbound: outbound, codec: codec)
                return await exchange(reader: reader, writer: writer, remoteKey: remoteKey, isInbound: dialed == nil,
                                      isStatic: isStatic, remoteAddress: remoteAddress, localAddress: localAddress,
                                      context: context)
            }
        } catch let error as P2PError {
            return error
        } catch {
            return .transport("\(error)")
        }
    }

    /// The RLPx handshake (EIP-8 packets: a 2-byte size, then the ECIES-encrypted body).
    /// - Returns: the peer's public key and the frame codec of the session.
    private static func handshake(input: InboundBytes, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                                  dialed: PublicKey?, nodeKey: NodeKey) async throws -> (PublicKey, RLPxFrameCodec) {
        let nonce = Hash32(SecureRandom.bytes(count: 32))
        let ephemeral = PrivateKey.generate()
        if let remote = dialed {
            var initiator = RLPxInitiatorHandshake(localKey: nodeKey.privateKey, remote: remote, ephemeralKey: ephemeral,
                                                   nonce: nonce)
            try await outbound.write(ByteBuffer(bytes: initiator.makeAuth()))
            let ack = try await withTimeout(SessionLimits.handshakeSeconds, "the RLPx ack") {
                try await readPacket(input, kind: .ack)
            }
            do {
                let secrets = try initiator.handleAck(ack)
                return (remote, RLPxFrameCodec(secrets: secrets))
            } catch {
                throw P2PError.transport("RLPx ack: \(error)")
            }
        }
        let auth = try await withTimeout(SessionLimits.handshakeSeconds, "the RLPx auth") {
            try await readPacket(input, kind: .auth)
        }
        var recipient = RLPxRecipientHandshake(localKey: nodeKey.privateKey, ephemeralKey: ephemeral, nonce: nonce)
        let answer: (ack: [UInt8], secrets: RLPxSecrets)
        do { answer = try recipient.handleAuth(auth) } catch { throw P2PError.transport("RLPx auth: \(error)") }
        try await outbound.write(ByteBuffer(bytes: answer.ack))
        return (answer.secrets.remotePublicKey, RLPxFrameCodec(secrets: answer.secrets))
    }

    /// One handshake packet: EIP-8 (a 2-byte size, then that many bytes) or the legacy fixed size.
    private static func readPacket(_ input: InboundBytes, kind: RLPxHandshakePacket.Kind) async throws -> [UInt8] {
        let prefix = try await input.read(2)
        let length: Int
        do {
            guard let known = try RLPxHandshakePacket.length(of: kind, startingWith: prefix) else {
                throw P2PError.connectionClosed
            }
            length = known
        } catch let error as RLPxError {
            throw P2PError.transport("\(error)")
        }
        return prefix + (try await input.read(length - 2))
    }

    /// Hello both ways, admission, then the running session.
    private static func exchange(reader: FrameReader, writer: FrameWriter, remoteKey: PublicKey, isInbound: Bool,
                                 isStatic: Bool, remoteAddress: String, localAddress: String,
                                 context: SessionContext) async -> P2PError {
        let remoteHello: Hello
        do {
            try await writer.write(code: BaseProtocol.MessageCode.hello.rawValue, payload: context.hello.encoded)
            let first = try await withTimeout(SessionLimits.handshakeSeconds, "Hello") { try await reader.next() }
            switch first.code {
            case BaseProtocol.MessageCode.hello.rawValue:
                guard first.payload.count <= BaseProtocol.maximumHelloSize else {
                    return await end(.protocolBreach("Hello of \(first.payload.count) bytes, more than \(BaseProtocol.maximumHelloSize)"),
                                     writer: writer)
                }
                remoteHello = try Hello(encoded: first.payload)
            case BaseProtocol.MessageCode.disconnect.rawValue:
                let reason = (try? Disconnect(encoded: first.payload).reason) ?? .requested
                return .disconnected(reason, byPeer: true)
            default:
                return await end(.protocolBreach("message 0x\(String(first.code, radix: 16)) before Hello"), writer: writer)
            }
        } catch let error as P2PError {
            return await end(error, writer: writer)
        } catch {
            return await end(.protocolBreach("Hello: \(error)"), writer: writer)
        }
        guard remoteHello.nodeId == remoteKey.bytes else {
            return await end(.disconnected(.unexpectedIdentity, byPeer: false), writer: writer)
        }
        // Snappy from here on when both sides speak base protocol 5 (go-ethereum `snappyProtocolVersion`).
        if remoteHello.protocolVersion >= 5 {
            reader.isCompressed = true
            writer.isCompressed = true
        }
        let local = context.protocols.map { LocalProtocol(capability: $0.capability, messageCount: $0.messageCount) }
        let shared = SharedCapability.match(local: local, remote: remoteHello.capabilities)
        guard !shared.isEmpty else { return await end(.disconnected(.uselessPeer, byPeer: false), writer: writer) }

        let (outgoing, continuation) = AsyncStream<OutgoingMessage>.makeStream()
        let peer = Peer(publicKey: remoteKey, hello: remoteHello, shared: shared, isInbound: isInbound,
                        remoteAddress: remoteAddress, localAddress: localAddress, isStatic: isStatic,
                        outgoing: continuation)
        if let refusal = context.admit(peer) {
            return await end(.disconnected(refusal, byPeer: false), writer: writer)
        }
        let ending = await runPeer(peer, reader: reader, writer: writer, outgoing: outgoing, context: context)
        continuation.finish()
        context.remove(peer, ending)
        _ = await end(ending, writer: writer)
        return .admittedAndEnded
    }

    /// Sends our Disconnect for an ending that was not the peer's (nor a closed connection), then
    /// gives the peer a moment to read it before the connection closes.
    private static func end(_ ending: P2PError, writer: FrameWriter) async -> P2PError {
        switch ending {
        case .connectionClosed, .transport, .disconnected(_, byPeer: true):
            return ending
        default:
            // In a task of its own, so that a session ended by cancellation (the server stopping)
            // still says goodbye with Disconnect(quitting).
            let reason = ending.disconnectReason
            await Task.detached {
                try? await writer.write(code: BaseProtocol.MessageCode.disconnect.rawValue,
                                        payload: Disconnect(reason: reason).encoded)
                try? await Task.sleep(for: .milliseconds(100))
            }.value
            return ending
        }
    }

    /// The running session: reader, writer, pinger and one task per shared protocol. The first to
    /// end ends them all.
    private static func runPeer(_ peer: Peer, reader: FrameReader, writer: FrameWriter,
                                outgoing: AsyncStream<OutgoingMessage>, context: SessionContext) async -> P2PError {
        var streams: [(SharedCapability, AsyncStream<ProtocolMessage>.Continuation, ProtocolPeer)] = []
        for capability in peer.shared {
            let (messages, continuation) = AsyncStream<ProtocolMessage>.makeStream()
            streams.append((capability, continuation, ProtocolPeer(peer: peer, shared: capability, messages: messages)))
        }
        let routes = streams.map { ($0.0, $0.1) }
        reader.lastRead.store(NIODeadline.now().uptimeNanoseconds, ordering: .relaxed)
        let ending = await withTaskGroup(of: P2PError.self) { group in
            group.addTask {
                // The writer: messages in queue order, each through the egress MAC.
                for await message in outgoing {
                    switch message {
                    case .message(let code, let payload):
                        peer.dequeued()
                        do { try await writer.write(code: code, payload: payload) } catch { return .connectionClosed }
                    case .disconnect(let reason):
                        return .disconnected(reason, byPeer: false)
                    }
                }
                return .disconnected(.quitting, byPeer: false)
            }
            group.addTask {
                // The reader: base-protocol messages here, the rest to their protocol.
                do {
                    while true {
                        let (code, payload) = try await reader.next()
                        switch code {
                        case BaseProtocol.MessageCode.ping.rawValue:
                            peer.enqueue(.message(code: BaseProtocol.MessageCode.pong.rawValue, payload: BaseProtocol.pingPayload))
                        case BaseProtocol.MessageCode.pong.rawValue:
                            continue
                        case BaseProtocol.MessageCode.disconnect.rawValue:
                            let reason = (try? Disconnect(encoded: payload).reason) ?? .requested
                            return .disconnected(reason, byPeer: true)
                        case BaseProtocol.MessageCode.hello.rawValue:
                            return .protocolBreach("a second Hello")
                        default:
                            guard let route = routes.first(where: { $0.0.contains(code: code) }) else {
                                return .protocolBreach("message code 0x\(String(code, radix: 16)) belongs to no shared protocol")
                            }
                            route.1.yield(ProtocolMessage(code: code - route.0.offset, payload: payload))
                        }
                    }
                } catch let error as P2PError {
                    return error
                } catch {
                    return Task.isCancelled ? .disconnected(.quitting, byPeer: false) : .transport("\(error)")
                }
            }
            group.addTask {
                // The pinger, and the silence limit.
                while !Task.isCancelled {
                    do { try await Task.sleep(for: SessionLimits.pingInterval) } catch { break }
                    let silent = Double(NIODeadline.now().uptimeNanoseconds &- reader.lastRead.load(ordering: .relaxed)) / 1e9
                    if silent > SessionLimits.silenceSeconds { return .timeout("any message for \(Int(silent)) s") }
                    peer.enqueue(.message(code: BaseProtocol.MessageCode.ping.rawValue, payload: BaseProtocol.pingPayload))
                }
                return .disconnected(.quitting, byPeer: false)
            }
            for (capability, _, protocolPeer) in streams {
                guard let handler = context.protocols.first(where: { $0.capability == capability.capability }) else { continue }
                group.addTask {
                    do {
                        try await handler.run(protocolPeer)
                        return .disconnected(.quitting, byPeer: false)
                    } catch let refusal as PeerDisconnect {
                        context.log("\(peer): \(refusal)")
                        return .disconnected(refusal.reason, byPeer: false)
                    } catch let error as P2PError {
                        return error
                    } catch {
                        context.log("\(peer): \(capability.capability): \(error)")
                        return .disconnected(.subprotocolError, byPeer: false)
                    }
                }
            }
            let first = await group.next() ?? .disconnected(.quitting, byPeer: false)
            group.cancelAll()
            for (_, continuation, _) in streams { continuation.finish() }
            return first
        }
        return ending
    }

    /// "ip:port" of a socket address.
    static func text(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
