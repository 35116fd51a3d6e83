import Primitives

/// Where CREATE and CREATE2 put a new contract.
public enum ContractAddress {
    /// CREATE's address (Yellow Paper §7, eq. 86): the low 20 bytes of keccak256(RLP([sender, nonce])).
    /// - Parameters:
    ///   - sender: the creating account.
    ///   - nonce: the sender's nonce before the creation increments it.
    /// - Returns: the new contract's address.
    public static func create(sender: Address, nonce: UInt64) -> Address {
        var writer = RLPWriter(reservingCapacity: 32)
        let list = writer.beginList()
        writer.append(bytes: sender.bytes)
        writer.append(uint: nonce)
        writer.endList(list)
        return Address(lowBytesOf: Keccak256.hash(writer.finish()))
    }

    /// CREATE2's address (EIP-1014): the low 20 bytes of
    /// keccak256(0xff ‖ sender ‖ salt ‖ keccak256(initCode)).
    /// - Parameters:
    ///   - sender: the creating account.
    ///   - salt: the 32-byte salt from the stack.
    ///   - initCodeHash: keccak256 of the init code.
    /// - Returns: the new contract's address.
    public static func create2(sender: Address, salt: UInt256, initCodeHash: Hash32) -> Address {
        var preimage = [UInt8]()
        preimage.reserveCapacity(85)
        preimage.append(0xff)
        preimage.append(contentsOf: sender.bytes)
        preimage.append(contentsOf: salt.bigEndianBytes)
        preimage.append(contentsOf: initCodeHash.bytes)
        return Address(lowBytesOf: Keccak256.hash(preimage))
    }
}
