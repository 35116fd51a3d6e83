import EVM
import Execution
import Primitives
import State
import Storage
import Testing

private let sender = Address(high: 0, middle: 0, low: 0x5e4de4)
private let recipient = Address(high: 0, middle: 0, low: 0xc0de)
private let coinbase = Address(high: 0, middle: 0, low: 0xc01b)
private let block = BlockEnvironment(coinbase: coinbase, number: 1, timestamp: 1000, gasLimit: 30_000_000,
                                     baseFee: 10, prevRandao: .zero)
private let processor = TransactionProcessor(precompiles: PrecompileRegistry())

private func state(senderBalance: UInt256 = 1_000_000_000, code: [UInt8] = [],
                   storage: [UInt256: UInt256] = [:]) -> WorldState {
    let state = WorldState(store: MemoryStore())
    state.insertAccount(sender, nonce: 0, balance: senderBalance, code: [])
    if !code.isEmpty || !storage.isEmpty { state.insertAccount(recipient, nonce: 1, balance: 0, code: code, storage: storage) }
    return state
}

private func rejection(_ transaction: ExecutionTransaction, in state: WorldState) -> String? {
    do {
        _ = try processor.apply(transaction, in: block, to: state)
        return nil
    } catch {
        return error.description
    }
}

@Test func valueTransferCostsExactly21000AndPaysPriorityFee() throws {
    let world = state()
    let transaction = ExecutionTransaction(kind: .dynamicFee, nonce: 0, maxFeePerGas: 20, maxPriorityFeePerGas: 2,
                                  gasLimit: 50_000, to: recipient, value: 5, sender: sender)
    let outcome = try processor.apply(transaction, in: block, to: world)
    #expect(outcome.status == .success)
    #expect(outcome.gasUsed == 21000)
    #expect(world.balance(of: recipient) == 5)
    let expectedSenderBalance: UInt256 = 999_747_995  // 1e9 − 5 − 21000 × 12
    let expectedCoinbaseBalance: UInt256 = 42_000  // 21000 × 2
    #expect(world.balance(of: sender) == expectedSenderBalance)
    #expect(world.balance(of: coinbase) == expectedCoinbaseBalance)
    #expect(world.nonce(of: sender) == 1)
}

@Test func nonceTooLowIsRejectedWithValues() {
    let world = state()
    world.setNonce(3, of: sender)
    let message = rejection(ExecutionTransaction(nonce: 2, gasPrice: 10, gasLimit: 21000, to: recipient, sender: sender), in: world)
    #expect(message == "nonce too low: address \(sender), tx: 2 state: 3")
}

@Test func insufficientFundsNamesHaveAndWant() {
    let world = state(senderBalance: 100)
    let message = rejection(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 21000, to: recipient, value: 1, sender: sender),
                            in: world)
    #expect(message == "insufficient funds for gas * price + value: address \(sender) have 100 want 210001")
}

@Test func intrinsicGasTooLowNamesHaveAndWant() {
    let message = rejection(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 21015, to: recipient, data: [1], sender: sender),
                            in: state())
    #expect(message == "intrinsic gas too low: have 21015, want 21016")
}

@Test func gasLimitAboveBlockGasLimitIsRejected() {
    let message = rejection(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 30_000_001, to: recipient, sender: sender),
                            in: state(senderBalance: UInt256(UInt64.max)))
    #expect(message == "gas limit 30000001 exceeds block gas limit 30000000")
}

@Test func maxFeeBelowBaseFeeIsRejected() {
    let message = rejection(ExecutionTransaction(nonce: 0, gasPrice: 9, gasLimit: 21000, to: recipient, sender: sender), in: state())
    #expect(message == "max fee per gas less than block base fee: address \(sender), maxFeePerGas: 9, baseFee: 10")
}

@Test func priorityFeeAboveMaxFeeIsRejected() {
    let transaction = ExecutionTransaction(kind: .dynamicFee, nonce: 0, maxFeePerGas: 20, maxPriorityFeePerGas: 21,
                                  gasLimit: 21000, to: recipient, sender: sender)
    #expect(rejection(transaction, in: state())
            == "max priority fee per gas higher than max fee per gas: address \(sender), maxPriorityFeePerGas: 21, maxFeePerGas: 20")
}

@Test func senderWithCodeIsRejected() {
    let world = state()
    world.insertAccount(sender, nonce: 0, balance: 1_000_000_000, code: [0x00])
    let message = rejection(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 21000, to: recipient, sender: sender), in: world)
    #expect(message == "sender not an eoa: address \(sender), codehash: \(Keccak256.hash([0x00]))")
}

@Test func oversizedInitCodeIsRejected() {
    let transaction = ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 10_000_000, to: nil,
                                  data: [UInt8](repeating: 0, count: 49153), sender: sender)
    #expect(rejection(transaction, in: state()) == "max initcode size exceeded: code size 49153 limit 49152")
}

@Test func rejectedTransactionLeavesStateUntouched() throws {
    let world = state(senderBalance: 100)
    let before = try world.commit()
    _ = rejection(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 21000, to: recipient, sender: sender), in: world)
    #expect(try world.commit() == before)
}

@Test func storeCostsColdSetGas() throws {
    // PUSH1 1 PUSH1 0 SSTORE STOP: 3 + 3 + 22100 (cold 2100 + set 20000).
    let world = state(code: [0x60, 0x01, 0x60, 0x00, 0x55, 0x00])
    let outcome = try processor.apply(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 100_000, to: recipient, sender: sender),
                                      in: block, to: world)
    #expect(outcome.gasUsed == 21000 + 3 + 3 + 22100)
    #expect(world.storage(at: recipient, key: 0) == 1)
}

@Test func clearingSlotRefundsUpToOneFifth() throws {
    // PUSH1 0 PUSH1 0 SSTORE STOP on a slot holding 1: 3 + 3 + 2100 + 2900, refund 4800 (EIP-3529).
    let world = state(code: [0x60, 0x00, 0x60, 0x00, 0x55, 0x00], storage: [0: 1])
    let outcome = try processor.apply(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 100_000, to: recipient, sender: sender),
                                      in: block, to: world)
    #expect(outcome.gasRefunded == 4800)
    #expect(outcome.gasUsed == 21000 + 3 + 3 + 5000 - 4800)
}

@Test func revertUndoesStorageAndKeepsGas() throws {
    // PUSH1 1 PUSH1 0 SSTORE PUSH1 0 PUSH1 0 REVERT.
    let world = state(code: [0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x00, 0xfd])
    let outcome = try processor.apply(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 100_000, to: recipient, sender: sender),
                                      in: block, to: world)
    #expect(outcome.status == .revert)
    #expect(outcome.gasUsed == 21000 + 3 + 3 + 22100 + 3 + 3)
    #expect(world.storage(at: recipient, key: 0) == 0)
    #expect(world.nonce(of: sender) == 1)
}

@Test func creationDeploysReturnedCode() throws {
    // Init code: PUSH1 0xAA PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN → deploys 0xAA.
    let initCode: [UInt8] = [0x60, 0xaa, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3]
    let world = state()
    let outcome = try processor.apply(ExecutionTransaction(nonce: 0, gasPrice: 10, gasLimit: 100_000, to: nil, data: initCode,
                                                  sender: sender), in: block, to: world)
    let created = ContractAddress.create(sender: sender, nonce: 0)
    #expect(outcome.createdAddress == created)
    #expect(world.code(of: created) == [0xaa])
    #expect(world.nonce(of: created) == 1)
    #expect(world.nonce(of: sender) == 1)
    // 53000 + data (8 nonzero, 2 zero bytes) + 2 (one init-code word)
    // + execution PUSH1 PUSH1 MSTORE8(+3 memory) PUSH1 PUSH1 RETURN + 200 × 1 byte deposited.
    let dataGas: UInt64 = 16 * 8 + 4 * 2
    #expect(outcome.gasUsed == 53000 + dataGas + 2 + 3 + 3 + 3 + 3 + 3 + 3 + 200)
}
