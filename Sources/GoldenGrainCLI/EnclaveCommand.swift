import ArgumentParser
import Attestation
import Foundation
import Primitives
import Signatures

/// `goldengrain enclave`: the SIMULATED, INSECURE enclave for development chains.
struct Enclave: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "SIMULATED — INSECURE, FOR DEVELOPMENT ONLY: a fake SGX enclave whose quotes pass the real verifier when its test root is trusted.",
        subcommands: [EnclaveRoot.self, EnclaveQuote.self, EnclaveCollateral.self, EnclaveKey.self, EnclaveServe.self]
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

/// `goldengrain enclave quote (--chain-id N --marketplace 0x… | --address 0x… | --report-data HEX)
/// [--key HEX | --dev-key] [--debug] [--out FILE]`.
struct EnclaveQuote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Make a SIMULATED SGX DCAP v3 quote (hex on stdout, or raw bytes with --out).",
        discussion: """
        With --chain-id and --marketplace the quote is for the marketplace's registerEnclave: \
        reportData0 = keccak256(enclave public key (64 bytes) ‖ chain id (32 bytes) ‖ marketplace \
        address (32 bytes)), reportData1 = --report-data1 or zeros (docs/formats.md). With --address \
        REPORTDATA is that address's 20 bytes and 44 zeros; with --report-data exactly those 64 bytes; \
        with none of them the enclave key's own address is bound. The enclave key is --key, the dev \
        chain's SIMULATED enclave key with --dev-key, or a fresh random one. --debug sets the DEBUG bit \
        of ATTRIBUTES (the quote still verifies; the marketplace refuses it). The enclave's address \
        and 64-byte public key, and all other messages, go to standard error.
        """
    )

    @Option(help: "Bind this address in REPORTDATA (20 bytes, then zeros).")
    var address: String?

    @Option(help: "Use exactly these 64 bytes of REPORTDATA (hex).")
    var reportData: String?

    @Option(name: .customLong("chain-id"), help: "The marketplace's chain id (with --marketplace).")
    var chainId: UInt64?

    @Option(help: "The marketplace contract's address (with --chain-id): bind the key, chain and contract.")
    var marketplace: String?

    @Option(name: .customLong("report-data1"), help: "With --marketplace: the enclave's own 32 bytes of reportData1 (hex; default zeros).")
    var reportData1: String?

    @Option(help: "The enclave's secp256k1 private key (hex). Default: random.")
    var key: String?

    @Flag(name: .customLong("dev-key"), help: "Use the dev chain's SIMULATED enclave key (public: anyone can sign as it).")
    var devKey = false

    @Flag(help: "Make a debug-mode enclave's quote: the DEBUG bit (0x2) of ATTRIBUTES set.")
    var debug = false

    @Option(help: "The SIMULATED platform: up-to-date (default), out-of-date or revoked (its PCK certificate; see `enclave collateral`).")
    var platform: SimulatedPlatform = .upToDate

    @Flag(name: .customLong("with-collateral"), help: "Append the SIMULATED collateral in the on-chain layout (quote ‖ collateral, as ATTESTATION_VERIFY and registerEnclave take it).")
    var withCollateral = false

    @Option(help: "Write the raw quote to this file.")
    var out: String?

    func validate() throws {
        let marketplaceMode = chainId != nil || marketplace != nil
        if marketplaceMode && (chainId == nil || marketplace == nil) {
            throw ValidationError("--chain-id and --marketplace go together: give both (got \(chainId == nil ? "only --marketplace" : "only --chain-id"))")
        }
        guard [address, reportData].compactMap({ $0 }).count + (marketplaceMode ? 1 : 0) <= 1 else {
            throw ValidationError("give at most one of --address, --report-data and --chain-id/--marketplace")
        }
        if reportData1 != nil && !marketplaceMode {
            throw ValidationError("--report-data1 needs --chain-id and --marketplace")
        }
        if key != nil && devKey { throw ValidationError("give at most one of --key and --dev-key") }
    }

    func run() throws {
        AttestFiles.printError(SimulatedCertificateAuthority.warning)
        let signingKey: PrivateKey
        if devKey {
            signingKey = SimulatedEnclave.devEnclaveKey
        } else if let key {
            signingKey = try EnclaveKeys.parse(key, option: "--key")
        } else {
            signingKey = PrivateKey.generate()
        }
        let enclave = SimulatedEnclave(signingKey: signingKey, isDebug: debug, platform: platform)
        let keyNote = devKey ? " (the dev chain's SIMULATED enclave key: public, anyone can sign as it)"
            : key == nil ? " (fresh random key, not saved)" : ""
        AttestFiles.printError("enclave address \(enclave.address)\(keyNote)")
        AttestFiles.printError("enclave public key \(Hex.encode(enclave.publicKeyBytes))")
        var quote: [UInt8]
        if let chainId, let marketplace {
            let marketplaceAddress = try EnclaveKeys.address(marketplace, option: "--marketplace")
            var ownWord = Hash32.zero
            if let reportData1 {
                let bytes = try EnclaveKeys.hex(reportData1, option: "--report-data1")
                guard bytes.count == 32 else {
                    throw ValidationError("--report-data1 \(reportData1): expected 32 bytes of hex, got \(bytes.count)")
                }
                ownWord = Hash32(bytes)
            }
            quote = enclave.marketplaceQuote(chainId: chainId, marketplace: marketplaceAddress, reportData1: ownWord)
            AttestFiles.printError("REPORTDATA binds this key to marketplace \(marketplaceAddress) on chain \(chainId): reportData0 \(SimulatedEnclave.marketplaceReportData0(publicKey: enclave.publicKey, chainId: chainId, marketplace: marketplaceAddress))")
        } else if let reportData {
            quote = try enclave.quote(reportData: Hex.decode(reportData))
        } else if let address {
            quote = try enclave.quote(reportData: SimulatedEnclave.reportData(binding: Address(hex: address)))
        } else {
            quote = enclave.registrationQuote()
        }
        AttestFiles.printError("MRENCLAVE \(SimulatedEnclave.mrEnclave), MRSIGNER \(SimulatedEnclave.mrSigner), ATTRIBUTES flags \(AttestFiles.flagsText(enclave.attributesFlags)), platform \(platform), \(quote.count) bytes")
        if withCollateral {
            let collateral = SimulatedCollateral.standard.wireEncoded
            quote += collateral
            AttestFiles.printError("followed by the SIMULATED collateral in the on-chain layout (\(collateral.count) bytes): \(quote.count) bytes in all")
        }
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(quote)) else { throw ValidationError("cannot write \(out)") }
            AttestFiles.printError("wrote \(out)")
        } else {
            print(Hex.encode(quote))
        }
    }
}

/// `goldengrain enclave key [--dev] [--out FILE]`: an enclave key's address and public key.
struct EnclaveKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print a SIMULATED enclave key's address and 64-byte public key (a fresh key, or the dev chain's with --dev).",
        discussion: """
        Standard output has one `name value` pair a line: address, publicKey (64 bytes, x ‖ y, the \
        form registerEnclave takes) and, for the public dev key only, privateKey. --out writes the \
        private key as hex (the form `enclave quote --key` and the worker read).
        """
    )

    @Flag(help: "The dev chain's SIMULATED enclave key, keccak256(\"\(SimulatedEnclave.devEnclaveKeyLabel)\"): public, anyone can sign as it.")
    var dev = false

    @Option(help: "Write the private key (hex) to this file.")
    var out: String?

    func run() throws {
        AttestFiles.printError(SimulatedCertificateAuthority.warning)
        let key = dev ? SimulatedEnclave.devEnclaveKey : PrivateKey.generate()
        if dev {
            AttestFiles.printError("the dev chain's SIMULATED enclave key, derived from the public label \"\(SimulatedEnclave.devEnclaveKeyLabel)\"")
        } else if out == nil {
            AttestFiles.printError("a fresh random key; it is not saved: pass --out FILE to keep it")
        }
        print("address \(key.address)")
        print("publicKey \(Hex.encode(key.publicKey.bytes))")
        if dev { print("privateKey \(Hex.encode(key.bytes))") }
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data((Hex.encode(key.bytes) + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(out)")
            }
            AttestFiles.printError("wrote the private key to \(out)")
        }
    }
}

/// Parsing the enclave commands' hex arguments, with errors that name the option and the value.
enum EnclaveKeys {
    static func hex(_ text: String, option: String) throws -> [UInt8] {
        do { return try Hex.decode(text) } catch {
            throw ValidationError("\(option) \(text): expected hex (\(error))")
        }
    }

    static func parse(_ text: String, option: String) throws -> PrivateKey {
        let bytes = try hex(text.trimmingCharacters(in: .whitespacesAndNewlines), option: option)
        do { return try PrivateKey(bytes: bytes) } catch {
            throw ValidationError("\(option): expected a secp256k1 private key, 32 bytes of hex in [1, n−1] (\(error))")
        }
    }

    static func address(_ text: String, option: String) throws -> Address {
        do { return try Address(hex: text) } catch {
            throw ValidationError("\(option) \(text): expected a 20-byte address as 0x-prefixed hex (\(error))")
        }
    }
}
