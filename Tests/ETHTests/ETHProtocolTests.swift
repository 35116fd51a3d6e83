import Testing
import ETH

/// Message codes from devp2p caps/eth.md (eth/68) and go-ethereum v1.13.15 eth/protocols/eth/protocol.go.
@Suite struct ETHProtocolTests {
    @Test func messageCodesAreThoseOfTheSpecification() {
        let expected: [(ETHProtocol.MessageCode, UInt)] = [
            (.status, 0x00), (.newBlockHashes, 0x01), (.transactions, 0x02), (.getBlockHeaders, 0x03),
            (.blockHeaders, 0x04), (.getBlockBodies, 0x05), (.blockBodies, 0x06), (.newBlock, 0x07),
            (.newPooledTransactionHashes, 0x08), (.getPooledTransactions, 0x09), (.pooledTransactions, 0x0a),
            (.getReceipts, 0x0f), (.receipts, 0x10),
        ]
        for (code, value) in expected { #expect(code.rawValue == value) }
        #expect(ETHProtocol.MessageCode.allCases.count == 13)
        #expect(ETHProtocol.messageCount == 17)
        #expect(ETHProtocol.version == 68)
    }
}
