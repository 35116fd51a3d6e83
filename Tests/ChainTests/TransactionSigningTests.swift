import Chain
import ChainTypes
import EVM
import Primitives
import Signatures
import Testing

/// Signing, encoding and the fee helpers, against eth-account 0.14 (Account.sign_transaction,
/// RFC 6979 deterministic nonces as libsecp256k1 uses) run once in a throwaway venv.
@Suite struct TransactionSigningTests {
    /// anvil/Hardhat account 0 of "test test … junk" (well known; its address is checked below).
    static let key = try! PrivateKey(bytes: ChainTestSupport.bytes("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"))
    static let sender = ChainTestSupport.address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    static let recipient = ChainTestSupport.address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")

    @Test func dynamicFeeTransactionMatchesEthAccount() throws {
        let transaction = Transaction.dynamicFee(chainId: 31337, nonce: 0, maxPriorityFeePerGas: 1_000_000_000,
                                                 maxFeePerGas: 2_000_000_000, gasLimit: 21_000, to: Self.recipient,
                                                 value: UInt256(1_000_000_000_000_000_000)).signed(with: Self.key)
        #expect(transaction.encoded == ChainTestSupport.bytes("02f874827a6980843b9aca0084773594008252089470997970c51812dc3a010c7d01b50e0d17dc79c8880de0b6b3a764000080c080a074128fd7d42631897474d93692787a2e56b813754468caaca4993c641c986a37a06d5a3b027177cc2841199b70400fece0a29ac5eabee2fa9cbf9b6aa213716c48"))
        #expect(transaction.hash == ChainTestSupport.hash("7d4c13ed95c0cee830d7457ec5a5976db1fc301cfa7a23fef0039a7ccf6aea87"))
        #expect(try transaction.recoverSender(chainId: 31337) == Self.sender)
    }

    @Test func eip155LegacyTransactionMatchesEthAccount() throws {
        let transaction = Transaction.legacy(chainId: 31337, nonce: 1, gasPrice: 1_000_000_000, gasLimit: 21_000,
                                             to: Self.recipient, value: 1).signed(with: Self.key)
        #expect(transaction.encoded == ChainTestSupport.bytes("f86501843b9aca008252089470997970c51812dc3a010c7d01b50e0d17dc79c8018082f4f6a0fb592e6aab8ca101d760bd96d166acb04c0b96d63af2e6e6d623d0fddbe9b779a0543ad44c37131ee0c0abede09e420e1b06d8d1afacbf1be7712732f5be4897ce"))
        #expect(transaction.hash == ChainTestSupport.hash("ff704df728ad595317f1bea1a2bb3e60b677a6245977100da65226b822db0c64"))
        // v = 31337·2 + 35 + 1 = 62710 (EIP-155), 0xf4f6 in the encoding above.
        #expect(transaction.v == UInt256(62_710))
    }

    @Test func accessListCreationMatchesEthAccount() throws {
        let entry = AccessListEntry(address: Self.recipient, storageKeys: [UInt256.one])
        let transaction = Transaction.accessList(chainId: 31337, nonce: 2, gasPrice: 1_000_000_000, gasLimit: 60_000,
                                                 to: nil, value: 0, data: [0x60, 0x00],
                                                 accessList: [entry]).signed(with: Self.key)
        #expect(transaction.encoded == ChainTestSupport.bytes("01f88e827a6902843b9aca0082ea608080826000f838f79470997970c51812dc3a010c7d01b50e0d17dc79c8e1a0000000000000000000000000000000000000000000000000000000000000000180a04863e6f32563a97f10f112d027a7312a2eba087aa5d578764303dcda6872beefa04f8bbd7f81aa27c7f6ccf96b4c1fe48c5939563c787d23a2d5aba939b34ec79a"))
        #expect(transaction.hash == ChainTestSupport.hash("ae024e1592ca17a94f51479a6476c4f4f46e9fadc89178ecc151b9b2fd3d66cd"))
        // 21000 + 32000 + 2·1 word + 16 + 4 + 2400 + 1900 (EIP-2, EIP-3860, EIP-2028, EIP-2930).
        #expect(transaction.intrinsicGas == 57_322)
    }

    @Test func wrongChainIsRejectedWithBothIds() throws {
        let transaction = Transaction.dynamicFee(chainId: 31337, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 2,
                                                 gasLimit: 21_000, to: Self.recipient, value: 0).signed(with: Self.key)
        #expect(throws: TransactionError.chainIdMismatch(expected: 7777, actual: 31337)) {
            try transaction.recoverSender(chainId: 7777)
        }
        #expect(TransactionError.chainIdMismatch(expected: 7777, actual: 31337).description
                    == "invalid chain id for signer: have 31337 want 7777")
    }

    @Test func highSIsRejectedPerEIP2() throws {
        let signed = Transaction.dynamicFee(chainId: 1, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 2,
                                            gasLimit: 21_000, to: Self.recipient, value: 0).signed(with: Self.key)
        let signature = try #require(signed.signature)
        // n − s is the other valid s for the same r; it is above n/2 and must be refused.
        let order = ChainTestSupport.word("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        let malleable = signed.withSignature(TransactionSignature(yParity: 1 - signature.yParity, r: signature.r,
                                                                  s: order &- signature.s))
        #expect(throws: TransactionError.highS(order &- signature.s)) { try malleable.recoverSender(chainId: 1) }
    }

    @Test func blobTransactionIsUnsupportedType3() {
        #expect(throws: TransactionError.unsupportedType(3)) { try Transaction(encoded: [0x03, 0xc0]) }
        #expect(TransactionError.unsupportedType(3).description.hasPrefix("unsupported transaction type 3"))
    }

    @Test func effectiveGasPriceFollowsEIP1559() {
        let transaction = Transaction.dynamicFee(chainId: 1, nonce: 0, maxPriorityFeePerGas: 2_000_000_000,
                                                 maxFeePerGas: 10_000_000_000, gasLimit: 21_000, to: nil, value: 0)
        #expect(transaction.effectiveGasPrice(baseFee: 1_000_000_000) == 3_000_000_000)  // base + tip
        #expect(transaction.effectiveGasPrice(baseFee: 9_000_000_000) == 10_000_000_000) // capped
        #expect(transaction.effectivePriorityFee(baseFee: 9_000_000_000) == 1_000_000_000)
        #expect(transaction.effectivePriorityFee(baseFee: 11_000_000_000) == nil)
        let legacy = Transaction.legacy(chainId: 1, nonce: 0, gasPrice: 7, gasLimit: 21_000, to: nil, value: 0)
        #expect(legacy.effectiveGasPrice(baseFee: 5) == 7)
    }

    @Test func truncatedFieldNamesTheField() {
        // A legacy list whose nonce is 0x00 (a zero byte instead of the empty string).
        let error = #expect(throws: TransactionError.self) {
            try Transaction(encoded: [0xc9, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80])
        }
        #expect(error?.description == "transaction field nonce: RLP at offset 1: integer starts with a zero byte, expected a minimal big-endian encoding")
    }
}
