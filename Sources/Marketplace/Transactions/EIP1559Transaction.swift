import Primitives
import Signatures

/// A dynamic-fee transaction (EIP-1559, typed-transaction envelope of EIP-2718), built and signed
/// on the client, as eth-account's `sign_transaction` does.
///
/// Encoding: `0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value,
/// data, accessList, yParity, r, s])`. The signing hash is keccak256 of `0x02 ‖ rlp([the first nine
/// fields])`; `to` is the empty string for a contract creation; integers are minimal big-endian byte
/// strings (zero is empty); accessList is `[[address, [storageKey, …]], …]`. The transaction hash is
/// keccak256 of the whole encoding.
///
/// This module does not import Chain (it is a client over JSON-RPC), so this is a small encoder of its
/// own, checked against eth-account in the tests.
public struct EIP1559Transaction: Hashable, Sendable {
    /// One access-list entry (EIP-2930).
    public struct AccessListEntry: Hashable, Sendable {
        /// The account.
        public var address: Address
        /// Its storage keys.
        public var storageKeys: [Hash32]

        /// Creates an entry.
        /// - Parameters:
        ///   - address: the account.
        ///   - storageKeys: the storage keys.
        public init(address: Address, storageKeys: [Hash32]) {
            self.address = address
            self.storageKeys = storageKeys
        }
    }

    /// EIP-155 chain id.
    public var chainId: UInt64
    /// The sender's nonce.
    public var nonce: UInt64
    /// The tip per gas to the block's signer.
    public var maxPriorityFeePerGas: UInt256
    /// The most per gas the sender pays (base fee + tip).
    public var maxFeePerGas: UInt256
    /// The gas limit.
    public var gasLimit: UInt64
    /// The recipient, or nil to create a contract.
    public var to: Address?
    /// Wei sent.
    public var value: UInt256
    /// Call data or init code.
    public var data: [UInt8]
    /// Pre-warmed accounts and slots.
    public var accessList: [AccessListEntry]

    /// Creates a transaction.
    /// - Parameters:
    ///   - chainId: the chain id.
    ///   - nonce: the nonce.
    ///   - maxPriorityFeePerGas: the tip cap.
    ///   - maxFeePerGas: the fee cap.
    ///   - gasLimit: the gas limit.
    ///   - to: the recipient, nil to create a contract.
    ///   - value: wei sent.
    ///   - data: call data or init code.
    ///   - accessList: the access list.
    public init(chainId: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256, gasLimit: UInt64,
                to: Address?, value: UInt256 = .zero, data: [UInt8] = [], accessList: [AccessListEntry] = []) {
        self.chainId = chainId
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    /// The EIP-2718 type byte.
    public static let typeByte: UInt8 = 0x02

    /// keccak256(0x02 ‖ rlp(nine unsigned fields)): what the sender signs.
    public var signingHash: Hash32 {
        var writer = RLPWriter()
        writer.appendList { (list: inout RLPWriter) in appendUnsignedFields(to: &list) }
        return Keccak256.hash([Self.typeByte] + writer.finish())
    }

    /// Signs the transaction.
    /// - Parameter key: the sender's key.
    /// - Returns: the raw transaction, its hash and the sender.
    public func signed(with key: PrivateKey) -> SignedTransaction {
        let signature = key.sign(hash: signingHash)
        var writer = RLPWriter()
        writer.appendList { (list: inout RLPWriter) in
            appendUnsignedFields(to: &list)
            list.append(uint: UInt64(signature.recoveryId))
            list.append(bytes: UInt256(signature.r).minimalBigEndianBytes)
            list.append(bytes: UInt256(signature.s).minimalBigEndianBytes)
        }
        let raw = [Self.typeByte] + writer.finish()
        return SignedTransaction(raw: raw, hash: Keccak256.hash(raw), sender: key.address)
    }

    func appendUnsignedFields(to list: inout RLPWriter) {
        list.append(uint: chainId)
        list.append(uint: nonce)
        list.append(bytes: maxPriorityFeePerGas.minimalBigEndianBytes)
        list.append(bytes: maxFeePerGas.minimalBigEndianBytes)
        list.append(uint: gasLimit)
        list.append(bytes: to?.bytes ?? [])
        list.append(bytes: value.minimalBigEndianBytes)
        list.append(bytes: data)
        list.appendList { (entries: inout RLPWriter) in
            for entry in accessList {
                entries.appendList { (pair: inout RLPWriter) in
                    pair.append(bytes: entry.address.bytes)
                    pair.appendList { (keys: inout RLPWriter) in
                        for key in entry.storageKeys { keys.append(bytes: key.bytes) }
                    }
                }
            }
        }
    }
}

/// A signed transaction ready for `eth_sendRawTransaction`.
public struct SignedTransaction: Hashable, Sendable {
    /// The EIP-2718 encoding.
    public let raw: [UInt8]
    /// keccak256(raw), the transaction hash.
    public let hash: Hash32
    /// The signer's address.
    public let sender: Address
}
