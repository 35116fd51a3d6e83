import Chain
import JSONRPC
import Primitives

/// Decoding geth's call overrides (`internal/ethapi/override`): the `stateOverride` object of
/// eth_call's and eth_estimateGas's third parameter and debug_traceCall's `stateOverrides`, and
/// the `blockOverrides` object of their fourth parameter (debug_traceCall: `blockOverrides`), with
/// the messages Go's JSON decoder gives. Unknown members are ignored and null members left unset,
/// as Go does; block override names match case-insensitively (the Go struct has no JSON tags).
public enum OverrideArgument {
    /// Decodes a `stateOverride` object: address → `{balance, nonce, code, state, stateDiff,
    /// movePrecompileToAddress}`.
    /// - Parameter value: the JSON value.
    /// - Returns: the account overrides.
    /// - Throws: `ArgumentError` with geth's message.
    public static func state(_ value: JSON) throws(ArgumentError) -> [Address: AccountOverride] {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type override.StateOverride")
        }
        var accounts: [Address: AccountOverride] = [:]
        for (key, member) in members {
            let address = Address(try mapKey(key, byteCount: 20, typeName: "Address"))
            accounts[address] = member.isNull ? AccountOverride() : try account(member)
        }
        return accounts
    }

    static func account(_ value: JSON) throws(ArgumentError) -> AccountOverride {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type override.OverrideAccount")
        }
        var account = AccountOverride()
        for (key, member) in members where !member.isNull {
            do throws(ArgumentError) {
                switch key {
                case "nonce": account.nonce = try HexArgument.uint64(member)
                case "code": account.code = try HexArgument.bytes(member)
                case "balance": account.balance = try HexArgument.quantity(member)
                case "state": account.state = try slots(member)
                case "stateDiff": account.stateDiff = try slots(member)
                case "movePrecompileToAddress": account.movePrecompileTo = try HexArgument.address(member)
                default: continue
                }
            } catch {
                throw structField(error, structName: "OverrideAccount", field: key)
            }
        }
        return account
    }

    static func slots(_ value: JSON) throws(ArgumentError) -> [UInt256: UInt256] {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type map[common.Hash]common.Hash")
        }
        var slots: [UInt256: UInt256] = [:]
        for (key, member) in members {
            let slot = UInt256(Hash32(try mapKey(key, byteCount: 32, typeName: "Hash")))
            slots[slot] = member.isNull ? .zero : UInt256(try HexArgument.hash(member))
        }
        return slots
    }

    /// Decodes a `blockOverrides` object.
    /// - Parameter value: the JSON value.
    /// - Returns: the block overrides.
    /// - Throws: `ArgumentError` with geth's message.
    public static func block(_ value: JSON) throws(ArgumentError) -> BlockOverrides {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type override.BlockOverrides")
        }
        var overrides = BlockOverrides()
        for (key, member) in members where !member.isNull {
            let field: String
            do throws(ArgumentError) {
                switch key.lowercased() {
                case "number":
                    field = "Number"
                    let number = try HexArgument.quantity(member)
                    guard number <= UInt256(UInt64.max) else { throw ArgumentError("block number \(number) is beyond 2^64 - 1") }
                    overrides.number = number.low64
                case "difficulty": field = "Difficulty"; overrides.difficulty = try HexArgument.quantity(member)
                case "time": field = "Time"; overrides.time = try HexArgument.uint64(member)
                case "gaslimit": field = "GasLimit"; overrides.gasLimit = try HexArgument.uint64(member)
                case "feerecipient": field = "FeeRecipient"; overrides.feeRecipient = try HexArgument.address(member)
                case "prevrandao": field = "PrevRandao"; overrides.prevRandao = try HexArgument.hash(member)
                case "basefeepergas": field = "BaseFeePerGas"; overrides.baseFeePerGas = try HexArgument.quantity(member)
                case "blobbasefee": field = "BlobBaseFee"; overrides.blobBaseFee = try HexArgument.quantity(member)
                case "beaconroot": field = "BeaconRoot"; overrides.beaconRoot = try HexArgument.hash(member)
                case "withdrawals":
                    field = "Withdrawals"
                    guard case .array = member else {
                        throw ArgumentError("json: cannot unmarshal \(JSONKind.of(member)) into Go value of type types.Withdrawals")
                    }
                    overrides.hasWithdrawals = true
                default: continue
                }
            } catch {
                throw structField(error, structName: "BlockOverrides", field: Self.goFieldName(key))
            }
        }
        return overrides
    }

    static func goFieldName(_ key: String) -> String {
        let names = ["Number", "Difficulty", "Time", "GasLimit", "FeeRecipient", "PrevRandao", "BaseFeePerGas",
                     "BlobBaseFee", "BeaconRoot", "Withdrawals"]
        return names.first { $0.lowercased() == key.lowercased() } ?? key
    }

    /// A map key decoded by `UnmarshalText` (hexutil's fixed-size rule: prefix required, even
    /// length, exactly the size), whose errors Go's decoder passes on unwrapped.
    static func mapKey(_ text: String, byteCount: Int, typeName: String) throws(ArgumentError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard HexArgument.hasPrefix(utf8) else { throw ArgumentError("hex string without 0x prefix") }
        let digits = utf8.count - 2
        guard digits % 2 == 0 else { throw ArgumentError("hex string of odd length") }
        guard digits == byteCount * 2 else {
            throw ArgumentError("hex string has length \(digits), want \(byteCount * 2) for \(typeName)")
        }
        var bytes: [UInt8] = []
        var index = 2
        while index < utf8.count {
            guard let high = HexArgument.nibble(utf8[index]), let low = HexArgument.nibble(utf8[index + 1]) else {
                throw ArgumentError("invalid hex string")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func structField(_ error: ArgumentError, structName: String, field: String) -> ArgumentError {
        let marker = " into Go value of type "
        guard error.message.hasPrefix("json: cannot unmarshal "), let range = error.message.range(of: marker) else {
            return error
        }
        let type = error.message[range.upperBound...]
        return ArgumentError(error.message[..<range.lowerBound] + " into Go struct field \(structName).\(field) of type \(type)")
    }
}
