import Primitives
import Signatures

// What a sender signs (the signing hash), explained once:
//
// | transaction            | signing hash                                                                   |
// |------------------------|--------------------------------------------------------------------------------|
// | legacy, pre-EIP-155    | keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data]))                     |
// | legacy, EIP-155        | keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0]))      |
// | EIP-2930 (type 1)      | keccak256(0x01 ‖ rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList])) |
// | EIP-1559 (type 2)      | keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList])) |
//
// The sender is the address whose key recovers from (signing hash, r, s, y-parity). EIP-2 requires
// s ≤ n/2; the chain id in the signature must be the chain's own (EIP-155), except that a legacy
// transaction signed without a chain id (v = 27/28) is valid on any chain, as on Ethereum.

extension Transaction {
    /// The hash the sender signs; see the table at the top of this file.
    public var signingHash: Hash32 {
        var writer = RLPWriter(reservingCapacity: data.count + 128)
        if type != .legacy { writer.append(encoded: [type.rawValue]) }
        writer.appendList { list in
            appendFields(to: &list, signature: .zero, forSigning: true)
        }
        return Keccak256.hash(writer.finish())
    }

    /// Signs the transaction with a private key (a low-s signature, as EIP-2 requires).
    /// - Parameter privateKey: the sender's key.
    /// - Returns: the transaction carrying the signature.
    public func signed(with privateKey: PrivateKey) -> Transaction {
        let signature = privateKey.sign(hash: signingHash)
        return withSignature(TransactionSignature(yParity: signature.recoveryId, r: UInt256(signature.r),
                                                  s: UInt256(signature.s)))
    }

    /// Checks the signature and recovers the sender's address.
    ///
    /// The checks, in order: a signature is present; the transaction's chain id, if it has one, is
    /// `chainId` (EIP-155; a pre-EIP-155 legacy transaction has none and is accepted); 1 ≤ r, s < n;
    /// s ≤ n/2 (EIP-2); a public key recovers.
    /// - Parameter chainId: the chain the transaction must be signed for.
    /// - Returns: the sender.
    /// - Throws: `TransactionError.unsigned`, `.chainIdMismatch`, `.signatureValueOutOfRange`, `.highS`
    ///   or `.recoveryFailed`.
    public func recoverSender(chainId: UInt64) throws(TransactionError) -> Address {
        guard let signature else { throw .unsigned }
        if let ownChainId = self.chainId, ownChainId != chainId {
            throw .chainIdMismatch(expected: chainId, actual: ownChainId)
        }
        let recoverable: RecoverableSignature
        do throws(SignatureError) {
            recoverable = try RecoverableSignature(r: signature.r.hash32, s: signature.s.hash32,
                                                   recoveryId: signature.yParity)
        } catch {
            if case .componentOutOfRange(let component, _) = error {
                throw .signatureValueOutOfRange(component: component,
                                                value: component == "r" ? signature.r : signature.s)
            }
            throw .signatureValueOutOfRange(component: "v", value: UInt256(UInt64(signature.yParity)))
        }
        guard recoverable.isLowS else { throw .highS(signature.s) }
        let hash = signingHash
        do throws(SignatureError) {
            return try recoverable.recoverAddress(from: hash)
        } catch {
            throw .recoveryFailed(signingHash: hash)
        }
    }
}
