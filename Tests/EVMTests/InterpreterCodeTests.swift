import EVM
import Primitives
import Testing

// AnalyzedCode's jump-destination analysis (Yellow Paper §9.4.3) and CodeCache's contract.

@Test func jumpdestAnalysisSkipsPushData() {
    // 0: PUSH2 5b5b, 3: JUMPDEST, 4: PUSH32 … (32 bytes, all 5b), 37: JUMPDEST.
    let code = AnalyzedCode(bytes("61 5b5b 5b 7f" + String(repeating: "5b", count: 32) + "5b"))
    #expect(!code.isValidJumpDestination(1))
    #expect(!code.isValidJumpDestination(2))
    #expect(code.isValidJumpDestination(3))
    #expect(!code.isValidJumpDestination(20))
    #expect(code.isValidJumpDestination(37))
    #expect(!code.isValidJumpDestination(38))
    #expect(!code.isValidJumpDestination(-1))
}

@Test func analyzedCodeKeepsBytes() {
    let code = AnalyzedCode([0x60, 0x01])
    #expect(code.size == 2)
    #expect(code.bytes == [0x60, 0x01])
}

@Test func codeCacheAnalysesOncePerHash() {
    let cache = CodeCache(capacity: 8)
    let hash = Keccak256.hash([0x00])
    var analyses = 0
    let first = cache.analyzedCode(hash: hash) { analyses += 1; return [0x00] }
    let second = cache.analyzedCode(hash: hash) { analyses += 1; return [0x00] }
    #expect(first === second)
    #expect(analyses == 1)
}

@Test func codeCacheStaysBounded() {
    let cache = CodeCache(capacity: 4)
    for index in 0..<100 {
        _ = cache.analyzedCode(hash: Hash32(words: 0, 0, 0, UInt64(index))) { [UInt8(index)] }
    }
    #expect(cache.count <= 4)
}

@Test func codeCacheKeepsRecentlyUsedEntry() {
    // An entry looked up since the last rotation survives the next one.
    let cache = CodeCache(capacity: 4)
    let hot = Hash32(words: 1, 1, 1, 1)
    let first = cache.analyzedCode(hash: hot) { [0x00] }
    for index in 0..<10 {
        _ = cache.analyzedCode(hash: Hash32(words: 0, 0, 0, UInt64(index))) { [0x00] }
        _ = cache.analyzedCode(hash: hot) { [0x00] }
    }
    #expect(cache.analyzedCode(hash: hot) { [0x00] } === first)
}
