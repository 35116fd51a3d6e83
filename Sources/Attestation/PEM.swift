/// PEM certificate blocks (RFC 7468 §5) as the DCAP certification data type 5 carries them: the
/// PCK leaf, the PCK Platform or Processor CA, and the root CA, concatenated.
///
/// Accepted form (strict, so that every changed byte is noticed): lines separated by LF or CR LF;
/// blank lines only between blocks; each block is `-----BEGIN CERTIFICATE-----`, one or more lines
/// of canonical base64, `-----END CERTIFICATE-----`; after the last block at most one NUL byte,
/// as Intel's Quoting Enclave writes one. Nothing else may appear.
enum PEM {
    private static let beginLine = Array("-----BEGIN CERTIFICATE-----".utf8)
    private static let endLine = Array("-----END CERTIFICATE-----".utf8)

    /// Splits PEM certificate text into the DER of each certificate, in order.
    static func certificates(in data: [UInt8]) throws(AttestationError) -> [[UInt8]] {
        var text = data[...]
        if text.last == 0 { text = text.dropLast() }
        var certificates: [[UInt8]] = []
        var body: [UInt8]? = nil
        var lineNumber = 0
        for rawLine in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine
            if var current = body {
                if line.elementsEqual(endLine) {
                    guard !current.isEmpty, let der = Base64.decode(current) else {
                        throw .malformedCertificationData("certificate \(certificates.count + 1) ending at line \(lineNumber) is not canonical base64")
                    }
                    certificates.append(der)
                    body = nil
                } else if line.isEmpty {
                    throw .malformedCertificationData("blank line inside certificate \(certificates.count + 1) at line \(lineNumber)")
                } else {
                    current += line
                    body = current
                }
            } else if line.elementsEqual(beginLine) {
                body = []
            } else if !line.isEmpty {
                throw .malformedCertificationData("unexpected text outside a certificate at line \(lineNumber)")
            }
        }
        if body != nil {
            throw .malformedCertificationData("certificate \(certificates.count + 1) has no END CERTIFICATE line")
        }
        return certificates
    }

    /// Encodes DER as one PEM certificate block with 64-character lines and a final LF.
    static func encode(certificate der: [UInt8]) -> String {
        let base64 = Array(Base64.encode(der).utf8)
        var text = "-----BEGIN CERTIFICATE-----\n"
        var index = 0
        while index < base64.count {
            let end = min(index + 64, base64.count)
            text += String(decoding: base64[index..<end], as: UTF8.self) + "\n"
            index = end
        }
        return text + "-----END CERTIFICATE-----\n"
    }
}
