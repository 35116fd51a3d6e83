import Attestation
import EVM
import Foundation
import FuzzSupport
import Primitives

// Attestation collateral (issue 16): the TCB Info v3 and QE Identity v2 JSON parsers, Intel PCS
// files and dcap-qvl's collateral.json, the on-chain layout GGC1, CRLs, the PCK certificate's SGX
// extension, and `QuoteVerifier.verify(_:collateral:at:)` / ATTESTATION_VERIFY on quote ‖ collateral.
//
// The input's first byte says what it is, so the real files of ../shared/vectors/sgx work as seeds
// read in place (scripts/fuzz.sh):
// - `{` JSON: read as a TCB Info body, a QE Identity body, a PCS TCB Info file, a PCS QE Identity
//   file and a dcap-qvl collateral.json. Accepted bodies are written back by this file's own writer
//   (its own ISO 8601 formatter) and read again to the same value; the dates parsed are the ones
//   this file's own date reader reads from the JSON tree. A body is then signed with the simulated TCB Signing key
//   (derived from its public label) and verified with the simulated quote, so the TCB evaluation
//   runs on it; a verified status is one of the body's levels'. A PCS file's body is the exact
//   bytes of its member (the span reader and the JSON tree agree) and the file written again
//   around those bytes loads to the same collateral; a collateral.json re-written loads to the
//   same collateral, which then verifies the real (phala) quote or not (quote ‖ its GGC1 layout
//   splits back into both).
// - `0` (0x30, DER): a PCK certificate for `PCKExtensions(certificateDER:)` (accepted values have
//   the sizes the profile fixes), and a CRL: it replaces the simulated Root CA CRL (odd lengths)
//   or PCK CRL (even), and the simulated quote verifies with it to the same fields and TCB status as with the
//   real one, or is refused; wrapped in PEM it loads to the same DER.
// - `G` (GGC1): `Collateral(wire:)`; an accepted layout re-encodes to the input.
// - 0x03 (a v3 quote) or anything of at least 436 bytes: ATTESTATION_VERIFY's input. Gas is the
//   documented formula of the length and the declared quote length, whatever the bytes; a split
//   that finds collateral re-encodes to the input; an accepted input's output is 320 bytes whose
//   TCB status word is the verified status.
// - any other first byte, by its value mod 3: a collateral built from the input is encoded, and
//   decodes to itself exactly when it keeps the layout's rules; an SGX extension built from the
//   input by this file's own DER writer parses to the values written; the simulated quote of a
//   platform chosen by the input verifies with the simulated collateral at a time read from the
//   input, or is refused, never traps.
//
// Seeds: the simulated collateral in every form above, written by the library's own encoders
// (`scripts/fuzz.sh seeds collateral`).

@main
enum FuzzCollateral {
    static func main() {
        _ = baseline
        Fuzz.main(test: fuzzCollateral, seeds: collateralSeeds)
    }
}

/// Inside the phala collateral's window (1,750,330,571 … 1,752,919,278) and the simulated one's.
let verificationTime: UInt64 = 1_751_000_000

let sgxVectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../shared/vectors/sgx").standardizedFileURL

func vector(_ path: String) -> [UInt8]? {
    (try? Data(contentsOf: sgxVectors.appendingPathComponent(path))).map { Array($0) }
}

let trustedRoots: [TrustedRoot] = {
    var roots = [SimulatedCertificateAuthority.standard.trustedRoot]
    if let der = vector("intel_sgx_root_ca.der"), let root = try? TrustedRoot(der: der) { roots.append(root) }
    return roots
}()

let verifier = QuoteVerifier(trustedRoots: trustedRoots)
let precompile = AttestationPrecompile(trustedRoots: trustedRoots)
let standard = SimulatedCollateral.standard
let simulatedQuotes = SimulatedPlatform.allCases.map { platform in
    SimulatedEnclave(signingKey: SimulatedEnclave.devEnclaveKey, platform: platform).registrationQuote()
}
let simulatedQuote = simulatedQuotes[SimulatedPlatform.allCases.firstIndex(of: .upToDate)!]
let phalaQuote = vector("phala_sgx_v3/quote.bin")
let tcbSigningKey: P256SigningKey = {
    do {
        return try P256SigningKey(insecureLabel: SimulatedCertificateAuthority.standardLabel + " TCB signing v1")
    } catch {
        fatalError("cannot derive the simulated TCB Signing key: \(error)")
    }
}()
let baseline: VerifiedQuote = {
    do {
        let verified = try verifier.verify(simulatedQuote, collateral: standard, at: verificationTime)
        precondition(tcbSigningKey.signature(for: standard.tcbInfoBody) == standard.tcbInfoSignature,
                     "the TCB Signing key derived here is not the simulated collateral's")
        return verified
    } catch {
        fatalError("the simulated quote does not verify with the simulated collateral: \(error)")
    }
}()

func fuzzCollateral(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    guard let first = input.first else { return 0 }
    switch first {
    case UInt8(ascii: "{"): fuzzJSONDocuments(input)
    case 0x30: fuzzDER(input)
    case Collateral.wireMagic[0]: fuzzWire(input)
    default:
        if first == 0x03 || input.count >= 436 {
            fuzzPrecompile(input)
        } else {
            var reader = FuzzReader(Array(input.dropFirst()))
            switch first % 3 {
            case 0: fuzzWireEncoding(&reader)
            case 1: fuzzSGXExtensionEncoding(&reader)
            default: fuzzVerificationTime(&reader)
            }
        }
    }
    return 0
}

// MARK: - JSON documents

func fuzzJSONDocuments(_ input: [UInt8]) {
    if let tcbInfo = try? TCBInfo(json: input) {
        let written = tcbInfoJSON(tcbInfo)
        Fuzz.check((try? TCBInfo(json: written)) == tcbInfo, "a TCB Info written back does not read the same: \(String(decoding: written, as: UTF8.self))")
        checkDates(in: input, issueDate: tcbInfo.issueDate, nextUpdate: tcbInfo.nextUpdate, levelDates: tcbInfo.tcbLevels.map(\.tcbDate))
        var collateral = standard
        collateral.tcbInfoBody = input
        collateral.tcbInfoSignature = tcbSigningKey.signature(for: input)
        if let tcb = verifyCollateral(simulatedQuote, collateral)?.tcb {
            Fuzz.check(tcbInfo.tcbLevels.contains { $0.status == tcb.platformStatus },
                       "platform status \(tcb.platformStatus) is no level's of the TCB Info")
        }
    }
    if let identity = try? QEIdentity(json: input) {
        let written = qeIdentityJSON(identity)
        Fuzz.check((try? QEIdentity(json: written)) == identity, "a QE Identity written back does not read the same: \(String(decoding: written, as: UTF8.self))")
        checkDates(in: input, issueDate: identity.issueDate, nextUpdate: identity.nextUpdate, levelDates: identity.tcbLevels.map(\.tcbDate))
        var collateral = standard
        collateral.qeIdentityBody = input
        collateral.qeIdentitySignature = tcbSigningKey.signature(for: input)
        if let tcb = verifyCollateral(simulatedQuote, collateral)?.tcb {
            Fuzz.check(identity.tcbLevels.contains { $0.status == tcb.qeStatus }, "QE status \(tcb.qeStatus) is no level's of the QE Identity")
        }
    }
    let chainPEM = Array(SimulatedCollateral.tcbSigningChainPEM(standard).utf8)
    let qeFile = Array(SimulatedCollateral.qeIdentityFile(standard).utf8)
    let tcbFile = Array(SimulatedCollateral.tcbInfoFile(standard).utf8)
    if let loaded = try? Collateral(tcbInfoFile: input, qeIdentityFile: qeFile, tcbSigningChainPEM: chainPEM,
                                    rootCACRL: standard.rootCACRL, pckCRL: standard.pckCRL) {
        checkSignedMember(input, "tcbInfo", body: loaded.tcbInfoBody)
        let rewritten = try? Collateral(tcbInfoFile: pcsFile("tcbInfo", loaded.tcbInfoBody, loaded.tcbInfoSignature), qeIdentityFile: qeFile,
                                        tcbSigningChainPEM: chainPEM, rootCACRL: standard.rootCACRL, pckCRL: standard.pckCRL)
        Fuzz.check(rewritten == loaded, "a PCS TCB Info file written back loads to other collateral")
    }
    if let loaded = try? Collateral(tcbInfoFile: tcbFile, qeIdentityFile: input, tcbSigningChainPEM: chainPEM,
                                    rootCACRL: standard.rootCACRL, pckCRL: standard.pckCRL) {
        checkSignedMember(input, "enclaveIdentity", body: loaded.qeIdentityBody)
        let rewritten = try? Collateral(tcbInfoFile: tcbFile, qeIdentityFile: pcsFile("enclaveIdentity", loaded.qeIdentityBody, loaded.qeIdentitySignature),
                                        tcbSigningChainPEM: chainPEM, rootCACRL: standard.rootCACRL, pckCRL: standard.pckCRL)
        Fuzz.check(rewritten == loaded, "a PCS QE Identity file written back loads to other collateral")
    }
    if let loaded = try? Collateral(dcapQVLJSON: input) {
        let written = dcapQVLJSON(loaded)
        Fuzz.check((try? Collateral(dcapQVLJSON: written)) == loaded,
                   "a collateral.json written back loads to other collateral: \(String(decoding: written, as: UTF8.self))")
        verifyCollateral(phalaQuote ?? simulatedQuote, loaded)
    }
}

/// Verifies `quote` with `collateral` (one verification: the slow part of every input); the
/// collateral in the on-chain layout after the quote splits back into both.
/// - Returns: the verified quote, or nil if refused.
@discardableResult
func verifyCollateral(_ quote: [UInt8], _ collateral: Collateral) -> VerifiedQuote? {
    let wire = collateral.wireEncoded
    if wire.count <= Collateral.wireMaximumSize, (try? Collateral(wire: wire[...])) == collateral,
       let split = try? Collateral.splitPrecompileInput(quote + wire) {
        Fuzz.check(split.quote == quote && split.collateral == collateral, "quote ‖ GGC1 does not split into the quote and the collateral")
    }
    return try? verifier.verify(quote, collateral: collateral, at: verificationTime)
}

/// A PCS file `{"<member>":<body>,"signature":"<hex>"}`, byte for byte: the body is written as the
/// bytes it is (the loader keeps any bytes JSON.parse accepts in a member, invalid UTF-8 included,
/// which a String would replace).
func pcsFile(_ member: String, _ body: [UInt8], _ signature: [UInt8]) -> [UInt8] {
    Array("{\"\(member)\":".utf8) + body + Array(",\"signature\":\"\(Fuzz.hex(signature))\"}".utf8)
}

/// A PCS file's signed body is the exact bytes of its member: the same JSON as the parsed tree's.
func checkSignedMember(_ file: [UInt8], _ name: String, body: [UInt8]) {
    Fuzz.check(body.count <= file.count && file.indices.contains { file[$0...].starts(with: body) },
               "the \(name) body is not a slice of the file")
    let tree = (try? JSON.parse(file))?[name]
    Fuzz.check(tree != nil && (try? JSON.parse(body)) == tree, "the \(name) body's bytes and the file's \(name) member differ")
}

/// The dates the parser read are the ones this file's own reader reads from the JSON tree.
func checkDates(in body: [UInt8], issueDate: Int64, nextUpdate: Int64, levelDates: [Int64]) {
    guard let tree = try? JSON.parse(body) else {
        Fuzz.check(false, "a body the collateral parser accepted is not JSON to the JSON reader")
        return
    }
    func date(_ value: JSON?, _ key: String) -> Int64? {
        guard case .string(let text)? = value?[key] else { return nil }
        return isoSeconds(text)
    }
    guard case .array(let levels)? = tree["tcbLevels"] else {
        Fuzz.check(false, "an accepted body has no tcbLevels array to the JSON reader")
        return
    }
    let read = [date(tree, "issueDate"), date(tree, "nextUpdate")] + levels.map { date($0, "tcbDate") }
    let parsed: [Int64?] = [issueDate, nextUpdate] + levelDates.map { $0 }
    Fuzz.check(read == parsed, "dates \(parsed) parsed, \(read) read from the JSON tree")
}

// MARK: - DER: PCK certificates and CRLs

func fuzzDER(_ input: [UInt8]) {
    if let extensions = try? PCKExtensions(certificateDER: input) {
        Fuzz.check(extensions.ppid.count == 16 && extensions.sgxComponents.count == 16 && extensions.cpuSVN.count == 16
                   && extensions.pceID.count == 2 && extensions.fmspc.count == 6 && (0...2).contains(extensions.sgxType),
                   "SGX extension values of the wrong size: \(extensions)")
    }
    // One verification per input: the Root CA CRL replaced for an odd length, the PCK CRL for an even.
    for replaceRoot in [input.count % 2 == 1] {
        var collateral = standard
        if replaceRoot { collateral.rootCACRL = input } else { collateral.pckCRL = input }
        if let verified = try? verifier.verify(simulatedQuote, collateral: collateral, at: verificationTime) {
            Fuzz.check(verified.mrEnclave == baseline.mrEnclave && verified.reportData == baseline.reportData
                       && verified.rootKeyHash == baseline.rootKeyHash && verified.tcb?.status == baseline.tcb?.status,
                       "a replaced \(replaceRoot ? "Root CA" : "PCK") CRL changed the verified fields")
        }
    }
    let pem = "-----BEGIN X509 CRL-----\r\n" + Data(input).base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        + "\r\n-----END X509 CRL-----\r\n"
    do {
        let loaded = try Collateral(tcbInfoFile: Array(SimulatedCollateral.tcbInfoFile(standard).utf8),
                                    qeIdentityFile: Array(SimulatedCollateral.qeIdentityFile(standard).utf8),
                                    tcbSigningChainPEM: Array(SimulatedCollateral.tcbSigningChainPEM(standard).utf8),
                                    rootCACRL: Array(pem.utf8), pckCRL: input)
        Fuzz.check(loaded.rootCACRL == input && loaded.pckCRL == input, "a CRL given as PEM or DER loads to other DER")
    } catch {
        Fuzz.check(false, "a CRL of \(input.count) bytes as PEM is refused: \(error)")
    }
}

// MARK: - The on-chain layout

func fuzzWire(_ input: [UInt8]) {
    guard let collateral = try? Collateral(wire: input[...]) else { return }
    Fuzz.check(collateral.wireEncoded == input, "an accepted GGC1 layout re-encodes to other bytes")
    verifyCollateral(simulatedQuote, collateral)
}

func fuzzWireEncoding(_ reader: inout FuzzReader) {
    let tcbInfoBody = reader.chunk(), tcbInfoSignature = reader.chunk()
    let qeIdentityBody = reader.chunk(), qeIdentitySignature = reader.chunk()
    let chain = (0 ..< Int(reader.byte() % 6)).map { _ in reader.chunk() }
    let collateral = Collateral(tcbInfoBody: tcbInfoBody, tcbInfoSignature: tcbInfoSignature, qeIdentityBody: qeIdentityBody,
                                qeIdentitySignature: qeIdentitySignature, tcbSigningChain: chain,
                                rootCACRL: reader.chunk(), pckCRL: reader.chunk())
    let encoded = collateral.wireEncoded
    let fields = [tcbInfoBody, tcbInfoSignature, qeIdentityBody, qeIdentitySignature, collateral.rootCACRL, collateral.pckCRL] + chain
    let keepsRules = tcbInfoSignature.count == 64 && qeIdentitySignature.count == 64 && fields.allSatisfy { !$0.isEmpty }
        && (1...4).contains(chain.count) && encoded.count <= Collateral.wireMaximumSize
    let decoded = try? Collateral(wire: encoded[...])
    if keepsRules {
        Fuzz.check(decoded == collateral, "collateral that keeps the layout's rules does not decode to itself")
    } else {
        Fuzz.check(decoded == nil, "collateral that breaks the layout's rules decodes (chain \(chain.count), \(encoded.count) bytes)")
    }
}

// MARK: - ATTESTATION_VERIFY

func fuzzPrecompile(_ input: [UInt8]) {
    // Gas from the length alone: base + per byte, plus the collateral price per byte of what follows the
    // declared quote (AttestationPrecompile's constants, docs/gas.md).
    var collateralLength: UInt64 = 0
    if input.count >= 436 {
        let declared = (0..<4).reduce(UInt64(0)) { $0 | UInt64(input[432 + $1]) << (8 * UInt64($1)) }
        if UInt64(input.count) > 436 + declared { collateralLength = UInt64(input.count) - 436 - declared }
    }
    let collateralGas = collateralLength > 0
        ? AttestationPrecompile.collateralGas + AttestationPrecompile.collateralPerByteGas * collateralLength : 0
    let expectedGas = AttestationPrecompile.baseGas + AttestationPrecompile.perByteGas * UInt64(input.count) + collateralGas
    Fuzz.check(precompile.requiredGas(input: input) == expectedGas,
               "gas \(precompile.requiredGas(input: input)) for \(input.count) bytes, expected \(expectedGas)")
    if let split = try? Collateral.splitPrecompileInput(input) {
        Fuzz.check(split.quote + (split.collateral?.wireEncoded ?? []) == input, "quote ‖ collateral re-encodes to other bytes")
        Fuzz.check((split.collateral == nil) == (collateralLength == 0), "a split finds collateral where gas sees \(collateralLength) bytes")
    }
    // `run` is `evaluate` with errors as empty output (one verification per input: evaluate only).
    if let evaluated = try? precompile.evaluate(input, at: verificationTime) {
        Fuzz.check(evaluated.output.count == AttestationPrecompile.outputSize, "output of \(evaluated.output.count) bytes")
        Fuzz.check(evaluated.output[319 - 32] == evaluated.verified.tcb?.status.code ?? 0, "the status word is not the TCB status")
    }
}

func fuzzVerificationTime(_ reader: inout FuzzReader) {
    let quote = simulatedQuotes[Int(reader.byte()) % simulatedQuotes.count]
    let time = reader.uint64()
    let verified = try? verifier.verify(quote, collateral: standard, at: time)
    if let verified {
        Fuzz.check(time >= UInt64(SimulatedCollateral.issueDate) && time <= UInt64(SimulatedCollateral.nextUpdate),
                   "verified at \(time), outside the simulated collateral's window")
        Fuzz.check(verified.tcb?.collateralIssueDate == SimulatedCollateral.issueDate, "issue date \(String(describing: verified.tcb))")
    }
}

// MARK: - The SGX extension, written by hand

func fuzzSGXExtensionEncoding(_ reader: inout FuzzReader) {
    let ppid = reader.bytes(16), cpuSVN = reader.bytes(16), pceID = reader.bytes(2), fmspc = reader.bytes(6)
    let components = reader.bytes(16)
    let pceSVN = UInt16(reader.uint64(byteCount: 2)), sgxType = Int(reader.byte() % 3), flags = reader.byte()
    guard ppid.count == 16, cpuSVN.count == 16, pceID.count == 2, fmspc.count == 6, components.count == 16 else { return }
    let expected = PCKExtensions(ppid: ppid, sgxComponents: components, pceSVN: pceSVN, cpuSVN: cpuSVN, pceID: pceID,
                                 fmspc: fmspc, sgxType: sgxType)
    let sgx: [UInt] = [1, 2, 840, 113_741, 1, 13, 1]
    var tcb = components.enumerated().map { der(0x30, oid(sgx + [2, UInt($0.offset + 1)]) + integer(0x02, Int($0.element))) }
    tcb.append(der(0x30, oid(sgx + [2, 17]) + integer(0x02, Int(pceSVN))))
    tcb.append(der(0x30, oid(sgx + [2, 18]) + der(0x04, cpuSVN)))
    var entries = [der(0x30, oid(sgx + [1]) + der(0x04, ppid)), der(0x30, oid(sgx + [2]) + der(0x30, tcb.flatMap { $0 })),
                   der(0x30, oid(sgx + [3]) + der(0x04, pceID)), der(0x30, oid(sgx + [4]) + der(0x04, fmspc)),
                   der(0x30, oid(sgx + [5]) + integer(0x0a, sgxType))]
    if flags & 1 != 0 { entries.append(der(0x30, oid(sgx + [6]) + der(0x04, reader.bytes(16)))) }
    if flags & 2 != 0 { entries.append(der(0x30, oid(sgx + [7]) + der(0x30, der(0x30, oid(sgx + [7, 1]) + [0x01, 0x01, 0xff])))) }
    if flags & 4 != 0 { entries.reverse() }
    var extensions = [der(0x30, oid(sgx) + der(0x04, der(0x30, entries.flatMap { $0 })))]
    if flags & 8 != 0 { extensions.insert(der(0x30, oid([2, 5, 29, 19]) + [0x01, 0x01, 0xff] + der(0x04, [0x30, 0x00])), at: 0) }
    let tbs = der(0x30, integer(0x02, 5) + der(0xa3, der(0x30, extensions.flatMap { $0 })))
    let certificate = der(0x30, tbs + [0x05, 0x00] + [0x05, 0x00])
    do {
        let parsed = try PCKExtensions(certificateDER: certificate)
        Fuzz.check(parsed == expected, "the SGX extension written as \(Fuzz.hex(certificate)) reads as \(parsed), expected \(expected)")
    } catch {
        Fuzz.check(false, "the SGX extension written as \(Fuzz.hex(certificate)) is refused: \(error)")
    }
}

func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    var length: [UInt8] = []
    if content.count < 0x80 {
        length = [UInt8(content.count)]
    } else {
        var count = content.count
        while count > 0 { length.insert(UInt8(count & 0xff), at: 0); count >>= 8 }
        length.insert(0x80 | UInt8(length.count), at: 0)
    }
    return [tag] + length + content
}

func oid(_ arcs: [UInt]) -> [UInt8] {
    var content: [UInt8] = []
    for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
        var groups = [UInt8(arc & 0x7f)]
        var rest = arc >> 7
        while rest > 0 { groups.insert(UInt8(rest & 0x7f) | 0x80, at: 0); rest >>= 7 }
        content += groups
    }
    return der(0x06, content)
}

/// A non-negative INTEGER or ENUMERATED in its minimal two's complement form.
func integer(_ tag: UInt8, _ value: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    var rest = value
    repeat { bytes.insert(UInt8(rest & 0xff), at: 0); rest >>= 8 } while rest > 0
    if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
    return der(tag, bytes)
}

// MARK: - Writers (this file's own, independent of the library's)

func tcbInfoJSON(_ info: TCBInfo) -> [UInt8] {
    let levels: [JSON] = info.tcbLevels.map { level in
        .object([
            ("tcb", .object([("sgxtcbcomponents", .array(level.sgxComponents.map { .object([("svn", .integer($0))]) })),
                             ("pcesvn", .integer(level.pceSVN))])),
            ("tcbDate", .string(isoText(level.tcbDate))), ("tcbStatus", .string(level.status.rawValue)),
            ("advisoryIDs", .array(level.advisoryIDs.map { .string($0) })),
        ])
    }
    return JSON.object([
        ("id", .string(info.id)), ("version", .integer(info.version)), ("issueDate", .string(isoText(info.issueDate))),
        ("nextUpdate", .string(isoText(info.nextUpdate))), ("fmspc", .string(Fuzz.hex(info.fmspc).uppercased())),
        ("pceId", .string(Fuzz.hex(info.pceID))), ("tcbType", .integer(info.tcbType)),
        ("tcbEvaluationDataNumber", .integer(info.tcbEvaluationDataNumber)), ("tcbLevels", .array(levels)),
    ]).serializedBytes
}

func qeIdentityJSON(_ identity: QEIdentity) -> [UInt8] {
    func littleEndian(_ value: UInt32) -> String { Fuzz.hex((0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }) }
    let levels: [JSON] = identity.tcbLevels.map { level in
        .object([("tcb", .object([("isvsvn", .integer(level.isvSVN))])), ("tcbDate", .string(isoText(level.tcbDate))),
                 ("tcbStatus", .string(level.status.rawValue)), ("advisoryIDs", .array(level.advisoryIDs.map { .string($0) }))])
    }
    return JSON.object([
        ("id", .string(identity.id)), ("version", .integer(identity.version)), ("issueDate", .string(isoText(identity.issueDate))),
        ("nextUpdate", .string(isoText(identity.nextUpdate))), ("tcbEvaluationDataNumber", .integer(identity.tcbEvaluationDataNumber)),
        ("miscselect", .string(littleEndian(identity.miscselect))), ("miscselectMask", .string(littleEndian(identity.miscselectMask))),
        ("attributes", .string(Fuzz.hex(identity.attributes))), ("attributesMask", .string(Fuzz.hex(identity.attributesMask).uppercased())),
        ("mrsigner", .string(Fuzz.hex(identity.mrSigner.bytes))), ("isvprodid", .integer(identity.isvProdID)),
        ("tcbLevels", .array(levels)),
    ]).serializedBytes
}

func dcapQVLJSON(_ collateral: Collateral) -> [UInt8] {
    let chain = SimulatedCollateral.tcbSigningChainPEM(collateral)
    return JSON.object([
        ("pck_crl_issuer_chain", .string("")), ("root_ca_crl", .string(Fuzz.hex(collateral.rootCACRL))),
        ("pck_crl", .string(Fuzz.hex(collateral.pckCRL))), ("tcb_info_issuer_chain", .string(chain)),
        ("tcb_info", .string(String(decoding: collateral.tcbInfoBody, as: UTF8.self))),
        ("tcb_info_signature", .string(Fuzz.hex(collateral.tcbInfoSignature))), ("qe_identity_issuer_chain", .string(chain)),
        ("qe_identity", .string(String(decoding: collateral.qeIdentityBody, as: UTF8.self))),
        ("qe_identity_signature", .string(Fuzz.hex(collateral.qeIdentitySignature))),
    ]).serializedBytes
}

/// `YYYY-MM-DDThh:mm:ssZ` of Unix seconds (proleptic Gregorian, days from civil by H. Hinnant's
/// algorithm), for years 0 … 9999.
func isoText(_ seconds: Int64) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    let rest = seconds - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3_600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))Z"
}

/// The seconds of a date text if it has the form and a real calendar date (this file's own reader).
func isoSeconds(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    guard bytes.count == 20 else { return nil }
    func digits(_ range: Range<Int>) -> Int64? {
        bytes[range].reduce(Int64(0) as Int64?) { value, byte in
            guard let value, (0x30...0x39).contains(byte) else { return nil }
            return value * 10 + Int64(byte - 0x30)
        }
    }
    guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10), let hour = digits(11..<13),
          let minute = digits(14..<16), let second = digits(17..<19), (1...12).contains(month), day >= 1 else { return nil }
    // Days before the month in a 365-day year, then a leap day from March of a leap year.
    let before: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let length: Int64 = month == 2 ? (leap ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month - 1)]
    guard day <= length, hour < 24, minute < 60, second < 60 else { return nil }
    // Days from 0000-01-01 to 1970-01-01 is 719,528.
    let priorYears = year - 1
    let yearDays = year == 0 ? 0 : 365 * year + priorYears / 4 - priorYears / 100 + priorYears / 400 + 1
    let days = yearDays + before[Int(month - 1)] + (leap && month > 2 ? 1 : 0) + day - 1 - 719_528
    return days * 86_400 + hour * 3_600 + minute * 60 + second
}

// MARK: - Seeds

func collateralSeeds() -> [(name: String, bytes: [UInt8])] {
    var seeds: [(name: String, bytes: [UInt8])] = [
        (name: "tcb-info-body", bytes: standard.tcbInfoBody),
        (name: "qe-identity-body", bytes: standard.qeIdentityBody),
        (name: "pcs-tcb-info-file", bytes: Array(SimulatedCollateral.tcbInfoFile(standard).utf8)),
        (name: "pcs-qe-identity-file", bytes: Array(SimulatedCollateral.qeIdentityFile(standard).utf8)),
        (name: "dcap-qvl-collateral-json", bytes: dcapQVLJSON(standard)),
        (name: "root-ca-crl", bytes: standard.rootCACRL),
        (name: "pck-crl", bytes: standard.pckCRL),
        (name: "wire", bytes: standard.wireEncoded),
    ]
    let time = (0..<8).map { UInt8(truncatingIfNeeded: verificationTime >> (56 - 8 * UInt64($0))) }
    for (index, (platform, quote)) in zip(SimulatedPlatform.allCases, simulatedQuotes).enumerated() {
        seeds.append((name: "pck-certificate-\(platform)", bytes: SimulatedCertificateAuthority.standard.pckCertificateDER(for: platform)))
        seeds.append((name: "precompile-\(platform)", bytes: quote + standard.wireEncoded))
        // First byte 2 (2 mod 3): the simulated quote of a platform at a time.
        seeds.append((name: "time-\(platform)", bytes: [2, UInt8(index)] + time))
    }
    seeds.append((name: "precompile-quote-alone", bytes: simulatedQuote))
    // First byte 6 (0 mod 3, not 0x03, which reads as a quote): a layout built from chunks.
    var wire: [UInt8] = [6]
    for field in [standard.tcbInfoBody, standard.tcbInfoSignature, standard.qeIdentityBody, standard.qeIdentitySignature] {
        FuzzReader.appendChunk(field, to: &wire)
    }
    wire.append(UInt8(standard.tcbSigningChain.count))
    for field in standard.tcbSigningChain + [standard.rootCACRL, standard.pckCRL] { FuzzReader.appendChunk(field, to: &wire) }
    seeds.append((name: "wire-from-chunks", bytes: wire))
    var random = SeedRandom(seed: 0x5347_5845)
    // First byte 4 (1 mod 3): an SGX extension; SGX Type 1, every flag, then a PlatformInstanceID.
    seeds.append((name: "sgx-extension", bytes: [4] + random.bytes(16 + 16 + 2 + 6 + 16 + 2) + [1, 0x0f] + random.bytes(16)))
    return seeds
}
