import CInt8Kernels

/// What the running CPU and operating system support, for choosing a GEMM kernel at run time.
///
/// CInt8Kernels' `gg_cpu_features` reads CPUID (leaf 1, leaf 7 subleaves 0 and 1) and, through
/// XGETBV, whether the OS saves the YMM state (AVX2) and the opmask and ZMM state (AVX-512): a CPU
/// can report AVX-512 while its OS does not enable it, and then AVX-512 instructions fault. Off
/// x86-64 every flag reads false and the baseline kernels run.
enum CPUFeatures {
    static let bits: UInt32 = gg_cpu_features()

    /// AVX2 with the YMM state enabled: CInt8Kernels' vpmaddwd kernel can run.
    static let hasAVX2 = bits & UInt32(GG_CPU_AVX2) != 0
    /// AVX-VNNI (VEX vpdpbusd on 256-bit vectors) with the YMM state enabled.
    static let hasAVXVNNI = bits & UInt32(GG_CPU_AVX_VNNI) != 0
    /// AVX-512 F, BW and VNNI with the ZMM state enabled: CInt8Kernels' vpdpbusd kernel can run.
    static let hasAVX512VNNI = bits & UInt32(GG_CPU_AVX512_VNNI) != 0
    /// Everything InferenceAVX512 is compiled for (`-target-cpu cascadelake`): AVX2, FMA, BMI1/2,
    /// MOVBE and AVX-512 F, CD, BW, DQ, VL and VNNI, with the ZMM state enabled.
    static let hasCascadeLake = bits & UInt32(GG_CPU_CASCADELAKE) != 0
}
