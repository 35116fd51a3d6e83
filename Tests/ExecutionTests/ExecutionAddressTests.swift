import EVM
import Execution
import Primitives
import Testing

@Test(arguments: [
    (UInt64(0), "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"),
    (UInt64(1), "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"),
    (UInt64(2), "0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91"),
])
func createAddressFromSenderAndNonce(nonce: UInt64, expected: String) throws {
    let sender = try Address(hex: "0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0")
    #expect(ContractAddress.create(sender: sender, nonce: nonce) == (try Address(hex: expected)))
}

@Test func create2AddressMatchesEIP1014Example0() throws {
    let address = ContractAddress.create2(sender: .zero, salt: .zero, initCodeHash: Keccak256.hash([0x00]))
    #expect(address == (try Address(hex: "0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38")))
}

@Test func create2AddressMatchesEIP1014Example5() throws {
    // EIP-1014 example 5: sender 0x00aa…, salt 0xfeed…, init code 0xdeadbeef.
    let sender = try Address(hex: "0x00000000000000000000000000000000deadbeef")
    let salt = try UInt256(hex: "0x00000000000000000000000000000000000000000000000000000000cafebabe")
    let address = ContractAddress.create2(sender: sender, salt: salt, initCodeHash: Keccak256.hash([0xde, 0xad, 0xbe, 0xef]))
    #expect(address == (try Address(hex: "0x60f3f640a8508fc6a86d45df051962668e1e8ac7")))
}

@Test func intrinsicGasCountsDataAccessListAndInitCode() {
    let sender = Address(high: 0, middle: 0, low: 1)
    let call = ExecutionTransaction(nonce: 0, gasLimit: 100_000, to: sender, data: [0, 0, 1],
                           accessList: [AccessListEntry(address: sender, storageKeys: [1, 2])], sender: sender)
    #expect(IntrinsicGas.of(call) == 21000 + 4 + 4 + 16 + 2400 + 2 * 1900)
    let creation = ExecutionTransaction(nonce: 0, gasLimit: 100_000, to: nil, data: [UInt8](repeating: 1, count: 33), sender: sender)
    #expect(IntrinsicGas.of(creation) == 53000 + 33 * 16 + 2 * 2)
}
