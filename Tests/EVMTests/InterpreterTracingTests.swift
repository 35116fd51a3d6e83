import EVM
import Primitives
import Testing

// EIP-3155 trace output for a tiny program, written out by hand from the EIP's field list:
// PUSH1 1, PUSH1 2, ADD, STOP with 10000 (0x2710) gas. Gas drops by 3 per opcode; depth starts at 1.

@Test func eip3155TraceOfTinyProgram() {
    var lines: [String] = []
    let tracer = EIP3155Tracer { lines.append($0) }
    let message = Message(kind: .call, gas: 10_000, recipient: contractAddress, sender: callerAddress,
                          codeAddress: contractAddress)
    let result = Interpreter.execute(message, code: AnalyzedCode(bytes("6001 6002 01 00")), host: MockHost(),
                                     tracer: tracer)
    #expect(result.status == .success)
    #expect(lines == [
        #"{"pc":0,"op":96,"gas":"0x2710","gasCost":"0x3","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}"#,
        #"{"pc":2,"op":96,"gas":"0x270d","gasCost":"0x3","memSize":0,"stack":["0x1"],"depth":1,"refund":0,"opName":"PUSH1"}"#,
        #"{"pc":4,"op":1,"gas":"0x270a","gasCost":"0x3","memSize":0,"stack":["0x1","0x2"],"depth":1,"refund":0,"opName":"ADD"}"#,
        #"{"pc":5,"op":0,"gas":"0x2707","gasCost":"0x0","memSize":0,"stack":["0x3"],"depth":1,"refund":0,"opName":"STOP"}"#,
        #"{"output":"","gasUsed":"0x9"}"#,
    ])
}

@Test func eip3155TraceShowsMemorySizeAndOutput() {
    // PUSH1 0xff, PUSH1 0, MSTORE8 (3+3+3+3), PUSH1 1, PUSH1 0, RETURN (3+3): 18 = 0x12 used.
    var lines: [String] = []
    let tracer = EIP3155Tracer { lines.append($0) }
    let message = Message(kind: .call, gas: 100, recipient: contractAddress, sender: callerAddress,
                          codeAddress: contractAddress)
    _ = Interpreter.execute(message, code: AnalyzedCode(bytes("60ff 6000 53 6001 6000 f3")), host: MockHost(),
                            tracer: tracer)
    #expect(lines.count == 7)
    #expect(lines[3] == #"{"pc":5,"op":96,"gas":"0x58","gasCost":"0x3","memSize":32,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}"#)
    #expect(lines[6] == #"{"output":"ff","gasUsed":"0x12"}"#)
}

@Test func eip3155SummaryNamesFailure() {
    var lines: [String] = []
    let tracer = EIP3155Tracer { lines.append($0) }
    let message = Message(kind: .call, gas: 50, recipient: contractAddress, sender: callerAddress,
                          codeAddress: contractAddress)
    _ = Interpreter.execute(message, code: AnalyzedCode([0xfe]), host: MockHost(), tracer: tracer)
    #expect(lines.last == #"{"output":"","gasUsed":"0x32","error":"invalidInstruction"}"#)
}
