import ArgumentParser
import Foundation
import Inference
import Primitives

/// `goldengrain model`: train, quantize, score and encrypt models (DESIGN.md §7).
struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train, quantize, evaluate and encrypt models (GGF float, GGM int8).",
        subcommands: [ModelTrain.self, ModelQuantize.self, ModelEval.self, ModelEncrypt.self, ModelDecrypt.self,
                      ModelGEMMBench.self, ModelGasMeasure.self]
    )
}

/// File helpers shared by the model subcommands.
enum ModelFiles {
    /// The digits set shipped in Examples/digits.
    static let defaultDataset = "Examples/digits"

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return [UInt8](data)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw ValidationError("cannot write \(path)")
        }
    }

    /// Loads `DIR/NAME.ggd`.
    static func dataset(_ directory: String, split: String) throws -> Dataset {
        let path = (directory as NSString).appendingPathComponent("\(split).ggd")
        return try Dataset(bytes: read(path))
    }

    /// Reads 32 key bytes from hex (with or without 0x) given inline or in a file.
    static func key(hex: String?, file: String?) throws -> [UInt8] {
        let text: String
        switch (hex, file) {
        case (let hex?, nil): text = hex
        case (nil, let file?): text = String(decoding: try read(file), as: UTF8.self)
        default: throw ValidationError("give exactly one of --key and --key-file")
        }
        var digits = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if digits.hasPrefix("0x") { digits.removeFirst(2) }
        guard digits.count == 64, let key = try? [UInt8](hex: "0x" + digits) else {
            throw ValidationError("key must be 32 bytes of hex (64 digits), got \(digits.count) characters")
        }
        return key
    }
}
