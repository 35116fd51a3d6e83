import Chain
import EVM
import JSONRPC
import Primitives
import State

/// geth's `prestateTracer` (`eth/tracers/native/prestate.go`): the accounts a transaction touches
/// with their balance, code, code hash, nonce and the storage slots it reads or writes, as they were
/// before it ran; with `diffMode`, `{post, pre}`: the changed accounts after and before.
///
/// Touched means: the sender, the recipient (or the created address) and the coinbase, read when
/// the transaction starts (`begin(_:)`, before gas is bought); then at the first opcode that names
/// them, read from the live state (nothing has changed them yet): SLOAD/SSTORE slots of the
/// executing account, the account of BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH and
/// SELFDESTRUCT, the callee of the CALL family, the address CREATE or CREATE2 will use. Accounts that
/// were empty before are left out (`includeEmpty: true` keeps them). Used by one execution at a time
/// and read afterwards, hence `@unchecked Sendable`.
public final class PrestateTracer: Tracer, @unchecked Sendable {
    /// geth's `PrestateTracerConfig`.
    public struct Options: Sendable, Equatable {
        /// `{post, pre}` of the changed accounts (`diffMode`).
        public var diffMode = false
        /// Leave out code (`disableCode`).
        public var disableCode = false
        /// Leave out storage (`disableStorage`).
        public var disableStorage = false
        /// Keep accounts that were empty (`includeEmpty`).
        public var includeEmpty = false
        /// Creates options with geth's defaults (all off).
        public init() {}
    }

    struct Snapshot {
        var balance: UInt256
        var nonce: UInt64
        var code: [UInt8]?
        var codeHash: Hash32?
        var storage: [UInt256: UInt256]?
        var empty: Bool
    }

    private let options: Options
    private var state: WorldState?
    private var pre: [Address: Snapshot] = [:]
    private var post: [Address: Snapshot] = [:]
    private var contexts: [Address] = []
    private var created: Set<Address> = []
    private var deleted: Set<Address> = []

    /// Creates a tracer.
    /// - Parameter options: geth's config.
    public init(options: Options = Options()) { self.options = options }

    /// Reads the sender, the recipient (or the created address) and the coinbase before the
    /// transaction runs.
    /// - Parameter start: the transaction about to run.
    public func begin(_ start: TransactionStart) {
        state = start.state
        let to: Address
        if let recipient = start.to {
            to = recipient
        } else {
            to = CreationAddress.create(sender: start.sender, nonce: start.state.nonce(of: start.sender))
            created.insert(to)
        }
        lookup(start.sender)
        lookup(to)
        lookup(start.coinbase)
    }

    private func lookup(_ address: Address) {
        guard pre[address] == nil, let state else { return }
        let code = state.code(of: address)
        let codeHash = state.codeHash(of: address)
        var snapshot = Snapshot(balance: state.balance(of: address), nonce: state.nonce(of: address),
                                code: code.isEmpty ? nil : code,
                                codeHash: codeHash == .emptyKeccak || codeHash == .zero ? nil : codeHash,
                                storage: options.disableStorage ? nil : [:], empty: false)
        snapshot.empty = !(snapshot.nonce > 0 || !code.isEmpty || !snapshot.balance.isZero)
        if options.disableCode { snapshot.code = nil }
        pre[address] = snapshot
    }

    private func lookupStorage(_ address: Address, _ key: UInt256) {
        guard !options.disableStorage, let state else { return }
        lookup(address)
        if pre[address]!.storage?[key] == nil { pre[address]!.storage?[key] = state.storage(at: address, key: key) }
    }

    /// Notes the account whose storage the frame uses.
    public func frameDidStart(message: Message, code: AnalyzedCode) {
        contexts.append(message.recipient)
    }

    /// Looks up what the opcode is about to touch.
    public func willExecute(_ step: TraceStep) {
        guard let state, let context = contexts.last else { return }
        let stack = step.stack
        switch Opcode(rawValue: step.opcode) {
        case .sload?, .sstore?:
            if let top = stack.last { lookupStorage(context, top) }
        case .balance?, .extcodesize?, .extcodecopy?, .extcodehash?, .selfdestruct?:
            guard let top = stack.last else { return }
            lookup(Address(lowBytesOf: top.hash32))
            if step.opcode == Opcode.selfdestruct.rawValue && created.contains(context) { deleted.insert(context) }
        case .call?, .callcode?, .delegatecall?, .staticcall?:
            guard stack.count >= 5 else { return }
            lookup(Address(lowBytesOf: stack[stack.count - 2].hash32))
        case .create?:
            let address = CreationAddress.create(sender: context, nonce: state.nonce(of: context))
            lookup(address)
            created.insert(address)
        case .create2?:
            guard stack.count >= 4 else { return }
            let offset = stack[stack.count - 2], size = stack[stack.count - 3], salt = stack[stack.count - 4]
            var initCode = [UInt8](repeating: 0, count: Int(clamping: size.low64))
            if size.low64 > 0, offset.low64 < UInt64(step.memory.count) {
                let start = Int(offset.low64)
                let available = min(initCode.count, step.memory.count - start)
                for index in 0 ..< available { initCode[index] = step.memory[start + index] }
            }
            let address = CreationAddress.create2(sender: context, salt: salt, initCode: initCode)
            lookup(address)
            created.insert(address)
        default:
            return
        }
    }

    /// Closes the frame.
    public func frameDidEnd(message: Message, result: CallResult) {
        _ = contexts.popLast()
    }

    /// The result as geth writes it, after the transaction has ended (`state` then holds its
    /// post-state).
    /// - Returns: the pre-state map, or `{post, pre}` with `diffMode`.
    public func result() -> JSON {
        if options.diffMode { computeDiff() }
        if !options.includeEmpty { pre = pre.filter { !$0.value.empty } }
        if options.diffMode {
            return .object([("post", Self.json(post, fields: postFields)), ("pre", Self.json(pre))])
        }
        return Self.json(pre)
    }

    private func computeDiff() {
        guard let state else { return }
        for (address, before) in pre where !deleted.contains(address) {
            var after = Snapshot(balance: .zero, nonce: 0, code: nil, codeHash: nil, storage: [:], empty: false)
            var modified = false
            var balanceChanged = false
            var nonceChanged = false
            let balance = state.balance(of: address)
            if balance != before.balance { modified = true; balanceChanged = true; after.balance = balance }
            let nonce = state.nonce(of: address)
            if nonce != before.nonce { modified = true; nonceChanged = true; after.nonce = nonce }
            let codeHash = state.codeHash(of: address)
            if codeHash != (before.codeHash ?? .emptyKeccak) { modified = true; after.codeHash = codeHash }
            if !options.disableCode {
                let code = state.code(of: address)
                if code != (before.code ?? []) { modified = true; after.code = code }
            }
            var kept = before
            if !options.disableStorage, let slots = before.storage {
                for (key, value) in slots {
                    if value.isZero { kept.storage![key] = nil }
                    let now = state.storage(at: address, key: key)
                    if now == value {
                        kept.storage![key] = nil
                    } else {
                        modified = true
                        if !now.isZero { after.storage![key] = now }
                    }
                }
            }
            if modified {
                pre[address] = kept
                post[address] = after
                postFields[address] = (balanceChanged, nonceChanged)
            } else {
                pre[address] = nil
            }
        }
    }

    /// Which of a post entry's balance and nonce changed (geth leaves the others out: nil / zero).
    private var postFields: [Address: (balance: Bool, nonce: Bool)] = [:]

    private static func json(_ accounts: [Address: Snapshot], fields: [Address: (balance: Bool, nonce: Bool)]? = nil) -> JSON {
        .object(accounts.keys.sorted().map { address in
            let account = accounts[address]!
            var members: [(String, JSON)] = []
            if fields?[address]?.balance ?? true { members.append(("balance", Quantity.json(account.balance))) }
            if let code = account.code { members.append(("code", Quantity.data(code))) }
            if let codeHash = account.codeHash { members.append(("codeHash", Quantity.json(codeHash))) }
            if account.nonce != 0 { members.append(("nonce", .integer(Int(clamping: account.nonce)))) }
            if let storage = account.storage, !storage.isEmpty {
                members.append(("storage", .object(storage.keys.sorted().map { key in
                    (Hex.encode(key.bigEndianBytes), .string(Hex.encode(storage[key]!.bigEndianBytes)))
                })))
            }
            return (Quantity.json(address).stringValue ?? "", .object(members))
        })
    }
}
