import Chain
import ChainTypes
import Dispatch
import FuzzSupport
import JSONRPC
import Primitives
import RPC
import Signatures

// JSON-RPC request handling (JSONRPC, RPC): `JSONRPCDispatcher` over a stub method table whose methods decode
// their parameters with the real argument decoders (HexArgument, BlockArgument, CallArgument,
// LogFilterArgument, SimpleArgument, OverrideArgument, and the raw transaction decoder behind
// eth_sendRawTransaction).
//
// The input is a request body. Whatever it is, the dispatcher answers as geth does, never traps:
// - a body that is not JSON gets one -32700 error with id null;
// - otherwise every response is {"jsonrpc":"2.0","id":…,"result"|"error":…}, the id a string, number
//   or null, an error's code one the protocol defines, and a batch's answer no longer than the batch;
// - a response serializes to JSON that parses back to itself.
// Decoded arguments round-trip: an address, hash, quantity or byte string written back as JSON
// decodes to the same value, and a canonical quantity is written back as the input text; eth_call's
// state and block overrides (its third and fourth parameters, geth's `stateOverride` and
// `blockOverrides`) written back as JSON decode to the same overrides.

@main
enum FuzzJSONRPC {
    static func main() { Fuzz.main(test: fuzzJSONRPC, seeds: jsonRPCSeeds) }
}

let dispatcher = JSONRPCDispatcher(methods: stubMethods(), batchLimit: 20)
let knownCodes: Set<Int> = [-32700, -32600, -32601, -32602, -32603, -32000, 3]

func fuzzJSONRPC(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = Fuzz.bytes(data, size)
    let response = runBlocking { await dispatcher.handle(body: body) }
    guard let response else { return 0 }  // notifications only
    let serialized = response.serializedBytes
    Fuzz.check((try? JSON.parse(serialized)) == response, "a response does not round-trip: \(String(decoding: serialized, as: UTF8.self))")
    guard (try? JSON.parse(body)) != nil else {
        Fuzz.check(errorCode(of: response) == -32700 && response["id"] == .null, "a non-JSON body got \(response.serialized)")
        return 0
    }
    switch response {
    case .array(let responses):
        if case .array(let batch)? = try? JSON.parse(body) {
            Fuzz.check(responses.count <= max(1, batch.count), "\(responses.count) responses to a batch of \(batch.count)")
        }
        responses.forEach(checkResponse)
    default:
        checkResponse(response)
    }
    return 0
}

func checkResponse(_ response: JSON) {
    guard case .object(let members) = response else {
        Fuzz.check(false, "a response is not an object: \(response.serialized)")
        return
    }
    let names = members.map(\.0)
    Fuzz.check(names == ["jsonrpc", "id", "result"] || names == ["jsonrpc", "id", "error"], "response members \(names)")
    Fuzz.check(response["jsonrpc"] == .string("2.0"), "jsonrpc member \(String(describing: response["jsonrpc"]))")
    switch response["id"] {
    case .string?, .number?, .null?: break
    default: Fuzz.check(false, "response id \(String(describing: response["id"]))")
    }
    if response["error"] != nil {
        guard let code = errorCode(of: response) else {
            Fuzz.check(false, "an error without an integer code: \(response.serialized)")
            return
        }
        Fuzz.check(knownCodes.contains(code), "unexpected error code \(code): \(response.serialized)")
        guard case .string? = response["error"]?["message"] else {
            Fuzz.check(false, "an error without a message: \(response.serialized)")
            return
        }
    }
}

func errorCode(of response: JSON) -> Int? {
    guard case .number(let text)? = response["error"]?["code"] else { return nil }
    return Int(text)
}

/// Holds a result handed from a task to the waiting fuzz callback (the semaphore orders the accesses).
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs an async call to completion from the synchronous fuzz callback. The stub methods never
/// suspend, so `Task.immediate` (SE-0472) runs the whole call on this thread before returning and the
/// task is freed within the input: a task finished on another thread would leave an allocation
/// outstanding at the end of each input and make libFuzzer run a full leak scan every time.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.immediate {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Checks that a decoded value written back with `encode` decodes to itself, and that a canonical
/// input text is what `encode` writes.
func roundTrip<Value: Equatable>(_ input: JSON, _ value: Value, _ encode: (Value) -> JSON,
                                 _ decode: (JSON) throws(ArgumentError) -> Value, canonical: (String) -> Bool) {
    let written = encode(value)
    Fuzz.check((try? decode(written)) == value, "\(input.serialized) decodes to \(value), written back as \(written.serialized), which does not decode to it")
    if case .string(let text) = input, canonical(text) {
        Fuzz.check(written == input, "canonical \(text) written back as \(written.serialized)")
    }
}

func isCanonicalQuantity(_ text: String) -> Bool {
    let digits = text.utf8.dropFirst(2)
    return text.hasPrefix("0x") && !digits.isEmpty && (digits.count == 1 || digits.first != UInt8(ascii: "0"))
        && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
}

func isLowercaseData(_ text: String) -> Bool {
    text.hasPrefix("0x") && text.utf8.dropFirst(2).allSatisfy {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
    }
}

/// geth's `stateOverride` object of some account overrides (addresses and slots as lowercase hex).
func stateOverrideJSON(_ accounts: [Address: AccountOverride]) -> JSON {
    func slots(_ slots: [UInt256: UInt256]) -> JSON {
        .object(slots.keys.sorted().map { (Hex.encode($0.bigEndianBytes), .string(Hex.encode(slots[$0]!.bigEndianBytes))) })
    }
    return .object(accounts.keys.sorted().map { address in
        let account = accounts[address]!
        var members: [(String, JSON)] = []
        if let nonce = account.nonce { members.append(("nonce", Quantity.json(nonce))) }
        if let code = account.code { members.append(("code", Quantity.data(code))) }
        if let balance = account.balance { members.append(("balance", Quantity.json(balance))) }
        if let state = account.state { members.append(("state", slots(state))) }
        if let stateDiff = account.stateDiff { members.append(("stateDiff", slots(stateDiff))) }
        if let target = account.movePrecompileTo { members.append(("movePrecompileToAddress", Quantity.json(target))) }
        return (Hex.encode(address.bytes), .object(members))
    })
}

/// geth's `blockOverrides` object of some block overrides.
func blockOverridesJSON(_ block: BlockOverrides) -> JSON {
    var members: [(String, JSON)] = []
    if let number = block.number { members.append(("number", Quantity.json(number))) }
    if let difficulty = block.difficulty { members.append(("difficulty", Quantity.json(difficulty))) }
    if let time = block.time { members.append(("time", Quantity.json(time))) }
    if let gasLimit = block.gasLimit { members.append(("gasLimit", Quantity.json(gasLimit))) }
    if let feeRecipient = block.feeRecipient { members.append(("feeRecipient", Quantity.json(feeRecipient))) }
    if let prevRandao = block.prevRandao { members.append(("prevRandao", Quantity.json(prevRandao))) }
    if let baseFee = block.baseFeePerGas { members.append(("baseFeePerGas", Quantity.json(baseFee))) }
    if let blobBaseFee = block.blobBaseFee { members.append(("blobBaseFee", Quantity.json(blobBaseFee))) }
    if let beaconRoot = block.beaconRoot { members.append(("beaconRoot", Quantity.json(beaconRoot))) }
    if block.hasWithdrawals { members.append(("withdrawals", .array([]))) }
    return .object(members)
}

func stubMethods() -> RPCMethods {
    var methods = RPCMethods()
    methods.register("eth_chainId") { parameters throws(RPCError) in
        try parameters.expectAtMost(0)
        return Quantity.json(31_337 as UInt64)
    }
    methods.register("eth_getBalance") { parameters throws(RPCError) in
        try parameters.expectAtMost(2)
        let address = try parameters.required(0, HexArgument.address)
        roundTrip(parameters.values[0], address, Quantity.json, HexArgument.address, canonical: isLowercaseData)
        let block = try parameters.optional(1, BlockArgument.numberOrHash)
        return .array([Quantity.json(address), .string(block?.tag.description ?? "latest")])
    }
    methods.register("eth_getTransactionByHash") { parameters throws(RPCError) in
        try parameters.expectAtMost(1)
        let hash = try parameters.required(0, HexArgument.hash)
        roundTrip(parameters.values[0], hash, Quantity.json, HexArgument.hash, canonical: isLowercaseData)
        return Quantity.json(hash)
    }
    methods.register("eth_getBlockByNumber") { parameters throws(RPCError) in
        try parameters.expectAtMost(2)
        let tag = try parameters.required(0, BlockArgument.number)
        let full = try parameters.optional(1, SimpleArgument.bool) ?? false
        if case .number(let number) = tag {
            roundTrip(parameters.values[0], number, Quantity.json, { (json) throws(ArgumentError) in try HexArgument.uint64(json) },
                      canonical: isCanonicalQuantity)
        }
        return .array([.string(tag.description), .bool(full)])
    }
    methods.register("eth_getStorageAt") { parameters throws(RPCError) in
        try parameters.expectAtMost(3)
        _ = try parameters.required(0, HexArgument.address)
        let slot = try parameters.required(1, HexArgument.quantity)
        roundTrip(parameters.values[1], slot, Quantity.json, HexArgument.quantity, canonical: isCanonicalQuantity)
        _ = try parameters.optional(2, BlockArgument.numberOrHash)
        return Quantity.json(slot)
    }
    methods.register("eth_call") { parameters throws(RPCError) in
        try parameters.expectAtMost(4)
        _ = try parameters.required(0, CallArgument.decode)
        _ = try parameters.optional(1, BlockArgument.numberOrHash)
        if let accounts = try parameters.optional(2, OverrideArgument.state) {
            let written = stateOverrideJSON(accounts)
            Fuzz.check((try? OverrideArgument.state(written)) == accounts,
                       "state overrides \(parameters.values[2].serialized) written back as \(written.serialized) decode to others")
        }
        if let block = try parameters.optional(3, OverrideArgument.block) {
            let written = blockOverridesJSON(block)
            Fuzz.check((try? OverrideArgument.block(written)) == block,
                       "block overrides \(parameters.values[3].serialized) written back as \(written.serialized) decode to others")
        }
        return .string("0x")
    }
    methods.register("eth_estimateGas") { parameters throws(RPCError) in
        try parameters.expectAtMost(2)
        _ = try parameters.required(0, CallArgument.decode)
        return Quantity.json(21_000 as UInt64)
    }
    methods.register("eth_getLogs") { parameters throws(RPCError) in
        try parameters.expectAtMost(1)
        _ = try parameters.required(0, LogFilterArgument.decode)
        return .array([])
    }
    methods.register("eth_sendRawTransaction") { parameters throws(RPCError) in
        try parameters.expectAtMost(1)
        let raw = try parameters.required(0, HexArgument.bytes)
        roundTrip(parameters.values[0], raw, { Quantity.data($0) }, HexArgument.bytes, canonical: { $0.count > 2 && isLowercaseData($0) })
        do {
            let transaction = try Transaction(encoded: raw)
            return Quantity.json(transaction.hash)
        } catch {
            throw .server("rlp: \(error)")
        }
    }
    methods.register("eth_feeHistory") { parameters throws(RPCError) in
        try parameters.expectAtMost(3)
        let count = try parameters.required(0, SimpleArgument.integerOrQuantity)
        _ = try parameters.required(1, BlockArgument.number)
        return Quantity.json(count)
    }
    methods.register("web3_sha3") { parameters throws(RPCError) in
        try parameters.expectAtMost(1)
        return Quantity.json(Keccak256.hash(try parameters.required(0, HexArgument.bytes)))
    }
    methods.register("debug_echo") { parameters throws(RPCError) in
        _ = try parameters.optional(0, SimpleArgument.string)
        return .array(parameters.values)
    }
    methods.register("eth_reverts") { _ throws(RPCError) in
        throw .executionReverted([0x08, 0xc3, 0x79, 0xa0] + [UInt8](repeating: 0, count: 31) + [0x20]
                                 + [UInt8](repeating: 0, count: 31) + [2] + Array("no".utf8) + [UInt8](repeating: 0, count: 30))
    }
    return methods
}

func jsonRPCSeeds() -> [(name: String, bytes: [UInt8])] {
    let bodies: [(String, String)] = [
        ("chain-id", #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#),
        ("balance", #"{"jsonrpc":"2.0","id":2,"method":"eth_getBalance","params":["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","latest"]}"#),
        ("balance-by-hash", #"{"jsonrpc":"2.0","id":"x","method":"eth_getBalance","params":["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",{"blockHash":"0x00000000000000000000000000000000000000000000000000000000000000ff","requireCanonical":true}]}"#),
        ("block", #"{"jsonrpc":"2.0","id":3,"method":"eth_getBlockByNumber","params":["0x1b4",true]}"#),
        ("storage", #"{"jsonrpc":"2.0","id":4,"method":"eth_getStorageAt","params":["0x0000000000000000000000000000000000002000","0x0","pending"]}"#),
        ("call", #"{"jsonrpc":"2.0","id":5,"method":"eth_call","params":[{"from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":"0x0000000000000000000000000000000000002000","gas":"0x5208","maxFeePerGas":"0x3b9aca00","value":"0x1","input":"0x8da5cb5b","accessList":[{"address":"0x0000000000000000000000000000000000002000","storageKeys":["0x0000000000000000000000000000000000000000000000000000000000000001"]}],"type":"0x2"},"latest"]}"#),
        ("call-overrides", #"{"jsonrpc":"2.0","id":12,"method":"eth_call","params":[{"to":"0x0000000000000000000000000000000000002000","input":"0x8da5cb5b"},"latest",{"0x0000000000000000000000000000000000002000":{"code":"0x602a60005260206000f3","balance":"0xde0b6b3a7640000","nonce":"0x7","stateDiff":{"0x0000000000000000000000000000000000000000000000000000000000000001":"0x00000000000000000000000000000000000000000000000000000000000000ff"}},"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266":{"state":{"0x0000000000000000000000000000000000000000000000000000000000000000":"0x0000000000000000000000000000000000000000000000000000000000000001"},"movePrecompileToAddress":"0x0000000000000000000000000000000000000123"},"0x0000000000000000000000000000000000000001":null},{"number":"0x64","time":"0x6553f100","gasLimit":"0x1c9c380","feeRecipient":"0x0000000000000000000000000000000000000abc","prevRandao":"0x00000000000000000000000000000000000000000000000000000000000000aa","baseFeePerGas":"0x7","blobBaseFee":"0x1","difficulty":"0x0","BeaconRoot":null,"withdrawals":[]}]}"#),
        ("logs", #"{"jsonrpc":"2.0","id":6,"method":"eth_getLogs","params":[{"fromBlock":"0x0","toBlock":"latest","address":["0x0000000000000000000000000000000000002000"],"topics":[null,["0x00000000000000000000000000000000000000000000000000000000000000aa"]]}]}"#),
        ("fee-history", #"{"jsonrpc":"2.0","id":8,"method":"eth_feeHistory","params":[4,"latest",[25,75]]}"#),
        ("batch", #"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_chainId"},{"id":null,"method":"nope"},5,{"jsonrpc":"1.0","id":2,"method":"eth_chainId"}]"#),
        ("notification", #"{"jsonrpc":"2.0","method":"eth_chainId","params":null}"#),
        ("revert", #"{"jsonrpc":"2.0","id":9,"method":"eth_reverts"}"#),
        ("sha3", #"{"jsonrpc":"2.0","id":10,"method":"web3_sha3","params":["0x68656c6c6f"]}"#),
        ("bad-params", #"{"jsonrpc":"2.0","id":11,"method":"debug_echo","params":{"a":1}}"#),
        ("empty-batch", "[]"),
        ("not-json", "{\"jsonrpc\":"),
    ]
    var seeds = bodies.map { (name: $0.0, bytes: Array($0.1.utf8)) }
    // A raw transaction from Chain's encoder, signed by a public test key.
    guard let key = try? PrivateKey(bytes: Keccak256.hash(Array("GoldenGrain fuzz seed key".utf8)).bytes) else {
        fatalError("the seed key is not a valid secp256k1 key")
    }
    let transaction = Transaction.dynamicFee(chainId: 31_337, nonce: 9, maxPriorityFeePerGas: 1_000_000_000,
                                             maxFeePerGas: 30_000_000_000, gasLimit: 21_000,
                                             to: Address(high: 0, middle: 0, low: 0x2000), value: 5).signed(with: key)
    let raw = #"{"jsonrpc":"2.0","id":7,"method":"eth_sendRawTransaction","params":["\#(Hex.encode(transaction.encoded))"]}"#
    seeds.append((name: "raw-transaction", bytes: Array(raw.utf8)))
    return seeds
}
