import Primitives

/// Reads a range of blocks over JSON-RPC and builds a `GasReport`: every transaction in
/// `eth_getBlockByNumber(n, true)`, its gas from `eth_getTransactionReceipt`.
///
/// - A creation whose input starts with a source's init code (the longest such) is that contract's
///   deployment: Deployment Cost is the receipt's gasUsed, Deployment Size the input's length (init
///   code with constructor arguments, as forge's `trace.data.len()`); the last one in the range wins,
///   as in forge. A creation that fails deploys nothing and is not counted.
/// - A call's target is named by its code (`eth_getCode` at the transaction's block, else at the
///   latest block) starting with a source's runtime code (the longest such), else by the first
///   selector-matched source (plain ABIs and artifacts without code) whose ABI has the call's
///   selector; an address keeps the source it was first named by.
/// - The call's function is looked up by selector in that source's ABI; its receipt's gasUsed is one
///   sample, whether it succeeded or reverted (forge records reverted calls too). Calls with an
///   unknown selector, or to addresses no source names, count as unattributed.
/// - Only transactions are seen (forge's top-level calls): internal calls and creations by contracts
///   are not.
public struct GasReportCollector: Sendable {
    /// The node.
    public let client: RPCClient
    /// The contracts to recognise, in `--abi` order.
    public let sources: [GasReportSource]

    /// Creates a collector.
    /// - Parameters:
    ///   - client: the node.
    ///   - sources: the contracts.
    public init(client: RPCClient, sources: [GasReportSource]) {
        self.client = client
        self.sources = sources
    }

    /// Reads the blocks and builds the report.
    /// - Parameters:
    ///   - fromBlock: first block (default 0).
    ///   - toBlock: last block (default the head).
    ///   - progress: called with each block number read.
    /// - Returns: the report.
    /// - Throws: `GasReportError.badRange` for a reversed range or a block past the head, `.rpc` for node errors.
    public func collect(fromBlock: UInt64? = nil, toBlock: UInt64? = nil,
                        progress: (@Sendable (UInt64) -> Void)? = nil) async throws(GasReportError) -> GasReport {
        let head: UInt64
        do { head = try await client.blockNumber() } catch { throw .rpc(error) }
        let first = fromBlock ?? 0
        let last = toBlock ?? head
        guard last <= head else { throw .badRange("--to \(last): the node's head is block \(head); expected at most \(head)") }
        guard first <= last else { throw .badRange("--from \(first) is after --to \(last); expected from ≤ to") }

        var report = GasReport(fromBlock: first, toBlock: last)
        var named: [Address: Int] = [:]        // address → index into sources
        var unnamedByCode: Set<Address> = []   // addresses whose code matched no source
        for number in first...last {
            progress?(number)
            let block: JSON
            do { block = try await client.call("eth_getBlockByNumber", [BlockTag.number(number).json, .bool(true)]) } catch {
                throw .rpc(error)
            }
            guard !block.isNull else { throw .badRange("block \(number) does not exist on \(client.url)") }
            guard case .array(let transactions)? = block["transactions"] else {
                throw .rpc(.invalidResponse(method: "eth_getBlockByNumber", reason: "block \(number) has no transactions array"))
            }
            for transaction in transactions {
                report.transactionCount += 1
                try await record(transaction, block: number, into: &report, named: &named, unnamedByCode: &unnamedByCode)
            }
        }
        return report
    }

    func record(_ transaction: JSON, block: UInt64, into report: inout GasReport, named: inout [Address: Int],
                unnamedByCode: inout Set<Address>) async throws(GasReportError) {
        let reader = JSONReader(transaction, method: "eth_getBlockByNumber")
        let hash: Hash32, input: [UInt8], to: Address?
        do {
            hash = try reader.hash32("hash")
            input = try reader.bytes("input")
            to = try reader.optionalAddress("to")
        } catch { throw .rpc(error) }
        let found: TransactionReceipt?
        do { found = try await client.getTransactionReceipt(hash) } catch { throw .rpc(error) }
        guard let receipt = found else {
            throw .rpc(.invalidResponse(method: "eth_getTransactionReceipt", reason: "no receipt for mined transaction \(hash)"))
        }

        guard let to else {
            // A creation: name it by init code, else by the code it left.
            guard receipt.isSuccess, let created = receipt.contractAddress else {
                report.unattributedCount += 1
                return
            }
            var index = Self.longestPrefixMatch(input, sources.map(\.initCode))
            if index == nil {
                index = try await sourceByRuntimeCode(at: created, block: block)
            }
            guard let index else {
                unnamedByCode.insert(created)
                report.unattributedCount += 1
                return
            }
            named[created] = index
            let name = sources[index].name
            var contract = report.contracts[name] ?? GasReport.Contract(name: name)
            contract.deploymentGas = receipt.gasUsed
            contract.deploymentSize = input.count
            if !contract.addresses.contains(created) { contract.addresses.append(created) }
            report.contracts[name] = contract
            return
        }

        var index = named[to]
        if index == nil && !unnamedByCode.contains(to) {
            index = try await sourceByRuntimeCode(at: to, block: block)
            if index == nil { unnamedByCode.insert(to) }
        }
        if index == nil {
            index = sources.indices.first { !sources[$0].isMatchedByCode && sources[$0].function(forInput: input) != nil }
        }
        guard let index, let function = sources[index].function(forInput: input) else {
            report.unattributedCount += 1
            return
        }
        named[to] = index
        let name = sources[index].name
        var contract = report.contracts[name] ?? GasReport.Contract(name: name)
        if !contract.addresses.contains(to) { contract.addresses.append(to) }
        contract.samples[function.name, default: [:]][function.signature, default: []].append(receipt.gasUsed)
        report.contracts[name] = contract
    }

    /// The source whose runtime code the account's code starts with (the longest), if any.
    func sourceByRuntimeCode(at address: Address, block: UInt64) async throws(GasReportError) -> Int? {
        guard sources.contains(where: { $0.runtimeCode != nil }) else { return nil }
        var code: [UInt8]
        do {
            code = try await client.getCode(address, block: .number(block))
        } catch {
            // A node without that block's state: the latest code is the next best thing.
            do { code = try await client.getCode(address, block: .latest) } catch { throw .rpc(error) }
        }
        if code.isEmpty { return nil }
        return Self.longestPrefixMatch(code, sources.map(\.runtimeCode))
    }

    /// The index of the longest candidate that `bytes` starts with.
    static func longestPrefixMatch(_ bytes: [UInt8], _ candidates: [[UInt8]?]) -> Int? {
        var best: (index: Int, length: Int)?
        for (index, candidate) in candidates.enumerated() {
            guard let candidate, candidate.count <= bytes.count, bytes.starts(with: candidate) else { continue }
            if best == nil || candidate.count > best!.length { best = (index, candidate.count) }
        }
        return best?.index
    }
}
