import ArgumentParser
import Attestation
import EVM
import Foundation
import Primitives
import Signatures

/// `goldengrain attest`: verify and inspect Intel SGX DCAP v3 quotes, and measure their cost.
struct Attest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify and inspect Intel SGX DCAP v3 quotes (the ATTESTATION_VERIFY precompile's checks).",
        subcommands: [AttestVerify.self, AttestInspect.self, AttestMeasure.self]
    )
}

/// Reading quotes and roots from files, shared by the attest and enclave commands.
enum AttestFiles {
    /// Reads a quote: raw bytes, or hex text (with or without 0x, whitespace ignored).
    static func readQuote(_ path: String) throws -> [UInt8] {
        let bytes = try readBytes(path)
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        if !text.isEmpty, text.allSatisfy({ $0.isHexDigit || $0 == "x" || $0 == "X" }),
           let decoded = try? Hex.decode(text) {
            return decoded
        }
        return bytes
    }

    /// Reads a trusted root from a PEM file (text around the first certificate block is ignored,
    /// as `openssl x509` ignores it) or a DER file.
    static func readRoot(_ path: String) throws -> TrustedRoot {
        let bytes = try readBytes(path)
        let text = String(decoding: bytes, as: UTF8.self)
        if let begin = text.range(of: "-----BEGIN CERTIFICATE-----"),
           let end = text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex) {
            return try TrustedRoot(pem: String(text[begin.lowerBound..<end.upperBound]) + "\n")
        }
        return try TrustedRoot(der: bytes)
    }

    /// Reads collateral: a file is dcap-qvl's collateral.json (or, if it starts with "GGC1", the
    /// on-chain layout); a directory holds Intel PCS files: tcb_info*.json, qe_identity*.json, the
    /// TCB Signing chain as PEM (*.pem), and the CRLs as DER or PEM (*crl.der / *crl.pem; the one
    /// whose name contains "root" is the Root CA CRL, the other the PCK CRL).
    static func readCollateral(_ path: String) throws -> Collateral {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("--collateral \(path): no such file or directory")
        }
        do {
            guard isDirectory.boolValue else {
                let bytes = try readBytes(path)
                if bytes.starts(with: Collateral.wireMagic) { return try Collateral(wire: bytes[...]) }
                return try Collateral(dcapQVLJSON: bytes)
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            func one(_ what: String, _ matches: (String) -> Bool) throws -> [UInt8] {
                let found = names.filter(matches)
                guard found.count == 1 else {
                    throw ValidationError("--collateral \(path): expected exactly one \(what), found \(found.isEmpty ? "none" : found.joined(separator: ", "))")
                }
                return try readBytes((path as NSString).appendingPathComponent(found[0]))
            }
            let lower = { (name: String) in name.lowercased() }
            let isCRL = { (name: String) in lower(name).hasSuffix("crl.der") || lower(name).hasSuffix("crl.pem") }
            return try Collateral(
                tcbInfoFile: one("TCB Info file (tcb_info*.json)") { lower($0).hasPrefix("tcb_info") && lower($0).hasSuffix(".json") },
                qeIdentityFile: one("QE Identity file (qe_identity*.json)") { lower($0).hasPrefix("qe_identity") && lower($0).hasSuffix(".json") },
                tcbSigningChainPEM: one("TCB Signing chain (*.pem, not a CRL)") { lower($0).hasSuffix(".pem") && !isCRL($0) },
                rootCACRL: one("Root CA CRL (*root*crl.der)") { isCRL($0) && lower($0).contains("root") },
                pckCRL: one("PCK CRL (*crl.der without \"root\" in its name)") { isCRL($0) && !lower($0).contains("root") })
        } catch let error as AttestationError {
            throw ValidationError("--collateral \(path): \(error)")
        }
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return [UInt8](data)
    }

    /// An ISO 8601 rendering of a Unix time, for messages.
    static func date(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The roots chosen on the command line.
    static func roots(paths: [String], simulatedRoot: Bool) throws -> [TrustedRoot] {
        var roots = try paths.map(readRoot)
        if simulatedRoot {
            printError("\(SimulatedCertificateAuthority.warning): trusting the SIMULATED test root")
            roots.append(SimulatedCertificateAuthority.standard.trustedRoot)
        }
        guard !roots.isEmpty else {
            throw ValidationError("no trusted root: pass --root FILE (for real quotes the Intel SGX Root CA, e.g. ../shared/vectors/sgx/intel_sgx_root_ca.pem) or --simulated-root")
        }
        return roots
    }

    /// ATTRIBUTES flags for people: the hex value, the names of the bits set, and whether DEBUG is set
    /// ("0x7 (INIT, DEBUG, MODE64BIT) — DEBUG: the enclave's memory is open to the host").
    static func flagsText(_ flags: UInt64) -> String {
        let names: [(UInt64, String)] = [(0x1, "INIT"), (0x2, "DEBUG"), (0x4, "MODE64BIT"), (0x10, "PROVISIONKEY"),
                                         (0x20, "EINITTOKEN_KEY"), (0x80, "KSS"), (0x400, "AEXNOTIFY")]
        let set = names.filter { flags & $0.0 != 0 }.map(\.1)
        let known = names.reduce(UInt64(0)) { $0 | $1.0 }
        let other = flags & ~known
        let list = set + (other != 0 ? ["other 0x\(String(other, radix: 16))"] : [])
        let debug = flags & ReportBody.debugFlag != 0
            ? " — DEBUG: a debug-mode enclave, its memory open to the host; it attests nothing"
            : " — not debug"
        return "0x\(String(flags, radix: 16)) (\(list.joined(separator: ", ")))\(debug)"
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// `goldengrain attest verify QUOTE [--root FILE]... [--simulated-root] [--at UNIX_TIME] [--json]`.
struct AttestVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a quote and print the attested fields, or the check that failed (exit status 1).",
        discussion: """
        Runs the five checks of docs/formats.md in order: structure, PCK certificate chain up to a \
        trusted root, QE report signature, QE report data binding, ISV report signature. There is no \
        default root: pass the Intel SGX Root CA for real quotes, or --simulated-root for quotes from \
        `goldengrain enclave quote`. --at defaults to the current time for this command only; the \
        precompile always uses the block timestamp.
        """
    )

    @Argument(help: "The quote file: raw bytes or hex.")
    var quote: String

    @Option(name: .customLong("root"), help: "A trusted root CA certificate (PEM or DER file). Repeatable.")
    var roots: [String] = []

    @Flag(help: "Also trust the SIMULATED, INSECURE test root of `goldengrain enclave`.")
    var simulatedRoot = false

    @Option(name: [.customLong("at"), .customLong("time")], help: "Check certificate and collateral validity at this Unix time (default: now).")
    var time: UInt64?

    @Option(help: ArgumentHelp("Also check Intel's collateral and print the TCB status and advisories: dcap-qvl's collateral.json, a file in the on-chain layout, or a directory of Intel PCS files (tcb_info*.json, qe_identity*.json, the TCB Signing chain *.pem, *root*crl.der and the PCK *crl.der).", valueName: "FILE|DIR"))
    var collateral: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let verifier = QuoteVerifier(trustedRoots: try AttestFiles.roots(paths: roots, simulatedRoot: simulatedRoot))
        let bytes = try AttestFiles.readQuote(quote)
        let collateralValue = try collateral.map(AttestFiles.readCollateral)
        let at = time ?? UInt64(Date().timeIntervalSince1970)
        do {
            let verified: VerifiedQuote
            if let collateralValue {
                verified = try verifier.verify(bytes, collateral: collateralValue, at: at)
            } else {
                verified = try verifier.verify(bytes, at: at)
            }
            let tcb = verified.tcb
            let isSimulated = verified.rootKeyHash == SimulatedCertificateAuthority.rootSHA256
            if json {
                print("""
                {"verified":true,"time":\(at),"mrEnclave":"\(verified.mrEnclave)","mrSigner":"\(verified.mrSigner)",\
                "isvProdId":\(verified.isvProdID),"isvSvn":\(verified.isvSVN),\
                "attributesFlags":"0x\(String(verified.attributesFlags, radix: 16))","debug":\(verified.isDebug),"reportData":"\(Hex.encode(verified.reportData))",\
                "rootKeyHash":"\(verified.rootKeyHash)","simulated":\(isSimulated)\(tcb.map(Self.tcbJSON) ?? "")}
                """)
            } else {
                if isSimulated { print(SimulatedCertificateAuthority.warning) }
                print("quote verified at \(at) (\(AttestFiles.date(Int64(clamping: at))))")
                print("MRENCLAVE    \(verified.mrEnclave)")
                print("MRSIGNER     \(verified.mrSigner)")
                print("ISVPRODID    \(verified.isvProdID)")
                print("ISVSVN       \(verified.isvSVN)")
                print("ATTRIBUTES   flags \(AttestFiles.flagsText(verified.attributesFlags))")
                print("REPORTDATA   \(Hex.encode(verified.reportData))")
                print("root SHA-256 \(verified.rootKeyHash)\(isSimulated ? " (SIMULATED, INSECURE test root)" : "")")
                if let tcb {
                    print("TCB status   \(tcb.status) (on-chain code \(tcb.status.code); platform \(tcb.platformStatus), QE \(tcb.qeStatus))")
                    print("advisories   \(tcb.advisoryIDs.isEmpty ? "none" : tcb.advisoryIDs.joined(separator: ", "))")
                    print("collateral   issued \(tcb.collateralIssueDate) (\(AttestFiles.date(tcb.collateralIssueDate))), earliest of TCB Info, QE Identity and CRLs")
                } else {
                    print("TCB status   not evaluated (no --collateral)")
                }
            }
        } catch {
            let check = error.check?.rawValue ?? "none"
            if json {
                let message = error.description.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                print("{\"verified\":false,\"time\":\(at),\"check\":\"\(check)\",\"error\":\"\(message)\"}")
            } else {
                AttestFiles.printError("quote rejected by the \(error.check?.description ?? "input") check: \(error)")
            }
            throw ExitCode(1)
        }
    }

    /// The TCB members of the JSON output.
    static func tcbJSON(_ tcb: TCBEvaluation) -> String {
        let advisories = tcb.advisoryIDs.map { "\"\($0)\"" }.joined(separator: ",")
        return ",\"tcbStatus\":\"\(tcb.status)\",\"tcbStatusCode\":\(tcb.status.code),\"platformStatus\":\"\(tcb.platformStatus)\","
            + "\"qeStatus\":\"\(tcb.qeStatus)\",\"advisoryIDs\":[\(advisories)],\"collateralIssueDate\":\(tcb.collateralIssueDate)"
    }
}

/// `goldengrain attest inspect QUOTE`: the parsed structure, without verifying signatures.
struct AttestInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a quote's parsed structure: header, reports, lengths and certificates (nothing is verified)."
    )

    @Argument(help: "The quote file: raw bytes or hex.")
    var quote: String

    func run() throws {
        let bytes = try AttestFiles.readQuote(quote)
        let parsed: Quote
        do {
            parsed = try Quote(bytes: bytes)
        } catch {
            AttestFiles.printError("not an SGX DCAP v3 quote: \(error)")
            throw ExitCode(1)
        }
        let header = parsed.header
        print("quote: \(bytes.count) bytes, Intel SGX DCAP v\(header.version) (NOT VERIFIED: use `attest verify`)")
        print("header (offset 0, 48 bytes)")
        print("  version               \(header.version)")
        print("  attestation key type  \(header.attestationKeyType) (ECDSA-256 with P-256)")
        print("  TEE type              0x\(String(header.teeType, radix: 16)) (SGX)")
        print("  QE SVN                \(header.qeSVN)")
        print("  PCE SVN               \(header.pceSVN)")
        print("  QE vendor ID          \(Hex.encode(header.qeVendorID))")
        print("  user data             \(Hex.encode(header.userData))")
        printReport("ISV report body (offset 48, 384 bytes)", parsed.isvReport)
        print("signature data (offset 436, \(parsed.signatureDataLength) bytes)")
        print("  ISV report signature  \(Hex.encode(parsed.isvReportSignature))")
        print("  attestation key       \(Hex.encode(parsed.attestationKey))")
        printReport("  QE report body (offset 564, 384 bytes)", parsed.qeReport, indent: "  ")
        print("  QE report signature   \(Hex.encode(parsed.qeReportSignature))")
        print("  QE auth data          \(parsed.qeAuthenticationData.count) bytes \(Hex.encode(parsed.qeAuthenticationData))")
        print("  certification data    type \(parsed.certificationDataType), \(parsed.certificationData.count) bytes")
        do {
            for (index, certificate) in try parsed.certificateSummaries().enumerated() {
                print("  certificate \(index)")
                print("    subject    \(certificate.subject)")
                print("    issuer     \(certificate.issuer)")
                print("    notBefore  \(certificate.notBefore) (\(AttestFiles.date(certificate.notBefore)))")
                print("    notAfter   \(certificate.notAfter) (\(AttestFiles.date(certificate.notAfter)))")
                print("    SHA-256    \(certificate.sha256)")
            }
        } catch {
            print("  certificates: \(error)")
        }
        do {
            let pck = try PCKExtensions(pckCertificateOf: parsed)
            print("PCK certificate SGX extensions (OID 1.2.840.113741.1.13.1)")
            print("  FMSPC                 \(Hex.encode(pck.fmspc, prefix: false))")
            print("  PCE-ID                \(Hex.encode(pck.pceID, prefix: false))")
            print("  TCB components        \(pck.sgxComponents.map(String.init).joined(separator: " "))")
            print("  PCESVN                \(pck.pceSVN)")
            print("  CPUSVN                \(Hex.encode(pck.cpuSVN, prefix: false))")
            print("  PPID                  \(Hex.encode(pck.ppid, prefix: false))")
            let types = [0: "Standard", 1: "Scalable", 2: "Scalable with Integrity"]
            print("  SGX type              \(pck.sgxType) (\(types[pck.sgxType] ?? "unknown"))")
        } catch {
            print("PCK certificate SGX extensions: \(error)")
        }
    }

    private func printReport(_ title: String, _ report: ReportBody, indent: String = "") {
        print(title)
        print("\(indent)  CPUSVN                \(Hex.encode(report.cpuSVN))")
        print("\(indent)  MISCSELECT            0x\(String(report.miscSelect, radix: 16))")
        print("\(indent)  ATTRIBUTES            \(Hex.encode(report.attributes))")
        print("\(indent)    flags               \(AttestFiles.flagsText(report.attributesFlags))")
        print("\(indent)  MRENCLAVE             \(report.mrEnclave)")
        print("\(indent)  MRSIGNER              \(report.mrSigner)")
        print("\(indent)  ISVPRODID             \(report.isvProdID)")
        print("\(indent)  ISVSVN                \(report.isvSVN)")
        print("\(indent)  REPORTDATA            \(Hex.encode(report.reportData))")
    }
}

/// `goldengrain attest measure`: times quote verification against ecrecover in one process, the
/// measurement behind the precompile's gas (docs/gas.md).
struct AttestMeasure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Time quote verification beside ecrecover (3000 gas) and print the gas each would cost at that rate.",
        discussion: "Build with -c release. A SIMULATED quote is always measured; real quotes need --root."
    )

    @Argument(help: "Quote files to time (raw or hex).")
    var quotes: [String] = []

    @Option(name: .customLong("root"), help: "Trusted root CA certificates (PEM or DER). Repeatable.")
    var roots: [String] = []

    @Option(name: .customLong("at"), help: "Verification time, Unix seconds.")
    var time: UInt64 = 1_767_225_600

    @Option(help: "Quote verifications per round (ecrecover runs 16 times as many).")
    var iterations = 400

    @Option(help: ArgumentHelp("Also time each listed quote with this collateral (as `attest verify --collateral`), through the precompile's input quote ‖ collateral.", valueName: "FILE|DIR"))
    var collateral: String?

    func run() throws {
        let simulated = SimulatedCertificateAuthority.standard
        var trusted = try roots.map(AttestFiles.readRoot)
        trusted.append(simulated.trustedRoot)
        let verifier = QuoteVerifier(trustedRoots: trusted)
        // Every status accepted: the measurement is of the work, not of the policy.
        let precompile = AttestationPrecompile(trustedRoots: trusted, policy: AttestationPolicy(acceptedTCBStatuses: Set(TCBStatus.allCases)))
        AttestFiles.printError("\(SimulatedCertificateAuthority.warning): the simulated quote is timed beside the real ones")

        let key = try PrivateKey(bytes: [UInt8](repeating: 0x46, count: 32))
        let digest = Keccak256.hash(Array("GoldenGrain".utf8))
        let signature = key.sign(hash: digest)
        let ecrecover: () -> Void = { _ = try? signature.recoverAddress(from: digest) }

        let extra = try collateral.map(AttestFiles.readCollateral)
        var items: [(String, [UInt8], Collateral?)] = []
        for path in quotes {
            let bytes = try AttestFiles.readQuote(path)
            items.append((path, bytes, nil))
            if let extra { items.append((path + " + collateral", bytes, extra)) }
        }
        let simulatedQuote = SimulatedEnclave(signingKey: key).registrationQuote()
        items.append(("SIMULATED enclave quote", simulatedQuote, nil))
        items.append(("SIMULATED quote + SIMULATED collateral", simulatedQuote, SimulatedCollateral.standard))
        print("quote\tbytes\tverify µs\tecrecover µs\tratio\tgas at 3000/ecrecover\tprecompile gas")
        for (name, quote, collateral) in items {
            let input = quote + (collateral?.wireEncoded ?? [])
            let subject: () -> Void
            if collateral != nil {
                do { _ = try precompile.evaluate(input, at: time) } catch {
                    throw ValidationError("\(name) does not verify: \(error)")
                }
                subject = { _ = try? precompile.evaluate(input, at: time) }
            } else {
                do { _ = try verifier.verify(quote, at: time) } catch {
                    throw ValidationError("\(name) does not verify: \(error)")
                }
                subject = { _ = try? verifier.verify(quote, at: time) }
            }
            // ecrecover is timed in the same rounds as the quote, so load on shared cores affects both alike.
            let (verification, recovery, ratio) = measure(ecrecover, subject)
            print("\(name)\t\(input.count)\t\(format(verification))\t\(format(recovery))\t\(String(format: "%.2f", ratio))\t\(Int((ratio * 3000).rounded()))\t\(AttestationPrecompile.gas(forInput: input))")
        }
    }

    /// Times `subject` and `reference` in 7 alternating rounds; returns the median time per call of
    /// each in microseconds of thread CPU time and the median of the per-round ratios.
    private func measure(_ reference: () -> Void, _ subject: () -> Void) -> (Double, Double, Double) {
        // Thread CPU time, not wall time: on shared cores the wall clock also counts the time this
        // thread waits for a core, which depends on what others run.
        func now() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) * 1e6 + Double(spec.tv_nsec) / 1e3
        }
        func time(_ body: () -> Void, _ count: Int) -> Double {
            let start = now()
            for _ in 0..<count { body() }
            return (now() - start) / Double(count)
        }
        _ = time(reference, max(1, iterations / 10))
        _ = time(subject, max(1, iterations / 10))
        var subjects: [Double] = [], references: [Double] = [], ratios: [Double] = []
        for _ in 0..<7 {
            let referenceTime = time(reference, iterations * 4)
            let subjectTime = time(subject, iterations / 4)
            subjects.append(subjectTime)
            references.append(referenceTime)
            ratios.append(subjectTime / referenceTime)
        }
        return (subjects.sorted()[3], references.sorted()[3], ratios.sorted()[3])
    }

    private func format(_ microseconds: Double) -> String { String(format: "%.1f", microseconds) }
}
