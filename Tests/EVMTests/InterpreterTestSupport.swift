import EVM
import Primitives

/// The account whose code the test frames run.
let contractAddress = Address(high: 0, middle: 0, low: 0xc0de)
/// The frame's caller.
let callerAddress = Address(high: 0, middle: 0, low: 0xca11)

/// Bytes from hex text with optional spaces (test programs are written opcode by opcode).
func bytes(_ hex: String) -> [UInt8] {
    try! Hex.decode(hex.filter { $0 != " " })
}

/// A word from hex text (no prefix needed).
func word(_ hex: String) -> UInt256 {
    try! UInt256(hex: hex)
}

/// `PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`: returns the top of the stack as 32 bytes.
/// Gas with empty memory: 3 + 3 + 3 (one word of memory) + 3 + 3 + 0 = 15.
let returnTop = "6000 52 6020 6000 f3"
/// Gas of `returnTop` when memory is empty.
let returnTopGas: Int64 = 15

/// Runs `code` as a call from `callerAddress` to `contractAddress`.
func run(_ code: [UInt8], gas: Int64 = 100_000, host: MockHost = MockHost(), isStatic: Bool = false,
         input: [UInt8] = [], value: UInt256 = .zero, depth: Int = 0) -> CallResult {
    let message = Message(kind: .call, isStatic: isStatic, depth: depth, gas: gas, recipient: contractAddress,
                          sender: callerAddress, input: input, value: value, codeAddress: contractAddress)
    return Interpreter.execute(message, code: AnalyzedCode(code), host: host)
}

/// Runs hex `code`; see `run(_:gas:host:isStatic:input:value:depth:)`.
func run(_ code: String, gas: Int64 = 100_000, host: MockHost = MockHost(), isStatic: Bool = false,
         input: [UInt8] = [], value: UInt256 = .zero) -> CallResult {
    run(bytes(code), gas: gas, host: host, isStatic: isStatic, input: input, value: value)
}

extension CallResult {
    /// Gas spent out of `gas`.
    func gasUsed(from gas: Int64 = 100_000) -> Int64 { gas - gasLeft }
    /// The output read as one word (for `returnTop` programs).
    var outputWord: UInt256 { UInt256(bigEndianBytes: output) }
}
/// Gas of `returnTop` when memory already covers its first word (no expansion): 12.
let returnTopGasNoExpansion: Int64 = 12
