import Chain
import ChainTypes
import Primitives
import RPC
import Testing

/// txpool_status, txpool_content, txpool_contentFrom and txpool_inspect with pending and queued
/// transactions (automine off so pending ones stay), in geth's shapes and key order.
@Suite struct TransactionPoolMethodTests {
    static let dead = try! Address(hex: "0x000000000000000000000000000000000000dead")
    static let account0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    static let account1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    static let account2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"

    static func transfer(key: Int, nonce: UInt64) -> Transaction {
        .dynamicFee(chainId: 31337, nonce: nonce, maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 2_000_000_000,
                    gasLimit: 21_000, to: dead, value: 1).signed(with: devKeys[key])
    }

    /// account0: nonces 0, 1 (pending) and a creation at 2 (pending); account1: nonce 1 (queued,
    /// nonce 0 missing); account2: nonces 2 and 10 (queued).
    func service() async throws -> (RPCService, [String: Hash32]) {
        let service = RPCService(configuration: RPCServerConfiguration(), node: try makeNode())
        #expect(await dispatch(service, request("evm_setAutomine", "[false]")) == result("null"))
        let creation = Transaction.legacy(chainId: 31337, nonce: 2, gasPrice: 3_000_000_000, gasLimit: 53_000, to: nil,
                                          value: .zero, data: []).signed(with: devKeys[0])
        let sent: [(String, Transaction)] = [
            ("0/0", Self.transfer(key: 0, nonce: 0)), ("0/1", Self.transfer(key: 0, nonce: 1)), ("0/2", creation),
            ("1/1", Self.transfer(key: 1, nonce: 1)),
            ("2/10", Self.transfer(key: 2, nonce: 10)), ("2/2", Self.transfer(key: 2, nonce: 2)),
        ]
        var hashes: [String: Hash32] = [:]
        for (name, transaction) in sent {
            let reply = await dispatch(service, request("eth_sendRawTransaction", "[\"\(Hex.encode(transaction.encoded))\"]"))
            #expect(reply == result("\"\(Hex.encode(transaction.hash.bytes))\""), "\(name): \(reply)")
            hashes[name] = transaction.hash
        }
        return (service, hashes)
    }

    @Test func statusCountsPendingAndQueued() async throws {
        let (service, _) = try await service()
        #expect(await dispatch(service, request("txpool_status")) == result("{\"pending\":\"0x3\",\"queued\":\"0x3\"}"))
        #expect(await dispatch(service, request("txpool_status", "[1]")) == error(-32602, "too many arguments, want at most 0"))
    }

    @Test func inspectSummarisesEachTransaction() async throws {
        let (service, _) = try await service()
        let transfer = "0x000000000000000000000000000000000000dEaD: 1 wei + 21000 gas × 2000000000 wei"
        // Senders sort as checksummed strings (0x3C… < 0x70… < 0xf3…), nonces as strings ("10" < "2").
        let expected = "{\"pending\":{\"\(Self.account0)\":{\"0\":\"\(transfer)\",\"1\":\"\(transfer)\","
            + "\"2\":\"contract creation: 0 wei + 53000 gas × 3000000000 wei\"}},"
            + "\"queued\":{\"\(Self.account2)\":{\"10\":\"\(transfer)\",\"2\":\"\(transfer)\"},"
            + "\"\(Self.account1)\":{\"1\":\"\(transfer)\"}}}"
        #expect(await dispatch(service, request("txpool_inspect")) == result(expected))
    }

    @Test func contentHoldsPendingTransactionObjects() async throws {
        let (service, hashes) = try await service()
        let content = try JSON.parse(await dispatch(service, request("txpool_content")))
        let pool = try #require(content["result"])
        guard case .object(let top) = pool, case .object(let pending)? = pool["pending"],
              case .object(let queued)? = pool["queued"] else { Issue.record("\(content)"); return }
        #expect(top.map(\.0) == ["pending", "queued"])
        #expect(pending.map(\.0) == [Self.account0])
        #expect(queued.map(\.0) == [Self.account2, Self.account1])
        let zeroNonces = try #require(pool["pending"]?[Self.account0])
        guard case .object(let byNonce) = zeroNonces else { Issue.record("\(zeroNonces)"); return }
        #expect(byNonce.map(\.0) == ["0", "1", "2"])
        let first = try #require(zeroNonces["0"])
        #expect(first["hash"] == .string(Hex.encode(hashes["0/0"]!.bytes)))
        #expect(first["blockHash"] == .null && first["blockNumber"] == .null && first["transactionIndex"] == .null)
        #expect(first["from"] == .string(Self.account0.lowercased()))
        #expect(first["nonce"] == .string("0x0"))
        // A pending EIP-1559 transaction shows its fee cap as gasPrice (geth's NewRPCPendingTransaction).
        #expect(first["gasPrice"] == .string("0x77359400"))
        let gapped = try #require(pool["queued"]?[Self.account2]?["10"])
        #expect(gapped["hash"] == .string(Hex.encode(hashes["2/10"]!.bytes)))
    }

    @Test func contentFromOneSender() async throws {
        let (service, hashes) = try await service()
        let reply = try JSON.parse(await dispatch(service, request("txpool_contentFrom", "[\"\(Self.account2)\"]")))
        let pool = try #require(reply["result"])
        guard case .object(let pending)? = pool["pending"], case .object(let queued)? = pool["queued"] else {
            Issue.record("\(reply)"); return
        }
        #expect(pending.isEmpty)
        #expect(queued.map(\.0) == ["10", "2"])
        #expect(pool["queued"]?["2"]?["hash"] == .string(Hex.encode(hashes["2/2"]!.bytes)))
    }

    @Test func minedTransactionsLeaveThePool() async throws {
        let (service, _) = try await service()
        #expect(await dispatch(service, request("evm_mine")) == result("\"0x0\""))
        #expect(await dispatch(service, request("txpool_status")) == result("{\"pending\":\"0x0\",\"queued\":\"0x3\"}"))
    }
}
