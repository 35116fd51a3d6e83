import Chain
import ChainTypes
import EVM
import Execution
import Primitives
import Testing

/// `Node.createAccessList` (eth_createAccessList) on hand-assembled contracts, with the lists and
/// gas worked out by hand from the Berlin/Cancun gas schedule (EIP-2929/2930).
@Suite struct NodeAccessListTests {
    static let reader = ChainTestSupport.address("0x00000000000000000000000000000000000000aa")
    static let store = ChainTestSupport.address("0x00000000000000000000000000000000000000bb")
    static let probe = ChainTestSupport.address("0x00000000000000000000000000000000000000cc")
    static let probed = ChainTestSupport.address("0x00000000000000000000000000000000000000dd")
    let keys = NodeTestSupport.keys

    /// SLOAD(1), return it as one word: PUSH1 1 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
    static let storeCode: [UInt8] = [0x60, 0x01, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]
    /// SLOAD(0) POP, then STATICCALL `store` and return its word:
    /// PUSH1 0 SLOAD POP; PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 store GAS STATICCALL POP;
    /// PUSH1 32 PUSH1 0 RETURN.
    static let readerCode: [UInt8] = [0x60, 0x00, 0x54, 0x50, 0x60, 0x20, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73]
        + store.bytes + [0x5a, 0xfa, 0x50, 0x60, 0x20, 0x60, 0x00, 0xf3]
    /// STATICCALL ecrecover (0x01), BALANCE(CALLER), BALANCE(probed), STOP.
    static let probeCode: [UInt8] = [0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x01, 0x5a, 0xfa, 0x50,
                                     0x33, 0x31, 0x50, 0x73] + probed.bytes + [0x31, 0x50, 0x00]

    func node() throws -> Node {
        let node = try NodeTestSupport.node()
        try node.setCode(Self.storeCode, of: Self.store)
        try node.setStorage(UInt256(0x2a), of: Self.store, key: UInt256(1))
        try node.setCode(Self.readerCode, of: Self.reader)
        try node.setCode(Self.probeCode, of: Self.probe)
        return node
    }

    @Test func readerListsItsOwnSlotAndTheOtherContractsSlot() throws {
        let node = try node()
        let outcome = try node.createAccessList(CallRequest(from: keys[0].address, to: Self.reader))
        // geth lists the recipient too once its slot is read: SLOAD adds the executing account.
        #expect(outcome.accessList == [AccessListEntry(address: Self.reader, storageKeys: [.zero]),
                                       AccessListEntry(address: Self.store, storageKeys: [UInt256(1)])])
        #expect(outcome.status == .success)
        #expect(outcome.output == UInt256(0x2a).bigEndianBytes)
        // 21000 + 2 × 2400 (accounts) + 2 × 1900 (slots), then with everything warm:
        // reader 105 (PUSH1 SLOAD POP) + 12 (4 × PUSH1) + 5 (PUSH20 GAS) + 103 (STATICCALL warm + 1 word)
        // + store 118 (PUSH1, SLOAD 100, PUSH1, MSTORE 6, PUSH1, PUSH1, RETURN) + 8 (POP PUSH1 PUSH1 RETURN).
        #expect(outcome.gasUsed == 21000 + 4800 + 3800 + 351)
    }

    @Test func gasUsedMatchesAMinedTransactionCarryingTheList() throws {
        let node = try node()
        let outcome = try node.createAccessList(CallRequest(from: keys[0].address, to: Self.reader))
        let transaction = Transaction.accessList(chainId: 31337, nonce: 0, gasPrice: NodeTestSupport.gwei &* 2,
                                                 gasLimit: 100_000, to: Self.reader, value: .zero, data: [],
                                                 accessList: outcome.accessList).signed(with: keys[0])
        let hash = try node.submit(transaction)
        let receipt = try #require(try node.receipt(hash: hash))
        #expect(receipt.gasUsed == outcome.gasUsed)
        // Without the list the same call is cheaper here (cold reads cost less than the list's
        // 2400-per-account for an account that is warm anyway), which is geth's behaviour too.
        #expect(try node.estimateGas(CallRequest(from: keys[0].address, to: Self.reader)) >= 27851)
    }

    @Test func precompilesSenderAndRecipientAreLeftOut() throws {
        let node = try node()
        let outcome = try node.createAccessList(CallRequest(from: keys[0].address, to: Self.probe))
        #expect(outcome.accessList == [AccessListEntry(address: Self.probed, storageKeys: [])])
    }

    @Test func seededEntriesStay() throws {
        let node = try node()
        let extra = ChainTestSupport.address("0x00000000000000000000000000000000000000ee")
        let seed = [AccessListEntry(address: extra, storageKeys: [UInt256(7)])]
        let outcome = try node.createAccessList(CallRequest(from: keys[0].address, to: Self.probe, accessList: seed))
        #expect(outcome.accessList == [AccessListEntry(address: Self.probed, storageKeys: []),
                                       AccessListEntry(address: extra, storageKeys: [UInt256(7)])])
    }

    @Test func revertIsReportedBesideTheList() throws {
        let node = try node()
        let reverter = ChainTestSupport.address("0x00000000000000000000000000000000000000ab")
        try node.setCode([0x60, 0x00, 0x60, 0x00, 0xfd], of: reverter)  // PUSH1 0 PUSH1 0 REVERT
        let outcome = try node.createAccessList(CallRequest(from: keys[0].address, to: reverter))
        #expect(outcome.accessList.isEmpty)
        #expect(outcome.status == .revert)
        #expect(outcome.gasUsed == 21006)
    }

    @Test func creationExcludesTheNewAddress() throws {
        let node = try node()
        // Init code: BALANCE(ADDRESS) POP, SLOAD(5) POP, STOP; the created address is excluded as an
        // account, but its slot read is listed (with the account), as geth does.
        let initCode: [UInt8] = [0x30, 0x31, 0x50, 0x60, 0x05, 0x54, 0x50, 0x00]
        let outcome = try node.createAccessList(CallRequest(from: keys[0].address, data: initCode))
        let created = ContractAddress.create(sender: keys[0].address, nonce: 0)
        #expect(outcome.accessList == [AccessListEntry(address: created, storageKeys: [UInt256(5)])])
    }

    @Test func invalidTransactionFailsToApply() throws {
        let node = try node()
        let message = NodeTestSupport.message { () throws(NodeError) in
            _ = try node.createAccessList(CallRequest(from: NodeTestSupport.unfundedKey.address, to: Self.reader,
                                                      gasPrice: NodeTestSupport.gwei))
        }
        #expect(message?.hasPrefix("failed to apply transaction: 0x") == true)
        #expect(message?.contains(" err: insufficient funds for gas * price + value") == true)
    }
}
