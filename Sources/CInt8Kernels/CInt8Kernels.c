// Int8 GEMM micro-kernels with x86 intrinsics and the CPUID/XGETBV feature check; see
// include/CInt8Kernels.h and docs/architecture.md. Every kernel function carries its own target
// attribute, so this file compiles for the package's baseline and nothing outside the kernels
// uses AVX2 or AVX-512 instructions.
//
// Exactness: every product and pair/quad sum is exact and every accumulation is wrapping int32
// addition (vpmaddwd of int8-ranged int16 values cannot saturate: a pair sum is at most 2 · 128²
// = 2¹⁵ in magnitude and vpmaddwd only wraps for −32768 · −32768 twice; vpdpbusd forms each
// u8 · s8 product exactly and adds the four products and the accumulator without saturation).
// Wrapping addition is associative and commutative modulo 2³², so the +128 offset and its
// correction, any blocking and any order give the naive GEMM's int32 result bit for bit.
#include "CInt8Kernels.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

static uint64_t gg_xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

static uint32_t gg_detect(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1, fma = (ecx >> 12) & 1, movbe = (ecx >> 22) & 1;
    if (!osxsave || !avx) return 0;
    const uint64_t xcr0 = gg_xgetbv0();
    const int ymmSaved = (xcr0 & 0x6) == 0x6;          // SSE and AVX state
    const int zmmSaved = ymmSaved && (xcr0 & 0xE0) == 0xE0; // opmask, ZMM0–15 upper halves, ZMM16–31
    if (!ymmSaved) return 0;
    unsigned int maxLeaf = __get_cpuid_max(0, 0);
    if (maxLeaf < 7) return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const int avx2 = (ebx >> 5) & 1, bmi1 = (ebx >> 3) & 1, bmi2 = (ebx >> 8) & 1;
    const int avx512f = (ebx >> 16) & 1, avx512dq = (ebx >> 17) & 1, avx512cd = (ebx >> 28) & 1;
    const int avx512bw = (ebx >> 30) & 1, avx512vl = (ebx >> 31) & 1, avx512vnni = (ecx >> 11) & 1;
    const unsigned int subleaves = eax;
    int avxvnni = 0;
    if (subleaves >= 1) {
        unsigned int eax1, ebx1, ecx1, edx1;
        __cpuid_count(7, 1, eax1, ebx1, ecx1, edx1);
        avxvnni = (eax1 >> 4) & 1;
    }
    uint32_t features = 0;
    if (avx2) features |= GG_CPU_AVX2;
    if (avx2 && avxvnni) features |= GG_CPU_AVX_VNNI;
    if (zmmSaved && avx512f && avx512bw && avx512vnni) features |= GG_CPU_AVX512_VNNI;
    if (zmmSaved && avx2 && fma && bmi1 && bmi2 && movbe && avx512f && avx512cd && avx512bw && avx512dq
        && avx512vl && avx512vnni)
        features |= GG_CPU_CASCADELAKE;
    return features;
}

uint32_t gg_cpu_features(void) {
    // Racing first calls compute the same value; the flag word keeps the result.
    static volatile uint32_t cached = 0; // bit 31: computed
    uint32_t value = cached;
    if (!(value & 0x80000000u)) {
        value = gg_detect() | 0x80000000u;
        cached = value;
    }
    return value & 0x7FFFFFFFu;
}

// MARK: AVX2, int16 pairs (vpmaddwd) ----------------------------------------------------------------

#define GG_PAIR_ROW(r)                                                                          \
    {                                                                                           \
        const __m256i x = _mm256_set1_epi32(*(const int32_t *)(a + (r) * a_row_stride));         \
        c##r##0 = _mm256_add_epi32(c##r##0, _mm256_madd_epi16(x, b0));                          \
        c##r##1 = _mm256_add_epi32(c##r##1, _mm256_madd_epi16(x, b1));                          \
    }

#define GG_STORE256(r, base, stride)                                                            \
    {                                                                                           \
        int32_t *row = (base) + (r) * (stride);                                                 \
        if (accumulate) {                                                                       \
            c##r##0 = _mm256_add_epi32(c##r##0, _mm256_loadu_si256((const __m256i *)row));      \
            c##r##1 = _mm256_add_epi32(c##r##1, _mm256_loadu_si256((const __m256i *)(row + 8)));\
        }                                                                                       \
        _mm256_storeu_si256((__m256i *)row, c##r##0);                                           \
        _mm256_storeu_si256((__m256i *)(row + 8), c##r##1);                                     \
    }

__attribute__((target("avx2")))
void gg_int8_pairs_avx2_6x16(long pairs, const int16_t *a, long a_row_stride, const int16_t *b,
                             int32_t *c, long c_row_stride, int accumulate) {
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256i c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (long g = 0; g < pairs; g++) {
        const __m256i b0 = _mm256_loadu_si256((const __m256i *)b);
        const __m256i b1 = _mm256_loadu_si256((const __m256i *)(b + 16));
        GG_PAIR_ROW(0) GG_PAIR_ROW(1) GG_PAIR_ROW(2) GG_PAIR_ROW(3) GG_PAIR_ROW(4) GG_PAIR_ROW(5)
        a += 2;
        b += 32;
    }
    GG_STORE256(0, c, c_row_stride) GG_STORE256(1, c, c_row_stride) GG_STORE256(2, c, c_row_stride)
    GG_STORE256(3, c, c_row_stride) GG_STORE256(4, c, c_row_stride) GG_STORE256(5, c, c_row_stride)
}

// MARK: AVX-512 VNNI, u8 · s8 quads (vpdpbusd) -------------------------------------------------------

#define GG_QUAD_ROW512(r)                                                                       \
    {                                                                                           \
        const __m512i x = _mm512_set1_epi32(*(const int32_t *)(a + (r) * a_row_stride));         \
        c##r##0 = _mm512_dpbusd_epi32(c##r##0, x, y0);                                          \
        c##r##1 = _mm512_dpbusd_epi32(c##r##1, x, y1);                                          \
    }

#define GG_STORE512(r)                                                                          \
    {                                                                                           \
        int32_t *row = c + (r) * c_row_stride;                                                  \
        if (accumulate) {                                                                       \
            c##r##0 = _mm512_add_epi32(c##r##0, _mm512_loadu_si512((const void *)row));         \
            c##r##1 = _mm512_add_epi32(c##r##1, _mm512_loadu_si512((const void *)(row + 16)));  \
        }                                                                                       \
        _mm512_storeu_si512((void *)row, c##r##0);                                              \
        _mm512_storeu_si512((void *)(row + 16), c##r##1);                                       \
    }

// 12 × 32: 24 accumulators, two B vectors, one broadcast (27 of the 32 registers). Two B vectors
// per broadcast word halve the broadcast loads of a 12 × 16 tile, which ran at 55–60 % of this
// tile's rate on the development machine (Xeon, Ice Lake generation).
__attribute__((target("avx512f,avx512bw,avx512vnni")))
void gg_int8_quads_avx512vnni_12x32(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                    const int32_t *correction, int32_t *c, long c_row_stride, int accumulate) {
    const __m512i start0 = _mm512_loadu_si512((const void *)correction);
    const __m512i start1 = _mm512_loadu_si512((const void *)(correction + 16));
    __m512i c00 = start0, c01 = start1, c10 = start0, c11 = start1, c20 = start0, c21 = start1;
    __m512i c30 = start0, c31 = start1, c40 = start0, c41 = start1, c50 = start0, c51 = start1;
    __m512i c60 = start0, c61 = start1, c70 = start0, c71 = start1, c80 = start0, c81 = start1;
    __m512i c90 = start0, c91 = start1, c100 = start0, c101 = start1, c110 = start0, c111 = start1;
    for (long g = 0; g < quads; g++) {
        const __m512i y0 = _mm512_loadu_si512((const void *)b);
        const __m512i y1 = _mm512_loadu_si512((const void *)(b + 64));
        GG_QUAD_ROW512(0) GG_QUAD_ROW512(1) GG_QUAD_ROW512(2) GG_QUAD_ROW512(3)
        GG_QUAD_ROW512(4) GG_QUAD_ROW512(5) GG_QUAD_ROW512(6) GG_QUAD_ROW512(7)
        GG_QUAD_ROW512(8) GG_QUAD_ROW512(9) GG_QUAD_ROW512(10) GG_QUAD_ROW512(11)
        a += 4;
        b += 128;
    }
    GG_STORE512(0) GG_STORE512(1) GG_STORE512(2) GG_STORE512(3) GG_STORE512(4) GG_STORE512(5)
    GG_STORE512(6) GG_STORE512(7) GG_STORE512(8) GG_STORE512(9) GG_STORE512(10) GG_STORE512(11)
}

// MARK: 256-bit u8 · s8 quads (vpdpbusd ymm): AVX-VNNI, and the same code in its EVEX form -----------

#define GG_QUAD_ROW256(r, DPBUSD)                                                               \
    {                                                                                           \
        const __m256i x = _mm256_set1_epi32(*(const int32_t *)(a + (r) * a_row_stride));         \
        c##r##0 = DPBUSD(c##r##0, x, b0);                                                       \
        c##r##1 = DPBUSD(c##r##1, x, b1);                                                       \
    }

#define GG_QUAD_KERNEL_6X16(DPBUSD)                                                             \
    const __m256i start0 = _mm256_loadu_si256((const __m256i *)correction);                     \
    const __m256i start1 = _mm256_loadu_si256((const __m256i *)(correction + 8));               \
    __m256i c00 = start0, c01 = start1, c10 = start0, c11 = start1, c20 = start0, c21 = start1; \
    __m256i c30 = start0, c31 = start1, c40 = start0, c41 = start1, c50 = start0, c51 = start1; \
    for (long g = 0; g < quads; g++) {                                                          \
        const __m256i b0 = _mm256_loadu_si256((const __m256i *)b);                              \
        const __m256i b1 = _mm256_loadu_si256((const __m256i *)(b + 32));                       \
        GG_QUAD_ROW256(0, DPBUSD) GG_QUAD_ROW256(1, DPBUSD) GG_QUAD_ROW256(2, DPBUSD)           \
        GG_QUAD_ROW256(3, DPBUSD) GG_QUAD_ROW256(4, DPBUSD) GG_QUAD_ROW256(5, DPBUSD)           \
        a += 4;                                                                                 \
        b += 64;                                                                                \
    }                                                                                           \
    GG_STORE256(0, c, c_row_stride) GG_STORE256(1, c, c_row_stride)                            \
    GG_STORE256(2, c, c_row_stride) GG_STORE256(3, c, c_row_stride)                            \
    GG_STORE256(4, c, c_row_stride) GG_STORE256(5, c, c_row_stride)

// The packed B panel holds columns 0–7 in the quad's first 32 bytes and 8–15 in the next 32.
#define GG_DPBUSD_VEX(acc, x, y) _mm256_dpbusd_avx_epi32((acc), (x), (y))
#define GG_DPBUSD_EVEX(acc, x, y) _mm256_dpbusd_epi32((acc), (x), (y))

__attribute__((target("avx2,avxvnni")))
void gg_int8_quads_avxvnni_6x16(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                const int32_t *correction, int32_t *c, long c_row_stride, int accumulate) {
    GG_QUAD_KERNEL_6X16(GG_DPBUSD_VEX)
}

__attribute__((target("avx2,avx512f,avx512vl,avx512vnni")))
void gg_int8_quads_avx512vl_6x16(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                 const int32_t *correction, int32_t *c, long c_row_stride, int accumulate) {
    GG_QUAD_KERNEL_6X16(GG_DPBUSD_EVEX)
}

#else

uint32_t gg_cpu_features(void) { return 0; }

// Never called: gg_cpu_features() reports no feature here. Defined so that the module links.
void gg_int8_pairs_avx2_6x16(long pairs, const int16_t *a, long a_row_stride, const int16_t *b,
                             int32_t *c, long c_row_stride, int accumulate) { __builtin_trap(); }
void gg_int8_quads_avx512vnni_12x32(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                    const int32_t *correction, int32_t *c, long c_row_stride, int accumulate) { __builtin_trap(); }
void gg_int8_quads_avxvnni_6x16(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                const int32_t *correction, int32_t *c, long c_row_stride, int accumulate) { __builtin_trap(); }
void gg_int8_quads_avx512vl_6x16(long quads, const uint8_t *a, long a_row_stride, const int8_t *b,
                                 const int32_t *correction, int32_t *c, long c_row_stride, int accumulate) { __builtin_trap(); }

#endif
