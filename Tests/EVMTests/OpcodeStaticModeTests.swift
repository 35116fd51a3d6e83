import EVM
import Primitives
import Testing

// EIP-214 (STATICCALL): state-changing opcodes in a static frame halt with a static-mode
// violation and lose all gas. EIP-1153 adds TSTORE to the list.

@Test(arguments: [
    ("SSTORE", "6001 6000 55"),
    ("LOG0", "6000 6000 a0"),
    ("LOG4", "6000 6000 6000 6000 6000 6000 a4"),
    ("CREATE", "6000 6000 6000 f0"),
    ("CREATE2", "6000 6000 6000 6000 f5"),
    ("CALL with value", "6000 6000 6000 6000 6001 6000 6000 f1"),
    ("SELFDESTRUCT", "6000 ff"),
    ("TSTORE", "6001 6000 5d"),
])
func stateChangeInStaticFrameIsViolation(name: String, code: String) {
    let result = run(code, isStatic: true)
    #expect(result.status == .staticModeViolation, "\(name)")
    #expect(result.gasLeft == 0)
}

@Test func callWithoutValueIsAllowedInStaticFrame() {
    let host = MockHost()
    let result = run("6000 6000 6000 6000 6000 6000 6000 f1", host: host, isStatic: true)
    #expect(result.status == .success)
    #expect(host.calls.count == 1)
    #expect(host.calls[0].isStatic)
}
