extension Quote {
    /// The certificates of the certification data, parsed but not verified, for display.
    /// - Returns: a summary of each certificate, leaf first.
    /// - Throws: a `.pckCertificateChain` error if the PEM or a certificate cannot be parsed.
    public func certificateSummaries() throws(AttestationError) -> [CertificateSummary] {
        try PEM.certificates(in: certificationData).enumerated().map { (index, der) throws(AttestationError) in
            guard let certificate = X509Certificate(der: der) else { throw .unparsableCertificate(position: "certificate \(index + 1)") }
            return certificate.summary
        }
    }
}
