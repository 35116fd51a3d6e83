import ArgumentParser
import Attestation
import Foundation
import Primitives
import Signatures

/// `goldengrain enclave`: the SIMULATED, INSECURE enclave for development chains.
struct Enclave: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "SIMULATED — INSECURE, FOR DEVELOPMENT ONLY: a fake SGX enclave whose quotes pass the real verifier when its test root is trusted.",
        subcommands: [EnclaveRoot.self, EnclaveQuote.self]
    )
}

/// `goldengrain enclave root [--out FILE]`: the simulated root CA.
struct EnclaveRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "root",
        abstract: "Print the SIMULATED test root CA (PEM) and its SHA-256, the value a dev genesis pins."
    )

    @Option(help: "Write the PEM to this file instead of printing it.")
    var out: String?

    func run() throws {
        let authority = SimulatedCertificateAuthority.standard
        print(SimulatedCertificateAuthority.warning)
        print("simulated SGX root CA SHA-256 (of DER): \(SimulatedCertificateAuthority.rootSHA256)")
        print("keys derived from the public label \"\(SimulatedCertificateAuthority.standardLabel) …\"; valid \(AttestFiles.date(SimulatedCertificateAuthority.notBefore)) to \(AttestFiles.date(SimulatedCertificateAuthority.notAfter))")
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(authority.rootPEM.utf8)) else {
                throw ValidationError("cannot write \(out)")
            }
            print("wrote \(out)")
        } else {
            print(authority.rootPEM, terminator: "")
        }
    }
}

/// `goldengrain enclave quote (--address 0x… | --report-data HEX | --key HEX) [--out FILE]`.
struct EnclaveQuote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Make a SIMULATED SGX DCAP v3 quote (hex on stdout, or raw bytes with --out).",
        discussion: """
        REPORTDATA is the address's 20 bytes followed by 44 zero bytes (docs/formats.md). With --key \
        the quote binds that key's address; with neither --address nor --report-data a fresh random \
        enclave key is made and its address bound. Messages and the banner go to standard error.
        """
    )

    @Option(help: "Bind this address in REPORTDATA (20 bytes, then zeros).")
    var address: String?

    @Option(help: "Use exactly these 64 bytes of REPORTDATA (hex).")
    var reportData: String?

    @Option(help: "The enclave's secp256k1 private key (hex); its address is bound. Default: random.")
    var key: String?

    @Option(help: "Write the raw quote to this file.")
    var out: String?

    func validate() throws {
        guard [address, reportData].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --address and --report-data")
        }
    }

    func run() throws {
        AttestFiles.printError(SimulatedCertificateAuthority.warning)
        let signingKey = try key.map { try PrivateKey(bytes: Hex.decode($0)) } ?? PrivateKey.generate()
        let enclave = SimulatedEnclave(signingKey: signingKey)
        let quote: [UInt8]
        if let reportData {
            quote = try enclave.quote(reportData: Hex.decode(reportData))
        } else if let address {
            quote = try enclave.quote(reportData: SimulatedEnclave.reportData(binding: Address(hex: address)))
        } else {
            AttestFiles.printError("enclave address \(enclave.address)\(key == nil ? " (fresh random key, not saved)" : "")")
            quote = enclave.registrationQuote()
        }
        AttestFiles.printError("MRENCLAVE \(SimulatedEnclave.mrEnclave), MRSIGNER \(SimulatedEnclave.mrSigner), \(quote.count) bytes")
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(quote)) else { throw ValidationError("cannot write \(out)") }
            AttestFiles.printError("wrote \(out)")
        } else {
            print(Hex.encode(quote))
        }
    }
}
