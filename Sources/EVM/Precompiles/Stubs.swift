public struct ECRecoverPrecompile: Precompile {
    public init() {}
    public func requiredGas(input: [UInt8]) -> UInt64 { 3000 }
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput { .failure("todo") }
}
public struct SHA256Precompile: Precompile {
    public init() {}
    public func requiredGas(input: [UInt8]) -> UInt64 { 0 }
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput { .failure("todo") }
}
public struct RIPEMD160Precompile: Precompile {
    public init() {}
    public func requiredGas(input: [UInt8]) -> UInt64 { 0 }
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput { .failure("todo") }
}
public struct P256VerifyPrecompile: Precompile {
    public init() {}
    public func requiredGas(input: [UInt8]) -> UInt64 { 6900 }
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput { .failure("todo") }
}
