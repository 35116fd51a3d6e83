// The AVX-512 VNNI int8 GEMM micro-kernel, in its own module because the module is compiled for
// a newer CPU than the rest of the package (`-target-cpu cascadelake`: AVX-512 F/CD/BW/DQ/VL and
// VNNI; see Package.swift). Inference calls it only after checking the CPU reports those
// features (GEMM+CPUFeatures.swift); every other CPU runs the baseline kernels.
//
// Keep this module to this one non-inlinable function: no `@inlinable` code, no generic code
// that could be specialised here and shared with baseline modules, and no cross-module
// optimisation in its settings. Otherwise AVX-512 instructions could leak into code that runs
// on CPUs without them.
//
// The tile is 12 × 16 int32: twelve SIMD16<Int32> accumulators, one 512-bit register per row of
// C. Each step takes one depth pair: B's packed pair row (16 columns × 2 int16 = one
// SIMD32<Int16>) and, per row of A, the 32-bit word holding A[i][2g], A[i][2g + 1] broadcast to
// all lanes. "Sign-extend both to int32, multiply, add even and odd lanes, add to the
// accumulator" is the shape LLVM's X86 back end folds into one `vpdpwssd` (pairwise int16
// products accumulated into int32, 32 multiply-accumulates per instruction). Check with
// `swiftc -O -target-cpu cascadelake -emit-assembly` when touching this file: the loop must be
// vpbroadcastd / vpdpwssd and one B load. Exactness: a pair sum of int8-ranged values is at most
// 2¹⁵ in magnitude, and the accumulation is wrapping int32 addition, as in the naive kernel.

/// The AVX-512 VNNI int8 GEMM micro-kernel (MR = 12, NR = 16). Call only on CPUs with AVX-512
/// F, CD, BW, DQ, VL and VNNI.
public enum GEMMInt8AVX512Kernel {
    /// MR: rows of the C tile; the caller's A blocks must be padded to a multiple of it.
    public static let tileRows = 12
    /// NR: columns of the C tile and of a packed B panel.
    public static let tileColumns = 16

    /// C[0..<12][0..<16] (+)= A · B over `pairs` depth pairs.
    /// - Parameters:
    ///   - pairs: depth pairs; A rows hold `2 · pairs` int16 values, B holds 32 int16 per pair.
    ///   - a: A's first row; rows are `aRowStride` int16 apart.
    ///   - aRowStride: A's row length in int16 elements.
    ///   - b: the packed B panel: for pair g and column j, B[2g][j] and B[2g + 1][j] at 32·g + 2·j (+1).
    ///   - c: the tile's first element; rows are `cRowStride` int32 apart.
    ///   - cRowStride: C's row length in elements.
    ///   - accumulate: add to the tile's current values instead of overwriting them.
    @inline(never)
    public static func run(pairs: Int, a: UnsafePointer<Int16>, aRowStride: Int, b: UnsafePointer<Int16>,
                           c: UnsafeMutablePointer<Int32>, cRowStride: Int, accumulate: Bool) {
        typealias Pairs = SIMD32<Int16>
        typealias Sums = SIMD16<Int32>
        var c0 = Sums(), c1 = Sums(), c2 = Sums(), c3 = Sums(), c4 = Sums(), c5 = Sums()
        var c6 = Sums(), c7 = Sums(), c8 = Sums(), c9 = Sums(), c10 = Sums(), c11 = Sums()
        let rowBytes = aRowStride * 2
        var rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        @inline(__always) func widen(_ value: Pairs) -> SIMD32<Int32> {
            // Through the SIMD8 quarters: Swift 6.3.1 leaves wider conversions as out-of-line calls.
            SIMD32<Int32>(lowHalf: Sums(lowHalf: SIMD8<Int32>(truncatingIfNeeded: value.lowHalf.lowHalf),
                                        highHalf: SIMD8<Int32>(truncatingIfNeeded: value.lowHalf.highHalf)),
                          highHalf: Sums(lowHalf: SIMD8<Int32>(truncatingIfNeeded: value.highHalf.lowHalf),
                                         highHalf: SIMD8<Int32>(truncatingIfNeeded: value.highHalf.highHalf)))
        }
        @inline(__always) func multiplyAdd(row: Int, _ y: Pairs, _ sum: inout Sums) {
            let word = rawA.loadUnaligned(fromByteOffset: row * rowBytes, as: Int32.self)
            let products = widen(unsafeBitCast(Sums(repeating: word), to: Pairs.self)) &* widen(y)
            sum &+= products.evenHalf &+ products.oddHalf
        }
        var remaining = pairs
        while remaining > 0 {
            let y = rawB.loadUnaligned(as: Pairs.self)
            multiplyAdd(row: 0, y, &c0); multiplyAdd(row: 1, y, &c1); multiplyAdd(row: 2, y, &c2)
            multiplyAdd(row: 3, y, &c3); multiplyAdd(row: 4, y, &c4); multiplyAdd(row: 5, y, &c5)
            multiplyAdd(row: 6, y, &c6); multiplyAdd(row: 7, y, &c7); multiplyAdd(row: 8, y, &c8)
            multiplyAdd(row: 9, y, &c9); multiplyAdd(row: 10, y, &c10); multiplyAdd(row: 11, y, &c11)
            rawA += 4
            rawB += 64
            remaining -= 1
        }
        let rawC = UnsafeMutableRawPointer(c)
        let stride = cRowStride * 4
        @inline(__always) func store(_ sum: Sums, row: Int) {
            var sum = sum
            if accumulate { sum &+= rawC.loadUnaligned(fromByteOffset: row * stride, as: Sums.self) }
            rawC.storeBytes(of: sum, toByteOffset: row * stride, as: Sums.self)
        }
        store(c0, row: 0); store(c1, row: 1); store(c2, row: 2); store(c3, row: 3)
        store(c4, row: 4); store(c5, row: 5); store(c6, row: 6); store(c7, row: 7)
        store(c8, row: 8); store(c9, row: 9); store(c10, row: 10); store(c11, row: 11)
    }
}
