import InferenceAVX512

// The AVX-512 VNNI int8 micro-kernel lives in the InferenceAVX512 module, which alone is compiled
// for AVX-512 (see that module and docs/architecture.md). This adapter plugs it into the int16
// pair driver; `GEMM.multiply` picks it only when `CPUFeatures.hasCascadeLake` says the CPU runs it.

/// Exact int8 GEMM micro-kernel using AVX-512 VNNI `vpdpwssd` (MR = 12, NR = 16).
enum Int8AVX512MicroKernel: Int8TileKernel {
    /// Equals `GEMMInt8AVX512Kernel.tileRows` (checked in `isAvailable`); a literal so the
    /// driver's loops see a constant.
    static var tileRows: Int { 12 }

    /// Whether this CPU runs the kernel. Nothing in InferenceAVX512 runs before the CPU check.
    static let isAvailable: Bool = {
        guard CPUFeatures.hasCascadeLake else { return false }
        precondition(tileRows == GEMMInt8AVX512Kernel.tileRows && GEMMInt8AVX512Kernel.tileColumns == 16,
                     "Int8AVX512MicroKernel's tile differs from GEMMInt8AVX512Kernel's")
        return true
    }()

    @inline(__always)
    static func run(pairs: Int, a: UnsafePointer<Int16>, aRowStride: Int, b: UnsafePointer<Int16>,
                    c: UnsafeMutablePointer<Int32>, cRowStride: Int, accumulate: Bool) {
        GEMMInt8AVX512Kernel.run(pairs: pairs, a: a, aRowStride: aRowStride, b: b,
                                 c: c, cRowStride: cRowStride, accumulate: accumulate)
    }
}
