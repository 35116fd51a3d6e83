import ArgumentParser
import Attestation
import Foundation
import Primitives

/// `goldengrain enclave collateral --out DIR [--wire FILE]`: the SIMULATED collateral.
struct EnclaveCollateral: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collateral",
        abstract: "Write the SIMULATED collateral (TCB Info, QE Identity, TCB Signing chain, CRLs) in Intel's PCS file formats.",
        discussion: """
        One set serves every simulated platform (docs/formats.md, "Simulated collateral"): quotes \
        of `enclave quote --platform up-to-date` evaluate to UpToDate, `out-of-date` to OutOfDate, \
        and `revoked` is refused (its PCK serial is in the PCK CRL). DIR receives tcb_info.json, \
        qe_identity.json, tcb_signing_chain.pem, root_ca_crl.der and pck_crl.der, which `attest \
        verify --collateral DIR` reads; --wire also writes the on-chain layout that ATTESTATION_VERIFY \
        takes after the quote (`enclave quote --with-collateral` appends it).
        """
    )

    @Option(help: "The directory to write the five files to (created if missing).")
    var out: String

    @Option(help: "Also write the collateral in the on-chain layout (GGC1) to this file.")
    var wire: String?

    func run() throws {
        AttestFiles.printError(SimulatedCertificateAuthority.warning)
        let collateral = SimulatedCollateral.standard
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let files: [(String, [UInt8])] = [
            ("tcb_info.json", Array(SimulatedCollateral.tcbInfoFile(collateral).utf8)),
            ("qe_identity.json", Array(SimulatedCollateral.qeIdentityFile(collateral).utf8)),
            ("tcb_signing_chain.pem", Array(SimulatedCollateral.tcbSigningChainPEM(collateral).utf8)),
            ("root_ca_crl.der", collateral.rootCACRL),
            ("pck_crl.der", collateral.pckCRL),
        ]
        for (name, bytes) in files {
            let path = (out as NSString).appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw ValidationError("cannot write \(path)") }
            print("wrote \(path) (\(bytes.count) bytes)")
        }
        if let wire {
            let bytes = collateral.wireEncoded
            guard FileManager.default.createFile(atPath: wire, contents: Data(bytes)) else { throw ValidationError("cannot write \(wire)") }
            print("wrote \(wire) (\(bytes.count) bytes, on-chain layout)")
        }
        print("issued \(AttestFiles.date(SimulatedCollateral.issueDate)), next update \(AttestFiles.date(SimulatedCollateral.nextUpdate)); FMSPC \(Hex.encode(SimulatedPlatform.fmspc, prefix: false)), PCK CRL revokes serial \(SimulatedPlatform.revoked.pckSerial) (the revoked platform)")
    }
}

extension SimulatedPlatform: ExpressibleByArgument {}
