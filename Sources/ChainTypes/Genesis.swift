import Primitives
import Trie

/// A chain's genesis, read from go-ethereum's genesis.json format plus a `goldengrain` section.
///
/// Fields read (numbers may be JSON numbers, decimal strings or 0x-hex strings, as geth accepts):
/// - `config.chainId` (required); `config.clique.period` (required) and `config.clique.epoch`
///   (default 30000); the hard-fork fields (`homesteadBlock` … `grayGlacierBlock`, `shanghaiTime`,
///   `cancunTime`) are accepted when 0 and rejected otherwise, since this chain runs Cancun rules
///   from block 0; other `config` members are ignored.
/// - `alloc`: address → {`balance` (required), `nonce`, `code`, `storage` (slot → value)}.
/// - `extraData` (or `extradata`): 32-byte vanity ‖ signers ‖ 65-byte zero seal (EIP-225), at least one signer.
/// - `gasLimit` (default 4,712,388, geth's), `difficulty` (default 1), `timestamp` (default 0),
///   `baseFeePerGas` (default 1 gwei, EIP-1559's initial base fee), `coinbase`, `mixHash`, `nonce` (default 0).
/// - `goldengrain`: see `GoldenGrainConfig`.
///
/// Unlike geth, an absent difficulty means 1 rather than 131072, and London is always active, so
/// block 0 always has a base fee.
public struct Genesis: Hashable, Sendable {
    /// go-ethereum's default genesis gas limit (params.GenesisGasLimit).
    package static let defaultGasLimit: UInt64 = 4_712_388

    /// The EIP-155 chain id.
    public var chainId: UInt64
    /// The Clique parameters.
    public var clique: CliqueConfig
    /// The initial accounts.
    public var alloc: [Address: GenesisAccount]
    /// Block 0's extra data: vanity ‖ signers ‖ zero seal.
    public var extraData: [UInt8]
    /// The initial signers, from `extraData`.
    public var signers: [Address]
    /// Block 0's gas limit.
    public var gasLimit: UInt64
    /// Block 0's difficulty.
    public var difficulty: UInt256
    /// Block 0's timestamp.
    public var timestamp: UInt64
    /// Block 0's base fee per gas.
    public var baseFeePerGas: UInt256
    /// Block 0's coinbase.
    public var coinbase: Address
    /// Block 0's mix hash.
    public var mixHash: Hash32
    /// Block 0's nonce.
    public var nonce: UInt64
    /// The GoldenGrain section.
    public var goldenGrain: GoldenGrainConfig

    /// The hard-fork activation fields that must be 0 if present.
    static let forkFields = ["homesteadBlock", "eip150Block", "eip155Block", "eip158Block", "byzantiumBlock",
                             "constantinopleBlock", "petersburgBlock", "istanbulBlock", "muirGlacierBlock",
                             "berlinBlock", "londonBlock", "arrowGlacierBlock", "grayGlacierBlock",
                             "mergeNetsplitBlock", "shanghaiTime", "cancunTime"]

    /// Parses genesis JSON.
    /// - Parameter json: the UTF-8 text of a genesis file.
    /// - Throws: `GenesisError` naming the first bad field and its value.
    public init(json: [UInt8]) throws(GenesisError) {
        typealias R = GenesisFieldReader
        let root = try R.object(try R.parse(json), "genesis")
        let config = try R.object(root["config"], "config")
        guard let chainIdValue = config["chainId"] else { throw .missingField("config.chainId") }
        chainId = try R.uint64(chainIdValue, "config.chainId")
        let cliqueSection = try R.object(config["clique"], "config.clique")
        guard let periodValue = cliqueSection["period"] else { throw .missingField("config.clique.period") }
        let period = try R.uint64(periodValue, "config.clique.period")
        var epoch = CliqueConfig.defaultEpoch
        if let epochValue = cliqueSection["epoch"] {
            let value = try R.uint64(epochValue, "config.clique.epoch")
            if value != 0 { epoch = value }
        }
        clique = CliqueConfig(period: period, epoch: epoch)
        for field in Genesis.forkFields {
            guard let value = config[field], value != .null else { continue }
            guard try R.uint64(value, "config." + field) == 0 else {
                throw .unsupportedForkActivation(field: "config." + field, value: value.quoted)
            }
        }

        alloc = [:]
        if let allocValue = root["alloc"] {
            for (key, value) in try R.members(allocValue, "alloc") {
                let field = "alloc.\(key)"
                let address = try R.address(key, field)
                // Another spelling of an address already listed ("0xAB…" and "0xab…").
                guard alloc[address] == nil else { throw .duplicateField(field) }
                alloc[address] = try Genesis.readAccount(value, field)
            }
        }

        guard let extraValue = root["extraData"] ?? root["extradata"] else { throw .missingField("extraData") }
        extraData = try R.bytes(extraValue, "extraData")
        signers = try CliqueExtraData(bytes: extraData).signers
        guard !signers.isEmpty else { throw .noSigners }

        gasLimit = try root["gasLimit"].map { (value) throws(GenesisError) in try R.uint64(value, "gasLimit") } ?? Genesis.defaultGasLimit
        difficulty = try root["difficulty"].map { (value) throws(GenesisError) in try R.uint256(value, "difficulty") } ?? .one
        timestamp = try root["timestamp"].map { (value) throws(GenesisError) in try R.uint64(value, "timestamp") } ?? 0
        baseFeePerGas = try root["baseFeePerGas"].map { (value) throws(GenesisError) in try R.uint256(value, "baseFeePerGas") }
            ?? Header.initialBaseFee
        coinbase = try root["coinbase"].map { (value) throws(GenesisError) in try R.address(value, "coinbase") } ?? .zero
        mixHash = try (root["mixHash"] ?? root["mixhash"]).map { (value) throws(GenesisError) in try R.hash(value, "mixHash") } ?? .zero
        nonce = try root["nonce"].map { (value) throws(GenesisError) in try R.uint64(value, "nonce") } ?? 0
        goldenGrain = try GoldenGrainConfig.read(root["goldengrain"])
    }

    /// Reads a genesis file.
    /// - Parameter path: the file's path.
    /// - Throws: `GenesisError.unreadableFile`, or any error of `init(json:)`.
    public init(contentsOfFile path: String) throws(GenesisError) {
        let bytes: [UInt8]
        do {
            bytes = try GenesisFile.read(path)
        } catch {
            throw .unreadableFile(path: path, reason: String(describing: error))
        }
        try self.init(json: bytes)
    }

    /// Block 0's header for a given state root: no parent, no transactions, London fields.
    /// - Parameter stateRoot: the root of the allocated state.
    /// - Returns: the genesis header.
    public func header(stateRoot: Hash32) -> Header {
        Header(parentHash: .zero, coinbase: coinbase, stateRoot: stateRoot,
               transactionsRoot: MerklePatriciaTrie.emptyRoot, receiptsRoot: MerklePatriciaTrie.emptyRoot,
               logsBloom: .empty, difficulty: difficulty, number: 0, gasLimit: gasLimit, gasUsed: 0,
               timestamp: timestamp, extraData: extraData, mixHash: mixHash, nonce: nonce,
               baseFeePerGas: baseFeePerGas)
    }

    private static func readAccount(_ value: JSON, _ field: String) throws(GenesisError) -> GenesisAccount {
        typealias R = GenesisFieldReader
        let members = try R.object(value, field)
        guard let balanceValue = members["balance"] else { throw .missingField(field + ".balance") }
        var account = GenesisAccount(balance: try R.uint256(balanceValue, field + ".balance"))
        if let nonce = members["nonce"] { account.nonce = try R.uint64(nonce, field + ".nonce") }
        if let code = members["code"] { account.code = try R.bytes(code, field + ".code") }
        if let storage = members["storage"] {
            for (slot, slotValue) in try R.members(storage, field + ".storage") {
                let slotField = "\(field).storage.\(slot)"
                let key = try R.word(.string(slot), slotField + " (key)")
                // Another spelling of a slot already listed ("0x02" and "0x00…02").
                guard account.storage[key] == nil else { throw .duplicateField(slotField) }
                account.storage[key] = try R.word(slotValue, slotField)
            }
        }
        return account
    }
}
