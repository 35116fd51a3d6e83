import Chain
import ChainTypes
import EVM
import Primitives
import Signatures
import Storage
import Testing

/// The pool's admission rules through `Node.submit` / `sendRawTransaction`, with geth's exact messages.
@Suite struct TransactionPoolTests {
    static let recipient = ChainTestSupport.address("0x000000000000000000000000000000000000dEaD")
    let keys = NodeTestSupport.keys

    @Test func nonceTooLowNamesNextAndTransactionNonce() throws {
        let node = try NodeTestSupport.node()
        for nonce in 0 ..< 5 { try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: UInt64(nonce), to: Self.recipient, value: 1)) }
        let message = NodeTestSupport.message { () throws(NodeError) in
            try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 3, to: Self.recipient, value: 2))
        }
        #expect(message == "nonce too low: next nonce 5, tx nonce 3")
    }

    @Test func insufficientFundsNamesBalanceAndCost() throws {
        let node = try NodeTestSupport.node()
        let message = NodeTestSupport.message { () throws(NodeError) in
            try node.submit(Transaction.legacy(chainId: 31337, nonce: 0, gasPrice: NodeTestSupport.gwei, gasLimit: 21000,
                                               to: Self.recipient, value: 0).signed(with: NodeTestSupport.unfundedKey))
        }
        #expect(message == "insufficient funds for gas * price + value: balance 0, tx cost 21000000000000, overshot 21000000000000")
    }

    @Test func replacementNeedsTenPercentOnFeeCapAndTip() throws {
        let node = try NodeTestSupport.node(automine: false)
        let original = NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1)
        try node.submit(original)
        let fivePercent = NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1,
                                                   tip: UInt256(1_050_000_000), maxFee: UInt256(2_100_000_000))
        #expect(NodeTestSupport.message { () throws(NodeError) in try node.submit(fivePercent) }
                == "replacement transaction underpriced: new tx gas fee cap 2100000000 tip 1050000000 <= 10% bump over old fee cap 2000000000 tip 1000000000")
        let tipOnly = NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1,
                                               tip: UInt256(1_100_000_000), maxFee: UInt256(2_000_000_001))
        #expect(NodeTestSupport.message { () throws(NodeError) in try node.submit(tipOnly) }?
            .hasPrefix("replacement transaction underpriced") == true)
        let tenPercent = NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1,
                                                  tip: UInt256(1_100_000_000), maxFee: UInt256(2_200_000_000))
        let hash = try node.submit(tenPercent)
        #expect(try node.transaction(hash: original.hash) == nil)
        #expect(try node.transaction(hash: hash)?.sender == keys[0].address)
        #expect(node.pendingTransactions.map(\.hash) == [hash])
    }

    @Test func sameBytesTwiceIsAlreadyKnown() throws {
        let node = try NodeTestSupport.node(automine: false)
        let transaction = NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1)
        try node.sendRawTransaction(transaction.encoded)
        #expect(NodeTestSupport.message { () throws(NodeError) in try node.sendRawTransaction(transaction.encoded) } == "already known")
    }

    @Test func gasRules() throws {
        let node = try NodeTestSupport.node(automine: false)
        #expect(NodeTestSupport.message { () throws(NodeError) in
            try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1, gas: 20000))
        } == "intrinsic gas too low: gas 20000, minimum needed 21000")
        #expect(NodeTestSupport.message { () throws(NodeError) in
            try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1, gas: 30_000_001))
        } == "exceeds block gas limit: tx gas 30000001, block gas limit 30000000")
        #expect(NodeTestSupport.message { () throws(NodeError) in
            try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1, tip: 1, maxFee: 1))
        } == "max fee per gas less than block base fee: address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, maxFeePerGas: 1, baseFee: 875000000")
    }

    @Test func envelopeAndSignatureRules() throws {
        let node = try NodeTestSupport.node(automine: false)
        #expect(NodeTestSupport.message { () throws(NodeError) in try node.sendRawTransaction([0x03, 0xc0]) }
                == "transaction type not supported: type 3, expected 0 (legacy), 1 (EIP-2930) or 2 (EIP-1559)")
        #expect(NodeTestSupport.message { () throws(NodeError) in
            try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1, chainId: 1))
        } == "invalid sender: invalid chain id for signer: have 1 want 31337")
        #expect(NodeTestSupport.message { () throws(NodeError) in
            try node.submit(Transaction.legacy(chainId: nil, nonce: 0, gasPrice: NodeTestSupport.gwei, gasLimit: 21000,
                                               to: Self.recipient, value: 1).signed(with: keys[0]))
        } == "only replay-protected (EIP-155) transactions allowed over RPC")
    }

    @Test func futureNonceIsQueuedUntilTheGapFills() throws {
        let node = try NodeTestSupport.node(automine: false)
        let sender = keys[1]
        try node.submit(NodeTestSupport.transfer(from: sender, nonce: 0, to: Self.recipient, value: 1))
        try node.submit(NodeTestSupport.transfer(from: sender, nonce: 2, to: Self.recipient, value: 1))
        #expect(node.pendingTransactions.map(\.transaction.nonce) == [0])
        #expect(node.queuedTransactions.map(\.transaction.nonce) == [2])
        #expect(try node.nonce(of: sender.address, at: .pending) == 1)
        #expect(try node.nonce(of: sender.address, at: .latest) == 0)
        try node.submit(NodeTestSupport.transfer(from: sender, nonce: 1, to: Self.recipient, value: 1))
        #expect(node.pendingTransactions.map(\.transaction.nonce) == [0, 1, 2])
        #expect(try node.nonce(of: sender.address, at: .pending) == 3)
        try node.mine()
        #expect(try node.nonce(of: sender.address) == 3)
        #expect(node.pendingTransactions.isEmpty && node.queuedTransactions.isEmpty)
    }
}
