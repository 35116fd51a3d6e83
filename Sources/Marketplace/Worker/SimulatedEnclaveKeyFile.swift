import Foundation
import Primitives
import Signatures

/// The SIMULATED enclave worker's secp256k1 key, kept in its data directory as
/// `enclave-key.SIMULATED.hex` (mode 0600): comment lines saying what it is, then the private key
/// as hex. A real enclave would make this key inside the TEE and never let it out; the simulation
/// keeps it in an ordinary file, so anyone who can read the file can sign as the enclave.
public enum SimulatedEnclaveKeyFile {
    /// The file's name inside the data directory.
    public static let fileName = "enclave-key.SIMULATED.hex"

    /// Reads the key in `datadir`, or makes a fresh one and writes it there.
    /// - Parameter datadir: the worker's data directory (created if missing).
    /// - Returns: the key and whether it was made now.
    /// - Throws: `SimulatedEnclaveKeyFileError` if the file cannot be written or does not hold a key.
    public static func loadOrCreate(datadir: String) throws(SimulatedEnclaveKeyFileError) -> (key: PrivateKey, created: Bool) {
        let path = (datadir as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) { return (try load(path: path), false) }
        do {
            try FileManager.default.createDirectory(atPath: datadir, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: datadir, reason: "\(error)")
        }
        let key = PrivateKey.generate()
        let text = """
        # SIMULATED enclave key — INSECURE: an ordinary file, not sealed inside a TEE.
        # GoldenGrain development only. Whoever reads this file can sign results as the enclave.
        # address \(key.address)
        # publicKey \(Hex.encode(key.publicKey.bytes))
        \(Hex.encode(key.bytes))

        """
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .cannotWrite(path: path, reason: "cannot create the file")
        }
        return (key, true)
    }

    /// Reads a key file: `#` comment lines and one line of hex (with or without 0x).
    /// - Parameter path: the file.
    /// - Returns: the key.
    /// - Throws: `SimulatedEnclaveKeyFileError.invalid` naming what the file holds instead.
    public static func load(path: String) throws(SimulatedEnclaveKeyFileError) -> PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else { throw .cannotRead(path: path) }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1 else {
            throw .invalid(path: path, reason: "\(lines.count) key lines, expected exactly one line of 64 hex digits")
        }
        do {
            let bytes = try Hex.decode(lines[0].hasPrefix("0x") ? lines[0] : "0x" + lines[0])
            return try PrivateKey(bytes: bytes)
        } catch {
            throw .invalid(path: path, reason: "expected a secp256k1 private key as 64 hex digits: \(error)")
        }
    }
}

/// Why the SIMULATED enclave key file could not be used.
public enum SimulatedEnclaveKeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file exists but cannot be read.
    case cannotRead(path: String)
    /// The file or its directory cannot be written.
    case cannotWrite(path: String, reason: String)
    /// The file does not hold one private key.
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let path): return "cannot read the SIMULATED enclave key file \(path)"
        case .cannotWrite(let path, let reason): return "cannot write the SIMULATED enclave key file \(path): \(reason)"
        case .invalid(let path, let reason): return "SIMULATED enclave key file \(path): \(reason)"
        }
    }
}
