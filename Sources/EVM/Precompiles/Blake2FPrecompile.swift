/// The BLAKE2b compression function precompile at 0x09 (EIP-152, Istanbul).
///
/// Input: exactly 213 bytes, rounds (4 bytes, big-endian) ‖ h (64 bytes: eight little-endian
/// words) ‖ m (128 bytes: sixteen words) ‖ t (16 bytes: two words) ‖ f (1 byte, 0 or 1). Output:
/// the new h, 64 bytes. Gas: one per round. Any other length, or f other than 0 or 1, fails.
public struct Blake2FPrecompile: Precompile {
    /// The only accepted input length.
    public static let inputLength = 213

    /// Creates the precompile.
    public init() {}

    /// The round count, read from the first four bytes; 0 for an input of the wrong length, which
    /// fails in `run` anyway (as go-ethereum prices it).
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        guard input.count == Self.inputLength else { return 0 }
        return UInt64(Self.rounds(input))
    }

    /// Runs F.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: the 64-byte state, or a failure for a malformed input.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        guard input.count == Self.inputLength else {
            return .failure("blake2f: input is \(input.count) bytes, expected exactly \(Self.inputLength)")
        }
        let finalFlag = input[212]
        guard finalFlag <= 1 else {
            return .failure("blake2f: final block indicator is \(finalFlag), expected 0 or 1")
        }
        func word(at offset: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(input[offset + $1]) << (8 * UInt64($1)) }
        }
        var state = (0..<8).map { word(at: 4 + 8 * $0) }
        let message = (0..<16).map { word(at: 68 + 8 * $0) }
        Blake2bCompression.compress(state: &state, message: message, offset: (word(at: 196), word(at: 204)),
                                    isFinalBlock: finalFlag == 1, rounds: Self.rounds(input))
        var output = [UInt8]()
        output.reserveCapacity(64)
        for value in state {
            for byteIndex in 0..<8 { output.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(byteIndex)))) }
        }
        return .success(output)
    }

    /// The big-endian round count in bytes 0–3.
    private static func rounds(_ input: [UInt8]) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(input[$1]) }
    }
}
