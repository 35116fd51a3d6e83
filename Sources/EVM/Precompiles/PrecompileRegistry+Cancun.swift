import Primitives

extension Address {
    /// The address whose 20 bytes hold `number` big-endian, as precompile addresses are
    /// written: `Address(precompileNumber: 1)` is 0x00…01 (ecrecover), 0x100 is P256VERIFY.
    /// - Parameter number: the address as an integer.
    public init(precompileNumber number: UInt32) {
        self.init(high: 0, middle: 0, low: number)
    }
}

extension PrecompileRegistry {
    /// The standard precompiles of Cancun without the KZG point evaluation at 0x0a (blobs are out
    /// of scope, DESIGN.md §2), plus P256VERIFY at 0x100 (EIP-7951):
    ///
    /// | address | precompile |
    /// |---|---|
    /// | 0x01 | ecrecover |
    /// | 0x02 | sha256 |
    /// | 0x03 | ripemd160 |
    /// | 0x04 | identity |
    /// | 0x05 | modexp (EIP-198, EIP-2565 pricing) |
    /// | 0x06 | bn256 add (EIP-196, EIP-1108) |
    /// | 0x07 | bn256 scalar multiplication (EIP-196, EIP-1108) |
    /// | 0x08 | bn256 pairing (EIP-197, EIP-1108) |
    /// | 0x09 | blake2f (EIP-152) |
    /// | 0x100 | P256VERIFY (EIP-7951) |
    ///
    /// - Returns: a registry holding these ten precompiles.
    public static func cancun() -> PrecompileRegistry {
        var registry = PrecompileRegistry()
        let precompiles: [(UInt32, any Precompile)] = [
            (0x01, ECRecoverPrecompile()),
            (0x02, SHA256Precompile()),
            (0x03, RIPEMD160Precompile()),
            (0x04, IdentityPrecompile()),
            (0x05, ModularExponentiationPrecompile()),
            (0x06, BN256AddPrecompile()),
            (0x07, BN256ScalarMultiplicationPrecompile()),
            (0x08, BN256PairingPrecompile()),
            (0x09, Blake2FPrecompile()),
            (0x100, P256VerifyPrecompile()),
        ]
        for (number, precompile) in precompiles {
            registry.register(precompile, at: Address(precompileNumber: number))
        }
        return registry
    }
}
