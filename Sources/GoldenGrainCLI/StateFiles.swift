import ArgumentParser
import Chain
import Foundation
import Primitives
import State

/// anvil's state files for `goldengrain node --dev`: `--load-state` / `--state` read one at start,
/// `--dump-state` / `--state` write one on shutdown. The file is anvil's `SerializableState` JSON
/// (`AnvilState`), plain as anvil writes it (gzip is read too); a directory stands for
/// `<dir>/state.json`, as in anvil.
enum StateFiles {
    /// The file a path names: itself, or `state.json` inside it when it is a directory.
    static func file(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return (path as NSString).appendingPathComponent("state.json")
        }
        return path
    }

    /// Whether the path names an existing state file.
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: file(path)) }

    /// Merges a state file into the node's head state.
    /// - Parameters:
    ///   - path: the file or directory.
    ///   - node: the node.
    ///   - flag: the option it came from, for messages.
    /// - Throws: `ValidationError` naming the file and what is wrong with it.
    static func load(_ path: String, into node: Node, flag: String) throws {
        let file = file(path)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("\(flag) \(file): cannot read the file")
        }
        let accounts: [Address: DumpedAccount]
        do { accounts = try AnvilState.accounts(from: [UInt8](data)) } catch {
            throw ValidationError("\(flag) \(file): \(error)")
        }
        try node.loadState(accounts)
        NodeStartup.say("Loaded \(accounts.count) accounts from \(file) (\(flag))")
    }

    /// Writes the node's state as an anvil state file, atomically; a failure is reported and the
    /// shutdown goes on.
    /// - Parameters:
    ///   - node: the node.
    ///   - path: the file or directory.
    static func dump(_ node: Node, to path: String) {
        let file = file(path)
        do {
            let dump = try node.dumpState()
            let bytes = AnvilState.json(of: dump).serializedBytes
            try Data(bytes).write(to: URL(fileURLWithPath: file), options: .atomic)
            NodeStartup.say("Dumped the state (\(dump.accounts.count) accounts, block \(dump.blockNumber)) to \(file)")
        } catch {
            FileHandle.standardError.write(Data("could not dump the state to \(file): \(error)\n".utf8))
        }
    }
}
