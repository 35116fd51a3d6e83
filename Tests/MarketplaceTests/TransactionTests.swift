import Marketplace
import Primitives
import Signatures
import Testing

/// EIP-1559 transactions signed here against eth-account's `Account.sign_transaction` on the same
/// fields (scripts/marketplace_vectors.py transactions): same raw bytes, same hash.
@Suite struct TransactionTests {
    @Test(arguments: [21, 22]) func signsLikeEthAccount(seed: Int) throws {
        let cases = try TestSupport.vectors(["transactions", "--seed", String(seed), "--count", "60"]).arrayElements
        #expect(cases.count == 60)
        var creations = 0, withAccessList = 0
        for (index, vector) in cases.enumerated() {
            let to: Address? = vector["to"]?.stringValue.map { try! Address(hex: $0) }
            let accessList = vector["accessList"]!.arrayElements.map { entry in
                EIP1559Transaction.AccessListEntry(
                    address: try! Address(hex: entry.string("address")),
                    storageKeys: entry["storageKeys"]!.arrayElements.map { try! Hash32(hex: $0.stringValue!) })
            }
            let transaction = EIP1559Transaction(
                chainId: vector.uint256("chainId").low64, nonce: vector.uint256("nonce").low64,
                maxPriorityFeePerGas: vector.uint256("maxPriorityFeePerGas"), maxFeePerGas: vector.uint256("maxFeePerGas"),
                gasLimit: vector.uint256("gas").low64, to: to, value: vector.uint256("value"),
                data: TestSupport.bytes(vector.string("data")), accessList: accessList)
            let signed = transaction.signed(with: try PrivateKey(bytes: TestSupport.bytes(vector.string("key"))))
            #expect(signed.raw == TestSupport.bytes(vector.string("raw")), "seed \(seed) case \(index)")
            #expect(signed.hash == (try Hash32(hex: vector.string("hash"))), "seed \(seed) case \(index)")
            #expect(signed.sender == (try Address(hex: vector.string("sender"))))
            if to == nil { creations += 1 }
            if !accessList.isEmpty { withAccessList += 1 }
        }
        #expect(creations > 0 && withAccessList > 0)
    }
}
