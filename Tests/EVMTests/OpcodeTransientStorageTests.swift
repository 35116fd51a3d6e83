import EVM
import Primitives
import Testing

// EIP-1153: TLOAD and TSTORE cost 100 gas each (WARM_STORAGE_READ_COST) and TSTORE is forbidden in
// a static frame.

@Test func tstoreThenTloadReadsValueBack() {
    // PUSH1 1, PUSH1 0, TSTORE (3 + 3 + 100), PUSH1 0, TLOAD (3 + 100), returnTop (15) = 224.
    let host = MockHost()
    let result = run("6001 6000 5d 6000 5c" + returnTop, host: host)
    #expect(result.status == .success)
    #expect(result.outputWord == 1)
    #expect(result.gasUsed() == 224)
    #expect(host.transientStorage(at: contractAddress, key: 0) == 1)
}

@Test func tloadOfUnwrittenSlotIsZero() {
    // PUSH1 7, TLOAD (3 + 100), returnTop (15) = 118.
    let result = run("6007 5c" + returnTop)
    #expect(result.outputWord == .zero)
    #expect(result.gasUsed() == 118)
}

@Test func tstoreDoesNotTouchPersistentStorage() {
    let host = MockHost()
    _ = run("6001 6000 5d", host: host)
    #expect(host.storage(at: contractAddress, key: 0) == .zero)
}

@Test func tloadIsAllowedInStaticFrame() {
    let result = run("6000 5c", isStatic: true)
    #expect(result.status == .success)
    #expect(result.gasUsed() == 103)
}

@Test func tstoreInStaticFrameIsViolation() {
    let result = run("6001 6000 5d", isStatic: true)
    #expect(result.status == .staticModeViolation)
    #expect(result.gasLeft == 0)
}
