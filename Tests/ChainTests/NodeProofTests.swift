import Chain
import ChainTypes
import Primitives
import State
import Storage
import Testing
import Trie

/// EIP-1186 proofs (`Node.proof(of:storageKeys:at:)`, behind eth_getProof), checked against the
/// sealed block's `stateRoot` with the trie's own verifier and against constants known from
/// elsewhere (the empty trie's root, keccak256 of no code, the dev genesis allocation).
@Suite struct NodeProofTests {
    let keys = NodeTestSupport.keys
    static let recipient = ChainTestSupport.address("0x000000000000000000000000000000000000dEaD")
    static let contract = ChainTestSupport.address("0x00000000000000000000000000000000000000c0")
    /// keccak256(RLP("")): the root of an empty trie (Yellow Paper appendix D).
    static let emptyTrieRoot = try! Hash32(hex: "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
    /// keccak256 of the empty string.
    static let emptyCodeHash = try! Hash32(hex: "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")

    /// RLP([nonce, balance, storageRoot, codeHash]) written out by hand: both numbers short enough
    /// for the test values used here.
    static func accountRLP(nonce: UInt64, balance: UInt256, storageRoot: Hash32, codeHash: Hash32) -> [UInt8] {
        func scalar(_ bytes: [UInt8]) -> [UInt8] {
            let trimmed = Array(bytes.drop { $0 == 0 })
            if trimmed.count == 1 && trimmed[0] < 0x80 { return trimmed }
            return [0x80 + UInt8(trimmed.count)] + trimmed
        }
        let nonceBytes = (0..<8).map { UInt8(truncatingIfNeeded: nonce >> (56 - 8 * UInt64($0))) }
        let payload = scalar(nonceBytes) + scalar(balance.bigEndianBytes) + [0xa0] + storageRoot.bytes + [0xa0] + codeHash.bytes
        precondition(payload.count < 256)
        return payload.count < 56 ? [0xc0 + UInt8(payload.count)] + payload : [0xf8, UInt8(payload.count)] + payload
    }

    @Test func genesisAccountProofVerifiesAgainstGenesisStateRoot() throws {
        let node = try NodeTestSupport.node()
        let genesis = try #require(try node.block(.earliest)).header
        let proof = try node.proof(of: keys[1].address, storageKeys: [], at: .earliest)
        #expect(proof.stateRoot == genesis.stateRoot)
        #expect(Keccak256.hash(try #require(proof.accountProof.first)) == genesis.stateRoot)
        let leaf = try SecureTrie.verifyProof(root: genesis.stateRoot, key: keys[1].address.bytes, proof: proof.accountProof)
        // Genesis/dev.json funds each dev account with 10,000 ether and nothing else.
        let tenThousandEther = UInt256(10_000) &* NodeTestSupport.ether
        #expect(leaf == Self.accountRLP(nonce: 0, balance: tenThousandEther, storageRoot: Self.emptyTrieRoot,
                                        codeHash: Self.emptyCodeHash))
        #expect(proof.nonce == 0 && proof.balance == tenThousandEther)
        #expect(proof.codeHash == Self.emptyCodeHash && proof.storageHash == Self.emptyTrieRoot)
        #expect(proof.storageProofs.isEmpty)
    }

    @Test func senderProofAfterATransferMatchesBalanceAndNonce() throws {
        let node = try NodeTestSupport.node()
        try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1000))
        let head = try #require(try node.block(.latest)).header
        #expect(head.number == 1)
        let proof = try node.proof(of: keys[0].address, storageKeys: [], at: .latest)
        let balance = try node.balance(of: keys[0].address)
        let leaf = try SecureTrie.verifyProof(root: head.stateRoot, key: keys[0].address.bytes, proof: proof.accountProof)
        #expect(leaf == Self.accountRLP(nonce: 1, balance: balance, storageRoot: Self.emptyTrieRoot, codeHash: Self.emptyCodeHash))
        #expect(proof.nonce == 1 && proof.balance == balance)
        // The recipient's leaf holds exactly the 1000 wei sent.
        let recipientProof = try node.proof(of: Self.recipient, storageKeys: [], at: .latest)
        #expect(try SecureTrie.verifyProof(root: head.stateRoot, key: Self.recipient.bytes, proof: recipientProof.accountProof)
                == Self.accountRLP(nonce: 0, balance: 1000, storageRoot: Self.emptyTrieRoot, codeHash: Self.emptyCodeHash))
        // The same account at block 0 proves against the genesis root, not the head's.
        let genesis = try #require(try node.block(.earliest)).header
        let before = try node.proof(of: keys[0].address, storageKeys: [], at: .number(0))
        #expect(before.stateRoot == genesis.stateRoot && before.nonce == 0)
        #expect(throws: TrieError.self) {
            _ = try SecureTrie.verifyProof(root: head.stateRoot, key: keys[0].address.bytes, proof: before.accountProof)
        }
    }

    @Test func storageProofsVerifyAgainstTheStorageRoot() throws {
        let node = try NodeTestSupport.node()
        try node.setCode([0x00], of: Self.contract)
        try node.setStorage(UInt256(0x2a), of: Self.contract, key: UInt256(1))
        try node.setStorage(UInt256(0x0102), of: Self.contract, key: UInt256(0xff))
        try node.mine(blocks: 1)
        let head = try #require(try node.block(.latest)).header
        let proof = try node.proof(of: Self.contract, storageKeys: [UInt256(1), UInt256(0xff), UInt256(2)], at: .latest)
        #expect(proof.stateRoot == head.stateRoot)
        // STOP's code hash: keccak256(0x00).
        let stopHash = try! Hash32(hex: "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a")
        #expect(proof.codeHash == stopHash)
        let leaf = try SecureTrie.verifyProof(root: head.stateRoot, key: Self.contract.bytes, proof: proof.accountProof)
        #expect(leaf == Self.accountRLP(nonce: 0, balance: .zero, storageRoot: proof.storageHash, codeHash: stopHash))
        #expect(proof.storageHash != Self.emptyTrieRoot)
        #expect(proof.storageProofs.map(\.key) == [UInt256(1), UInt256(0xff), UInt256(2)])
        #expect(proof.storageProofs.map(\.value) == [UInt256(0x2a), UInt256(0x0102), .zero])
        // Values are stored as RLP strings: 0x2a is its own encoding, 0x0102 is 0x82 0x01 0x02.
        let expected: [[UInt8]?] = [[0x2a], [0x82, 0x01, 0x02], nil]
        for (slot, value) in zip(proof.storageProofs, expected) {
            #expect(try SecureTrie.verifyProof(root: proof.storageHash, key: slot.key.bigEndianBytes, proof: slot.proof) == value)
        }
    }

    @Test func absentAccountProvesAbsenceWithZeroHashes() throws {
        let node = try NodeTestSupport.node()
        let nobody = ChainTestSupport.address("0x00000000000000000000000000000000000B0D1E")
        let proof = try node.proof(of: nobody, storageKeys: [UInt256(0)], at: .latest)
        let root = try #require(try node.block(.latest)).header.stateRoot
        #expect(!proof.accountProof.isEmpty)
        #expect(try SecureTrie.verifyProof(root: root, key: nobody.bytes, proof: proof.accountProof) == nil)
        #expect(proof.nonce == 0 && proof.balance == .zero)
        #expect(proof.codeHash == Hash32.zero && proof.storageHash == Hash32.zero)
        #expect(proof.storageProofs.map(\.key) == [.zero] && proof.storageProofs.map(\.value) == [.zero])
        #expect(proof.storageProofs.map(\.proof) == [[]])
    }

    @Test func tamperedProofIsRejected() throws {
        let node = try NodeTestSupport.node()
        let root = try #require(try node.block(.latest)).header.stateRoot
        var proof = try node.proof(of: keys[2].address, storageKeys: [], at: .latest).accountProof
        let last = proof.count - 1
        proof[last][proof[last].count - 1] ^= 0x01
        #expect(throws: TrieError.self) {
            _ = try SecureTrie.verifyProof(root: root, key: keys[2].address.bytes, proof: proof)
        }
    }

    @Test func unknownBlockIsHeaderNotFound() throws {
        let node = try NodeTestSupport.node()
        #expect(NodeTestSupport.message { () throws(NodeError) in
            _ = try node.proof(of: keys[0].address, storageKeys: [], at: .number(9))
        } == "header not found: block 0x9")
    }
}
