import Foundation
import Primitives

/// A contract the gas report can name, read from an `--abi` file: a build artifact (an object with
/// `abi` and optionally `bytecode`/`deployedBytecode`, as Contracts/build/*.json, solc's and
/// Foundry's artifacts, where the code may also sit under `"object"`), or a plain JSON ABI array.
///
/// Artifacts with code are matched by code: a creation by its input starting with `bytecode`
/// (constructor arguments follow), a called contract by its code starting with `deployedBytecode`
/// (Vyper appends immutables after the runtime code). Plain ABIs, and artifacts without code, are
/// matched by the selector of the call.
public struct GasReportSource: Sendable {
    /// The name shown: "source:contractName" when the artifact names both (as forge's identifiers),
    /// else its contractName, else the file's name without ".json" (and ".abi").
    public let name: String
    /// The interface.
    public let abi: ContractABI
    /// Init code, if the artifact has it.
    public let initCode: [UInt8]?
    /// Runtime code, if the artifact has it.
    public let runtimeCode: [UInt8]?
    /// Selector → function.
    let functionsBySelector: [[UInt8]: ABIFunction]

    /// Creates a source.
    /// - Parameters:
    ///   - name: the name shown.
    ///   - abi: the interface.
    ///   - initCode: init code (empty counts as none).
    ///   - runtimeCode: runtime code (empty counts as none).
    public init(name: String, abi: ContractABI, initCode: [UInt8]? = nil, runtimeCode: [UInt8]? = nil) {
        self.name = name
        self.abi = abi
        self.initCode = initCode?.isEmpty == false ? initCode : nil
        self.runtimeCode = runtimeCode?.isEmpty == false ? runtimeCode : nil
        var table: [[UInt8]: ABIFunction] = [:]
        for function in abi.functions where table[function.selector] == nil { table[function.selector] = function }
        functionsBySelector = table
    }

    /// Whether the report matches this contract by its code (else by selector).
    public var isMatchedByCode: Bool { initCode != nil || runtimeCode != nil }

    /// The function a call's input selects, if any.
    /// - Parameter input: the call data.
    /// - Returns: the function.
    public func function(forInput input: [UInt8]) -> ABIFunction? {
        guard input.count >= 4 else { return nil }
        return functionsBySelector[Array(input.prefix(4))]
    }

    /// Reads an `--abi` file.
    /// - Parameter path: the file.
    /// - Returns: the source.
    /// - Throws: `GasReportError.badABIFile` naming the file and what is wrong.
    public static func load(path: String) throws(GasReportError) -> GasReportSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badABIFile(path: path, reason: "cannot read the file")
        }
        let json: JSON
        do { json = try JSON.parse(Array(data)) } catch {
            throw .badABIFile(path: path, reason: "\(error); expected a JSON ABI array or an artifact object with \"abi\"")
        }
        let abi: ContractABI
        do { abi = try ContractABI(json: json) } catch {
            throw .badABIFile(path: path, reason: "\(error)")
        }
        var fileName = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".json", ".abi"] where fileName.hasSuffix(suffix) { fileName.removeLast(suffix.count) }
        var name = fileName
        if let contractName = json["contractName"]?.stringValue, !contractName.isEmpty {
            name = contractName
            if let source = (json["source"] ?? json["sourceName"])?.stringValue, !source.isEmpty {
                name = source + ":" + contractName
            }
        }
        return GasReportSource(name: name, abi: abi,
                               initCode: try code(json["bytecode"], member: "bytecode", path: path),
                               runtimeCode: try code(json["deployedBytecode"], member: "deployedBytecode", path: path))
    }

    /// Code given as "0x…" or as {"object": "0x…"} (Foundry, solc standard JSON).
    static func code(_ json: JSON?, member: String, path: String) throws(GasReportError) -> [UInt8]? {
        guard let json, !json.isNull else { return nil }
        guard let text = json.stringValue ?? json["object"]?.stringValue else {
            throw .badABIFile(path: path, reason: "\"\(member)\" is neither a hex string nor an object with \"object\"")
        }
        if text.isEmpty || text == "0x" { return nil }
        do { return try Hex.decode(text.hasPrefix("0x") ? text : "0x" + text) } catch {
            throw .badABIFile(path: path, reason: "\"\(member)\" is not hex (\(error)); unlinked library placeholders are not supported")
        }
    }
}

/// Why a gas report could not be made.
public enum GasReportError: Error, Sendable, CustomStringConvertible {
    /// An `--abi` file that is not an ABI or artifact.
    case badABIFile(path: String, reason: String)
    /// A block range that does not exist or is reversed.
    case badRange(String)
    /// The node failed.
    case rpc(RPCClientError)

    public var description: String {
        switch self {
        case .badABIFile(let path, let reason): return "--abi \(path): \(reason)"
        case .badRange(let message): return message
        case .rpc(let error): return "\(error)"
        }
    }
}
