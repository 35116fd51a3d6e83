import EVM
import Execution
import Foundation
import Primitives
import Signatures

/// Reads ethereum/tests GeneralStateTests files (the "filled" JSON format: `env`, `pre`,
/// `transaction` with `data`/`gasLimit`/`value` arrays, and `post.<fork>` cases with `indexes`,
/// `hash`, `logs`, `txbytes` and `expectException`) into `StateTestCase`s.
///
/// Numbers are hex text; a value written "0x:bigint 0x…" is read like any hex number and, if it
/// does not fit its field, makes the transaction invalid rather than the file unreadable.
/// EIP-4844 cases are marked skipped: blob transactions (`blobVersionedHashes`) and every case
/// in the blob folders (`stEIP4844-blobtransactions`, `eip4844_blobs`), which exercise the KZG
/// point-evaluation precompile this chain does not have (DESIGN.md §2).
public enum StateTestLoader {
    /// Folders whose cases are all out of scope (EIP-4844).
    public static let skippedFolders = ["stEIP4844-blobtransactions", "eip4844_blobs"]

    /// Loads every case of one fork from a file.
    /// - Parameters:
    ///   - path: the file path.
    ///   - displayPath: the path to show in case names (relative to the folder being run).
    ///   - fork: the fork whose `post` cases to load ("Cancun").
    /// - Returns: the cases in file order (tests sorted by name, cases by index).
    /// - Throws: `StateTestError` if the file is unreadable or malformed.
    public static func load(path: String, displayPath: String, fork: String = "Cancun") throws(StateTestError) -> [StateTestCase] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw StateTestError.notJSON(path: path, reason: "top level is not an object")
            }
            root = object
        } catch let error as StateTestError {
            throw error
        } catch {
            throw .notJSON(path: path, reason: "\(error.localizedDescription)")
        }
        let folderSkipped = skippedFolders.contains { path.contains("/\($0)/") || displayPath.contains("\($0)/") }
        var cases: [StateTestCase] = []
        for testName in root.keys.sorted() {
            guard let test = root[testName] as? [String: Any] else {
                throw .missingField(test: testName, field: testName)
            }
            cases += try loadTest(test, name: "\(displayPath):\(testName)", fork: fork, folderSkipped: folderSkipped)
        }
        return cases
    }

    static func loadTest(_ test: [String: Any], name: String, fork: String,
                         folderSkipped: Bool) throws(StateTestError) -> [StateTestCase] {
        guard let post = test["post"] as? [String: Any] else { throw .missingField(test: name, field: "post") }
        guard let expectations = post[fork] as? [[String: Any]] else { return [] }
        guard let env = test["env"] as? [String: Any] else { throw .missingField(test: name, field: "env") }
        guard let pre = test["pre"] as? [String: Any] else { throw .missingField(test: name, field: "pre") }
        guard let transaction = test["transaction"] as? [String: Any] else {
            throw .missingField(test: name, field: "transaction")
        }
        let block = try loadEnvironment(env, test: name)
        let preState = try loadPreState(pre, test: name)
        var isBlobTransaction = transaction["blobVersionedHashes"] != nil || transaction["maxFeePerBlobGas"] != nil
        if let type = transaction["type"] as? String, type == "0x03" { isBlobTransaction = true }
        let skipReason: String? = folderSkipped ? "EIP-4844 (blobs and the KZG precompile) is out of scope"
            : isBlobTransaction ? "EIP-4844 blob transaction is out of scope" : nil

        var cases: [StateTestCase] = []
        for (index, expectation) in expectations.enumerated() {
            guard let indexes = expectation["indexes"] as? [String: Any],
                  let dataIndex = indexes["data"] as? Int, let gasIndex = indexes["gas"] as? Int,
                  let valueIndex = indexes["value"] as? Int else {
                throw .missingField(test: name, field: "post.\(fork)[\(index)].indexes")
            }
            let expectedRoot = try hash(expectation["hash"], field: "hash", test: name)
            let expectedLogs = try hash(expectation["logs"], field: "logs", test: name)
            let built: Result<ExecutionTransaction, StateTestError>
            if skipReason != nil {
                built = .failure(.missingField(test: name, field: "transaction (skipped)"))
            } else {
                do {
                    built = .success(try buildTransaction(transaction, dataIndex: dataIndex, gasIndex: gasIndex,
                                                          valueIndex: valueIndex, test: name))
                } catch {
                    built = .failure(error)
                }
            }
            cases.append(StateTestCase(
                name: name, fork: fork, index: index, block: block, preState: preState, transaction: built,
                expectedStateRoot: expectedRoot, expectedLogsHash: expectedLogs,
                expectedException: expectation["expectException"] as? String, skipReason: skipReason))
        }
        return cases
    }

    // MARK: Sections

    static func loadEnvironment(_ env: [String: Any], test: String) throws(StateTestError) -> BlockEnvironment {
        let excessBlobGas = try optionalNumber(env["currentExcessBlobGas"], field: "currentExcessBlobGas", test: test) ?? .zero
        var random = try optionalNumber(env["currentRandom"], field: "currentRandom", test: test)
        if random == nil { random = try optionalNumber(env["currentDifficulty"], field: "currentDifficulty", test: test) }
        return BlockEnvironment(
            coinbase: try address(env["currentCoinbase"], field: "currentCoinbase", test: test),
            number: try uint64(env["currentNumber"], field: "currentNumber", test: test),
            timestamp: try uint64(env["currentTimestamp"], field: "currentTimestamp", test: test),
            gasLimit: try uint64(env["currentGasLimit"], field: "currentGasLimit", test: test),
            baseFee: try optionalNumber(env["currentBaseFee"], field: "currentBaseFee", test: test) ?? .zero,
            prevRandao: (random ?? .zero).hash32,
            chainId: 1,
            blobBaseFee: BlobGas.baseFee(excessBlobGas: excessBlobGas))
    }

    static func loadPreState(_ pre: [String: Any], test: String) throws(StateTestError) -> [PreStateAccount] {
        var accounts: [PreStateAccount] = []
        for (addressText, value) in pre {
            guard let fields = value as? [String: Any] else { throw .missingField(test: test, field: "pre.\(addressText)") }
            let address = try self.address(addressText, field: "pre", test: test)
            var storage: [UInt256: UInt256] = [:]
            if let slots = fields["storage"] as? [String: Any] {
                for (key, slotValue) in slots {
                    storage[try number(key, field: "storage key", test: test)] =
                        try number(slotValue, field: "storage value", test: test)
                }
            }
            accounts.append(PreStateAccount(
                address: address,
                nonce: try uint64(fields["nonce"], field: "nonce", test: test),
                balance: try number(fields["balance"], field: "balance", test: test),
                code: try bytes(fields["code"], field: "code", test: test),
                storage: storage))
        }
        return accounts.sorted { $0.address < $1.address }
    }

    static func buildTransaction(_ json: [String: Any], dataIndex: Int, gasIndex: Int, valueIndex: Int,
                                 test: String) throws(StateTestError) -> ExecutionTransaction {
        guard let dataList = json["data"] as? [Any], dataIndex < dataList.count,
              let gasList = json["gasLimit"] as? [Any], gasIndex < gasList.count,
              let valueList = json["value"] as? [Any], valueIndex < valueList.count else {
            throw .missingField(test: test, field: "transaction.data/gasLimit/value[index]")
        }
        let sender: Address
        if let senderText = json["sender"] as? String {
            sender = try address(senderText, field: "sender", test: test)
        } else {
            let secret = try bytes(json["secretKey"], field: "secretKey", test: test)
            do { sender = try PrivateKey(bytes: secret).address } catch {
                throw .invalidValue(test: test, field: "secretKey", value: secret.hexString, expected: "a secp256k1 secret key")
            }
        }
        let toText = json["to"] as? String ?? ""
        let to: Address? = toText.isEmpty ? nil : try address(toText, field: "to", test: test)
        var accessList: [AccessListEntry] = []
        var hasAccessList = false
        if let lists = json["accessLists"] as? [Any], dataIndex < lists.count, let list = lists[dataIndex] as? [Any] {
            hasAccessList = true
            for item in list {
                guard let entry = item as? [String: Any] else { throw .missingField(test: test, field: "accessLists entry") }
                var keys: [UInt256] = []
                for key in entry["storageKeys"] as? [Any] ?? [] {
                    keys.append(try number(key, field: "storageKeys", test: test))
                }
                accessList.append(AccessListEntry(address: try address(entry["address"], field: "accessLists.address", test: test),
                                                  storageKeys: keys))
            }
        }
        let gasLimit = try uint64(gasList[gasIndex], field: "gasLimit", test: test)
        let nonce = try uint64(json["nonce"], field: "nonce", test: test)
        let value = try number(valueList[valueIndex], field: "value", test: test)
        let data = try bytes(dataList[dataIndex], field: "data", test: test)
        if let maxFee = json["maxFeePerGas"] {
            return ExecutionTransaction(kind: .dynamicFee, nonce: nonce,
                               maxFeePerGas: try number(maxFee, field: "maxFeePerGas", test: test),
                               maxPriorityFeePerGas: try number(json["maxPriorityFeePerGas"], field: "maxPriorityFeePerGas", test: test),
                               gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList, sender: sender)
        }
        return ExecutionTransaction(kind: hasAccessList ? .accessList : .legacy, nonce: nonce,
                           gasPrice: try number(json["gasPrice"], field: "gasPrice", test: test),
                           gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList, sender: sender)
    }

    // MARK: Values

    static func text(_ value: Any?, field: String, test: String) throws(StateTestError) -> String {
        guard let text = value as? String else { throw .missingField(test: test, field: field) }
        return text.hasPrefix("0x:bigint ") ? String(text.dropFirst("0x:bigint ".count)) : text
    }

    static func number(_ value: Any?, field: String, test: String) throws(StateTestError) -> UInt256 {
        let text = try text(value, field: field, test: test)
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            do { return try UInt256(hex: text) } catch {
                throw .invalidValue(test: test, field: field, value: text, expected: "a hex number below 2^256")
            }
        }
        guard let decimal = UInt256(decimal: text) else {
            throw .invalidValue(test: test, field: field, value: text, expected: "a number below 2^256")
        }
        return decimal
    }

    static func optionalNumber(_ value: Any?, field: String, test: String) throws(StateTestError) -> UInt256? {
        value == nil ? nil : try number(value, field: field, test: test)
    }

    static func uint64(_ value: Any?, field: String, test: String) throws(StateTestError) -> UInt64 {
        let wide = try number(value, field: field, test: test)
        guard let narrow = wide.uint64IfFits else {
            throw .invalidValue(test: test, field: field, value: "\(wide)", expected: "a number below 2^64")
        }
        return narrow
    }

    static func bytes(_ value: Any?, field: String, test: String) throws(StateTestError) -> [UInt8] {
        let text = try text(value, field: field, test: test)
        do { return try Hex.decode(text, allowOddLength: true) } catch {
            throw .invalidValue(test: test, field: field, value: text, expected: "hex bytes")
        }
    }

    static func address(_ value: Any?, field: String, test: String) throws(StateTestError) -> Address {
        let text = try text(value, field: field, test: test)
        do { return try Address(hex: text.lowercased()) } catch {
            throw .invalidValue(test: test, field: field, value: text, expected: "a 20-byte address")
        }
    }

    static func hash(_ value: Any?, field: String, test: String) throws(StateTestError) -> Hash32 {
        let text = try text(value, field: field, test: test)
        do { return try Hash32(hex: text) } catch {
            throw .invalidValue(test: test, field: field, value: text, expected: "a 32-byte hash")
        }
    }
}
