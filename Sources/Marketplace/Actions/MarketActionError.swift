import Foundation
import Primitives
import Signatures

/// Why a marketplace action failed. Every message names the value at fault and what was expected;
/// a contract revert reads as "createTask reverted: deadline must be in the future".
public enum MarketActionError: Error, Sendable, CustomStringConvertible {
    /// A bad input value (a file, a key, an amount).
    case input(MarketInputError)
    /// The contract refused, or the node failed, while calling `function`.
    case contract(MarketplaceError)
    /// A file could not be stored.
    case store(String)
    /// A URI could not be read.
    case fetch(URIFetchError)
    /// A key or file did not seal, open or decrypt, or a hash differs.
    case sealing(SealingError)
    /// The chain's state does not allow the action (an unknown task, a model that was not sold, …).
    case state(String)

    /// The contract's revert reason, if the action failed by a revert.
    public var revertReason: ABIRevertReason? {
        if case .contract(let error) = self { return error.revertReason }
        return nil
    }

    public var description: String {
        switch self {
        case .input(let error): return error.description
        case .contract(let error): return error.description
        case .store(let message): return message
        case .fetch(let error): return error.description
        case .sealing(let error): return error.description
        case .state(let message): return message
        }
    }
}

/// Keys as hex files: 64 hex digits (optionally "0x"), surrounding whitespace ignored — what
/// `goldengrain enclave key --out` and `node --signer-key` use.
public enum MarketKeys {
    /// Reads a private key file.
    /// - Parameters:
    ///   - path: the file.
    ///   - option: how the file is named in messages ("--key").
    /// - Returns: the key.
    /// - Throws: `MarketInputError` naming the file and what was expected.
    public static func load(path: String, option: String = "--key") throws(MarketInputError) -> PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MarketInputError("\(option) \(path): cannot read the file; expected a file holding a private key as 64 hex digits")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try parse(text, source: "\(option) \(path)")
    }

    /// Reads a private key from hex text.
    /// - Parameters:
    ///   - text: 64 hex digits, optionally "0x"-prefixed.
    ///   - source: how the text is named in messages.
    /// - Returns: the key.
    /// - Throws: `MarketInputError` naming the source and what was expected.
    public static func parse(_ text: String, source: String) throws(MarketInputError) -> PrivateKey {
        let expected = "expected a secp256k1 private key as 64 hex digits (optionally 0x-prefixed)"
        guard let bytes = try? Hex.decode(text) else {
            throw MarketInputError("\(source): not hex; \(expected)")
        }
        guard bytes.count == 32 else { throw MarketInputError("\(source): \(bytes.count) bytes; \(expected)") }
        do { return try PrivateKey(bytes: bytes) } catch {
            throw MarketInputError("\(source): \(error); \(expected) in [1, n − 1]")
        }
    }

    /// Reads an address.
    /// - Parameters:
    ///   - text: "0x" and 40 hex digits.
    ///   - option: how the value is named in messages.
    /// - Returns: the address.
    /// - Throws: `MarketInputError`.
    public static func address(_ text: String, option: String) throws(MarketInputError) -> Address {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else {
            throw MarketInputError("\(option) \"\(text)\": expected an address, 0x and 40 hex digits")
        }
        do { return try Address(hex: text) } catch {
            throw MarketInputError("\(option): \(error); expected an address, 0x and 40 hex digits")
        }
    }
}
