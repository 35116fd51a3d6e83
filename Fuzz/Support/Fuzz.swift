import CFuzzerDriver
import Foundation

/// Shared pieces of the libFuzzer targets in Fuzz/ (issue 14 §2; docs/reliability.md, "Coverage-guided
/// fuzzing").
///
/// Each target is an executable built with `-sanitize=fuzzer,address` whose `@main` calls
/// `Fuzz.main(test:seeds:)`: libFuzzer's driver then calls the target's test function with every
/// input it tries and saves an input that crashes. (SwiftPM links an executable's `main` to its
/// module's entry point, so libFuzzer's own `main` cannot be used; `LLVMFuzzerRunDriver` is the
/// documented way in.) A target turns a broken property (a round trip that does not return its input, two
/// implementations that disagree) into a crash with `Fuzz.check`, so libFuzzer saves those inputs
/// too. Inputs that a parser rejects are fine: only a trap, a sanitizer report, a hang or a leak is
/// a finding.
///
/// Seeds: run a target with `GOLDENGRAIN_FUZZ_SEEDS=<dir>` and it writes the inputs its encoders
/// make into `<dir>` and exits (`scripts/fuzz.sh seeds`), so the checked-in seed
/// corpora under Fuzz/Corpus come from our own encoders and can be regenerated.
public enum Fuzz {
    /// A test function as libFuzzer calls it: the input's bytes and length; returns 0.
    public typealias Test = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer on `test` with the process's arguments, or writes the seeds and exits when
    /// `GOLDENGRAIN_FUZZ_SEEDS` is set.
    /// - Parameters:
    ///   - test: the target's test function.
    ///   - seeds: makes the target's named seed inputs.
    public static func main(test: Test, seeds: () -> [(name: String, bytes: [UInt8])]) -> Never {
        writeSeedsIfRequested(seeds)
        exit(goldengrain_fuzz_run_driver(CommandLine.argc, CommandLine.unsafeArgv, test))
    }

    /// The input libFuzzer passes, as an array.
    /// - Parameters:
    ///   - data: the input's first byte (nil for an empty input).
    ///   - size: the input's length.
    /// - Returns: the bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Stops the process with `message` when `condition` is false, so libFuzzer saves the input.
    /// - Parameters:
    ///   - condition: the property that must hold.
    ///   - message: what went wrong, with the values involved.
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String,
                             file: StaticString = #fileID, line: UInt = #line) {
        if !condition {
            fatalError("fuzz property failed: \(message())", file: file, line: line)
        }
    }

    /// Lowercase hex of some bytes, for messages.
    /// - Parameter bytes: the bytes.
    /// - Returns: two digits per byte, no prefix.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes a target's seeds and exits when `GOLDENGRAIN_FUZZ_SEEDS` names a directory; does nothing
    /// otherwise.
    /// - Parameter seeds: makes the named seed inputs (names become file names).
    public static func writeSeedsIfRequested(_ seeds: () -> [(name: String, bytes: [UInt8])]) {
        guard let variable = getenv("GOLDENGRAIN_FUZZ_SEEDS") else { return }
        let directory = String(cString: variable)
        guard !directory.isEmpty else { return }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var names = Set<String>()
            for seed in seeds() {
                precondition(names.insert(seed.name).inserted, "seed name \(seed.name) used twice")
                try Data(seed.bytes).write(to: folder.appendingPathComponent(seed.name))
            }
            print("wrote \(names.count) seeds to \(folder.path)")
            exit(0)
        } catch {
            fatalError("cannot write seeds to \(folder.path): \(error)")
        }
    }
}

/// Reads structured values out of a fuzz input, never failing: past the end every read returns
/// zeros or empty bytes, so any input maps to some value (libFuzzer's FuzzedDataProvider, in small).
public struct FuzzReader {
    /// The input.
    public let bytes: [UInt8]
    /// The next unread index.
    public private(set) var position = 0

    /// Creates a reader over an input.
    /// - Parameter bytes: the input.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { position >= bytes.count }

    /// The unread bytes.
    public var remaining: ArraySlice<UInt8> { bytes[min(position, bytes.count)...] }

    /// The next byte, or 0 past the end.
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// The next `count` bytes (fewer at the end).
    /// - Parameter count: how many.
    /// - Returns: up to `count` bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, position + max(0, count))
        defer { position = end }
        return Array(bytes[min(position, end) ..< end])
    }

    /// A big-endian integer of `byteCount` bytes (missing bytes read as zero).
    /// - Parameter byteCount: 1 to 8.
    /// - Returns: the value.
    public mutating func uint64(byteCount: Int = 8) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0 ..< byteCount { value = value << 8 | UInt64(byte()) }
        return value
    }

    /// A length-prefixed chunk: one length byte, or 0xff then a 2-byte big-endian length, then that
    /// many bytes.
    /// - Returns: the chunk (shorter if the input ends).
    public mutating func chunk() -> [UInt8] {
        var length = Int(byte())
        if length == 0xff { length = Int(uint64(byteCount: 2)) }
        return bytes(length)
    }

    /// Writes a chunk as `chunk()` reads it, for seeds.
    /// - Parameters:
    ///   - chunk: the bytes (at most 65,535).
    ///   - out: the input being built.
    public static func appendChunk(_ chunk: [UInt8], to out: inout [UInt8]) {
        precondition(chunk.count <= 0xffff, "a chunk holds at most 65535 bytes, got \(chunk.count)")
        if chunk.count < 0xff {
            out.append(UInt8(chunk.count))
        } else {
            out.append(0xff)
            out.append(UInt8(chunk.count >> 8))
            out.append(UInt8(chunk.count & 0xff))
        }
        out += chunk
    }
}

/// A small deterministic generator for seeds (SplitMix64), so regenerated seeds are the same bytes.
public struct SeedRandom {
    private var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: the starting state.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0 ..< count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
