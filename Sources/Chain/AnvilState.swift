import Primitives
import State

/// anvil's state file and dump format (foundry `crates/anvil/src/eth/backend/db.rs`,
/// `SerializableState`): the JSON that `anvil --dump-state` writes and that anvil_dumpState
/// answers gzip-compressed, as hex.
///
/// ```
/// {"block": {number, beneficiary, timestamp, gas_limit, basefee, difficulty, prevrandao,
///            blob_excess_gas_and_price},          // revm's BlockEnv of the head
///  "accounts": {"0x<address>": {"nonce": 1, "balance": "0x…", "code": "0x…",
///                               "storage": {"0x<32-byte slot>": "0x<32-byte value>"}}},
///  "best_block_number": 5, "blocks": [], "transactions": [], "historical_states": null}
/// ```
///
/// Writing: addresses in lower case and ascending, the balance as a quantity, storage keys and
/// values as 32-byte words (alloy's `B256`), `blocks` and `transactions` empty (blocks here are
/// Clique blocks another node could not import). Reading takes what anvil's serde takes: only
/// `accounts` is required; each account needs `nonce` (a JSON integer), `balance` (a hex or
/// decimal string, or a JSON integer), `code` (hex) and `storage` (an object of hex or decimal
/// keys and values); other members are ignored, and `block` / `best_block_number`, when present,
/// must be an object / a number or string.
public enum AnvilState {
    /// The JSON of a state dump.
    /// - Parameter dump: the state and the head it belongs to.
    /// - Returns: the `SerializableState` object.
    public static func json(of dump: StateDump) -> JSON {
        let accounts: [(String, JSON)] = dump.accounts.keys.sorted().map { address in
            let account = dump.accounts[address]!
            let storage: [(String, JSON)] = account.storage.keys.sorted().compactMap { key in
                guard let value = account.storage[key], !value.isZero else { return nil }
                return (Hex.encode(key.bigEndianBytes), .string(Hex.encode(value.bigEndianBytes)))
            }
            return (Hex.encode(address.bytes), .object([
                ("nonce", .integer(account.nonce)),
                ("balance", .string(account.balance.hexQuantity)),
                ("code", .string(Hex.encode(account.code))),
                ("storage", .object(storage)),
            ]))
        }
        let block: JSON = .object([
            ("number", .string(UInt256(dump.blockNumber).hexQuantity)),
            ("beneficiary", .string(Hex.encode(dump.beneficiary.bytes))),
            ("timestamp", .string(UInt256(dump.timestamp).hexQuantity)),
            ("gas_limit", .integer(dump.gasLimit)),
            ("basefee", .string(dump.baseFee.description).numberLiteral),
            ("difficulty", .string(dump.difficulty.hexQuantity)),
            ("prevrandao", .string(Hex.encode(dump.prevrandao.bytes))),
            ("blob_excess_gas_and_price", .object([("excess_blob_gas", .integer(0)), ("blob_gasprice", .integer(1))])),
        ])
        return .object([
            ("block", block),
            ("accounts", .object(accounts)),
            ("best_block_number", .integer(dump.blockNumber)),
            ("blocks", .array([])),
            ("transactions", .array([])),
            ("historical_states", .null),
        ])
    }

    /// Reads the accounts of a state file or dump: gzip-compressed JSON or plain JSON, as anvil's
    /// `load_state_bytes` takes either.
    /// - Parameter bytes: the bytes.
    /// - Returns: the accounts by address.
    /// - Throws: `AnvilStateError` naming what is wrong and where.
    public static func accounts(from bytes: [UInt8]) throws(AnvilStateError) -> [Address: DumpedAccount] {
        var text = bytes
        if Gzip.isGzip(bytes) {
            do { text = try Gzip.decompress(bytes) } catch { throw AnvilStateError("not a gzip stream: \(error)") }
        }
        let json: JSON
        do { json = try JSON.parse(text) } catch {
            let what = Gzip.isGzip(bytes) ? "the gzip data is not JSON" : "neither gzip (no 1f 8b header) nor JSON"
            throw AnvilStateError("\(what): \(error)")
        }
        return try accounts(from: json)
    }

    /// Reads the accounts of a parsed `SerializableState`.
    /// - Parameter json: the state object.
    /// - Returns: the accounts by address.
    /// - Throws: `AnvilStateError` naming the member and value that do not fit.
    public static func accounts(from json: JSON) throws(AnvilStateError) -> [Address: DumpedAccount] {
        guard case .object(let members) = json else {
            throw AnvilStateError("the state is \(brief(json)), expected an object with an \"accounts\" member")
        }
        if let block = json["block"], !block.isNull, !block.isObject {
            throw AnvilStateError("block: \(brief(block)), expected an object (revm's BlockEnv) or null")
        }
        if let best = json["best_block_number"] {
            switch best {
            case .null, .number, .string: break
            default: throw AnvilStateError("best_block_number: \(brief(best)), expected a number or a string")
            }
        }
        guard let accountsJSON = members.first(where: { $0.0 == "accounts" })?.1 else {
            throw AnvilStateError("missing field \"accounts\"")
        }
        guard case .object(let entries) = accountsJSON else {
            throw AnvilStateError("accounts: \(brief(accountsJSON)), expected an object of address → account")
        }
        var accounts: [Address: DumpedAccount] = [:]
        for (key, value) in entries {
            let address: Address
            do { address = try Address(hex: key.lowercased()) } catch {
                throw AnvilStateError("accounts: the key \"\(key.prefix(80))\" is not a 20-byte hex address")
            }
            accounts[address] = try account(value, path: "accounts.\(key)")
        }
        return accounts
    }

    private static func account(_ json: JSON, path: String) throws(AnvilStateError) -> DumpedAccount {
        guard json.isObject else { throw AnvilStateError("\(path): \(brief(json)), expected an object {nonce, balance, code, storage}") }
        func member(_ name: String) throws(AnvilStateError) -> JSON {
            guard let value = json[name] else { throw AnvilStateError("\(path): missing field \"\(name)\"") }
            return value
        }
        let nonceJSON = try member("nonce")
        guard case .number(let nonceText) = nonceJSON, let nonce = UInt64(nonceText) else {
            throw AnvilStateError("\(path).nonce: \(brief(nonceJSON)), expected a JSON integer from 0 to 2^64 - 1")
        }
        let balance = try word(try member("balance"), path: "\(path).balance")
        let codeJSON = try member("code")
        guard case .string(let codeText) = codeJSON, let code = try? Hex.decode(codeText) else {
            throw AnvilStateError("\(path).code: \(brief(codeJSON)), expected a hex string of whole bytes")
        }
        let storageJSON = try member("storage")
        guard case .object(let slots) = storageJSON else {
            throw AnvilStateError("\(path).storage: \(brief(storageJSON)), expected an object of slot → value")
        }
        var storage: [UInt256: UInt256] = [:]
        for (slotText, valueJSON) in slots {
            let slot = try word(.string(slotText), path: "\(path).storage key")
            storage[slot] = try word(valueJSON, path: "\(path).storage.\(slotText)")
        }
        return DumpedAccount(nonce: nonce, balance: balance, code: code, storage: storage)
    }

    /// A U256 as ruint's serde reads one: a "0x" hex string, a decimal string or a JSON integer.
    private static func word(_ json: JSON, path: String) throws(AnvilStateError) -> UInt256 {
        let expected = "expected a hex (0x…) or decimal string or an integer below 2^256"
        switch json {
        case .string(let text) where text.hasPrefix("0x") || text.hasPrefix("0X"):
            guard text.count > 2, let value = try? UInt256(hex: text) else { throw AnvilStateError("\(path): \(brief(json)), \(expected)") }
            return value
        case .string(let text), .number(let text):
            guard let value = UInt256(decimal: text) else { throw AnvilStateError("\(path): \(brief(json)), \(expected)") }
            return value
        default:
            throw AnvilStateError("\(path): \(brief(json)), \(expected)")
        }
    }

    /// A JSON value for an error message, at most 80 characters.
    /// - Parameter json: the value.
    /// - Returns: its compact JSON text, cut at 80 characters.
    public static func brief(_ json: JSON) -> String {
        let text = json.serialized
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}

/// Why a state file or anvil_loadState's argument could not be read.
public struct AnvilStateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the member and value.
    public var reason: String
    /// Creates the error.
    /// - Parameter reason: what is wrong.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "invalid state dump: \(reason)" }
}

/// A state with the head it belongs to, as `Node.dumpState()` takes it.
public struct StateDump: Sendable {
    /// Every account of the state the next block builds on.
    public var accounts: [Address: DumpedAccount]
    /// The head block's number.
    public var blockNumber: UInt64
    /// The head's timestamp.
    public var timestamp: UInt64
    /// The head's gas limit.
    public var gasLimit: UInt64
    /// The head's base fee.
    public var baseFee: UInt256
    /// The head's beneficiary (coinbase).
    public var beneficiary: Address
    /// The head's difficulty.
    public var difficulty: UInt256
    /// The head's mix hash (prevrandao).
    public var prevrandao: Hash32
}

extension JSON {
    fileprivate var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// A decimal string turned into a JSON number.
    fileprivate var numberLiteral: JSON {
        if case .string(let text) = self { return .number(text) }
        return self
    }
}
