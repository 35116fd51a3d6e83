import Metrics

extension PeerSync {
    /// goldengrain_peers: peers that answered their last round (net_peerCount), through the
    /// swift-metrics API (a no-op unless the executable bootstrapped a backend).
    static let peersGauge = Gauge(label: "goldengrain_peers")

    /// Sets goldengrain_peers to 0 for a node that follows no peers; a `PeerSync` keeps it current
    /// itself (0 when created, then after every round with each peer).
    public static func recordNoPeers() { peersGauge.record(0) }
}
