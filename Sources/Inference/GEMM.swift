#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// General matrix multiplication, C = A·B, for the two element types the models use: int8 inputs
/// with exact int32 accumulation (inference) and float32 (training).
///
/// A is `rows × depth` and B is `depth × columns`; C is `rows × columns`, row-major. Each operand is
/// stored row-major or transposed (`MatrixLayout`), as BLAS's `transa`/`transb` flags allow, so
/// a Dense layer's `[out][in]` weights multiply without a copy.
///
/// Every backend computes the same results (see `GEMMBackend`):
/// - int8: all are exact, wrapping two's-complement int32 sums; no product sum can wrap while
///   `depth ≤ GEMM.maximumExactDepth` (131071 = ⌊(2³¹ − 1) / 128²⌋), which the GGM limits keep to.
/// - float32: every output element is summed in the same order (p = 0, 1, …, depth − 1, starting
///   from +0.0, one rounded multiply and one rounded add per step, no fused multiply-add), so the
///   packed backends equal the naive one bit for bit, for every thread count.
///
/// Threads split C into row blocks; a row is always computed by one thread, so results never
/// depend on `threadCount`.
public enum GEMM {
    /// The largest depth for which no int32 sum of int8 products can wrap: ⌊(2³¹ − 1) / 16384⌋.
    public static let maximumExactDepth = 131_071

    /// Multiplies int8 matrices into int32.
    /// - Parameters:
    ///   - a: A's `shape.rows × shape.depth` elements, stored as `layoutA` says.
    ///   - layoutA: how `a` is stored.
    ///   - b: B's `shape.depth × shape.columns` elements, stored as `layoutB` says.
    ///   - layoutB: how `b` is stored.
    ///   - shape: the sizes of the product.
    ///   - backend: the implementation; all give identical results.
    ///   - threadCount: how many threads may split the rows (1 or more).
    /// - Returns: C, `shape.rows × shape.columns`, row-major.
    public static func multiply(_ a: [Int8], layoutA: MatrixLayout = .rowMajor,
                                _ b: [Int8], layoutB: MatrixLayout = .rowMajor,
                                shape: GEMMShape, backend: GEMMBackend = .packed,
                                threadCount: Int = 1) -> [Int32] {
        checkOperands(a.count, b.count, shape: shape, threadCount: threadCount)
        switch backend {
        case .naive:
            return NaiveGEMM.multiply(a, layoutA, b, layoutB, shape)
        case .packed:
            var kernel = GEMMBackend.packedInt8Kernel
            // At most 16 columns the 12 × 32 tile computes at least half padding; the 6 × 16 tile
            // of the 256-bit vpdpbusd kernel wastes less (1797×128·128×10 ran 1.2–1.3× faster).
            if kernel == .packedAVX512 && !GEMMBackend.isInt8KernelPinned && shape.columns <= 16
                && Int8AVXVNNIQuadKernel.isAvailable {
                kernel = .packedAVXVNNI
            }
            return multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: kernel,
                            threadCount: threadCount)
        case .packedAVX512 where Int8AVX512QuadKernel.isAvailable:
            return PackedQuadInt8GEMM<Int8AVX512QuadKernel>.multiply(a, layoutA, b, layoutB, shape, threadCount: threadCount)
        case .packedAVXVNNI where Int8AVXVNNIQuadKernel.isAvailable:
            return PackedQuadInt8GEMM<Int8AVXVNNIQuadKernel>.multiply(a, layoutA, b, layoutB, shape, threadCount: threadCount)
        case .packedAVX2 where Int8AVX2MicroKernel.isAvailable:
            return PackedInt8GEMM<Int8AVX2MicroKernel>.multiply(a, layoutA, b, layoutB, shape, threadCount: threadCount)
        case .packedAVX512Pairs where Int8AVX512MicroKernel.isAvailable:
            return PackedInt8GEMM<Int8AVX512MicroKernel>.multiply(a, layoutA, b, layoutB, shape, threadCount: threadCount)
        case .packedPortable, .packedAVX512, .packedAVXVNNI, .packedAVX2, .packedAVX512Pairs:
            return PackedGEMM<Int8MicroKernel>.multiply(a, layoutA, b, layoutB, shape, threadCount: threadCount)
        }
    }

    /// Multiplies float32 matrices.
    /// - Parameters:
    ///   - a: A's `shape.rows × shape.depth` elements, stored as `layoutA` says.
    ///   - layoutA: how `a` is stored.
    ///   - b: B's `shape.depth × shape.columns` elements, stored as `layoutB` says.
    ///   - layoutB: how `b` is stored.
    ///   - shape: the sizes of the product.
    ///   - backend: the implementation; all give bit-identical results.
    ///   - threadCount: how many threads may split the rows (1 or more).
    /// - Returns: C, `shape.rows × shape.columns`, row-major.
    public static func multiply(_ a: [Float], layoutA: MatrixLayout = .rowMajor,
                                _ b: [Float], layoutB: MatrixLayout = .rowMajor,
                                shape: GEMMShape, backend: GEMMBackend = .packed,
                                threadCount: Int = 1) -> [Float] {
        checkOperands(a.count, b.count, shape: shape, threadCount: threadCount)
        switch backend {
        case .naive:
            return NaiveGEMM.multiply(a, layoutA, b, layoutB, shape)
        case .packed, .packedPortable, .packedAVX2, .packedAVXVNNI, .packedAVX512, .packedAVX512Pairs:
            return PackedGEMM<FloatMicroKernel>.multiply(a, layoutA, b, layoutB, shape, threadCount: threadCount)
        }
    }

    private static func checkOperands(_ aCount: Int, _ bCount: Int, shape: GEMMShape, threadCount: Int) {
        precondition(aCount == shape.rows * shape.depth,
                     "A has \(aCount) elements, expected rows × depth = \(shape.rows * shape.depth)")
        precondition(bCount == shape.depth * shape.columns,
                     "B has \(bCount) elements, expected depth × columns = \(shape.depth * shape.columns)")
        precondition(threadCount >= 1, "thread count \(threadCount) must be at least 1")
    }
}

/// The sizes of a product C = A·B: A is `rows × depth`, B is `depth × columns`.
public struct GEMMShape: Hashable, Sendable, CustomStringConvertible {
    /// Rows of A and C (BLAS's m).
    public var rows: Int
    /// Columns of B and C (BLAS's n).
    public var columns: Int
    /// Columns of A and rows of B (BLAS's k).
    public var depth: Int

    /// Creates a shape; every size must be at least 0.
    /// - Parameters:
    ///   - rows: m.
    ///   - columns: n.
    ///   - depth: k.
    public init(rows: Int, columns: Int, depth: Int) {
        precondition(rows >= 0 && columns >= 0 && depth >= 0, "GEMM sizes must not be negative")
        self.rows = rows
        self.columns = columns
        self.depth = depth
    }

    /// The multiply-accumulate count, rows × columns × depth.
    public var multiplyAccumulateCount: Int { rows * columns * depth }

    /// `m×k·k×n`.
    public var description: String { "\(rows)×\(depth)·\(depth)×\(columns)" }
}

/// How a matrix operand is stored.
public enum MatrixLayout: Sendable, Hashable {
    /// Element (i, j) of an r × c matrix is at index i·c + j.
    case rowMajor
    /// The matrix is stored as its transpose: element (i, j) of an r × c matrix is at index j·r + i.
    case transposed
}

/// A GEMM implementation. Every backend gives the same results; tests run one suite over all.
///
/// The float32 product has one packed kernel, so all the packed cases run it; they differ for int8
/// only. An int8 backend whose instructions this CPU lacks (`isSupported` false) runs
/// `packedPortable` instead.
public enum GEMMBackend: String, CaseIterable, Sendable {
    /// Three nested loops, the reference.
    case naive
    /// Packed panels, cache blocking and a SIMD register-blocked micro-kernel (BLIS/GotoBLAS
    /// style): the fastest kernel this CPU runs, `packedInt8Kernel` for int8.
    case packed
    /// The packed GEMM with the kernels built for the package's baseline ISA (Haswell AVX2 by
    /// default): int8 accumulates exactly in float32 within depth blocks.
    case packedPortable
    /// AVX2 int8 kernel (CInt8Kernels): `vpmaddwd` on operands widened to int16 pairs, 6 × 16 tile.
    case packedAVX2
    /// AVX-VNNI int8 kernel (CInt8Kernels): 256-bit `vpdpbusd` on A + 128 (u8) and B (s8) in
    /// depth quads, 6 × 16 tile. On CPUs with AVX-512 VL/VNNI but not AVX-VNNI it runs the same
    /// code with the EVEX encoding.
    case packedAVXVNNI
    /// AVX-512 VNNI int8 kernel (CInt8Kernels): 512-bit `vpdpbusd` (64 multiply-accumulates per
    /// instruction) on A + 128 and B in depth quads, 12 × 16 tile.
    case packedAVX512
    /// The AVX-512 VNNI kernel of InferenceAVX512 (Swift SIMD, `vpdpwssd` on int16 pairs, 32
    /// multiply-accumulates per instruction, 12 × 16 tile), `packed`'s choice before `packedAVX512`.
    case packedAVX512Pairs

    /// Whether this backend runs its own kernels on this CPU rather than falling back.
    public var isSupported: Bool {
        switch self {
        case .naive, .packed, .packedPortable: true
        case .packedAVX2: Int8AVX2MicroKernel.isAvailable
        case .packedAVXVNNI: Int8AVXVNNIQuadKernel.isAvailable
        case .packedAVX512: Int8AVX512QuadKernel.isAvailable
        case .packedAVX512Pairs: Int8AVX512MicroKernel.isAvailable
        }
    }

    /// The int8 kernel `packed` runs: the first this CPU supports of `packedAVX512`,
    /// `packedAVXVNNI` (on AVX-VNNI CPUs), `packedAVX2` and `packedPortable`; unless pinned, a
    /// product of at most 16 columns runs `packedAVXVNNI` instead of `packedAVX512` (narrower tile).
    ///
    /// For comparing kernels, the environment can pin it: `GOLDENGRAIN_GEMM_KERNEL` set to
    /// `portable`, `avx2`, `avxvnni`, `avx512` or `avx512pairs` picks that kernel when this CPU runs
    /// it, and `GOLDENGRAIN_GEMM_PORTABLE=1` picks `packedPortable` whatever the other says. All
    /// give the same results, so the choice changes speed only.
    public static let packedInt8Kernel: GEMMBackend = {
        if environment("GOLDENGRAIN_GEMM_PORTABLE") == "1" { return .packedPortable }
        let named: [String: GEMMBackend] = ["portable": .packedPortable, "avx2": .packedAVX2, "avxvnni": .packedAVXVNNI,
                                            "avx512": .packedAVX512, "avx512pairs": .packedAVX512Pairs]
        if let name = environment("GOLDENGRAIN_GEMM_KERNEL"), let backend = named[name], backend.isSupported {
            return backend
        }
        if GEMMBackend.packedAVX512.isSupported { return .packedAVX512 }
        if CPUFeatures.hasAVXVNNI { return .packedAVXVNNI }
        if GEMMBackend.packedAVX2.isSupported { return .packedAVX2 }
        return .packedPortable
    }()

    /// Whether the environment pins `packedInt8Kernel` (then `packed` always runs it).
    static let isInt8KernelPinned: Bool =
        environment("GOLDENGRAIN_GEMM_PORTABLE") == "1" || environment("GOLDENGRAIN_GEMM_KERNEL") != nil

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
