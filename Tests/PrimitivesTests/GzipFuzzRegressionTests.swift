import Primitives
import Testing

/// What the anvilstate fuzz target (Fuzz/AnvilState; docs/reliability.md, "Coverage-guided
/// fuzzing") found by comparing `Gzip.decompress` with zlib: a dynamic DEFLATE block whose Huffman
/// code is incomplete (some bit sequences start no code) was inflated, where zlib refuses it
/// ("invalid literal/lengths set", "invalid distances set", "invalid code lengths set"), so
/// anvil_loadState took state files that gzip and anvil refuse. Such blocks are now refused, except
/// the two incomplete codes zlib allows: a single 1-bit code, and no distance code at all.
///
/// Every verdict below is Python 3.11's zlib (`zlib.decompressobj(31)`), not this code's; the
/// hand-made streams hold one dynamic block coding "aa" with 257 literal/length codes ('a' and
/// end-of-block), written by a bit writer in Python.
@Suite struct GzipFuzzRegressionTests {
    /// The fuzz input, minimised by libFuzzer: a dynamic block whose literal/length code is incomplete
    /// and whose first code is the end of the block, then a trailer of zeros (CRC-32 and length of
    /// nothing), so it inflated to no bytes. zlib: "invalid literal/lengths set".
    @Test func incompleteLiteralLengthCodeFromTheFuzzerIsRefused() throws {
        let stream = try [UInt8](hex: "1f8b080000000000e103ddd5f79f0f0400806142d942f646f6ded6000000000000000000000000000000"
            + "000000000000000000fad6000000000000000000000000000000")
        #expect { _ = try Gzip.decompress(stream) } throws: { error in
            "\(error)".contains("incomplete DEFLATE literal/length code")
        }
    }

    /// Incomplete codes zlib refuses: the literal/length code ('a' 1 bit, end-of-block 2 bits), the
    /// distance code (lengths 1 and 2), the code length code (three 2-bit codes).
    @Test func incompleteCodesAreRefusedAsZlibRefusesThem() throws {
        for (hex, reason) in [
            ("1f8b08000000000000ff05c0010900000080a0adfe3f9104d7198a0702000000", "incomplete DEFLATE literal/length code"),
            ("1f8b08000000000000ff05c1010900000080a0adfe3fa111d7198a0702000000", "incomplete DEFLATE distance code"),
            ("1f8b08000000000000ff05c0010900000000a0acf62fa104d7198a0702000000", "incomplete DEFLATE code length code"),
        ] {
            #expect { _ = try Gzip.decompress(try [UInt8](hex: hex)) } throws: { error in "\(error)".contains(reason) }
        }
    }

    /// The incomplete codes zlib accepts still inflate: one 1-bit distance code, no distance code;
    /// and the complete one (two 1-bit distance codes).
    @Test func codesZlibAcceptsStillInflate() throws {
        for hex in ["1f8b08000000000000ff05c0010900000080a0adfe3fa104d7198a0702000000",   // one 1-bit distance code
                    "1f8b08000000000000ff05c0010900000080a0adfe3f2104d7198a0702000000",   // no distance code
                    "1f8b08000000000000ff05c1010900000080a0adfe3fa112d7198a0702000000"] { // two 1-bit distance codes
            #expect(try Gzip.decompress(try [UInt8](hex: hex)) == Array("aa".utf8))
        }
    }
}
