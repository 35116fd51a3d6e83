import Metrics

extension ETHHandler {
    /// goldengrain_peers: peers past the eth Status handshake (net_peerCount), through the
    /// swift-metrics API (a no-op unless the executable bootstrapped a backend).
    static let peersGauge = Gauge(label: "goldengrain_peers")

    /// Sets goldengrain_peers (the metrics endpoint calls it before each scrape; 0 for a node
    /// without devp2p).
    public static func recordPeers(_ count: Int) { peersGauge.record(count) }
}
