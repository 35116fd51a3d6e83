import Primitives
import SwiftASN1

// The Intel SGX extension of a PCK certificate (Intel, "SGX PCK Certificate and CRL Profile", §1.3.5
// "Intel SGX Extensions"), DER inside the extension's OCTET STRING:
//
//     SGXExtensions ::= SEQUENCE OF SEQUENCE { extnID OBJECT IDENTIFIER, extnValue ANY }
//       1.2.840.113741.1.13.1.1  PPID                OCTET STRING (16)
//       1.2.840.113741.1.13.1.2  TCB                 SEQUENCE OF SEQUENCE { OID, value }:
//           ….2.1 … ….2.16       SGX TCB comp. SVN   INTEGER (0…255)
//           ….2.17               PCESVN              INTEGER (0…65535)
//           ….2.18               CPUSVN              OCTET STRING (16)
//       1.2.840.113741.1.13.1.3  PCE-ID              OCTET STRING (2)
//       1.2.840.113741.1.13.1.4  FMSPC               OCTET STRING (6)
//       1.2.840.113741.1.13.1.5  SGX Type            ENUMERATED (0 Standard, 1 Scalable, 2 Scalable with Integrity)
//       1.2.840.113741.1.13.1.6  PlatformInstanceID  OCTET STRING (16)      } only in certificates issued
//       1.2.840.113741.1.13.1.7  Configuration       SEQUENCE OF … BOOLEAN } by the PCK Platform CA
//
// The certificate itself is walked with swift-asn1 too (Certificate → tbsCertificate → [3]
// extensions), rather than asking OpenSSL for the extension: the PCK chain was already verified by
// OpenSSL in check (b), and swift-asn1's DER parser rejects non-canonical encodings (indefinite
// lengths, non-minimal integers), so one strict parser reads every byte this file interprets and no
// OpenSSL object has to outlive a C call. Every entry is required once (the Platform CA entries at
// most once); an unknown entry, a duplicate or a value of the wrong type or size is refused, naming
// the field, what was found and what was expected.

extension PCKExtensions {
    /// The OID of the Intel SGX extension, 1.2.840.113741.1.13.1.
    static let sgxExtensionOID: ASN1ObjectIdentifier = [1, 2, 840, 113741, 1, 13, 1]

    /// Reads the Intel SGX extension of a PCK certificate.
    /// - Parameter certificateDER: the DER of the PCK (leaf) certificate.
    /// - Throws: `AttestationError.tcbEvaluation(.pckExtension(…))` naming the field that is
    ///   missing, duplicated or malformed.
    public init(certificateDER: [UInt8]) throws(AttestationError) {
        do throws(TCBEvaluationError) {
            let extensionValue = try Self.sgxExtensionValue(inCertificate: certificateDER)
            self = try Self.parseSGXExtension(extensionValue)
        } catch {
            throw .tcbEvaluation(error)
        }
    }

    /// Reads the Intel SGX extension of the PCK leaf certificate a quote carries (the first
    /// certificate of its certification data).
    /// - Parameter quote: a parsed quote.
    /// - Throws: `AttestationError` if the certification data holds no certificate, or as
    ///   `init(certificateDER:)`.
    public init(pckCertificateOf quote: Quote) throws(AttestationError) {
        try self.init(certificateDER: quote.pckCertificateDER())
    }

    // MARK: - The certificate

    /// The content bytes of the SGX extension's OCTET STRING.
    private static func sgxExtensionValue(inCertificate der: [UInt8]) throws(TCBEvaluationError) -> ArraySlice<UInt8> {
        let certificate = try parse(der, field: "PCK certificate")
        let topLevel = try children(of: certificate, field: "PCK certificate", expected: "SEQUENCE { tbsCertificate, signatureAlgorithm, signature }")
        guard topLevel.count == 3 else {
            throw .pckExtension(field: "PCK certificate", found: "a SEQUENCE of \(topLevel.count) elements",
                                expected: "3 (tbsCertificate, signatureAlgorithm, signature)")
        }
        let tbs = try children(of: topLevel[0], field: "tbsCertificate", expected: "SEQUENCE")
        let extensionsTag = ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific)
        let tagged = tbs.filter { $0.identifier == extensionsTag }
        guard tagged.count == 1 else {
            throw .pckExtension(field: "extensions [3]", found: "\(tagged.count) extensions fields", expected: "exactly one")
        }
        guard case .constructed(let wrapped) = tagged[0].content, let list = Array(wrapped).only else {
            throw .pckExtension(field: "extensions [3]", found: "not one explicitly tagged element", expected: "[3] EXPLICIT SEQUENCE OF Extension")
        }
        var found: [ArraySlice<UInt8>] = []
        for item in try children(of: list, field: "extensions", expected: "SEQUENCE OF Extension") {
            // Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
            let parts = try children(of: item, field: "extension", expected: "SEQUENCE { extnID, critical, extnValue }")
            guard parts.count == 2 || parts.count == 3 else {
                throw .pckExtension(field: "extension", found: "a SEQUENCE of \(parts.count) elements", expected: "2 or 3")
            }
            let oid = try objectIdentifier(parts[0], field: "extension extnID")
            guard oid == sgxExtensionOID else { continue }
            found.append(try octetString(parts[parts.count - 1], field: "SGX extension (\(sgxExtensionOID)) value"))
        }
        guard found.count == 1 else {
            throw .pckExtension(field: "SGX extension (\(sgxExtensionOID))", found: "\(found.count) such extensions", expected: "exactly one")
        }
        return found[0]
    }

    // MARK: - The SGX extension

    private static func parseSGXExtension(_ value: ArraySlice<UInt8>) throws(TCBEvaluationError) -> PCKExtensions {
        let root = try parse(Array(value), field: "SGX extension")
        var entries: [UInt: ASN1Node] = [:]
        for entry in try children(of: root, field: "SGX extension", expected: "SEQUENCE OF SEQUENCE { OID, value }") {
            let (arc, node) = try oidValuePair(entry, under: sgxExtensionOID, field: "SGX extension entry")
            guard (1...7).contains(arc) else {
                throw .pckExtension(field: "SGX extension entry", found: "unknown OID \(sgxExtensionOID).\(arc)",
                                    expected: "\(sgxExtensionOID).1 … .7")
            }
            guard entries.updateValue(node, forKey: arc) == nil else {
                throw .pckExtension(field: entryName(arc), found: "a second entry", expected: "one entry")
            }
        }
        func required(_ arc: UInt) throws(TCBEvaluationError) -> ASN1Node {
            guard let node = entries[arc] else {
                throw .pckExtension(field: entryName(arc), found: "nothing", expected: "an entry with OID \(sgxExtensionOID).\(arc)")
            }
            return node
        }
        let ppid = try fixedOctetString(required(1), count: 16, field: "PPID")
        let tcb = try parseTCB(required(2))
        let pceID = try fixedOctetString(required(3), count: 2, field: "PCE-ID")
        let fmspc = try fixedOctetString(required(4), count: 6, field: "FMSPC")
        let sgxType = try integer(required(5), identifier: .enumerated, range: 0...2, field: "SGX Type")
        // PlatformInstanceID (.6) and Configuration (.7) describe multi-package platforms; the
        // evaluation does not use them, so only their presence (at most once) is accepted.
        return PCKExtensions(ppid: ppid, sgxComponents: tcb.components, pceSVN: tcb.pceSVN, cpuSVN: tcb.cpuSVN,
                             pceID: pceID, fmspc: fmspc, sgxType: sgxType)
    }

    private static func parseTCB(_ node: ASN1Node) throws(TCBEvaluationError)
        -> (components: [UInt8], pceSVN: UInt16, cpuSVN: [UInt8]) {
        let tcbOID: ASN1ObjectIdentifier = [1, 2, 840, 113741, 1, 13, 1, 2]
        var entries: [UInt: ASN1Node] = [:]
        for entry in try children(of: node, field: "TCB", expected: "SEQUENCE OF SEQUENCE { OID, value }") {
            let (arc, value) = try oidValuePair(entry, under: tcbOID, field: "TCB entry")
            guard (1...18).contains(arc) else {
                throw .pckExtension(field: "TCB entry", found: "unknown OID \(tcbOID).\(arc)", expected: "\(tcbOID).1 … .18")
            }
            guard entries.updateValue(value, forKey: arc) == nil else {
                throw .pckExtension(field: tcbEntryName(arc), found: "a second entry", expected: "one entry")
            }
        }
        func required(_ arc: UInt) throws(TCBEvaluationError) -> ASN1Node {
            guard let node = entries[arc] else {
                throw .pckExtension(field: tcbEntryName(arc), found: "nothing", expected: "an entry with OID \(tcbOID).\(arc)")
            }
            return node
        }
        var components: [UInt8] = []
        for arc in UInt(1)...16 {
            components.append(UInt8(try integer(required(arc), identifier: .integer, range: 0...255, field: tcbEntryName(arc))))
        }
        let pceSVN = UInt16(try integer(required(17), identifier: .integer, range: 0...65535, field: "PCESVN"))
        let cpuSVN = try fixedOctetString(required(18), count: 16, field: "CPUSVN")
        return (components, pceSVN, cpuSVN)
    }

    private static func entryName(_ arc: UInt) -> String {
        let names: [UInt: String] = [1: "PPID", 2: "TCB", 3: "PCE-ID", 4: "FMSPC", 5: "SGX Type", 6: "PlatformInstanceID", 7: "Configuration"]
        return names[arc] ?? "entry \(arc)"
    }

    private static func tcbEntryName(_ arc: UInt) -> String {
        switch arc {
        case 17: "PCESVN"
        case 18: "CPUSVN"
        default: "TCB component \(arc) SVN"
        }
    }

    // MARK: - DER helpers (each failure names the field)

    private static func parse(_ bytes: [UInt8], field: String) throws(TCBEvaluationError) -> ASN1Node {
        do { return try SwiftASN1.DER.parse(bytes) } catch {
            throw .pckExtension(field: field, found: "bytes that are not one DER element (\(error))", expected: "DER")
        }
    }

    private static func children(of node: ASN1Node, field: String, expected: String) throws(TCBEvaluationError) -> [ASN1Node] {
        guard node.identifier == .sequence, case .constructed(let nodes) = node.content else {
            throw .pckExtension(field: field, found: tagName(node.identifier), expected: expected)
        }
        return Array(nodes)
    }

    /// A `SEQUENCE { OID, value }` whose OID is `parent.arc`; returns the arc and the value.
    private static func oidValuePair(_ node: ASN1Node, under parent: ASN1ObjectIdentifier,
                                     field: String) throws(TCBEvaluationError) -> (UInt, ASN1Node) {
        let parts = try children(of: node, field: field, expected: "SEQUENCE { OID, value }")
        guard parts.count == 2 else {
            throw .pckExtension(field: field, found: "a SEQUENCE of \(parts.count) elements", expected: "2 (OID, value)")
        }
        let oid = try objectIdentifier(parts[0], field: field)
        let components = oid.oidComponents, prefix = parent.oidComponents
        guard components.count == prefix.count + 1, Array(components.prefix(prefix.count)) == prefix, let arc = components.last else {
            throw .pckExtension(field: field, found: "OID \(oid)", expected: "an OID \(parent).n")
        }
        return (arc, parts[1])
    }

    /// A tag as the messages name it, e.g. "universal tag 4" (OCTET STRING).
    private static func tagName(_ identifier: ASN1Identifier) -> String {
        "\(identifier.tagClass) tag \(identifier.tagNumber)"
    }

    /// Fails unless `node` has the tag `identifier`; the message names the tag found.
    private static func expectTag(_ node: ASN1Node, _ identifier: ASN1Identifier, field: String,
                                  expected: String) throws(TCBEvaluationError) {
        guard node.identifier == identifier else {
            throw .pckExtension(field: field, found: tagName(node.identifier), expected: expected)
        }
    }

    private static func objectIdentifier(_ node: ASN1Node, field: String) throws(TCBEvaluationError) -> ASN1ObjectIdentifier {
        try expectTag(node, .objectIdentifier, field: field, expected: "an OBJECT IDENTIFIER")
        do { return try ASN1ObjectIdentifier(derEncoded: node) } catch {
            throw .pckExtension(field: field, found: "a malformed OBJECT IDENTIFIER (\(error))", expected: "a DER OBJECT IDENTIFIER")
        }
    }

    private static func octetString(_ node: ASN1Node, field: String) throws(TCBEvaluationError) -> ArraySlice<UInt8> {
        try expectTag(node, .octetString, field: field, expected: "an OCTET STRING")
        do { return try ASN1OctetString(derEncoded: node).bytes } catch {
            throw .pckExtension(field: field, found: "a malformed OCTET STRING (\(error))", expected: "a DER OCTET STRING")
        }
    }

    private static func fixedOctetString(_ node: ASN1Node, count: Int, field: String) throws(TCBEvaluationError) -> [UInt8] {
        let bytes = try octetString(node, field: field)
        guard bytes.count == count else {
            throw .pckExtension(field: field, found: "\(bytes.count) bytes", expected: "an OCTET STRING of \(count) bytes")
        }
        return Array(bytes)
    }

    private static func integer(_ node: ASN1Node, identifier: ASN1Identifier, range: ClosedRange<Int>,
                                field: String) throws(TCBEvaluationError) -> Int {
        let kind = identifier == .enumerated ? "ENUMERATED" : "INTEGER"
        try expectTag(node, identifier, field: field, expected: "an \(kind)")
        let value: Int
        do { value = try Int(derEncoded: node, withIdentifier: identifier) } catch {
            throw .pckExtension(field: field, found: "a malformed \(kind) (\(error))", expected: "a DER \(kind)")
        }
        guard range.contains(value) else {
            throw .pckExtension(field: field, found: "\(value)", expected: "an \(kind) in \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }
}

extension Quote {
    /// The DER of the PCK leaf certificate: the first certificate of the certification data
    /// (not verified here; `QuoteVerifier` verifies the chain).
    /// - Returns: the leaf certificate's DER.
    /// - Throws: a `.pckCertificateChain` error if the certification data is not PEM certificates.
    public func pckCertificateDER() throws(AttestationError) -> [UInt8] {
        let certificates = try PEM.certificates(in: certificationData)
        guard let leaf = certificates.first else { throw .unexpectedCertificateCount(found: 0, expected: 3) }
        return leaf
    }
}

private extension Array {
    /// The single element, or `nil` if there are zero or several.
    var only: Element? { count == 1 ? self[0] : nil }
}
