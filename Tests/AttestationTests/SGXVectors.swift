import Attestation
import Foundation
import Primitives
import Testing
import TestSupport

/// The real Intel SGX DCAP quotes in ../shared/vectors/sgx, read in place, with the fields their
/// README lists (copied from that README, never from the verifier's output).
struct SGXVector: Sendable, CustomTestStringConvertible {
    let folder: String
    let length: Int
    let mrEnclave: String
    let mrSigner: String
    let isvProdID: UInt16
    let isvSVN: UInt16
    let reportData: [UInt8]
    /// Whether the ISV enclave runs in debug mode (issue 11: automata_solana_sgx_v3 has the DEBUG
    /// bit, the other two do not).
    let isDebug: Bool

    var testDescription: String { folder }

    /// The quote bytes.
    var quote: [UInt8] { SGXVectors.read("\(folder)/quote.bin") }

    /// The ISV report's ATTRIBUTES flags read straight from the quote bytes, not through the parser:
    /// in the DCAP v3 layout the ISV report body starts after the 48-byte header and ATTRIBUTES is
    /// at offset 48 of the report body (after CPUSVN 16, MISCSELECT 4, reserved 28), so the flags
    /// are the 8 little-endian bytes at quote offset 96 (Intel SGX ECDSA Quote Library API, App. A).
    var rawAttributesFlags: UInt64 {
        quote[96..<104].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// The README's expected fields for the three SGX v3 quotes.
    static let all: [SGXVector] = [
        SGXVector(folder: "phala_sgx_v3", length: 4600,
                  mrEnclave: "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
                  mrSigner: "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6",
                  isvProdID: 0, isvSVN: 0,
                  reportData: Array("Hello, world!".utf8) + [UInt8](repeating: 0, count: 51), isDebug: false),
        SGXVector(folder: "automata_sgx_v3", length: 4734,
                  mrEnclave: "a4f45c39dac622cb1dd32ddb35a52ec92db41d0fa88a1c911c49e59c534f61cd",
                  mrSigner: "8f2dbc0f9c5d3378d596974b2deed1f93223cc49242899f83809bcc92546132c",
                  isvProdID: 0, isvSVN: 0,
                  reportData: [UInt8](repeating: 0, count: 64), isDebug: false),
        SGXVector(folder: "automata_solana_sgx_v3", length: 4600,
                  mrEnclave: "a39d532e6ac9fe8ad9418851bbe26e1dee7408006505fce8580b511b97e704b4",
                  mrSigner: "9affcfae47b848ec2caf1c49b4b283531e1cc425f93582b36806e52a43d78d1a",
                  isvProdID: 0, isvSVN: 0,
                  reportData: [UInt8](repeating: 0, count: 31) + [0x03]
                      + SGXVectors.bytes("c0d8928bbe2b5cee5253a3ccff2fb0a21e4f99adb1c972f1c4796423275e0fff"),
                  isDebug: true),
    ]
}

/// Locations of the shared vectors and helpers for the Attestation tests.
enum SGXVectors {
    /// ../shared/vectors/sgx, read in place.
    static let folder = TestFiles.vectors.appendingPathComponent("sgx")

    /// 2026-01-01T00:00:00Z, inside every PCK certificate's validity window (README).
    static let verificationTime: UInt64 = 1_767_225_600

    /// SHA-256 of intel_sgx_root_ca.der, from the README.
    static let intelRootSHA256 = "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3"

    /// Reads a vector file.
    static func read(_ relativePath: String) -> [UInt8] {
        do { return try TestFiles.bytes(at: folder.appendingPathComponent(relativePath)) } catch {
            fatalError("\(error)")
        }
    }

    /// The Intel SGX Root CA as a trusted root.
    static let intelRoot: TrustedRoot = {
        do { return try TrustedRoot(der: read("intel_sgx_root_ca.der")) } catch { fatalError("Intel root: \(error)") }
    }()

    /// A verifier trusting only the Intel SGX Root CA.
    static let intelVerifier = QuoteVerifier(trustedRoots: [intelRoot])

    /// Hex to bytes, for literals in the tests.
    static func bytes(_ hex: String) -> [UInt8] {
        do { return try Hex.decode(hex) } catch { fatalError("bad hex literal in a test: \(hex)") }
    }

    /// The error a throwing verification produced, or `nil` if it succeeded.
    static func error(verifying quote: [UInt8], with verifier: QuoteVerifier = intelVerifier,
                      at time: UInt64 = verificationTime) -> AttestationError? {
        do {
            _ = try verifier.verify(quote, at: time)
            return nil
        } catch {
            return error
        }
    }
}
