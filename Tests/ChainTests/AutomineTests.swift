import Chain
import ChainTypes
import Foundation
import Primitives
import Signatures
import Testing

/// Automine's group commit (`Node.automine(waiting:)`): a sender's transaction is in a block when
/// its send returns, one at a time gives one block per transaction, and concurrent senders share
/// blocks without losing or reordering anything.
@Suite struct AutomineTests {
    @Test func sequentialSendsGetOneBlockEach() throws {
        let node = try NodeTestSupport.node(perBlock: 1_000)
        let keys = NodeTestSupport.keys
        for nonce in 0 ..< 5 as Range<UInt64> {
            let hash = try node.sendRawTransaction(NodeTestSupport.transfer(from: keys[0], nonce: nonce, to: keys[1].address,
                                                                             value: .one).encoded)
            let receipt = try #require(try node.receipt(hash: hash))
            #expect(receipt.blockNumber == nonce + 1)
        }
        #expect(node.headNumber == 5)
    }

    @Test func concurrentSendersShareBlocksAndLoseNothing() throws {
        let node = try NodeTestSupport.node(perBlock: 1_000)
        let keys = NodeTestSupport.keys
        let (senders, perSender) = (8, 40)
        let signed: [[Transaction]] = (0 ..< senders).map { sender in
            (0 ..< perSender).map { nonce in
                NodeTestSupport.transfer(from: keys[sender], nonce: UInt64(nonce), to: keys[9].address, value: .one)
            }
        }
        let failures = LockedList()
        DispatchQueue.concurrentPerform(iterations: senders) { sender in
            for transaction in signed[sender] {
                do {
                    let hash = try node.sendRawTransaction(transaction.encoded)
                    // The send returns only once its block is stored.
                    if try node.receipt(hash: hash) == nil { failures.append("no receipt right after sending \(hash)") }
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.items.isEmpty)
        var mined = 0
        var nextNonce = [Address: UInt64]()
        for number in 1 ... node.headNumber {
            let block = try #require(try node.block(.number(number))).block
            #expect(!block.transactions.isEmpty)
            for transaction in block.transactions {
                let sender = try transaction.recoverSender(chainId: 31337)
                #expect(transaction.nonce == nextNonce[sender, default: 0])
                nextNonce[sender] = transaction.nonce + 1
                mined += 1
            }
        }
        #expect(mined == senders * perSender)
        #expect(node.headNumber <= UInt64(senders * perSender))
        for sender in 0 ..< senders {
            #expect(try node.nonce(of: keys[sender].address) == UInt64(perSender))
        }
        #expect(try node.balance(of: keys[9].address) == UInt256(10_000) &* NodeTestSupport.ether &+ UInt256(UInt64(senders * perSender)))
    }

    @Test func automineWithoutWaitingGivesWayToASealerInProgress() throws {
        let node = try NodeTestSupport.node(perBlock: 1_000)
        let hash = try node.sendRawTransaction(NodeTestSupport.transfer(from: NodeTestSupport.keys[0], nonce: 0,
                                                                         to: NodeTestSupport.keys[1].address, value: .one).encoded,
                                               mining: false)
        #expect(try node.receipt(hash: hash) == nil)
        #expect(try node.automine(waiting: false))
        #expect(try node.receipt(hash: hash)?.blockNumber == 1)
    }
}

/// Strings appended from several threads.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.lock(); storage.append(item); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
