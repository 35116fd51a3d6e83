// Int8 GEMM micro-kernels written with x86 intrinsics, and the CPUID check that decides which of
// them may run (docs/architecture.md, "Int8 GEMM kernels in C"). Inference's packed drivers
// (Sources/Inference/GEMM+PackedInt8*.swift) pack the operands and call one kernel per C tile;
// every kernel computes exact, wrapping int32 sums, so all of them equal the naive GEMM bit for bit.
//
// Each kernel function is compiled for its own instruction set through a function attribute, so
// the rest of the program stays on the package's baseline. Calling a kernel on a CPU for which
// gg_cpu_features() does not report its feature bit is undefined (an illegal instruction).
// On other architectures the kernels are absent and gg_cpu_features() returns 0.
#ifndef GG_CINT8KERNELS_H
#define GG_CINT8KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// AVX2 usable: CPUID.7.0:EBX.AVX2 and the OS saves the YMM state (OSXSAVE, XCR0 bits 1 and 2).
#define GG_CPU_AVX2 (1u << 0)
/// AVX-512 F + BW + VNNI usable: those CPUID bits and the OS saves opmask and ZMM state (XCR0 bits 5–7).
#define GG_CPU_AVX512_VNNI (1u << 1)
/// What InferenceAVX512's Swift kernel is compiled for (`-target-cpu cascadelake`): AVX2, FMA, BMI1,
/// BMI2, MOVBE, AVX-512 F/CD/BW/DQ/VL/VNNI, with the OS saving YMM and ZMM state.
#define GG_CPU_CASCADELAKE (1u << 2)
/// AVX-VNNI (the VEX-encoded 256-bit vpdpbusd, CPUID.7.1:EAX bit 4) with the OS saving YMM state.
#define GG_CPU_AVX_VNNI (1u << 3)

/// The GG_CPU_* bits this CPU and OS support, from CPUID and XGETBV (cached after the first call).
uint32_t gg_cpu_features(void);

/// AVX2 (vpmaddwd) kernel, MR = 6, NR = 16: C[0..<6][0..<16] (+)= A · B over `pairs` depth pairs.
/// `a`: int16 rows `a_row_stride` elements apart, A[i][2g] and A[i][2g + 1] adjacent;
/// `b`: the packed panel, for pair g and column j B[2g][j] and B[2g + 1][j] at 32·g + 2·j (+1);
/// `c`: rows `c_row_stride` int32 apart. Requires GG_CPU_AVX2.
void gg_int8_pairs_avx2_6x16(long pairs, const int16_t *a, long a_row_stride, const int16_t *b,
                             int32_t *c, long c_row_stride, int accumulate);

/// AVX-512 VNNI (vpdpbusd) kernel, MR = 12, NR = 32: C[0..<12][0..<32] (+)= A · B + correction
/// over `quads` groups of four depth steps.
/// `a`: A + 128 as unsigned bytes, rows `a_row_stride` bytes apart, A[i][4g..4g+3] adjacent;
/// `b`: the packed panel, signed bytes, for quad g and column j B[4g + h][j] at 128·g + 4·j + h;
/// `correction`: 32 int32 added to every row (−128 · the column sums of B over the block's depth,
/// which removes the +128 offset); `c`: rows `c_row_stride` int32 apart. Requires GG_CPU_AVX512_VNNI.
void gg_int8_quads_avx512vnni_12x32(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                    const int32_t *correction, int32_t *c, long c_row_stride, int accumulate);

/// The same computation with 256-bit vectors, MR = 6, NR = 16 (quad g, column j, h at 64·g + 4·j + h;
/// 16 corrections), for AVX-VNNI CPUs (VEX vpdpbusd). Requires GG_CPU_AVX_VNNI.
void gg_int8_quads_avxvnni_6x16(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                const int32_t *correction, int32_t *c, long c_row_stride, int accumulate);

/// gg_int8_quads_avxvnni_6x16's code with the EVEX encoding of the 256-bit vpdpbusd (AVX-512 VL +
/// VNNI), so that its arithmetic is tested on AVX-512 VNNI CPUs too. Requires GG_CPU_AVX512_VNNI
/// and AVX-512 VL (GG_CPU_CASCADELAKE implies both).
void gg_int8_quads_avx512vl_6x16(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                 const int32_t *correction, int32_t *c, long c_row_stride, int accumulate);

#ifdef __cplusplus
}
#endif

#endif
