/// The Clique engine's parameters from `config.clique` (EIP-225).
public struct CliqueConfig: Hashable, Sendable {
    /// EIP-225's default EPOCH_LENGTH, used when the file gives none (or 0, as go-ethereum does).
    public static let defaultEpoch: UInt64 = 30_000

    /// Seconds between blocks; 0 seals a block as soon as a transaction arrives (the dev mode anvil users know).
    public var period: UInt64
    /// Blocks between checkpoints, where votes reset and the header lists the signers.
    public var epoch: UInt64

    /// Creates a Clique configuration.
    /// - Parameters:
    ///   - period: seconds between blocks (0: on demand).
    ///   - epoch: blocks between checkpoints.
    public init(period: UInt64, epoch: UInt64 = CliqueConfig.defaultEpoch) {
        self.period = period
        self.epoch = epoch
    }
}
