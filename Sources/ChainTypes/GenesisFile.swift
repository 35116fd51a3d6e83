import Foundation

/// Reads a genesis file's bytes (kept apart so only this file touches the file system).
enum GenesisFile {
    static func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
