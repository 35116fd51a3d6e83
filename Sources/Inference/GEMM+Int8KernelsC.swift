import CInt8Kernels

// Adapters from the packed int8 drivers to CInt8Kernels' intrinsics kernels (docs/architecture.md,
// "Int8 GEMM kernels in C"). `GEMM.multiply` calls each only when `CPUFeatures` reports its ISA.

/// AVX2 int8 micro-kernel: `vpmaddwd` on int16 pairs, exact and non-saturating (MR = 6, NR = 16),
/// for the pair driver (GEMM+PackedInt8.swift).
enum Int8AVX2MicroKernel: Int8TileKernel {
    static var tileRows: Int { 6 }

    static var isAvailable: Bool { CPUFeatures.hasAVX2 }

    @inline(__always)
    static func run(pairs: Int, a: UnsafePointer<Int16>, aRowStride: Int, b: UnsafePointer<Int16>,
                    c: UnsafeMutablePointer<Int32>, cRowStride: Int, accumulate: Bool) {
        gg_int8_pairs_avx2_6x16(pairs, a, aRowStride, b, c, cRowStride, accumulate ? 1 : 0)
    }
}

/// AVX-512 VNNI int8 micro-kernel: `vpdpbusd` on u8 · s8 quads, 64 multiply-accumulates per
/// instruction (MR = 12, NR = 32), for the quad driver (GEMM+PackedInt8Quads.swift).
enum Int8AVX512QuadKernel: Int8QuadKernel {
    static var tileRows: Int { 12 }
    static var tileColumns: Int { 32 }

    static var isAvailable: Bool { CPUFeatures.hasAVX512VNNI }

    @inline(__always)
    static func run(quads: Int, a: UnsafePointer<UInt8>, aRowStride: Int, b: UnsafePointer<Int8>,
                    correction: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, cRowStride: Int,
                    accumulate: Bool) {
        gg_int8_quads_avx512vnni_12x32(quads, a, aRowStride, b, correction, c, cRowStride, accumulate ? 1 : 0)
    }
}

/// 256-bit `vpdpbusd` int8 micro-kernel (MR = 6, NR = 16) for the quad driver: the VEX form on
/// AVX-VNNI CPUs; on CPUs with AVX-512 VL and VNNI but not AVX-VNNI, the same C code with the
/// EVEX form of the instruction, so the kernel's arithmetic is tested there too.
enum Int8AVXVNNIQuadKernel: Int8QuadKernel {
    static var tileRows: Int { 6 }
    static var tileColumns: Int { 16 }

    static var isAvailable: Bool { CPUFeatures.hasAVXVNNI || CPUFeatures.hasCascadeLake }

    @inline(__always)
    static func run(quads: Int, a: UnsafePointer<UInt8>, aRowStride: Int, b: UnsafePointer<Int8>,
                    correction: UnsafePointer<Int32>, c: UnsafeMutablePointer<Int32>, cRowStride: Int,
                    accumulate: Bool) {
        if CPUFeatures.hasAVXVNNI {
            gg_int8_quads_avxvnni_6x16(quads, a, aRowStride, b, correction, c, cRowStride, accumulate ? 1 : 0)
        } else {
            gg_int8_quads_avx512vl_6x16(quads, a, aRowStride, b, correction, c, cRowStride, accumulate ? 1 : 0)
        }
    }
}
